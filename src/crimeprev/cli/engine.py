"""Which engine a command computes on: the store's DuckDB (the default) or Spark (``--engine spark``).

The indicator definitions are Ibis expressions, so a command gets a backend here and computes the
same way on either. The commands that run on Spark are listed in :data:`ON_SPARK`; any other
refuses ``--engine spark`` before it starts, rather than quietly computing on DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from crimeprev.model.errors import ConfigError

if TYPE_CHECKING:
    import ibis

    from crimeprev.store.warehouse import Warehouse

ENGINE_KEY = "crimeprev.engine"
ON_SPARK = (
    "insights", "explain", "records", "compare", "spc", "report", "hotspots", "zones", "operations", "repeats",
    "cohort",
)  # fmt: skip
"""The commands that compute figures, all of which run on Spark. The others load, back up, serve or
check files, and run on the store itself."""


def check_engine(engine: str, command: str | None) -> None:
    """Refuse an unknown engine, or Spark for a command that does not compute figures."""
    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter(f"{engine!r}: choose duckdb or spark", param_hint="--engine")
    if engine == "spark" and command is not None and command not in ON_SPARK:
        raise ConfigError(
            f"--engine spark: {command} does not run on Spark: it works on the store itself (these compute on "
            f"Spark: {', '.join(ON_SPARK)})"
        )


@contextmanager
def computing(ctx: typer.Context, warehouse: Warehouse) -> Iterator[ibis.BaseBackend]:
    """The Ibis backend the command computes on, over ``warehouse``'s tables as they are now."""
    from crimeprev.store.engines import backend_on

    with backend_on(warehouse, engine_of(ctx)) as backend:
        yield backend


def engine_of(ctx: typer.Context) -> str:
    """The engine the command was asked to compute on (``--engine``, default duckdb)."""
    return str(ctx.meta.get(ENGINE_KEY, "duckdb"))
