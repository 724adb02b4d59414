"""Writing one release (one input file) into a staging folder, without touching the store.

A release's rows are split into partition files (one per table, force and month, see
:mod:`.layout`), its rejected lines into a quarantine file, and the keys of its rows are hashed
for the duplicate check; all of it in the ingest's private staging folder (see :mod:`.staging`),
while the store stays open to readers and other ingests. :meth:`ReleaseWriter.close` hands over
a :class:`StagedRelease`, which :mod:`.commit` moves into the store under its write lock.

The rows are stamped with the release number and each partition's vintage the catalog suggested
when the ingest began; the commit corrects them if another ingest landed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crimeprev.model.periods import month_label
from crimeprev.model.rejects import RejectedLine
from crimeprev.model.schema import TABLES_BY_NAME, Table
from crimeprev.store.catalog import Catalog
from crimeprev.store.layout import FILE_BACKED, arrow_schema, conform, dictionary_columns, partition_file
from crimeprev.store.sql import scratch_connection

RawLines = Callable[[Sequence[int]], Mapping[int, str]]
ROW_GROUP_ROWS = 64_000
PENDING_BYTES = 128 * 2**20
"""At most this much of a release's rows wait in memory for their partitions' row groups to fill.

A file spread over many months and forces feeds many partitions at once; without a bound, their
half-full row groups (up to ``ROW_GROUP_ROWS`` rows each) made the peak memory grow with the size
and spread of the file. Past the bound, the fullest partitions are written out early."""


def _constant(value: str, n: int) -> pa.DictionaryArray:
    """A column holding one string ``n`` times, stored once (dictionary-encoded)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value], pa.string()))


def _split_by_partition(rows: pa.Table) -> Iterator[tuple[str, date, pa.Table]]:
    """The rows of each (force, month) partition, each a copy of just its rows.

    One sort of the two key columns finds every partition's rows; each is then taken on its own
    (a slice of a sorted batch would keep the whole batch alive for as long as any partition
    still waits to write its few rows). A filter pass over the batch per partition cost a pass
    per partition.
    """
    force, month = rows["force"].combine_chunks(), rows["recorded_month"].combine_chunks()
    if pc.count_distinct(force).as_py() == 1 and pc.count_distinct(month).as_py() == 1:
        yield force[0].as_py(), month[0].as_py(), rows  # a monthly file of one force: the usual case
        return
    order = pc.sort_indices(pa.table({"f": force, "m": month}), sort_keys=[("f", "ascending"), ("m", "ascending")])
    force, month = force.take(order), month.take(order)
    changed = pc.or_(pc.not_equal(force[1:], force[:-1]), pc.not_equal(month[1:], month[:-1]))
    starts = [0, *(np.flatnonzero(changed.to_numpy(zero_copy_only=False)) + 1).tolist()]
    for start, end in zip(starts, [*starts[1:], rows.num_rows], strict=True):
        yield force[start].as_py(), month[start].as_py(), rows.take(order.slice(start, end - start))


@dataclass(slots=True)
class _Partition:
    """One Parquet file being written: rows buffered until a row group is full."""

    table: str
    force: str
    month: date
    vintage: int
    path: Path
    writer: pq.ParquetWriter
    pending: list[pa.Table] = field(default_factory=list)
    pending_rows: int = 0
    pending_bytes: int = 0
    rows: int = 0

    def write(self, rows: pa.Table, *, flush: bool = False) -> None:
        if rows.num_rows:
            self.pending.append(rows)
            self.pending_rows += rows.num_rows
            self.pending_bytes += rows.nbytes
        if self.pending_rows and (flush or self.pending_rows >= ROW_GROUP_ROWS):
            self.writer.write_table(pa.concat_tables(self.pending), row_group_size=ROW_GROUP_ROWS)
            self.rows += self.pending_rows
            self.pending, self.pending_rows, self.pending_bytes = [], 0, 0


@dataclass(frozen=True, slots=True)
class ReleaseSource:
    """Where a release comes from: stamped on every row it loads and recorded in ``releases``."""

    dataset: str
    importer: str
    source_file: str
    source_hash: str
    file_bytes: int
    ingested_at: datetime


