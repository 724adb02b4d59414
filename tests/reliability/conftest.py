"""Helpers for running real ingests as processes, shared by the fault and concurrency tests."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from crimeprev.store.layout import data_dir

BENCH = Path(__file__).resolve().parents[2] / "bench"


def crimeprev(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crimeprev", "--store", str(store), *args]


def big_file(folder: Path, rows: int) -> Path:
    """A street file in the data.police.uk layout, made by the ingest benchmark's generator."""
    path = folder / "2023-essex-street.csv"
    code = (
        f"import sys; sys.path.insert(0, {str(BENCH)!r}); from pathlib import Path; from ingest import make_file; "
        f"make_file(Path({str(path)!r}), {rows})"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    return path


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300,000-row street file: long enough to interrupt, or to read the store during."""
    return big_file(tmp_path_factory.mktemp("faults"), 300_000)


def start_and_wait_for_writing(store: Path, source: Path, **popen: object) -> subprocess.Popen[bytes]:
    """Start an ingest and return once it is writing partition files (so a fault hits mid-write)."""
    known = set(data_dir(store).rglob("*.parquet"))
    process = subprocess.Popen(crimeprev(store, "ingest", "police-uk", str(source)), **popen)  # type: ignore[call-overload]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if set(data_dir(store).rglob("*.parquet")) - known:
            return process
        time.sleep(0.02)
    raise AssertionError("the ingest never started writing")
