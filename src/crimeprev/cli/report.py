"""``crimeprev report``: the scrutiny report in DOCX, PDF and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from crimeprev.cli.boundaries import BOUNDARIES, NAME_FIELD
from crimeprev.cli.output import console, err_console
from crimeprev.model.errors import ConfigError
from crimeprev.model.windows import parse_month
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.report.render_worker import RenderWorker


def register(app: typer.Typer) -> None:
    app.command("report")(report)


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """The files a report is made from, besides the store (None: the default, or none)."""

    metadata: Path | None = None
    strategy: Path | None = None
    delivery: Path | None = None
    operations: Path | None = None
    narrative: Path | None = None
    boundaries: tuple[Path, str | None] | None = None  # a GeoJSON file and its name field


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
    strict: bool = typer.Option(
        False, "--strict", help="Refuse to write a paper with text still to be supplied (placeholders)."
    ),
    parallel: bool | None = typer.Option(
        None,
        "--parallel/--serial",
        help="Share the rendering with a second process (default: when there are two CPUs and a PDF among others).",
        show_default=False,
    ),
) -> None:
    """Write the scrutiny report from the store, the strategy, the metadata and the delivery plan."""
    files = ReportFiles(
        metadata=metadata,
        strategy=strategy_file,
        delivery=delivery,
        operations=operations,
        narrative=narrative,
        boundaries=(boundaries, boundary_name_field) if boundaries else None,
    )
    paths = produce_report(ctx.obj, as_of=as_of, formats=formats, out=out, files=files, parallel=parallel,
                           strict=strict)  # fmt: skip
    for fmt, path in paths.items():
        console.print(f"{fmt:>5}: {path}")


def produce_report(
    store: Path,
    *,
    as_of: str,
    formats: str,
    out: Path,
    files: ReportFiles,
    parallel: bool | None = None,
    strict: bool = False,
) -> dict[str, Path]:
    """Evaluate the strategy on the store and render the report (the demo calls this too).

    When the report uses a second process (``parallel``, or by default when
    :func:`~crimeprev.report.publish.wants_worker` says so), it is started first, so that it loads
    its libraries while the indicators are computed. Without a boundary file, the maps' outlines
    are derived from the records. Text still to be supplied is listed as a warning, or with
    ``strict`` refused before anything is written.
    """
    from crimeprev.report.publish import parse_formats, wants_worker
    from crimeprev.report.render_worker import start_render_worker

    chosen = parse_formats(formats)
    if not (wants_worker(chosen) if parallel is None else parallel and "pdf" in chosen):
        return _produce(store, as_of, chosen, out, files, None, strict)
    with start_render_worker() as worker:
        return _produce(store, as_of, chosen, out, files, worker, strict)


def _produce(
    store: Path,
    as_of: str,
    chosen: list[str],
    out: Path,
    files: ReportFiles,
    worker: RenderWorker | None,
    strict: bool,
) -> dict[str, Path]:
    from crimeprev.delivery.plan import DeliveryPlan, load_delivery
    from crimeprev.indicators.harm import offence_names
    from crimeprev.indicators.insights import evaluate_strategy
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.model.periods import add_months
    from crimeprev.operations.areas import district_outlines
    from crimeprev.operations.evaluate import evaluate_operation
    from crimeprev.operations.ledger import load_ledger
    from crimeprev.operations.zones import strand_zone_evaluations
    from crimeprev.people.repeats import strand_repeats
    from crimeprev.report.build import ReportInputs, build_report
    from crimeprev.report.metadata import load_metadata
    from crimeprev.report.narrative import load_narrative
    from crimeprev.report.publish import write_report
    from crimeprev.sources.boundaries import read_boundaries

    try:
        month = parse_month(as_of)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    strategy = load_strategy(files.strategy)
    meta = load_metadata(files.metadata, strategy)
    boundaries = files.boundaries
    supplied = read_boundaries(boundaries[0], name_field=boundaries[1]) if boundaries else None
    plan = load_delivery(files.delivery, strategy) if files.delivery else DeliveryPlan()
    narrative = {}
    if files.narrative is not None:
        told = load_narrative(files.narrative, strategy)
        narrative = told.for_month(month)
        if not narrative:
            held = ", ".join(told.months()) or "none"
            err_console.print(f"warning: {files.narrative} has no half-year to {month:%Y-%m} (it has: {held})")
    if files.operations is not None and not files.operations.is_file():
        raise ConfigError(f"--operations {files.operations}: no such ledger file")
    if files.delivery is None:
        err_console.print(
            "warning: no --delivery file: what each strand delivered and has scheduled is unknown, so every strand "
            "is marked at risk for that reason"
        )
    with Warehouse.open(store, read_only=True) as warehouse:
        datasets = {
            r[0] for t in ("offences", "incidents") for r in warehouse.query(f"SELECT DISTINCT dataset FROM {t}")
        }
        with err_console.status("computing the indicators..."):
            backend = warehouse.ibis()
            results = evaluate_strategy(backend, strategy, month)
            ledger = load_ledger(files.operations, strategy).operations if files.operations else []
            # every operation of the 12 months reported that has ended (one still running cannot be judged yet)
            start, end = add_months(month, -11), add_months(month, 1)
            due = [op for op in ledger if op.ends_on >= start and op.ends_on < end]
            evaluated = [evaluate_operation(backend, strategy, op) for op in due]
            zones = strand_zone_evaluations(backend, strategy, month)
            repeats = strand_repeats(backend, strategy, month)
            mapped = any(e.places is not None and not e.places.area.empty for e in evaluated)
            if supplied is not None:
                outlines = supplied
            else:
                outlines = district_outlines(backend, strategy, add_months(month, -11), month) if mapped else {}
    # Demo datasets are named *-demo-*: their reports carry the synthetic marking everywhere.
    synthetic = any("demo" in d for d in datasets)
    document = build_report(
        ReportInputs(
            strategy,
            results,
            meta,
            plan,
            month,
            synthetic=synthetic,
            operations=evaluated,
            zones=zones,
            outlines=outlines,
            repeats=repeats,
            delivery_given=files.delivery is not None,
            narrative=narrative,
            code_names=offence_names(),
            outlines_from=boundaries[0].name if boundaries else None,
        )
    )
    missing = document.placeholders()
    if missing:
        listed = "\n  ".join(missing[:8]) + (f"\n  ... and {len(missing) - 8} more" if len(missing) > 8 else "")
        if strict:
            raise ConfigError(f"--strict: {len(missing)} passages of the paper are still to be supplied:\n  {listed}")
        noun = "passage is" if len(missing) == 1 else "passages are"
        err_console.print(f"warning: {len(missing)} {noun} still to be supplied (highlighted in the paper):\n"
                          f"  {listed}")  # fmt: skip
    with err_console.status(f"rendering {', '.join(chosen)}..."):
        return write_report(document, out, chosen, worker=worker, parallel=worker is not None)
