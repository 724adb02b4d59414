"""Committing a staged release into the store, under its write lock.

What an ingest staged (see :mod:`.release`) lands in one short write:

1. its partition files move into the store's data folder, renumbered if another ingest took
   their release number or vintage while this one was staging;
2. its quarantined lines and small tables (measures) are inserted;
3. it replaces the older rows of the same dataset in the partitions it covers (a new file for the
   same force and month supersedes the old one);
4. rows whose key is already taken (a repeated crime reference) are quarantined;
5. the release is recorded with its reconciliation ``read = loaded + quarantined``.

It all runs inside the warehouse's transaction, so all of it lands or none of it does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
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
from crimeprev.store.layout import FILE_BACKED, partition_file
from crimeprev.store.release import (
    ROW_GROUP_ROWS,
    RawLines,
    StagedRelease,
    partition_writer,
    provenance_columns,
    rejected_rows,
)
from crimeprev.store.sql import run

SHRINK_LIMIT = 0.2
"""A release may leave a month's partition at most this much smaller than the one it replaces
without ``--replace`` (new vintages of a month differ by a few per cent; a mis-dated row or a
partial file would wipe out most of it)."""
SHRINK_MIN_ROWS = 10
"""Partitions this small are replaced without the check: their counts swing by chance."""


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


@dataclass(slots=True)
class _Placed:
    """A partition file in the store's data folder."""

    table: str
    force: str
    month: date
    vintage: int
    path: Path
    relative: str
    rows: int


