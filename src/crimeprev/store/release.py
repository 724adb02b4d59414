"""Writing one release (one input file) into the store.

A release appends its rows, quarantines its rejects, then on :meth:`ReleaseWriter.finish`:

1. replaces the older rows of the same dataset in the partitions it covers (a new file for the
   same force and month supersedes the old one) and numbers the new rows' ``vintage``;
2. quarantines rows whose key is already taken (a repeated crime reference);
3. records the release with its reconciliation ``read = loaded + quarantined``.

Offences and incidents go to Parquet partition files (see :mod:`.layout`), which become
visible only when the catalog rows that list them are committed; measures go to DuckDB tables.
It all runs inside the warehouse's transaction, so all of it lands or none of it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crimeprev.model.errors import InputError
from crimeprev.model.periods import month_label
from crimeprev.model.rejects import RejectedLine
from crimeprev.model.schema import TABLES_BY_NAME, Table
from crimeprev.store.layout import FILE_BACKED, arrow_schema, conform, dictionary_columns, partition_file
from crimeprev.store.sql import run, scratch_connection

RawLines = Callable[[Sequence[int]], Mapping[int, str]]
ROW_GROUP_ROWS = 64_000
SHRINK_LIMIT = 0.2
"""A release may leave a month's partition at most this much smaller than the one it replaces
without ``--replace`` (new vintages of a month differ by a few per cent; a mis-dated row or a
partial file would wipe out most of it)."""
SHRINK_MIN_ROWS = 10
"""Partitions this small are replaced without the check: their counts swing by chance."""
PENDING_BYTES = 128 * 2**20
"""At most this much of a release's rows wait in memory for their partitions' row groups to fill.

