"""Evaluating a whole strategy at an ``as_of`` month: every indicator's comparisons, monthly
series, breakdowns and aggregate periods.

One aggregate query per source table serves every indicator on it; breakdowns and measures add
small queries. The results are frozen dataclasses that the CLI, the report and the dashboard
read; nothing downstream recomputes a figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import ibis

from crimeprev.indicators.compare import (
    NOT_AVAILABLE,
    OK,
    Comparison,
    Coverage,
    compare_windows,
    judge_comparisons,
    monthly_series,
)
from crimeprev.indicators.query import (
    Metric,
    Monthly,
    Period,
    SourceFigures,
    breakdown_figures,
    measure_periods,
    source_figures,
)
from crimeprev.model.change import compute_change
from crimeprev.model.periods import add_months
from crimeprev.model.strategy import Indicator, Strand, Strategy
from crimeprev.model.windows import Window, WindowPair, comparison_windows, series_window

SERIES_MONTHS = 24
RECORD_SOURCES = ("offences", "incidents")


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    value: str
    comparison: Comparison
    monthly: tuple[tuple[date, float | None], ...]


@dataclass(frozen=True, slots=True)
class Breakdown:
    """An indicator broken down by one dimension, over the indicator's first comparison."""

    dimension: str
    rows: tuple[BreakdownRow, ...]
    total: Comparison


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """Everything crimeprev shows of one indicator at one ``as_of``."""

    strand: Strand
    indicator: Indicator
    as_of: date
    comparisons: tuple[Comparison, ...]
    series: tuple[tuple[date, float | None], ...]
    breakdowns: tuple[Breakdown, ...]
    periods: tuple[Period, ...]

    @property
    def ref(self) -> str:
        return f"{self.strand.id}/{self.indicator.id}"

    @property
    def headline(self) -> Comparison:
        """The indicator's first declared comparison."""
        return self.comparisons[0]


def metric_key(strand: Strand, indicator: Indicator) -> str:
    """A column-safe name for an indicator's aggregate (ids repeat across strands)."""
    return f"m__{strand.id}__{indicator.id}".replace("-", "_")


def span_start(as_of: date) -> date:
    """The first month any comparison or series ending at ``as_of`` needs."""
    return add_months(as_of, -(SERIES_MONTHS - 1))


def evaluate_strategy(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    as_of: date,
    *,
    strand: str | None = None,
    breakdowns: bool = True,
    datasets: Mapping[str, Sequence[str]] | None = None,
) -> list[IndicatorResult]:
    """Evaluate every indicator (of one ``strand`` if given) for the strategy's force at ``as_of``."""
    strands = _strands(strategy, strand)
    figures = _fetch_figures(backend, strands, as_of, strategy.force).get(strategy.force, {})
    results: list[IndicatorResult] = []
    for s in strands:
        for indicator in s.indicators:
            if indicator.source == "measures":
                results.append(_measure_result(backend, s, indicator, as_of))
                continue
            results.append(_record_result(backend, strategy, s, indicator, as_of, figures, breakdowns, datasets or {}))
    return judge_results(results)


def evaluate_forces(backend: ibis.BaseBackend, strategy: Strategy, as_of: date) -> dict[str, list[IndicatorResult]]:
    """Every record-based indicator for every force in the store, from one scan per source.

    For national or regional analysis: the strategy's definitions applied to each force alike
    (without breakdowns or aggregate measures, which are force-specific).
    """
    strands = _strands(strategy, None)
    by_force = _fetch_figures(backend, strands, as_of, None)
    indicators = [(s, i) for s in strands for i in s.indicators if i.source != "measures"]
    forces = sorted(by_force)
    results = judge_results(
        [
            _record_result(backend, strategy, s, indicator, as_of, by_force[force], False, {})
            for force in forces
            for s, indicator in indicators
        ]
    )
    return {force: results[k * len(indicators) : (k + 1) * len(indicators)] for k, force in enumerate(forces)}


