"""Inside a zone against the rest of the force: a difference-in-differences rate ratio with an interval.

"A 17.4% fall inside the zones against 5.1% force-wide" is two bare percentages: it does not say
whether the zones did better than the force by more than chance. This module answers that with
one figure and its interval. The monthly counts of the two areas, before and after, are fitted by
a quasi-Poisson log-linear model with a coefficient for every month (shared by both areas: the
season and anything force-wide), one for the inside area and one for inside-and-after:

    log μ(area, month) = γ_month + α [area = inside] + δ [area = inside and month is after].

exp(δ) is the *rate ratio*: how the inside area's after/before ratio compares with the rest of the
force's. 0.80 means 20% fewer than the force's own change would predict, whatever the force did.
With month effects it is very nearly (inside after / inside before) / (outside after / outside
before), but the month effects also take out a season that the two windows cover unequally.

Crime counts vary more than Poisson, so the covariance is scaled by the Pearson dispersion
φ = max(1, X² / (n - p)) and the interval and p-value use Student's t on n - p degrees of freedom
(quasi-likelihood; Wedderburn 1974; McCullagh and Nelder 1989, §9.2). The same model with the
inside area replaced by a buffer ring measures displacement (a ratio above 1 around the zone)
or a diffusion of benefits (below 1).

Weighted counts (harm, in days) go through the same model: the dispersion absorbs the scale.

Month-to-month noise is not the only noise. A small area's level also *wanders*: a new estate, a
closed pub, a shift in how one beat records. Over two six-month windows that drift can move an
area by 20% with nothing done there, and a model fitted to one area's months cannot see it. So the
interval is widened with *placebo areas* (Abadie, Diamond and Hainmueller 2010): squares of the
zone's size elsewhere in the force, where no zone was, each given the same before/after
comparison. Their log ratios vary by count noise (known: 1/a + 1/b + 1/A + 1/B) and by drift; the
drift variance is what is left, τ², estimated by DerSimonian and Laird's (1986) method of moments
with each placebo weighted by its precision (:func:`drift_variance`); it is added to the zone's
own variance:
the interval is δ ± t √(se² + τ²), Student's t on the placebos less one (:func:`with_placebos`).

References
----------
Wedderburn, R. W. M. (1974). Quasi-likelihood functions, generalized linear models, and the
Gauss-Newton method. *Biometrika* 61, 439-447.
McCullagh, P. and Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed. Chapman and Hall.
Angrist, J. D. and Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5. Princeton.
DerSimonian, R. and Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
Trials* 7, 177-188.
Abadie, A., Diamond, A. and Hainmueller, J. (2010). Synthetic control methods for comparative case
studies. *JASA* 105, 493-505 (placebo studies, section 2.4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped]

from crimeprev.stats.counterfactual import fit_poisson_glm

MIN_MONTHS = 2
"""The fewest months in each of the before and after windows."""
MIN_PLACEBOS = 20
"""The fewest placebo areas whose spread is trusted to measure local drift."""


@dataclass(frozen=True, slots=True)
class RateRatio:
    """The inside area's change against the rest of the force's, with its interval."""

    inside: tuple[float, float]  # totals before, after
    outside: tuple[float, float]
    months: tuple[int, int]  # months before, after
    ratio: float  # exp(δ)
    low: float
    high: float
    p_value: float  # two-sided, against a ratio of 1
    dispersion: float  # φ used
    degrees_of_freedom: int
    confidence: float
    placebos: int = 0  # placebo areas that measured local drift (0: the model's own interval)
    drift_sd: float = 0.0  # τ, the drift of an area this size between the windows, on the log scale

    @property
    def inside_change(self) -> float | None:
        """The inside area's after/before change as a fraction (per month, so unequal windows compare)."""
        return _change(self.inside, self.months)

    @property
    def outside_change(self) -> float | None:
        return _change(self.outside, self.months)

    @property
    def relative_change(self) -> float:
        """The ratio as a change: -0.2 is 20% lower than the force's own change predicts."""
        return self.ratio - 1

    @property
    def clear(self) -> bool:
        """Whether the interval excludes 1: the inside area differs from the force beyond chance."""
        return self.high < 1 or self.low > 1


def _change(totals: tuple[float, float], months: tuple[int, int]) -> float | None:
    before, after = totals[0] / months[0], totals[1] / months[1]
    return None if before == 0 else after / before - 1


