"""The exact conditional Poisson test, against statsmodels and hand-worked intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep as statsmodels_poisson_2indep

from crimeprev.stats.poisson_test import compare_many_poisson_rates, compare_poisson_rates

# The demo comparisons: 12 months against the 12 months before, equal exposures.
DEMO = {
    "knife crime": (2910, 2725, 0.014),
    "residential burglary": (3560, 3757, 0.022),
    "personal robbery": (1375, 1357, None),
    "fraud": (1811, 1856, None),
}


def reference_p(count1: int, exposure1: float, count2: int, exposure2: float) -> float:
    """statsmodels' exact conditional p-value (it also computes the ratio, which divides by zero for count2 = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(statsmodels_poisson_2indep(count1, exposure1, count2, exposure2, method="exact-cond").pvalue)


@pytest.mark.parametrize("name", list(DEMO))
def test_demo_comparisons_match_statsmodels(name: str) -> None:
    before, after, published = DEMO[name]
    test = compare_poisson_rates(before, after, exposure1=12, exposure2=12)
    assert test.p_value == pytest.approx(reference_p(before, 12, after, 12), abs=1e-8)
    if published is None:
        assert test.p_value > 0.05
        assert test.pct_low < 0 < test.pct_high
    else:
        assert test.p_value == pytest.approx(published, abs=5e-4)
        assert not test.pct_low < 0 < test.pct_high


def test_knife_crime_known_values() -> None:
    test = compare_poisson_rates(2910, 2725)
    assert test.p_value == pytest.approx(0.0142327, abs=1e-7)
    assert test.rate_ratio == pytest.approx(2725 / 2910, rel=1e-15)
    assert test.pct_change == pytest.approx(-6.357388, abs=1e-6)
    assert test.pct_low == pytest.approx(-11.157007, abs=1e-6)
    assert test.pct_high == pytest.approx(-1.300718, abs=1e-6)


@pytest.mark.parametrize(
    ("count1", "exposure1", "count2", "exposure2"),
    [(12, 3.0, 25, 3.0), (40, 12.0, 18, 6.0), (0, 1.0, 7, 2.0), (5, 2.5, 0, 1.0), (1, 1.0, 1, 1.0)],
)
def test_interval_is_clopper_pearson(count1: int, exposure1: float, count2: int, exposure2: float) -> None:
    test = compare_poisson_rates(count1, count2, exposure1=exposure1, exposure2=exposure2)
    total = count1 + count2
    low, high = proportion_confint(count2, total, alpha=0.05, method="beta")
    odds = exposure1 / exposure2
    assert test.ratio_low == pytest.approx(low / (1 - low) * odds, rel=1e-9, abs=1e-12)
    if high >= 1:
        assert test.ratio_high == math.inf
    else:
        assert test.ratio_high == pytest.approx(high / (1 - high) * odds, rel=1e-9)
    assert test.p_value == pytest.approx(reference_p(count1, exposure1, count2, exposure2), abs=1e-8)


def test_interval_from_the_beta_quantiles() -> None:
    # Clopper-Pearson by hand: B(0.025; x, n - x + 1) and B(0.975; x + 1, n - x) for x = 20 of n = 50.
    test = compare_poisson_rates(30, 20)
    low = stats.beta.ppf(0.025, 20, 31)
    high = stats.beta.ppf(0.975, 21, 30)
    assert test.ratio_low == pytest.approx(low / (1 - low), rel=1e-9)
    assert test.ratio_high == pytest.approx(high / (1 - high), rel=1e-9)


def test_no_crimes_in_either_window() -> None:
    test = compare_poisson_rates(0, 0)
    assert (test.p_value, test.rate_ratio, test.ratio_low, test.ratio_high) == (1.0, None, 0.0, math.inf)
    assert test.pct_change is None


def test_from_zero() -> None:
    test = compare_poisson_rates(0, 10)
    assert test.rate_ratio is None and test.ratio_high == math.inf
    assert test.p_value == pytest.approx(2 * 0.5**10, abs=1e-15)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((2.5, 3), {}, "whole number"),
        ((-1, 3), {}, "whole number"),
        ((float("nan"), 3), {}, "whole number"),
        ((float("inf"), 3), {}, "whole number"),
        ((1, 3), {"exposure1": 0.0}, "exposures"),
        ((1, 3), {"confidence": 0.0}, "confidence"),
    ],
)
def test_rejects_bad_input(args: tuple[float, float], kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare_poisson_rates(*args, **kwargs)


def test_accepts_whole_floats() -> None:
    assert compare_poisson_rates(2910.0, 2725.0) == compare_poisson_rates(2910, 2725)


exposures = st.floats(min_value=0.5, max_value=24, allow_nan=False)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 3000), st.integers(0, 3000), exposures, exposures)
def test_symmetric_under_swapping_the_windows(count1: int, count2: int, exposure1: float, exposure2: float) -> None:
    forward = compare_poisson_rates(count1, count2, exposure1=exposure1, exposure2=exposure2)
    backward = compare_poisson_rates(count2, count1, exposure1=exposure2, exposure2=exposure1)
    assert backward.p_value == pytest.approx(forward.p_value, abs=1e-9)
    if forward.ratio_low > 0 and forward.ratio_high < math.inf:
        assert backward.ratio_low == pytest.approx(1 / forward.ratio_high, rel=1e-9)
        assert backward.ratio_high == pytest.approx(1 / forward.ratio_low, rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000), exposures, exposures)
