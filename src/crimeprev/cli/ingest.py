"""``crimeprev ingest police-uk|extract|measures``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from crimeprev.cli.output import console, err_console, print_json, thousands
from crimeprev.sources.pseudonym import find_key
from crimeprev.sources.registry import ImportOptions, SourceFile, get_importer
from crimeprev.store.warehouse import remove_new_store

if TYPE_CHECKING:
    from crimeprev.sources.ingest import IngestReport

app = typer.Typer(help="Load files into the store (every row loaded or quarantined with a reason).")

JSON = typer.Option(False, "--json", help="Print the reconciliation as JSON.")
STRICT = typer.Option(False, "--strict", help="Load nothing if any row would be quarantined.")
REPLACE = typer.Option(
    False,
    "--replace",
    help="Let this file replace what it covers even if a month shrinks by more than 20%, or go back to a "
    "version of a file that a newer one had replaced.",
)
KEY_FILE = typer.Option(
    None,
    "--key-file",
    help="File holding the pseudonymisation key (default: $CRIMEPREV_PSEUDONYM_KEY).",
)


@app.command("police-uk")
def police_uk(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Street-level CSV files, folders or monthly archive folders."),
    strict: bool = STRICT,
    replace: bool = REPLACE,
    as_json: bool = JSON,
    boundaries: Path | None = typer.Option(
        None,
        "--boundaries",
        help="ONS police force area boundaries (GeoJSON) to check each force's points against (default: the areas "
        "crimeprev knows, coarse).",
    ),
    name_field: str | None = typer.Option(
        None, "--boundary-name-field", help="The boundary file's name property (default: PFA23NM, ..., or name)."
    ),
) -> None:
    """Ingest data.police.uk street-level crime files (ASB rows become incidents)."""
    areas = None
    if boundaries is not None:
        from crimeprev.sources.force_areas import areas_from_boundaries

        areas = areas_from_boundaries(boundaries, name_field)
    _run(ctx, "police-uk", paths, ImportOptions(areas=areas), strict=strict, replace=replace, as_json=as_json)


@app.command("extract")
def extract(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Force extract files (CSV or Parquet)."),
    mapping: Path = typer.Option(..., "--mapping", help="YAML column mapping (see docs/extract-mapping.md)."),
    key_file: Path | None = KEY_FILE,
    strict: bool = STRICT,
    replace: bool = REPLACE,
    as_json: bool = JSON,
) -> None:
    """Ingest a force's own crime or incident extract through a column mapping."""
    options = ImportOptions(mapping=mapping, pseudonym_key=find_key(key_file))
    _run(ctx, "extract", paths, options, strict=strict, replace=replace, as_json=as_json)


@app.command("measures")
def measures(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Aggregate measures CSV files."),
    strict: bool = STRICT,
    replace: bool = REPLACE,
    as_json: bool = JSON,
) -> None:
    """Ingest aggregate figures (measure, period_start, period_end, value, unit, dimension)."""
    _run(ctx, "measures", paths, ImportOptions(), strict=strict, replace=replace, as_json=as_json)


def _run(
    ctx: typer.Context,
    name: str,
    paths: list[Path],
    options: ImportOptions,
    *,
    strict: bool,
    replace: bool,
    as_json: bool,
) -> None:
    report = run_ingest(ctx.obj, name, paths, options, strict=strict, replace=replace, quiet=as_json)
    if as_json:
        print_json(report_json(report))
    else:
        print_report(report)


def run_ingest(
    store: Path,
    name: str,
    paths: list[Path],
    options: ImportOptions,
    *,
    strict: bool = False,
    replace: bool = False,
    quiet: bool = False,
) -> IngestReport:
    """Ingest with a progress bar on standard error."""
    from crimeprev.sources.ingest import ingest

    importer = get_importer(name)
    progress = Progress(
        TextColumn("{task.description}", markup=False),  # a file name, not markup
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    )
    tasks: dict[str, Any] = {}

    def on_progress(source: SourceFile, done: int, total: int) -> None:
        key = str(source.path)
        if key not in tasks:
            tasks[key] = progress.add_task(source.path.name, total=total)
        progress.update(tasks[key], completed=done)

    importer.plan(paths, options)  # a missing or unreadable file is refused before the store is touched
    new_store = not store.exists()
    try:
        with progress:
            return ingest(
                store,
                importer,
                paths,
                options,
                now=datetime.now(UTC).replace(tzinfo=None),
                strict=strict,
                replace=replace,
                on_progress=on_progress,
            )
    except BaseException:
        if new_store:
            remove_new_store(store)
        raise


def report_json(report: IngestReport) -> dict[str, Any]:
    return {
        "importer": report.importer,
        "read": report.read,
        "loaded": report.loaded,
        "quarantined": report.quarantined,
        "files": [
            {
                "path": f.path,
                "dataset": f.dataset,
                "status": f.status,
                "release_id": f.release_id,
                "read": f.read,
                "loaded": dict(f.loaded),
                "quarantined": f.quarantined,
                "replaced": dict(f.replaced),
            }
            for f in report.files
        ],
    }


def print_report(report: IngestReport) -> None:
    table = Table(title=f"Ingest ({report.importer})", title_justify="left")
    for heading in ("file", "status", "read", "loaded", "quarantined", "replaced"):
        table.add_column(heading, justify="left" if heading in ("file", "status") else "right")
    for f in report.files:
        loaded = ", ".join(f"{t} {thousands(n)}" for t, n in f.loaded.items() if n) or "0"
        replaced = sum(f.replaced.values())
        table.add_row(
            Path(f.path).name,
            f.status,
            thousands(f.read),
            loaded,
            thousands(f.quarantined),
            thousands(replaced) if replaced else "",
        )
    console.print(table)
    unchanged = sum(1 for f in report.files if f.status == "unchanged")
    console.print(
        f"read {thousands(report.read)} = loaded {thousands(report.loaded)} + quarantined "
        f"{thousands(report.quarantined)}" + (f"; {unchanged} file(s) unchanged (already loaded)" if unchanged else "")
    )
    if report.quarantined:
        console.print("see the reasons with: crimeprev quarantine")
