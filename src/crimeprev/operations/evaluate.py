"""Evaluating an operation three ways.

1. The table forces publish: the operation month against the month before and the same month a
   year before, with sub-rows (e.g. home and unconnected-building burglary). Easy to read, but a
   month-on-month fall is expected in many months anyway.
2. A seasonal counterfactual (:func:`crimeprev.stats.counterfactual.estimate_counterfactual`):
   the count the operation month would have had from the trend and month-of-year pattern of the
   months before it, with a 95% interval, and crimes prevented = expected - observed.
3. The weighted displacement difference test (Wheeler and Ratcliffe, 2018) when the operation
   names its area, a control area and a buffer.
4. For an operation of a month or less, its own days against the same weekdays of the weeks
   before, adjusted for the season (:mod:`crimeprev.stats.operation_days`): a week is a quarter of
   its month, and judged on the month its effect is diluted.

An operation that names an area is evaluated on the records of that area only: every count, the
counterfactual and the sub-rows are the area's, not the force's. District names are checked
against the districts the store holds, so a misspelt area is an error rather than a silent zero.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis

from crimeprev.indicators.insights import RECORD_SOURCES, indicator_series
from crimeprev.indicators.query import Metric, breakdown_figures, daily_counts, first_recorded_day
from crimeprev.indicators.records import indicator_parts
from crimeprev.model.change import Change, compute_change
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import add_months, month_label
from crimeprev.model.strategy import Indicator, Strand, Strategy
from crimeprev.operations.areas import AreaCounts, Places, area_counts, resolve_places
from crimeprev.operations.ledger import Operation
from crimeprev.stats.counterfactual import Counterfactual, estimate_counterfactual
from crimeprev.stats.displacement import DisplacementTest, weighted_displacement_difference
from crimeprev.stats.operation_days import BASELINE_WINDOWS, YEAR, DaysComparison, compare_operation_days

HISTORY_MONTHS = 36


@dataclass(frozen=True, slots=True)
class OperationRow:
    label: str
    counts: tuple[float | None, float | None, float | None]  # year before, month before, operation month
    vs_previous_month: Change | None
    vs_year_before: Change | None
    sub_row: bool = False


@dataclass(frozen=True, slots=True)
class IndicatorEvaluation:
    indicator: Indicator
    rows: tuple[OperationRow, ...]
    counterfactual: Counterfactual | None
    counterfactual_note: str | None
    days: DaysComparison | None = None
    days_note: str | None = None


@dataclass(frozen=True, slots=True)
class OperationEvaluation:
    operation: Operation
    months: tuple[date, date, date]  # year before, month before, operation month
    indicators: tuple[IndicatorEvaluation, ...]
    displacement: DisplacementTest | None
    displacement_note: str | None
    places: Places | None = None  # the named area, control and buffer, resolved (None: force-wide)

    @property
    def month_labels(self) -> tuple[str, str, str]:
        a, b, c = (month_label(m) for m in self.months)
        return a, b, c


def _row(label: str, counts: tuple[float | None, float | None, float | None], sub: bool = False) -> OperationRow:
    year, previous, now = counts
    return OperationRow(
        label,
        counts,
        compute_change(previous, now) if previous is not None and now is not None else None,
        compute_change(year, now) if year is not None and now is not None else None,
        sub,
    )


def _restricted(strand: Strand, indicator_id: str, districts: list[str]) -> tuple[Strand, Indicator]:
    """The strand with every record-based indicator limited to ``districts`` (all of it when empty).

    The whole strand is restricted, not only the indicator, so that a combined indicator's parts
    are restricted too.
    """
    if not districts:
        return strand, next(i for i in strand.indicators if i.id == indicator_id)
    indicators = []
    for indicator in strand.indicators:
        if indicator.source in RECORD_SOURCES:
            restricted_filter = indicator.filter.model_copy(update={"districts": districts})
            indicator = indicator.model_copy(update={"filter": restricted_filter})
        indicators.append(indicator)
    view = strand.model_copy(update={"indicators": indicators})
    chosen = next(i for i in view.indicators if i.id == indicator_id)
    if chosen.source not in (*RECORD_SOURCES, "combined"):
        raise ConfigError(
            f"indicator {indicator_id} comes from aggregate figures ({chosen.source}), which have no district; "
            "evaluate it force-wide (no --area) or choose a record-based indicator"
        )
    return view, chosen


def check_areas(backend: ibis.BaseBackend, strategy: Strategy, operation: Operation) -> Places:
    """The operation's area, control and buffer resolved to districts and zones (unknown names refused)."""
    try:
        return resolve_places(backend, strategy, operation.area, operation.control, operation.buffer)
    except ConfigError as e:
        raise ConfigError(f"operation {operation.name}: {e}") from None


