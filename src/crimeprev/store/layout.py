"""Where record tables live: Parquet files for the big tables, DuckDB tables for the small ones.

``offences`` and ``incidents`` are kept as Parquet files, one per release, force and month, in a
folder beside the DuckDB file (``crimeprev.duckdb.data/``), listed in the ``partitions`` catalog
table. Each connection sees them through a view over the active files. This is the layout the
scale-out engine (Spark) reads too, and writing Parquet is several times cheaper than inserting
rows into DuckDB. Measures, zones and operations are small and stay DuckDB tables.

A partition file holds every canonical column (so all files share one schema) including the
provenance columns, which are constant within a file and cost next to nothing once encoded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from crimeprev.model.schema import INCIDENTS, OFFENCES, Table

if TYPE_CHECKING:  # pyarrow is imported by the functions that write files, not by every command
    import pyarrow as pa

FILE_BACKED: Final = (OFFENCES.name, INCIDENTS.name)


def _arrow_type(sql_type: str) -> pa.DataType:
    import pyarrow as pa

    types = {
        "VARCHAR": pa.string(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "BOOLEAN": pa.bool_(),
        "DOUBLE": pa.float64(),
        "BIGINT": pa.int64(),
        "INTEGER": pa.int32(),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    return types[sql_type]


# Columns with (nearly) a value per record: dictionary encoding them only costs time.
_PER_RECORD: Final = frozenset(
    {
        "crime_ref",
        "incident_ref",
        "source_row",
        "lat",
        "lon",
        "committed_from",
        "committed_to",
        "recorded_on",
        "victim_key",
        "suspect_key",
        "person_key",
    }
)


def dictionary_columns(table: Table) -> list[str]:
    """The columns worth dictionary-encoding in a partition file (repeated values)."""
    return [c.name for c in table.columns if c.name not in _PER_RECORD]


def data_dir(store: Path) -> Path:
    """The folder holding a store's Parquet files."""
    return store.with_name(store.name + ".data")


# Provenance text that is the same on every row of a file: kept dictionary-encoded in Arrow too.
_CONSTANT_TEXT: Final = frozenset({"dataset", "source_file", "source_hash"})


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a canonical table's files (readers see plain text columns)."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(
                c.name, pa.dictionary(pa.int32(), pa.string()) if c.name in _CONSTANT_TEXT else _arrow_type(c.sql_type)
            )
            for c in table.columns
        ]
    )


def conform(rows: pa.Table, schema: pa.Schema) -> pa.Table:
    """``rows`` with every column of ``schema``, in order and type; absent columns are null."""
    import pyarrow as pa

    columns = [
        (rows.column(f.name) if rows.schema.field(f.name).type == f.type else rows.column(f.name).cast(f.type))
        if f.name in rows.column_names
        else pa.nulls(rows.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def partition_file(table: str, release_id: int, force: str, month: str) -> str:
    """The path of a partition file, relative to the data folder."""
    slug = re.sub(r"[^a-z0-9]+", "-", force.lower()).strip("-") or "force"
    return f"{table}/release-{release_id}/{slug}-{month}.parquet"


def view_sql(table: Table, files: Sequence[Path]) -> str:
    """``CREATE TEMP VIEW`` over the given files (an empty, typed view when there are none)."""
    if files:
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        body = f"SELECT * FROM read_parquet([{listed}])"
    else:
        nulls = ", ".join(f"CAST(NULL AS {c.sql_type}) AS {c.name}" for c in table.columns)
        body = f"SELECT {nulls} LIMIT 0"
    return f"CREATE OR REPLACE TEMP VIEW {table.name} AS {body}"