@dataclass(frozen=True, slots=True)
class StagedPartition:
    """A partition file written in the staging folder, stamped with a provisional vintage."""

    table: str
    force: str
    month: date
    vintage: int
    path: Path
    rows: int


@dataclass(frozen=True, slots=True)
class StagedRelease:
    """Everything a release wrote before the commit: files in the staging folder, small tables in memory."""

    source: ReleaseSource
    release_id: int
    """The release number the rows are stamped with (the commit renumbers them if it is taken)."""
    replace: bool
    rows_read: int
    tables: frozenset[str]
    partitions: tuple[StagedPartition, ...]
    native: Mapping[str, tuple[pa.Table, ...]]
    quarantine_file: Path | None
    quarantined: int
    key_hashes: Mapping[str, np.ndarray]
    raw_lines: RawLines


QUARANTINE_SCHEMA = pa.schema(
    [("source_row", pa.int64()), ("field", pa.string()), ("reason", pa.string()), ("raw_line", pa.string())]
)


def rejected_rows(rejected: Sequence[RejectedLine]) -> pa.Table:
    """Rejected lines as the rows of the ``quarantine`` table they become (without provenance)."""
    return pa.table(
        {
            "source_row": pa.array([r.line for r in rejected], type=pa.int64()),
            "field": pa.array([r.field for r in rejected], type=pa.string()),
            "reason": pa.array([r.reason for r in rejected], type=pa.string()),
            "raw_line": pa.array([r.raw for r in rejected], type=pa.string()),
        },
        schema=QUARANTINE_SCHEMA,
    )


def partition_writer(path: Path, table: Table) -> pq.ParquetWriter:
    """A writer of one partition file, with the encoding every partition file of ``table`` uses."""
    return pq.ParquetWriter(path, arrow_schema(table), compression="zstd", use_dictionary=dictionary_columns(table))


def provenance_columns(source: ReleaseSource, release_id: int, vintage: int, n: int) -> dict[str, pa.Array]:
    """The columns every row of a partition file carries about its release."""
    return {
        "dataset": _constant(source.dataset, n),
        "release_id": pa.repeat(pa.scalar(release_id, pa.int64()), n),
        "source_file": _constant(source.source_file, n),
        "source_hash": _constant(source.source_hash, n),
        "ingested_at": pa.repeat(pa.scalar(source.ingested_at, pa.timestamp("us")), n),
        "vintage": pa.repeat(pa.scalar(vintage, pa.int32()), n),
    }