def judge_results(results: Sequence[IndicatorResult]) -> list[IndicatorResult]:
    """``results`` with a verdict on every change they show (comparisons, breakdown rows and totals).

    All the changes are judged in one batch, so the significance tests run over arrays rather
    than once per comparison.
    """
    asked: list[Comparison] = []
    for r in results:
        asked.extend(r.comparisons)
        for b in r.breakdowns:
            asked.extend(row.comparison for row in b.rows)
            asked.append(b.total)
    answers = iter(judge_comparisons(asked))
    judged: list[IndicatorResult] = []
    for r in results:
        comparisons = tuple(next(answers) for _ in r.comparisons)
        breakdowns = []
        for b in r.breakdowns:
            rows = tuple(replace(row, comparison=next(answers)) for row in b.rows)
            breakdowns.append(replace(b, rows=rows, total=next(answers)))
        judged.append(replace(r, comparisons=comparisons, breakdowns=tuple(breakdowns)))
    return judged


def _strands(strategy: Strategy, strand: str | None) -> list[Strand]:
    strands = [s for s in strategy.strands() if strand is None or s.id == strand]
    if strand is not None and not strands:
        raise KeyError(f"no strand {strand!r} in strategy {strategy.id}")
    return strands


def indicator_series(
    backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, first: date, last: date
) -> list[tuple[date, float | None]]:
    """An indicator's monthly figures from ``first`` to ``last`` (None where a month is incomplete).

    For charts over longer spans than the report's 24 months, such as an SPC chart's baseline.
    """
    figures = _fetch_figures(backend, [strand], last, strategy.force, first=first).get(strategy.force, {})
    values, bases, coverage = _combined(strand, indicator, figures, {})
    return monthly_series(values, Window(first, last, ""), coverage, bases)


def _combined(
    strand: Strand, indicator: Indicator, figures: Mapping[str, SourceFigures], datasets: Mapping[str, Sequence[str]]
) -> tuple[Monthly, Monthly | None, Coverage]:
    """An indicator's monthly values, rate bases and coverage (summed over its parts when combined)."""
    parts = indicator.measure.indicators if indicator.source == "combined" else [indicator.id]
    by_id = {i.id: i for i in strand.indicators}
    values: dict[date, float] = {}
    bases: Monthly | None = None
    coverage: Coverage | None = None
    for part_id in parts:
        part = by_id[part_id]
        found = figures.get(part.source, SourceFigures())
        key = metric_key(strand, part)
        for month, value in found.values.get(key, {}).items():
            values[month] = values.get(month, 0.0) + value
        bases = found.bases.get(key, bases)
        part_coverage = _coverage(part.source, found, part, datasets.get(part.source, ()))
        coverage = part_coverage if coverage is None else coverage.merge(part_coverage)
    assert coverage is not None
    return values, bases, coverage


def _fetch_figures(
    backend: ibis.BaseBackend,
    strands: Sequence[Strand],
    as_of: date,
    force: str | None,
    *,
    first: date | None = None,
) -> dict[str, dict[str, SourceFigures]]:
    """force → source → monthly figures of every record-based indicator of ``strands``."""
    out: dict[str, dict[str, SourceFigures]] = {}
    for source in RECORD_SOURCES:
        metrics = {
            metric_key(s, i): Metric(i.filter, i.measure) for s in strands for i in s.indicators if i.source == source
        }
        if not metrics:
            continue
        columns = set().union(*(_columns(m) for m in metrics.values()))
        found = source_figures(backend, source, force, first or span_start(as_of), as_of, metrics, columns)
        for name, figures in found.items():
            out.setdefault(name, {})[source] = figures
    return out


def _columns(metric: Metric) -> set[str]:
    columns = metric.filter.columns()
    if metric.measure.numerator is not None:
        columns |= metric.measure.numerator.columns()
    return columns


def _coverage(source: str, figures: SourceFigures, indicator: Indicator, datasets: Sequence[str]) -> Coverage:
    columns = frozenset(_columns(Metric(indicator.filter, indicator.measure)))
    return Coverage(source, figures.rows, figures.recorded, columns, tuple(datasets))


