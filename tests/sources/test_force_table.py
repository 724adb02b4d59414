"""The force table shipped with crimeprev, and the per-force area check it gives every ingest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from crimeprev.model.errors import InputError
from crimeprev.sources.fields import parse_location
from crimeprev.sources.force_areas import areas_of
from crimeprev.sources.force_table import load_force_table
from crimeprev.sources.police_uk import HEADER
from tests.conftest import cli_json, query

REGIONS = {
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Wales",
}  # fmt: skip


def test_the_table_holds_43_forces_whose_populations_sum_to_the_ons_total() -> None:
    table = load_force_table()
    assert len(table.forces) == 43 and len({f.slug for f in table.forces}) == 43
    assert {f.region for f in table.forces} == REGIONS
    assert sum(f.population for f in table.forces) == 60_854_727  # ONS mid-2023, England and Wales
    essex = table.get("Essex Police")
    assert essex is not None and essex.population == 1_896_590 and essex.population_period == "mid-2023"
    assert table.by_slug("devon-and-cornwall") == table.get("Devon & Cornwall Police")
    assert table.peers is None  # no most similar group ships: see police-forces.md
    assert table.group("Essex Police", "region")[0].name == "Essex Police"
    assert len(table.group("Essex Police", "region")) == 6 and len(table.group("Kent Police", "all")) == 43


def test_a_malformed_table_is_refused_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "forces.yaml"
    bad.write_text("population: {title: t, publisher: p, period: x}\nforces:\n  - {name: A}\n")
    with pytest.raises(InputError, match="malformed force table"):
        load_force_table(bad)
    bad.write_text(
        "population: {title: t, publisher: p, period: x}\nforces:\n"
        "  - {name: A, slug: a, region: R, population: 1, centre: [51, 0], radius_km: 5, most_similar: [B]}\n"
    )
    with pytest.raises(InputError, match="most_similar names forces not in the table: B"):
        load_force_table(bad)
    bad.write_text(
        "population: {title: t, publisher: p, period: x}\nforces:\n"
        "  - {name: A, slug: a, region: R, population: 1, centre: [51, 0], radius_km: 5, most_similar: [A]}\n"
    )
    with pytest.raises(InputError, match="most_similar names the force itself or a force twice: A"):
        load_force_table(bad)


def test_each_row_of_a_multi_force_block_is_checked_against_its_own_force() -> None:
    force = pa.array(["Kent Police", "Kent Police", "Greater Manchester Police", "Nowhere Police", None,
                      "West Midlands Police", "South Wales Police"])  # fmt: skip
    # Maidstone, Manchester x3, Maidstone, east Coventry, Rhossili (the far corners of their forces)
    lat = pa.array(["51.28", "53.48", "53.48", "53.48", "51.28", "52.42", "51.57"])
    lon = pa.array(["0.52", "-2.24", "-2.24", "-2.24", "0.52", "-1.44", "-4.29"])
    status = parse_location(lat, lon, areas_of(force)).status.to_pylist()
    # Kent in Kent, Kent in Manchester, Manchester in Manchester, an unknown force, no force at all, corners
    assert status == ["ok", "outside_force", "ok", "ok", "ok", "ok", "ok"]


def test_a_national_folder_loads_every_force_with_its_own_area(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "2024-03"
    folder.mkdir()
    rows = {
        "kent": ["a1,2024-03,Kent Police,Kent Police,0.52,51.28,On or near X,E01,Maidstone 001A,Burglary,,",
                 "a2,2024-03,Kent Police,Kent Police,-2.24,53.48,On or near Y,E02,Manchester 001A,Burglary,,"],
        "greater-manchester": [
            "b1,2024-03,Greater Manchester Police,Greater Manchester Police,-2.24,53.48,On or near Y,E02,"
            "Manchester 001A,Robbery,,",
        ],
    }  # fmt: skip
    for slug, lines in rows.items():
        (folder / f"2024-03-{slug}-street.csv").write_text(",".join(HEADER) + "\n" + "\n".join(lines) + "\n")
    report = cli_json(cli("ingest", "police-uk", str(tmp_path), "--json"))
    assert report["read"] == 3 and report["quarantined"] == 0
    got = query(store, "SELECT crime_ref, force, location_status FROM offences ORDER BY crime_ref")
    assert got == [
        ("a1", "Kent Police", "ok"),
        ("a2", "Kent Police", "outside_force"),
        ("b1", "Greater Manchester Police", "ok"),
    ]


def test_a_boundary_file_gives_the_areas_it_names(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "archive" / "2024-03"
    folder.mkdir(parents=True)
    lines = [
        "k1,2024-03,Kent Police,Kent Police,0.52,51.28,On or near X,E01,Maidstone 001A,Burglary,,",  # Maidstone
        "k2,2024-03,Kent Police,Kent Police,1.31,51.13,On or near Y,E01,Dover 001A,Burglary,,",  # Dover
        "m1,2024-03,Greater Manchester Police,Greater Manchester Police,-2.24,53.48,On or near Z,E02,"
        "Manchester 001A,Robbery,,",
    ]
    (folder / "2024-03-mixed-street.csv").write_text(",".join(HEADER) + "\n" + "\n".join(lines) + "\n")
    ring = [[0.40, 51.20], [0.65, 51.20], [0.65, 51.35], [0.40, 51.35], [0.40, 51.20]]  # round Maidstone only
    feature = {
        "type": "Feature",
        "properties": {"PFA23NM": "Kent"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    boundaries = tmp_path / "pfa.geojson"
    boundaries.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    report = cli_json(cli("ingest", "police-uk", str(tmp_path / "archive"), "--boundaries", str(boundaries), "--json"))
    assert report["read"] == 3 and report["quarantined"] == 0
    got = query(store, "SELECT crime_ref, location_status FROM offences ORDER BY crime_ref")
    # Dover is in Kent's coarse known area but not in the area the file gives; Manchester keeps its known one
    assert got == [("k1", "ok"), ("k2", "outside_force"), ("m1", "ok")]
    other = tmp_path / "lad.geojson"
    feature["properties"] = {"LAD23NM": "Maidstone"}
    other.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    refused = cli("ingest", "police-uk", str(tmp_path / "archive"), "--boundaries", str(other))
    assert (
        refused.exit_code == 1 and "no feature names a police force crimeprev knows (found: Maidstone" in refused.output
    )
