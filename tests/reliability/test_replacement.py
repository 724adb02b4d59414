"""Issue 16, items 2, 4 and 5: a release replaces only what it covers, whole, and never silently.

Each test reproduces a defect found by a hostile user: one mis-dated row wiping out another month;
a month re-released without its anti-social behaviour rows leaving the old ones counted; an old
version of a file re-ingested over its replacement without a word.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crimeprev.sources.pseudonym import KEY_ENV
from tests.conftest import DATA, POLICE_UK, cli_json, query, snapshot

JANUARY = POLICE_UK / "2018-01-essex-street.csv"


def rows_of(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def month_count(store: Path, table: str, month: str) -> int:
    return int(query(store, f"SELECT count(*) FROM {table} WHERE recorded_month = DATE '{month}-01'")[0][0])


def test_a_misdated_row_cannot_replace_a_month_its_file_does_not_cover(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    header, rows = rows_of(JANUARY)
    february = [[r[0] and "feb" + r[0][3:], "2018-02", *r[2:]] for r in rows]  # other crimes, other ids
    cli_json(cli("ingest", "police-uk", str(write(tmp_path / "2018-02-essex-street.csv", header, february)), "--json"))
    before = month_count(store, "offences", "2018-02")
    assert before == 315

    stray = [list(r) for r in rows]
    stray[5][1] = "2018-02"  # one row of the January file dated February
    report = cli_json(
        cli("ingest", "police-uk", str(write(tmp_path / "2018-01-essex-street.csv", header, stray)), "--json")
    )
    assert report["quarantined"] == 1 and report["read"] == report["loaded"] + 1
    assert month_count(store, "offences", "2018-02") == before  # February is untouched
    (row,) = cli_json(cli("quarantine", "--json"))
    assert row["source_row"] == 7 and "covers 2018-01 only" in row["reason"]


@pytest.fixture
def extract_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "a-test-key-of-enough-length")


def test_an_extract_that_would_wipe_out_most_of_a_month_needs_replace(
    cli: Callable[..., Any], store: Path, tmp_path: Path, extract_key: None
) -> None:
    header, rows = rows_of(DATA / "extract" / "crimes.csv")
    may = [[f"42/{2000 + i}/23", "2023-05-0" + str(1 + i % 9), *rows[0][2:]] for i in range(30)]
    mapping = str(DATA / "extract" / "crimes.mapping.yaml")
    cli_json(cli("ingest", "extract", str(write(tmp_path / "full.csv", header, may)), "--mapping", mapping, "--json"))
    before = snapshot(store)

    partial = write(tmp_path / "one-row.csv", header, may[:1])
    refused = cli("ingest", "extract", str(partial), "--mapping", mapping)
    assert refused.exit_code == 1
    assert "offences of Essex Police 2023-05 from 30 to 1" in refused.stderr and "--replace" in refused.stderr
    assert snapshot(store) == before  # nothing was loaded

    cli_json(cli("ingest", "extract", str(partial), "--mapping", mapping, "--replace", "--json"))
    assert month_count(store, "offences", "2023-05") == 1


def test_a_month_re_released_without_asb_rows_no_longer_counts_the_old_ones(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    cli_json(cli("ingest", "police-uk", str(JANUARY), "--json"))
    assert month_count(store, "incidents", "2018-01") == 93
    header, rows = rows_of(JANUARY)
    crimes_only = write(tmp_path / "2018-01-essex-street.csv", header, [r for r in rows if r[0]])
    refused = cli("ingest", "police-uk", str(crimes_only))
    assert refused.exit_code == 1 and "incidents of Essex Police 2018-01 from 93 to 0" in refused.stderr
    report = cli_json(cli("ingest", "police-uk", str(crimes_only), "--replace", "--json"))
    assert report["files"][0]["replaced"] == {"offences": 315, "incidents": 93}
    assert month_count(store, "incidents", "2018-01") == 0
    assert month_count(store, "offences", "2018-01") == 315
    status = cli_json(cli("status", "--json"))
    assert status["tables"]["incidents"]["rows"] == 0


def test_re_ingesting_a_replaced_file_is_refused_unless_asked(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    header, rows = rows_of(JANUARY)
    (tmp_path / "v1").mkdir()
    first = write(tmp_path / "v1" / "2018-01-essex-street.csv", header, rows)
    revised = [list(r) for r in rows]
    revised[0][10] = "Offender given a caution"
    (tmp_path / "v2").mkdir()
    second = write(tmp_path / "v2" / "2018-01-essex-street.csv", header, revised)
    cli_json(cli("ingest", "police-uk", str(first), "--json"))
    cli_json(cli("ingest", "police-uk", str(second), "--json"))
    before = snapshot(store)

    refused = cli("ingest", "police-uk", str(first))
    assert refused.exit_code == 1
    assert "loaded before (release 1)" in refused.stderr and "replaced by a newer version (release 2)" in refused.stderr
    assert snapshot(store) == before

    back = cli_json(cli("ingest", "police-uk", str(first), "--replace", "--json"))
    assert back["files"][0]["status"] == "loaded"
    outcome = query(store, f"SELECT outcome, vintage FROM offences WHERE crime_ref = '{rows[0][0]}'")
    assert outcome == [(rows[0][10], 3)]
    assert json.loads(cli("status", "--json").stdout)["releases"]
