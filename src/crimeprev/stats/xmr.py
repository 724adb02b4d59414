"""XmR (individuals and moving range) charts, read the NHS England "Making Data Count" way.

An XmR chart separates *common cause* variation (the month-to-month noise of a stable process)
from *special cause* variation (a signal that the process has changed). The centre line is the
mean of a baseline period; the natural process limits are that mean ± 2.66 times the average
moving range of the baseline, where a moving range is the absolute difference between a month
and the month before it. 2.66 is 3 / d₂ with d₂ = 1.128, the bias constant for ranges of two,
so the limits sit about three short-term standard deviations from the mean.

Four rules mark special cause, each a small function registered in :data:`RULES` (in order of
strength; where a point triggers rules that point opposite ways, the first listed decides):

1. ``beyond-limit``: a point above the upper or below the lower process limit;
2. ``two-of-three``: two of three consecutive points in the outer third of the limits (beyond
   mean ± ⅔ × 2.66 × MR̄, the "near a limit" band, or beyond the limit) on the same side;
3. ``run``: a run of ``run_length`` (default 7) or more points on one side of the mean; a point
   exactly on the mean breaks a run;
4. ``trend``: ``trend_length`` (default 6) or more points each higher, or each lower, than the one
   before; two equal consecutive points break a trend.

Baselines and re-baselining are always explicit. A chart has one or more :class:`Phase` objects,
each starting at a given point with its own baseline period and the reason it was set; nothing
re-baselines automatically, and the result records every phase. Without phases the whole series
is the baseline (as the NHSRplotthedots package does when no baseline is fixed). Rules are read
within a phase: a run does not carry across a re-baseline.

A missing month (None) is flagged and left out: it has no moving range, the month after it has
none either (a range across a gap would span two months), and the rules read the observed points
in order, so a gap neither extends nor breaks a run.

The latest observed point gives the chart's **variation** verdict, read with the indicator's good
direction; with a target, the latest phase's limits give the **assurance** verdict: a process
whose limits both sit on the good side of the target consistently passes, one whose limits both
sit on the bad side consistently fails, and one whose limits straddle the target will hit and miss.

References
----------
NHS England and NHS Improvement (2019). *Making Data Count: Getting started.*
NHS England and NHS Improvement (2021). *Making Data Count: Strengthening your decisions* and the
Making Data Count variation and assurance icons.
Wheeler, D. J. (2000). *Understanding Variation: The Key to Managing Chaos*, 2nd ed. SPC Press.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from crimeprev.stats.monthly import MonthlyValues, split_months

Direction = Literal["down", "up", "neither"]
"""Which way is good for an indicator: fewer crimes are ``down``; more arrests might be ``up``."""
Side = Literal["high", "low"]
Position = int | date
"""A point of the series: its index, or (for a dated series) its month."""

SCALING = 2.66
"""3 / d₂ for moving ranges of two points (d₂ = 1.128), rounded as Wheeler and NHS England use it."""
NEAR_FRACTION = 2 / 3
"""The inner part of the limits: beyond mean ± ⅔ of the limit width is "near a limit"."""

SPECIAL_CAUSE_IMPROVING = "special cause improving"
SPECIAL_CAUSE_CONCERNING = "special cause concerning"
SPECIAL_CAUSE_NEITHER = "special cause (neither)"
COMMON_CAUSE = "common cause"
CONSISTENTLY_PASSING = "consistently passing"
CONSISTENTLY_FAILING = "consistently failing"
HIT_AND_MISS = "hit and miss"

VARIATION_ICONS = (
    "common-cause",
    "improvement-high",
    "improvement-low",
    "concern-high",
    "concern-low",
    "neither-high",
    "neither-low",
)
"""The Making Data Count variation icons, by name."""
ASSURANCE_ICONS = {
    CONSISTENTLY_PASSING: "assurance-pass",
    CONSISTENTLY_FAILING: "assurance-fail",
    HIT_AND_MISS: "assurance-hit-miss",
}
"""The Making Data Count assurance icon for each assurance verdict."""


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of the chart with its own baseline, set by a person for a recorded reason.

    ``start`` is the first point of the phase (the first phase starts at the first point); the
    phase runs to the point before the next phase starts. The baseline, ``baseline_start`` to
    ``baseline_end`` inclusive, lies inside the phase. Positions are indices or, for a dated
    series, months.
    """

    start: Position
    baseline_start: Position
    baseline_end: Position
    reason: str


@dataclass(frozen=True, slots=True)
class PhaseLimits:
    """A phase resolved to indices, with the centre line and limits of its baseline."""

    phase: Phase
    start: int
    end: int
    baseline_start: int
    baseline_end: int
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    upper_near: float
    lower_near: float


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """The lengths the run and trend rules look for."""

    run_length: int = 7
    trend_length: int = 6


