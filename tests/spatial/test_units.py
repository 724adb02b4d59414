"""Spatial units: BNG squares, H3 hexagons and LSOAs, their cells and neighbours."""

from __future__ import annotations

import h3
import numpy as np
import pytest

from crimeprev.spatial.units import SpatialUnit, build_cells, cell_ids, to_bng

# Southend-on-Sea pier head and a point 300 m east (about 0.0043 degrees of longitude).
LAT, LON = 51.5352, 0.7150


def test_units_parse_and_refuse() -> None:
    assert SpatialUnit.parse("grid:250") == SpatialUnit("grid", 250)
    assert SpatialUnit.parse("H3:9") == SpatialUnit("h3", 9)
    assert str(SpatialUnit.parse("lsoa")) == "lsoa"
    for bad in ("grid", "grid:5", "h3:16", "hex:9", "lsoa:3"):
        with pytest.raises(ValueError, match="grid:METRES"):
            SpatialUnit.parse(bad)


def test_bng_is_the_national_grid() -> None:
    from pyproj import Transformer

    # The projection: Ordnance Survey's worked example (A guide to coordinate systems in Great
    # Britain, annex C) in OSGB36 coordinates, 52°39'27.2531"N 1°43'4.5177"E = E 651409.903,
    # N 313177.270, through the same EPSG:27700 definition.
    lat, lon = 52 + 39 / 60 + 27.2531 / 3600, 1 + 43 / 60 + 4.5177 / 3600
    east, north = Transformer.from_crs("EPSG:4277", "EPSG:27700", always_xy=True).transform(lon, lat)
    assert east == pytest.approx(651409.903, abs=0.01) and north == pytest.approx(313177.270, abs=0.01)
    # WGS84 points (as data.police.uk publishes them) go through the datum shift to OSGB36: the
    # same numbers read as WGS84 lie about 130 m from the OSGB36 point.
    e84, n84 = to_bng(np.array([lat]), np.array([lon]))
    assert 100 < np.hypot(e84[0] - east, n84[0] - north) < 160
    # Southend-on-Sea is in the Essex range of the grid.
    e, n = to_bng(np.array([LAT]), np.array([LON]))
    assert 585_000 < e[0] < 590_000 and 183_000 < n[0] < 187_000


def test_grid_cells_neighbours_and_centres() -> None:
    unit = SpatialUnit("grid", 250)
    lat = np.array([LAT, LAT, LAT + 0.0025, LAT + 0.02])
    lon = np.array([LON, LON + 0.0043, LON, LON])
    ids = cell_ids(unit, lat, lon, [""] * 4)
    east, north = to_bng(lat, lon)
    assert ids[0] == f"{int(east[0] // 250 * 250)}:{int(north[0] // 250 * 250)}"
    cells = build_cells(unit, ids, lat, lon)
    assert len(cells) == 4
    first = cells.index([ids[0]])[0]
    far = cells.index([ids[3]])[0]
    neighbours = set(cells.neighbours[first].indices)
    assert neighbours == set(cells.index([ids[1], ids[2]])) and far not in neighbours
    # A cell's centre lies within half a diagonal of every point in it.
    c_east, c_north = to_bng(cells.lat[first : first + 1], cells.lon[first : first + 1])
    assert np.hypot(c_east[0] - east[0], c_north[0] - north[0]) <= 250 / np.sqrt(2) + 1


def test_h3_and_lsoa_cells() -> None:
    h3_unit = SpatialUnit("h3", 9)
    lat = np.array([LAT, LAT + 0.0015, LAT + 0.05])
    lon = np.array([LON, LON, LON])
    ids = cell_ids(h3_unit, lat, lon, [""] * 3)
    assert ids[0] == h3.latlng_to_cell(LAT, LON, 9)
    cells = build_cells(h3_unit, ids, lat, lon)
    i, j = cells.index([ids[0], ids[1]])
    assert ids[0] == ids[1] or j in cells.neighbours[i].indices
    lsoa = SpatialUnit("lsoa")
    codes = [f"E0100000{k}" for k in range(8)]
    pts = np.arange(8, dtype=float)
    cells = build_cells(lsoa, cell_ids(lsoa, pts, pts, codes), 51 + pts / 100, pts / 100)
    assert len(cells) == 8 and all(len(cells.neighbours[k].indices) >= 6 for k in range(8))
