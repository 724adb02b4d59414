"""Judging a short operation (a week of action) on its own days, not on its whole month.

A seven-day operation is a quarter of its month: judged on the month, its effect is diluted and the
month's expected range is too wide to show anything. So the operation's days are compared with
the same days of the weeks before it (the same weekdays, so a week with two Saturdays is never
compared with one), and that expectation is adjusted by how the same days of the year before
stood against *their* preceding weeks (the seasonal expectation: the week before Christmas is
not an ordinary week).

With ``K`` earlier windows of the operation's length (counts ``c_1..c_K``, mean ``m``), the
year-before window ``y`` and its own earlier windows (mean ``m0``), the expected count is
``e = m * y / m0`` (or ``m`` without a year before). Counts vary more than a Poisson count
would, so the dispersion ``phi = max(1, var(c) / m)`` widens every variance; the 95% range for
the operation's count is ``e +- 1.96 sqrt(phi e + Var(e))`` with
``Var(e) = e^2 phi (1/(K m) + 1/y + 1/(K m0))`` (the delta method). Observed below the range is a
fall beyond normal variation, above it a rise; inside it, no change can be claimed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np

BASELINE_WINDOWS: Final = 8
MIN_BASELINE_WINDOWS: Final = 4
YEAR: Final = timedelta(days=364)  # 52 weeks: the same weekdays a year before
Z95: Final = 1.959964


@dataclass(frozen=True)
class DaysComparison:
    """The operation's days against the expectation from the same weekdays before."""

    first: date
    last: date
    observed: float
    baseline: tuple[float, ...]  # counts of the earlier windows, most recent first
    seasonal_factor: float | None  # y / m0, None without a year before
    expected: float
    low: float
    high: float
    dispersion: float
    year_before: float | None = None  # the same days 52 weeks before, where the data covers them

    @property
    def previous(self) -> float:
        """The window just before the operation: the same weekdays of the week(s) before."""
        return self.baseline[0]

    @property
    def verdict(self) -> str:
        if self.observed < self.low:
            return "below the expected range"
        if self.observed > self.high:
            return "above the expected range"
        return "within the expected range"


def _window_sum(daily: Mapping[date, float], first: date, days: int) -> float:
    return sum(daily.get(first + timedelta(days=d), 0.0) for d in range(days))


def compare_operation_days(
    daily: Mapping[date, float], first: date, last: date, *, covered_from: date, windows: int = BASELINE_WINDOWS
) -> DaysComparison:
    """Compare the days ``first``..``last`` with earlier windows of the same weekdays.

    ``daily`` holds counts per day; ``covered_from`` is the first day the data covers (windows
    starting earlier are not used, rather than read as zero). Raises ``ValueError`` when fewer than
    ``MIN_BASELINE_WINDOWS`` earlier windows are covered.
    """
    days = (last - first).days + 1
    if not 1 <= days <= 31:
        raise ValueError(f"an operation judged by its days must last 1 to 31 days, not {days}")
    step = timedelta(days=7 * math.ceil(days / 7))
    starts = [first - step * k for k in range(1, windows + 1) if first - step * k >= covered_from]
    if len(starts) < MIN_BASELINE_WINDOWS:
        raise ValueError(
            f"only {len(starts)} earlier weeks are in the store; at least {MIN_BASELINE_WINDOWS} are needed"
        )
    baseline = np.array([_window_sum(daily, s, days) for s in starts])
    mean = float(baseline.mean())
    observed = _window_sum(daily, first, days)
    dispersion = max(1.0, float(baseline.var(ddof=1)) / mean) if mean > 0 else 1.0
    factor = None
    expected = mean
    relative_var = dispersion / (len(baseline) * mean) if mean > 0 else 0.0
    year_starts = [s - YEAR for s in starts if s - YEAR >= covered_from]
    year_before = _window_sum(daily, first - YEAR, days) if first - YEAR >= covered_from else None
    if year_before is not None and len(year_starts) >= MIN_BASELINE_WINDOWS:
        year_baseline = np.array([_window_sum(daily, s, days) for s in year_starts])
        m0 = float(year_baseline.mean())
        y = year_before
        if m0 > 0 and y > 0:
            factor = y / m0
            expected = mean * factor
            relative_var += dispersion * (1.0 / y + 1.0 / (len(year_baseline) * m0))
    spread = Z95 * math.sqrt(dispersion * expected + expected**2 * relative_var)
    return DaysComparison(
        first, last, observed, tuple(float(v) for v in baseline), factor, expected,
        max(0.0, expected - spread), expected + spread, dispersion, year_before,
    )  # fmt: skip
