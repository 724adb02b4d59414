"""data.police.uk street files: real excerpts in, every row accounted for; bad input explained."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crimeprev.store.layout import data_dir
from tests.conftest import POLICE_UK, cli_json, query, snapshot

JAN18 = "2018-01-essex-street.csv"  # snake_case header, CRLF
JAN19 = "2019-01-essex-street.csv"  # published header, LF


def plain_counts(path: Path) -> tuple[int, int]:
    """(crimes, ASB rows) counted with the csv module, independently of crimeprev."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    asb = sum(1 for r in rows if r[0] == "")
    return len(rows) - asb, asb


def test_both_header_variants_and_line_endings_load_every_row(cli: Callable[..., Any], store: Path) -> None:
    assert (POLICE_UK / JAN18).read_bytes().count(b"\r\n") > 100
    assert b"\r\n" not in (POLICE_UK / JAN19).read_bytes()
    report = cli_json(cli("ingest", "police-uk", str(POLICE_UK / JAN18), str(POLICE_UK / JAN19), "--json"))
    crimes = sum(plain_counts(POLICE_UK / n)[0] for n in (JAN18, JAN19))
    asb = sum(plain_counts(POLICE_UK / n)[1] for n in (JAN18, JAN19))
    assert report["read"] == crimes + asb == report["loaded"] + report["quarantined"]
    assert report["quarantined"] == 0
    status = cli_json(cli("status", "--json"))
    assert status["tables"]["offences"]["rows"] == crimes
    assert status["tables"]["incidents"]["rows"] == asb


def test_identical_asb_rows_are_all_kept(cli: Callable[..., Any], store: Path) -> None:
    lines = (POLICE_UK / JAN19).read_text().splitlines()[1:]
    repeated = {line for line in lines if lines.count(line) > 1}
    assert repeated and all(line.startswith(",") for line in repeated)  # the excerpt holds ASB twins
    cli_json(cli("ingest", "police-uk", str(POLICE_UK / JAN19), "--json"))
    twin = sorted(repeated)[0].split(",")
    (n,) = query(store, f"SELECT count(*) FROM incidents WHERE lon = {float(twin[4])} AND lat = {float(twin[5])}")[0]
    assert n >= lines.count(sorted(repeated)[0])


def test_no_location_and_outside_force_rows_are_loaded_and_flagged(cli: Callable[..., Any], store: Path) -> None:
    cli_json(cli("ingest", "police-uk", str(POLICE_UK / JAN19), "--json"))
    text = (POLICE_UK / JAN19).read_text()
    no_location = sum(1 for line in text.splitlines() if ",No Location," in line)
    got = dict(query(store, "SELECT location_status, count(*) FROM offences GROUP BY 1"))
    got_asb = dict(query(store, "SELECT location_status, count(*) FROM incidents GROUP BY 1"))
    assert got.get("no_location", 0) + got_asb.get("no_location", 0) == no_location > 0
    (conwy,) = query(store, "SELECT location_status, district FROM offences WHERE lsoa_name = 'Conwy 015A'")
    assert conwy == ("outside_force", "Conwy")
    (null_lat,) = query(store, "SELECT count(*) FROM offences WHERE location_status = 'no_location' AND lat IS NULL")[0]
    assert null_lat == got.get("no_location", 0)


def test_street_files_leave_flags_unknown_not_false(cli: Callable[..., Any], store: Path) -> None:
    cli_json(cli("ingest", "police-uk", str(POLICE_UK / JAN19), "--json"))
    (row,) = query(store, "SELECT count(knife), count(domestic_abuse), count(*) FROM offences")
    assert row[0] == row[1] == 0 < row[2]


def test_outcomes_map_to_solved(cli: Callable[..., Any], store: Path) -> None:
    cli_json(cli("ingest", "police-uk", str(POLICE_UK / JAN19), "--json"))
    rows = dict(query(store, "SELECT outcome, bool_and(solved) FROM offences GROUP BY 1"))
    assert rows["Investigation complete; no suspect identified"] is False
    assert rows.get("Local resolution", True) is True
    assert any(rows.values())


