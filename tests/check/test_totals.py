"""Totals rows and columns: known values from the hate crime by type table (January-March 2024)."""

from __future__ import annotations

from collections.abc import Sequence

from crimeprev.check.findings import Severity
from crimeprev.check.rules.totals import check_totals
from tests.check.documents import comparison_table, document

HATE = [
    ("Type", "Jan", "Feb", "Mar", "Total"),
    ("Racial", "207", "187", "225", "619"),
    ("Homophobic", "46", "54", "36", "136"),
    ("Religious - Christian", "", "2", "2", "4"),
    ("Total", "253", "243", "263", "759"),
]


def findings(rows: Sequence[Sequence[str]]) -> list[tuple[int | None, int | None, str, str | None]]:
    return [(f.location.row, f.location.column, f.stated, f.expected) for f in check_totals(document(rows))]


def with_cell(rows: Sequence[Sequence[str]], row: int, column: int, text: str) -> list[tuple[str, ...]]:
    changed = [list(r) for r in rows]
    changed[row][column] = text
    return [tuple(r) for r in changed]


def test_consistent_totals_with_a_blank_cell_counted_as_zero() -> None:
    assert findings(HATE) == []


def test_a_mistyped_body_cell_is_named_where_its_row_and_column_sums_cross() -> None:
    assert findings(with_cell(HATE, 2, 2, "45")) == [(3, 3, "45", "54")]
    assert findings(with_cell(HATE, 3, 1, "3")) == [(4, 2, "3", "0")]


def test_a_wrong_total_cell_in_either_direction_or_the_grand_total() -> None:
    assert findings(with_cell(HATE, 1, 4, "620")) == [(2, 5, "620", "619")]
    assert findings(with_cell(HATE, 4, 2, "234")) == [(5, 3, "234", "243")]
    assert findings(with_cell(HATE, 4, 4, "795")) == [(5, 5, "795", "759")]


def test_a_totals_row_only_reports_the_total_with_the_rows_as_alternatives() -> None:
    rows = [r[:4] for r in HATE]
    (finding,) = check_totals(document(with_cell(rows, 1, 1, "208")))
    assert (finding.location.row, finding.location.column, finding.stated, finding.expected) == (5, 2, "253", "254")
    assert finding.severity is Severity.ERROR
    assert {a.row for a in finding.alternatives} == {2, 3, 4}


def test_a_total_that_is_a_measure_of_its_own_is_not_summed() -> None:
    rows = [
        ("", "Mar 23", "Mar 24"),
        ("Total recorded crime", "180,000", "175,000"),
        ("Knife", "2,910", "2,725"),
        ("Rape", "2,558", "2,267"),
    ]
    assert findings(rows) == []


def test_comparison_table_totals_row_sums_counts_and_localises_by_the_row_difference() -> None:
    rows = comparison_table(
        ("Knife crime offences", "2,910", "2,725", "-185", "-6.4%"),
        ("Rape offences", "2,558", "2,267", "-291", "-11.4%"),
        ("Total", "5,468", "4,992", "-476", "-8.7%"),
    )
    assert findings(rows) == []
    assert findings(with_cell(rows, 2, 2, "2,276")) == [(3, 3, "2,276", "2,267")]


def test_text_cells_stop_a_sum_from_being_checked() -> None:
    assert findings(with_cell(HATE, 2, 2, "*")) == []


def test_suppressed_small_numbers_are_unknown_values_not_zeros() -> None:
    # Read as zero, "<5" in place of Religious - Christian's 2 in February would make its row and
    # column totals wrong; as an unknown value it stops those sums from being checked.
    assert findings(with_cell(HATE, 3, 2, "<5")) == []
    assert findings(with_cell(with_cell(HATE, 3, 2, "<5"), 3, 3, "*")) == []


def test_a_totals_row_of_rates_or_percentages_is_not_a_sum() -> None:
    # crimeprev's solved rate by risk level: the Total row is the rate of all offences, not a sum.
    rows = [
        ("Risk level", "12 Month ending Mar 23", "12 Month ending Mar 24", "Diff.", "% Diff."),
        ("standard", "8.9%", "6.8%", "-2.0 pts", "-23.1%"),
        ("medium", "8.5%", "7.5%", "-1.0 pts", "-11.9%"),
        ("high", "8.7%", "8.7%", "+0.0 pts", "0.0%"),
        ("Total", "8.8%", "7.1%", "-1.7 pts", "-18.9%"),
    ]
    assert findings(rows) == []
    shares = [("Type", "Share"), ("Racial", "61.5%"), ("Other", "38.5%"), ("Total", "100.0%")]
    assert findings(shares) == []


def test_counts_are_still_summed_beside_a_percentage_column_with_a_plain_header() -> None:
    rows = [
        ("Type", "Jan 24", "Share"),
        ("Racial", "207", "64.7%"),
        ("Other", "113", "35.3%"),
        ("Total", "302", "100.0%"),
    ]
    assert findings(rows) == [(4, 2, "302", "320")]