Detector = Callable[[Sequence[float], PhaseLimits, RuleSettings], tuple[int, ...]]
"""A rule: the observed values of one phase (in order) → +1 (high), -1 (low) or 0 for each."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A special cause rule: its name, what it looks for and the function that finds it."""

    name: str
    description: str
    detect: Detector


@dataclass(frozen=True, slots=True)
class XmRPoint:
    """One month of the chart."""

    index: int
    month: date | None
    value: float | None  # None: a missing month
    moving_range: float | None
    phase: int
    in_baseline: bool
    mean: float
    upper: float
    lower: float
    upper_near: float
    lower_near: float
    rules: tuple[str, ...]  # the rules this point triggers, in the order of RULES
    signal: Side | None  # the side of the special cause it belongs to, or None for common cause

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True, slots=True)
class XmRChart:
    """An XmR chart with its verdicts for the latest point."""

    points: tuple[XmRPoint, ...]
    phases: tuple[PhaseLimits, ...]
    direction: Direction
    target: float | None
    settings: RuleSettings
    latest: int  # index of the latest observed point, the one the verdicts describe
    variation: str
    variation_icon: str
    assurance: str | None  # None without a target
    assurance_icon: str | None

    @property
    def missing(self) -> tuple[int, ...]:
        """Indices of the missing months."""
        return tuple(p.index for p in self.points if p.value is None)

    @property
    def means(self) -> tuple[float, ...]:
        return tuple(p.mean for p in self.points)

    @property
    def upper_limits(self) -> tuple[float, ...]:
        return tuple(p.upper for p in self.points)

    @property
    def lower_limits(self) -> tuple[float, ...]:
        return tuple(p.lower for p in self.points)

    @property
    def moving_ranges(self) -> tuple[float | None, ...]:
        return tuple(p.moving_range for p in self.points)


def _side(value: float, centre: float) -> int:
    return (value > centre) - (value < centre)


def detect_beyond_limits(values: Sequence[float], limits: PhaseLimits, settings: RuleSettings) -> tuple[int, ...]:
    """+1 for a point above the upper limit, -1 below the lower limit (Making Data Count rule 1)."""
    return tuple(1 if v > limits.upper else -1 if v < limits.lower else 0 for v in values)


def detect_two_of_three(values: Sequence[float], limits: PhaseLimits, settings: RuleSettings) -> tuple[int, ...]:
    """Points in the outer third that make two of three consecutive points there on one side.

    Only the points in the outer third are marked, not the point between them.
    """
    near = [1 if v > limits.upper_near else -1 if v < limits.lower_near else 0 for v in values]
    out = [0] * len(values)
    for first in range(len(values) - 2):
        window = range(first, first + 3)
        for side in (1, -1):
            if sum(near[i] == side for i in window) >= 2:
                for i in window:
                    if near[i] == side:
                        out[i] = side
    return tuple(out)


def detect_runs(values: Sequence[float], limits: PhaseLimits, settings: RuleSettings) -> tuple[int, ...]:
    """Every point of a run of ``run_length`` or more on one side of the mean."""
    sides = [_side(v, limits.mean) for v in values]
    out = [0] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or sides[i] != sides[start]:
            if sides[start] != 0 and i - start >= settings.run_length:
                out[start:i] = [sides[start]] * (i - start)
            start = i
    return tuple(out)


def detect_trends(values: Sequence[float], limits: PhaseLimits, settings: RuleSettings) -> tuple[int, ...]:
    """Every point of ``trend_length`` or more points each above (or each below) the one before.

    A turning point shared by two trends takes the direction of the later one.
    """
    steps = [_side(after, before) for before, after in itertools.pairwise(values)]
    out = [0] * len(values)
    start = 0
    for i in range(1, len(steps) + 1):
        if i == len(steps) or steps[i] != steps[start]:
            # steps[start:i] covers points start .. i
            if steps[start] != 0 and i - start + 1 >= settings.trend_length:
                out[start : i + 1] = [steps[start]] * (i - start + 1)
            start = i
    return tuple(out)


RULES: tuple[Rule, ...] = (
    Rule("beyond-limit", "a point beyond a process limit", detect_beyond_limits),
    Rule("two-of-three", "two of three consecutive points near or beyond a limit on one side", detect_two_of_three),
    Rule("run", "a run of points on one side of the mean", detect_runs),
    Rule("trend", "consecutive points all increasing or all decreasing", detect_trends),
)
"""The Making Data Count special cause rules, strongest first."""


