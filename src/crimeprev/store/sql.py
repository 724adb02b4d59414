"""Running statements on a DuckDB connection.

DuckDB 2 keeps a statement's result open until it is fetched and refuses other work on the
connection meanwhile, so every statement goes through :func:`run`, which fetches at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import duckdb

# Extensions cannot be downloaded here or on a force's air-gapped network: fail at once instead.
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


_scratch = threading.local()


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB connection for computing over Arrow data outside the store.

    The store's connection holds every Arrow table it has scanned until its transaction ends, so
    hashing a large file's keys there kept the whole file's keys in memory; a scratch connection
    in autocommit mode lets each batch go as soon as it is done. Each thread keeps one for good:
    opening one costs about 14 ms, which a national archive of thousands of files paid per file.
    Callers must not close it.
    """
    connection: duckdb.DuckDBPyConnection | None = getattr(_scratch, "connection", None)
    if connection is None:
        connection = duckdb.connect(":memory:", config={**DUCKDB_CONFIG, "threads": 1})
        _scratch.connection = connection
    return connection


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Execute ``sql`` with ``params`` and return all result rows (empty for statements)."""
    return con.execute(sql, list(params)).fetchall()
