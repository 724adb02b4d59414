"""Zone files: GeoJSON polygons and CSV lists load, reconcile, replace by id and quarantine bad zones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import DATA, cli_json, query

LISTS = DATA / "zones" / "lists.csv"


def square(lon: float, lat: float, d: float = 0.005) -> dict[str, Any]:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(zone_id: Any, geometry: Any, **properties: Any) -> dict[str, Any]:
    values = {"zone_id": zone_id, "name": f"Zone {zone_id}", "active_from": "2023-07-01", **properties}
    return {"type": "Feature", "properties": values, "geometry": geometry}


def write(path: Path, *features: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def test_csv_lists_load(cli: Callable[..., Any], store: Path) -> None:
    report = cli_json(cli("zones", "import", str(LISTS), "--json"))
    assert (report["read"], report["loaded"], report["quarantined"]) == (3, 3, 0)
    listed = cli_json(cli("zones", "list", "--json"))
    assert [(z["zone_id"], z["kind"], z["active_to"]) for z in listed] == [
        ("basildon-tc", "lsoa", None),
        ("seafront-hex", "h3", None),
        ("thurrock", "district", "2024-09-30"),
    ]
    assert listed[0]["members"] == ["E01021304", "E01021305"]
    assert listed[1]["area_km2"] > 0.1 and listed[0]["area_km2"] is None


def test_geojson_loads_and_bad_features_are_quarantined_with_reasons(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "zones.geojson",
        feature("good", square(0.45, 51.57)),
        feature("point", {"type": "Point", "coordinates": [0.45, 51.57]}),
        feature("", square(0.45, 51.57)),
        feature("late", square(0.45, 51.57), active_to="2023-01-01"),
        feature(
            "bng",
            {
                "type": "Polygon",
                "coordinates": [[[570000, 190000], [570500, 190000], [570500, 190500], [570000, 190000]]],
            },
        ),
        feature("undated", square(0.45, 51.57), active_from=None),
    )
    report = cli_json(cli("zones", "import", str(path), "--json"))
    assert (report["read"], report["loaded"], report["quarantined"]) == (6, 1, 5)
    reasons = {r["source_row"]: (r["field"], r["reason"]) for r in cli_json(cli("quarantine", "--json"))}
    assert reasons[2] == ("geometry", "a zone's geometry must be a GeoJSON Polygon or MultiPolygon, not Point")
    assert reasons[3] == ("zone_id", "blank: every zone needs an id")
    assert reasons[4] == ("active_to", "active_to is before active_from")
    assert "not longitude/latitude" in reasons[5][1]
    assert reasons[6] == ("active_from", "blank: active_from is required")
    assert query(store, "SELECT zone_id, kind FROM zones") == [("good", "polygon")]


def test_reimport_changes_nothing_and_a_new_definition_replaces_the_old(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / "zones.geojson", feature("a", square(0.45, 51.57)), feature("b", square(0.5, 51.6)))
    cli_json(cli("zones", "import", str(path), "--json"))
    again = cli_json(cli("zones", "import", str(path), "--json"))
    assert again["files"][0]["status"] == "unchanged"
    revised = write(tmp_path / "revised.geojson", feature("a", square(0.46, 51.57), active_to="2024-03-31"))
    report = cli_json(cli("zones", "import", str(revised), "--json"))
    assert report["files"][0]["replaced"] == {"zones": 1}
    rows = query(store, "SELECT zone_id, active_to FROM zones ORDER BY zone_id")
    assert [(r[0], str(r[1])) for r in rows] == [("a", "2024-03-31"), ("b", "None")]


def test_bad_csv_rows_and_files(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "zone_id,name,kind,members,active_from\n"
        "x,X,circle,E01021304,2023-07-01\n"
        "y,Y,h3,nonsense,2023-07-01\n"
        "z,Z,lsoa,,2023-07-01\n"
        "w,W,lsoa,E01021304,July 2023\n"
    )
    report = cli_json(cli("zones", "import", str(bad), "--json"))
    assert (report["loaded"], report["quarantined"]) == (0, 4)
    reasons = [(r["source_row"], r["field"], r["reason"]) for r in cli_json(cli("quarantine", "--json"))]
    assert reasons == [
        (2, "kind", "'circle' is not one of h3, lsoa, district"),
        (3, "members", "not H3 cells: nonsense"),
        (4, "members", "blank: list the zone's members separated by ;"),
        (5, "active_from", "active_from is not a date in the form YYYY-MM-DD: 'July 2023'"),
    ]
    not_zones = tmp_path / "other.csv"
    not_zones.write_text("a,b\n1,2\n")
    result = cli("zones", "import", str(not_zones))
    assert result.exit_code == 1 and "not a zones header" in result.stderr
    not_json = tmp_path / "broken.geojson"
    not_json.write_text("{")
    result = cli("zones", "import", str(not_json))
    assert result.exit_code == 1 and "not GeoJSON" in result.stderr
    assert query(store, "SELECT count(*) FROM zones") == [(0,)]