def _check(name: str, values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size < MIN_MONTHS:
        raise ValueError(f"{name}: give at least {MIN_MONTHS} monthly counts")
    if np.any(array < 0) or not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: counts must be non-negative numbers")
    return array


def compare_inside_outside(
    inside_before: Sequence[float],
    inside_after: Sequence[float],
    outside_before: Sequence[float],
    outside_after: Sequence[float],
    *,
    confidence: float = 0.95,
) -> RateRatio:
    """The rate ratio of the inside area against the outside one, from their monthly counts.

    The two areas' lists cover the same months, in order: ``*_before`` the months before, ``*_after``
    the months after. ``ValueError`` when either area has no records before or after (no ratio
    exists then) or the windows are too short.

    Examples
    --------
    >>> r = compare_inside_outside([50, 50], [40, 40], [500, 500], [500, 500])
    >>> round(r.ratio, 3), r.months
    (0.8, (2, 2))
    """
    ib, ia = _check("inside before", inside_before), _check("inside after", inside_after)
    ob, oa = _check("outside before", outside_before), _check("outside after", outside_after)
    if ib.size != ob.size or ia.size != oa.size:
        raise ValueError("the inside and outside areas must cover the same months")
    for name, before, after in (("inside", ib, ia), ("outside", ob, oa)):
        if before.sum() == 0 or after.sum() == 0:
            raise ValueError(f"the {name} area has no records {'before' if before.sum() == 0 else 'after'}: no ratio")
    months = ib.size + ia.size
    after = np.r_[np.zeros(ib.size), np.ones(ia.size)]
    month_effects = np.vstack([np.eye(months), np.eye(months)])
    is_inside = np.r_[np.ones(months), np.zeros(months)]
    design = np.column_stack([month_effects, is_inside, is_inside * np.r_[after, np.zeros(months)]])
    counts = np.r_[ib, ia, ob, oa]
    fit = fit_poisson_glm(design, counts)
    delta = fit.coefficients[-1]
    se = math.sqrt(fit.covariance[-1][-1])
    df = len(counts) - design.shape[1]
    quantile = float(stats.t.ppf(0.5 + confidence / 2, df))
    p_value = float(2 * stats.t.sf(abs(delta / se), df)) if se > 0 else 1.0
    return RateRatio(
        inside=(float(ib.sum()), float(ia.sum())),
        outside=(float(ob.sum()), float(oa.sum())),
        months=(int(ib.size), int(ia.size)),
        ratio=math.exp(delta),
        low=math.exp(delta - quantile * se),
        high=math.exp(delta + quantile * se),
        p_value=p_value,
        dispersion=fit.dispersion,
        degrees_of_freedom=df,
        confidence=confidence,
    )


def drift_variance(log_ratios: npt.ArrayLike, count_variances: npt.ArrayLike) -> float:
    """τ²: the variance of placebo log ratios beyond their count noise (DerSimonian-Laird).

    Each placebo is weighted by the inverse of its count variance, so the busy areas (whose ratio
    is precise, and which are like the zones) say the most; many quiet areas, whose ratios are
    mostly count noise, cannot hide the drift of busy ones.
    """
    y = np.asarray(log_ratios, dtype=np.float64)
    w = 1.0 / np.asarray(count_variances, dtype=np.float64)
    mean = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - mean) ** 2))
    scale = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (q - (y.size - 1)) / scale) if scale > 0 else 0.0


def with_placebos(result: RateRatio, grids: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]]) -> RateRatio:
    """``result`` with the drift that placebo areas show added to its variance.

    ``grids`` holds, for each placement of the placebo squares (a grid and its shifted copies), their
    log ratios and count variances. τ² is estimated on each grid and averaged: the shifted grids
    share records, so pooling their squares would count the same drift twice, while averaging
    takes the arbitrariness out of where one grid's lines happen to fall. With fewer than
    :data:`MIN_PLACEBOS` squares on a grid the result is returned unchanged (``placebos`` stays 0).
    The interval and p-value are recomputed with the variance se² + τ².
    """
    estimates, sizes = [], []
    for ratios, variances in grids:
        values = np.asarray(ratios, dtype=np.float64)
        count_var = np.asarray(variances, dtype=np.float64)
        keep = np.isfinite(values) & np.isfinite(count_var)
        if np.count_nonzero(keep) < MIN_PLACEBOS:
            return result
        estimates.append(drift_variance(values[keep], count_var[keep]))
        sizes.append(int(np.count_nonzero(keep)))
    if not estimates:
        return result
    drift = float(np.mean(estimates))
    delta = math.log(result.ratio)
    model_t = float(stats.t.ppf(0.5 + result.confidence / 2, result.degrees_of_freedom))
    se = math.sqrt((math.log(result.high / result.ratio) / model_t) ** 2 + drift)
    df = min(sizes) - 1
    half = float(stats.t.ppf(0.5 + result.confidence / 2, df)) * se
    return replace(
        result,
        low=min(math.exp(delta - half), result.low),
        high=max(math.exp(delta + half), result.high),
        p_value=max(float(2 * stats.t.sf(abs(delta) / se, df)), result.p_value) if se > 0 else result.p_value,
        placebos=min(sizes),
        drift_sd=math.sqrt(drift),
    )


def describe_rate_ratio(result: RateRatio, area: str = "the zone") -> str:
    """One plain-English verdict: did ``area`` change differently from the rest of the force?

    The interval decides the words: only a ratio whose interval excludes 1 is called lower or
    higher; otherwise the difference is within what chance gives.
    """
    share = f"{abs(result.relative_change):.0%}"
    level = f"{result.confidence:.0%}"
    if result.high < 1:
        band = f"{1 - result.high:.0%} to {1 - result.low:.0%}"
        return (
            f"{area} did better than the rest of the force: {share} lower than the force's own change "
            f"predicts ({level} interval {band})"
        )
    if result.low > 1:
        band = f"{result.low - 1:.0%} to {result.high - 1:.0%}"
        return (
            f"{area} did worse than the rest of the force: {share} higher than the force's own change "
            f"predicts ({level} interval {band})"
        )
    return f"{area} changed in line with the rest of the force: no difference beyond chance"
