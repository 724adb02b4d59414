"""The leads' narrative: read from its own file, placed in every strand, never lost on regeneration."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.model.errors import InputError
from crimeprev.report.document import BulletList, Paragraph
from crimeprev.report.narrative import load_narrative, markdown_blocks

DATA = Path(__file__).parents[2] / "src" / "crimeprev" / "data"
NARRATIVE = DATA / "essex-2023-24-narrative.yaml"


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in DocxDocument(str(path)).paragraphs]


def test_the_demo_paper_has_every_strands_narrative(demo_report: dict[str, Path]) -> None:
    text = paragraphs(demo_report["docx"])
    strategy = load_strategy()
    narrative = load_narrative(NARRATIVE, strategy).half_years[0].strands
    assert set(narrative) == {s.id for s in strategy.strands()}
    for words in narrative.values():
        first = " ".join((words.commentary or "").split("\n\n")[0].split())
        assert first in text
    assert text.count("Lead's commentary") == len(narrative) and "[To be supplied" not in "\n".join(text)


def _report(store: Path, out: Path, *extra: str) -> object:
    args = ["--store", str(store), "report", "--as-of", "2024-03", "--format", "docx", "--out", str(out),
            "--delivery", str(DATA / "essex-2023-24-delivery.yaml"), *extra]  # fmt: skip
    return CliRunner().invoke(app, args)


def test_editing_one_paragraph_changes_only_that_paragraph(demo_store: Path, tmp_path: Path) -> None:
    before = _report(demo_store, tmp_path / "a", "--narrative", str(NARRATIVE))
    assert before.exit_code == 0, before.output  # type: ignore[attr-defined]
    old = "Recorded rape reflects reporting as well as offending."
    edited = tmp_path / "narrative.yaml"
    edited.write_text(NARRATIVE.read_text().replace(old, "Recorded rape reflects reporting, not offending alone."))
    after = _report(demo_store, tmp_path / "b", "--narrative", str(edited))
    assert after.exit_code == 0, after.output  # type: ignore[attr-defined]
    first, second = (paragraphs(next((tmp_path / d).glob("*.docx"))) for d in ("a", "b"))
    assert len(first) == len(second)
    changed = [(x, y) for x, y in zip(first, second, strict=True) if x != y]
    assert len(changed) == 1 and changed[0][0].startswith(old)


def test_missing_text_is_flagged_and_strict_refuses(demo_store: Path, tmp_path: Path) -> None:
    loose = _report(demo_store, tmp_path / "loose")
    assert loose.exit_code == 0  # type: ignore[attr-defined]
    # three parts for each of the 14 strands, five implications, actions for improvement and future work
    assert "49 passages are still to be supplied" in loose.stderr  # type: ignore[attr-defined]
    text = "\n".join(paragraphs(next((tmp_path / "loose").glob("*.docx"))))
    assert "[To be supplied: lead's commentary for knife crime]" in text
    strict = _report(demo_store, tmp_path / "strict", "--strict")
    assert strict.exit_code == 1 and "--strict: 49 passages" in strict.stderr  # type: ignore[attr-defined]
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())


def test_narrative_files_are_validated(tmp_path: Path) -> None:
    strategy = load_strategy()
    text = NARRATIVE.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("        next_steps: |", "        next_step: |", 1))
    with pytest.raises(InputError, match="unknown key 'next_step'; valid keys here: commentary, context, next_steps"):
        load_narrative(bad, strategy)
    bad.write_text(text.replace("      hate-crime:", "      hate_crime:"))
    with pytest.raises(InputError, match="'hate_crime' is not a strand id of the strategy") as raised:
        load_narrative(bad, strategy)
    assert raised.value.line == text[: text.index("      hate-crime:")].count("\n") + 1
    bad.write_text(text.replace("  - to: 2024-03", "  - to: March 2024"))
    with pytest.raises(InputError, match="YYYY-MM"):
        load_narrative(bad, strategy)


def test_a_half_year_given_twice_is_refused(tmp_path: Path) -> None:
    text = NARRATIVE.read_text()
    bad = tmp_path / "twice.yaml"
    bad.write_text(text + text[text.index("  - to: 2024-03") :])  # the same half-year again
    with pytest.raises(InputError, match="half-year 2024-03 is given twice"):
        load_narrative(bad, load_strategy())


def test_markdown_keeps_words_with_underscores_and_numbered_lists() -> None:
    assert markdown_blocks("Section s_136 and crime_type_x stay.") == [
        Paragraph("Section s_136 and crime_type_x stay.")
    ]
    assert markdown_blocks("Plan:\n1. first\n2. second") == [Paragraph("Plan:"), BulletList(("1. first", "2. second"))]


def test_markdown_paragraphs_bullets_and_emphasis() -> None:
    blocks = markdown_blocks("First **bold** line\ncontinues [here](http://x).\n\n- one\n- *two*\n\n# Heading\nText.")
    assert blocks == [
        Paragraph("First bold line continues here."),
        BulletList(("one", "two")),
        Paragraph("Heading", style="subheading"),
        Paragraph("Text."),
    ]
