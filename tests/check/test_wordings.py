"""How real papers word their figures (issue 14): each wording checked right and wrong.

Every case is a sentence as a force or statistics bulletin writes it, once with its figures right
(no finding) and once with one slip (a finding naming the slipped figure and its correction).
"""

from __future__ import annotations

import pytest

from crimeprev.check.checker import check_document
from crimeprev.check.document import DocumentBuilder
from crimeprev.check.findings import Severity

CASES = [
    # (the sentence with {} for the figure, right figure, wrong figure, expected correction)
    ("Robbery fell by {} (500 offences to 450).", "10%", "12%", "10%"),
    ("Robbery fell by {} (500 last year to 450 this year).", "10%", "12%", "10%"),
    ("Vehicle crime was 500 down to 450, a fall of {}.", "10%", "12%", "10%"),
    ("There were 450 robberies, an increase of 50 ({}).", "12.5%", "14.5%", "12.5%"),
    ("There were 450 robberies, a decrease of {} (50 crimes).", "10%", "12%", "10%"),
    ("There were 450 robberies, a reduction of 50 which equates to {}.", "10%", "12%", "10%"),
    ("Robbery: 500 to 450 ({}).", "-10%", "-12%", "-10%"),
    ("Crime rose by {}, from 1,000 to 1,050.", "five per cent", "seven per cent", "5%"),
    ("Crime fell by {}, from 900 to 600.", "a third", "a quarter", "33%"),
    ("There were 671 victims, {} fewer (5%) than the previous year.", "33", "23", "32"),  # 32 to 39 fit 5%
    ("There were 671 victims, 33 fewer ({}) than the previous year.", "5%", "8%", "5%"),
    ("The number of crimes solved also fell: by 7.5% ({} fewer solved outcomes to 22,040).", "1,790", "1,970", "1,790"),
    ("Of those 526,024 stop and searches, 66,772 led to an arrest. Of those {} searches, 1,000 were of adults.",
     "526,024", "526,204", "526,024"),
    ("Two thirds ({}) of stop and searches were of young men.", "66%", "56%", "67%"),
    ("There were 92 incidents - 2 of which related to disability, {} of which related to race, 9 of which "
     "related to religion, 6 of which related to sexual orientation and 1 of which related to other.",
     "74", "47", "74"),
]  # fmt: skip
DIRECTIONS = [
    ("The solved rate was {} to 41.2 per cent from 43.0 per cent.", "down", "up"),
    ("The number of female victims {} from 220 to 241.", "increased", "decreased"),
    ("The police discharged a firearm in three incidents, {} from 5 incidents in 2011-12.", "down", "up"),
    ("The rate is 60.3 crimes. This was significantly {} the group average of 71.9 crimes.", "below", "above"),
    ("Crime has been on a downward trend, having {} by 27% since 2009-10.", "decreased", "increased"),
]
CLEAN = [
    "In the 12 months to 31 March there were 1,000 offences, up from 900.",
    "In the 12 months to June 30 2019 there were 1,000 offences, 11% more than the 900 before.",
    "There were 1,200 applications, with 800 approved (compared to 1,000 applications and 700 approved).",
    "There were 663,036 arrests, an increase of 3% compared to the previous year in which there were 645,225 "
    "arrests, but down 2% from the year preceding the pandemic (ending March 2020).",
    "The total in 2018-19 was 246,480. This is 1% higher than the level recorded in 2017-18 (Chart 1 and Table 6).",
    "Arrests for sexual offences increased by almost a third (32%).",
    "The recorded crime rate per 1,000 population is 60.3 crimes.",
    # Ordinary wordings a review wrote to test the patterns (each once raised a false alarm):
    "There were 120 burglaries in the quarter, 30 of which were in Abbey ward and 20 of which were in Batchley ward.",
    "Calls for service more than doubled, from 1,000 to 2,600. Robbery almost halved, from 200 to 112.",
    "There were 4 robberies in Ward A and 7 in Ward B. Of the 7 robberies in Ward B, 3 were solved.",
    "Of those 600 searches, 90 led to an arrest. The arrest rate was 15%. In the previous year, of the 500 "
    "searches, 60 led to an arrest, and the arrest rate was 12%.",
    "Violence with injury accounted for 40% of all crime. Burglary rose (12%) and robbery fell (8%), with "
    "shoplifting (55%) of acquisitive offences.",
    "The CSEW estimated there were 762,000 crimes experienced by children aged 10 to 15. This was down 13% "
    "compared with the year ending December 2012 (877,000).",
]


def findings(text: str) -> list[tuple[str, str | None, Severity]]:
    builder = DocumentBuilder("paper.txt")
    builder.add_paragraph(text)
    return [(f.stated, f.expected, f.severity) for f in check_document(builder.build())]


@pytest.mark.parametrize(("sentence", "right", "wrong", "expected"), CASES)
def test_a_wording_is_checked(sentence: str, right: str, wrong: str, expected: str) -> None:
    assert findings(sentence.format(right)) == []
    assert findings(sentence.format(wrong)) == [(wrong, expected, Severity.ERROR)]


@pytest.mark.parametrize(("sentence", "right", "wrong"), DIRECTIONS)
def test_a_direction_word_is_checked_against_its_figures(sentence: str, right: str, wrong: str) -> None:
    assert findings(sentence.format(right)) == []
    ((stated, _, severity),) = findings(sentence.format(wrong))
    assert (stated, severity) == (wrong, Severity.ERROR)


@pytest.mark.parametrize("sentence", CLEAN)
def test_no_false_alarm(sentence: str) -> None:
    assert findings(sentence) == []


@pytest.mark.parametrize(("sentence", "right", "wrong", "expected"), CASES)
def test_a_finding_names_the_figures_it_was_worked_out_from(
    sentence: str, right: str, wrong: str, expected: str
) -> None:
    text = sentence.format(wrong)
    builder = DocumentBuilder("paper.txt")
    builder.add_paragraph(text)
    (finding,) = check_document(builder.build())
    assert finding.evidence
    for evidence in finding.evidence:  # printed in the sentence, or worked out from figures that are
        assert evidence.figure in text if evidence.location is not None else "(" in evidence.figure
    assert finding.to_json()["evidence"] == [e.to_json() for e in finding.evidence]


@pytest.mark.parametrize(
    ("lead", "points", "found"),
    [
        ("(d) Four indicators had been graded as amber:", 4, []),
        ("(d) Four indicators had been graded as amber:", 3, [("Four", "Three", Severity.ERROR)]),
        ("Over the last 12 months the panel noted:", 3, []),
    ],
)
def test_a_count_opening_a_list_is_the_number_of_its_points(
    lead: str, points: int, found: list[tuple[str, str, Severity]]
) -> None:
    builder = DocumentBuilder("paper.txt")
    builder.add_paragraph(lead)
    for k in range(points):
        builder.add_paragraph(
            f"Indicator {k + 1}: the share of victims who are repeat victims" + (";" if k < points - 1 else ".")
        )
    assert [(f.stated, f.expected, f.severity) for f in check_document(builder.build())] == found
