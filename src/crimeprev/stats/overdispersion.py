"""A quasi-Poisson comparison of two window totals, allowing for the series' own variation.

Recorded crime varies more from month to month than a Poisson count would (more variance than
mean: overdispersion), because crime clusters in time and recording practice shifts. A Poisson
test then treats noise as signal. The quasi-Poisson model keeps the Poisson mean but lets the
variance be φ times the mean (Wedderburn 1974; McCullagh and Nelder 1989, §4.5), so the variance
of the log rate ratio becomes φ (1/c₁ + 1/c₂) and

    z = log(r₂ / r₁) / sqrt(φ (1/c₁ + 1/c₂)),    rᵢ = cᵢ / mᵢ (the count per month of window i),

with a two-sided normal p-value and the interval exp(log(r₂/r₁) ± z₁₋α/₂ sqrt(φ (1/c₁ + 1/c₂))).

The dispersion factor is estimated from the monthly counts inside the two windows by the mean
square successive difference (von Neumann et al. 1941): for independent counts whose mean moves
slowly, E[(yₜ - yₜ₋₁)²] ≈ 2 Var(y) = 2 φ μ, so

    φ̂ = Σ (yₜ - yₜ₋₁)² / (2 (N - k) ȳ),

summing over consecutive months within each window (N months in k windows; windows need not be
adjacent) with ȳ the mean month. Differencing removes a slow trend or a step between the windows,
which would inflate a plain variance-to-mean ratio; seasonal swings stay in, which makes the test
cautious for windows that each hold every calendar month (their totals carry no seasonal
difference). It is the same month-to-month variation an XmR chart's moving ranges measure.
φ = max(1, φ̂): the test is never less cautious than the exact Poisson test's assumption.

Only a series long enough to estimate φ gets this test: at least 12 months across the two
windows, none missing, at least two in each, and both totals above zero. Otherwise the function
returns None and the caller falls back on the exact Poisson test.

:func:`compare_many_overdispersed` tests every comparison of a strategy at once: the dispersion of
each from its own months, then the z statistics, p-values and intervals over numpy arrays.

References
----------
von Neumann, J., Kent, R. H., Bellinson, H. R. and Hart, B. I. (1941). The mean square successive
difference. *Annals of Mathematical Statistics* 12, 153-162.
Wedderburn, R. W. M. (1974). Quasi-likelihood functions, generalized linear models, and the
Gauss-Newton method. *Biometrika* 61, 439-447.
McCullagh, P. and Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed. Chapman and Hall.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special  # type: ignore[import-untyped]

from crimeprev.stats.monthly import MonthlyValues, split_months

MIN_MONTHS = 12
"""The fewest months (both windows together) from which the dispersion factor is estimated."""


@dataclass(frozen=True, slots=True)
class QuasiPoissonComparison:
    """The quasi-Poisson test of the later window's monthly rate against the earlier one's."""

    count1: float
    count2: float
    months1: int
    months2: int
    dispersion_estimate: float  # φ̂ from the monthly counts
    dispersion: float  # φ used: max(1, φ̂)
    rate_ratio: float
    z: float
    p_value: float  # two-sided
    ratio_low: float
    ratio_high: float
    confidence: float

    @property
    def pct_change(self) -> float:
        return (self.rate_ratio - 1) * 100

    @property
    def pct_low(self) -> float:
        return (self.ratio_low - 1) * 100

    @property
    def pct_high(self) -> float:
        return (self.ratio_high - 1) * 100


def estimate_dispersion(windows: Sequence[Sequence[float]]) -> float:
    """φ̂: the mean square successive difference of the counts over twice their mean.

    Differences are taken between consecutive months within each window, never across windows.

    >>> estimate_dispersion([[10, 12, 10, 12], [14, 12, 14, 12]])  # 24 / (2 * 6 * 12)
    0.16666666666666666
    """
    squares = 0.0
    pairs = 0
    total = 0.0
    months = 0
    for window in windows:
        squares += sum((after - before) ** 2 for before, after in itertools.pairwise(window))
        pairs += max(len(window) - 1, 0)
        total += sum(window)
        months += len(window)
    if pairs == 0 or total <= 0:
        raise ValueError("the dispersion needs two consecutive months in a window and a total above zero")
    return squares / (2 * pairs * (total / months))


def _window_counts(
    previous: MonthlyValues, current: MonthlyValues, min_months: int
) -> tuple[list[float], list[float]] | None:
    """The two windows' monthly counts, or None when the series cannot support the test."""
    windows: list[list[float]] = []
    for series in (previous, current):
        _, values = split_months(series)
        observed = [v for v in values if v is not None]
        if len(observed) < len(values) or len(observed) < 2:
            return None
        if any(v < 0 for v in observed):
            raise ValueError("monthly counts cannot be negative")
        windows.append(observed)
    if len(windows[0]) + len(windows[1]) < min_months or sum(windows[0]) <= 0 or sum(windows[1]) <= 0:
        return None
    return windows[0], windows[1]


def _clean_matrix(series: Sequence[MonthlyValues]) -> npt.NDArray[np.float64] | None:
    """The bare monthly values as a matrix (one row per series), or None if any is dated, missing,
    negative or not finite: those take the careful path of :func:`_window_counts`."""
    if any(item and isinstance(item[0], tuple) for item in series):
        return None
    matrix = np.array(series, dtype=np.float64)
    if not np.isfinite(matrix).all() or (matrix < 0).any():
        return None
    return matrix


