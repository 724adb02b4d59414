"""Signal or noise: every comparison of counts carries both tests and a plain-language verdict."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.stats.verdict import forbidden_words
from tests.conftest import cli_json


@pytest.fixture(scope="module")
def rows(demo_store: Path) -> dict[tuple[str, str], dict[str, object]]:
    result = CliRunner().invoke(app, ["--store", str(demo_store), "insights", "--as-of", "2024-03", "--json"])
    return {(r["strand"], r["indicator"]): r for r in cli_json(result)}


def test_every_count_comparison_has_the_test_fields(rows: dict[tuple[str, str], dict[str, object]]) -> None:
    for row in rows.values():
        assert {"p_value", "p_value_overdispersed", "ci_low", "ci_high", "verdict"} <= set(row)
        if row["unit"] == "count" and row["comparison"] != "periods" and row["status"] == "ok":
            assert row["verdict"] in ("a significant rise", "a significant fall", "no significant change")
            assert row["ci_low"] <= row["pct_diff"] <= row["ci_high"]  # type: ignore[operator]


def test_known_demo_verdicts(rows: dict[tuple[str, str], dict[str, object]]) -> None:
    knife = rows[("knife-crime", "knife_crime_offences")]
    burglary = rows[("burglary-and-robbery", "residential_burglary_offences")]
    assert knife["p_value"] == pytest.approx(0.014, abs=0.0005)
    assert burglary["p_value"] == pytest.approx(0.022, abs=0.0005)
    for key in (("burglary-and-robbery", "personal_robbery_offences"), ("cyber-and-fraud", "fraud_offences")):
        row = rows[key]
        assert row["verdict"] == "no significant change"
        assert row["p_value"] > 0.05 and row["p_value_overdispersed"] > 0.05  # type: ignore[operator]
    # The demo is overdispersed like real crime: the series' own variation widens the interval.
    assert knife["p_value_overdispersed"] > knife["p_value"]  # type: ignore[operator]
    assert knife["test"] == "quasi-Poisson (overdispersed)"


def test_the_report_never_calls_noise_a_rise_or_a_fall(
    rows: dict[tuple[str, str], dict[str, object]], demo_report: dict[str, Path]
) -> None:
    # The report's sentences are about each indicator's 12-month comparison.
    noise = [
        str(r["title"])
        for r in rows.values()
        if r["verdict"] == "no significant change" and r["comparison"] == "rolling_12_months"
    ]
    assert len(noise) >= 4
    document = docx.Document(str(demo_report["docx"]))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    checked = 0
    for text in texts:
        for title in noise:
            if text.startswith(title) or f"{title}:" in text:
                assert not forbidden_words(text), text
                checked += 1
    assert checked >= len(noise)
    html = demo_report["html"].read_text(encoding="utf-8")
    assert "not evidence of a real change" in html and "a real change, for the better" in html
