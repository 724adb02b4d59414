"""The Ibis backend a computation runs on: the store's DuckDB (the default) or Spark.

Every figure is an Ibis expression, so the code that computes it takes a backend and does not
care which; this is the one place that turns an engine's name into one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    import ibis

ENGINES = ("duckdb", "spark")


@contextmanager
def backend_on(warehouse: Warehouse, engine: str = "duckdb") -> Iterator[ibis.BaseBackend]:
    """An Ibis backend over ``warehouse``'s tables as they are now, on ``engine``."""
    if engine == "spark":
        from crimeprev.store.spark import spark_backend

        with spark_backend(warehouse) as backend:
            yield backend
    elif engine == "duckdb":
        yield warehouse.ibis()
    else:
        raise ValueError(f"unknown engine {engine!r}: {', '.join(ENGINES)}")
