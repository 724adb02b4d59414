"""The acceptance corpus: a crimeprev-style report in five formats, clean and with one figure perturbed.

Every figure of the report (each count, difference and percentage in a table, each figure in a
sentence that the report relates to another) is perturbed in turn with a realistic slip (two digits
swapped, half a point on a percentage, a number typed into a blank cell); the checker must report
exactly the perturbed place and nothing else. The unperturbed report, and two papers written in
another house style, must give no findings at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crimeprev.check.checker import check_file
from crimeprev.check.findings import Finding, Severity
from tests.check.corpus import RENDERERS, REPORT, DocxTemplate, Place, figures, perturbed, render

DATA = Path(__file__).parent / "data"
FORMATS = sorted(RENDERERS)


def place_of(finding: Finding) -> Place:
    location = finding.location
    if location.kind == "table":
        return Place("table", location.index, location.row_label, location.column or 0)
    return Place(location.kind, location.index)


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_clean_report_has_no_findings(tmp_path: Path, suffix: str) -> None:
    result = check_file(render(REPORT, tmp_path, suffix))
    assert result.findings == ()
    assert (result.tables, result.paragraphs) == (8, 11)


@pytest.mark.parametrize("name", ["essex-paper.md", "essex-paper.txt"])
def test_committed_papers_have_no_findings(name: str) -> None:
    result = check_file(DATA / name)
    assert result.findings == ()
    assert (result.tables, result.paragraphs) == (3, 5)


def _variants(tmp_path: Path, suffix: str) -> Iterator[tuple[Place, Path]]:
    template = DocxTemplate(REPORT, tmp_path) if suffix == "docx" else None
    for ref, place in figures(REPORT):
        report = perturbed(REPORT, ref)
        path = template.write(report, tmp_path / "variant.docx") if template else render(report, tmp_path, suffix)
        yield place, path


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_perturbed_figure_is_reported_at_its_place_and_nowhere_else(tmp_path: Path, suffix: str) -> None:
    wrong: list[str] = []
    checked = 0
    for place, path in _variants(tmp_path, suffix):
        findings = check_file(path).findings
        checked += 1
        places = {place_of(f) for f in findings}
        if places != {place} or not any(f.severity is Severity.ERROR for f in findings):
            wrong.append(f"{place}: {[(f.rule, f.location.describe(), f.stated, f.expected) for f in findings]}")
    assert checked == 139
    assert wrong == []


def test_pdf_findings_carry_page_numbers(tmp_path: Path) -> None:
    ref, place = next((r, p) for r, p in figures(REPORT) if p.row_label == "Total" and p.column == 5)
    (finding,) = check_file(render(perturbed(REPORT, ref), tmp_path, "pdf")).findings
    assert place_of(finding) == place
    assert finding.location.page == 3
    assert (finding.stated, finding.expected) == ("1,070", "1,007")
