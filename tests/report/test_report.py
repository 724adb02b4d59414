"""The scrutiny report as the demo writes it: open the DOCX, read the PDF, parse the HTML."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.indicators.strategy_file import bundled_strategy, load_strategy

STRANDS = [s.title for s in load_strategy().strands()]
KNIFE = ["Knife crime offences", "2,910", "2,725", "-185", "-6.4%"]
NTE = ["Night-time economy offences", "1,738", "1,463", "-275", "-15.8%"]
# One chart per indicator whose 12-month comparison is shown (rates and aggregate figures have none).
ROLLING_CHARTS = sum(
    1
    for s in load_strategy().strands()
    for i in s.indicators
    if "rolling_12_months" in i.comparisons and i.chart != "none" and i.source != "measures"
)


def docx_tables(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_the_demo_writes_all_three_formats(demo_report: dict[str, Path]) -> None:
    assert set(demo_report) == {"docx", "pdf", "html"}
    assert all(p.stat().st_size > 10_000 for p in demo_report.values())


def test_docx_has_the_strand_headings_in_order(demo_report: dict[str, Path]) -> None:
    document = docx.Document(str(demo_report["docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    strand_headings = [h.split(" ", 1)[1] for h in headings if re.match(r"^5\.\d+\.\d+ ", h)]
    assert strand_headings == STRANDS
    numbered = [h.split(" ", 1)[0] for h in headings if re.match(r"^\d ", h)]
    assert numbered == [str(n) for n in range(1, 10)]


def test_docx_tables_hold_the_published_rows(demo_report: dict[str, Path]) -> None:
    tables = docx_tables(demo_report["docx"])
    rows = [row for table in tables for row in table]
    assert KNIFE in rows and NTE in rows
    comparison_headers = [t[0] for t in tables if t[0][-2:] == ["Diff.", "% Diff."]]
    assert ["Indicator", "12 Month ending Mar 23", "12 Month ending Mar 24", "Diff.", "% Diff."] in comparison_headers
    hate = next(t for t in tables if t[0][0] == "Hate type" and "Jan 24" in t[0])
    assert hate[0] == ["Hate type", "Jan 24", "Feb 24", "Mar 24", "Total"]
    assert hate[-1] == ["Total", "320", "322", "365", "1,007"]
    racial = next(r for r in hate if r[0] == "Racial")
    assert racial == ["Racial", "207", "187", "225", "619"]
    leads = [p.text for p in docx.Document(str(demo_report["docx"])).paragraphs if p.text.startswith("Thematic lead:")]
    assert len(leads) == len(STRANDS)
    assert "Thematic lead: Detective Superintendent, Serious Violence Unit" in leads


def test_docx_charts_markings_and_repeated_headers(demo_report: dict[str, Path]) -> None:
    document = docx.Document(str(demo_report["docx"]))
    # Each such indicator has its monthly comparison chart (one per strand in the body, the rest in Appendix A)
    # and its SPC (XmR) chart in Appendix A; the Places strand its zone map; the robbery week (an area
    # operation) the map of its area.
    assert len(document.inline_shapes) == 2 * ROLLING_CHARTS + 2
    captions = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"]
    figures = [c for c in captions if c.startswith("Figure ")]
    assert sum(1 for c in figures if "against the same month of the previous 12" in c) == ROLLING_CHARTS
    assert sum(1 for c in figures if "is the latest month unusual? XmR chart" in c) == ROLLING_CHARTS
    section = document.sections[0]
    assert (
        "OFFICIAL" in section.header.paragraphs[0].text and "SYNTHETIC DEMO DATA" in section.header.paragraphs[0].text
    )
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    for table in document.tables:
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml
    alt_texts = [
        p.get("descr")
        for p in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert sum(1 for t in alt_texts if t and t.startswith("Bar chart of")) == ROLLING_CHARTS
    assert sum(1 for t in alt_texts if t and t.startswith("XmR chart of")) == ROLLING_CHARTS
    assert sum(1 for t in alt_texts if t and t.startswith("Map of 2 zones")) == 1


def test_pdf_text_and_every_page_renders(demo_report: dict[str, Path], tmp_path: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(demo_report["pdf"]), "-"], check=True, capture_output=True, text=True
    ).stdout
    for row in (KNIFE, NTE, ["Total", "320", "322", "365", "1,007"]):
        assert re.search(r"\s+".join(re.escape(cell) for cell in row), text), row
    assert "SYNTHETIC DEMO DATA" in text and "OFFICIAL" in text
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(demo_report["pdf"])], check=True, capture_output=True, text=True).stdout,
        ).group(1)
    )
    assert pages > 10
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(demo_report["pdf"]), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages
    assert f"Page {pages} of {pages}" in text


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.charts = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href"):
            if found.get(name):
                self.links.append(found[name] or "")
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "div" and (found.get("class") or "").split() == ["vega-chart", "rolling"]:
            self.charts += 1
        if tag == "script":
            self.scripts += 1


def test_html_is_self_contained_with_interactive_charts(demo_report: dict[str, Path]) -> None:
    html = demo_report["html"].read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(html)
    assert not [link for link in parser.links if link.startswith(("http://", "https://", "//"))]
    assert parser.charts == ROLLING_CHARTS
    assert html.count('vegaEmbed("#chart-') == ROLLING_CHARTS
    assert html.count('vegaEmbed("#spc-') == ROLLING_CHARTS
    assert "Making Data Count" in html  # the technical annex names the method
    assert parser.scripts == 2 and "vegaEmbed" in html
    anchors = [link[1:] for link in parser.links if link.startswith("#")]
    assert anchors and set(anchors) <= parser.ids  # the table of contents resolves
    assert "SYNTHETIC DEMO DATA" in html


def test_a_police_uk_only_report_marks_unavailable_figures(police_uk_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--store",
            str(police_uk_store),
            "report",
            "--as-of",
            "2019-01",
            "--strategy",
            str(bundled_strategy("police-uk-example.yaml")),
            "--format",
            "docx,html",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    tables = docx_tables(next(tmp_path.glob("*.docx")))
    rows = {r[0]: r for t in tables for r in t}
    assert rows["Knife crime offences"][1:3] == ["not available", "not available"]
    assert rows["Burglary"][1:3] == ["incomplete window", "incomplete window"]
    html = next(tmp_path.glob("*.html")).read_text()
    assert "do not record knife" in html
    assert "SYNTHETIC" not in html  # real data is not marked synthetic
    # no delivery file: a warning, and "at risk" says why rather than "nothing is scheduled"
    assert "warning: no --delivery file" in result.stderr
    assert "no delivery record was supplied for this report" in html
    assert "no delivery is scheduled for the next period" not in html


def test_report_errors_are_clear(demo_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--store", str(demo_store), "report", "--as-of", "2024-03", "--format", "odt", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1 and "unknown format(s) ['odt']" in result.stderr


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_single_format(demo_store: Path, tmp_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(
        app, ["--store", str(demo_store), "report", "--as-of", "2024-03", "--format", fmt, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert [p.suffix for p in tmp_path.iterdir()] == [f".{fmt}"]


def test_a_name_from_the_data_cannot_end_the_html_reports_script() -> None:
    from crimeprev.report.document import Chart
    from crimeprev.report.render_html import _chart

    scripts: list[str] = []
    spec = {"title": "Zone </script><script>alert(1)</script>", "mark": "bar"}
    _chart(Chart("chart-x", "caption", "description", spec), True, scripts, None)
    assert "</script>" not in scripts[0] and "<script>" not in scripts[0]
    assert json.loads(scripts[0].split(", ", 1)[1].rsplit(", {", 1)[0]) == spec  # the same spec, escaped
