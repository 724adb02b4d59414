"""``crimeprev status`` and ``crimeprev quarantine``."""

from __future__ import annotations

import dataclasses

import typer
from rich.table import Table

from crimeprev.cli.output import console, print_json, thousands
from crimeprev.store.quarantine import read_quarantine
from crimeprev.store.status import StoreStatus, read_status
from crimeprev.store.warehouse import Warehouse


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("quarantine")(quarantine)


def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """What the store holds: rows, months covered, gaps, vintages, quarantine."""
    with Warehouse.open(ctx.obj, read_only=True) as warehouse:
        result = read_status(warehouse)
    if as_json:
        print_json(result.to_json())
    else:
        print_status(result)


def print_status(result: StoreStatus) -> None:
    table = Table(title=f"Store {result.path} (schema v{result.schema_version})", title_justify="left")
    for heading in ("table", "rows", "months", "first", "last", "gaps", "datasets"):
        table.add_column(heading, justify="right" if heading in ("rows", "months") else "left")
    for t in result.tables:
        table.add_row(
            t.name,
            thousands(t.rows),
            str(t.months) if t.months else "",
            t.first_month or "",
            t.last_month or "",
            ", ".join(t.gaps) or ("none" if t.months else ""),
            ", ".join(t.datasets),
        )
    console.print(table)
    if result.gaps:
        console.print(f"[bold yellow]gaps in the monthly series:[/] {', '.join(result.gaps)}", markup=True)
    vintages = "; ".join(
        f"{ds}: " + ", ".join(f"v{v} x{n}" for v, n in sorted(vs.items())) for ds, vs in result.vintages.items()
    )
    if vintages:
        console.print(f"vintages (partitions per vintage): {vintages}")
    active = sum(1 for r in result.releases if r.active)
    console.print(f"releases: {active} active, {len(result.releases) - active} superseded")
    console.print(f"quarantined rows: {thousands(result.quarantined)}")


def quarantine(
    ctx: typer.Context,
    limit: int = typer.Option(200, "--limit", help="Show at most this many rows (0: all)."),
    include_superseded: bool = typer.Option(False, "--all", help="Include rows of superseded releases."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List quarantined rows with file, row, field and reason."""
    with Warehouse.open(ctx.obj, read_only=True) as warehouse:
        rows = read_quarantine(warehouse, limit=limit or None, include_superseded=include_superseded)
    if as_json:
        print_json([dataclasses.asdict(r) for r in rows])
        return
    if not rows:
        console.print("quarantine is empty: every row read was loaded")
        return
    table = Table(title="Quarantined rows", title_justify="left")
    for heading in ("file", "row", "field", "reason", "raw line"):
        table.add_column(heading, overflow="fold")
    for r in rows:
        table.add_row(
            r.source_file,
            str(r.source_row or ""),
            r.field or "",
            r.reason,
            (r.raw_line or "")[:120],
        )
    console.print(table)
