"""``crimeprev demo``: generate, ingest and show the synthetic demo; idempotent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import cli_json, query, snapshot


def test_demo_loads_every_generated_row_and_is_idempotent(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    result = cli("demo", "--data-dir", str(data), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC DEMO DATA" in result.stdout
    assert "quarantined rows: 0" in result.stdout
    offence_lines = (data / "offences.csv").read_bytes().count(b"\n") - 1
    incident_lines = (data / "incidents.csv").read_bytes().count(b"\n") - 1
    status = cli_json(cli("status", "--json"))
    assert status["tables"]["offences"]["rows"] == offence_lines
    assert status["tables"]["incidents"]["rows"] == incident_lines
    assert status["tables"]["offences"]["first_month"] == "2021-04"
    assert status["tables"]["offences"]["last_month"] == "2024-03"
    assert status["gaps"] == [] and status["quarantined"] == 0
    # A published figure survives the whole path: generator -> extract -> mapping -> store.
    (knife,) = query(
        store, "SELECT count(*) FROM offences WHERE knife AND recorded_month BETWEEN '2023-04-01' AND '2024-03-01'"
    )[0]
    assert knife == 2725
    (raw_ids,) = query(store, "SELECT count(*) FROM offences WHERE victim_key LIKE 'P0%' OR suspect_key LIKE 'P0%'")[0]
    assert raw_ids == 0

    before = snapshot(store)
    again = cli("demo", "--data-dir", str(data), "--out", str(tmp_path / "out"))
    assert again.exit_code == 0
    assert "unchanged" in again.stdout
    assert snapshot(store) == before
