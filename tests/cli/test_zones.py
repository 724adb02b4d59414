"""``crimeprev zones``: planted zone effects recovered on the demo store, counts checked by hand, proposals."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.spatial.units import from_bng, to_bng
from crimeprev.store.layout import data_dir
from tests.conftest import cli_json, query

STRATEGY = resources.files("crimeprev") / "strategies" / "essex-2021-25.yaml"
# Exactly the records the demo's Grays zone acts on: violence, robbery and weapons offences that are
# not domestic abuse (DA offences happen at home, where no zone acts).
GRAYS_TARGETS = {
    "id": "street_violence_offences",
    "title": "Violence, robbery and weapons offences (not domestic abuse)",
    "source": "offences",
    "definition": "Violence and sexual offences, robbery and possession of weapons, not flagged domestic abuse.",
    "filter": {"categories": ["Violence and sexual offences", "Robbery", "Possession of weapons"],
               "flags": {"domestic_abuse": False}},
}  # fmt: skip


@pytest.fixture(scope="module")
def zone_store(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo store (zones are added to it) and a strategy with the Grays target indicator."""
    base = tmp_path_factory.mktemp("zones")
    store = base / "demo.duckdb"
    shutil.copy(demo_store, store)
    shutil.copytree(data_dir(demo_store), data_dir(store))
    strategy = yaml.safe_load(STRATEGY.read_text())
    places = next(s for t in strategy["themes"] for s in t["strands"] if s["id"] == "places")
    places["indicators"].append(GRAYS_TARGETS)
    (base / "strategy.yaml").write_text(yaml.safe_dump(strategy, sort_keys=False))
    return store


def run(store: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", str(store), "zones", *args])


def circle(lat: float, lon: float, radius: float) -> list[list[float]]:
    east, north = to_bng([lat], [lon])
    angle = np.linspace(0, 2 * np.pi, 129)
    la, lo = from_bng(east[0] + radius * np.cos(angle), north[0] + radius * np.sin(angle))
    ring = [[float(x), float(y)] for x, y in zip(lo, la, strict=True)]
    return [*ring[:-1], ring[0]]


def test_planted_zone_effects_are_recovered_within_their_intervals(zone_store: Path, demo_store: Path) -> None:
    truth = json.loads((demo_store.parent / "data" / "ground-truth.json").read_text())
    features = [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [circle(z["lat"], z["lon"], z["radius_m"])]},
         "properties": {"zone_id": z["key"], "name": z["name"], "active_from": f"{z['start_month']}-01"}}
        for z in truth["zones"]
    ]  # fmt: skip
    path = zone_store.parent / "planted.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert cli_json(run(zone_store, "import", str(path), "--json"))["loaded"] == 2
    strategy = str(zone_store.parent / "strategy.yaml")
    chosen = {"basildon_asb_zone": "asb_incidents", "grays_violence_zone": "street_violence_offences"}
    for zone in truth["zones"]:
        result = cli_json(run(zone_store, "evaluate", "--indicator", f"places/{chosen[zone['key']]}", "--zone",
                              zone["key"], "--buffer", "300", "--strategy", strategy, "--json"))  # fmt: skip
        (row,) = result["zones"]
        c = row["comparison"]
        assert row["after"].startswith(zone["start_month"])
        assert c["low"] <= zone["planted_effect"] <= c["high"], (zone["key"], c)
        assert c["clear"] and c["high"] < 1  # a real fall, said so
        assert row["verdict"].startswith(f"{zone['name']} did better than the rest of the force")
        (ring,) = row["rings"]
        assert ring["comparison"]["low"] <= 1 <= ring["comparison"]["high"]  # no displacement was planted


def test_lsoa_zone_counts_match_sql_by_hand(zone_store: Path, tmp_path: Path) -> None:
    lsoas = [r[0] for r in query(zone_store, "SELECT lsoa_code, count(*) n FROM incidents WHERE district = 'Basildon' "
                                             "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3")]  # fmt: skip
    path = tmp_path / "lsoa.csv"
    path.write_text(f"zone_id,name,kind,members,active_from\nhand,By hand,lsoa,{';'.join(lsoas)},2023-07-01\n")
    assert cli_json(run(zone_store, "import", str(path), "--json"))["loaded"] == 1
    result = cli_json(run(zone_store, "evaluate", "--indicator", "asb_incidents", "--zone", "hand", "--before",
                          "2023-01..2023-06", "--after", "2023-07..2023-12", "--json"))  # fmt: skip
    listed = ", ".join(f"'{c}'" for c in lsoas)

    def count(where: str, first: str, last: str) -> int:
        (n,) = query(zone_store, f"SELECT count(*) FROM incidents WHERE incident_type = 'anti-social behaviour' "
                                 f"AND location_status <> 'outside_force' AND {where} AND recorded_month BETWEEN "
                                 f"DATE '{first}-01' AND DATE '{last}-01'")[0]  # fmt: skip
        return int(n)

    c = result["zones"][0]["comparison"]
    inside, outside = f"lsoa_code IN ({listed})", f"(lsoa_code IS NULL OR lsoa_code NOT IN ({listed}))"
    assert (c["before"], c["after"]) == (count(inside, "2023-01", "2023-06"), count(inside, "2023-07", "2023-12"))
    assert (c["rest_before"], c["rest_after"]) == (
        count(outside, "2023-01", "2023-06"), count(outside, "2023-07", "2023-12"))  # fmt: skip
    pai = result["accuracy"]
    assert pai["pai"] == pytest.approx(pai["hit_rate"] / pai["area_share"])


