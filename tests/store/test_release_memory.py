"""A release's memory is bounded whatever the size and spread of its file.

Peak memory is measured in ``bench/ingest.py`` (a 5-million-row file must peak no higher than a
2-million-row one); these tests pin the two mechanisms that make it so, without timing anything:
rows waiting for their partitions are capped, and no batch is kept alive once written.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crimeprev.model.periods import add_months
from crimeprev.store import release
from crimeprev.store.staging import Staging
from crimeprev.store.warehouse import Warehouse

MONTHS = 30


def batch(start: int, n: int, rng: np.random.Generator) -> pa.Table:
    """``n`` offences spread over 30 months, as an importer hands them to the store."""
    months = np.array([add_months(date(2021, 1, 1), m) for m in range(MONTHS)], dtype="datetime64[D]")
    return pa.table(
        {
            "crime_ref": pa.array([f"{i:064x}" for i in range(start, start + n)]),
            "force": pa.array(["Essex Police"] * n),
            "recorded_month": pa.array(months[rng.integers(0, MONTHS, n)]).cast(pa.date32()),
            "police_uk_category": pa.array(["Burglary"] * n),
            "lsoa_name": pa.array([f"Basildon {i % 97:03d}A" for i in range(n)]),
            "source_row": pa.array(np.arange(start + 2, start + n + 2, dtype=np.int64)),
        }
    )


@pytest.fixture
def writer(store: Path) -> Iterator[release.ReleaseWriter]:
    with Warehouse.open(store) as warehouse:
        catalog = warehouse.catalog()
    source = release.ReleaseSource("memory", "test", "memory.csv", "h", 0, datetime(2026, 1, 1))
    with Staging(store) as staging:
        yield release.ReleaseWriter(staging.folder, source, release_id=catalog.next_release, catalog=catalog)


def waiting(writer: release.ReleaseWriter) -> int:
    return sum(p.pending_bytes for p in writer._partitions.values())


def test_rows_waiting_for_their_partitions_are_capped(
    writer: release.ReleaseWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(release, "PENDING_BYTES", 2 * 2**20)
    rng = np.random.default_rng(1)
    most = 0
    for k in range(12):
        writer.append("offences", batch(k * 20_000, 20_000, rng))
        most = max(most, waiting(writer))
        assert waiting(writer) <= release.PENDING_BYTES
    assert most > release.PENDING_BYTES // 4  # the cap was reached, not avoided
    staged = writer.close(12 * 20_000, lambda lines: {})
    assert sum(p.rows for p in staged.partitions) == 12 * 20_000  # written early, nothing lost
    assert sum(pq.ParquetFile(p.path).metadata.num_rows for p in staged.partitions) == 12 * 20_000


def test_written_batches_are_not_kept_alive(writer: release.ReleaseWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    # Hashing keys on the store's own connection kept every batch alive until the transaction ended.
    monkeypatch.setattr(release, "PENDING_BYTES", 2**20)
    rng = np.random.default_rng(2)
    held = []
    for k in range(16):
        writer.append("offences", batch(k * 25_000, 25_000, rng))
        held.append(pa.total_allocated_bytes() - waiting(writer))
    one_batch = batch(0, 25_000, rng).nbytes
    assert held[-1] - held[3] < 3 * one_batch  # flat, not growing by a batch per append
