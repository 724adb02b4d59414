"""``crimeprev status`` and ``crimeprev quarantine``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer
from rich.table import Table

from crimeprev.cli.output import console, print_json, thousands
from crimeprev.store.quarantine import read_quarantine
from crimeprev.store.status import StoreStatus, read_status
from crimeprev.store.warehouse import Warehouse


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("quarantine")(quarantine)
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(ctx: typer.Context, path: Path = typer.Argument(..., help="The backup file to write (a new .tar).")) -> None:
    """Back up the whole store (catalog and active partitions) as one consistent file; readers may go on."""
    from crimeprev.store.backup import backup_store

    summary = backup_store(ctx.obj, path)
    console.print(
        f"backed up {ctx.obj} to {summary.path}: {summary.files:,} files, {summary.bytes / 2**20:,.1f} MiB, "
        f"{summary.releases:,} releases, schema v{summary.schema_version}"
    )


def restore(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A backup file written by crimeprev backup."),
    replace: bool = typer.Option(False, "--replace", help="Replace the store if it exists."),
) -> None:
    """Restore the store from a backup, every file checked first; the store is replaced whole or not at all."""
    from crimeprev.store.backup import restore_store

    summary = restore_store(path, ctx.obj, replace=replace)
    console.print(
        f"restored {ctx.obj} from {path} (taken {summary.taken_at}): {summary.files:,} files, "
        f"{summary.releases:,} releases"
    )


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
