"""The Knox near-repeat test: exact counts and expectations by hand, and a planted pattern found."""

from __future__ import annotations

import numpy as np
import pytest

from crimeprev.people.near_repeat import KnoxBands, KnoxResult, knox_test

ONE_BY_ONE = KnoxBands(distance_band_m=100, distance_bands=1, time_band_days=7, time_bands=1)


def test_observed_and_expected_pairs_by_hand() -> None:
    # Two pairs 50 m apart (3 and 30 days apart) a kilometre from each other.
    east = np.array([0.0, 50.0, 1000.0, 1050.0])
    north = np.zeros(4)
    day = np.array([0, 3, 100, 130])
    result = knox_test(east, north, day, bands=ONE_BY_ONE, permutations=1999, seed=7)
    assert result.observed.tolist() == [[0, 0], [1, 1]]  # same place: none; 0-100 m: one close in time, one not
    # Of the six pairs of dates (gaps 3, 100, 130, 97, 127, 30) one is within 7 days.
    assert result.expected[1].tolist() == pytest.approx([2 / 6, 2 * 5 / 6])
    assert result.ratio[1, 0] == pytest.approx(3.0)
    # Shuffled, either close pair gets the days 0 and 3 with chance 1/6 each, never both: p = 1/3.
    assert result.p_value[1, 0] == pytest.approx(1 / 3, abs=0.03)
    assert result.raised() is None  # four records prove nothing
    assert ONE_BY_ONE.distance_labels() == ["same place", "0-100 m"]
    assert ONE_BY_ONE.time_labels() == ["0-7 days", "over 7 days"]


def test_same_place_pairs_have_their_own_band() -> None:
    result = knox_test(np.array([10.0, 10.0, 500.0]), np.array([5.0, 5.0, 0.0]), np.array([1, 2, 60]),
                       bands=ONE_BY_ONE, permutations=199)  # fmt: skip
    assert result.observed.tolist() == [[1, 0], [0, 0]]


def _burglaries(rng: np.random.Generator, n: int, follow_share: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    east = rng.uniform(0, 6000, n)
    north = rng.uniform(0, 6000, n)
    day = rng.integers(0, 365, n)
    follow = rng.random(n) < follow_share
    angle = rng.uniform(0, 2 * np.pi, follow.sum())
    reach = rng.uniform(20, 90, follow.sum())
    return (
        np.concatenate([east, east[follow] + reach * np.cos(angle)]),
        np.concatenate([north, north[follow] + reach * np.sin(angle)]),
        np.concatenate([day, day[follow] + rng.integers(1, 7, follow.sum())]),
    )


def test_a_planted_near_repeat_pattern_is_found_and_noise_is_not() -> None:
    rng = np.random.default_rng(11)
    planted = knox_test(*_burglaries(rng, 1500, 0.3), permutations=999)
    assert planted.raised() == ("within 100 m", "7 days")
    assert planted.ratio[1, 0] > 3 and planted.significant[1, 0]
    noise = knox_test(*_burglaries(np.random.default_rng(12), 1500, 0.0), permutations=999)
    assert noise.raised() is None
    assert not noise.significant.any()
    described = planted.as_dict()
    assert described["raised"] == {"distance": "within 100 m", "for": "7 days"}
    assert "999 shuffles" in described["method"] and len(described["cells"]) == 5 * 5


def test_too_few_records_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least two records"):
        knox_test(np.array([0.0]), np.array([0.0]), np.array([1]))
    with pytest.raises(ValueError, match="use at least 499"):
        knox_test(np.zeros(3), np.zeros(3), np.arange(3), permutations=199)


def _result_raising(cells: list[tuple[int, int]]) -> KnoxResult:
    """A result whose given (distance band, time band) cells are raised beyond chance."""
    shape = (5, 5)
    significant = np.zeros(shape, dtype=bool)
    for cell in cells:
        significant[cell] = True
    return KnoxResult(
        bands=KnoxBands(), records=100, observed=np.where(significant, 20, 10), expected=np.full(shape, 10.0),
        p_value=np.where(significant, 0.001, 0.5), adjusted_p=np.where(significant, 0.01, 0.5),
        significant=significant, permutations=999, fdr=0.05,
    )  # fmt: skip


def test_how_far_and_how_long_risk_is_raised() -> None:
    assert _result_raising([(0, 0), (1, 0), (2, 0), (0, 1)]).raised() == ("within 200 m", "14 days")
    assert _result_raising([(1, 0), (1, 1), (1, 2), (3, 0)]).raised() == ("within 100 m", "21 days")
    assert _result_raising([(0, 0)]).raised() == ("at the same place", "7 days")
    # raised only further out: the ring it covers, not "within"
    assert _result_raising([(2, 0), (3, 0)]).raised() == ("between 100 and 300 m", "7 days")
    assert _result_raising([(0, 1), (1, 2)]).raised() is None  # nothing in the first week
