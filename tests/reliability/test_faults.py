"""Issue 16: faults injected into real ingests run as processes: kills, interrupts, a full disk.

After each, the store must open with exactly the counts it had before, and no partition file of
the failed ingest may remain: an interrupt or a full disk cleans up on its own failure path; a
SIGKILL (which runs no code) leaves files that the next writer removes. Many more kills run in
``bench/faults.py``.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crimeprev.store.layout import data_dir
from crimeprev.store.warehouse import Warehouse
from tests.conftest import POLICE_UK, snapshot
from tests.reliability.conftest import crimeprev, start_and_wait_for_writing


def orphans(store: Path) -> list[str]:
    """Partition files on disk that the catalog does not list as active."""
    with Warehouse.open(store, read_only=True) as warehouse:
        active = {r[0] for r in warehouse.query("SELECT path FROM partitions WHERE superseded_by IS NULL")}
    found = {p.relative_to(data_dir(store)).as_posix() for p in data_dir(store).rglob("*.parquet")}
    return sorted(found - active)


@pytest.fixture
def baseline(tmp_path: Path) -> Iterator[Path]:
    store = tmp_path / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    yield store


@pytest.fixture(scope="module")
def completed(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    """The store an uninterrupted ingest of ``source`` on top of the baseline gives."""
    store = tmp_path_factory.mktemp("completed") / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(source)), check=True, capture_output=True)
    return snapshot(store)


def tables(snap: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    return {k: v for k, v in snap.items() if k != "files"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_killed_ingest_leaves_the_store_as_it_was(
    baseline: Path, source: Path, completed: dict[str, list[tuple[object, ...]]], seed: int
) -> None:
    before = snapshot(baseline)
    process = start_and_wait_for_writing(baseline, source, stderr=subprocess.DEVNULL)
    time.sleep(random.Random(seed).uniform(0.0, 0.4))  # somewhere between the first file and the commit
    process.send_signal(signal.SIGKILL)
    process.wait()
    # All or nothing: as before the ingest, or (killed after its commit) as after a complete one.
    assert tables(snapshot(baseline)) in (tables(before), tables(completed))
    Warehouse.open(baseline).close()  # the next writer removes the files the kill left behind
    assert orphans(baseline) == []
    assert snapshot(baseline) in (before, completed)


def test_an_interrupted_ingest_cleans_up_at_once(baseline: Path, source: Path) -> None:
    before = snapshot(baseline)
    process = start_and_wait_for_writing(baseline, source, stderr=subprocess.PIPE)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode != 0 and b"Traceback" not in err
    assert snapshot(baseline) == before
    assert orphans(baseline) == []  # no writer needed: its own failure path removed them


def test_ctrl_c_pressed_again_while_it_stops_is_still_one_line(baseline: Path, source: Path) -> None:
    # Impatient users press Ctrl-C repeatedly: every press after the first lands while the ingest
    # is undoing its work or exiting, where it used to end in a traceback or a kill by SIGINT.
    before = snapshot(baseline)
    process = start_and_wait_for_writing(baseline, source, stderr=subprocess.PIPE)
    for _ in range(4):
        process.send_signal(signal.SIGINT)
        time.sleep(0.03)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and b"Traceback" not in err, err.decode()
    assert snapshot(baseline) == before
    Warehouse.open(baseline).close()
    assert orphans(baseline) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.decode().strip() or 'not permitted'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_leaves_nothing(small_disk: Path, source: Path) -> None:
    store = small_disk / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    before = snapshot(store)
    done = subprocess.run(crimeprev(store, "ingest", "police-uk", str(source)), capture_output=True, text=True)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr and done.stderr.strip().startswith("error:")
    assert "disk is full" in " ".join(done.stderr.split()) or "free some disk space" in " ".join(done.stderr.split())
    assert snapshot(store) == before
    assert orphans(store) == []  # removed on the failure path, before any later writer
    assert os.statvfs(small_disk).f_bfree > 0  # the space the failed ingest used was given back


def test_a_reader_thread_never_outlives_a_consumer_that_stopped() -> None:
    # Found by bench/faults.py: SIGINT with the read-ahead queue full left the reader thread blocked
    # on its last hand-over ("done") for ever, and the interrupted ingest never exited.
    from crimeprev.sources.ingest import prefetched

    exhausted = threading.Event()

    def batches() -> Iterator[int]:
        yield 1
        yield 2
        exhausted.set()  # the reader's only work left is its final hand-over, into a full queue

    class StoppedError(Exception):
        pass

    def consume() -> None:
        with contextlib.suppress(StoppedError):
            for _ in prefetched(batches(), depth=1):
                exhausted.wait(timeout=30)
                raise StoppedError  # as a KeyboardInterrupt would, in the middle of the first batch

    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the consumer's clean-up waited for ever on the reader thread"


@pytest.mark.parametrize("when", ["before", "after"])
def test_an_interrupt_at_the_commit_never_splits_catalog_and_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    # Found by bench/faults.py: an interrupt arriving as COMMIT returned was taken for a failure,
    # and the committed release's files were deleted under its catalog rows.
    from datetime import datetime

    from crimeprev.sources.ingest import ingest
    from crimeprev.sources.registry import ImportOptions, get_importer
    from crimeprev.store import warehouse as warehouse_module

    real = warehouse_module.run

    def interrupted(con: Any, sql: str, params: Any = ()) -> Any:
        if sql == "COMMIT" and when == "before":
            raise KeyboardInterrupt
        out = real(con, sql, params)
        if sql == "COMMIT":
            raise KeyboardInterrupt
        return out

    store = tmp_path / "store.duckdb"
    Warehouse.open(store).close()
    monkeypatch.setattr(warehouse_module, "run", interrupted)  # only the transaction's COMMIT
    with pytest.raises(KeyboardInterrupt):
        ingest(store, get_importer("police-uk"), [POLICE_UK], ImportOptions(), now=datetime(2026, 1, 1))
    monkeypatch.setattr(warehouse_module, "run", real)
    with Warehouse.open(store, read_only=True) as warehouse:
        listed = [r[0] for r in warehouse.query("SELECT path FROM partitions WHERE superseded_by IS NULL")]
        offences = warehouse.query("SELECT count(*) FROM offences")[0][0]  # every listed file is readable
    assert all((data_dir(store) / path).is_file() for path in listed)
    assert orphans(store) == []
    assert (len(listed), offences) == ((0, 0) if when == "before" else (4, 315 + 346))