def evaluate_operation(
    backend: ibis.BaseBackend, strategy: Strategy, operation: Operation, *, with_days: bool = True
) -> OperationEvaluation:
    """Every evaluation of ``operation`` from the store.

    ``with_days=False`` leaves out the comparison of the operation's own days (for callers that
    show only the months).
    """
    month = operation.month
    months = (add_months(month, -12), add_months(month, -1), month)
    first = add_months(month, -(HISTORY_MONTHS - 1))
    places = check_areas(backend, strategy, operation)
    if places.has_zones or operation.buffer_m:
        return _evaluate_in_zones(backend, strategy, operation, places, months, with_days=with_days)
    evaluations = []
    for indicator_id in operation.indicators:
        declared_strand, _ = strategy.find(f"{operation.strand}/{indicator_id}")
        strand, indicator = _restricted(declared_strand, indicator_id, operation.area)
        series = dict(indicator_series(backend, strategy, strand, indicator, first, month))
        rows = [_row(indicator.title, (series.get(months[0]), series.get(months[1]), series.get(months[2])))]
        if operation.breakdown and indicator.source in ("offences", "incidents"):
            metric = Metric(indicator.filter, indicator.measure)
            values, _ = breakdown_figures(
                backend, indicator.source, strategy.force, months[0], month, metric, operation.breakdown
            )
            keys = [k for k in operation.labels if k in values] or sorted(values)
            for key in keys if len(keys) > 1 else []:  # one sub-row would only repeat the row
                monthly = values.get(key, {})
                label = operation.labels.get(key, key)
                rows.append(_row(label, (monthly.get(months[0], 0.0), monthly.get(months[1], 0.0),
                                         monthly.get(months[2], 0.0)), sub=True))  # fmt: skip
        counterfactual, note = _counterfactual(operation, indicator_id, series, month)
        days, days_note = _days(backend, strategy, strand, indicator, operation) if with_days else (None, None)
        evaluations.append(IndicatorEvaluation(indicator, tuple(rows), counterfactual, note, days, days_note))
    displacement, displacement_note = _displacement(backend, strategy, operation, months)
    named = None if places.area.empty and places.control.empty and places.buffer.empty else places
    return OperationEvaluation(operation, months, tuple(evaluations), displacement, displacement_note, named)


def _evaluate_in_zones(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    operation: Operation,
    places: Places,
    months: tuple[date, date, date],
    *,
    with_days: bool,
) -> OperationEvaluation:
    """The same evaluation when the operation names zones: its records counted inside them by place.

    Sub-rows by a breakdown are not drawn for zones (the table is the area's own row).
    """
    month = months[2]
    first = add_months(month, -(HISTORY_MONTHS - 1))
    if operation.buffer_m and not places.area.zones:
        raise ConfigError(f"operation {operation.name}: a buffer in metres needs zones in its area to measure from")
    evaluations = []
    displacement: DisplacementTest | None = None
    displacement_note: str | None = "no displacement test: the operation names no area and control area"
    for n, indicator_id in enumerate(operation.indicators):
        strand, indicator = strategy.find(f"{operation.strand}/{indicator_id}")
        counts = area_counts(backend, strategy, strand, indicator, first, month)
        inside = counts.inside(places.area)
        series = counts.monthly(inside)
        counts_row = (series.get(months[0], 0.0), series.get(months[1], 0.0), series.get(month, 0.0))
        counterfactual, note = _counterfactual(operation, indicator_id, dict(series), month)
        days, days_note = None, None
        if with_days and (operation.ends_on - operation.starts_on).days < 31:
            try:
                days = compare_operation_days(
                    counts.daily(inside), operation.starts_on, operation.ends_on, covered_from=first
                )
            except ValueError as e:
                days_note = f"not judged on its days: {e}"
        rows = (_row(indicator.title, counts_row),)
        evaluations.append(IndicatorEvaluation(indicator, rows, counterfactual, note, days, days_note))
        if n == 0 and not places.area.empty and not places.control.empty:
            displacement, displacement_note = _zone_displacement(counts, places, operation, months), None
    return OperationEvaluation(operation, months, tuple(evaluations), displacement, displacement_note, places)


