"""Period names: different wordings of the same months compare equal."""

from __future__ import annotations

import pytest

from crimeprev.check.periods import Period, find_periods, parse_period

TWELVE_TO_MARCH_2024 = Period.twelve_months_to(2024, 3)


@pytest.mark.parametrize(
    "label",
    [
        "12 Month ending Mar 24",
        "12 months to March 2024",
        "year ending Mar-24",
        "FY2023/24",
        "2023/24",
        "twelve months ending March 2024",
        "Rolling 12 months to Mar 2024",
    ],
)
def test_names_of_the_twelve_months_to_march_2024(label: str) -> None:
    assert parse_period(label) == TWELVE_TO_MARCH_2024


@pytest.mark.parametrize("label", ["January-March 2024", "Jan to Mar 2024", "Q1 2024", "2024 Q1"])
def test_names_of_the_first_quarter_of_2024(label: str) -> None:
    assert parse_period(label) == Period.months(2024, 1, 2024, 3)


def test_months_and_bare_months_with_a_year_hint() -> None:
    assert parse_period("Feb 2024") == Period.months(2024, 2, 2024, 2)
    assert parse_period("Feb-24") == Period.months(2024, 2, 2024, 2)
    assert parse_period("Jan", year_hint=2024) == Period.months(2024, 1, 2024, 1)
    assert parse_period("Jan") is None
    assert parse_period("Diff.") is None


def test_relative_periods_and_prose_short_years() -> None:
    found = find_periods("2,725 in the 12 months to March 2024, compared with 2,910 in the previous 12 months")
    assert [m.period for m in found] == [TWELVE_TO_MARCH_2024, None]
    assert found[1].shift == -12
    assert find_periods("in March 15 offences were recorded") == ()
    assert str(TWELVE_TO_MARCH_2024.shifted(-12)) == "12 months to Mar 2023"
