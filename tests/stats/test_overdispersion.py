"""The quasi-Poisson comparison: the dispersion by hand, the test against statsmodels' GLM."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.rates import test_poisson_2indep as statsmodels_poisson_2indep

from crimeprev.model.periods import add_months
from crimeprev.stats.overdispersion import compare_overdispersed, estimate_dispersion
from crimeprev.stats.poisson_test import compare_poisson_rates

# Knife crime, 2,910 then 2,725, swinging between alternate months.
PREVIOUS = [262, 221, 275, 230, 268, 214, 251, 226, 259, 240, 222, 242]
CURRENT = [244, 205, 251, 218, 240, 199, 236, 207, 239, 222, 236, 228]


def reference_dispersion(*windows: list[float]) -> float:
    """Σ (successive differences)² / (2 × pairs × mean month), with numpy."""
    diffs = np.concatenate([np.diff(w) for w in windows])
    months = np.concatenate(windows)
    return float(np.sum(diffs**2) / (2 * len(diffs) * months.mean()))


def statsmodels_quasi_poisson(previous: list[float], current: list[float], phi: float) -> tuple[float, float, float]:
    """log rate ratio, its standard error and p from a Poisson GLM of the months on a window
    indicator, with the scale fixed at φ (the quasi-Poisson fit with a given dispersion)."""
    counts = np.array([*previous, *current], dtype=float)
    later = np.array([0.0] * len(previous) + [1.0] * len(current))
    design = np.column_stack([np.ones_like(later), later])
    fit = sm.GLM(counts, design, family=sm.families.Poisson()).fit(scale=phi, tol=1e-13)
    return float(fit.params[1]), float(fit.bse[1]), float(fit.pvalues[1])


def test_dispersion_by_hand() -> None:
    # Differences 2, -2, 2 and -2, 2, -2: Σd² = 24 over 6 pairs; mean month 12; 24 / (2 × 6 × 12).
    assert estimate_dispersion([[10, 12, 10, 12], [14, 12, 14, 12]]) == pytest.approx(1 / 6, abs=1e-15)
    # Differences never cross windows: [1, 1] then [9, 9] has no variation at all.
    assert estimate_dispersion([[1, 1], [9, 9]]) == 0.0
    assert estimate_dispersion([PREVIOUS, CURRENT]) == pytest.approx(reference_dispersion(PREVIOUS, CURRENT), rel=1e-12)


def test_knife_crime_with_its_monthly_swing() -> None:
    test = compare_overdispersed(PREVIOUS, CURRENT)
    assert test is not None
    assert (test.count1, test.count2, test.months1, test.months2) == (2910, 2725, 12, 12)
    assert test.dispersion == pytest.approx(reference_dispersion(PREVIOUS, CURRENT), rel=1e-12)
    assert test.dispersion == pytest.approx(2.4997, abs=1e-4)
    log_ratio, se, p = statsmodels_quasi_poisson(PREVIOUS, CURRENT, test.dispersion)
    assert math.log(test.rate_ratio) == pytest.approx(log_ratio, abs=1e-10)
    assert test.z == pytest.approx(log_ratio / se, abs=1e-8)
    assert test.p_value == pytest.approx(p, abs=1e-10)
    assert test.p_value == pytest.approx(0.1191, abs=1e-4)
    assert test.pct_change == pytest.approx(-6.3574, abs=1e-4)
    assert (test.pct_low, test.pct_high) == (pytest.approx(-13.782, abs=1e-3), pytest.approx(1.706, abs=1e-3))
    # The exact Poisson test, which ignores the swing, calls the same totals significant.
    assert compare_poisson_rates(2910, 2725).p_value < 0.05


def test_underdispersed_series_falls_back_to_the_poisson_variance() -> None:
    previous = [240.0 + (i % 2) for i in range(12)]
    current = [226.0 + (i % 2) for i in range(12)]
    test = compare_overdispersed(previous, current)
    assert test is not None
    assert test.dispersion_estimate < 1 and test.dispersion == 1.0
    c1, c2 = sum(previous), sum(current)
    wald_log = statsmodels_poisson_2indep(c1, 12, c2, 12, method="wald-log")
    assert test.p_value == pytest.approx(float(wald_log.pvalue), abs=1e-10)


def test_unequal_windows_compare_rates_per_month() -> None:
    previous = [100.0, 120, 90, 110, 105, 95]
    current = [60.0, 70, 55, 65, 62, 58, 61, 64]
    test = compare_overdispersed(previous, current)
    assert test is not None
    assert test.rate_ratio == pytest.approx((495 / 8) / (620 / 6), rel=1e-12)
    log_ratio, se, p = statsmodels_quasi_poisson(previous, current, test.dispersion)
    assert test.p_value == pytest.approx(p, abs=1e-10)
    assert math.log(test.ratio_high) == pytest.approx(log_ratio + 1.959963984540054 * se, abs=1e-9)


def test_dated_windows_give_the_same_answer() -> None:
    months = [add_months(date(2023, 4, 1), i) for i in range(24)]
    dated_previous = list(zip(months[:12], PREVIOUS, strict=True))
    dated_current = list(zip(months[12:], CURRENT, strict=True))
    assert compare_overdispersed(dated_previous, dated_current) == compare_overdispersed(PREVIOUS, CURRENT)


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        (PREVIOUS[:3], CURRENT[:3]),  # a quarter against a quarter: 6 months
        (PREVIOUS[:5], CURRENT[:6]),  # 11 months
        ([*PREVIOUS[:11], None], CURRENT),  # a missing month
        ([1.0], [*CURRENT, *CURRENT]),  # a window of one month has no successive difference
        ([0.0] * 12, CURRENT),  # a zero total
    ],
)
def test_too_little_to_estimate_gives_none(previous: list[float | None], current: list[float | None]) -> None:
    assert compare_overdispersed(previous, current) is None


def test_minimum_months_is_a_parameter() -> None:
    assert compare_overdispersed(PREVIOUS[:3], CURRENT[:3], min_months=6) is not None


def test_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        compare_overdispersed([-1.0, *PREVIOUS[1:]], CURRENT)


def test_calibrated_on_overdispersed_counts() -> None:
    """With no real change and variance 4 × the mean, the exact test cries wolf; this one does not."""
    rng = np.random.default_rng(20240601)
    mean, phi, runs = 200.0, 4.0, 400
    size = mean / (phi - 1)
    quasi = exact = 0
    for _ in range(runs):
        previous = rng.negative_binomial(size, 1 / phi, 12).astype(float).tolist()
        current = rng.negative_binomial(size, 1 / phi, 12).astype(float).tolist()
        test = compare_overdispersed(previous, current)
        assert test is not None
        quasi += test.p_value < 0.05
        exact += compare_poisson_rates(sum(previous), sum(current)).p_value < 0.05
    assert quasi / runs < 0.09
    assert exact / runs > 0.25


windows = st.lists(st.integers(1, 400).map(float), min_size=6, max_size=18)


@settings(max_examples=60, deadline=None)
@given(windows, windows)
def test_symmetric_and_never_bolder_than_poisson(previous: list[float], current: list[float]) -> None:
    forward = compare_overdispersed(previous, current, min_months=12)
    backward = compare_overdispersed(current, previous, min_months=12)
    assert forward is not None and backward is not None
    assert backward.p_value == pytest.approx(forward.p_value, abs=1e-12)
    assert backward.z == pytest.approx(-forward.z, abs=1e-9)
    assert forward.dispersion >= 1.0
    # φ ≥ 1: never a smaller p than the Wald test on the log ratio with Poisson variance.
    c1, c2 = sum(previous), sum(current)
    wald = statsmodels_poisson_2indep(c1, len(previous), c2, len(current), method="wald-log")
    assert forward.p_value >= float(wald.pvalue) - 1e-12
    assert forward.ratio_low <= forward.rate_ratio <= forward.ratio_high
