"""Writing one release (one input file) into the store.

A release appends its rows, quarantines its rejects, then on :meth:`ReleaseWriter.finish`:

1. replaces the older rows of the same dataset in the partitions it covers (a new file for the
   same force and month supersedes the old one) and numbers the new rows' ``vintage``;
2. quarantines rows whose key is already taken (a repeated crime reference);
3. records the release with its reconciliation ``read = loaded + quarantined``.

It runs inside the warehouse's transaction, so all of it lands or none of it does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from crimeprev.model.rejects import RejectedLine
from crimeprev.model.schema import TABLES_BY_NAME, Table
from crimeprev.store.sql import run

RawLines = Callable[[Sequence[int]], Mapping[int, str]]


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


class ReleaseWriter:
    """Appends the rows of one release; see the module docstring for what :meth:`finish` does."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        release_id: int,
        dataset: str,
        importer: str,
        source_file: str,
        source_hash: str,
        file_bytes: int,
        ingested_at: datetime,
    ) -> None:
        self._con = con
        self.release_id = release_id
        self.dataset = dataset
        self.importer = importer
        self.source_file = source_file
        self.source_hash = source_hash
        self.file_bytes = file_bytes
        self.ingested_at = ingested_at
        self._tables: set[str] = set()
        self._quarantined = 0

    def _provenance(self) -> list[object]:
        return [self.dataset, self.release_id, self.source_file, self.source_hash, self.ingested_at]

    def append(self, table: str, rows: pa.Table) -> None:
        """Append canonical rows (importer columns plus ``source_row``) to ``table``."""
        if rows.num_rows == 0:
            return
        target = TABLES_BY_NAME[table]
        unknown = set(rows.column_names) - set(target.column_names)
        if unknown:
            raise ValueError(f"{table} has no columns {sorted(unknown)}")
        self._tables.add(table)
        view = f"_batch_{table}"
        self._con.register(view, rows)
        try:
            run(
                self._con,
                f"INSERT INTO {table} BY NAME SELECT *, ? AS dataset, ? AS release_id, ? AS source_file, "
                f"? AS source_hash, ? AS ingested_at, 1 AS vintage FROM {view}",
                self._provenance(),
            )
        finally:
            self._con.unregister(view)

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

    def finish(self, rows_read: int, raw_lines: RawLines) -> ReleaseSummary:
        """Replace superseded partitions, quarantine duplicates and record the release.

        ``raw_lines`` fetches the raw text of given lines of the source file, for duplicates.
        """
        replaced: dict[str, int] = {}
        duplicates = 0
        run(self._con, "CREATE OR REPLACE TEMP TABLE _superseded (release_id BIGINT)")
        for name in sorted(self._tables):
            table = TABLES_BY_NAME[name]
            replaced[name] = self._replace_partitions(table)
            duplicates += self._quarantine_duplicates(table, raw_lines)
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

    def _count(self, table: str) -> int:
        row = run(self._con, f"SELECT count(*) FROM {table} WHERE release_id = ?", [self.release_id])[0]
        return int(row[0]) if row else 0

    def _replace_partitions(self, table: Table) -> int:
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
            row = run(self._con, "SELECT count(*) FROM _previous")[0]
            if not row or row[0] == 0:
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
            return int(deleted[0]) if deleted else 0
        finally:
            run(self._con, "DROP TABLE IF EXISTS _previous")

    def _may_have_duplicates(self, table: Table, present: str) -> bool:
        """A cheap test on 64-bit key hashes: ``False`` proves there is no duplicate key.

        Equal keys have equal hashes, so no repeated hash means no repeated key; a repeated hash
        (a duplicate, or very rarely a collision) sends the exact check to work.
        """
        key = ", ".join(table.key)
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
              SELECT rowid AS rid, release_id, source_file, source_row,
                     row_number() OVER w AS n,
                     first_value(source_file) OVER w AS first_file,
                     first_value(source_row) OVER w AS first_row,
                     concat_ws(' / ', {key}) AS key_text
              FROM {table.name} t SEMI JOIN mine m ON {same_key}
              WINDOW w AS (PARTITION BY {key} ORDER BY release_id = ?, release_id, source_row)
            )
            SELECT rid, source_row, key_text, first_file, first_row FROM ranked
            WHERE release_id = ? AND n > 1 ORDER BY source_row
            """,
            [self.release_id, self.release_id, self.release_id],
        )
        if not found:
            return 0
        lines = raw_lines([int(r[1]) for r in found])
        key_field = table.reference[0] if table.reference else table.key[0]
        rejected = []
        for _, source_row, key_text, first_file, first_row in found:
            where = f"row {first_row}" if first_file == self.source_file else f"{first_file} row {first_row}"
            rejected.append(
                RejectedLine(
                    int(source_row),
                    key_field,
                    f"duplicate {key_text}: already loaded from {where}",
                    lines.get(int(source_row), ""),
                )
            )
        self._con.register("_duplicates", pa.table({"rid": pa.array([int(r[0]) for r in found], type=pa.int64())}))
        try:
            run(self._con, f"DELETE FROM {table.name} WHERE rowid IN (SELECT rid FROM _duplicates)")
        finally:
            self._con.unregister("_duplicates")
        self.quarantine(rejected)
        return len(found)

    def _mark_superseded(self) -> None:
        still_there = " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE release_id = r.release_id)" for t in TABLES_BY_NAME)
        run(
            self._con,
            f"UPDATE releases r SET superseded_by = ? WHERE release_id IN (SELECT release_id FROM _superseded) "
            f"AND NOT ({still_there})",
            [self.release_id],
        )
        run(self._con, "DROP TABLE _superseded")
