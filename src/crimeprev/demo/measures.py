"""Aggregate figures that records cannot give (seizures, NFIB reports, DVDS, operations).

The published activity figures become rows of ``measures.csv``, one figure a row, with the period
it covers and, where a figure is one of several breakdowns, a dimension (``scope`` = force or
region for NFIB fraud; ``da_risk`` = standard for the standard-risk domestic abuse rates).
Rates that the demo records also reproduce (burglary attendance, hate crime solved rates,
standard-risk DA rates) are included too, so a report can show the published figure beside the
one computed from the records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

MEASURE_COLUMNS: Final = (
    "measure",
    "period_start",
    "period_end",
    "value",
    "unit",
    "dimension",
    "dimension_value",
    "source_note",
)
SOURCE_NOTE: Final = "synthetic demo, calibrated to the Essex 2023/24 published report"
PERIODS: Final[dict[str, tuple[str, str]]] = {
    "FY2023/24": ("2023-04-01", "2024-03-31"),
    "FY2023/24-H1": ("2023-04-01", "2023-09-30"),
    "FY2023/24-H2": ("2023-10-01", "2024-03-31"),
    "FY2023/24-Q1": ("2023-04-01", "2023-06-30"),
    "FY2023/24-Q3": ("2023-10-01", "2023-12-31"),
    "FY2023/24-Q4": ("2024-01-01", "2024-03-31"),
    "FY2024/25": ("2024-04-01", "2025-03-31"),
}
_RATE_WORDS: Final = ("share", "rate", "compliance", "reduction", "increase")


@dataclass(frozen=True)
class MeasureRow:
    """One row of ``measures.csv``."""

    measure: str
    period_start: str
    period_end: str
    value: float
    unit: str
    dimension: str = ""
    dimension_value: str = ""
    source_note: str = SOURCE_NOTE

    def cells(self) -> tuple[str, ...]:
        value = str(int(self.value)) if float(self.value).is_integer() else repr(float(self.value))
        return (
            self.measure,
            self.period_start,
            self.period_end,
            value,
            self.unit,
            self.dimension,
            self.dimension_value,
            self.source_note,
        )


def unit_of(name: str) -> str:
    """The unit a figure's name implies: gbp, kg, percent_change, rate or count."""
    if name.endswith("_gbp"):
        return "gbp"
    if name.endswith("_kg"):
        return "kg"
    if "change" in name:
        return "percent_change"
    if any(word in name for word in _RATE_WORDS):
        return "rate"
    return "count"


def _row(measure: str, period: str, value: Any, dimension: str = "", dim_value: str = "") -> MeasureRow:
    start, end = PERIODS[period]
    return MeasureRow(measure, start, end, float(value), unit_of(measure), dimension, dim_value)


def _flat(
    prefix: str, figures: Mapping[str, Any], period: str, dimension: str = "", dim_value: str = ""
) -> list[MeasureRow]:
    return [_row(f"{prefix}{k}", period, v, dimension, dim_value) for k, v in figures.items()]


def _nfib(prefix: str, figures: Mapping[str, Any], scope: str) -> list[MeasureRow]:
    rows: list[MeasureRow] = []
    for key, value in figures.items():
        if key.startswith("FY"):
            rows.extend(_flat(prefix, value, key, "scope", scope))
        else:
            rows.append(_row(f"{prefix}{key}", "FY2023/24", value, "scope", scope))
    return rows


def build_measures(figures: Mapping[str, Any]) -> tuple[MeasureRow, ...]:
    """Rows of ``measures.csv`` from the parsed reference figures."""
    rows: list[MeasureRow] = []
    rows += _flat("soc_", figures["serious_organised_crime_2023_24"], "FY2023/24")
    rows += _nfib("nfib_cyber_", figures["nfib_cyber_dependent"], "force")
    rows += _nfib("nfib_fraud_", figures["nfib_fraud_force"], "force")
    rows += _nfib("nfib_fraud_", figures["nfib_fraud_region"], "region")
    for period, values in figures["dvds"].items():
        rows += _flat("dvds_", values, period)
    rows += [_row(f"da_{k}", "FY2023/24", v, "da_risk", "standard") for k, v in figures["da_standard_risk"].items()]
    testing = figures["drug_testing_on_arrest_12m"]
    names = {
        "tests": "drug_tests_on_arrest",
        "positive": "drug_tests_positive",
        "da_tests": "drug_tests_da",
        "da_referrals": "drug_test_da_referrals",
        "capture_rate": "drug_test_capture_rate",
    }
    rows += [_row(names[k], "FY2023/24", v) for k, v in testing.items()]
    places = figures["places"]
    rows += _flat("op_dial_", places["op_dial_2023_24"], "FY2023/24")
    rows += _flat("op_dial_", places["op_dial_2024_25"], "FY2024/25")
    rows += _flat("op_grip_", places["op_grip_2023_24"], "FY2023/24")
    rows.append(_row("op_minerva_funding_gbp", "FY2023/24", places["op_minerva_funding_gbp"]))
    rows.append(_row("burglary_attendance_rate", "FY2023/24-Q4", figures["burglary_attendance_2024_q1"]))
    rows += [_row("hate_solved_rate", p, v) for p, v in figures["hate_solved_rate"].items()]
    return tuple(rows)
