"""Writing the demo data set to a directory: the only I/O of ``crimeprev.demo``.

``write_demo_data`` reads the package's reference YAML, builds the data in memory
(``dataset.build_demo_data``) and writes the two extracts with their mapping files, the aggregate
measures, the ground truth and a README. Same seed, byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from crimeprev.demo.dataset import DemoData, build_demo_data
from crimeprev.demo.ground_truth import build_ground_truth
from crimeprev.demo.layout import (
    DA_RISK_CODES,
    INCIDENT_COLUMNS,
    INCIDENTS_DATASET,
    OFFENCE_COLUMNS,
    OFFENCES_DATASET,
    render_mapping,
)
from crimeprev.demo.measures import MEASURE_COLUMNS
from crimeprev.demo.months import month_first_day
from crimeprev.demo.national import generate, national_months
from crimeprev.demo.plants import ZONES
from crimeprev.demo.readme import render_readme
from crimeprev.demo.reference import load_geography, load_place_columns, load_reference_figures
from crimeprev.demo.tables import incident_table, offence_table
from crimeprev.sources.force_table import load_force_table
from crimeprev.sources.pseudonym import PUBLIC_DEMO_KEY
from crimeprev.spatial.units import from_bng, to_bng

DEMO_PSEUDONYM_KEY: Final = PUBLIC_DEMO_KEY
DEFAULT_SEED: Final = 2024
OFFENCES_FILE: Final = "offences.csv"
OFFENCES_MAPPING_FILE: Final = "offences.mapping.yaml"
INCIDENTS_FILE: Final = "incidents.csv"
INCIDENTS_MAPPING_FILE: Final = "incidents.mapping.yaml"
MEASURES_FILE: Final = "measures.csv"
GROUND_TRUTH_FILE: Final = "ground-truth.json"
ZONES_FILE: Final = "zones.geojson"
CIRCLE_POINTS: Final = 96
README_FILE: Final = "README.txt"


@dataclass(frozen=True)
class DemoFiles:
    """The files ``write_demo_data`` wrote, and how many rows each table has."""

    directory: Path
    offences: Path
    offences_mapping: Path
    incidents: Path
    incidents_mapping: Path
    measures: Path
    ground_truth: Path
    zones: Path
    readme: Path
    offence_rows: int
    incident_rows: int
    measure_rows: int


def _write_csv(table: pa.Table, path: Path) -> None:
    # Quoting "none": every value is plain text without commas, quotes or newlines; Arrow refuses
    # to write a value that would need quoting rather than corrupting the file.
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with path.open("wb") as sink:
        sink.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, sink, write_options=options)


def _measures_text(data: DemoData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MEASURE_COLUMNS)
    writer.writerows(row.cells() for row in data.measures)
    return buffer.getvalue()


def zones_geojson() -> str:
    """The demo's operation zones as the GeoJSON a force would import: 96-sided circles, with dates."""
    features = []
    for zone in ZONES:
        east, north = to_bng([zone.lat], [zone.lon])
        angle = np.linspace(0.0, 2 * np.pi, CIRCLE_POINTS + 1)
        lat, lon = from_bng(east[0] + zone.radius_m * np.cos(angle), north[0] + zone.radius_m * np.sin(angle))
        ring = [[round(float(x), 7), round(float(y), 7)] for x, y in zip(lon, lat, strict=True)]
        ring[-1] = ring[0]
        properties = {
            "zone_id": zone.key.replace("_", "-"),
            "name": zone.name,
            "active_from": month_first_day(zone.start).isoformat(),
            "operation": zone.operation,
        }
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features}, indent=1) + "\n"