class ReleaseCommit:
    """Lands one staged release; see the module docstring. The warehouse's transaction keeps the
    files it created (deleted on rollback) and those it made obsolete (deleted after the commit)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        staged: StagedRelease,
        *,
        data_dir: Path,
        release_id: int,
        on_views_changed: Callable[[], None],
    ) -> None:
        self._con = con
        self._staged = staged
        self._data_dir = data_dir
        self._refresh_views = on_views_changed
        self._views_current = False  # the record views do not show this release until refreshed
        self.release_id = release_id
        self.dataset = staged.source.dataset
        self.source_file = staged.source.source_file
        self._tables = set(staged.tables)
        self._partitions: dict[tuple[str, str, date], _Placed] = {}
        self._quarantined = 0
        self.created_files: list[Path] = []
        self.obsolete_files: list[Path] = []

    def _provenance(self) -> list[object]:
        s = self._staged.source
        return [s.dataset, self.release_id, s.source_file, s.source_hash, s.ingested_at]

    def run(self) -> ReleaseSummary:
        """Land the release and return what it did."""
        self._place_files()
        if self._staged.quarantine_file is not None:
            self._insert_quarantine("SELECT * FROM read_parquet(?)", [str(self._staged.quarantine_file)])
        self._quarantined = self._staged.quarantined
        for name, batches in self._staged.native.items():
            for rows in batches:
                self._append_native(name, rows)
        run(self._con, "CREATE OR REPLACE TEMP TABLE _superseded (release_id BIGINT)")
        replaced = self._replace_files() if self._partitions else {}
        for name in sorted(self._tables - set(FILE_BACKED)):
            replaced[name] = self._replace_native(TABLES_BY_NAME[name])
        raw_lines = self._staged.raw_lines
        duplicates = sum(self._quarantine_duplicates(TABLES_BY_NAME[name], raw_lines) for name in sorted(self._tables))
        loaded = {name: self._count(name) for name in sorted(self._tables)}
        read = self._staged.rows_read
        if read != sum(loaded.values()) + self._quarantined:
            raise AssertionError(
                f"reconciliation failed for {self.source_file}: read {read}, "
                f"loaded {sum(loaded.values())}, quarantined {self._quarantined}"
            )
        s = self._staged.source
        run(
            self._con,
            "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                self.release_id,
                s.dataset,
                s.importer,
                s.source_file,
                s.source_hash,
                s.file_bytes,
                read,
                sum(loaded.values()),
                self._quarantined,
                s.ingested_at,
            ],
        )
        self._mark_superseded()
        return ReleaseSummary(self.release_id, loaded, self._quarantined, replaced, duplicates)

    # --- landing what was staged --------------------------------------------------------------

    def _place_files(self) -> None:
        """Move the staged partition files into the data folder under this release's number.

        A file stamped with the release number and vintage it gets now is moved as it is (a
        rename: no copy); one whose stamp another ingest's commit has made stale is rewritten
        with the right one.
        """
        for staged in self._staged.partitions:
            (previous,) = run(
                self._con,
                "SELECT max(vintage) FROM partitions WHERE table_name = ? AND dataset = ? AND force = ? "
                "AND recorded_month = ? AND superseded_by IS NULL",
                [staged.table, self.dataset, staged.force, staged.month],
            )[0]
            vintage = (previous or 0) + 1
            relative = partition_file(staged.table, self.release_id, staged.force, month_label(staged.month))
            target = self._data_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            self.created_files.append(target)
            if vintage == staged.vintage and self.release_id == self._staged.release_id:
                staged.path.replace(target)
            else:
                self._restamp(staged.path, target, TABLES_BY_NAME[staged.table], vintage)
            key = (staged.table, staged.force, staged.month)
            self._partitions[key] = _Placed(
                staged.table, staged.force, staged.month, vintage, target, relative, staged.rows
            )

    def _restamp(self, source: Path, target: Path, table: Table, vintage: int) -> None:
        """Copy a staged file to ``target`` with this release's number and ``vintage`` on every row."""
        reader = pq.ParquetFile(source)
        with partition_writer(target, table) as writer:
            for group in range(reader.num_row_groups):
                rows = reader.read_row_group(group)
                for name, column in provenance_columns(
                    self._staged.source, self.release_id, vintage, rows.num_rows
                ).items():
                    if name in ("release_id", "vintage"):
                        rows = rows.set_column(rows.schema.get_field_index(name), name, column)
                writer.write_table(rows, row_group_size=ROW_GROUP_ROWS)

    def _insert_quarantine(self, select: str, params: list[object] | None = None) -> None:
        run(
            self._con,
            f"INSERT INTO quarantine BY NAME SELECT *, ? AS dataset, ? AS release_id, ? AS source_file, "
            f"? AS source_hash, ? AS quarantined_at FROM ({select})",
            [*self._provenance(), *(params or [])],
        )

    def quarantine(self, rejected: list[RejectedLine]) -> None:
        """Quarantine lines found at commit (duplicates)."""
        if not rejected:
            return
        self._con.register("_rejected", rejected_rows(rejected))
        try:
            self._insert_quarantine("SELECT * FROM _rejected")
        finally:
            self._con.unregister("_rejected")
        self._quarantined += len(rejected)

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

    def _count(self, table: str) -> int:
        if table in FILE_BACKED:
            return sum(p.rows for p in self._partitions.values() if p.table == table)
        row = run(self._con, f"SELECT count(*) FROM {table} WHERE release_id = ?", [self.release_id])[0]
        return int(row[0])

    # --- replacing what the release supersedes ------------------------------------------------

    def _replace_files(self) -> dict[str, int]:
        """Supersede what older releases of the dataset hold for the (force, month)s this one covers.

        A release replaces its predecessor whole: for every force and month it loads rows of, the
        older partitions of every file-backed table are superseded, including a table this
        release has no rows for (a month re-released without its anti-social behaviour rows no
        longer counts the old ones). A partition that would shrink by more than
        ``SHRINK_LIMIT`` needs ``replace``: a file that is not the complete record of a month
        must not silently wipe it out. Returns the rows replaced, per table.
        """
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
                shrinks = old_rows >= SHRINK_MIN_ROWS and new_rows < old_rows * (1 - SHRINK_LIMIT)
                if shrinks and not self._staged.replace:
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
        if table.name in self._staged.key_hashes:  # hashed while staging
            mine = np.sort(self._staged.key_hashes[table.name])
            if bool(np.any(mine[1:] == mine[:-1])):
                return True
            others = self._same_force_files(table)
            if others is None:
                if table.name in FILE_BACKED:
                    self._current_views()
                result = self._con.execute(
                    f"SELECT hash({key}) AS h FROM {table.name} WHERE release_id <> ? AND {present}",
                    [self.release_id],
                )
            elif not others:
                return False
            else:
                listed = ", ".join("'" + str(self._data_dir / f).replace("'", "''") + "'" for f in others)
                result = self._con.execute(f"SELECT hash({key}) AS h FROM read_parquet([{listed}]) WHERE {present}")
            elsewhere = np.asarray(result.fetchnumpy()["h"], dtype=np.uint64)
            return bool(np.any(np.isin(elsewhere, mine, assume_unique=False)))
        if table.name in FILE_BACKED:
            self._current_views()
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

    def _same_force_files(self, table: Table) -> list[str] | None:
        """The other releases' active partition files of the forces this release loads into ``table``.

        A key starts with the force, so a duplicate can only be among them: a national archive's
        file is checked against its own force's partitions, not the whole country's. ``None`` when
        the table is not stored in files by force.
        """
        if table.name not in FILE_BACKED or table.key[0] != "force":
            return None
        forces = sorted({force for (name, force, _) in self._partitions if name == table.name})
        if not forces:
            return []
        marks = ", ".join("?" for _ in forces)
        rows = run(
            self._con,
            f"SELECT path FROM partitions WHERE table_name = ? AND superseded_by IS NULL AND release_id <> ? "
            f"AND force IN ({marks}) ORDER BY path",
            [table.name, self.release_id, *forces],
        )
        return [str(r[0]) for r in rows]

    def _quarantine_duplicates(self, table: Table, raw_lines: RawLines) -> int:
        key = ", ".join(table.key)
        same_key = " AND ".join(f"t.{c} IS NOT DISTINCT FROM m.{c}" for c in table.key)
        present = " AND ".join(f"{c} IS NOT NULL" for c in table.reference) or "TRUE"
        if not self._may_have_duplicates(table, present):
            return 0
        self._current_views()
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

    def _current_views(self) -> None:
        """Point the record views at the partitions as they are now, this release's included.

        Only the exact duplicate check reads the views; refreshing them for every file of a big
        archive would cost time in proportion to the store's partitions, file after file.
        """
        if not self._views_current:
            self._refresh_views()
            self._views_current = True

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
            with partition_writer(part.path, table) as writer:
                writer.write_table(kept, row_group_size=ROW_GROUP_ROWS)
            part.rows = kept.num_rows
            run(
                self._con,
                "UPDATE partitions SET rows = ? WHERE release_id = ? AND path = ?",
                [part.rows, self.release_id, part.relative],
            )
        self._views_current = False

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
