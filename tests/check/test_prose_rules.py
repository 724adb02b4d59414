"""Stated changes, part-of-whole percentages and stated sums in prose: known values."""

from __future__ import annotations

import pytest

from crimeprev.check.findings import Severity
from crimeprev.check.rules.part_of_whole import check_parts_of_whole
from crimeprev.check.rules.stated_change import check_stated_changes
from crimeprev.check.rules.stated_sums import check_stated_sums
from tests.check.documents import document

KNIFE = (
    "Knife crime offences numbered 2,725 in the 12 months to March 2024, compared with 2,910 in the previous "
    "12 months (a decrease of {}%)."
)


def summary(findings: object) -> list[tuple[str, str | None, Severity]]:
    return [(f.stated, f.expected, f.severity) for f in findings]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        KNIFE.format("6.4"),
        "There were 2,215 offences in the quarter, a decrease of 4.1% in comparison with the same period last "
        "year (2,310).",
        "Drug trafficking offences rose from 1,476 to 1,746 in the 12 months to March 2024, up 18.3%.",
        "Offences numbered 2,725. This is 6.4% lower than the previous year (2,910).",
        "The solved rate fell from 18.9% to 17.4%, down 1.5 percentage points.",
        "Fraud offences numbered 1,856, compared with 1,811 a year earlier: 45 more offences, an increase of 2.5%.",
    ],
)
def test_stated_changes_that_hold(text: str) -> None:
    assert summary(check_stated_changes(document(text))) == []


def test_a_wrong_stated_percentage_change() -> None:
    assert summary(check_stated_changes(document(KNIFE.format("6.8")))) == [("6.8%", "6.4%", Severity.ERROR)]


def test_a_change_in_the_wrong_direction() -> None:
    text = KNIFE.format("6.4").replace("decrease", "increase")
    (finding,) = check_stated_changes(document(text))
    assert finding.severity is Severity.ERROR
    assert "a decrease of 6.4%" in finding.message


def test_the_issue_example_a_decrease_of_4_1_percent_in_comparison_with_2_310() -> None:
    text = "There were 2,251 offences, a decrease of 4.1% in comparison with the same period last year (2,310)."
    assert summary(check_stated_changes(document(text))) == [("4.1%", "2.6%", Severity.ERROR)]


def test_a_truncated_stated_change_is_a_warning() -> None:
    (finding,) = check_stated_changes(document(KNIFE.format("6.3")))
    assert finding.severity is Severity.WARNING
    assert "truncated" in finding.message


def test_a_wrong_count_change_and_a_wrong_points_change() -> None:
    text = "Fraud offences numbered 1,856, compared with 1,811 a year earlier: 54 more offences."
    assert summary(check_stated_changes(document(text))) == [("54", "45", Severity.ERROR)]
    text = "The solved rate fell from 18.9% to 17.4%, down 1.8 percentage points."
    assert summary(check_stated_changes(document(text))) == [("1.8", "1.5", Severity.ERROR)]


RATE = (
    "Domestic abuse arrest rate: 24.1% in the 12 months ending Mar 24, against 30.4% in the 12 months ending "
    "Mar 23, a difference of {} pts."
)


@pytest.mark.parametrize(
    "text",
    [
        # 18.94% and 17.36% print as 18.9% and 17.4%; they fell by 1.58 points, printed 1.6.
        "The solved rate fell from 18.9% to 17.4%, down 1.6 percentage points.",
        # crimeprev's own sentence: the difference of the unrounded rates (30.37% to 24.14%) is -6.23.
        RATE.format("-6.2"),
        RATE.format("-6.3"),
    ],
)
def test_a_points_change_of_rounded_rates_may_be_computed_before_rounding(text: str) -> None:
    assert summary(check_stated_changes(document(text))) == []


def test_a_points_change_no_values_of_the_rounded_rates_give_is_an_error() -> None:
    assert summary(check_stated_changes(document(RATE.format("-6.5")))) == [("-6.5", "-6.3", Severity.ERROR)]
    assert summary(check_stated_changes(document(RATE.format("+6.3")))) == [("+6.3", "-6.3", Severity.ERROR)]


