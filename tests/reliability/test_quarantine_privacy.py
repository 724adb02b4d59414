"""Issue 16, item 1: quarantined extract rows must not carry raw person identifiers.

An extract with bad rows of every kind (a bad date, a wrong number of fields, a duplicate
reference) and a personal column the mapping does not load (free-text notes naming people): no
raw identifier or note may reach the store's files or ``quarantine --json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crimeprev.model.rejects import WITHHELD
from crimeprev.sources.pseudonym import KEY_ENV
from crimeprev.store.layout import data_dir
from crimeprev.store.migrations import LATEST_VERSION
from crimeprev.store.warehouse import Warehouse
from tests.conftest import DATA, cli_json

EXTRACT = DATA / "extract"
KEY = "a-test-key-of-enough-length"
RAW = ("P0001", "P0002", "P0100", "P0777", "P0888", "Jo Bloggs", "Sam Smith")


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)


def bad_extract(tmp_path: Path) -> Path:
    lines = (EXTRACT / "crimes.csv").read_text(encoding="utf-8").splitlines()
    header, good = lines[0], lines[1:3]
    bad_date = (
        "42/2001/23,2023-13-45,,8N,Violence against the person,Violence and sexual offences,N,N,,,Basildon,,,,,"
        "P0777,P0888,Jo Bloggs said"
    )
    short = "42/2002/23,2023-04-03,P0777,Sam Smith"
    duplicate = good[0].replace("first, with a comma", "Sam Smith again")
    path = tmp_path / "crimes-bad.csv"
    path.write_text("\n".join([header, *good, bad_date, short, duplicate]) + "\n", encoding="utf-8")
    return path


def test_no_raw_identifier_reaches_the_store_or_the_quarantine_listing(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    report = cli_json(
        cli(
            "ingest", "extract", str(bad_extract(tmp_path)), "--mapping", str(EXTRACT / "crimes.mapping.yaml"), "--json"
        )
    )
    assert (report["read"], report["loaded"], report["quarantined"]) == (5, 2, 3)
    listing = cli("quarantine", "--json")
    assert listing.exit_code == 0
    rows = json.loads(listing.stdout)
    reasons = " ".join(r["reason"] for r in rows)
    assert "duplicate" in reasons and "fields" in reasons and "date" in reasons
    text = listing.stdout + cli("quarantine").stdout
    files = [store, *data_dir(store).rglob("*")]
    for raw in RAW:
        assert raw not in text, raw
        for path in files:
            if path.is_file():
                assert raw.encode() not in path.read_bytes(), (raw, path)
    by_reason = {r["reason"].split(":")[0].split(" ")[0]: r for r in rows}
    assert any(r["raw_line"] == WITHHELD for r in rows)  # the line with too few fields
    pseudonymised = [r for r in rows if "p_" in (r["raw_line"] or "")]
    assert len(pseudonymised) == 2 and by_reason  # the bad date and the duplicate keep their pseudonyms


def test_lines_keep_what_the_store_keeps(cli: Callable[..., Any], tmp_path: Path) -> None:
    cli_json(
        cli(
            "ingest", "extract", str(bad_extract(tmp_path)), "--mapping", str(EXTRACT / "crimes.mapping.yaml"), "--json"
        )
    )
    rows = json.loads(cli("quarantine", "--json").stdout)
    (dated,) = [r for r in rows if "date" in r["reason"]]
    cells = dated["raw_line"].split(",")
    assert cells[0] == "42/2001/23" and cells[1] == "2023-13-45"  # what the analyst needs to fix it
    assert cells[-1] == ""  # the notes column is not loaded, so it is not kept
    assert cells[-3].startswith("p_") and cells[-2].startswith("p_")  # identifiers as pseudonyms


def test_a_store_from_before_redaction_has_its_extract_lines_withheld(store: Path) -> None:
    Warehouse.open(store).close()
    con = duckdb.connect(str(store))
    con.execute(
        "INSERT INTO releases VALUES (7, 'force', 'extract', 'x.csv', 'h', 1, 1, 0, 1, now()::TIMESTAMP, NULL), "
        "(8, 'police-uk-street', 'police-uk', 'y.csv', 'h2', 1, 1, 0, 1, now()::TIMESTAMP, NULL)"
    ).fetchall()
    con.execute(
        "INSERT INTO quarantine VALUES (7, 'force', 'x.csv', 'h', 2, 'DateRecorded', 'bad date', "
        "'42/1,2023-13-01,P0777,Jo Bloggs', now()::TIMESTAMP), (8, 'police-uk-street', 'y.csv', 'h2', 3, NULL, "
        "'blank line', 'public text', now()::TIMESTAMP)"
    ).fetchall()
    con.execute("DELETE FROM schema_migrations WHERE version >= 2").fetchall()  # as a store of version 1 was
    con.execute("DROP TABLE access_log").fetchall()
    con.close()
    with Warehouse.open(store, read_only=True) as warehouse:  # a reading command upgrades it too
        assert warehouse.schema_version == LATEST_VERSION
        lines = dict(warehouse.query("SELECT release_id, raw_line FROM quarantine"))
    assert lines == {7: WITHHELD, 8: "public text"}