def test_monthly_archive_layout_and_folders(cli: Callable[..., Any], tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    for name in (JAN18, JAN19):
        month = archive / name[:7]
        month.mkdir(parents=True)
        shutil.copy(POLICE_UK / name, month / name)
        (month / name.replace("street", "outcomes")).write_text("Crime ID,Month\n")  # not a street file
    report = cli_json(cli("ingest", "police-uk", str(archive), "--json"))
    assert [Path(f["path"]).name for f in report["files"]] == [JAN18, JAN19]
    status = cli_json(cli("status", "--json"))
    assert status["tables"]["offences"]["first_month"] == "2018-01"
    assert status["tables"]["offences"]["last_month"] == "2019-01"
    assert status["gaps"] == [f"2018-{m:02d}" for m in range(2, 13)]


def test_reingesting_the_same_files_changes_nothing(cli: Callable[..., Any], store: Path) -> None:
    cli_json(cli("ingest", "police-uk", str(POLICE_UK), "--json"))
    before = snapshot(store)
    again = cli_json(cli("ingest", "police-uk", str(POLICE_UK), "--json"))
    assert {f["status"] for f in again["files"]} == {"unchanged"}
    assert snapshot(store) == before


def test_a_new_release_of_a_month_replaces_the_old_as_a_new_vintage(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    cli_json(cli("ingest", "police-uk", str(POLICE_UK), "--json"))
    newer = tmp_path / "newer" / JAN19
    newer.parent.mkdir()
    lines = (POLICE_UK / JAN19).read_text().splitlines(keepends=True)
    newer.write_text("".join(lines[:101]))  # a much smaller release of the same month: it takes --replace
    report = cli_json(cli("ingest", "police-uk", str(newer), "--replace", "--json"))
    crimes, _asb = plain_counts(newer)
    old_crimes, old_asb = plain_counts(POLICE_UK / JAN19)
    assert report["files"][0]["replaced"] == {"incidents": old_asb, "offences": old_crimes}
    rows = query(store, "SELECT vintage, count(*) FROM offences WHERE recorded_month = DATE '2019-01-01' GROUP BY 1")
    assert rows == [(2, crimes)]
    status = cli_json(cli("status", "--json"))
    assert status["vintages"]["police-uk-street"] == {"1": 2, "2": 2}
    files = sorted(p.relative_to(data_dir(store)).as_posix() for p in data_dir(store).rglob("*.parquet"))
    assert files == [  # the superseded release's 2019-01 files are gone
        "incidents/release-1/essex-police-2018-01.parquet",
        "incidents/release-3/essex-police-2019-01.parquet",
        "offences/release-1/essex-police-2018-01.parquet",
        "offences/release-3/essex-police-2019-01.parquet",
    ]
    assert [r["active"] for r in status["releases"]] == [True, False, True]


# --- bad input -------------------------------------------------------------------------------


def _replace_line(n: int, edit: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[n - 1] = edit(lines[n - 1])
        return b"\n".join(lines)

    return apply


WHOLE_FILE = [
    ("empty file", lambda d: b"", "the file is empty"),
    ("wrong header", lambda d: d.replace(b"crime_type", b"crime_kind", 1), "not a data.police.uk street-level header"),
    ("missing header", lambda d: d.split(b"\n", 1)[1], "not a data.police.uk street-level header"),
]
ROWS = [
    (
        "invalid month",
        _replace_line(5, lambda line: line.replace(b",2018-01,", b",2018-13,")),
        5,
        "month",
        "invalid month '2018-13'",
    ),
    (
        "latitude out of range",
        _replace_line(6, lambda line: line.replace(b",51.", b",95.", 1)),
        6,
        "latitude",
        "not a usable latitude",
    ),
    (
        "wrong column count",
        _replace_line(7, lambda line: line.replace(b",Essex Police,", b",Essex Police,x,", 1)),
        7,
        None,
        "wrong column count: 13 fields, expected 12",
    ),
    (
        "non-UTF-8 bytes",
        _replace_line(8, lambda line: line.replace(b"On or near", b"On or n\xe9ar", 1)),
        8,
        "location",
        "not UTF-8 text",
    ),
    ("truncated file", lambda d: d.rstrip(b"\r\n")[:-40], 409, None, "looks truncated"),
]


@pytest.mark.parametrize(("case", "damage", "message"), WHOLE_FILE, ids=[c[0] for c in WHOLE_FILE])
def test_unreadable_files_are_refused_and_the_store_is_unchanged(
    cli: Callable[..., Any], store: Path, police_uk_dir: Path, case: str, damage: Callable[[bytes], bytes], message: str
) -> None:
    cli_json(cli("ingest", "police-uk", str(police_uk_dir / JAN19), "--json"))
    before = snapshot(store)
    bad = police_uk_dir / JAN18
    bad.write_bytes(damage(bad.read_bytes()))
    result = cli("ingest", "police-uk", str(police_uk_dir / JAN18))
    assert result.exit_code == 1
    assert message in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(store) == before


@pytest.mark.parametrize(("case", "damage", "line", "field", "message"), ROWS, ids=[c[0] for c in ROWS])
def test_bad_rows_are_quarantined_with_file_row_field_and_reason(
    cli: Callable[..., Any],
    store: Path,
    police_uk_dir: Path,
    case: str,
    damage: Callable[[bytes], bytes],
    line: int,
    field: str | None,
    message: str,
) -> None:
    cli_json(cli("ingest", "police-uk", str(police_uk_dir / JAN19), "--json"))
    before = snapshot(store)
    bad = police_uk_dir / JAN18
    bad.write_bytes(damage(bad.read_bytes()))

    strict = cli("ingest", "police-uk", str(bad), "--strict")
    assert strict.exit_code == 1 and "nothing was loaded" in strict.stderr
    assert snapshot(store) == before

    report = cli_json(cli("ingest", "police-uk", str(bad), "--json"))
    assert report["quarantined"] == 1
    assert report["read"] == report["loaded"] + 1
    (row,) = cli_json(cli("quarantine", "--json"))
    assert row["source_file"] == str(bad)
    assert row["source_row"] == line
    assert (row["field"] or "").lower().replace(" ", "_") == (field or "")
    assert message in row["reason"]
    assert row["raw_line"]
    after = snapshot(store)
    for table in ("offences", "incidents"):
        assert set(before[table]) <= set(after[table])  # what was there is untouched
    (n,) = query(store, f"SELECT count(*) FROM offences WHERE source_file = '{bad}' AND source_row = {line}")[0]
    assert n == 0