class ReleaseWriter:
    """Writes the rows and rejects of one release into a staging folder; see the module docstring."""

    def __init__(
        self,
        folder: Path,
        source: ReleaseSource,
        *,
        release_id: int,
        catalog: Catalog,
        replace: bool = False,
    ) -> None:
        self._folder = folder
        self.source = source
        self.release_id = release_id
        self._catalog = catalog
        self.replace = replace  # allowed to shrink a month by more than SHRINK_LIMIT
        self._tables: set[str] = set()
        self._partitions: dict[tuple[str, str, date], _Partition] = {}
        self._native: dict[str, list[pa.Table]] = {}
        self._quarantine: pq.ParquetWriter | None = None
        self._quarantined = 0
        self._key_hashes: dict[str, list[np.ndarray]] = {}

    # --- appending ----------------------------------------------------------------------------

    def append(self, table: str, rows: pa.Table) -> None:
        """Append canonical rows (importer columns plus ``source_row``) to ``table``."""
        if rows.num_rows == 0:
            return
        target = TABLES_BY_NAME[table]
        unknown = set(rows.column_names) - set(target.column_names)
        if unknown:
            raise ValueError(f"{table} has no columns {sorted(unknown)}")
        self._tables.add(table)
        if table in FILE_BACKED:
            self._append_files(target, rows)
        else:  # measures, zones, operations: small, kept for the commit to insert
            self._native.setdefault(table, []).append(rows)

    def _append_files(self, table: Table, rows: pa.Table) -> None:
        self._key_hashes.setdefault(table.name, []).append(self._hash_keys(table, rows))
        schema = arrow_schema(table)
        for force, month, part_rows in _split_by_partition(rows):
            part = self._partition(table, force, month)
            columns = provenance_columns(self.source, self.release_id, part.vintage, part_rows.num_rows)
            for name, column in columns.items():
                part_rows = part_rows.append_column(name, column)
            part.write(conform(part_rows, schema))
        self._bound_pending()

    def _bound_pending(self) -> None:
        """Write out the fullest partitions' waiting rows while more than ``PENDING_BYTES`` wait."""
        parts = [p for p in self._partitions.values() if p.pending_rows]
        waiting = sum(p.pending_bytes for p in parts)
        if waiting <= PENDING_BYTES:
            return
        for part in sorted(parts, key=lambda p: p.pending_bytes, reverse=True):
            waiting -= part.pending_bytes
            part.write(pa.table({}), flush=True)
            if waiting <= PENDING_BYTES // 2:
                return

    def _hash_keys(self, table: Table, rows: pa.Table) -> np.ndarray:
        """DuckDB's 64-bit ``hash`` of each row's key (rows with no reference left out), computed on
        a scratch connection (see :func:`~crimeprev.store.sql.scratch_connection`)."""
        hasher = scratch_connection()  # this thread's own
        hasher.register("_keys", rows.select(list(table.key)))
        try:
            present = " AND ".join(f"{c} IS NOT NULL" for c in table.reference) or "TRUE"
            result = hasher.execute(f"SELECT hash({', '.join(table.key)}) AS h FROM _keys WHERE {present}")
            hashes = np.asarray(result.fetchnumpy()["h"], dtype=np.uint64)
        finally:
            hasher.unregister("_keys")
        return hashes

    def _partition(self, table: Table, force: str, month: date) -> _Partition:
        key = (table.name, force, month)
        found = self._partitions.get(key)
        if found is not None:
            return found
        path = self._folder / partition_file(table.name, self.release_id, force, month_label(month))
        path.parent.mkdir(parents=True, exist_ok=True)
        vintage = self._catalog.vintage(table.name, self.source.dataset, force, month) + 1
        part = _Partition(table.name, force, month, vintage, path, partition_writer(path, table))
        self._partitions[key] = part
        return part

    def quarantine(self, rejected: Sequence[RejectedLine]) -> None:
        """Record rejected lines with their reasons."""
        if not rejected:
            return
        rows = rejected_rows(rejected)
        if self._quarantine is None:
            self._quarantine = pq.ParquetWriter(self._quarantine_path, QUARANTINE_SCHEMA, compression="zstd")
        self._quarantine.write_table(rows)
        self._quarantined += len(rejected)

    @property
    def _quarantine_path(self) -> Path:
        return self._folder / f"quarantine-{self.release_id}.parquet"

    # --- handing over -------------------------------------------------------------------------

    def close(self, rows_read: int, raw_lines: RawLines) -> StagedRelease:
        """Write out and close every file; ``raw_lines`` fetches the raw text of given lines of the
        source file, for the rows the commit finds to be duplicates."""
        partitions = []
        for part in self._partitions.values():
            part.write(pa.table({}), flush=True)
            part.writer.close()
            if part.rows == 0:  # every row of this partition went to quarantine
                part.path.unlink()
                continue
            partitions.append(StagedPartition(part.table, part.force, part.month, part.vintage, part.path, part.rows))
        if self._quarantine is not None:
            self._quarantine.close()
        return StagedRelease(
            source=self.source,
            release_id=self.release_id,
            replace=self.replace,
            rows_read=rows_read,
            tables=frozenset(self._tables),
            partitions=tuple(partitions),
            native={name: tuple(batches) for name, batches in self._native.items()},
            quarantine_file=self._quarantine_path if self._quarantine is not None else None,
            quarantined=self._quarantined,
            key_hashes={name: np.concatenate(hashes) for name, hashes in self._key_hashes.items()},
            raw_lines=raw_lines,
        )

    def abandon(self) -> None:
        """Close any open files (the staging folder, and the files in it, are removed by its owner).

        Closing a file on a full disk fails too; the file is given up all the same, and marked
        closed so that the garbage collector does not try (and fail, loudly) again.
        """
        writers = [part.writer for part in self._partitions.values()]
        for writer in [*writers, *([self._quarantine] if self._quarantine is not None else [])]:
            try:
                writer.close()
            except OSError:
                writer.is_open = False
