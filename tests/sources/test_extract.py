"""Force extracts through a column mapping: every canonical field, flags, keys and errors."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.sources.pseudonym import KEY_ENV
from tests.conftest import DATA, cli_json, query, snapshot

EXTRACT = DATA / "extract"
KEY = "a-test-key-of-enough-length"


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)


def expected_pseudonym(raw: str) -> str:
    return "p_" + hmac.new(KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()[:24]


def ingest(cli: Callable[..., Any], path: Path, mapping: str = "crimes.mapping.yaml") -> Any:
    return cli("ingest", "extract", str(path), "--mapping", str(EXTRACT / mapping), "--json")


def test_extract_maps_every_field(cli: Callable[..., Any], store: Path) -> None:
    report = cli_json(ingest(cli, EXTRACT / "crimes.csv"))
    assert (report["read"], report["loaded"], report["quarantined"]) == (6, 6, 0)
    rows = query(
        store,
        "SELECT crime_ref, recorded_month, recorded_on, committed_from, offence_code, knife, domestic_abuse, hate, "
        "hate_types, da_risk, location_status, outcome_month, solved, victim_key, suspect_key "
        "FROM offences ORDER BY crime_ref",
    )
    first, second, third, fourth, fifth, sixth = rows
    assert str(first[1]) == "2023-04-01" and str(first[2]) == "2023-04-03"
    assert str(first[3]) == "2023-04-02 23:15:00"
    assert first[4:8] == ("8N", True, True, False)
    assert first[9] == "high" and fifth[9] == "standard" and second[9] is None
    assert fourth[5] is None  # a blank flag is "not recorded", not false
    assert fourth[7] is True and fourth[8] == ["Racial", "Religious - Muslim"]
    assert third[10] == "no_location" and sixth[10] == "outside_force" and first[10] == "ok"
    assert str(first[11]) == "2023-05-01"
    assert [r[12] for r in rows] == [True, False, False, True, False, True]
    assert first[13] == fifth[13] == expected_pseudonym("P0001")  # a repeat victim links
    assert first[14] == fifth[14] == expected_pseudonym("P0100")
    assert second[14] is None


def test_raw_person_identifiers_never_reach_the_store(cli: Callable[..., Any], store: Path) -> None:
    cli_json(ingest(cli, EXTRACT / "crimes.csv"))
    cli_json(ingest(cli, EXTRACT / "incidents.csv", "incidents.mapping.yaml"))
    everything = repr(snapshot(store))
    for raw in ("P0001", "P0002", "P0100", "P0101"):
        assert raw not in everything


def test_person_fields_without_a_key_are_refused(
    cli: Callable[..., Any], store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV)
    result = ingest(cli, EXTRACT / "crimes.csv")
    assert result.exit_code == 1
    assert "person identifiers" in result.stderr and KEY_ENV in result.stderr
    assert snapshot(store) == {} or snapshot(store)["offences"] == []


def test_parquet_extract_gives_the_same_rows_as_csv(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    table = pacsv.read_csv(EXTRACT / "crimes.csv", convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    parquet = tmp_path / "crimes.parquet"
    pq.write_table(table, parquet)  # native types: timestamps, doubles, nulls
    cli_json(ingest(cli, EXTRACT / "crimes.csv"))
    csv_rows = query(
        store, "SELECT * EXCLUDE (source_file, source_row, source_hash, release_id, ingested_at) FROM offences"
    )
    other = tmp_path / "other.duckdb"
    result = CliRunner().invoke(
        app,
        ["--store", str(other), "ingest", "extract", str(parquet), "--mapping", str(EXTRACT / "crimes.mapping.yaml")],
    )
    assert result.exit_code == 0, result.output
    pq_rows = query(
        other, "SELECT * EXCLUDE (source_file, source_row, source_hash, release_id, ingested_at) FROM offences"
    )
    assert sorted(map(repr, pq_rows)) == sorted(map(repr, csv_rows))


def test_incident_extract(cli: Callable[..., Any], store: Path) -> None:
    report = cli_json(ingest(cli, EXTRACT / "incidents.csv", "incidents.mapping.yaml"))
    assert report["loaded"] == 3
    rows = query(store, "SELECT incident_type, recorded_month, person_key IS NULL FROM incidents ORDER BY incident_ref")
    assert [(r[0], str(r[1]), r[2]) for r in rows] == [
        ("mental health incident", "2023-04-01", False),
        ("section 136 detention", "2023-04-01", False),
        ("anti-social behaviour", "2023-05-01", True),
    ]


BAD_ROWS = [
    ("DateRecorded", "2023-04-03", "2023-13-03", "not a date in the form %Y-%m-%d: '2023-13-03'"),
    ("OutcomeMonth", "2023-05", "2018-13", "invalid month '2018-13'"),
    ("KnifeFlag", ",Y,Y,,H", ",maybe,Y,,H", "not a yes/no value: 'maybe'"),
    ("DASHRisk", ",H,Basildon", ",X,Basildon", "not a risk level"),
    ("Longitude", "0.4886", "1000.5", "not a usable longitude: '1000.5'"),
    ("CrimeNumber", "42/1001/23", "", "blank: crime_ref is required"),
]


@pytest.mark.parametrize(("field", "old", "new", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_bad_extract_rows_are_quarantined(
    cli: Callable[..., Any], store: Path, tmp_path: Path, field: str, old: str, new: str, message: str
) -> None:
    lines = (EXTRACT / "crimes.csv").read_text().splitlines(keepends=True)
    assert old in lines[1]
    lines[1] = lines[1].replace(old, new, 1)
    bad = tmp_path / "crimes.csv"
    bad.write_text("".join(lines))
    report = cli_json(ingest(cli, bad))
    assert (report["read"], report["loaded"], report["quarantined"]) == (6, 5, 1)
    (row,) = cli_json(cli("quarantine", "--json"))
    assert (row["source_row"], row["field"]) == (2, field)
    assert message in row["reason"]


def test_a_repeated_crime_reference_is_quarantined_as_a_duplicate(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    lines = (EXTRACT / "crimes.csv").read_text().splitlines(keepends=True)
    bad = tmp_path / "crimes.csv"
    bad.write_text("".join([*lines, lines[2]]))
    report = cli_json(ingest(cli, bad))
    assert (report["read"], report["loaded"], report["quarantined"]) == (7, 6, 1)
    (row,) = cli_json(cli("quarantine", "--json"))
    assert row["source_row"] == 8 and row["field"] == "crime_ref"
    assert "duplicate Essex Police / 42/1002/23: already loaded from row 3" in row["reason"]
    # the line as the store keeps the row: identifiers as pseudonyms, columns not loaded blanked
    assert row["raw_line"] == lines[2].rstrip("\n").replace("P0002", expected_pseudonym("P0002"))


MAPPING_ERRORS = [
    ("columns:\n  crime_ref: CrimeNumber\n", "table", "Field required"),
    (
        "table: offences\nforce: X\ncolumns:\n  crime_ref: CrimeNumber\n  colour: Notes\n",
        "mapping",
        "unknown canonical field(s) ['colour']",
    ),
    ("table: offences\nforce: X\ncolumns:\n  crime_ref: CrimeNumber\n", "mapping", "map recorded_month or recorded_on"),
    (
        "table: offences\ncolumns:\n  crime_ref: CrimeNumber\n  recorded_on: DateRecorded\n",
        "mapping",
        "exactly one of force",
    ),
    (
        "table: offences\nforce: X\ncolumns:\n  crime_ref: Ref\n  recorded_on: DateRecorded\n",
        None,
        "the mapping names column(s) the file does not have: Ref",
    ),
]


@pytest.mark.parametrize(("body", "field", "message"), MAPPING_ERRORS)
def test_mapping_errors_name_the_file_and_field(
    cli: Callable[..., Any], store: Path, tmp_path: Path, body: str, field: str | None, message: str
) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("dataset: d\n" + body)
    result = cli("ingest", "extract", str(EXTRACT / "crimes.csv"), "--mapping", str(mapping))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
