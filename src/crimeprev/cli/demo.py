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
from crimeprev.model.errors import ConfigError
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


def demo_data(
    seed: int = SEED,
    data_dir: Path = DATA_DIR,
    national: bool = typer.Option(
        False,
        "--national",
        help="Instead: every force of England and Wales as data.police.uk street files, in DATA_DIR/national.",
    ),
    scale: float = typer.Option(
        1.0, "--scale", min=0.0001, help="--national: volume factor (1 gives about 20 million rows over 36 months)."
    ),
    months: int = typer.Option(36, "--months", min=1, max=120, help="--national: months, ending 2024-03."),
    forces: str | None = typer.Option(
        None, "--forces", help="--national: only these forces, by data.police.uk slug (comma-separated)."
    ),
) -> None:
    """Generate the synthetic demo data (36 months of Essex-like records, or --national) as files."""
    if national:
        _national(data_dir / "national", seed, scale, months, forces)
        return
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


def _national(directory: Path, seed: int, scale: float, months: int, forces: str | None) -> None:
    from crimeprev.demo import write_national_data

    chosen = [f.strip() for f in forces.split(",") if f.strip()] if forces else None
    console.print("[bold reverse] SYNTHETIC NATIONAL DEMO DATA [/] no real records", markup=True)
    with err_console.status("generating the national demo data...") as status:
        try:
            written = write_national_data(
                directory, seed=seed, scale=scale, months=months, forces=chosen,
                on_force=lambda name: status.update(f"generating the national demo data: {name}"),
            )  # fmt: skip
        except ValueError as e:
            raise ConfigError(f"--forces: {e}") from None
    console.print(
        f"{written.rows:,} rows in {written.files:,} street files ({written.forces} forces x {written.months} months, "
        f"seed {seed}, scale {scale:g}): {directory}"
    )
    console.print(f"load them with: crimeprev ingest police-uk {directory}", markup=False)


def _generate(data_dir: Path, seed: int) -> DemoFiles:
    from crimeprev.demo import write_demo_data

    with err_console.status("generating the synthetic demo data..."):
        return write_demo_data(data_dir, seed=seed)
