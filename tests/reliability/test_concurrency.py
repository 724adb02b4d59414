"""Issue 16, item 8: commands that read the store, and a second ingest, during an ingest.

DuckDB lets one process write a store, or many read it. An ingest parses its files into a
staging folder holding no lock on the store, and takes the write lock only for its short
commit; a reader that arrives during that commit waits for it (up to ``$CRIMEPREV_LOCK_WAIT``
seconds) instead of failing with "Could not set lock". Readers see the store either wholly
before or wholly after an ingest.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crimeprev.sources.ingest import ingest
from crimeprev.sources.registry import ImportOptions, get_importer
from crimeprev.store.layout import data_dir
from crimeprev.store.release import ReleaseSource, ReleaseWriter
from crimeprev.store.staging import Staging, running_ingests, staging_root
from crimeprev.store.warehouse import Warehouse
from tests.conftest import POLICE_UK, query
from tests.reliability.conftest import crimeprev, start_and_wait_for_writing


def test_status_and_insights_succeed_while_an_ingest_runs(tmp_path: Path, source: Path) -> None:
    store = tmp_path / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    writer = start_and_wait_for_writing(store, source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = subprocess.run(crimeprev(store, "status", "--json"), capture_output=True, text=True)
    insights = subprocess.run(
        crimeprev(store, "insights", "--as-of", "2019-01", "--json"), capture_output=True, text=True
    )
    assert writer.wait(timeout=300) == 0
    assert status.returncode == 0, status.stderr
    assert insights.returncode == 0, insights.stderr
    rows = json.loads(status.stdout)["tables"]["offences"]["rows"]
    assert rows in (315 + 346, 315 + 346 + 232_093)  # wholly before or wholly after the ingest
    assert json.loads(insights.stdout)


def test_two_ingests_at_once_both_land(tmp_path: Path, source: Path) -> None:
    store = tmp_path / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK / "2018-01-essex-street.csv")), check=True)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(POLICE_UK / "2019-01-essex-street.csv", other)
    first = start_and_wait_for_writing(store, source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second = subprocess.run(
        crimeprev(store, "ingest", "police-uk", str(other), "--json"), capture_output=True, text=True
    )
    assert first.wait(timeout=300) == 0
    assert second.returncode == 0, second.stderr
    status = json.loads(subprocess.run(crimeprev(store, "status", "--json"), capture_output=True, text=True).stdout)
    assert status["tables"]["offences"]["rows"] == 315 + 346 + 232_093
    assert [r["active"] for r in status["releases"]] == [True, True, True]


def holds_the_store(pid: int, store: Path) -> bool:
    """Whether process ``pid`` has the store's database file open (and so holds a lock on it)."""
    fds = Path(f"/proc/{pid}/fd")
    return any(fd.readlink() == store.resolve() for fd in fds.iterdir() if fd.is_symlink())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which files a process holds")
