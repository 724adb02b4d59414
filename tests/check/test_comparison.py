"""Comparison tables: known values from the Essex 2023-24 figures."""

from __future__ import annotations

from crimeprev.check.comparisons import find_comparisons
from crimeprev.check.findings import Severity
from crimeprev.check.rules.comparison import check_comparison_tables
from crimeprev.check.tables import read_table
from tests.check.documents import comparison_table, document

KNIFE = ("Knife crime offences", "2,910", "2,725", "-185", "-6.4%")
RAPE = ("Rape offences", "2,558", "2,267", "-291", "-11.4%")


def findings(*rows: tuple[str, str, str, str, str]) -> list[tuple[int | None, int | None, str, str | None, Severity]]:
    doc = document(comparison_table(*rows))
    return [(f.location.row, f.location.column, f.stated, f.expected, f.severity) for f in check_comparison_tables(doc)]


def test_consistent_rows_give_no_findings() -> None:
    assert findings(KNIFE, RAPE, ("Fraud offences", "1,811", "1,856", "45", "2.5")) == []
    assert findings(("Drug trafficking offences", "1,476", "1,746", "+270", "+18.3%")) == []


def test_a_wrong_difference_is_named_with_its_value() -> None:
    assert findings(("Knife crime offences", "2,910", "2,725", "-158", "-6.4%")) == [
        (2, 4, "-158", "-185", Severity.ERROR)
    ]


def test_a_wrong_percentage_is_named_with_its_value() -> None:
    assert findings(("Knife crime offences", "2,910", "2,725", "-185", "-6.5%")) == [
        (2, 5, "-6.5%", "-6.4%", Severity.ERROR)
    ]


def test_a_sign_left_off_a_decrease_is_an_error() -> None:
    assert findings(("Knife crime offences", "2,910", "2,725", "-185", "6.4%")) == [
        (2, 5, "6.4%", "-6.4%", Severity.ERROR)
    ]


def test_a_truncated_percentage_is_a_warning_that_names_the_rounding() -> None:
    doc = document(comparison_table(("Knife crime offences", "2,910", "2,725", "-185", "-6.3%")))
    (finding,) = check_comparison_tables(doc)
    assert finding.severity is Severity.WARNING
    assert "truncated to 1 decimal place" in finding.message
    assert finding.expected == "-6.4%"


def test_a_mistyped_count_is_named_not_the_derived_figures() -> None:
    assert findings(("Knife crime offences", "2,910", "2,752", "-185", "-6.4%")) == [
        (2, 3, "2,752", "2,725", Severity.ERROR)
    ]
    assert findings(("Knife crime offences", "2,190", "2,725", "-185", "-6.4%")) == [
        (2, 2, "2,190", "2,910", Severity.ERROR)
    ]


def test_an_ambiguous_count_is_resolved_by_the_fewest_slips() -> None:
    # 18,091 -> 15,598 with -2,421 and -13.4%: either 18,019 (a transposition) or 15,670 (three slips).
    (finding,) = check_comparison_tables(
        document(comparison_table(("Mental health incidents", "18,091", "15,598", "-2,421", "-13.4%")))
    )
    assert (finding.location.column, finding.expected) == (2, "18,019")
    assert [a.column for a in finding.alternatives] == [3]


def test_percentage_from_zero_is_a_note() -> None:
    assert findings(("New offence", "0", "12", "12", "n/a")) == []
    assert findings(("New offence", "0", "12", "12", "100.0%")) == [(2, 5, "100.0%", "", Severity.NOTE)]


def test_two_wrong_cells_are_both_reported() -> None:
    assert findings(("Knife crime offences", "2,910", "2,725", "-158", "-6.9%")) == [
        (2, 4, "-158", "-185", Severity.ERROR),
        (2, 5, "-6.9%", "-6.4%", Severity.ERROR),
    ]


def test_merged_period_header_and_reversed_columns() -> None:
    doc = document(
        [
            ("", "12 Month ending", "", "", ""),
            ("", "Mar 24", "Mar 23", "Diff.", "% Diff."),
            ("Knife crime offences", "2,725", "2,910", "-185", "-6.4%"),
        ],
        header_rows=2,
    )
    view = read_table(doc.tables[0])
    assert view.column_labels[1:3] == ("12 Month ending Mar 24", "12 Month ending Mar 23")
    (comparison,) = find_comparisons(view)
    assert (comparison.previous, comparison.current) == (2, 1)
    assert list(check_comparison_tables(doc)) == []


