"""Running statements on a DuckDB connection.

DuckDB 2 keeps a statement's result open until it is fetched and refuses other work on the
connection meanwhile, so every statement goes through :func:`run`, which fetches at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Execute ``sql`` with ``params`` and return all result rows (empty for statements)."""
    return con.execute(sql, list(params)).fetchall()