def test_readers_need_not_wait_while_an_ingest_parses(tmp_path: Path, source: Path) -> None:
    # The ingest is frozen mid-parse; a reader that will not wait at all must still get in.
    store = tmp_path / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    impatient = {**os.environ, "CRIMEPREV_LOCK_WAIT": "0"}
    for _ in range(5):
        writer = start_and_wait_for_writing(store, source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        writer.send_signal(signal.SIGSTOP)
        try:
            if holds_the_store(writer.pid, store):
                continue  # caught in its catalog read or its commit: freeze it elsewhere
            status = subprocess.run(crimeprev(store, "status", "--json"), capture_output=True, text=True, env=impatient)
            insights = subprocess.run(
                crimeprev(store, "insights", "--as-of", "2019-01", "--json"), capture_output=True, text=True,
                env=impatient,
            )  # fmt: skip
        finally:
            writer.send_signal(signal.SIGCONT)
            writer.kill()
            writer.wait()
        assert status.returncode == 0, status.stderr
        assert insights.returncode == 0, insights.stderr
        assert json.loads(status.stdout)["tables"]["offences"]["rows"] == 315 + 346
        return
    pytest.fail("the ingest held the store every time it was frozen while writing")


def test_a_busy_store_is_a_clear_message_after_the_wait(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    with Warehouse.open(store):  # a writer holding the store (as an ingest does while it commits)
        impatient = subprocess.run(
            crimeprev(store, "status"),
            capture_output=True,
            text=True,
            env={**os.environ, "CRIMEPREV_LOCK_WAIT": "0"},
        )
    assert impatient.returncode == 1 and "is busy" in impatient.stderr and "Traceback" not in impatient.stderr


def test_an_ingest_that_staged_while_another_committed_is_renumbered(tmp_path: Path) -> None:
    # Two ingests of new versions of the same month: the one that staged first commits second, so
    # its files were stamped with a release number and vintage the other one took meanwhile.
    store = tmp_path / "store.duckdb"
    month = POLICE_UK / "2018-01-essex-street.csv"
    ingest(store, get_importer("police-uk"), [month], ImportOptions(), now=datetime(2026, 1, 1))
    lines = month.read_text().splitlines(keepends=True)
    late, early = tmp_path / "late" / month.name, tmp_path / "early" / month.name
    for path, rows in ((late, lines[:-1]), (early, lines[:-2])):
        path.parent.mkdir()
        path.write_text("".join(rows))
    importer = get_importer("police-uk")
    with Warehouse.open(store, read_only=True) as warehouse:
        catalog = warehouse.catalog()
    (source,) = importer.plan([late], ImportOptions())
    with Staging(store) as staging:
        writer = ReleaseWriter(
            staging.folder,
            ReleaseSource(source.dataset, importer.name, str(late), "late", 1, datetime(2026, 1, 3)),
            release_id=catalog.next_release,
            catalog=catalog,
        )
        read = 0
        for batch in importer.read(source, ImportOptions()):
            for table, rows in batch.tables.items():
                writer.append(table, rows)
            writer.quarantine(batch.rejected)
            read += batch.rows
        staged = writer.close(read, lambda lines: {})
        assert {p.vintage for p in staged.partitions} == {2} and staged.release_id == 2
        ingest(store, importer, [early], ImportOptions(), now=datetime(2026, 1, 2))  # lands meanwhile
        Warehouse.open(store).close()  # a writer's clean-up leaves a running ingest's staging alone
        assert all(p.path.is_file() for p in staged.partitions)
        with Warehouse.open(store) as warehouse, warehouse.transaction():
            summary = warehouse.commit_release(staged)
    assert summary.release_id == 3
    assert query(store, "SELECT DISTINCT release_id, vintage FROM offences") == [(3, 3)]
    assert summary.rows_loaded == staged.rows_read == len(lines) - 2  # the late file's rows, nothing else
    files = query(store, "SELECT path FROM partitions WHERE superseded_by IS NULL")
    for (relative,) in files:
        stamped = pq.read_table(data_dir(store) / relative, columns=["release_id", "vintage"]).to_pylist()
        assert {(r["release_id"], r["vintage"]) for r in stamped} == {(3, 3)}
    assert not staging_root(store).exists() or not any(staging_root(store).iterdir())


def test_a_killed_ingests_staging_is_removed_by_the_next_writer(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    Warehouse.open(store).close()
    running = Staging(store).__enter__()
    (running.folder / "offences.parquet").write_bytes(b"staged")
    killed = staging_root(store) / "999999-dead"  # a folder and a lock nobody holds, as a SIGKILL leaves
    killed.mkdir()
    (killed / "offences.parquet").write_bytes(b"staged")
    killed.with_name(killed.name + ".lock").touch()
    Warehouse.open(store).close()
    assert not killed.exists() and not killed.with_name(killed.name + ".lock").exists()
    assert (running.folder / "offences.parquet").is_file()
    assert running_ingests(store) == [running.folder]
    running.close()
    Warehouse.open(store).close()
    assert not staging_root(store).exists()