def test_p_value_matches_statsmodels(count1: int, count2: int, exposure1: float, exposure2: float) -> None:
    if count1 + count2 == 0:
        return  # statsmodels (via scipy's binomtest) refuses n = 0; ours gives p = 1
    test = compare_poisson_rates(count1, count2, exposure1=exposure1, exposure2=exposure2)
    assert test.p_value == pytest.approx(reference_p(count1, exposure1, count2, exposure2), abs=1e-8)
    assert 0.0 <= test.p_value <= 1.0
    if test.rate_ratio is not None:
        assert test.ratio_low <= test.rate_ratio <= test.ratio_high


def scipy_binomtest_reference(
    count1: int, count2: int, exposure1: float, exposure2: float
) -> tuple[float, float, float]:
    """The p-value and the interval of the later window's share of the crimes, the way crimeprev
    computed them before the array form: scipy's ``binomtest`` and its exact interval (a root
    search per comparison, to 2e-12 on the share)."""
    total = count1 + count2
    share1 = exposure1 / (exposure1 + exposure2)
    p_value = min(float(stats.binomtest(count1, total, share1).pvalue), 1.0)
    ci = stats.binomtest(count2, total, 1 - share1).proportion_ci(confidence_level=0.95, method="exact")
    return p_value, float(ci.low), float(ci.high)


def share_of(ratio: float, exposure1: float, exposure2: float) -> float:
    """The later window's share of the crimes for a rate ratio (the inverse of ratio = π/(1-π) × e1/e2)."""
    if ratio == math.inf:
        return 1.0
    scaled = ratio * exposure2 / exposure1
    return scaled / (1 + scaled)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 4000), exposures, exposures).filter(lambda t: t[0] + t[1] > 0),
        min_size=1,
        max_size=40,
    )
)
def test_array_form_agrees_with_binomtest_to_1e9(cases: list[tuple[int, int, float, float]]) -> None:
    # The interval is compared as the share of crimes, the quantity both methods compute: turned
    # into a rate ratio π/(1-π), a share near 1 magnifies the root search's own 2e-12 tolerance.
    tests = compare_many_poisson_rates(
        [c[0] for c in cases],
        [c[1] for c in cases],
        exposure1=[c[2] for c in cases],
        exposure2=[c[3] for c in cases],
    )
    assert len(tests) == len(cases)
    for i, (count1, count2, exposure1, exposure2) in enumerate(cases):
        p_value, low, high = scipy_binomtest_reference(count1, count2, exposure1, exposure2)
        assert tests.p_value[i] == pytest.approx(p_value, rel=1e-9, abs=1e-12)
        assert share_of(tests.ratio_low[i], exposure1, exposure2) == pytest.approx(low, abs=1e-9)
        assert share_of(tests.ratio_high[i], exposure1, exposure2) == pytest.approx(high, abs=1e-9)
        if low > 0.01 and high < 0.99:  # well away from the ends, the ratios agree to 1e-9 too
            assert tests.ratio_low[i] == pytest.approx(low / (1 - low) * exposure1 / exposure2, rel=1e-9)
            assert tests.ratio_high[i] == pytest.approx(high / (1 - high) * exposure1 / exposure2, rel=1e-9)
        assert tests[i] == compare_poisson_rates(count1, count2, exposure1=exposure1, exposure2=exposure2)


def test_array_form_ties_and_small_counts() -> None:
    # Ties at the relative tolerance, counts at the mean, zeros in one window: each against binomtest.
    cases = [(5, 5, 1.0, 1.0), (0, 1, 1.0, 1.0), (1, 0, 1.0, 1.0), (3, 9, 2.0, 6.0), (7, 2, 3.0, 1.0), (10, 30, 1, 3)]
    tests = compare_many_poisson_rates(
        [c[0] for c in cases], [c[1] for c in cases], exposure1=[c[2] for c in cases], exposure2=[c[3] for c in cases]
    )
    for i, case in enumerate(cases):
        p_value, low, high = scipy_binomtest_reference(*case)
        assert tests.p_value[i] == pytest.approx(p_value, rel=1e-12)
        shares = (share_of(tests.ratio_low[i], case[2], case[3]), share_of(tests.ratio_high[i], case[2], case[3]))
        assert shares == pytest.approx((low, high), abs=1e-10)


def test_array_form_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        compare_many_poisson_rates([1, 2], [3])
    with pytest.raises(ValueError, match="whole number"):
        compare_many_poisson_rates([1, 2.5], [3, 4])
