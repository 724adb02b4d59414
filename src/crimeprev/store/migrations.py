"""Schema versions of the DuckDB store and the steps between them.

A store records the migrations applied to it in ``schema_migrations``. Opening a store applies
the missing steps in order, in one transaction each; a store of a newer version than this
crimeprev knows is refused rather than written.

Offences and incidents are Parquet files listed in ``partitions`` (see :mod:`.layout`); the
other record tables are DuckDB tables. Version 1's tables are generated from
:mod:`crimeprev.model.schema` as it stood when version 1 was written;
``tests/store/test_warehouse.py`` pins the generated DDL, so a change to the
declared schema fails that test until it comes with a new migration step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crimeprev.model.rejects import WITHHELD
from crimeprev.model.schema import RECORD_TABLES, Table
from crimeprev.store.layout import FILE_BACKED


@dataclass(frozen=True, slots=True)
class Migration:
    """One step: the version it produces and the statements that produce it."""

    version: int
    description: str
    statements: Callable[[], list[str]]


def create_table_sql(table: Table) -> str:
    """``CREATE TABLE`` for a canonical table."""
    columns = ",\n  ".join(f"{c.name} {c.sql_type}" for c in table.columns)
    return f"CREATE TABLE {table.name} (\n  {columns}\n)"


def _version_1() -> list[str]:
    return [
        *(create_table_sql(t) for t in RECORD_TABLES if t.name not in FILE_BACKED),
        """CREATE TABLE partitions (
  table_name VARCHAR NOT NULL,
  dataset VARCHAR NOT NULL,
  force VARCHAR NOT NULL,
  recorded_month DATE NOT NULL,
  release_id BIGINT NOT NULL,
  vintage INTEGER NOT NULL,
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  superseded_by BIGINT
)""",
        """CREATE TABLE releases (
  release_id BIGINT PRIMARY KEY,
  dataset VARCHAR NOT NULL,
  importer VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  source_hash VARCHAR NOT NULL,
  file_bytes BIGINT NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_quarantined BIGINT NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  superseded_by BIGINT
)""",
        """CREATE TABLE quarantine (
  release_id BIGINT NOT NULL,
  dataset VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  source_hash VARCHAR NOT NULL,
  source_row BIGINT,
  field VARCHAR,
  reason VARCHAR NOT NULL,
  raw_line VARCHAR,
  quarantined_at TIMESTAMP NOT NULL
)""",
    ]


def _version_2() -> list[str]:
    """Quarantined lines of force extracts written before lines were redacted on ingest held raw
    person identifiers and unloaded personal columns: their text is withheld (line numbers and
    reasons stay)."""
    withheld = WITHHELD.replace("'", "''")
    return [
        f"UPDATE quarantine SET raw_line = '{withheld}' WHERE raw_line IS NOT NULL AND release_id IN "
        "(SELECT release_id FROM releases WHERE importer = 'extract')"
    ]


def _version_3() -> list[str]:
    """Who ran which person-level query, and when: the access log (see :mod:`.access_log`)."""
    return [
        """CREATE TABLE access_log (
  logged_at TIMESTAMP NOT NULL,
  user_name VARCHAR NOT NULL,
  command VARCHAR NOT NULL,
  arguments VARCHAR NOT NULL,
  people INTEGER NOT NULL
)"""
    ]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "canonical record tables, releases and quarantine", _version_1),
    Migration(2, "withhold the raw text of quarantined force-extract lines", _version_2),
    Migration(3, "access log of person-level queries", _version_3),
)
LATEST_VERSION = MIGRATIONS[-1].version
