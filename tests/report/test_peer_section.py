"""The paper's comparison with the region's forces: on for a store that holds them, with the figures
``crimeprev compare`` gives, and off for a one-force store."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.indicators.strategy_file import bundled_strategy, load_strategy
from crimeprev.report.peer_section import VERDICT_WORDS

STRATEGY = bundled_strategy("police-uk-example.yaml")  # force: Essex Police


def test_a_regional_store_gets_a_peer_section_with_compares_figures(national_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["--store", str(national_store), "report", "--as-of", "2024-03", "--strategy",
                               str(STRATEGY), "--format", "docx", "--out", str(tmp_path)])  # fmt: skip
    assert made.exit_code == 0, made.output
    (paper,) = tmp_path.glob("*.docx")
    document = docx.Document(str(paper))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert any(h.endswith("Compared with the forces of East of England") for h in headings)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    (peers,) = [
        t for t in tables if t[0] == ["Indicator", "Essex Police", "Group average", "Rank", "Against the group"]
    ]
    counted = [
        i for s in load_strategy(STRATEGY).strands() for i in s.indicators
        if i.source != "measures" and i.unit != "rate" and "rolling_12_months" in i.comparisons and not i.filter.flags
    ]  # fmt: skip
    assert [row[0] for row in peers[1:]] == [i.title for i in counted]  # knife crime: not recorded, so not compared
    for indicator, row in zip(counted, peers[1:], strict=True):
        shown = runner.invoke(app, ["--store", str(national_store), "compare", "--indicator", indicator.id,
                                    "--as-of", "2024-03", "--strategy", str(STRATEGY), "--json"])  # fmt: skip
        got = json.loads(shown.stdout)
        essex = next(f for f in got["forces"] if f["force"] == "Essex Police")
        assert row[1:] == [f"{essex['rate']:,.2f}", f"{got['group_rate']:,.2f}", f"{essex['rank']} of 6",
                           VERDICT_WORDS[essex["verdict"]]]  # fmt: skip
    captions = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert any("each force of the forces of East of England at its population" in c for c in captions)
    assert any(t[0][:3] == ["Indicator", "Forces", "Over-dispersed"] for t in tables)  # the annex
    checked = runner.invoke(app, ["check", str(paper), "--json", "--min-severity", "warning"])
    assert checked.exit_code == 0, checked.output  # the checker finds no arithmetic or consistency error
    assert [f for f in json.loads(checked.stdout) if f["severity"] == "error"] == []


def test_a_one_force_store_has_no_peer_section(demo_report: dict[str, Path]) -> None:
    html = demo_report["html"].read_text(encoding="utf-8")
    assert 'id="peers"' not in html and "Compared with the forces of" not in html
