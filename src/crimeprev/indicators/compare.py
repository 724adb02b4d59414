"""From monthly figures to window totals, changes and honest gaps (pure computation).

A window's figure is shown only when the window is complete: every month has records in the
source, and every column the definition reads is recorded. Otherwise the figure is withheld
with the reason, because a partial total printed as if complete is worse than no figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from crimeprev.model.change import Change, compute_change
from crimeprev.model.periods import month_label
from crimeprev.model.windows import Window, WindowPair
from crimeprev.stats.verdict import ChangeQuestion, ChangeVerdict, judge_changes

Monthly = Mapping[date, float]

OK = "ok"
NOT_AVAILABLE = "not available"
INCOMPLETE = "incomplete window"


@dataclass(frozen=True, slots=True)
class Gap:
    """Why a window's figure cannot be shown."""

    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the store holds for one source: records per month and recorded columns per month."""

    source: str
    rows: Monthly
    recorded: Mapping[str, Monthly]
    columns: frozenset[str]
    datasets: tuple[str, ...] = ()

    def merge(self, other: Coverage) -> Coverage:
        """Coverage of a figure that needs both sources (a combined indicator)."""
        months = set(self.rows) & set(other.rows)
        return Coverage(
            source=f"{self.source} and {other.source}",
            rows={m: min(self.rows[m], other.rows[m]) for m in months},
            recorded={**self.recorded, **other.recorded},
            columns=self.columns | other.columns,
            datasets=tuple(sorted(set(self.datasets) | set(other.datasets))),
        )


def _months_text(months: Iterable[date]) -> str:
    return ", ".join(month_label(m) for m in months)


def window_gap(window: Window, coverage: Coverage) -> Gap | None:
    """The reason ``window`` cannot be shown from ``coverage``, or None when it is complete."""
    months = window.months()
    present = [m for m in months if coverage.rows.get(m)]
    never = sorted(
        c for c in coverage.columns if present and not any(coverage.recorded.get(c, {}).get(m) for m in present)
    )
    if never:
        held = f" (datasets: {', '.join(coverage.datasets)})" if coverage.datasets else ""
        return Gap(NOT_AVAILABLE, f"the store's {coverage.source} do not record {', '.join(never)}{held}")
    missing = [m for m in months if not coverage.rows.get(m)]
    if missing:
        return Gap(INCOMPLETE, f"no {coverage.source} records for {_months_text(missing)}")
    for column in sorted(coverage.columns):
        unrecorded = [m for m in months if not coverage.recorded.get(column, {}).get(m)]
        if unrecorded:
            return Gap(INCOMPLETE, f"{column} is not recorded for {_months_text(unrecorded)}")
    return None


def window_total(values: Monthly, window: Window, bases: Monthly | None = None) -> float | None:
    """The window's figure: the sum of its months, or for a rate the share of the summed bases."""
    total = sum(values.get(m, 0.0) for m in window.months())
    if bases is None:
        return total
    base = sum(bases.get(m, 0.0) for m in window.months())
    return total / base if base else None


@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison of an indicator: previous and current windows and the change."""

    kind: str
    previous_label: str
    current_label: str
    previous: float | None
    current: float | None
    change: Change | None
    status: str
    reason: str | None
    verdict: ChangeVerdict | None = None  # counts only: is the change signal or noise?
    question: ChangeQuestion | None = field(default=None, compare=False, repr=False)  # what the verdict judges

    @property
    def diff(self) -> float | None:
        return None if self.change is None else self.change.diff

    @property
    def pct_diff(self) -> float | None:
        return None if self.change is None else self.change.pct


def compare_windows(
    pair: WindowPair, values: Monthly, coverage: Coverage, bases: Monthly | None = None, *, direction: str = "neither"
) -> Comparison:
    """Compare the two windows of ``pair``; withhold any window that is not complete.

    A change between two complete windows of counts carries the question its verdict answers
    (the totals, the windows' months and the good direction); :func:`judge_comparisons` answers
    the questions of many comparisons at once, because the tests run at array speed.
    """
    gaps = {name: window_gap(w, coverage) for name, w in (("previous", pair.previous), ("current", pair.current))}
    previous = None if gaps["previous"] else window_total(values, pair.previous, bases)
    current = None if gaps["current"] else window_total(values, pair.current, bases)
    change = compute_change(previous, current) if previous is not None and current is not None else None
    gap = gaps["current"] or gaps["previous"]
    status = gap.status if gap else OK
    reason = gap.reason if gap else None
    if gap is None and change is None:
        status, reason = NOT_AVAILABLE, "no base to compute a rate from"
    question = None
    if change is not None and bases is None and previous is not None and current is not None:
        question = ChangeQuestion(
            previous,
            current,
            previous_months=[values.get(m, 0.0) for m in pair.previous.months()],
            current_months=[values.get(m, 0.0) for m in pair.current.months()],
            direction=direction if direction in ("down", "up") else "neither",  # type: ignore[arg-type]
        )
    return Comparison(
        pair.kind, pair.previous.label, pair.current.label, previous, current, change, status, reason, None, question
    )


def judge_comparisons(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """The comparisons with their verdicts: every question asked by :func:`compare_windows`, judged at once."""
    asked = [i for i, c in enumerate(comparisons) if c.question is not None and c.verdict is None]
    verdicts = judge_changes([comparisons[i].question for i in asked])  # type: ignore[misc]
    judged = list(comparisons)
    for i, verdict in zip(asked, verdicts, strict=True):
        judged[i] = replace(judged[i], verdict=verdict)
    return judged


def monthly_series(
    values: Monthly, window: Window, coverage: Coverage, bases: Monthly | None = None
) -> list[tuple[date, float | None]]:
    """The figure for each month of ``window``; None for a month that is missing or unrecorded.

    The same rule as :func:`window_gap` applied to one month, written out because a strategy has
    many indicators and forces times 24 months of them.
    """
    out: list[tuple[date, float | None]] = []
    for month in window.months():
        complete = bool(coverage.rows.get(month)) and all(
            coverage.recorded.get(c, {}).get(month) for c in coverage.columns
        )
        if not complete:
            out.append((month, None))
        elif bases is None:
            out.append((month, values.get(month, 0.0)))
        else:
            base = bases.get(month, 0.0)
            out.append((month, values.get(month, 0.0) / base if base else None))
    return out
