"""Aggregate measures: load, replace by key, reject bad rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import DATA, cli_json, query


def test_measures_load_with_dimensions(cli: Callable[..., Any], store: Path) -> None:
    report = cli_json(cli("ingest", "measures", str(DATA / "measures.csv"), "--json"))
    assert (report["read"], report["loaded"], report["quarantined"]) == (3, 3, 0)
    rows = query(store, "SELECT measure, dimension_value, value, unit FROM measures ORDER BY value")
    assert rows == [
        ("soc_arrests", None, 104.0, "count"),
        ("nfib_fraud_reports", "force", 4560.0, "count"),
        ("nfib_fraud_reports", "region", 20133.0, "count"),
    ]


def test_a_revised_figure_replaces_the_old_one(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    cli_json(cli("ingest", "measures", str(DATA / "measures.csv"), "--json"))
    revised = tmp_path / "revised.csv"
    revised.write_text("measure,period_start,period_end,value,unit\nsoc_arrests,2023-04-01,2024-03-31,105,count\n")
    report = cli_json(cli("ingest", "measures", str(revised), "--json"))
    assert report["files"][0]["replaced"] == {"measures": 1}
    assert query(store, "SELECT value, vintage FROM measures WHERE measure = 'soc_arrests'") == [(105.0, 2)]
    assert query(store, "SELECT count(*) FROM measures") == [(3,)]


def test_bad_measure_rows_are_quarantined(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "measure,period_start,period_end,value,unit\n"
        "a,2023-04-01,2024-03-31,lots,count\n"
        "b,2024-04-01,2024-03-31,1,count\n"
        "c,2023-04-01,2024-03-31,2,\n"
        "d,2023-04-01,2024-03-31,3,count\n"
    )
    report = cli_json(cli("ingest", "measures", str(bad), "--json"))
    assert (report["loaded"], report["quarantined"]) == (1, 3)
    reasons = [(r["source_row"], r["field"], r["reason"]) for r in cli_json(cli("quarantine", "--json"))]
    assert reasons == [
        (2, "value", "not a number: 'lots'"),
        (3, "period_end", "the period ends before it starts"),
        (4, "unit", "blank: the unit is required"),
    ]


def test_a_file_that_is_not_measures_is_refused(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value\nx,1\n")
    result = cli("ingest", "measures", str(bad))
    assert result.exit_code == 1
    assert "missing column(s): measure, period_start, period_end, unit" in result.stderr
