"""A short operation judged on its own days against the same weekdays before and the season."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from crimeprev.stats.operation_days import YEAR, compare_operation_days

START = date(2023, 11, 13)  # a Monday


def _daily(first: date, days: int, rate: float, seed: int) -> dict[date, float]:
    rng = np.random.default_rng(seed)
    return {first + timedelta(days=d): float(rng.poisson(rate)) for d in range(days)}


def test_expected_from_the_weeks_before_and_the_year_before_by_hand() -> None:
    covered = START - timedelta(days=500)
    daily = _daily(covered, 500 + 7, 10.0, 1)
    result = compare_operation_days(daily, START, START + timedelta(days=6), covered_from=covered)
    weeks = [sum(daily[START - timedelta(days=7 * k) + timedelta(days=d)] for d in range(7)) for k in range(1, 9)]
    assert list(result.baseline) == weeks
    year = START - YEAR
    y = sum(daily[year + timedelta(days=d)] for d in range(7))
    m0 = np.mean([sum(daily[year - timedelta(days=7 * k) + timedelta(days=d)] for d in range(7)) for k in range(1, 9)])
    assert result.seasonal_factor == pytest.approx(y / m0)
    assert result.expected == pytest.approx(np.mean(weeks) * y / m0)
    assert result.observed == sum(daily[START + timedelta(days=d)] for d in range(7))
    assert result.low < result.expected < result.high


def test_a_halved_week_is_below_and_an_ordinary_one_within() -> None:
    covered = START - timedelta(days=500)
    daily = _daily(covered, 507, 12.0, 2)
    ordinary = compare_operation_days(daily, START, START + timedelta(days=6), covered_from=covered)
    assert ordinary.verdict == "within the expected range"
    for d in range(7):
        daily[START + timedelta(days=d)] = round(daily[START + timedelta(days=d)] / 2)
    halved = compare_operation_days(daily, START, START + timedelta(days=6), covered_from=covered)
    assert halved.verdict == "below the expected range" and halved.observed < halved.low


def test_without_enough_history_or_for_long_operations() -> None:
    daily = _daily(START - timedelta(days=20), 27, 5.0, 3)
    with pytest.raises(ValueError, match="at least 4"):
        compare_operation_days(daily, START, START + timedelta(days=6), covered_from=START - timedelta(days=20))
    with pytest.raises(ValueError, match="1 to 31 days"):
        compare_operation_days(daily, START, START + timedelta(days=40), covered_from=START - timedelta(days=400))
    # Without a year before, the expectation is the mean of the weeks before, with no seasonal factor.
    daily = _daily(START - timedelta(days=70), 77, 5.0, 4)
    result = compare_operation_days(daily, START, START + timedelta(days=6), covered_from=START - timedelta(days=70))
    assert result.seasonal_factor is None and result.expected == pytest.approx(np.mean(result.baseline))
