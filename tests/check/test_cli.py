"""``crimeprev check`` on a Typer app of its own (the command registers the same way in cli/app.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from crimeprev.cli.check import register
from tests.check.corpus import REPORT, figures, perturbed, render

DATA = Path(__file__).parent / "data"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer(add_completion=False)
    register(app)

    @app.callback()
    def root() -> None:
        """Options shared by every command (none here)."""

    return app


def run(app: typer.Typer, *args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def broken_report(tmp_path: Path) -> Path:
    """The corpus report with the knife crime % Diff. typed as -6.9% and a truncated rape percentage."""
    ref = next(r for r, p in figures(REPORT) if p.row_label == "Knife crime offences" and p.column == 5)
    report = perturbed(REPORT, ref)
    path = render(report, tmp_path, "md", "broken")
    text = path.read_text().replace("| -11.4% |", "| -11.3% |")
    path.write_text(text)
    return path


def test_a_clean_report_exits_0_and_says_what_it_read(app: typer.Typer) -> None:
    result = run(app, "check", str(DATA / "essex-paper.md"))
    assert result.exit_code == 0, result.output
    assert "essex-paper.md: no findings (3 tables, 5 paragraphs read)" in result.stdout


def test_errors_are_listed_by_section_with_place_stated_and_expected_value(
    app: typer.Typer, broken_report: Path
) -> None:
    result = run(app, "check", str(broken_report))
    out = result.stdout
    assert result.exit_code == 1
    assert "1 error, 1 warning" in out
    assert "Crime Prevention Strategy Report Q3 & Q4 › 1. Serious Violence › 1.1 Knife Crime" in out
    assert "table 1, row 3 'Knife crime offences', column 5 '% Diff.'" in out
    assert "stated -6.9% → should be -6.4%" in out
    assert "stated -11.3% → should be -11.4%" in out
    assert "truncated to 1 decimal place" in out
    assert out.index("error") < out.index("warning")


def test_min_severity_hides_warnings_and_json_lists_findings(app: typer.Typer, broken_report: Path) -> None:
    result = run(app, "check", str(broken_report), "--json", "--min-severity", "error")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["severity"], f["stated"], f["expected"]) for f in findings] == [
        ("comparison", "error", "-6.9%", "-6.4%")
    ]
    location = findings[0]["location"]
    assert (location["block"], location["index"], location["row"], location["column"]) == ("table", 1, 3, 5)
    assert location["row_label"] == "Knife crime offences"
    assert set(findings[0]) >= {"location", "stated", "expected", "rule", "severity", "message"}


def test_warnings_alone_exit_0(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "warn.md"
    path.write_text(
        "| | Mar 23 | Mar 24 | Diff. | % Diff. |\n|---|---|---|---|---|\n| Knife | 2,910 | 2,725 | -185 | -6.3% |\n"
    )
    result = run(app, "check", str(path), "--min-severity", "warning")
    assert result.exit_code == 0
    assert "1 warning" in result.stdout
    quiet = run(app, "check", str(path), "--min-severity", "error")
    assert "no findings" in quiet.stdout


def test_an_unreadable_file_exits_2_with_a_clear_message(app: typer.Typer, tmp_path: Path) -> None:
    broken = tmp_path / "report.docx"
    broken.write_bytes(b"this is not a Word file")
    result = run(app, "check", str(DATA / "essex-paper.txt"), str(broken), str(tmp_path / "missing.pdf"))
    assert result.exit_code == 2
    err = result.stderr
    assert "report.docx: not a readable Word document" in err
    assert "missing.pdf: no such file" in err
    assert "essex-paper.txt: no findings" in result.stdout


def test_an_invalid_severity_is_refused(app: typer.Typer) -> None:
    result = run(app, "check", str(DATA / "essex-paper.md"), "--min-severity", "fatal")
    assert result.exit_code == 2
    assert "fatal" in result.stderr
