"""The same measure and period given different values: which mention is blamed, and how sure."""

from __future__ import annotations

from crimeprev.check.findings import Severity
from crimeprev.check.rules.consistency import check_consistency, measure_key, mentions
from tests.check.documents import comparison_table, document

TABLE = comparison_table(("Knife crime offences", "2,910", "2,725", "-185", "-6.4%"))
PROSE = (
    "Knife crime offences numbered {} in the 12 months to March 2024, compared with {} in the previous 12 months "
    "(a decrease of 6.4%)."
)


def test_mentions_from_tables_and_sentences_share_labels_and_periods() -> None:
    doc = document(PROSE.format("2,725", "2,910"), TABLE)
    found = {(measure_key(m.label), str(m.period), m.figure.text, m.trust) for m in mentions(doc)}
    assert found == {
        ("knife crime offences", "12 months to Mar 2024", "2,725", 1),
        ("knife crime offences", "12 months to Mar 2023", "2,910", 1),
    }
    assert list(check_consistency(doc)) == []


def test_a_sentence_that_disagrees_with_a_consistent_table_is_blamed() -> None:
    doc = document(
        (2, "Summary"), "Knife crime offences numbered 2,752 in the year ending March 2024.", (2, "Knife"), TABLE
    )
    (finding,) = check_consistency(doc)
    assert (finding.location.kind, finding.stated, finding.expected, finding.severity) == (
        "paragraph",
        "2,752",
        "2,725",
        Severity.ERROR,
    )
    assert finding.location.section == ("Summary",)
    assert finding.related[0].kind == "table"


def test_a_table_cell_that_breaks_its_row_is_blamed_rather_than_the_sentence() -> None:
    table = comparison_table(("Knife crime offences", "2,901", "2,725", "-185", "-6.4%"))
    (finding,) = check_consistency(document(PROSE.format("2,725", "2,910"), table))
    assert (finding.location.kind, finding.location.column, finding.stated, finding.expected) == (
        "table",
        2,
        "2,901",
        "2,910",
    )


def test_two_consistent_tables_that_disagree_are_a_warning_about_definitions() -> None:
    # The published Essex report gives two 12-month drug trafficking figures in two sections.
    county_lines = comparison_table(("Drug trafficking offences", "1,476", "1,746", "+270", "+18.3%"))
    drugs = comparison_table(("Drug trafficking offences", "1,425", "1,730", "+305", "+21.4%"))
    findings = list(check_consistency(document((2, "County Lines"), county_lines, (2, "Drugs"), drugs)))
    assert [(f.location.section, f.location.column, f.severity) for f in findings] == [
        (("Drugs",), 2, Severity.WARNING),
        (("Drugs",), 3, Severity.WARNING),
    ]
    assert "different definitions" in findings[0].message


def test_a_longer_sentence_label_matches_the_table_label_it_ends_with() -> None:
    doc = document("Across the county knife crime offences numbered 2,752 in the 12 months to March 2024.", TABLE)
    (finding,) = check_consistency(doc)
    assert (finding.stated, finding.expected) == ("2,752", "2,725")


def test_other_periods_and_other_measures_do_not_conflict() -> None:
    doc = document(
        "Knife crime offences numbered 2,752 in the 12 months to March 2022.",
        "Rape offences numbered 2,752 in the 12 months to March 2024.",
        "There were 12 offences in the 12 months to March 2024.",
        TABLE,
    )
    assert list(check_consistency(doc)) == []