def _resolve(position: Position, months: tuple[date, ...] | None, size: int) -> int:
    if isinstance(position, date):
        if months is None:
            raise ValueError(f"phase position {position:%Y-%m} needs a dated series; give an index instead")
        month = date(position.year, position.month, 1)
        if month not in months:
            raise ValueError(f"phase position {month:%Y-%m} is not a month of the series")
        return months.index(month)
    if not 0 <= position < size:
        raise ValueError(f"phase position {position} is outside the series (0 to {size - 1})")
    return position


def _moving_ranges(values: tuple[float | None, ...]) -> tuple[float | None, ...]:
    ranges: list[float | None] = [None]
    for before, after in itertools.pairwise(values):
        ranges.append(None if before is None or after is None else abs(after - before))
    return tuple(ranges[: len(values)])


def _phase_limits(
    phase: Phase,
    bounds: tuple[int, int],
    months: tuple[date, ...] | None,
    values: tuple[float | None, ...],
    ranges: tuple[float | None, ...],
) -> PhaseLimits:
    start, end = bounds
    first = _resolve(phase.baseline_start, months, len(values))
    last = _resolve(phase.baseline_end, months, len(values))
    if not start <= first <= last <= end:
        raise ValueError(
            f"the baseline of the phase starting at point {start} ({phase.reason!r}) must lie inside the phase,"
            f" points {start} to {end}"
        )
    observed = [v for v in values[first : last + 1] if v is not None]
    baseline_ranges = [r for r in ranges[first + 1 : last + 1] if r is not None]
    if not baseline_ranges:
        raise ValueError(
            f"the baseline of the phase starting at point {start} ({phase.reason!r}) needs at least two"
            " consecutive observed months"
        )
    mean = sum(observed) / len(observed)
    mr_bar = sum(baseline_ranges) / len(baseline_ranges)
    width = SCALING * mr_bar
    return PhaseLimits(
        phase=phase,
        start=start,
        end=end,
        baseline_start=first,
        baseline_end=last,
        mean=mean,
        mean_moving_range=mr_bar,
        upper=mean + width,
        lower=mean - width,
        upper_near=mean + NEAR_FRACTION * width,
        lower_near=mean - NEAR_FRACTION * width,
    )


def _signals(
    values: tuple[float | None, ...], limits: tuple[PhaseLimits, ...], settings: RuleSettings
) -> dict[int, list[tuple[str, int]]]:
    """Each rule's signals, read within each phase on its observed points: index → [(rule, sign)]."""
    fired: dict[int, list[tuple[str, int]]] = {}
    for phase_limits in limits:
        indices = [i for i in range(phase_limits.start, phase_limits.end + 1) if values[i] is not None]
        observed = [v for v in (values[i] for i in indices) if v is not None]
        for rule in RULES:
            for i, sign in zip(indices, rule.detect(observed, phase_limits, settings), strict=True):
                if sign:
                    fired.setdefault(i, []).append((rule.name, sign))
    return fired


def _chart_points(
    months: tuple[date, ...] | None,
    values: tuple[float | None, ...],
    ranges: tuple[float | None, ...],
    limits: tuple[PhaseLimits, ...],
    fired: dict[int, list[tuple[str, int]]],
) -> tuple[XmRPoint, ...]:
    points: list[XmRPoint] = []
    for number, phase_limits in enumerate(limits):
        for i in range(phase_limits.start, phase_limits.end + 1):
            signs = fired.get(i, [])
            points.append(
                XmRPoint(
                    index=i,
                    month=None if months is None else months[i],
                    value=values[i],
                    moving_range=ranges[i],
                    phase=number,
                    in_baseline=phase_limits.baseline_start <= i <= phase_limits.baseline_end,
                    mean=phase_limits.mean,
                    upper=phase_limits.upper,
                    lower=phase_limits.lower,
                    upper_near=phase_limits.upper_near,
                    lower_near=phase_limits.lower_near,
                    rules=tuple(name for name, _ in signs),
                    signal=None if not signs else "high" if signs[0][1] > 0 else "low",  # the strongest rule decides
                )
            )
    return tuple(points)


def _variation(signal: Side | None, direction: Direction) -> tuple[str, str]:
    if signal is None:
        return COMMON_CAUSE, "common-cause"
    if direction == "neither":
        return SPECIAL_CAUSE_NEITHER, f"neither-{signal}"
    good = (signal == "high") == (direction == "up")
    return (
        (SPECIAL_CAUSE_IMPROVING, f"improvement-{signal}") if good else (SPECIAL_CAUSE_CONCERNING, f"concern-{signal}")
    )


def assess_assurance(limits: PhaseLimits, target: float, direction: Direction) -> str:
    """Whether a process with these limits will meet ``target``, given the good direction.

    A target exactly on a limit counts as inside the limits (hit and miss).
    """
    if direction == "neither":
        raise ValueError("an assurance verdict needs a good direction ('up' or 'down') for the target")
    above = limits.lower > target  # the whole process sits above the target
    below = limits.upper < target
    if not above and not below:
        return HIT_AND_MISS
    return CONSISTENTLY_PASSING if above == (direction == "up") else CONSISTENTLY_FAILING


