"""The zone-against-force rate ratio: agrees with statsmodels' quasi-Poisson GLM, covers the truth."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats  # type: ignore[import-untyped]

from crimeprev.stats.difference_in_differences import (
    compare_inside_outside,
    describe_rate_ratio,
    drift_variance,
    with_placebos,
)


def _statsmodels(ib: np.ndarray, ia: np.ndarray, ob: np.ndarray, oa: np.ndarray) -> tuple[float, float, float]:
    months = ib.size + ia.size
    design = np.column_stack([
        np.vstack([np.eye(months), np.eye(months)]),
        np.r_[np.ones(months), np.zeros(months)],
        np.r_[np.zeros(ib.size), np.ones(ia.size), np.zeros(months)],
    ])  # fmt: skip
    fit = sm.GLM(np.r_[ib, ia, ob, oa], design, family=sm.families.Poisson()).fit(scale="X2")
    return float(fit.params[-1]), float(fit.bse[-1]), float(fit.scale)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_statsmodels_quasi_poisson(seed: int) -> None:
    rng = np.random.default_rng(seed)
    season = 1 + 0.2 * np.sin(np.arange(12) / 12 * 2 * np.pi)
    ib, ia = rng.poisson(40 * season[:6]), rng.poisson(30 * season[6:])
    ob = rng.negative_binomial(15, 15 / (15 + 800 * season[:6]))
    oa = rng.negative_binomial(15, 15 / (15 + 800 * season[6:]))
    ours = compare_inside_outside(ib, ia, ob, oa)
    delta, se, scale = _statsmodels(ib, ia, ob, oa)
    assert math.log(ours.ratio) == pytest.approx(delta, abs=1e-9)
    # crimeprev never lets the dispersion fall below 1 (no less variable than Poisson)
    assert ours.dispersion == pytest.approx(max(1.0, scale), rel=1e-6)
    assert math.log(ours.high / ours.ratio) == pytest.approx(
        se * math.sqrt(max(1.0, scale) / scale) * float(stats.t.ppf(0.975, 10)), rel=1e-6
    )


def test_hand_computed_ratio_of_ratios() -> None:
    # with constant months the ratio is (inside after / before) / (outside after / before) exactly
    r = compare_inside_outside([60, 60, 60], [45, 45, 45], [1000, 1000, 1000], [1100, 1100, 1100])
    assert r.ratio == pytest.approx((135 / 180) / (3300 / 3000))
    assert r.inside_change == pytest.approx(-0.25) and r.outside_change == pytest.approx(0.10)
    assert r.clear and r.high < 1


def test_interval_covers_a_planted_effect_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(7)
    covered = 0
    runs = 300
    for _ in range(runs):
        ib, ia = rng.poisson(50, 6), rng.poisson(50 * 0.7 * 1.1, 6)
        ob, oa = rng.poisson(2000, 6), rng.poisson(2000 * 1.1, 6)
        r = compare_inside_outside(ib, ia, ob, oa)
        covered += r.low <= 0.7 <= r.high
    assert 0.91 <= covered / runs <= 0.99


def test_no_difference_reads_as_no_difference() -> None:
    r = compare_inside_outside([30, 31, 29], [30, 29, 32], [900, 905, 895], [902, 899, 901])
    assert not r.clear
    text = describe_rate_ratio(r, "Grays")
    assert text == "Grays changed in line with the rest of the force: no difference beyond chance"
    assert "fell" not in text and "rose" not in text


def test_a_clear_fall_is_described_with_its_interval() -> None:
    r = compare_inside_outside([60] * 6, [30] * 6, [1000] * 6, [1000] * 6)
    text = describe_rate_ratio(r, "the zone")
    assert text.startswith("the zone did better than the rest of the force: 50% lower")
    assert f"95% interval {1 - r.high:.0%} to {1 - r.low:.0%}" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0, 0], [3, 4], [10, 10], [10, 10]), "the inside area has no records before"),
        (([1], [3], [10], [10]), "at least 2 monthly counts"),
        (([1, 2], [3, 4], [10, 10, 10], [10, 10]), "same months"),
        (([1, -2], [3, 4], [10, 10], [10, 10]), "non-negative"),
    ],
)
def test_impossible_inputs_are_refused(args: tuple[list[int], ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare_inside_outside(*args)


def test_drift_variance_recovers_the_drift_of_simulated_areas() -> None:
    rng = np.random.default_rng(3)
    before = rng.choice([15.0, 40.0, 150.0, 600.0], size=400)
    drift = rng.normal(0, 0.15, 400)
    after = rng.poisson(before * np.exp(drift))
    observed = rng.poisson(before)
    keep = (after > 0) & (observed > 0)
    log_ratios = np.log(after[keep] / observed[keep])
    variances = 1 / after[keep] + 1 / observed[keep]
    assert math.sqrt(drift_variance(log_ratios, variances)) == pytest.approx(0.15, abs=0.03)
    # counts alone, no drift: next to nothing
    pure = rng.poisson(before)
    assert drift_variance(np.log(pure / observed), 1 / pure + 1 / observed) < 0.02**2


def test_placebos_widen_the_interval_by_the_drift_and_never_narrow_it() -> None:
    r = compare_inside_outside([60] * 6, [45] * 6, [1000] * 6, [1000] * 6)
    wide = with_placebos(r, [(wide_values(1), np.full(50, 0.01))])
    assert wide.placebos == 50
    assert wide.drift_sd == pytest.approx(math.sqrt(drift_variance(wide_values(1), np.full(50, 0.01))), rel=1e-9)
    assert wide.low < r.low and wide.high > r.high and wide.ratio == r.ratio
    calm = with_placebos(r, [(np.zeros(50), np.full(50, 0.01))])
    assert (calm.low, calm.high) == (r.low, r.high) and calm.drift_sd == 0
    assert with_placebos(r, [(np.zeros(5), np.full(5, 0.01))]) == r  # too few to trust
    two = with_placebos(r, [(wide_values(1), np.full(50, 0.01)), (wide_values(2), np.full(50, 0.01))])
    mean = (drift_variance(wide_values(1), np.full(50, 0.01)) + drift_variance(wide_values(2), np.full(50, 0.01))) / 2
    assert two.drift_sd == pytest.approx(math.sqrt(mean))  # shifted grids: their estimates averaged


def wide_values(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.2, 50)
