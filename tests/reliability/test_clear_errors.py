"""Issue 16, items 6 and 9: every failure a hostile user found gets one line naming what is at fault.

Each case failed with a traceback (or printed the wrong thing) before. A clear error is one line
on standard error, naming the file or argument, with exit status 1, and no traceback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from crimeprev.indicators.strategy_file import bundled_strategy
from crimeprev.sources.pseudonym import KEY_ENV, PUBLIC_DEMO_KEY
from crimeprev.store.layout import data_dir
from tests.conftest import DATA, POLICE_UK, cli_json, snapshot

JANUARY = POLICE_UK / "2018-01-essex-street.csv"


def one_line_error(result: Any, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert message.startswith("error:"), message
    for text in expected:
        assert text in " ".join(message.split()), (text, message)  # wrapped lines joined


def test_a_bracket_in_a_path_prints_as_it_is(cli: Callable[..., Any], tmp_path: Path) -> None:
    missing = tmp_path / "[red]x[/red]" / "[bold]2018-01-essex-street.csv"
    one_line_error(cli("ingest", "police-uk", str(missing)), "[red]x[/red]", "[bold]2018-01", "no such file or folder")


def test_a_bracket_in_a_header_prints_as_it_is(cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "2018-01-essex-street.csv"
    bad.write_text("Crime ID,[bold]Month[/bold],x\n1,2,3\n", encoding="utf-8")
    one_line_error(cli("ingest", "police-uk", str(bad)), "[bold]Month[/bold]")


def test_a_link_loop_in_a_folder_is_not_followed(cli: Callable[..., Any], tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "2018-01").mkdir(parents=True)
    shutil.copy(JANUARY, folder / "2018-01" / JANUARY.name)
    (folder / "2018-01" / "loop").symlink_to(folder)
    report = cli_json(cli("ingest", "police-uk", str(folder), "--json"))
    assert report["loaded"] == 408


def test_a_broken_link_in_a_folder_is_named(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(JANUARY, folder / JANUARY.name)
    (folder / "2018-02-essex-street.csv").symlink_to(tmp_path / "gone.csv")
    one_line_error(cli("ingest", "police-uk", str(folder)), "2018-02-essex-street.csv", "does not exist")
    assert not store.exists() and snapshot(store) == {}  # refused: not even an empty store is left


def test_a_folder_where_the_data_folder_should_be_is_a_clear_store_error(cli: Callable[..., Any], store: Path) -> None:
    data_dir(store).write_text("a file where the store's Parquet folder goes")
    one_line_error(cli("ingest", "police-uk", str(JANUARY)), "nothing was written to the store")


def test_a_measure_column_that_does_not_exist_fails_strategy_check(cli: Callable[..., Any], tmp_path: Path) -> None:
    doc = yaml.safe_load(bundled_strategy("police-uk-example.yaml").read_text())
    doc["themes"][0]["strands"][0]["indicators"][0]["measure"] = {"kind": "distinct", "column": "victim_name"}
    strategy = tmp_path / "s.yaml"
    strategy.write_text(yaml.safe_dump(doc))
    one_line_error(cli("strategy", "check", str(strategy)), "victim_name", "is not a column of")


def test_operations_add_checks_its_options(cli: Callable[..., Any], tmp_path: Path) -> None:
    ledger = str(tmp_path / "ops.yaml")
    common = ["operations", "add", "--name", "Op Test", "--strand", "knife-crime", "--indicators",
              "knife_crime_offences", "--ledger", ledger]  # fmt: skip
    one_line_error(cli(*common, "--start", "2024-02-11", "--end", "2024-02-05"), "ends_on is before starts_on")
    one_line_error(
        cli(*common, "--start", "2024-02-05", "--end", "2024-02-11", "--breakdown", "shoe_size"), "breakdown"
    )
    assert not Path(ledger).exists()


def test_records_refuses_a_negative_limit(cli: Callable[..., Any]) -> None:
    one_line_error(cli("records", "knife_crime_offences", "--period", "2024-01", "--limit", "-5"), "--limit -5")


def test_spc_refuses_an_output_in_a_missing_folder(cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "chart.svg"
    one_line_error(cli("spc", "knife_crime_offences", "--as-of", "2024-03", "--out", str(out)), "does not exist")


@pytest.mark.parametrize("document", ["strategy", "mapping"])
def test_deeply_nested_yaml_is_refused(cli: Callable[..., Any], tmp_path: Path, document: str) -> None:
    nested = tmp_path / "deep.yaml"
    nested.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    if document == "strategy":
        one_line_error(cli("strategy", "check", str(nested)), "nested far too deeply")
    else:
        extract = DATA / "extract" / "crimes.csv"
        one_line_error(cli("ingest", "extract", str(extract), "--mapping", str(nested)), "nested far too deeply")


def test_the_id_pattern_is_printed_whole(cli: Callable[..., Any], tmp_path: Path) -> None:
    doc = yaml.safe_load(bundled_strategy("police-uk-example.yaml").read_text())
    doc["themes"][0]["strands"][0]["id"] = "Bad ID"
    strategy = tmp_path / "s.yaml"
    strategy.write_text(yaml.safe_dump(doc))
    one_line_error(cli("strategy", "check", str(strategy)), "^[a-z0-9][a-z0-9_-]*$")


@pytest.mark.parametrize("value", ["inf", "1e400", "-1e999", "nan"])
def test_numbers_a_double_cannot_hold_are_quarantined(cli: Callable[..., Any], tmp_path: Path, value: str) -> None:
    figures = tmp_path / "figures.csv"
    figures.write_text(
        "measure,period_start,period_end,value,unit\n"
        "soc_arrests,2023-04-01,2024-03-31,412,count\n"
        f"soc_charges,2023-04-01,2024-03-31,{value},count\n"
    )
    report = cli_json(cli("ingest", "measures", str(figures), "--json"))
    assert (report["loaded"], report["quarantined"]) == (1, 1)
    (row,) = cli_json(cli("quarantine", "--json"))
    assert row["field"] == "value" and value in row["reason"]


def test_the_public_demo_key_is_refused_for_real_data(
    cli: Callable[..., Any], store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, PUBLIC_DEMO_KEY)
    extract = DATA / "extract"
    result = cli("ingest", "extract", str(extract / "crimes.csv"), "--mapping", str(extract / "crimes.mapping.yaml"))
    one_line_error(result, "public demo key", KEY_ENV)
    assert not store.exists()


@pytest.mark.parametrize(("magic", "kind"), [(b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b\x08", "gzip")])
def test_an_archive_where_a_csv_was_expected_is_named(
    cli: Callable[..., Any], tmp_path: Path, magic: bytes, kind: str
) -> None:
    archive = tmp_path / "2018-01-essex-street.csv"
    archive.write_bytes(magic + b"\x00" * 64)
    one_line_error(cli("ingest", "police-uk", str(archive)), kind, "not a CSV file")