def write_demo_data(
    directory: Path, *, seed: int = DEFAULT_SEED, places: Mapping[str, Sequence[Any]] | None = None
) -> DemoFiles:
    """Generate the synthetic Essex demo data for ``seed`` and write it into ``directory``.

    The directory is created if needed; existing demo files in it are overwritten. ``places``
    replaces the package's map points (the columns of ``essex-places.csv.gz``), for instance with
    points derived from other months to test the demo out of sample (``bench/realism.py``).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    columns = load_place_columns() if places is None else places
    data = build_demo_data(load_reference_figures(), load_geography(), columns, seed=seed)
    files = DemoFiles(
        directory=directory,
        offences=directory / OFFENCES_FILE,
        offences_mapping=directory / OFFENCES_MAPPING_FILE,
        incidents=directory / INCIDENTS_FILE,
        incidents_mapping=directory / INCIDENTS_MAPPING_FILE,
        measures=directory / MEASURES_FILE,
        ground_truth=directory / GROUND_TRUTH_FILE,
        zones=directory / ZONES_FILE,
        readme=directory / README_FILE,
        offence_rows=len(data.offences),
        incident_rows=len(data.incidents),
        measure_rows=len(data.measures),
    )
    _write_csv(offence_table(data.offences, data.frame, data.hate_labels), files.offences)
    _write_csv(incident_table(data.incidents, data.frame, data.hate_labels), files.incidents)
    files.offences_mapping.write_text(
        render_mapping(
            dataset=OFFENCES_DATASET,
            table="offences",
            columns=OFFENCE_COLUMNS,
            values={"da_risk": DA_RISK_CODES},
            seed=seed,
        ),
        encoding="utf-8",
        newline="\n",
    )
    files.incidents_mapping.write_text(
        render_mapping(
            dataset=INCIDENTS_DATASET,
            table="incidents",
            columns=INCIDENT_COLUMNS,
            values={},
            seed=seed,
        ),
        encoding="utf-8",
        newline="\n",
    )
    files.measures.write_text(_measures_text(data), encoding="utf-8", newline="\n")
    files.zones.write_text(zones_geojson(), encoding="utf-8", newline="\n")
    files.ground_truth.write_text(
        json.dumps(build_ground_truth(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    files.readme.write_text(
        render_readme(
            seed=seed,
            offence_rows=files.offence_rows,
            incident_rows=files.incident_rows,
            measure_rows=files.measure_rows,
            pseudonym_key=DEMO_PSEUDONYM_KEY,
        ),
        encoding="utf-8",
        newline="\n",
    )
    return files


@dataclass(frozen=True)
class NationalFiles:
    """The national street files ``write_national_data`` wrote."""

    directory: Path
    files: int
    rows: int
    forces: int
    months: int


NATIONAL_README: Final = """SYNTHETIC NATIONAL DEMO DATA: no real records.

{forces} police forces of England and Wales x {months} months ({first} to {last}) of
data.police.uk street-level files, in the archive's layout: YYYY-MM/YYYY-MM-<force>-street.csv.
{rows:,} rows (crimes and anti-social behaviour), seed {seed}, scale {scale:g}.

Volumes follow each force's resident population (crimeprev's force table, mid-2023 ONS
estimates) times a rate drawn around the national one; the crime mix, outcomes and share of
records without a location are those of real street files, with a wobble per force. LSOA and
district names are made up ("Kent 03 012A"). Load with:

    crimeprev ingest police-uk {directory}
"""


def write_national_data(
    directory: Path,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    months: int = 36,
    last: dt.date = dt.date(2024, 3, 1),
    forces: Sequence[str] | None = None,
    on_force: Callable[[str], None] | None = None,
) -> NationalFiles:
    """Write the synthetic national street files (see :mod:`crimeprev.demo.national`).

    ``scale`` multiplies every force's volume (1.0 gives about 20 million rows over 36 months);
    ``forces`` limits the data to those data.police.uk slugs. One force-month is in memory at a time.
    """
    table = load_force_table()
    chosen = list(table.forces)
    if forces:
        unknown = sorted(set(forces) - {f.slug for f in chosen})
        if unknown:
            raise ValueError(f"unknown force slug(s): {', '.join(unknown)}")
        chosen = [f for f in chosen if f.slug in forces]
    only = {f.slug for f in chosen} if forces else None
    directory = Path(directory)
    rows = files = 0
    current = ""
    for force, month, rows_table in generate(table.forces, last, months, scale, seed, only):
        if on_force is not None and force.name != current:
            current = force.name
            on_force(current)
        folder = directory / f"{month:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(rows_table, folder / f"{month:%Y-%m}-{force.slug}-street.csv")
        rows += rows_table.num_rows
        files += 1
    first = national_months(last, months)[0]
    (directory / README_FILE).write_text(
        NATIONAL_README.format(
            forces=len(chosen), months=months, first=f"{first:%Y-%m}", last=f"{last:%Y-%m}", rows=rows,
            seed=seed, scale=scale, directory=directory,
        ),
        encoding="utf-8",
        newline="\n",
    )  # fmt: skip
    return NationalFiles(directory, files, rows, len(chosen), months)
