"""The seasonal counterfactual: IRLS against statsmodels, known values, and coverage of a planted effect."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
import statsmodels.api as sm

from crimeprev.model.periods import add_months
from crimeprev.stats.counterfactual import estimate_counterfactual, fit_poisson_glm, seasonal_design

START = date(2020, 1, 1)
MONTHS = [add_months(START, i) for i in range(40)]
SEASON = [1.0, 0.9, 1.0, 1.0, 1.1, 1.1, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9]


def true_means(level: float = 80.0, trend: float = 0.004) -> np.ndarray:
    """A seasonal series with a gentle upward trend (0.4% a month)."""
    return np.array([level * SEASON[m.month - 1] * math.exp(trend * i) for i, m in enumerate(MONTHS)])


def test_irls_matches_statsmodels_glm() -> None:
    rng = np.random.default_rng(7)
    counts = rng.poisson(true_means()[:36]).astype(float)
    design = seasonal_design(MONTHS[:36], START, 1.5)
    ours = fit_poisson_glm(design, counts)
    reference = sm.GLM(counts, design, family=sm.families.Poisson()).fit(tol=1e-14)
    np.testing.assert_allclose(ours.coefficients, reference.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.fitted, reference.fittedvalues, rtol=1e-8)
    assert ours.deviance == pytest.approx(reference.deviance, abs=1e-8)
    assert ours.pearson_chi2 == pytest.approx(reference.pearson_chi2, rel=1e-8)
    # The quasi-Poisson dispersion is statsmodels' scale="X2".
    assert ours.dispersion_estimate == pytest.approx(
        sm.GLM(counts, design, family=sm.families.Poisson()).fit(scale="X2", tol=1e-14).scale, rel=1e-8
    )
    scale = max(1.0, ours.dispersion_estimate)
    np.testing.assert_allclose(np.array(ours.covariance), reference.cov_params() * scale, rtol=1e-6)


def test_irls_matches_statsmodels_on_overdispersed_counts_with_zeros() -> None:
    rng = np.random.default_rng(11)
    means = true_means(level=3.0)[:36]
    counts = rng.negative_binomial(means / 2, 1 / 3).astype(float)
    assert (counts == 0).any()
    design = seasonal_design(MONTHS[:36], START, 0.0)
    ours = fit_poisson_glm(design, counts)
    reference = sm.GLM(counts, design, family=sm.families.Poisson()).fit(tol=1e-14)
    np.testing.assert_allclose(ours.coefficients, reference.params, rtol=0, atol=1e-8)
    assert ours.dispersion == ours.dispersion_estimate > 1


def test_perfectly_seasonal_series_by_hand() -> None:
    counts = [round(100 * SEASON[m.month - 1]) for m in MONTHS]
    before = list(zip(MONTHS[:36], counts[:36], strict=True))
    during = [(MONTHS[36], 75.0), (MONTHS[37], 60.0)]  # January (100 expected) and February (90)
    result = estimate_counterfactual(before, during, seed=3)
    assert result.expected_by_month == (pytest.approx(100.0, abs=1e-6), pytest.approx(90.0, abs=1e-6))
    assert result.expected == pytest.approx(190.0, abs=1e-6)
    assert result.observed == 135.0
    assert result.prevented == pytest.approx(55.0, abs=1e-6)
    assert result.fit.coefficients[1] == pytest.approx(0.0, abs=1e-9)  # no trend
    assert result.dispersion == 1.0
    # The delta method: Var = 190 (Poisson noise) + gᵀ Cov(β̂) g with g = Σ μₘ xₘ (parameter uncertainty).
    new = seasonal_design([MONTHS[36], MONTHS[37]], START, 17.5 / 12)  # the fit centres the trend
    gradient = np.array([100.0, 90.0]) @ new
    variance = 190 + gradient @ np.array(result.fit.covariance) @ gradient
    assert result.expected_low == pytest.approx(190 - 1.96 * math.sqrt(variance), abs=3)
    assert result.expected_high == pytest.approx(190 + 1.96 * math.sqrt(variance), abs=3)
    assert (result.prevented_low, result.prevented_high) == (result.expected_low - 135, result.expected_high - 135)
    assert result.months == (MONTHS[36], MONTHS[37])


def test_reproducible_with_a_seed() -> None:
    rng = np.random.default_rng(5)
    counts = rng.poisson(true_means()).astype(float)
    before = list(zip(MONTHS[:36], counts[:36].tolist(), strict=True))
    during = [(MONTHS[36], float(counts[36]))]
    first = estimate_counterfactual(before, during, seed=42)
    assert first == estimate_counterfactual(before, during, seed=42)
    other = estimate_counterfactual(before, during, seed=43)
    assert other.expected == first.expected
    assert (other.expected_low, other.expected_high) != (first.expected_low, first.expected_high)


def test_missing_months_before_are_left_out_of_the_fit() -> None:
    rng = np.random.default_rng(9)
    counts = rng.poisson(true_means()).astype(float).tolist()
    with_gap: list[tuple[date, float | None]] = list(zip(MONTHS[:36], counts[:36], strict=True))
    with_gap[20] = (MONTHS[20], None)
    without = [pair for pair in with_gap if pair[1] is not None]
    during: list[tuple[date, float | None]] = [(MONTHS[36], counts[36])]
    assert estimate_counterfactual(with_gap, during, seed=1) == estimate_counterfactual(without, during, seed=1)


def _planted_effect_run(seed: int, overdispersion: float | None) -> bool:
    """One synthetic series with a 25% fall in the operation month: does the interval hold the truth?

    The truth is the crimes prevented in this run: the count the month would have had without the
    operation (drawn from the true model) less the count it had.
    """
    rng = np.random.default_rng(seed)
    means = true_means()[:37]

    def draw(mean: np.ndarray | float) -> np.ndarray:
        if overdispersion is None:
            return rng.poisson(mean)
        return rng.negative_binomial(np.asarray(mean) / (overdispersion - 1), 1 / overdispersion)

    before = draw(means[:36]).astype(float)
    observed = float(draw(0.75 * means[36]))
    would_have_been = float(draw(means[36]))
    result = estimate_counterfactual(
        list(zip(MONTHS[:36], before.tolist(), strict=True)), [(MONTHS[36], observed)], seed=seed, draws=4000
    )
    return result.prevented_low <= would_have_been - observed <= result.prevented_high


def test_interval_covers_a_planted_effect() -> None:
    covered = sum(_planted_effect_run(seed, None) for seed in range(50))
    assert covered >= 45  # 90% of 50 runs; the nominal coverage is 95%


def test_interval_covers_a_planted_effect_in_overdispersed_counts() -> None:
    covered = sum(_planted_effect_run(1000 + seed, 3.0) for seed in range(50))
    assert covered >= 45


def test_planted_effect_is_recovered_on_average() -> None:
    means = true_means()
    estimates = []
    for seed in range(30):
        rng = np.random.default_rng(seed)
        before = rng.poisson(means[:36]).astype(float)
        during = [(MONTHS[36], 0.75 * means[36])]  # the expected count under the operation
        series = list(zip(MONTHS[:36], before.tolist(), strict=True))
        result = estimate_counterfactual(series, during, seed=seed, draws=200)
        estimates.append(result.prevented)
    assert np.mean(estimates) == pytest.approx(0.25 * means[36], rel=0.1)


@pytest.mark.parametrize(
    ("before", "during", "message"),
    [
        (list(zip(MONTHS[:20], [5.0] * 20, strict=True)), [(MONTHS[36], 5.0)], "at least 24"),
        ([(m, 5.0) for m in MONTHS[:36] if m.month != 7], [(MONTHS[36], 5.0)], "every calendar month"),
        (list(zip(MONTHS[:36], [5.0] * 36, strict=True)), [(MONTHS[30], 5.0)], "after"),
        (list(zip(MONTHS[:36], [5.0] * 36, strict=True)), [(MONTHS[36], None)], "observed"),
        (list(zip(MONTHS[:36], [5.0] * 36, strict=True)), [], "at least one"),
        (list(zip(MONTHS[:36], [0.0] * 36, strict=True)), [(MONTHS[36], 5.0)], "any January, February"),
        ([(m, 0.0 if m.month == 3 else 2.0) for m in MONTHS[:36]], [(MONTHS[36], 5.0)], "any March before"),
    ],
)
def test_rejects_bad_input(
    before: list[tuple[date, float | None]], during: list[tuple[date, float | None]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        estimate_counterfactual(before, during, seed=0)


@pytest.mark.parametrize(
    ("design", "counts", "message"),
    [
        (np.ones((3, 1)), np.zeros(3), "not all zero"),
        (np.ones((3, 1)), np.array([1.0, -1.0, 2.0]), "non-negative"),
        (np.ones((2, 2)), np.ones(2), "more counts"),
        (np.column_stack([np.ones(4), np.ones(4)]), np.ones(4), "full column rank"),
    ],
)
def test_glm_rejects_bad_input(design: np.ndarray, counts: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_poisson_glm(design, counts)
