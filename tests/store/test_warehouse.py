"""The store: schema versions, atomic ingests, and the same store whatever the file order."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.model.errors import StoreError
from crimeprev.model.schema import MEASURES
from crimeprev.store.migrations import LATEST_VERSION, MIGRATIONS, create_table_sql
from crimeprev.store.warehouse import Warehouse
from tests.conftest import POLICE_UK, cli_json, snapshot


def test_a_new_store_is_at_the_latest_schema_version(store: Path) -> None:
    with Warehouse.open(store) as warehouse:
        assert warehouse.schema_version == LATEST_VERSION
        tables = {r[0] for r in warehouse.query("SELECT table_name FROM information_schema.tables")}
    assert {"offences", "incidents", "measures", "zones", "operations", "releases", "quarantine"} <= tables


def test_version_1_ddl_is_pinned() -> None:
    """A change to the declared schema must come with a new migration step, not an edit of version 1.

    If this fails, you changed ``model/schema.py``: add a ``Migration(2, ...)`` that alters existing
    stores, and make version 1 keep producing the tables it always produced.
    """
    ddl = ";\n".join(MIGRATIONS[0].statements())
    assert (
        hashlib.sha256(ddl.encode()).hexdigest() == "e8e0e6abb5cc82720cb17f21da493f3386c87cec7fabe6078fe757e72d080ac2"
    )
    assert create_table_sql(MEASURES) in ddl


def test_a_store_from_a_newer_crimeprev_is_refused(store: Path) -> None:
    Warehouse.open(store).close()
    con = duckdb.connect(str(store))
    con.execute("INSERT INTO schema_migrations VALUES (99, 'future', now()::TIMESTAMP)").fetchall()
    con.close()
    with pytest.raises(StoreError, match="newer than this crimeprev"):
        Warehouse.open(store)


def test_status_of_a_missing_store_says_what_to_do(cli: Callable[..., Any]) -> None:
    result = cli("status")
    assert result.exit_code == 1
    assert "no store at" in result.stderr and "crimeprev ingest" in result.stderr


def test_a_failing_file_rolls_back_the_whole_ingest(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(POLICE_UK / "2018-01-essex-street.csv", folder / "2018-01-essex-street.csv")
    (folder / "2018-02-essex-street.csv").write_text("not,a,street,file\n")
    cli_json(cli("ingest", "measures", str(Path(__file__).parents[1] / "data" / "measures.csv"), "--json"))
    before = snapshot(store)
    result = cli("ingest", "police-uk", str(folder))
    assert result.exit_code == 1 and "2018-02-essex-street.csv" in result.stderr
    assert snapshot(store) == before  # the good first file was not loaded either


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations([0, 1, 2, 3]), repeat=st.lists(st.integers(0, 3), max_size=3))
def test_shuffled_or_repeated_files_give_the_same_store(
    tmp_path_factory: pytest.TempPathFactory, order: list[int], repeat: list[int]
) -> None:
    base = tmp_path_factory.mktemp("files")
    files = []
    for i, name in enumerate(["2018-01-essex-street.csv", "2019-01-essex-street.csv"]):
        lines = (POLICE_UK / name).read_bytes().splitlines(keepends=True)
        half = len(lines) // 2
        # Four monthly files: two real months, and each split into a second "month" (relabelled).
        for j, part in enumerate((lines[: half + 1], [lines[0], *lines[half + 1 :]])):
            month = f"{2018 + i}-{1 + j * 6:02d}"
            body = b"".join(part).replace(f",{name[:7]},".encode(), f",{month},".encode())
            path = base / f"{month}-essex-street.csv"
            path.write_bytes(body)
            files.append(path)
    runner = CliRunner()

    def build(paths: list[Path], store: Path) -> dict[str, Any]:
        result = runner.invoke(app, ["--store", str(store), "ingest", "police-uk", *map(str, paths), "--json"])
        assert result.exit_code == 0, result.output
        return snapshot(store)

    reference = build(files, base / "reference.duckdb")
    shuffled = [files[i] for i in order] + [files[i] for i in repeat]
    copies = []
    for i in repeat:  # a byte-identical copy under another name is the same release
        copy = base / f"copy-{len(copies)}" / files[i].name
        copy.parent.mkdir()
        shutil.copy(files[i], copy)
        copies.append(copy)
    assert build(shuffled + copies, base / "shuffled.duckdb") == reference
