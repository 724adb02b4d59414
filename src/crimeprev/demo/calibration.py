"""Calibration targets: the published figures the demo must reproduce, in the generator's terms.

Pure: takes the parsed reference YAML (``crimeprev/data/essex-2023-24.yaml``) and returns the
counts, pins and rates that the offence and incident plans honour. Where the published report
leaves a split open (home versus unconnected-building burglary in February 2023; hate crimes
versus hate incidents in each month), the split is made here, once, proportionally to the
published figures nearest to it, so that it is declared rather than implied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from crimeprev.demo.allocation import Pin, largest_remainder
from crimeprev.demo.months import CURRENT_FY, financial_year_months, month_index

# Months of the published rate windows (financial-year quarters of 2023/24).
Q3_2023_24: Final = ("2023-10", "2023-11", "2023-12")
Q4_2023_24: Final = ("2024-01", "2024-02", "2024-03")


@dataclass(frozen=True)
class RateTarget:
    """A published rate reproduced as the nearest whole count of its denominator."""

    months: tuple[int, ...]
    rate: float

    def count(self, denominator: int) -> int:
        return round(self.rate * denominator)


@dataclass(frozen=True)
class Targets:
    """Everything the generator calibrates to.

    ``rolling`` maps (strand, measure) to [previous year, current year] counts, as published.
    ``burglary_pins`` maps ``residential_home``, ``residential_unconnected`` and ``business`` to
    exact monthly counts. ``hate_*_pins`` fix hate crime and hate incident counts by quarter or
    month; ``hate_types_q1_2024`` gives the combined count by type for each of ``hate_type_months``.
    """

    rolling: Mapping[tuple[str, str], tuple[int, int]]
    burglary_pins: Mapping[str, tuple[Pin, ...]]
    hate_crime_pins: tuple[Pin, ...]
    hate_incident_pins: tuple[Pin, ...]
    hate_type_months: tuple[int, ...]
    hate_types_q1_2024: Mapping[str, tuple[int, ...]]
    hate_solved: tuple[RateTarget, ...]
    da_standard_solved: RateTarget
    da_standard_arrest: RateTarget
    burglary_attendance: RateTarget

    def pair(self, strand: str, measure: str) -> tuple[int, int]:
        return self.rolling[(strand, measure)]


def _month_pins(months: list[int], counts: list[int | None]) -> tuple[Pin, ...]:
    return tuple(Pin((m,), int(c)) for m, c in zip(months, counts, strict=True) if c is not None)


def _quarter(labels: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(month_index(label) for label in labels)


def build_targets(figures: Mapping[str, Any]) -> Targets:
    """Turn the parsed reference figures into the generator's targets."""
    rolling: dict[tuple[str, str], tuple[int, int]] = {}
    for strand, measures in figures["rolling_12_months"].items():
        for measure, pair in measures.items():
            rolling[(strand, measure)] = (int(pair[0]), int(pair[1]))

    grenadier = figures["op_grenadier"]
    g_months = [month_index(str(m)) for m in grenadier["months"]]
    home = list(grenadier["residential_home"])
    unconnected = list(grenadier["residential_unconnected"])
    residential = list(grenadier["residential_burglary"])
    # Months with only the residential total published are split home/unconnected in the
    # proportion of the months where the split is published.
    known = [i for i, h in enumerate(home) if h is not None]
    home_share = sum(home[i] for i in known) / sum(residential[i] for i in known)
    for i, (h, u) in enumerate(zip(home, unconnected, strict=True)):
        if h is None and u is None and residential[i] is not None:
            home[i] = round(residential[i] * home_share)
            unconnected[i] = residential[i] - home[i]
    burglary_pins = {
        "residential_home": _month_pins(g_months, home),
        "residential_unconnected": _month_pins(g_months, unconnected),
        "business": _month_pins(g_months, list(grenadier["business_burglary"])),
    }

    by_type = figures["hate_by_type_q1_2024"]
    type_months = tuple(month_index(str(m)) for m in by_type["months"])
    types = {k: tuple(int(v) for v in vals) for k, vals in by_type.items() if k != "months"}
    month_totals = [sum(vals[i] for vals in types.values()) for i in range(len(type_months))]
    quarters = figures["hate_quarter_totals"]
    q1_24 = quarters["2024-Q1"]
    if sum(month_totals) != q1_24["crimes"] + q1_24["incidents"]:
        raise ValueError("hate_by_type_q1_2024 does not add up to hate_quarter_totals 2024-Q1")
    crimes_by_month = largest_remainder(int(q1_24["crimes"]), month_totals)
    crime_share = q1_24["crimes"] / (q1_24["crimes"] + q1_24["incidents"])
    q4_total = int(quarters["2023-Q4"]["total"])
    q4_crimes = round(q4_total * crime_share)
    q1_23 = quarters["2023-Q1"]
    q1_23_months = _quarter(("2023-01", "2023-02", "2023-03"))
    oct_dec_23_months = _quarter(Q3_2023_24)
    hate_crime_pins = (
        Pin(q1_23_months, int(q1_23["crimes"])),
        Pin(oct_dec_23_months, q4_crimes),
        *(Pin((m,), c) for m, c in zip(type_months, crimes_by_month, strict=True)),
    )
    hate_incident_pins = (
        Pin(q1_23_months, int(q1_23["incidents"])),
        Pin(oct_dec_23_months, q4_total - q4_crimes),
        *(Pin((m,), total - c) for m, total, c in zip(type_months, month_totals, crimes_by_month, strict=True)),
    )

    solved = figures["hate_solved_rate"]
    da = figures["da_standard_risk"]
    current_fy = tuple(financial_year_months(CURRENT_FY))
    return Targets(
        rolling=rolling,
        burglary_pins=burglary_pins,
        hate_crime_pins=hate_crime_pins,
        hate_incident_pins=hate_incident_pins,
        hate_type_months=type_months,
        hate_types_q1_2024=types,
        hate_solved=(
            RateTarget(_quarter(Q3_2023_24), float(solved["FY2023/24-Q3"])),
            RateTarget(_quarter(Q4_2023_24), float(solved["FY2023/24-Q4"])),
        ),
        da_standard_solved=RateTarget(current_fy, float(da["solved_rate"])),
        da_standard_arrest=RateTarget(current_fy, float(da["arrest_rate"])),
        burglary_attendance=RateTarget(_quarter(Q4_2023_24), float(figures["burglary_attendance_2024_q1"])),
    )