A file spread over many months and forces feeds many partitions at once; without a bound, their
half-full row groups (up to ``ROW_GROUP_ROWS`` rows each) made the peak memory grow with the size
and spread of the file. Past the bound, the fullest partitions are written out early."""


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    """What one release did to the store."""

    release_id: int
    loaded: Mapping[str, int]
    quarantined: int
    replaced: Mapping[str, int]
    duplicates: int

    @property
    def rows_loaded(self) -> int:
        return sum(self.loaded.values())


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
    relative: str
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


class ReleaseWriter:
    """Appends the rows of one release; see the module docstring for what :meth:`finish` does."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        data_dir: Path,
        release_id: int,
        dataset: str,
        importer: str,
        source_file: str,
        source_hash: str,
        file_bytes: int,
        ingested_at: datetime,
        on_views_changed: Callable[[], None],
        replace: bool = False,
    ) -> None:
        self._con = con
        self._data_dir = data_dir
        self._refresh_views = on_views_changed
        self.release_id = release_id
        self.dataset = dataset
        self.importer = importer
        self.source_file = source_file
        self.source_hash = source_hash
        self.file_bytes = file_bytes
        self.ingested_at = ingested_at
        self.replace = replace  # allowed to shrink a month by more than SHRINK_LIMIT
        self._tables: set[str] = set()
        self._partitions: dict[tuple[str, str, date], _Partition] = {}
        self._quarantined = 0
        self._key_hashes: dict[str, list[np.ndarray]] = {}
        self._hasher: duckdb.DuckDBPyConnection | None = None
        self.created_files: list[Path] = []
        self.obsolete_files: list[Path] = []

    def _provenance(self) -> list[object]:
        return [self.dataset, self.release_id, self.source_file, self.source_hash, self.ingested_at]

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
        else:
            self._append_native(table, rows)

    def _append_native(self, table: str, rows: pa.Table) -> None:
        self._con.register("_batch", rows)
        try:
            run(
                self._con,
                f"INSERT INTO {table} BY NAME SELECT *, ? AS dataset, ? AS release_id, ? AS source_file, "
                f"? AS source_hash, ? AS ingested_at, 1 AS vintage FROM _batch",
                self._provenance(),
            )
        finally:
            self._con.unregister("_batch")

    def _append_files(self, table: Table, rows: pa.Table) -> None:
        self._key_hashes.setdefault(table.name, []).append(self._hash_keys(table, rows))
        schema = arrow_schema(table)
        for force, month, part_rows in _split_by_partition(rows):
            part = self._partition(table, force, month)
            n = part_rows.num_rows
            columns = {
                "dataset": _constant(self.dataset, n),
                "release_id": pa.repeat(pa.scalar(self.release_id, pa.int64()), n),
                "source_file": _constant(self.source_file, n),
                "source_hash": _constant(self.source_hash, n),
                "ingested_at": pa.repeat(pa.scalar(self.ingested_at, pa.timestamp("us")), n),
                "vintage": pa.repeat(pa.scalar(part.vintage, pa.int32()), n),
            }
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
        if self._hasher is None:
            self._hasher = scratch_connection()
        self._hasher.register("_keys", rows.select(list(table.key)))
        try:
            present = " AND ".join(f"{c} IS NOT NULL" for c in table.reference) or "TRUE"
            result = self._hasher.execute(f"SELECT hash({', '.join(table.key)}) AS h FROM _keys WHERE {present}")
            hashes = np.asarray(result.fetchnumpy()["h"], dtype=np.uint64)
        finally:
            self._hasher.unregister("_keys")
        return hashes

    def _close_hasher(self) -> None:
        if self._hasher is not None:
            self._hasher.close()
            self._hasher = None

    def _partition(self, table: Table, force: str, month: date) -> _Partition:
        key = (table.name, force, month)
        found = self._partitions.get(key)
        if found is not None:
            return found
        (previous,) = run(
            self._con,
            "SELECT max(vintage) FROM partitions WHERE table_name = ? AND dataset = ? AND force = ? "
            "AND recorded_month = ? AND superseded_by IS NULL",
            [table.name, self.dataset, force, month],
        )[0]
        relative = partition_file(table.name, self.release_id, force, month_label(month))
        path = self._data_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.created_files.append(path)
        writer = pq.ParquetWriter(
            path, arrow_schema(table), compression="zstd", use_dictionary=dictionary_columns(table)
        )
        part = _Partition(table.name, force, month, (previous or 0) + 1, path, relative, writer)
        self._partitions[key] = part
        return part

    def quarantine(self, rejected: Sequence[RejectedLine]) -> None:
        """Record rejected lines with their reasons."""
        if not rejected:
            return
        rows = pa.table(
            {
                "source_row": pa.array([r.line for r in rejected], type=pa.int64()),
                "field": pa.array([r.field for r in rejected], type=pa.string()),
                "reason": pa.array([r.reason for r in rejected], type=pa.string()),
                "raw_line": pa.array([r.raw for r in rejected], type=pa.string()),
            }
        )
        self._con.register("_rejected", rows)
        try:
            run(
                self._con,
                "INSERT INTO quarantine BY NAME SELECT *, ? AS dataset, ? AS release_id, ? AS source_file, "
                "? AS source_hash, ? AS quarantined_at FROM _rejected",
                self._provenance(),
            )
        finally:
            self._con.unregister("_rejected")
        self._quarantined += len(rejected)

    # --- finishing ----------------------------------------------------------------------------

    def finish(self, rows_read: int, raw_lines: RawLines) -> ReleaseSummary:
        """Replace superseded partitions, quarantine duplicates and record the release.

        ``raw_lines`` fetches the raw text of given lines of the source file, for duplicates.
        """
        self._close_hasher()
        run(self._con, "CREATE OR REPLACE TEMP TABLE _superseded (release_id BIGINT)")
        replaced = self._replace_files() if self._partitions else {}
        for name in sorted(self._tables - set(FILE_BACKED)):
            replaced[name] = self._replace_native(TABLES_BY_NAME[name])
        self._refresh_views()
        duplicates = sum(self._quarantine_duplicates(TABLES_BY_NAME[name], raw_lines) for name in sorted(self._tables))
        loaded = {name: self._count(name) for name in sorted(self._tables)}
        if rows_read != sum(loaded.values()) + self._quarantined:
            raise AssertionError(
                f"reconciliation failed for {self.source_file}: read {rows_read}, "
                f"loaded {sum(loaded.values())}, quarantined {self._quarantined}"
            )
        run(
            self._con,
            "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                self.release_id,
                self.dataset,
                self.importer,
                self.source_file,
                self.source_hash,
                self.file_bytes,
                rows_read,
                sum(loaded.values()),
                self._quarantined,
                self.ingested_at,
            ],
        )
        self._mark_superseded()
        return ReleaseSummary(self.release_id, loaded, self._quarantined, replaced, duplicates)

    def abandon(self) -> None:
        """Close any open files (the caller deletes them when the transaction rolls back).

        Closing a file on a full disk fails too; the file is given up all the same, and marked
        closed so that the garbage collector does not try (and fail, loudly) again.
        """
        self._close_hasher()
        for part in self._partitions.values():
            try:
                part.writer.close()
            except OSError:
                part.writer.is_open = False

    def _count(self, table: str) -> int:
        if table in FILE_BACKED:
            return sum(p.rows for p in self._partitions.values() if p.table == table)
        row = run(self._con, f"SELECT count(*) FROM {table} WHERE release_id = ?", [self.release_id])[0]
        return int(row[0])

    def _close_partitions(self) -> None:
        """Write out every partition's waiting rows and close its file (empty files are removed)."""
        for part in self._partitions.values():
            part.write(pa.table({}), flush=True)
            part.writer.close()
            if part.rows == 0:  # every row of this partition went to quarantine
                part.path.unlink()
                self.created_files.remove(part.path)

    def _replace_files(self) -> dict[str, int]:
        """Supersede what older releases of the dataset hold for the (force, month)s this one covers.

        A release replaces its predecessor whole: for every force and month it loads rows of, the
        older partitions of every file-backed table are superseded, including a table this
        release has no rows for (a month re-released without its anti-social behaviour rows no
        longer counts the old ones). A partition that would shrink by more than
        ``SHRINK_LIMIT`` needs ``replace``: a file that is not the complete record of a month
        must not silently wipe it out. Returns the rows replaced, per table.
        """
        self._close_partitions()
        covered = sorted({(p.force, p.month) for p in self._partitions.values() if p.rows})
        replaced = dict.fromkeys(FILE_BACKED, 0)
        shrinking: list[str] = []
        for force, month in covered:
            for table in FILE_BACKED:
                part = self._partitions.get((table, force, month))
                new_rows = part.rows if part is not None else 0
                old = run(
                    self._con,
                    "SELECT release_id, path, rows FROM partitions WHERE table_name = ? AND dataset = ? "
                    "AND force = ? AND recorded_month = ? AND superseded_by IS NULL",
                    [table, self.dataset, force, month],
                )
                old_rows = sum(int(r[2]) for r in old)
                if old_rows >= SHRINK_MIN_ROWS and new_rows < old_rows * (1 - SHRINK_LIMIT) and not self.replace:
                    shrinking.append(f"{table} of {force} {month_label(month)} from {old_rows:,} to {new_rows:,}")
                for release_id, path, _ in old:
                    run(self._con, "INSERT INTO _superseded VALUES (?)", [release_id])
                    self.obsolete_files.append(self._data_dir / path)
                replaced[table] += old_rows
                run(
                    self._con,
                    "UPDATE partitions SET superseded_by = ? WHERE table_name = ? AND dataset = ? AND force = ? "
                    "AND recorded_month = ? AND superseded_by IS NULL",
                    [self.release_id, table, self.dataset, force, month],
                )
                if part is not None and part.rows:
                    run(
                        self._con,
                        "INSERT INTO partitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                        [table, self.dataset, force, month, self.release_id, part.vintage, part.relative, part.rows],
                    )
        if shrinking:
            more = f" and {len(shrinking) - 3} more" if len(shrinking) > 3 else ""
            raise InputError(
                self.source_file,
                f"loading it would shrink {'; '.join(shrinking[:3])}{more} (more than {SHRINK_LIMIT:.0%} fewer rows "
                "than the version loaded now). Nothing was loaded. If this file is the new complete record of "
                "those months, run the ingest again with --replace.",
            )
        return {t: n for t, n in replaced.items() if n or t in self._tables}

    def _replace_native(self, table: Table) -> int:
        part = table.partition
        same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM p.{c}" for c in part)
        cols = ", ".join(part)
        run(
            self._con,
            f"CREATE OR REPLACE TEMP TABLE _previous AS "
            f"SELECT {', '.join(f't.{c}' for c in part)}, max(t.vintage) AS vintage FROM {table.name} t "
            f"SEMI JOIN (SELECT DISTINCT {cols} FROM {table.name} WHERE release_id = ?) p ON {same} "
            f"WHERE t.dataset = ? AND t.release_id <> ? GROUP BY ALL",
            [self.release_id, self.dataset, self.release_id],
        )
        try:
            if not run(self._con, "SELECT count(*) FROM _previous")[0][0]:
                return 0
            run(
                self._con,
                f"UPDATE {table.name} t SET vintage = p.vintage + 1 FROM _previous p WHERE t.release_id = ? AND {same}",
                [self.release_id],
            )
            run(
                self._con,
                f"INSERT INTO _superseded SELECT DISTINCT release_id FROM {table.name} t "
                f"WHERE dataset = ? AND release_id <> ? AND EXISTS (SELECT 1 FROM _previous p WHERE {same})",
                [self.dataset, self.release_id],
            )
            deleted = run(
                self._con,
                f"DELETE FROM {table.name} t USING _previous p WHERE t.dataset = ? AND t.release_id <> ? AND {same}",
                [self.dataset, self.release_id],
            )[0]
            return int(deleted[0])
        finally:
            run(self._con, "DROP TABLE IF EXISTS _previous")

    def _may_have_duplicates(self, table: Table, present: str) -> bool:
        """A cheap test on 64-bit key hashes: ``False`` proves there is no duplicate key.

        Equal keys have equal hashes, so no repeated hash means no repeated key; a repeated hash
        (a duplicate, or very rarely a collision) sends the exact check to work.
        """
        key = ", ".join(table.key)
        if table.name in self._key_hashes:  # hashed while appending
            mine = np.sort(np.concatenate(self._key_hashes[table.name]))
            if bool(np.any(mine[1:] == mine[:-1])):
                return True
            (others,) = run(
                self._con,
                "SELECT count(*) FROM partitions WHERE table_name = ? AND superseded_by IS NULL AND release_id <> ?",
                [table.name, self.release_id],
            )[0]
            if not others:
                return False
            result = self._con.execute(
                f"SELECT hash({key}) AS h FROM {table.name} WHERE release_id <> ? AND {present}", [self.release_id]
            )
            elsewhere = np.asarray(result.fetchnumpy()["h"], dtype=np.uint64)
            return bool(np.any(np.isin(elsewhere, mine, assume_unique=False)))
        (repeated,) = run(
            self._con,
            f"SELECT count(*) FROM (SELECT hash({key}) AS h FROM {table.name} "
            f"WHERE release_id = ? AND {present} GROUP BY h HAVING count(*) > 1)",
            [self.release_id],
        )[0]
        if repeated:
            return True
        (elsewhere,) = run(
            self._con,
            f"SELECT count(*) FROM {table.name} WHERE release_id <> ? AND {present} AND hash({key}) IN "
            f"(SELECT hash({key}) FROM {table.name} WHERE release_id = ? AND {present})",
            [self.release_id, self.release_id],
        )[0]
        return bool(elsewhere)

    def _quarantine_duplicates(self, table: Table, raw_lines: RawLines) -> int:
        key = ", ".join(table.key)
        same_key = " AND ".join(f"t.{c} IS NOT DISTINCT FROM m.{c}" for c in table.key)
        present = " AND ".join(f"{c} IS NOT NULL" for c in table.reference) or "TRUE"
        if not self._may_have_duplicates(table, present):
            return 0
        found = run(
            self._con,
            f"""
            WITH mine AS (SELECT DISTINCT {key} FROM {table.name} WHERE release_id = ? AND {present}),
            ranked AS (
              SELECT release_id, source_file, source_row,
                     row_number() OVER w AS n,
                     first_value(source_file) OVER w AS first_file,
                     first_value(source_row) OVER w AS first_row,
                     concat_ws(' / ', {key}) AS key_text
              FROM {table.name} t SEMI JOIN mine m ON {same_key}
              WINDOW w AS (PARTITION BY {key} ORDER BY release_id = ?, release_id, source_row)
            )
            SELECT source_row, key_text, first_file, first_row FROM ranked
            WHERE release_id = ? AND n > 1 ORDER BY source_row
            """,
            [self.release_id, self.release_id, self.release_id],
        )
        if not found:
            return 0
        lines = raw_lines([int(r[0]) for r in found])
        key_field = table.reference[0] if table.reference else table.key[0]
        rejected = []
        for source_row, key_text, first_file, first_row in found:
            where = f"row {first_row}" if first_file == self.source_file else f"{first_file} row {first_row}"
            reason = f"duplicate {key_text}: already loaded from {where}"
            rejected.append(RejectedLine(int(source_row), key_field, reason, lines.get(int(source_row), "")))
        self._remove_rows(table, {int(r[0]) for r in found})
        self.quarantine(rejected)
        return len(found)

    def _remove_rows(self, table: Table, source_rows: set[int]) -> None:
        """Take rows of this release out again (they are being quarantined)."""
        if table.name not in FILE_BACKED:
            self._con.register("_gone", pa.table({"r": pa.array(sorted(source_rows), type=pa.int64())}))
            try:
                run(
                    self._con,
                    f"DELETE FROM {table.name} WHERE release_id = ? AND source_row IN (SELECT r FROM _gone)",
                    [self.release_id],
                )
            finally:
                self._con.unregister("_gone")
            return
        gone = pa.array(sorted(source_rows), type=pa.int64())
        for part in (p for p in self._partitions.values() if p.table == table.name and p.rows):
            rows = pq.read_table(part.path)
            keep = pc.invert(pc.is_in(rows["source_row"], value_set=gone))
            if bool(np.all(keep.to_numpy(zero_copy_only=False))):
                continue
            kept = rows.filter(keep)
            pq.write_table(kept, part.path, compression="zstd", row_group_size=ROW_GROUP_ROWS)
            part.rows = kept.num_rows
            run(
                self._con,
                "UPDATE partitions SET rows = ? WHERE release_id = ? AND path = ?",
                [part.rows, self.release_id, part.relative],
            )
        self._refresh_views()

    def _mark_superseded(self) -> None:
        native = [t for t in TABLES_BY_NAME if t not in FILE_BACKED]
        still_there = " OR ".join(
            [
                "EXISTS (SELECT 1 FROM partitions p WHERE p.release_id = r.release_id AND p.superseded_by IS NULL)",
                *(f"EXISTS (SELECT 1 FROM {t} WHERE release_id = r.release_id)" for t in native),
            ]
        )
        run(
            self._con,
            f"UPDATE releases r SET superseded_by = ? WHERE release_id IN (SELECT release_id FROM _superseded) "
            f"AND NOT ({still_there})",
            [self.release_id],
        )
        run(self._con, "DROP TABLE _superseded")
