"""Boundary files: ONS-style GeoJSON in WGS84 or British National Grid, read into BNG outlines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crimeprev.model.errors import InputError
from crimeprev.sources.boundaries import read_boundaries
from crimeprev.spatial.units import to_bng


def collection(features: list[dict[str, object]], crs: str | None = None) -> str:
    document: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document)


def square(x: float, y: float, d: float) -> list[list[list[float]]]:
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def test_wgs84_features_are_projected_and_named_by_the_ons_field(tmp_path: Path) -> None:
    path = tmp_path / "lad.geojson"
    path.write_text(collection([
        {"type": "Feature", "properties": {"LAD23CD": "E07000066", "LAD23NM": "Basildon"},
         "geometry": {"type": "Polygon", "coordinates": square(0.40, 51.55, 0.05)}},
        {"type": "Feature", "properties": {"LAD23NM": "Thurrock"},
         "geometry": {"type": "MultiPolygon", "coordinates": [square(0.30, 51.47, 0.02), square(0.35, 51.47, 0.02)]}},
    ]))  # fmt: skip
    outlines = read_boundaries(path)
    assert list(outlines) == ["Basildon", "Thurrock", "Thurrock (2)"]
    east, north = to_bng([51.55], [0.40])
    assert outlines["Basildon"][0] == pytest.approx((east[0], north[0]))


def test_british_national_grid_files_are_read_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "lsoa.geojson"
    path.write_text(collection([
        {"type": "Feature", "properties": {"LSOA21NM": "Basildon 001A"},
         "geometry": {"type": "Polygon", "coordinates": square(570_000, 190_000, 500)}},
    ], crs="urn:ogc:def:crs:EPSG::27700"))  # fmt: skip
    assert read_boundaries(path)["Basildon 001A"][1] == (570_500.0, 190_000.0)
    assert list(read_boundaries(path, name_field="LSOA21NM")) == ["Basildon 001A"]


def test_bad_boundary_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text("{}")
    with pytest.raises(InputError, match="FeatureCollection"):
        read_boundaries(path)
    path.write_text(collection([{"type": "Feature", "properties": {"code": "x"},
                                 "geometry": {"type": "Polygon", "coordinates": square(0, 51, 1)}}]))  # fmt: skip
    with pytest.raises(InputError, match="feature 1 has no name: expected an ONS name field"):
        read_boundaries(path)
