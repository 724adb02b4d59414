"""Zone shapes: membership by point, H3 cell, LSOA and district; distances; bad definitions refused."""

from __future__ import annotations

import json
from datetime import date

import h3
import numpy as np
import pytest

from crimeprev.spatial.accuracy import listed_area_m2, populated_area_m2, predictive_accuracy, propose_cells
from crimeprev.spatial.units import from_bng, to_bng
from crimeprev.spatial.zones import PlacedRecords, distance_m, inside, parse_zone, zone_definition

START = date(2023, 7, 1)


def square(east: float, north: float, side: float) -> dict[str, object]:
    """A GeoJSON square with its south-west corner at a BNG point."""
    lat, lon = from_bng([east, east + side, east + side, east, east], [north, north, north + side, north + side, north])
    return {"type": "Polygon", "coordinates": [[[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]]}


def records_at(east: list[float], north: list[float], lsoa: list[str] | None = None) -> PlacedRecords:
    lat, lon = from_bng(east, north)
    n = len(east)
    return PlacedRecords.of(lat, lon, lsoa or ["E01000001"] * n, ["Basildon"] * n)


def test_polygon_membership_and_distance_in_metres() -> None:
    zone = parse_zone("z", "Z", "polygon", zone_definition("polygon", square(570_000, 190_000, 500)), START, None)
    assert zone.area_m2 == pytest.approx(250_000, rel=1e-3)
    points = records_at([570_250, 570_600, 569_700, 570_250], [190_250, 190_250, 190_250, 190_900])
    assert inside(zone, points).tolist() == [True, False, False, False]
    assert distance_m(zone, points) == pytest.approx([0, 100, 300, 400], abs=0.5)


def test_records_without_a_point_are_not_inside_a_polygon() -> None:
    zone = parse_zone("z", "Z", "polygon", zone_definition("polygon", square(570_000, 190_000, 500)), START, None)
    records = PlacedRecords.of([np.nan], [np.nan], ["E01000001"], ["Basildon"])
    assert inside(zone, records).tolist() == [False]
    assert np.isnan(distance_m(zone, records)[0])


def test_h3_lsoa_and_district_membership() -> None:
    lat, lon = 51.5700, 0.4570
    cell = h3.latlng_to_cell(lat, lon, 9)
    hex_zone = parse_zone("h", "H", "h3", json.dumps([cell]), START, None)
    near = PlacedRecords.of([lat, lat + 0.01], [lon, lon], ["E01021304", "E01021305"], ["Basildon", "Thurrock"])
    assert inside(hex_zone, near).tolist() == [True, False]
    assert hex_zone.area_m2 == pytest.approx(h3.cell_area(cell, "m^2"), rel=0.01)
    lsoa_zone = parse_zone("l", "L", "lsoa", json.dumps(["E01021305"]), START, None)
    assert inside(lsoa_zone, near).tolist() == [False, True]
    district_zone = parse_zone("d", "D", "district", json.dumps(["Thurrock"]), START, None)
    assert inside(district_zone, near).tolist() == [False, True]
    with pytest.raises(ValueError, match="no buffer"):
        distance_m(district_zone, near)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("polygon", {"type": "Point", "coordinates": [0.4, 51.5]}, "Polygon or MultiPolygon, not Point"),
        (
            "polygon",
            {
                "type": "Polygon",
                "coordinates": [[[570000, 190000], [570500, 190000], [570500, 190500], [570000, 190000]]],
            },
            "not longitude/latitude",
        ),
        ("polygon", {"type": "Polygon", "coordinates": [[[0.4, 51.5], [0.41, 51.5], [0.4, 51.5]]]}, "four"),
        ("h3", ["not-a-cell"], "not H3 cells: not-a-cell"),
        ("lsoa", [], "non-empty list"),
        ("circle", [], "unknown zone kind"),
    ],
)
def test_bad_definitions_are_refused_with_the_reason(kind: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_zone("z", "Z", kind, zone_definition(kind, value), START, None)


def test_dates_must_run_forward() -> None:
    with pytest.raises(ValueError, match="active_to is before active_from"):
        parse_zone("z", "Z", "lsoa", '["E01021305"]', START, date(2023, 6, 30))


def test_pai_parts_by_hand() -> None:
    a = predictive_accuracy(hits=30, total=200, zone_area_m2=2e6, study_area_m2=100e6)
    assert (a.hit_rate, a.area_share, a.pai) == pytest.approx((0.15, 0.02, 7.5))
    with pytest.raises(ValueError):
        predictive_accuracy(hits=300, total=200, zone_area_m2=2e6, study_area_m2=100e6)


def test_study_and_listed_areas_count_populated_cells() -> None:
    east = np.array([10.0, 20.0, 260.0, 270.0, 280.0, 600.0])
    north = np.array([10.0, 20.0, 10.0, 10.0, 10.0, 600.0])
    assert populated_area_m2(east, north) == 3 * 250 * 250
    inside_mask = np.array([True, True, True, False, False, False])  # cell 1 all in, cell 2 one of three
    assert listed_area_m2(east, north, inside_mask) == 250 * 250


def test_proposed_cells_are_the_heaviest_squares_within_the_budget() -> None:
    east = np.array([50.0, 60.0, 70.0, 150.0, 250.0, 250.0])
    north = np.array([50.0, 50.0, 50.0, 50.0, 50.0, 60.0])
    cells = propose_cells(east, north, np.ones(6), n=2, budget_m2=2 * 100 * 100)
    assert [(c.east, c.north, c.side_m, c.weight) for c in cells] == [(0, 0, 100, 3), (200, 0, 100, 2)]
    with pytest.raises(ValueError, match="only 3 cell"):
        propose_cells(east, north, np.ones(6), n=4, budget_m2=4 * 100 * 100)


def test_bng_round_trip() -> None:
    lat, lon = from_bng([570_000.0], [190_000.0])
    east, north = to_bng(lat, lon)
    assert (east[0], north[0]) == pytest.approx((570_000, 190_000), abs=1e-3)
