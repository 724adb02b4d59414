"""Funnel plot control limits for comparing rates per population across a group of forces.

A league table of crime rates invites reading every difference as real. A funnel plot
(Spiegelhalter 2005) instead asks whether each force's rate is further from the group's than its
size allows: a small force's rate wanders further by chance than a large force's, so the limits
narrow as the population grows, and only a force outside them differs beyond noise.

For forces i = 1..I with counts Oᵢ and populations nᵢ:

* the **target** is the group's pooled rate θ = ΣOᵢ / Σnᵢ (the group average);
* under pure chance a force's count is Poisson with mean θnᵢ. Its limits at probability p are the
  p-quantile of that Poisson distribution, interpolated between whole counts as Spiegelhalter
  (2005, appendix A.1.1) does: with y the smallest count whose cumulative probability F(y) ≥ p and
  α = (F(y) − p) / (F(y) − F(y − 1)), the limit is (y − α) / nᵢ;
* forces differ for reasons that are not chance (urban and rural areas, recording practice), so
  a group of forces is usually **over-dispersed**: more spread out than Poisson allows. Each force
  gets the z-score zᵢ = (yᵢ − θ) / sᵢ with yᵢ = Oᵢ/nᵢ and sᵢ² = θ/nᵢ; the z-scores are Winsorised at
  their 10th and 90th percentiles (so one extreme force cannot set the spread), and
  I·φ̂ = Σ z_w² is compared with χ²(I − 1). When it exceeds the 95th percentile, the
  between-force variance is estimated by the additive random-effects (DerSimonian-Laird) method
  of Spiegelhalter (2005, §3.2), τ̂² = (Iφ̂ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ) with wᵢ = 1/sᵢ², and the
  limits become θ ± z_p √(sᵢ² + τ̂²): a force is then flagged only when it differs by more than
  forces like it usually do.

A force is **higher** or **lower** than the group beyond noise when its rate lies outside the 95%
limits (two-sided, the same 0.05 the change verdicts use); the 99.8% limits are drawn as well, as
public-health funnel plots do, and reported as ``well_beyond``.

References
----------
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. *Statistics in
Medicine* 24, 1185-1202.
Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators. *Quality and
Safety in Health Care* 14, 347-351.
Public Health England (2018). *Technical guide: calculating funnel plot control limits*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped]

INNER = 0.95
"""The limits a force must fall outside to differ from the group beyond noise."""
OUTER = 0.998
"""The wider limits drawn as well (about three standard deviations)."""
WINSOR = 0.10
"""Share of z-scores Winsorised at each end before the over-dispersion is estimated."""

Verdict = Literal["higher", "lower", "in line"]


@dataclass(frozen=True, slots=True)
class Limits:
    """A funnel's limits at one population, as rates (events per person)."""

    inner_low: float
    inner_high: float
    outer_low: float
    outer_high: float


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    """One force on the funnel."""

    count: float
    population: float
    rate: float
    z: float
    limits: Limits
    verdict: Verdict
    well_beyond: bool


@dataclass(frozen=True, slots=True)
class Funnel:
    """The group's target, its over-dispersion, and every force's point."""

    target: float
    phi: float
    tau2: float
    overdispersed: bool
    points: tuple[FunnelPoint, ...]

    def limits_at(self, population: float) -> Limits:
        """The limits at any population (for drawing the funnel's curves)."""
        return _limits(self.target, population, self.tau2)


def poisson_limit(mean: float, p: float) -> float:
    """The interpolated p-quantile of a Poisson count with ``mean`` (Spiegelhalter 2005, A.1.1)."""
    if mean <= 0:
        return 0.0
    y = float(stats.poisson.ppf(p, mean))
    below = float(stats.poisson.cdf(y - 1, mean)) if y > 0 else 0.0
    at = float(stats.poisson.cdf(y, mean))
    alpha = (at - p) / (at - below) if at > below else 0.0
    return max(0.0, y - alpha)


def _limits(target: float, population: float, tau2: float) -> Limits:
    if tau2 > 0:
        sd = math.sqrt(target / population + tau2)
        zi, zo = stats.norm.ppf((1 + INNER) / 2), stats.norm.ppf((1 + OUTER) / 2)
        return Limits(target - zi * sd, target + zi * sd, target - zo * sd, target + zo * sd)
    mean = target * population
    return Limits(
        poisson_limit(mean, (1 - INNER) / 2) / population,
        poisson_limit(mean, (1 + INNER) / 2) / population,
        poisson_limit(mean, (1 - OUTER) / 2) / population,
        poisson_limit(mean, (1 + OUTER) / 2) / population,
    )


def winsorised(z: npt.ArrayLike, share: float = WINSOR) -> np.ndarray:
    """``z`` with values beyond its ``share`` and 1 − ``share`` percentiles set to those percentiles."""
    values = np.asarray(z, dtype=np.float64)
    low, high = np.percentile(values, [100 * share, 100 * (1 - share)])
    return np.clip(values, low, high)


def build_funnel(counts: Sequence[float], populations: Sequence[float]) -> Funnel:
    """The funnel of a group: see the module docstring. Populations must be positive."""
    o = np.asarray(counts, dtype=np.float64)
    n = np.asarray(populations, dtype=np.float64)
    if len(o) != len(n) or len(o) == 0:
        raise ValueError("one count and one population per force, at least one force")
    if np.any(n <= 0) or np.any(o < 0):
        raise ValueError("populations must be positive and counts not negative")
    target = float(o.sum() / n.sum())
    rates = o / n
    s2 = np.full_like(n, np.inf) if target == 0 else target / n
    z = (rates - target) / np.sqrt(s2)
    forces = len(o)
    phi = float(np.mean(winsorised(z) ** 2)) if forces > 1 and target > 0 else 0.0
    overdispersed = forces > 1 and forces * phi > float(stats.chi2.ppf(0.95, forces - 1))
    tau2 = 0.0
    if overdispersed:
        w = 1 / s2
        tau2 = max(0.0, (forces * phi - (forces - 1)) / float(w.sum() - (w**2).sum() / w.sum()))
    points = []
    for count, population, rate, z_i in zip(o, n, rates, z, strict=True):
        limits = _limits(target, float(population), tau2)
        verdict: Verdict = "higher" if rate > limits.inner_high else "lower" if rate < limits.inner_low else "in line"
        beyond = bool(rate > limits.outer_high or rate < limits.outer_low)
        points.append(FunnelPoint(float(count), float(population), float(rate), float(z_i), limits, verdict, beyond))
    return Funnel(target, phi, tau2, bool(overdispersed), tuple(points))
