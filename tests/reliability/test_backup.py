"""Issue 16: ``crimeprev backup`` and ``restore`` of the whole store, taken while a reader runs."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crimeprev.store.layout import data_dir
from crimeprev.store.staging import Staging
from tests.conftest import DATA, POLICE_UK, cli_json, snapshot

READER = """
import sys, time
from pathlib import Path
from crimeprev.store.warehouse import Warehouse
with Warehouse.open(Path(sys.argv[1]), read_only=True) as w:
    w.query("SELECT count(*) FROM offences")
    print("reading", flush=True)
    time.sleep(float(sys.argv[2]))
    print(w.query("SELECT count(*) FROM offences")[0][0], flush=True)
"""


@pytest.fixture
def loaded(cli: Callable[..., Any], store: Path, tmp_path: Path) -> Path:
    cli_json(cli("ingest", "police-uk", str(POLICE_UK), "--json"))
    cli_json(cli("ingest", "measures", str(DATA / "measures.csv"), "--json"))
    newer = tmp_path / "newer" / "2019-01-essex-street.csv"
    newer.parent.mkdir()
    lines = (POLICE_UK / "2019-01-essex-street.csv").read_text().splitlines(keepends=True)
    newer.write_text("".join(lines[:-5]))  # a second vintage: superseded files exist too
    cli_json(cli("ingest", "police-uk", str(newer), "--json"))
    return store


def test_backup_and_restore_round_trip_while_a_reader_runs(
    cli: Callable[..., Any], loaded: Path, tmp_path: Path
) -> None:
    before = snapshot(loaded)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(loaded), "3"], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
    archive = tmp_path / "backup.tar"
    result = cli("backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "backed up" in result.stdout
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0 and int(out.strip()) == before_count(before)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
    active = sorted(p.relative_to(data_dir(loaded)).as_posix() for p in data_dir(loaded).rglob("*.parquet"))
    assert sorted(n.removeprefix("data/") for n in names if n.startswith("data/")) == active

    cli_json(cli("ingest", "police-uk", str(POLICE_UK / "2019-01-essex-street.csv"), "--replace", "--json"))
    assert snapshot(loaded) != before
    refused = cli("restore", str(archive))
    assert refused.exit_code == 1 and "--replace" in refused.stderr
    restored = cli("restore", str(archive), "--replace")
    assert restored.exit_code == 0, restored.output
    assert snapshot(loaded) == before  # every table and every file, as backed up


def before_count(snap: dict[str, list[tuple[Any, ...]]]) -> int:
    return len(snap["offences"])


def test_a_damaged_backup_is_refused_and_the_store_kept(cli: Callable[..., Any], loaded: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar"
    assert cli("backup", str(archive)).exit_code == 0
    before = snapshot(loaded)
    damaged = tmp_path / "damaged.tar"
    data = bytearray(archive.read_bytes())
    at = data.find(b"PAR1", 4096)  # inside the first Parquet file after the manifest and catalog
    data[at + 100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = cli("restore", str(damaged), "--replace")
    assert result.exit_code == 1 and "damaged" in result.stderr
    assert snapshot(loaded) == before


def test_a_backup_never_overwrites(cli: Callable[..., Any], loaded: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar"
    archive.write_text("precious")
    result = cli("backup", str(archive))
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert archive.read_text() == "precious"


def test_a_restore_waits_for_no_ingest(cli: Callable[..., Any], loaded: Path, tmp_path: Path) -> None:
    # An ingest parsing its files holds no lock on the store, but would commit into the restored one.
    archive = tmp_path / "backup.tar"
    assert cli("backup", str(archive)).exit_code == 0
    before = snapshot(loaded)
    with Staging(loaded):
        result = cli("restore", str(archive), "--replace")
    assert result.exit_code == 1 and "ingest" in result.stderr and "is running" in result.stderr
    assert snapshot(loaded) == before
    assert cli("restore", str(archive), "--replace").exit_code == 0
