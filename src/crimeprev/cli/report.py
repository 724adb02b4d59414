"""``crimeprev report``: the scrutiny report in DOCX, PDF and HTML."""

from __future__ import annotations

from pathlib import Path

import typer

from crimeprev.cli.boundaries import BOUNDARIES, NAME_FIELD
from crimeprev.cli.engine import engine_of
from crimeprev.cli.output import console, err_console
from crimeprev.cli.users import APP_DB
from crimeprev.model.errors import ConfigError
from crimeprev.report.paper import Paper, PaperSources, produce_paper


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    ctx: typer.Context,
    as_of: str = typer.Option(..., "--as-of", help="The last month reported, YYYY-MM."),
    formats: str = typer.Option("docx,pdf,html", "--format", help="Comma-separated: docx, pdf, html."),
    out: Path = typer.Option(Path("out"), "--out", help="Folder to write the report files to."),
    metadata: Path | None = typer.Option(None, "--metadata", help="Report metadata YAML (cover details)."),
    strategy_file: Path | None = typer.Option(None, "--strategy", help="Strategy file (default: Essex 2021-25)."),
    delivery: Path | None = typer.Option(None, "--delivery", help="Delivery actions YAML (achieved, scheduled)."),
    narrative: Path | None = typer.Option(
        None, "--narrative", help="The leads' narrative YAML (commentary, context, next steps per strand)."
    ),
    operations: Path | None = typer.Option(None, "--operations", help="Operations ledger YAML to evaluate."),
    boundaries: Path | None = BOUNDARIES,
    boundary_name_field: str | None = NAME_FIELD,
    forces: Path | None = typer.Option(
        None,
        "--forces",
        help="Force table (populations, regions) for the comparison with the region's forces, shown when the "
        "store holds them (default: the one shipped).",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse to write a paper with text still to be supplied (placeholders)."
    ),
    parallel: bool | None = typer.Option(
        None,
        "--parallel/--serial",
        help="Share the rendering with a second process (default: when there are two CPUs and a PDF among others).",
        show_default=False,
    ),
    tracker: bool = typer.Option(
        False, "--tracker", help="Take the delivery actions and the narrative from the tracker (the app store)."
    ),
    app_db: str | None = APP_DB,
) -> None:
    """Write the scrutiny report from the store, the strategy, the metadata and the delivery plan."""
    sources = PaperSources(
        metadata=metadata,
        strategy=strategy_file,
        delivery=delivery,
        operations=operations,
        narrative=narrative,
        boundaries=(boundaries, boundary_name_field) if boundaries else None,
        forces=forces,
    )
    if tracker:
        sources = _from_tracker(ctx.obj, sources, as_of, app_db)
    paper = produce_paper(
        ctx.obj,
        as_of=as_of,
        formats=formats,
        out=out,
        sources=sources,
        parallel=parallel,
        strict=strict,
        progress=err_console.status,
        engine=engine_of(ctx),
    )
    print_paper(paper)


def _from_tracker(store: Path, sources: PaperSources, as_of: str, app_db: str | None) -> PaperSources:
    """``sources`` with the tracker's delivery actions and narrative for the half-year to ``as_of``."""
    from dataclasses import replace

    from crimeprev.delivery.actions import half_year_of
    from crimeprev.delivery.tracker import export_narrative, export_plan
    from crimeprev.model.windows import parse_month
    from crimeprev.store.app_store import open_app_store, resolve_app_db

    if sources.delivery is not None or sources.narrative is not None:
        raise ConfigError(
            "--tracker takes the delivery actions and narrative from the tracker: drop --delivery and --narrative"
        )
    try:
        reported = half_year_of(parse_month(as_of))
    except ValueError as e:
        raise ConfigError(str(e)) from None
    app_store = open_app_store(resolve_app_db(store, app_db))
    try:
        return replace(sources, plan=export_plan(app_store, reported), narrative_text=export_narrative(app_store))
    finally:
        app_store.close()


def print_paper(paper: Paper) -> None:
    """The paper's warnings on standard error, then the files written."""
    for warning in paper.warnings:
        err_console.print(f"warning: {warning}")
    for fmt, path in paper.files.items():
        console.print(f"{fmt:>5}: {path}")
