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


def test_abbreviated_months_take_a_two_digit_year_in_prose() -> None:
    text = "Hate crimes numbered 3,737 in the 12 months ending Mar 24, against 4,247 in the 12 months ending Mar 23."
    assert [m.period for m in find_periods(text)] == [TWELVE_TO_MARCH_2024, TWELVE_TO_MARCH_2024.shifted(-12)]
    assert [m.period for m in find_periods("recorded in Dec 23 and in Sept 23")] == [
        Period.months(2023, 12, 2023, 12),
        Period.months(2023, 9, 2023, 9),
    ]
    assert find_periods("in March 24 offences were recorded") == ()
    assert find_periods("the mar 24 figure") == ()


@pytest.mark.parametrize(
    ("label", "period"),
    [
        ("the 3 months ending Mar 24", Period.months(2024, 1, 2024, 3)),
        ("3 months ending Dec 23", Period.months(2023, 10, 2023, 12)),
        ("six months to September 2023", Period.months(2023, 4, 2023, 9)),
        ("FY 2023/24 to Mar 24", TWELVE_TO_MARCH_2024),
        ("FY 2023/24 to Nov 23", Period.months(2023, 4, 2023, 11)),
        ("2023-04-01 to 2024-03-31", TWELVE_TO_MARCH_2024),
        ("2023-10-01 to 2024-03-31", Period.months(2023, 10, 2024, 3)),
        ("2024-01", Period.months(2024, 1, 2024, 1)),
    ],
)
def test_spans_of_any_length_financial_years_to_date_and_iso_dates(label: str, period: Period) -> None:
    assert parse_period(label) == period
    assert [m.period for m in find_periods(f"in {label}, a count of 12")] == [period]


def test_relative_periods_of_any_length() -> None:
    (mention,) = find_periods("against the previous 3 months")
    assert mention.shift == -3
