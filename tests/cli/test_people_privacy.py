"""No raw person identifier anywhere: not in the store, any output format, the report or the access log."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.store.warehouse import Warehouse

RAW = re.compile(r"P\d{8}")  # the demo extract's person IDs: P and eight digits


def raw_ids(data: Path) -> set[str]:
    """Every person ID the demo's extract files hold."""
    found: set[str] = set()
    for name, columns in (("offences.csv", ("VictimID", "SuspectID")), ("incidents.csv", ("PersonID",))):
        with (data / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                found.update(row[c] for c in columns if row[c])
    return found


def leaked(text: str, ids: set[str]) -> set[str]:
    return {m for m in RAW.findall(text) if m in ids}


@pytest.fixture(scope="module")
def ids(demo_store: Path) -> set[str]:
    found = raw_ids(demo_store.parent / "data")
    assert len(found) > 100_000  # the test looks for something that exists
    return found


def test_raw_identifiers_never_reach_the_store(demo_store: Path, ids: set[str]) -> None:
    with Warehouse.open(demo_store, read_only=True) as warehouse:
        tables = warehouse.query(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
        )
        assert {t for t, _ in tables} >= {"offences", "incidents", "quarantine", "access_log"}
        for table, column in tables:
            hits = warehouse.query(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE regexp_matches("{column}", ?)',
                                   [RAW.pattern])  # fmt: skip
            assert not leaked(" ".join(str(h[0]) for h in hits), ids), f"{table}.{column}"
        keys = warehouse.query("SELECT count(DISTINCT victim_key), count(DISTINCT suspect_key) FROM offences")[0]
    assert min(keys) > 10_000  # the people are there, as pseudonyms


def test_no_output_format_shows_a_raw_identifier(demo_store: Path, ids: set[str]) -> None:
    env = {"CRIMEPREV_USER": "privacy.test"}
    commands = [
        ("repeats", "--indicator", "domestic_abuse_offences", "--as-of", "2024-03", "--top", "5", "--person-level"),
        ("repeats", "--indicator", "mental_health_incidents", "--as-of", "2024-03", "--top", "5", "--person-level"),
        ("repeats", "--indicator", "residential_burglary_offences", "--as-of", "2024-03", "--by", "location",
         "--top", "5", "--person-level"),
        ("cohort", "da", "--as-of", "2024-03", "--person-level", "--since", "2023-09"),
        ("records", "domestic_abuse_offences", "--period", "2024-03", "--person-level", "--limit", "200"),
        ("access-log", "--limit", "0"),
    ]  # fmt: skip
    seen_pseudonyms = 0
    for command in commands:
        for fmt in ((), ("--json",)):
            result = CliRunner().invoke(app, ["--store", str(demo_store), *command, *fmt], env=env)
            assert result.exit_code == 0, (command, result.output)
            assert not leaked(result.stdout, ids), command
            seen_pseudonyms += result.stdout.count("p_")
    assert seen_pseudonyms > 100  # person-level output was shown, by pseudonym


def test_the_report_shows_repeat_figures_but_no_person(demo_report: dict[str, Path], ids: set[str]) -> None:
    html = demo_report["html"].read_text(encoding="utf-8")
    docx = "\n".join(p.text for p in DocxDocument(str(demo_report["docx"])).paragraphs)
    docx += "\n".join(c.text for t in DocxDocument(str(demo_report["docx"])).tables for r in t.rows for c in r.cells)
    pdf = subprocess.run(["pdftotext", "-layout", str(demo_report["pdf"]), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    for text in (html, docx, pdf):
        assert "Repeat victims and suspects: domestic abuse offences" in text
        assert not leaked(text, ids)
        assert not re.search(r"p_[0-9a-f]{24}", text)  # nor a pseudonym: the paper is aggregate


def test_the_access_log_names_users_and_commands_never_people(demo_store: Path, ids: set[str]) -> None:
    CliRunner().invoke(app, ["--store", str(demo_store), "cohort", "da", "--as-of", "2024-03", "--person-level"],
                       env={"CRIMEPREV_USER": "log.reader"})  # fmt: skip
    with Warehouse.open(demo_store, read_only=True) as warehouse:
        rows = warehouse.query("SELECT * FROM access_log")
    text = " ".join(str(v) for row in rows for v in row)
    assert "log.reader" in text and "cohort da" in text
    assert not leaked(text, ids) and "p_" not in text
