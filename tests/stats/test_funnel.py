"""Funnel plot limits against figures worked out by hand (Spiegelhalter 2005)."""

from __future__ import annotations

import math

import pytest

from crimeprev.stats.funnel import build_funnel, poisson_limit

# Poisson(10) cumulative probabilities, from tables: F(3), F(4), F(16), F(17).
F3, F4, F16, F17 = 0.010336051, 0.029252688, 0.972958390, 0.985722386


def test_poisson_limits_interpolate_between_whole_counts() -> None:
    # p = 0.025: F(3) < p <= F(4), so y = 4 and alpha = (F(4) - p) / (F(4) - F(3)).
    assert poisson_limit(10, 0.025) == pytest.approx(4 - (F4 - 0.025) / (F4 - F3), abs=1e-6)  # 3.7752
    # p = 0.975: F(16) < p <= F(17), so y = 17.
    assert poisson_limit(10, 0.975) == pytest.approx(17 - (F17 - 0.975) / (F17 - F16), abs=1e-6)  # 16.160
    assert poisson_limit(0, 0.975) == 0.0


def test_a_group_that_varies_as_chance_allows_gets_poisson_limits() -> None:
    funnel = build_funnel([10, 20, 30], [1000, 2000, 3000])  # every rate 0.01: no spread at all
    assert funnel.target == pytest.approx(0.01)
    assert not funnel.overdispersed and funnel.tau2 == 0
    first = funnel.points[0]
    assert first.limits.inner_low == pytest.approx((4 - (F4 - 0.025) / (F4 - F3)) / 1000, abs=1e-9)
    assert first.limits.inner_high == pytest.approx((17 - (F17 - 0.975) / (F17 - F16)) / 1000, abs=1e-9)
    assert [p.verdict for p in funnel.points] == ["in line"] * 3
    assert funnel.limits_at(1000) == first.limits


def test_an_overdispersed_group_widens_its_limits_by_the_spread_between_forces() -> None:
    counts, people = [100, 300, 200, 500], [10_000, 20_000, 30_000, 40_000]
    funnel = build_funnel(counts, people)
    # By hand: the pooled rate, each force's z-score against it, Winsorised at the 10th and 90th
    # percentiles (linear interpolation between the sorted z-scores), phi, then tau squared.
    target = 1100 / 100_000
    z = [(c / n - target) / math.sqrt(target / n) for c, n in zip(counts, people, strict=True)]
    ordered = sorted(z)  # positions 0..3: the 10th percentile sits 0.3 of the way from the 1st to the 2nd
    low = ordered[0] + 0.3 * (ordered[1] - ordered[0])
    high = ordered[2] + 0.7 * (ordered[3] - ordered[2])
    phi = sum(min(max(v, low), high) ** 2 for v in z) / 4
    assert 4 * phi > 7.814728  # the 95th percentile of chi-squared on 3 degrees of freedom: over-dispersed
    w = [n / target for n in people]
    tau2 = (4 * phi - 3) / (sum(w) - sum(x * x for x in w) / sum(w))
    assert funnel.target == pytest.approx(target)
    assert funnel.phi == pytest.approx(phi, rel=1e-9)
    assert funnel.overdispersed and funnel.tau2 == pytest.approx(tau2, rel=1e-9)
    for point, n in zip(funnel.points, people, strict=True):
        sd = math.sqrt(target / n + tau2)
        assert point.limits.inner_low == pytest.approx(target - 1.959964 * sd, rel=1e-6)
        assert point.limits.inner_high == pytest.approx(target + 1.959964 * sd, rel=1e-6)
        assert point.limits.outer_high == pytest.approx(target + 3.090232 * sd, rel=1e-6)
    # Worked numbers: phi 14.65, tau squared 8.74e-6; the smallest force's 95% limits 0.00485 to 0.01715.
    assert round(funnel.phi, 2) == 14.65 and round(funnel.tau2 * 1e6, 2) == 8.74
    assert (round(funnel.points[0].limits.inner_low, 5), round(funnel.points[0].limits.inner_high, 5)) == (
        0.00485,
        0.01715,
    )
    # Force 3's rate (0.0067) is far below the pooled rate on a Poisson reading (z = -7.2), but
    # within the spread these forces show between them.
    assert z[2] < -7 and funnel.points[2].verdict == "in line"


def test_a_force_beyond_the_limits_is_higher_or_lower() -> None:
    funnel = build_funnel([130, 100, 100, 100, 70], [10_000] * 5)  # pooled 0.01, Poisson sd 0.001
    assert not funnel.overdispersed  # z = +3, 0, 0, 0, -3: I*phi (winsorised) is below chi2(4)
    assert [p.verdict for p in funnel.points] == ["higher", "in line", "in line", "in line", "lower"]
    # A Poisson count is skewed: the 99.8% limits for 100 expected are 70.07 and 131.80, so 30 below
    # is beyond the outer limit and 30 above is not.
    assert [p.well_beyond for p in funnel.points] == [False, False, False, False, True]
    assert funnel.points[0].limits.outer_high * 10_000 == pytest.approx(131.80, abs=0.01)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="population"):
        build_funnel([1], [0])
    with pytest.raises(ValueError, match="one count and one population"):
        build_funnel([1, 2], [10])


def test_a_limit_is_never_below_nought() -> None:
    # Poisson(0.01): F(0) = 0.990 already exceeds 0.001, so y = 0 and the interpolation would give -0.999
    assert poisson_limit(0.01, 0.001) == 0.0
