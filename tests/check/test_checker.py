"""check_document merges what the rules found: one finding per place and correction, and a finding
whose inconsistency another finding explains is dropped."""

from __future__ import annotations

from crimeprev.check.checker import check_document
from crimeprev.check.rules.comparison import check_comparison_tables
from tests.check.documents import comparison_table, document

PROSE = (
    "Knife crime offences numbered 2,725 in the 12 months to March 2024, compared with 2,910 in the previous "
    "12 months (a decrease of 6.4%)."
)


def test_two_rules_naming_the_same_cell_and_correction_give_one_finding() -> None:
    doc = document(PROSE, comparison_table(("Knife crime offences", "2,910", "2,752", "-185", "-6.4%")))
    (finding,) = check_document(doc)
    assert (finding.rule, finding.location.column, finding.stated, finding.expected) == (
        "comparison",
        3,
        "2,752",
        "2,725",
    )


def test_an_ambiguous_row_is_settled_by_the_sentence_that_quotes_one_of_its_cells() -> None:
    # 2,900 -> 2,725 with -185 and -6.4%: Mar 23 should be 2,910 or Mar 24 2,715, one slip either way.
    table = comparison_table(("Knife crime offences", "2,900", "2,725", "-185", "-6.4%"))
    (alone,) = check_comparison_tables(document(table))
    assert (alone.location.column, alone.expected) == (3, "2,715")
    assert [a.column for a in alone.alternatives] == [2]
    (finding,) = check_document(document(PROSE, table))
    assert (finding.rule, finding.location.column, finding.stated, finding.expected) == (
        "consistency",
        2,
        "2,900",
        "2,910",
    )


def test_findings_come_in_document_order() -> None:
    doc = document(
        (1, "One"),
        comparison_table(("Knife crime offences", "2,910", "2,725", "-158", "-6.9%")),
        (1, "Two"),
        "In January to March 2024 there were 412 crimes and 95 incidents (508).",
    )
    assert [(f.location.section, f.location.kind, f.location.column) for f in check_document(doc)] == [
        (("One",), "table", 4),
        (("One",), "table", 5),
        (("Two",), "paragraph", None),
    ]
