"""crimeprev's own scrutiny report (written by ``crimeprev demo``) checks clean in all three formats it
is published in, and a slip typed into one of its comparison tables is found at that table row.

The report's figures are computed, so every finding on the clean report is a false positive of the
checker. The report is generated once per session (the shared ``demo_report`` fixture); reading and
checking it is fast.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from crimeprev.check.checker import check_file
from crimeprev.check.findings import Finding, Severity

KNIFE = "Knife crime offences"  # the knife crime insights row: 2,910 then 2,725, -185, -6.4%
RIGHT, SLIP = "2,725", "2,752"  # two digits swapped


def summary(findings: tuple[Finding, ...]) -> list[tuple[str, str, str, str | None, str]]:
    return [(f.severity.value, f.location.describe(), f.stated, f.expected, f.message) for f in findings]


@pytest.mark.parametrize("suffix", ["docx", "html", "pdf"])
def test_the_demo_report_checks_clean(demo_report: dict[str, Path], suffix: str) -> None:
    result = check_file(demo_report[suffix])
    serious = tuple(f for f in result.findings if f.severity is not Severity.NOTE)
    assert summary(serious) == []
    assert result.tables >= 30 and result.paragraphs >= 100  # the report was read, not skipped


def _assert_slip_found_at_the_knife_row(path: Path) -> None:
    errors = [f for f in check_file(path).findings if f.severity is Severity.ERROR]
    assert errors, "the slip was not found"
    places = {(f.location.kind, f.location.index, f.location.row, f.location.row_label) for f in errors}
    assert len(places) == 1, summary(tuple(errors))
    ((kind, _, row, label),) = places
    assert (kind, row, label) == ("table", 2, KNIFE)
    assert any(f.location.column == 3 and f.stated == SLIP and f.expected == RIGHT for f in errors), summary(
        tuple(errors)
    )


def test_a_slip_in_the_docx_comparison_table_is_found_at_its_row(demo_report: dict[str, Path], tmp_path: Path) -> None:
    document = docx.Document(str(demo_report["docx"]))
    row = next(r for t in document.tables for r in t.rows if r.cells[0].text.strip() == KNIFE)
    run = next(run for cell in row.cells for p in cell.paragraphs for run in p.runs if run.text.strip() == RIGHT)
    run.text = SLIP
    path = tmp_path / "slip.docx"
    document.save(str(path))
    _assert_slip_found_at_the_knife_row(path)


def test_a_slip_in_the_html_comparison_table_is_found_at_its_row(demo_report: dict[str, Path], tmp_path: Path) -> None:
    text = demo_report["html"].read_text(encoding="utf-8")
    cell = re.compile(
        rf"({re.escape(KNIFE)}</t[dh]>(?:\s*<t[dh][^>]*>[^<]*</t[dh]>)*?\s*<t[dh][^>]*>){RIGHT}(</t[dh]>)"
    )
    changed, count = cell.subn(rf"\g<1>{SLIP}\g<2>", text, count=1)
    assert count == 1
    path = tmp_path / "slip.html"
    path.write_text(changed, encoding="utf-8")
    _assert_slip_found_at_the_knife_row(path)