def _dispersion_inputs(
    pairs: Sequence[tuple[MonthlyValues, MonthlyValues]], min_months: int
) -> dict[int, tuple[float, float, int, int, float]]:
    """For each pair the test can use: (c1, c2, months1, months2, φ̂), keyed by its position.

    Pairs of clean, bare series of the same lengths are reduced together as matrices (the sums of
    whole numbers are exact either way, so the answer is the same as one at a time).
    """
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (previous, current) in enumerate(pairs):
        groups.setdefault((len(previous), len(current)), []).append(i)
    out: dict[int, tuple[float, float, int, int, float]] = {}
    for (m1, m2), rows in groups.items():
        before = _clean_matrix([pairs[i][0] for i in rows]) if m1 >= 2 and m2 >= 2 else None
        after = _clean_matrix([pairs[i][1] for i in rows]) if before is not None else None
        if before is None or after is None:
            for i in rows:
                windows = _window_counts(*pairs[i], min_months)
                if windows is not None:
                    w1, w2 = windows
                    out[i] = (sum(w1), sum(w2), len(w1), len(w2), estimate_dispersion(windows))
            continue
        if m1 + m2 < min_months:
            continue
        c1, c2 = before.sum(axis=1), after.sum(axis=1)
        squares = (np.diff(before, axis=1) ** 2).sum(axis=1) + (np.diff(after, axis=1) ** 2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = squares / (2 * (m1 + m2 - 2) * ((c1 + c2) / (m1 + m2)))
        for j, i in enumerate(rows):
            if c1[j] > 0 and c2[j] > 0:
                out[i] = (float(c1[j]), float(c2[j]), m1, m2, float(estimate[j]))
    return out


def compare_many_overdispersed(
    pairs: Sequence[tuple[MonthlyValues, MonthlyValues]],
    *,
    confidence: float = 0.95,
    min_months: int = MIN_MONTHS,
) -> list[QuasiPoissonComparison | None]:
    """:func:`compare_overdispersed` for every ``(previous, current)`` pair, the arithmetic done at once.

    >>> tests = compare_many_overdispersed([([10, 12] * 6, [14, 12] * 6), ([1, 2], [3, 4])])
    >>> round(tests[0].p_value, 4), tests[1]
    (0.1578, None)
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    inputs = _dispersion_inputs(pairs, min_months)
    out: list[QuasiPoissonComparison | None] = [None] * len(pairs)
    if not inputs:
        return out
    rows = sorted(inputs)
    table = np.array([inputs[i] for i in rows], dtype=np.float64)
    c1, c2, m1, m2, estimate = table.T
    phi = np.maximum(1.0, estimate)
    log_ratio = np.log((c2 / m2) / (c1 / m1))
    se = np.sqrt(phi * (1 / c1 + 1 / c2))
    z = log_ratio / se
    p_value = 2 * special.ndtr(-np.abs(z))
    half = special.ndtri(0.5 + confidence / 2) * se
    ratio, low, high = np.exp(log_ratio), np.exp(log_ratio - half), np.exp(log_ratio + half)
    for j, i in enumerate(rows):
        out[i] = QuasiPoissonComparison(
            count1=float(c1[j]),
            count2=float(c2[j]),
            months1=int(m1[j]),
            months2=int(m2[j]),
            dispersion_estimate=float(estimate[j]),
            dispersion=float(phi[j]),
            rate_ratio=float(ratio[j]),
            z=float(z[j]),
            p_value=float(p_value[j]),
            ratio_low=float(low[j]),
            ratio_high=float(high[j]),
            confidence=confidence,
        )
    return out


def compare_overdispersed(
    previous: MonthlyValues,
    current: MonthlyValues,
    *,
    confidence: float = 0.95,
    min_months: int = MIN_MONTHS,
) -> QuasiPoissonComparison | None:
    """The quasi-Poisson test of ``current`` against ``previous``, or None if the series is too short.

    Parameters
    ----------
    previous, current
        The monthly counts of the earlier and later windows (bare or as ``(month, value)``).
    confidence
        Coverage of the interval for the rate ratio.
    min_months
        The fewest months across both windows for the dispersion to be estimated (default 12).

    Returns
    -------
    QuasiPoissonComparison or None
        None when a month is missing, a window has fewer than two months, the windows hold fewer
        than ``min_months`` months together, or either total is zero.

    Notes
    -----
    The windows' rates per month are compared, so windows of different lengths are fair; with
    equal lengths z = log(c₂/c₁) / sqrt(φ (1/c₁ + 1/c₂)). See the module docstring for φ.

    References
    ----------
    von Neumann et al. (1941); Wedderburn (1974); McCullagh and Nelder (1989).

    Examples
    --------
    Knife crime, 2,910 offences in one year and 2,725 in the next, with a marked swing between
    alternate months (an exact Poisson test gives p = 0.014):

    >>> previous = [262, 221, 275, 230, 268, 214, 251, 226, 259, 240, 222, 242]
    >>> current = [244, 205, 251, 218, 240, 199, 236, 207, 239, 222, 236, 228]
    >>> test = compare_overdispersed(previous, current)
    >>> round(test.dispersion, 2), round(test.p_value, 3), round(test.pct_change, 1)
    (2.5, 0.119, -6.4)
    >>> round(test.pct_low, 1), round(test.pct_high, 1)
    (-13.8, 1.7)
    >>> compare_overdispersed(previous[:3], current[:3]) is None
    True
    """
    return compare_many_overdispersed([(previous, current)], confidence=confidence, min_months=min_months)[0]