def test_month_on_month_and_year_on_year_groups() -> None:
    doc = document(
        [
            (
                "",
                "Feb 2023",
                "Jan 2024",
                "Feb 2024",
                "Diff. (month)",
                "% Diff. (month)",
                "Diff. (year)",
                "% Diff. (year)",
            ),
            ("Residential burglary", "543", "516", "383", "-133", "-25.8%", "-160", "-29.5%"),
        ]
    )
    comparisons = find_comparisons(read_table(doc.tables[0]))
    assert [(c.previous, c.current, c.difference, c.percent) for c in comparisons] == [(2, 3, 4, 5), (1, 3, 6, 7)]
    assert list(check_comparison_tables(doc)) == []


RATES_HEADER = ("Risk level", "12 Month ending Mar 23", "12 Month ending Mar 24", "Diff.", "% Diff.")
# crimeprev's solved and arrest rates by risk level: differences and % differences of the unrounded rates.
RATES = [
    RATES_HEADER,
    ("standard", "8.9%", "6.8%", "-2.0 pts", "-23.1%"),
    ("medium", "8.5%", "7.5%", "-1.0 pts", "-11.9%"),
    ("high", "31.0%", "31.1%", "+0.1 pts", "+0.4%"),
    ("Total", "30.4%", "24.1%", "-6.2 pts", "-20.6%"),
]


def rate_findings(rows: list[tuple[str, ...]]) -> list[tuple[int | None, int | None, str, str | None]]:
    doc = document(rows)
    return [(f.location.row, f.location.column, f.stated, f.expected) for f in check_comparison_tables(doc)]


def test_rates_rounded_as_printed_allow_what_the_unrounded_rates_give() -> None:
    # 6.8 - 8.9 is -2.1 and (6.8 - 8.9) / 8.9 is -23.6%, but 8.86% to 6.815% is -2.045 points and -23.1%.
    assert rate_findings(RATES) == []


def test_a_slip_in_a_table_of_rates_is_still_found() -> None:
    rows = list(RATES)
    rows[1] = ("standard", "8.9%", "6.8%", "-2.5 pts", "-23.1%")
    assert rate_findings(rows) == [(2, 4, "-2.5 pts", "-2.1 pts")]
    rows[1] = ("standard", "9.8%", "6.8%", "-2.0 pts", "-23.1%")
    assert [(r, c, s) for r, c, s, _ in rate_findings(rows)] == [(2, 2, "9.8%")]


def test_the_printed_difference_narrows_the_percent_difference_of_rates() -> None:
    # 8.9% to 6.8% alone allows -24.6% to -22.6%; a fall of 2.0 points (1.95 to 2.05) allows -23.2% to -22.3%.
    rows = [RATES_HEADER, ("standard", "8.9%", "6.8%", "-2.0 pts", "-23.6%")]
    (finding,) = check_comparison_tables(document(rows))
    assert (finding.location.column, finding.stated, finding.severity) == (5, "-23.6%", Severity.ERROR)
    assert "the figures as rounded allow -23.2% to -22.3%" in finding.message


def test_percent_columns_against_a_named_period() -> None:
    # crimeprev's operation table: the latest month against the month before and the same month a year before.
    header = ("Offences", "Feb 23", "Jan 24", "Feb 24", "% vs Jan 24", "% vs Feb 23")
    row = ("Residential burglary offences", "543", "516", "383", "-25.8%", "-29.5%")
    view = read_table(document([header, row]).tables[0])
    assert [(c.previous, c.current, c.percent) for c in find_comparisons(view)] == [(2, 3, 4), (1, 3, 5)]
    assert list(check_comparison_tables(document([header, row]))) == []
    slip = (*row[:3], "338", *row[4:])
    found = [(f.location.column, f.stated, f.expected) for f in check_comparison_tables(document([header, slip]))]
    assert found == [(5, "-25.8%", "-34.5%"), (6, "-29.5%", "-37.8%")]