def test_errors_are_clear(zone_store: Path, store: Path) -> None:
    unknown = run(zone_store, "evaluate", "--indicator", "asb_incidents", "--zone", "nowhere")
    assert unknown.exit_code == 1 and "unknown zone(s) nowhere; the store's zones are:" in unknown.stderr
    lists = run(zone_store, "evaluate", "--indicator", "asb_incidents", "--zone", "hand", "--buffer", "250")
    assert lists.exit_code == 1 and "no buffer rings" in lists.stderr
    half = run(zone_store, "evaluate", "--indicator", "asb_incidents", "--before", "2023-01..2023-06")
    assert half.exit_code == 1 and "together" in half.stderr


def test_proposed_zones_are_tested_out_of_sample_and_can_be_imported(zone_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "proposed.geojson"
    result = cli_json(run(zone_store, "propose", "--indicator", "asb_incidents", "--window", "2022-04..2023-03",
                          "--zones", "10", "--area-km2", "2.5", "--out", str(out), "--json"))  # fmt: skip
    assert result["test_window"] == "2023-04..2024-03" and len(result["zones"]) == 10
    training, test = result["training"], result["test"]
    assert training["area_share"] == pytest.approx(test["area_share"])
    assert test["pai"] > 5  # ASB concentrates: the zones keep holding far more than their share
    assert test["hits"] == sum(z["test"] for z in result["zones"])
    assert [z["training"] for z in result["zones"]] == sorted((z["training"] for z in result["zones"]), reverse=True)
    assert cli_json(run(zone_store, "import", str(out), "--json"))["loaded"] == 10
    listed = {z["zone_id"]: z for z in cli_json(run(zone_store, "list", "--json"))}
    assert listed["proposed-01"]["area_km2"] == pytest.approx(0.25, rel=0.01)
    assert listed["proposed-01"]["active_from"] == "2023-04-01"


def test_the_demo_imports_its_zones_and_the_map_draws_them(demo_store: Path, tmp_path: Path) -> None:
    from xml.etree import ElementTree

    from PIL import Image

    listed = {z["zone_id"]: z for z in cli_json(run(demo_store, "list", "--json"))}
    assert set(listed) == {"basildon-asb-zone", "grays-violence-zone"}
    assert listed["grays-violence-zone"]["active_from"] == "2023-10-01"
    assert listed["grays-violence-zone"]["area_km2"] == pytest.approx(np.pi * 0.6**2, rel=0.01)
    boundary = tmp_path / "districts.geojson"
    ring = [[0.25, 51.44], [0.55, 51.44], [0.55, 51.62], [0.25, 51.62], [0.25, 51.44]]
    feature = {"type": "Feature", "properties": {"LAD23NM": "South Essex"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    boundary.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    png, svg = tmp_path / "zones.png", tmp_path / "zones.svg"
    for out, extra in ((png, ()), (svg, ("--boundaries", str(boundary)))):
        result = run(demo_store, "evaluate", "--indicator", "asb_incidents", "--buffer", "250", "--map", str(out),
                     *extra)  # fmt: skip
        assert result.exit_code == 0, result.output
    with Image.open(png) as image:
        pixels = list(image.convert("RGB").get_flattened_data())
    purple = sum(1 for r, g, b in pixels if abs(r - 0x7B) < 25 and g < 80 and abs(b - 0x94) < 25)
    assert purple > 30  # the zones' markers and outlines
    text = "".join(ElementTree.fromstring(svg.read_text(encoding="utf-8")).itertext())
    assert "Grays serious violence zone" in text and "Outlines: districts.geojson" in text


def test_the_report_compares_the_zones_with_the_force_from_records(demo_report: dict[str, Path]) -> None:
    from docx import Document

    document = Document(str(demo_report["docx"]))
    captions = [p.text for p in document.paragraphs if p.text.startswith("Table ")]
    assert any("High-harm offences inside each zone against the rest of the force" in c for c in captions)
    zone_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Zone"]
    assert len(zone_tables) == 2
    first = [[c.text for c in row.cells] for row in zone_tables[0].rows]
    assert first[0] == ["Zone", "Before", "After", "% change", "Relative to the force"]
    labels = [row[0] for row in first[1:]]
    assert labels[0].startswith("Basildon town centre ASB and high-harm zone (from Jul 23)")
    assert labels[-2:] == ["All zones", "- rest of the force, same months"] and "- within 250 m around" in labels
    text = "\n".join(p.text for p in document.paragraphs)
    assert "computed from the records" in text and "Predictive Accuracy Index" in text
    assert "Figure" in text and "the operation zones, with their 250 m buffer rings" in text


def test_the_displacement_difference_against_a_control_adds_up(zone_store: Path) -> None:
    windows = ("--before", "2023-04..2023-09", "--after", "2023-10..2024-03")
    result = cli_json(run(zone_store, "evaluate", "--indicator", "asb_incidents", "--zone", "grays_violence_zone",
                          "--buffer", "300", "--control", "Colchester", *windows, "--json"))  # fmt: skip
    (row,) = result["zones"]

    def colchester(first: str, last: str) -> int:
        (n,) = query(zone_store, "SELECT count(*) FROM incidents WHERE incident_type = 'anti-social behaviour' AND "
                                 "district = 'Colchester' AND location_status = 'ok' AND recorded_month BETWEEN "
                                 f"DATE '{first}-01' AND DATE '{last}-01'")[0]  # fmt: skip
        return int(n)

    zone, ring = row["comparison"], row["rings"][0]["comparison"]
    c = colchester("2023-10", "2024-03") - colchester("2023-04", "2023-09")
    expected = (zone["after"] - zone["before"]) - c + (ring["after"] - ring["before"]) - c
    assert row["displacement"]["wdd"] == pytest.approx(expected)
    assert row["displacement"]["low"] < row["displacement"]["wdd"] < row["displacement"]["high"]
