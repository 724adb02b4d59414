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

Days follow a weekly pattern per kind (violence peaks at the weekend, shoplifting on weekdays and
Saturdays, reports of past offences on weekdays), and a week of action (``plants.WEEKS_OF_ACTION``)
changes its target records' daily rate on its seven days. Clock times are written the way people
record them: a third on the hour, about one in eight on the half hour, many on a quarter or a
five-minute mark, never with seconds.

Dates are days since 1970-01-01 and timestamps seconds since 1970-01-01 (naive local time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray
from crimeprev.demo.catalogue import TIMINGS
from crimeprev.demo.months import EPOCH, N_MONTHS, month_start_days
from crimeprev.demo.plants import WEEKS_OF_ACTION, WeekOfAction

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
# Relative daily rate, Monday to Sunday, of each timing kind (by the day the record is made).
_WEEKDAYS: Final[dict[str, tuple[float, ...]]] = {
    "nte": (1.0,) * 7,  # nights are drawn by ``_nte_nights``
    "evening": (0.92, 0.88, 0.90, 0.94, 1.06, 1.22, 1.08),
    "daytime": (1.03, 1.02, 1.02, 1.02, 1.05, 1.06, 0.80),
    "overnight": (1.03, 1.00, 0.99, 0.99, 1.00, 0.99, 1.00),
    "course": (1.12, 1.10, 1.08, 1.06, 1.02, 0.84, 0.78),
    "historic": (1.12, 1.10, 1.08, 1.06, 1.02, 0.84, 0.78),
}
# How recorded minutes bunch: on the hour, half hour, quarter hours, other five-minute marks, any.
_MINUTE_MARKS: Final = ((0,), (30,), (15, 45), (5, 10, 20, 25, 35, 40, 50, 55), tuple(range(60)))
_MINUTE_MARK_P: Final = (0.30, 0.12, 0.08, 0.20, 0.30)


@dataclass(frozen=True)
class Timing:
    """Recorded date (days since 1970) and committed window (seconds since 1970) per record."""

    recorded_day: IntArray
    committed_from: IntArray
    committed_to: IntArray


def recorded_minutes(n: int, rng: np.random.Generator) -> IntArray:
    """Minutes past the hour as people record them (bunched on round marks)."""
    mark = rng.choice(len(_MINUTE_MARKS), size=n, p=_MINUTE_MARK_P)
    out = np.empty(n, dtype=np.int64)
    for k, options in enumerate(_MINUTE_MARKS):
        idx = np.flatnonzero(mark == k)
        out[idx] = np.asarray(options, dtype=np.int64)[rng.integers(0, len(options), idx.size)]
    return out


def _seconds_of_day(profile: str, n: int, rng: np.random.Generator) -> IntArray:
    weights = np.array(_HOURS[profile])
    hours = rng.choice(24, size=n, p=weights / weights.sum())
    return hours * HOUR + recorded_minutes(n, rng) * 60


def _day_weights(kind: str, week: WeekOfAction | None = None) -> FloatArray:
    """Daily rate of each day of each month (36 x 31; zero past a month's end)."""
    starts = month_start_days()
    weights = np.zeros((N_MONTHS, 31))
    profile = np.array(_WEEKDAYS[kind])
    for m in range(N_MONTHS):
        days = np.arange(starts[m], starts[m + 1])
        weights[m, : days.size] = profile[(days + 3) % 7]  # 1970-01-01 was a Thursday
        if week is not None:
            first = (week.first_day - EPOCH).days
            in_week = (days >= first) & (days < first + week.days)
            weights[m, : days.size][in_week] *= week.effect
    return weights


def _draw_days(months: IntArray, weights: FloatArray, rng: np.random.Generator) -> IntArray:
    """A day of each record's month, by the month's daily weights (days since 1970)."""
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(months.size)
    offset = np.count_nonzero(cdf[months] < u[:, None], axis=1)
    days: IntArray = month_start_days()[months] + offset.astype(np.int64)
    return days


def week_of_action_targets(code_text: npt.NDArray[np.str_], district_text: npt.NDArray[np.str_]) -> list[BoolArray]:
    """For each week of action, the records it targets (by code and, if it names any, district)."""
    out = []
    for week in WEEKS_OF_ACTION:
        mask = np.isin(code_text, list(week.codes))
        if week.districts:
            mask &= np.isin(district_text, list(week.districts))
        out.append(mask)
    return out


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


def draw_timing(months: IntArray, kinds: IntArray, targets: list[BoolArray], rng: np.random.Generator) -> Timing:
    """Recorded dates and committed windows for records of the given months and timing kinds.

    ``targets[w]`` marks the records week of action ``w`` targets.
    """
    n = months.size
    starts = month_start_days()
    start = starts[months]
    dim = starts[months + 1] - start
    month_end = start + dim - 1
    recorded = np.zeros(n, dtype=np.int64)
    week_of = np.full(n, -1, dtype=np.int64)
    for w, mask in enumerate(targets):
        week_of[mask & (week_of < 0)] = w
    for k, kind in enumerate(TIMINGS):
        for w in range(-1, len(WEEKS_OF_ACTION)):
            idx = np.flatnonzero((kinds == k) & (week_of == w))
            if idx.size:
                weights = _day_weights(kind, WEEKS_OF_ACTION[w] if w >= 0 else None)
                recorded[idx] = _draw_days(months[idx], weights, rng)
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
            t0 = night * DAY + 20 * HOUR + hours_after_20.astype(np.int64) * HOUR + recorded_minutes(m, rng) * 60
            t1 = t0 + _minutes(15, 120, m, rng)
            lag = rng.choice(3, size=m, p=[0.7, 0.25, 0.05])
            recorded[idx] = np.minimum(t0 // DAY + lag, month_end[idx])
        elif kind in ("evening", "daytime"):
            t0 = (rec - _lags(0.7, 0.35, m, rng)) * DAY + _seconds_of_day(kind, m, rng)
            t1 = t0 + _minutes(20, 180, m, rng)
        elif kind == "overnight":
            lag = rng.choice(3, size=m, p=[0.5, 0.35, 0.15]) + _lags(0.8, 0.3, m, rng)
            t0 = (rec - lag) * DAY + _seconds_of_day(kind, m, rng)
            t1 = t0 + rng.integers(2, 56, m) * 15 * 60
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
        # An offence is recorded no earlier than the day it ended; where that would leave the
        # month, the window shrinks to its start instead (never a made-up 23:59:59).
        recorded[idx] = np.minimum(np.maximum(recorded[idx], t1 // DAY), month_end[idx])
        t1 = np.where(t1 // DAY > recorded[idx], t0, t1)
        committed_from[idx] = t0
        committed_to[idx] = t1
    return Timing(recorded_day=recorded, committed_from=committed_from, committed_to=committed_to)


def recorded_days(months: IntArray, kind: str, rng: np.random.Generator) -> IntArray:
    """A recorded date inside each record's month (for incidents, which have no window)."""
    return _draw_days(months, _day_weights(kind), rng)
