"""Issue 16, item 8: commands that read the store, and a second ingest, during an ingest.

DuckDB lets one process write a store, or many read it. A reader or a second writer that
arrives during an ingest waits for it (up to ``$CRIMEPREV_LOCK_WAIT`` seconds) instead of
failing with "Could not set lock", and sees the store either wholly before or wholly after.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import POLICE_UK
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


def test_a_busy_store_is_a_clear_message_after_the_wait(tmp_path: Path, source: Path) -> None:
    store = tmp_path / "store.duckdb"
    subprocess.run(crimeprev(store, "ingest", "police-uk", str(POLICE_UK)), check=True, capture_output=True)
    writer = start_and_wait_for_writing(store, source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    impatient = subprocess.run(
        crimeprev(store, "status"),
        capture_output=True,
        text=True,
        env={**os.environ, "CRIMEPREV_LOCK_WAIT": "0"},
    )
    writer.wait(timeout=300)
    if impatient.returncode == 0:
        return  # the ingest happened to finish first
    assert impatient.returncode == 1 and "is busy" in impatient.stderr and "Traceback" not in impatient.stderr
