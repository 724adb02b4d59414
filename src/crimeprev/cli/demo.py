"""``crimeprev demo-data`` and ``crimeprev demo``: the synthetic, calibrated Essex-like demo."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from crimeprev.cli.ingest import print_report, run_ingest
from crimeprev.cli.output import console, err_console
from crimeprev.cli.report import print_paper
from crimeprev.cli.store import print_status
from crimeprev.report.paper import PaperSources, produce_paper
from crimeprev.sources.registry import ImportOptions
from crimeprev.store.status import read_status
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:  # the generator (numpy, pyarrow) loads only for the demo commands
    from crimeprev.demo import DemoFiles

SYNTHETIC = "[bold reverse] SYNTHETIC DEMO DATA [/] calibrated to published Essex totals; no real records"
SEED = typer.Option(2024, "--seed", help="Random seed: the same seed always gives the same files.")
DEMO_AS_OF = "2024-03"
DATA_DIR = typer.Option(Path("demo-data"), "--data-dir", help="Folder for the generated files.")


def register(app: typer.Typer) -> None:
    app.command("demo-data")(demo_data)
    app.command("demo")(demo)


def demo_data(seed: int = SEED, data_dir: Path = DATA_DIR) -> None:
    """Generate the synthetic demo data (36 months of Essex-like records) as files."""
    files = _generate(data_dir, seed)
    console.print(SYNTHETIC, markup=True)
    for label, path in (
        ("offences", files.offences),
        ("incidents", files.incidents),
        ("measures", files.measures),
        ("zones", files.zones),
        ("ground truth", files.ground_truth),
    ):
        console.print(f"{label:>12}: {path}")
    console.print(
        f"{files.offence_rows:,} offences, {files.incident_rows:,} incidents, {files.measure_rows:,} measures "
        f"(seed {seed})"
    )


def demo(
    ctx: typer.Context,
    seed: int = SEED,
    data_dir: Path = DATA_DIR,
    out: Path = typer.Option(Path("out"), "--out", help="Folder for the report files."),
) -> None:
    """The main job on the embedded store: generate the demo data, ingest it, write the report."""
    console.print(SYNTHETIC, markup=True)
    files = _generate(data_dir, seed)
    load_demo(ctx.obj, files)
    with Warehouse.open(ctx.obj, read_only=True) as warehouse:
        print_status(read_status(warehouse))
    inputs = PaperSources(
        metadata=package_data("report-metadata-essex.yaml"),
        delivery=package_data("essex-2023-24-delivery.yaml"),
        operations=package_data("operations-essex.yaml"),
        narrative=package_data("essex-2023-24-narrative.yaml"),
    )
    paper = produce_paper(
        ctx.obj, as_of=DEMO_AS_OF, formats="docx,pdf,html", out=out, sources=inputs, progress=err_console.status
    )
    console.print(f"report for {DEMO_AS_OF} (synthetic demo data):")
    print_paper(paper)
    console.print(SYNTHETIC, markup=True)


def package_data(name: str) -> Path:
    """A data file shipped inside crimeprev."""
    return Path(str(resources.files("crimeprev") / "data" / name))


def load_demo(store: Path, files: DemoFiles) -> None:
    """Ingest the demo files (offences, incidents, measures, zones) into ``store``."""
    from crimeprev.demo import DEMO_PSEUDONYM_KEY

    key = DEMO_PSEUDONYM_KEY.encode("utf-8")
    for path, mapping in ((files.offences, files.offences_mapping), (files.incidents, files.incidents_mapping)):
        report = run_ingest(store, "extract", [path], ImportOptions(mapping=mapping, pseudonym_key=key))
        print_report(report)
    print_report(run_ingest(store, "measures", [files.measures], ImportOptions()))
    print_report(run_ingest(store, "zones", [files.zones], ImportOptions()))


def _generate(data_dir: Path, seed: int) -> DemoFiles:
    from crimeprev.demo import write_demo_data

    with err_console.status("generating the synthetic demo data..."):
        return write_demo_data(data_dir, seed=seed)
