"""The ``crimeprev`` command: global options and the command groups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from crimeprev.cli import (
    check,
    compare,
    demo,
    hotspots,
    ingest,
    insights,
    operations,
    people,
    report,
    serve,
    spc,
    store,
    tracker,
    users,
    zones,
)
from crimeprev.cli.engine import ENGINE_KEY, check_engine
from crimeprev.cli.output import err_console
from crimeprev.model.errors import CrimeprevError
from crimeprev.store.warehouse import resolve_store_path


class _Group(TyperGroup):
    """Turns a :class:`CrimeprevError` into a one-line message and exit status 1, no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CrimeprevError as e:
            err_console.print(f"[bold red]error:[/] {escape(str(e))}", markup=True, highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print(
                "[bold red]interrupted:[/] whatever had not been committed to the store was undone", markup=True
            )
            raise typer.Exit(130) from None
        except OSError as e:  # a file the command had to write or read, past the checks made for it
            where = f"{e.filename}: " if e.filename else ""
            err_console.print(f"[bold red]error:[/] {escape(where + (e.strerror or str(e)))}", markup=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    name="crimeprev",
    help="Evidence for a crime prevention strategy: ingest records, compute indicators, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    store_path: Path | None = typer.Option(
        None,
        "--store",
        help="DuckDB store file (default: $CRIMEPREV_STORE, else ./crimeprev.duckdb).",
        show_default=False,
    ),
    engine: str = typer.Option(
        "duckdb",
        "--engine",
        envvar="CRIMEPREV_ENGINE",
        help="Where the indicators are computed: duckdb (embedded, the default) or spark (pip install "
        "'crimeprev[spark]'; where: $CRIMEPREV_SPARK_MASTER, default local[*], or $CRIMEPREV_SPARK_REMOTE).",
    ),
) -> None:
    """Global options shared by every command."""
    check_engine(engine, ctx.invoked_subcommand)
    ctx.obj = resolve_store_path(store_path)
    ctx.meta[ENGINE_KEY] = engine


app.add_typer(ingest.app, name="ingest")
app.add_typer(operations.app, name="operations")
app.add_typer(zones.app, name="zones")
app.add_typer(users.app, name="users")
app.add_typer(tracker.delivery_app, name="delivery")
app.add_typer(tracker.narrative_app, name="narrative")
store.register(app)
insights.register(app)
compare.register(app)
report.register(app)
check.register(app)
spc.register(app)
hotspots.register(app)
people.register(app)
demo.register(app)
serve.register(app)
