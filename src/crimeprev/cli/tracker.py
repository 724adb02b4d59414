"""``crimeprev delivery import|export`` and ``crimeprev narrative import|export``: the tracker's files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from crimeprev.cli.insights import STRATEGY
from crimeprev.cli.output import console
from crimeprev.cli.users import APP_DB

delivery_app = typer.Typer(help="Delivery actions: import a delivery file into the tracker, export it back.")
narrative_app = typer.Typer(help="The leads' narrative: import a narrative file into the tracker, export it back.")
REPORTED = typer.Option(..., "--reported", help="The half-year reported, by its last month: YYYY-03 or YYYY-09.")


def _write_yaml(path: Path, data: Any, header: str) -> None:
    """``data`` as YAML under a comment, multi-line text (Markdown) as literal blocks, as a person writes it."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, text)
    body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"# {header}\n{body}", encoding="utf-8")


@delivery_app.command("import")
def import_delivery(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A delivery file (the --delivery file of crimeprev report)."),
    reported: str = REPORTED,
    strategy_file: Path | None = STRATEGY,
    app_db: str | None = APP_DB,
) -> None:
    """Add the file's actions to the tracker (achieved and slipped in the half-year reported, scheduled
    in the next); importing the same file again changes nothing."""
    from crimeprev.delivery.actions import check_half_year
    from crimeprev.delivery.plan import load_delivery
    from crimeprev.delivery.tracker import import_actions
    from crimeprev.delivery.transfer import drafts_of_plan
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.store.access_log import current_user
    from crimeprev.store.app_store import open_app_store, resolve_app_db

    check_half_year(reported, "--reported")
    plan = load_delivery(path, load_strategy(strategy_file))
    store = open_app_store(resolve_app_db(ctx.obj, app_db))
    try:
        done = import_actions(store, drafts_of_plan(plan, reported), by=current_user(), now=datetime.now(UTC))
    finally:
        store.close()
    console.print(f"{path}: {done.describe('actions')}")


@delivery_app.command("export")
def export_delivery(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The delivery file to write."),
    reported: str = REPORTED,
    app_db: str | None = APP_DB,
) -> None:
    """Write the tracker's actions of the half-year reported and the next as a delivery file."""
    from crimeprev.delivery.actions import check_half_year
    from crimeprev.delivery.tracker import export_plan
    from crimeprev.store.app_store import open_app_store, resolve_app_db

    check_half_year(reported, "--reported")
    store = open_app_store(resolve_app_db(ctx.obj, app_db))
    try:
        plan = export_plan(store, reported)
    finally:
        store.close()
    data = plan.model_dump(mode="json", by_alias=True, exclude_none=True)
    _write_yaml(path, data, f"Delivery actions exported from the crimeprev tracker, half-year to {reported}.")
    console.print(
        f"{path}: {sum(len(s.achieved) + len(s.scheduled) + len(s.slipped) for s in plan.strands.values())} actions"
    )


@narrative_app.command("import")
def import_narrative_file(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A narrative file (the --narrative file of crimeprev report)."),
    strategy_file: Path | None = STRATEGY,
    app_db: str | None = APP_DB,
) -> None:
    """Add the file's narrative to the tracker, part by part; importing it again changes nothing."""
    from crimeprev.delivery.tracker import import_narrative
    from crimeprev.delivery.transfer import drafts_of_narrative
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.report.narrative import load_narrative
    from crimeprev.store.access_log import current_user
    from crimeprev.store.app_store import open_app_store, resolve_app_db

    narrative = load_narrative(path, load_strategy(strategy_file))
    store = open_app_store(resolve_app_db(ctx.obj, app_db))
    try:
        done = import_narrative(store, drafts_of_narrative(narrative), by=current_user(), now=datetime.now(UTC))
    finally:
        store.close()
    console.print(f"{path}: {done.describe('narrative parts')}")


@narrative_app.command("export")
def export_narrative_file(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The narrative file to write."),
    app_db: str | None = APP_DB,
) -> None:
    """Write the tracker's narrative as a narrative file."""
    from crimeprev.delivery.tracker import export_narrative
    from crimeprev.store.app_store import open_app_store, resolve_app_db

    store = open_app_store(resolve_app_db(ctx.obj, app_db))
    try:
        narrative = export_narrative(store)
    finally:
        store.close()
    data = narrative.model_dump(mode="json")
    for half in data["half_years"]:
        half["to"] = half["to"][:7]  # the month the paper reports to
        for parts in half["strands"].values():
            for part in [p for p, text in parts.items() if text is None]:
                del parts[part]
    _write_yaml(path, data, "The leads' narrative exported from the crimeprev tracker.")
    console.print(f"{path}: {sum(len(p) for h in data['half_years'] for p in h['strands'].values())} narrative parts")