OWN = (
    "Knife crime offences numbered 2,725 in the 12 months ending Mar 24, against 2,910 in the 12 months ending "
    "Mar 23: a difference of {} ({}). This is a change of {}, within normal variation (p = 0.055)."
)


def test_crimeprevs_own_sentences_with_month_year_periods() -> None:
    # "Mar 24" is a period, not a figure; the bracketed percentage and "This is a change of" restate the change.
    assert summary(check_stated_changes(document(OWN.format("-185", "-6.4%", "-6.4%")))) == []
    assert summary(check_stated_changes(document(OWN.format("-158", "-6.4%", "-6.4%")))) == [
        ("-158", "-185", Severity.ERROR)
    ]
    assert summary(check_stated_changes(document(OWN.format("-185", "-4.6%", "-6.4%")))) == [
        ("-4.6%", "-6.4%", Severity.ERROR)
    ]
    assert summary(check_stated_changes(document(OWN.format("-185", "-6.4%", "-6.9%")))) == [
        ("-6.9%", "-6.4%", Severity.ERROR)
    ]


def test_part_of_whole_the_issue_example() -> None:
    good = "Of the 750 offences, 312 of these involved a repeat victim, which equates to 41.6% of the 750 recorded."
    assert summary(check_parts_of_whole(document(good))) == []
    bad = good.replace("41.6%", "46.1%")
    assert summary(check_parts_of_whole(document(bad))) == [("46.1%", "41.6%", Severity.ERROR)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There were 3,620 drug tests on arrest. Of these, 1,939 (53.6%) were positive.", []),
        ("There were 3,620 drug tests on arrest. Of these, 1,939 (55.6%) were positive.", [("55.6%", "53.6%")]),
        ("Burglary numbered 383 in February 2024, of which 300 (78.3%) were burglaries of a home.", []),
        ("Of the 3,620 tests, 94% were captured, and 391 referrals were made.", []),
        ("Of the 750 offences recorded, 1,200 of these (41.6%) were online.", [("41.6%", "160.0%")]),
    ],
)
def test_part_of_whole_known_values(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.stated, f.expected) for f in check_parts_of_whole(document(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In January to March 2024 there were 412 crimes and 95 incidents (507).", []),
        ("In January to March 2024 there were 412 crimes and 95 incidents (508).", [("508", "507")]),
        ("A total of 1,007 hate crimes and incidents (824 crimes and 183 incidents) were recorded.", []),
        (
            "A total of 1,070 hate crimes and incidents (824 crimes and 183 incidents) were recorded.",
            [("1,070", "1,007")],
        ),
        ("There were 407 burglaries of a home and 109 of an unconnected building in January 2024, a total of 516.", []),
        ("There were 407 burglaries of a home, 109 of a shed and 10 others, a total of 561.", [("561", "526")]),
        ("Knife crime fell from 2,910 to 2,725 (6.4%).", []),
    ],
)
def test_prose_sums(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.stated, f.expected) for f in check_stated_sums(document(text))] == expected


def test_a_total_stated_for_the_table_next_to_it() -> None:
    table = [("Type", "Jan", "Feb", "Mar"), ("Racial", "207", "187", "225"), ("Other", "113", "135", "140")]
    good = document((4, "Hate crime by type"), table, "A total of 1,007 hate crimes and incidents were recorded.")
    assert list(check_stated_sums(good)) == []
    bad = document((4, "Hate crime by type"), table, "A total of 1,070 hate crimes and incidents were recorded.")
    (finding,) = check_stated_sums(bad)
    assert (finding.stated, finding.expected, finding.location.kind) == ("1,070", "1,007", "paragraph")
    assert finding.related[0].kind == "table"
    unrelated = document(table, "A total of 96 charges were brought.")
    assert list(check_stated_sums(unrelated)) == []
