"""When each record happened and was recorded.

Every offence gets a recorded date inside its recorded month and a committed window with
``committed_from <= committed_to`` and both on or before the recorded date. The shape of the
window depends on the kind of offence:

* ``nte``: most on a Friday or Saturday night between 20:00 and 04:00, recorded that night or in
  the next day or two;
* ``evening`` / ``daytime``: a short incident at a time of day typical of the offence;
* ``overnight``: a window of several hours (burglary, vehicle crime discovered in the morning);
* ``course``: a course of conduct over weeks or months (harassment, coercive control, fraud);
* ``historic``: sexual offences, a large share reported months or years later.

Dates are days since 1970-01-01 and timestamps seconds since 1970-01-01 (naive local time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import IntArray
from crimeprev.demo.catalogue import TIMINGS
from crimeprev.demo.months import month_start_days

DAY: Final = 86_400
HOUR: Final = 3_600
NTE_WEEKEND_SHARE: Final = 0.85

_HOURS: Final[dict[str, tuple[float, ...]]] = {
    "evening": (3, 2, 1.5, 1, 0.8, 0.6, 0.8, 1.2, 1.8, 2.2, 2.5, 2.8,
                3, 3, 3.2, 3.6, 4, 4.4, 4.8, 5, 5, 4.8, 4.4, 3.8),
    "daytime": (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 4.5, 5.5, 6,
                6, 6, 6, 6, 6, 5.5, 4.5, 3, 1.5, 0.8, 0.4, 0.2),
    "overnight": (2, 1.5, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 2.5, 2.5, 2.5,
                  2.5, 2.5, 2.5, 2.8, 3, 3.5, 4, 4.5, 4.5, 4.2, 3.5, 2.8),
}  # fmt: skip


@dataclass(frozen=True)
class Timing:
    """Recorded date (days since 1970) and committed window (seconds since 1970) per record."""

    recorded_day: IntArray
    committed_from: IntArray
    committed_to: IntArray


def _seconds_of_day(profile: str, n: int, rng: np.random.Generator) -> IntArray:
    weights = np.array(_HOURS[profile])
    hours = rng.choice(24, size=n, p=weights / weights.sum())
    return hours * HOUR + rng.integers(0, HOUR, n)


def _minutes(mean: float, cap: float, n: int, rng: np.random.Generator) -> IntArray:
    return np.minimum(rng.exponential(mean, n), cap).astype(np.int64) * 60


def _lags(stay: float, p: float, n: int, rng: np.random.Generator) -> IntArray:
    """Days between offence and recording: 0 with probability ``stay``, else geometric(p)."""
    return np.where(rng.random(n) < stay, 0, rng.geometric(p, n)).astype(np.int64)


def _nte_nights(start: IntArray, days_in_month: IntArray, rng: np.random.Generator) -> IntArray:
    """A night (its evening's date) whose morning after is still in the month."""
    n = start.size
    last = days_in_month - 2  # latest day offset whose next morning is in the month
    weekday = (start + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    first_friday = (4 - weekday) % 7
    fridays = (last - first_friday) // 7 + 1
    saturdays = (last - first_friday - 1) // 7 + 1
    k = (rng.random(n) * (fridays + saturdays)).astype(np.int64)
    weekend = first_friday + 7 * (k // 2) + k % 2
    anyday = (rng.random(n) * (last + 1)).astype(np.int64)
    offset = np.where(rng.random(n) < NTE_WEEKEND_SHARE, weekend, anyday)
    return start + offset


def draw_timing(months: IntArray, kinds: IntArray, rng: np.random.Generator) -> Timing:
    """Recorded dates and committed windows for records of the given months and timing kinds."""
    n = months.size
    starts = month_start_days()
    start = starts[months]
    dim = starts[months + 1] - start
    month_end = start + dim - 1
    recorded = start + (rng.random(n) * dim).astype(np.int64)
    committed_from = np.zeros(n, dtype=np.int64)
    committed_to = np.zeros(n, dtype=np.int64)
    for k, kind in enumerate(TIMINGS):
        idx = np.flatnonzero(kinds == k)
        m = idx.size
        if m == 0:
            continue
        rec = recorded[idx]
        if kind == "nte":
            night = _nte_nights(start[idx], dim[idx], rng)
            hours_after_20 = rng.triangular(0.0, 4.5, 8.0, m)
            t0 = night * DAY + 20 * HOUR + (hours_after_20 * HOUR).astype(np.int64)
            t1 = t0 + _minutes(15, 120, m, rng)
            lag = rng.choice(3, size=m, p=[0.7, 0.25, 0.05])
            recorded[idx] = np.minimum(t0 // DAY + lag, month_end[idx])
        elif kind in ("evening", "daytime"):
            t0 = (rec - _lags(0.7, 0.35, m, rng)) * DAY + _seconds_of_day(kind, m, rng)
            t1 = t0 + _minutes(20, 180, m, rng)
        elif kind == "overnight":
            lag = rng.choice(3, size=m, p=[0.5, 0.35, 0.15]) + _lags(0.8, 0.3, m, rng)
            t0 = (rec - lag) * DAY + _seconds_of_day(kind, m, rng)
            t1 = t0 + (rng.uniform(1, 14, m) * HOUR).astype(np.int64)
        elif kind == "course":
            t0 = (rec - rng.integers(7, 181, m)) * DAY + _seconds_of_day("evening", m, rng)
            t1 = (rec - rng.integers(0, 7, m)) * DAY + _seconds_of_day("evening", m, rng)
        else:  # historic
            long_ago = rng.random(m) < 0.4
            lag = np.where(
                long_ago,
                np.minimum(np.exp(rng.normal(6.0, 1.1, m)), 20 * 365).astype(np.int64) + 30,
                _lags(0.5, 0.15, m, rng),
            )
            t0 = (rec - lag) * DAY + _seconds_of_day("evening", m, rng)
            t1 = t0 + _minutes(60, 600, m, rng)
        end_of_record_day = (recorded[idx] + 1) * DAY - 1
        committed_from[idx] = t0
        committed_to[idx] = np.maximum(np.minimum(t1, end_of_record_day), t0)
    return Timing(recorded_day=recorded, committed_from=committed_from, committed_to=committed_to)


def recorded_days(months: IntArray, rng: np.random.Generator) -> IntArray:
    """A recorded date inside each record's month (for incidents, which have no window)."""
    starts = month_start_days()
    start = starts[months]
    dim = starts[months + 1] - start
    return start + (rng.random(months.size) * dim).astype(np.int64)
