"""The same measure and period given different values: which mention is blamed, and how sure."""

from __future__ import annotations

from crimeprev.check.findings import Severity
from crimeprev.check.rules.consistency import check_consistency, measure_key, mentions
from tests.check.documents import Item, comparison_table, document

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


def _by_area(caption: str, rochford: tuple[str, str]) -> list[Item]:
    header = (
        "Community Safety Partnership area",
        "12 Month ending Mar 23",
        "12 Month ending Mar 24",
        "Diff.",
        "% Diff.",
    )
    return [(4, caption), [header, ("Rochford", *rochford, "", ""), ("Maldon", "67", "54", "-13", "-19.4%")]]


def test_rows_of_breakdowns_of_different_measures_do_not_conflict() -> None:
    # "Rochford" in a breakdown of knife crime and in one of drug trafficking are two measures.
    knife = _by_area("Table 3: Knife crime offences by community safety partnership area", ("78", "72"))
    drugs = _by_area("Table 23: Drug trafficking offences by community safety partnership area", ("30", "54"))
    assert list(check_consistency(document(*knife, *drugs))) == []


def test_rows_of_two_breakdowns_of_the_same_measure_still_conflict() -> None:
    first = _by_area("Knife crime offences by community safety partnership area", ("78", "72"))
    second = _by_area("Table 9: Knife crime offences by community safety partnership area", ("78", "27"))
    found = [(f.location.index, f.location.column, f.stated) for f in check_consistency(document(*first, *second))]
    assert found == [(2, 3, "27")]


def test_a_rate_and_a_count_with_the_same_label_are_different_measures() -> None:
    counts = comparison_table(("medium", "6,026", "5,457", "-569", "-9.4%"))
    rates = comparison_table(("medium", "8.5%", "7.5%", "-1.0 pts", "-11.9%"))
    assert list(check_consistency(document(counts, rates))) == []