def _record_result(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    strand: Strand,
    indicator: Indicator,
    as_of: date,
    figures: Mapping[str, SourceFigures],
    with_breakdowns: bool,
    datasets: Mapping[str, Sequence[str]],
) -> IndicatorResult:
    values, bases, coverage = _combined(strand, indicator, figures, datasets)
    pairs = [comparison_windows(kind, as_of) for kind in indicator.comparisons]
    comparisons = tuple(compare_windows(pair, values, coverage, bases, direction=indicator.good) for pair in pairs)
    series = tuple(monthly_series(values, series_window(as_of, SERIES_MONTHS), coverage, bases))
    breakdown_results: tuple[Breakdown, ...] = ()
    if with_breakdowns and indicator.breakdowns:
        breakdown_results = tuple(
            _breakdown(backend, strategy, strand, indicator, dimension, pairs[0], as_of, coverage)
            for dimension in indicator.breakdowns
        )
    return IndicatorResult(strand, indicator, as_of, comparisons, series, breakdown_results, ())


def _breakdown(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    strand: Strand,
    indicator: Indicator,
    dimension: str,
    pair: WindowPair,
    as_of: date,
    coverage: Coverage,
) -> Breakdown:
    parts = indicator.measure.indicators if indicator.source == "combined" else [indicator.id]
    by_id = {i.id: i for i in strand.indicators}
    values: dict[str, dict[date, float]] = {}
    bases: dict[str, dict[date, float]] = {}
    for part_id in parts:
        part = by_id[part_id]
        part_values, part_bases = breakdown_figures(
            backend, part.source, strategy.force, span_start(as_of), as_of, Metric(part.filter, part.measure), dimension
        )
        for target, found in ((values, part_values), (bases, part_bases)):
            for key, monthly in found.items():
                into = target.setdefault(key, {})
                for month, value in monthly.items():
                    into[month] = into.get(month, 0.0) + value
    is_rate = indicator.measure.kind == "rate"
    rows = tuple(
        BreakdownRow(
            key,
            compare_windows(pair, values[key], coverage, bases[key] if is_rate else None),
            tuple(monthly_series(values[key], series_window(as_of, SERIES_MONTHS), coverage)),
        )
        for key in sorted(values, key=lambda k: (-sum(values[k].values()), k))
    )
    total_values: dict[date, float] = {}
    total_bases: dict[date, float] = {}
    for key in values:
        for month, value in values[key].items():
            total_values[month] = total_values.get(month, 0.0) + value
        for month, value in bases[key].items():
            total_bases[month] = total_bases.get(month, 0.0) + value
    total = compare_windows(pair, total_values, coverage, total_bases if is_rate else None)
    return Breakdown(dimension, rows, total)


def _measure_result(backend: ibis.BaseBackend, strand: Strand, indicator: Indicator, as_of: date) -> IndicatorResult:
    up_to = add_months(as_of, 1).replace(day=1)
    periods = [p for p in measure_periods(backend, indicator.filter, up_to) if p.end < up_to]
    if not periods:
        comparison = Comparison(
            "periods", "", "", None, None, None, NOT_AVAILABLE, "no figures supplied for this measure"
        )
    else:
        current = periods[-1]
        earlier = [p for p in periods[:-1] if p.end < current.start]
        previous = earlier[-1] if earlier else None
        change = compute_change(previous.value, current.value) if previous else None
        comparison = Comparison(
            "periods",
            _period_label(previous.start, previous.end) if previous else "",
            _period_label(current.start, current.end),
            previous.value if previous else None,
            current.value,
            change,
            OK,
            None if previous else "one period supplied: nothing to compare it with",
        )
    return IndicatorResult(strand, indicator, as_of, (comparison,), (), (), tuple(periods))


def _period_label(start: date, end: date) -> str:
    """``Apr 2023 to Mar 2024`` (a supplied figure's period, whole months as readers write them)."""
    return f"{start:%b %Y} to {end:%b %Y}" if (start.year, start.month) != (end.year, end.month) else f"{end:%b %Y}"