def build_xmr_chart(
    series: MonthlyValues,
    *,
    phases: Sequence[Phase] | None = None,
    direction: Direction = "neither",
    target: float | None = None,
    run_length: int = 7,
    trend_length: int = 6,
) -> XmRChart:
    """Compute an XmR chart of ``series`` with its special cause signals and verdicts.

    Parameters
    ----------
    series
        Monthly values, bare or as ``(month, value)`` pairs; None marks a missing month.
    phases
        The chart's phases in order, the first starting at the first point. Default: one phase
        whose baseline is every point.
    direction
        The indicator's good direction, ``"down"``, ``"up"`` or ``"neither"``.
    target
        Optional target, read against the latest phase's limits for the assurance verdict
        (which then needs a direction other than ``"neither"``).
    run_length, trend_length
        Points needed for the run rule (default 7) and the trend rule (default 6).

    Returns
    -------
    XmRChart
        Per-point mean, limits, moving range, rules triggered and signal side; the phases with
        their limits; the variation verdict and icon for the latest observed point; the assurance
        verdict and icon when a target is given.

    Notes
    -----
    Limits are mean ± 2.66 MR̄ of the phase's baseline; the lower limit is not truncated at zero.
    Making Data Count advises a baseline of at least 15 to 20 points; with fewer the limits are
    shown all the same, and are less certain. See the module docstring for the rules and for how
    missing months are treated.

    References
    ----------
    NHS England (2019, 2021), *Making Data Count*; Wheeler (2000), *Understanding Variation*.

    Examples
    --------
    A baseline of the first nine months, and a tenth month far above it:

    >>> values = [10, 12, 11, 13, 12, 11, 12, 10, 11, 30]
    >>> chart = build_xmr_chart(values, phases=[Phase(0, 0, 8, "first nine months")], direction="down")
    >>> limits = chart.phases[0]
    >>> round(limits.mean, 3), round(limits.mean_moving_range, 3), round(limits.upper, 3)
    (11.333, 1.375, 14.991)
    >>> chart.points[-1].rules, chart.variation, chart.variation_icon
    (('beyond-limit',), 'special cause concerning', 'concern-high')

    A lasting fall, re-baselined after the operation that caused it:

    >>> values = [10, 12, 11, 13, 12, 11, 12, 10, 11, 12, 6, 5, 7, 6, 5, 6]
    >>> phases = [Phase(0, 0, 9, "before the operation"), Phase(10, 10, 15, "after the operation")]
    >>> chart = build_xmr_chart(values, phases=phases, direction="down", target=8)
    >>> round(chart.phases[1].mean, 3), round(chart.phases[1].upper, 3)
    (5.833, 9.025)
    >>> chart.variation, chart.assurance, chart.assurance_icon
    ('common cause', 'hit and miss', 'assurance-hit-miss')
    """
    if direction not in ("down", "up", "neither"):
        raise ValueError(f"direction must be 'down', 'up' or 'neither', not {direction!r}")
    if run_length < 2 or trend_length < 3:
        raise ValueError("the run rule needs at least 2 points and the trend rule at least 3")
    months, values = split_months(series)
    if not values:
        raise ValueError("an XmR chart needs at least two observed months")
    if phases is None or not phases:
        phases = [Phase(0, 0, len(values) - 1, "baseline: every point")]
    starts = [_resolve(p.start, months, len(values)) for p in phases]
    if starts[0] != 0:
        raise ValueError("the first phase must start at the first point of the series")
    if any(after <= before for before, after in itertools.pairwise(starts)):
        raise ValueError("phases must start at strictly increasing points")
    ends = [*(s - 1 for s in starts[1:]), len(values) - 1]
    ranges = _moving_ranges(values)
    limits = tuple(
        _phase_limits(phase, (start, end), months, values, ranges)
        for phase, start, end in zip(phases, starts, ends, strict=True)
    )
    settings = RuleSettings(run_length=run_length, trend_length=trend_length)

    points = _chart_points(months, values, ranges, limits, _signals(values, limits, settings))
    latest = max(p.index for p in points if p.value is not None)
    variation, variation_icon = _variation(points[latest].signal, direction)
    assurance = None
    if target is not None:
        assurance = assess_assurance(limits[points[latest].phase], target, direction)
    return XmRChart(
        points=points,
        phases=limits,
        direction=direction,
        target=target,
        settings=settings,
        latest=latest,
        variation=variation,
        variation_icon=variation_icon,
        assurance=assurance,
        assurance_icon=None if assurance is None else ASSURANCE_ICONS[assurance],
    )