def _zone_displacement(
    counts: AreaCounts, places: Places, operation: Operation, months: tuple[date, date, date]
) -> DisplacementTest:
    """The weighted displacement difference with areas counted by place."""

    def before_after(mask: Any) -> tuple[float, float]:
        monthly = counts.monthly(mask)
        return monthly.get(months[1], 0.0), monthly.get(months[2], 0.0)

    treated, control = before_after(counts.inside(places.area)), before_after(counts.inside(places.control))
    if operation.buffer_m:
        buffer = before_after(counts.ring(places.area, operation.buffer_m))
    elif not places.buffer.empty:
        buffer = before_after(counts.inside(places.buffer))
    else:
        return weighted_displacement_difference(treated, control)
    return weighted_displacement_difference(treated, control, buffer, control)


def _days(
    backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, operation: Operation
) -> tuple[DaysComparison | None, str | None]:
    """The operation's days against the same weekdays before (operations of a month or less)."""
    first, last = operation.starts_on, operation.ends_on
    if (last - first).days + 1 > 31:
        return None, None
    parts = indicator_parts(strand, indicator)
    if any(p.source not in RECORD_SOURCES or p.measure.kind != "count" for p in parts):
        return None, "not judged on its days: the indicator is not a count of records"
    span = timedelta(days=7 * -(-((last - first).days + 1) // 7) * (BASELINE_WINDOWS + 1))
    start = first - span - YEAR
    daily: dict[date, float] = {}
    covered: list[date] = []
    for part in parts:
        earliest = first_recorded_day(backend, part.source, strategy.force)
        if earliest is None:
            return None, "not judged on its days: the records have no recorded date"
        covered.append(earliest)
        for day, n in daily_counts(backend, part.source, strategy.force, start, last, part.filter).items():
            daily[day] = daily.get(day, 0.0) + n
    try:
        return compare_operation_days(daily, first, last, covered_from=max(covered)), None
    except ValueError as e:
        return None, f"not judged on its days: {e}"


def _counterfactual(
    operation: Operation, indicator_id: str, series: dict[date, float | None], month: date
) -> tuple[Counterfactual | None, str | None]:
    before = [(m, v) for m, v in sorted(series.items()) if m < month]
    observed = series.get(month)
    if observed is None:
        return None, "the operation month is not complete in the store"
    seed = zlib.crc32(f"{operation.id}/{indicator_id}".encode())  # reproducible, per operation and indicator
    try:
        return estimate_counterfactual(before, [(month, observed)], seed=seed), None
    except ValueError as e:
        return None, f"no seasonal counterfactual: {e}"


def _displacement(
    backend: ibis.BaseBackend, strategy: Strategy, operation: Operation, months: tuple[date, date, date]
) -> tuple[DisplacementTest | None, str | None]:
    if not operation.area or not operation.control:
        return None, "no displacement test: the operation names no area and control area"
    declared_strand, _ = strategy.find(f"{operation.strand}/{operation.indicators[0]}")

    def before_after(districts: list[str]) -> tuple[float, float]:
        strand, restricted = _restricted(declared_strand, operation.indicators[0], districts)
        series = dict(indicator_series(backend, strategy, strand, restricted, months[1], months[2]))
        return float(series.get(months[1]) or 0.0), float(series.get(months[2]) or 0.0)

    treated, control = before_after(operation.area), before_after(operation.control)
    if operation.buffer:
        return weighted_displacement_difference(treated, control, before_after(operation.buffer), control), None
    return weighted_displacement_difference(treated, control), None
