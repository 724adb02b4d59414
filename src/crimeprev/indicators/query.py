"""The aggregate queries behind every figure: the only place indicators touch the engine.

For one source table an evaluation runs a single scan that counts, per force and month, the
records of the source (to find missing months), the non-null values of every column the
indicators read (to find data the store does not record), and every indicator's own figure.
Breakdowns and measures are small further queries. Everything returned is plain Python data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from crimeprev.indicators.expressions import dimension_expr, filter_expr
from crimeprev.model.strategy import Filter, Measure

Monthly = dict[date, float]


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure to compute per month: the records of ``filter`` measured by ``measure``."""

    filter: Filter
    measure: Measure


@dataclass(frozen=True, slots=True)
class SourceFigures:
    """Monthly aggregates of one source for one force."""

    rows: Monthly = field(default_factory=dict)
    recorded: dict[str, Monthly] = field(default_factory=dict)
    values: dict[str, Monthly] = field(default_factory=dict)
    bases: dict[str, Monthly] = field(default_factory=dict)


def _to_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def window_filter(table: ir.Table, force: str | None, first: date, last: date) -> ir.Table:
    """Records of ``force`` (all forces when None) recorded from ``first`` to ``last``."""
    selected = table.filter(table.recorded_month.between(ibis.literal(first), ibis.literal(last)))
    return selected if force is None else selected.filter(selected.force == force)


def monthly_expr(
    table: ir.Table, force: str | None, first: date, last: date, metrics: Mapping[str, Metric], columns: set[str]
) -> ir.Table:
    """The single aggregate query over a source: see the module docstring."""
    t = window_filter(table, force, first, last)
    aggregates: dict[str, ir.Value] = {"__rows": t.count()}
    for column in sorted(columns):
        aggregates[f"__has_{column}"] = t[column].count()
    for name, metric in metrics.items():
        selected = filter_expr(t, metric.filter)
        kind = metric.measure.kind
        if kind == "distinct":
            assert metric.measure.column is not None
            aggregates[name] = t[metric.measure.column].nunique(where=selected)
        elif kind == "rate":
            assert metric.measure.numerator is not None
            aggregates[name] = t.count(where=selected & filter_expr(t, metric.measure.numerator))
            aggregates[f"__base_{name}"] = t.count(where=selected)
        else:
            aggregates[name] = t.count(where=selected)
    return t.group_by(["force", "recorded_month"]).aggregate(**aggregates)


def source_figures(
    backend: ibis.BaseBackend,
    table: str,
    force: str | None,
    first: date,
    last: date,
    metrics: Mapping[str, Metric],
    columns: set[str],
) -> dict[str, SourceFigures]:
    """Run :func:`monthly_expr` and return its figures per force."""
    expr = monthly_expr(backend.table(table), force, first, last, metrics, columns)
    out: dict[str, SourceFigures] = defaultdict(SourceFigures)
    for row in backend.to_pyarrow(expr).to_pylist():
        month = _to_date(row["recorded_month"])
        figures = out[row["force"]]
        figures.rows[month] = row["__rows"]
        for column in columns:
            figures.recorded.setdefault(column, {})[month] = row[f"__has_{column}"]
        for name in metrics:
            figures.values.setdefault(name, {})[month] = float(row[name] or 0)
            if f"__base_{name}" in row:
                figures.bases.setdefault(name, {})[month] = float(row[f"__base_{name}"] or 0)
    return dict(out)


def breakdown_expr(
    table: ir.Table, force: str | None, first: date, last: date, metric: Metric, dimension: str
) -> ir.Table:
    """Monthly figures of one metric broken down by ``dimension``."""
    t = window_filter(table, force, first, last)
    t = t.filter(filter_expr(t, metric.filter)).mutate(__value=dimension_expr(t, dimension))
    if metric.measure.kind == "rate":
        assert metric.measure.numerator is not None
        aggregates = {
            "n": t.count(where=filter_expr(t, metric.measure.numerator)),
            "base": t.count(),
        }
    elif metric.measure.kind == "distinct":
        assert metric.measure.column is not None
        aggregates = {"n": t[metric.measure.column].nunique(), "base": t.count()}
    else:
        aggregates = {"n": t.count(), "base": t.count()}
    return t.group_by(["recorded_month", "__value"]).aggregate(**aggregates)


def breakdown_figures(
    backend: ibis.BaseBackend, table: str, force: str | None, first: date, last: date, metric: Metric, dimension: str
) -> tuple[dict[str, Monthly], dict[str, Monthly]]:
    """(values, bases): value of the dimension → month → figure; NULL dimension values read "Not recorded"."""
    expr = breakdown_expr(backend.table(table), force, first, last, metric, dimension)
    values: dict[str, Monthly] = defaultdict(dict)
    bases: dict[str, Monthly] = defaultdict(dict)
    for row in backend.to_pyarrow(expr).to_pylist():
        key = row["__value"] if row["__value"] is not None else "Not recorded"
        month = _to_date(row["recorded_month"])
        values[key][month] = float(row["n"])
        bases[key][month] = float(row["base"])
    return dict(values), dict(bases)


@dataclass(frozen=True, slots=True)
class Period:
    """One published aggregate figure."""

    start: date
    end: date
    value: float
    unit: str
    note: str | None


def measure_periods(backend: ibis.BaseBackend, spec: Filter, up_to: date) -> list[Period]:
    """The periods of a measure that end on or before ``up_to``, oldest first."""
    t = backend.table("measures")
    selected = t.filter(filter_expr(t, spec) & (t.period_end <= ibis.literal(up_to)))
    selected = selected.order_by(["period_end", "period_start"])
    return [
        Period(_to_date(r["period_start"]), _to_date(r["period_end"]), float(r["value"]), r["unit"], r["source_note"])
        for r in backend.to_pyarrow(selected).to_pylist()
    ]


def distinct_values(backend: ibis.BaseBackend, table: str, column: str, force: str | None) -> set[str]:
    """The non-null values of ``column`` in ``table`` (of ``force``'s records when given)."""
    t = backend.table(table)
    if force is not None:
        t = t.filter(t.force == force)
    expr = t.select(value=t[column]).filter(lambda r: r.value.notnull()).distinct()
    return {str(row["value"]) for row in backend.to_pyarrow(expr).to_pylist()}


def daily_counts(
    backend: ibis.BaseBackend, table: str, force: str | None, first: date, last: date, spec: Filter
) -> dict[date, float]:
    """Records ``spec`` selects per recorded day (``recorded_on``) from ``first`` to ``last``.

    Days with no record are absent. Records without a recorded day (sources that give only the
    month) cannot be counted by day and are left out.
    """
    t = backend.table(table)
    t = t.filter(t.recorded_on.between(ibis.literal(first), ibis.literal(last)))
    if force is not None:
        t = t.filter(t.force == force)
    t = t.filter(filter_expr(t, spec))
    expr = t.group_by("recorded_on").aggregate(n=t.count())
    return {_to_date(r["recorded_on"]): float(r["n"]) for r in backend.to_pyarrow(expr).to_pylist()}


def first_recorded_day(backend: ibis.BaseBackend, table: str, force: str | None) -> date | None:
    """The earliest ``recorded_on`` of ``force``'s records in ``table`` (None when there is none)."""
    t = backend.table(table)
    if force is not None:
        t = t.filter(t.force == force)
    value = backend.to_pyarrow(t.recorded_on.min()).as_py()
    return None if value is None else _to_date(value)
