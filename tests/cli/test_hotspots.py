"""``crimeprev hotspots`` on the demo store finds the hotspots planted in it (ground-truth.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from tests.conftest import cli_json

# Planted hotspot -> (indicator whose records it concentrates, a window in which it is strong).
PLANTED = {
    "southend_seafront": ("nte_offences", "2023-04..2024-03"),
    "colchester_centre": ("nte_offences", "2021-04..2022-03"),  # fading: strong in the first year
    "springfield_burglary": ("residential_burglary_offences", "2023-10..2024-03"),  # emerging
    "the_stow": ("asb_incidents", "2023-04..2024-03"),
    "lakeside": ("personal_robbery_offences", "2023-04..2024-03"),
}


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return math.hypot((lat2 - lat1) * 111_320, (lon2 - lon1) * 111_320 * math.cos(math.radians(lat1)))


def hotspots(store: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", str(store), "hotspots", *args])


def test_the_planted_hotspots_are_found(demo_store: Path) -> None:
    truth = {
        h["key"]: h
        for h in json.loads((demo_store.parent / "data" / "ground-truth.json").read_text(encoding="utf-8"))["hotspots"]
    }
    found = 0
    for key, (indicator, window) in PLANTED.items():
        result = cli_json(hotspots(demo_store, "--indicator", indicator, "--window", window, "--json"))
        assert result["fdr"] == 0.05 and result["unit"] == "grid:250"
        # Every record is accounted for: placed on the map, without a location or outside the force.
        assert result["records"] == result["placed"] + result["no_location"] + result["outside_force"]
        spot = truth[key]
        hot = [c for c in result["cell_list"] if c["category"] == "hot"]
        assert all(c["adjusted_p"] <= 0.05 for c in hot)
        near = [c for c in hot if metres(spot["lat"], spot["lon"], c["lat"], c["lon"]) <= spot["radius_m"] + 250]
        found += bool(near)
    assert found / len(PLANTED) >= 0.9


@pytest.mark.parametrize("unit", ["h3:9", "lsoa"])
def test_other_units(demo_store: Path, unit: str) -> None:
    result = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2023-04..2024-03", "--unit", unit)
    assert result.exit_code == 0, result.output
    assert "hot cells" in result.stdout and "placed on" in result.stdout and "outside the force" in result.stdout


def test_bad_requests_are_clear_errors(demo_store: Path) -> None:
    unit = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2024-01..2024-03", "--unit", "hex:9")
    assert unit.exit_code == 1 and "grid:METRES" in unit.stderr
    measures = hotspots(demo_store, "--indicator", "soc_arrests", "--window", "2024-01..2024-03")
    assert measures.exit_code == 1 and "not counted from records" in measures.stderr
    backwards = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2024-03..2024-01")
    assert backwards.exit_code == 1 and "before the start" in backwards.stderr


def test_emerging_hotspots_show_the_planted_trends(demo_store: Path) -> None:
    planted = json.loads((demo_store.parent / "data" / "ground-truth.json").read_text(encoding="utf-8"))
    truth = {h["key"]: h for h in planted["hotspots"]}

    def classes(indicator: str, window: str, periods: int, key: str) -> set[str]:
        result = cli_json(hotspots(demo_store, "--indicator", indicator, "--window", window, "--periods",
                                   str(periods), "--json"))  # fmt: skip
        assert sum(result["emerging"].values()) == result["cells"]
        lat, lon, radius = truth[key]["lat"], truth[key]["lon"], truth[key]["radius_m"]
        inside = [c for c in result["cell_list"] if metres(lat, lon, c["lat"], c["lon"]) <= radius]
        return {c["emerging"] for c in inside} - {"not a hotspot"}

    assert "persistent" in classes("nte_offences", "2021-04..2024-03", 6, "southend_seafront")
    assert "diminishing" in classes("nte_offences", "2021-04..2024-03", 6, "colchester_centre")
    assert classes("residential_burglary_offences", "2022-04..2024-03", 8, "springfield_burglary") & {
        "new",
        "intensifying",
    }
    # The planted noise-only change (business burglary: the same expected count in both years) makes
    # no new or intensifying hotspot anywhere.
    noise = planted["noise_change"]
    result = cli_json(hotspots(demo_store, "--indicator", noise["indicator"], "--window", "2022-04..2024-03",
                               "--periods", "4", "--json"))  # fmt: skip
    assert result["emerging"]["new"] == 0 and result["emerging"]["intensifying"] == 0
    bad = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2023-01..2023-10", "--periods", "3")
    assert bad.exit_code == 1 and "divide the window's 10 months" in bad.stderr


def test_the_map_is_drawn_offline(demo_store: Path, tmp_path: Path) -> None:
    from xml.etree import ElementTree

    from PIL import Image

    png, svg = tmp_path / "nte.png", tmp_path / "nte.svg"
    for out in (png, svg):
        result = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2023-04..2024-03", "--map", str(out))
        assert result.exit_code == 0, result.output
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width >= 1000
        pixels = list(image.convert("RGB").get_flattened_data())
        hot = sum(1 for r, g, b in pixels if r > 150 and g < 60 and b < 70)  # the hot cells' red
        grey = sum(1 for r, g, b in pixels if 90 < r < 120 and abs(r - g) < 6 and abs(r - b) < 6)  # outlines
    assert hot > 50 and grey > 500
    root = ElementTree.fromstring(svg.read_text(encoding="utf-8"))
    text = "".join(root.itertext())
    assert "Night-time economy offences: hotspots" in text and "hot" in text
    bad = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2024-01", "--map", str(tmp_path / "x.pdf"))
    assert bad.exit_code == 1 and "write .svg, .png or .html" in bad.stderr


def test_hotspots_of_real_police_uk_files(tmp_path: Path) -> None:
    """Excerpts of real Essex files: every record accounted for, and the map drawn.

    (On the twelve full months, 2018-10..2019-02, the strongest violence cells are the Colchester
    and Southend-on-Sea town centres: see docs/places.md.)
    """
    from tests.conftest import POLICE_UK

    store = tmp_path / "real.duckdb"
    ingested = CliRunner().invoke(app, ["--store", str(store), "ingest", "police-uk", str(POLICE_UK)])
    assert ingested.exit_code == 0, ingested.output
    strategy = str(Path(__file__).parents[2] / "src" / "crimeprev" / "strategies" / "police-uk-example.yaml")
    image = tmp_path / "violence.svg"
    args = ["--window", "2018-01..2019-01", "--strategy", strategy, "--unit", "grid:500", "--map", str(image)]
    result = cli_json(hotspots(store, "--indicator", "violence_offences", *args, "--json"))
    assert result["records"] == result["placed"] + result["no_location"] + result["outside_force"] > 0
    assert any(c["category"] == "hot" for c in result["cell_list"])
    assert image.read_text(encoding="utf-8").startswith("<svg")


def test_kernel_density_peaks_where_the_records_are(demo_store: Path) -> None:
    planted = json.loads((demo_store.parent / "data" / "ground-truth.json").read_text(encoding="utf-8"))
    seafront = next(h for h in planted["hotspots"] if h["key"] == "southend_seafront")
    result = cli_json(hotspots(demo_store, "--indicator", "nte_offences", "--window", "2023-04..2024-03",
                               "--kde", "400", "--json"))  # fmt: skip
    assert result["kde_radius_m"] == 400
    densest = max(result["cell_list"], key=lambda c: c["density_per_km2"])
    assert metres(seafront["lat"], seafront["lon"], densest["lat"], densest["lon"]) <= seafront["radius_m"] + 250
    assert all(c["density_per_km2"] >= 0 for c in result["cell_list"])
    bad = hotspots(demo_store, "--indicator", "nte_offences", "--window", "2024-01", "--kde", "5")
    assert bad.exit_code == 1 and "radius in metres" in bad.stderr


def test_harm_weighted_hotspots_sum_each_cells_days(demo_store: Path, tmp_path: Path) -> None:
    args = ("--indicator", "personal_robbery_offences", "--window", "2023-04..2024-03", "--json")
    counted = cli_json(hotspots(demo_store, *args))
    weighed = cli_json(hotspots(demo_store, *args, "--harm"))
    assert weighed["measure"] == "harm (days, crimeprev-cchi-method 2026.1)" and weighed["unweighted"] == {}
    by_cell = {c["cell"]: c["value"] for c in counted["cell_list"]}
    # every personal robbery (34B) weighs 365 days, so each cell's harm is 365 times its count
    assert all(c["value"] == 365 * by_cell[c["cell"]] for c in weighed["cell_list"])
    assert all(c["records"] == by_cell[c["cell"]] for c in weighed["cell_list"])  # count and harm side by side
    own = tmp_path / "own.csv"
    own.write_text("code,days\n34B,100\n")
    mine = cli_json(hotspots(demo_store, *args, "--harm-table", str(own)))
    assert mine["measure"] == "harm (days, own)"
    assert all(c["value"] == 100 * by_cell[c["cell"]] for c in mine["cell_list"])
    violence = cli_json(hotspots(demo_store, "--indicator", "nte_offences", "--window", "2023-04..2024-03",
                                 "--harm", "--json"))  # fmt: skip
    assert violence["unweighted"] and sum(violence["unweighted"].values()) <= violence["records"]
