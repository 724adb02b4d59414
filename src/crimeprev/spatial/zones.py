"""Operation zones: what they are, which records fall inside, how far a record is from one.

A zone is one of four kinds, as a force defines them:

* ``polygon``: a GeoJSON Polygon or MultiPolygon (WGS84 longitude/latitude, RFC 7946), drawn by
  an analyst or exported from a GIS;
* ``h3``: a list of H3 cells (any resolutions);
* ``lsoa``: a list of LSOA codes;
* ``district``: a list of district (Community Safety Partnership) names.

Polygons and H3 cells are geometry: a record is inside when its point is, and buffer rings around
them are measured in metres on the British National Grid. LSOA and district zones are lists: a
record is inside when its LSOA or district is listed, and they have no geometry to draw a ring
around (name the neighbouring LSOAs or districts as a zone of their own instead).

The store keeps a zone's definition as text (``geometry``): the GeoJSON geometry for a polygon,
a JSON list of members otherwise. :func:`parse_zone` checks it, so a bad definition is refused
with the reason when it is imported, never half-used later.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import h3  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import shapely  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

from crimeprev.spatial.units import SpatialUnit, cell_ids, to_bng

ZONE_KINDS: Final = ("polygon", "h3", "lsoa", "district")
GEOMETRY_KINDS: Final = frozenset({"polygon", "h3"})
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Zone:
    """One zone: its definition, active dates and (for polygons and H3 cells) its BNG geometry."""

    zone_id: str
    name: str
    kind: str
    members: tuple[str, ...]  # H3 cells, LSOA codes or districts; empty for a polygon
    active_from: date
    active_to: date | None  # None: still active
    shape: BaseGeometry | None  # in BNG metres; None for LSOA and district zones

    @property
    def area_m2(self) -> float | None:
        """The zone's area (None for list zones, whose boundaries the records do not give)."""
        return None if self.shape is None else float(self.shape.area)

    def active_in(self, first: date, last: date) -> bool:
        """Whether the zone was active on any day from ``first`` to ``last``."""
        return self.active_from <= last and (self.active_to is None or self.active_to >= first)


def _ring_to_bng(ring: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    lon = np.array([p[0] for p in ring], dtype=np.float64)
    lat = np.array([p[1] for p in ring], dtype=np.float64)
    east, north = to_bng(lat, lon)
    return list(zip(east.tolist(), north.tolist(), strict=True))


def polygon_to_bng(geometry: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon (lon/lat) as a valid shapely geometry in BNG metres.

    ``ValueError`` says what is wrong: another geometry type, coordinates that are not
    longitude/latitude in range, or a ring that does not enclose an area.
    """
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coordinates, list):
        raise ValueError(f"a zone's geometry must be a GeoJSON Polygon or MultiPolygon, not {kind or 'nothing'}")
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    parts = []
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            raise ValueError("a polygon needs at least its outer ring")
        for ring in rings:
            points = np.asarray(ring, dtype=np.float64) if isinstance(ring, list) else np.empty((0, 0))
            if points.ndim != 2 or points.shape[0] < 4 or points.shape[1] < 2:
                raise ValueError("each ring needs at least four [longitude, latitude] positions")
            if np.any(np.abs(points[:, 0]) > 180) or np.any(np.abs(points[:, 1]) > 90):
                raise ValueError(
                    "coordinates are not longitude/latitude (GeoJSON is WGS84 [longitude, latitude]); "
                    "re-export the file in EPSG:4326"
                )
        outer, *holes = (_ring_to_bng(r) for r in rings)
        parts.append(shapely.Polygon(outer, holes))
    shape = shapely.make_valid(shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0])
    if shape.is_empty or shape.area <= 0:
        raise ValueError("the polygon encloses no area")
    return shape


def _h3_shape(cells: Sequence[str]) -> BaseGeometry:
    polygons = []
    for cell in cells:
        boundary = h3.cell_to_boundary(cell)  # (lat, lon) pairs
        polygons.append(shapely.Polygon(_ring_to_bng([(lon, lat) for lat, lon in boundary])))
    return shapely.union_all(polygons)


def parse_zone(zone_id: str, name: str, kind: str, geometry: str, active_from: date, active_to: date | None) -> Zone:
    """A zone from its stored definition; ``ValueError`` names what is wrong."""
    if kind not in ZONE_KINDS:
        raise ValueError(f"unknown zone kind {kind!r}: use one of {', '.join(ZONE_KINDS)}")
    if active_to is not None and active_to < active_from:
        raise ValueError("active_to is before active_from")
    try:
        value = json.loads(geometry)
    except json.JSONDecodeError as e:
        raise ValueError(f"the zone definition is not JSON: {e.msg}") from None
    if kind == "polygon":
        return Zone(zone_id, name, kind, (), active_from, active_to, polygon_to_bng(value))
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"a {kind} zone needs a non-empty list of {kind} names")
    members = tuple(dict.fromkeys(v.strip() for v in value))
    if kind == "h3":
        bad = [c for c in members if not h3.is_valid_cell(c)]
        if bad:
            raise ValueError(f"not H3 cells: {', '.join(bad[:5])}")
        return Zone(zone_id, name, kind, members, active_from, active_to, _h3_shape(members))
    return Zone(zone_id, name, kind, members, active_from, active_to, None)


def zone_definition(kind: str, value: Any) -> str:
    """The stored text of a zone's definition (the inverse of what :func:`parse_zone` reads)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=kind == "polygon")


@dataclass(frozen=True)
class PlacedRecords:
    """Records' places in the form zone tests need: BNG points, LSOAs and districts."""

    east: FloatArray  # NaN without a point
    north: FloatArray
    lat: FloatArray
    lon: FloatArray
    lsoa: npt.NDArray[np.object_]
    district: npt.NDArray[np.object_]

    @classmethod
    def of(
        cls, lat: npt.ArrayLike, lon: npt.ArrayLike, lsoa: Sequence[str | None], district: Sequence[str | None]
    ) -> PlacedRecords:
        la = np.asarray(lat, dtype=np.float64)
        lo = np.asarray(lon, dtype=np.float64)
        east, north = to_bng(la, lo)
        return cls(east, north, la, lo, np.asarray(lsoa, dtype=object), np.asarray(district, dtype=object))

    def __len__(self) -> int:
        return len(self.east)

    @property
    def located(self) -> BoolArray:
        return np.isfinite(self.east) & np.isfinite(self.north)


def inside(zone: Zone, records: PlacedRecords) -> BoolArray:
    """Which records are inside ``zone`` (records without the needed place are not)."""
    if zone.kind == "lsoa":
        return np.isin(records.lsoa, list(zone.members))
    if zone.kind == "district":
        return np.isin(records.district, list(zone.members))
    # Only points in the zone's bounding box (50 m wider: a hexagon's planar outline is not exactly
    # its cell) can be inside; testing only those is what makes many zones over a million records cheap.
    located = _in_box(zone, records, 50.0)
    out = np.zeros(len(records), dtype=bool)
    if zone.kind == "h3":
        resolutions = {h3.get_resolution(c) for c in zone.members}
        for resolution in sorted(resolutions):
            cells = cell_ids(SpatialUnit("h3", resolution), records.lat[located], records.lon[located], [])
            out[located] |= np.isin(cells, list(zone.members))
        return out
    assert zone.shape is not None
    out[located] = shapely.contains_xy(zone.shape, records.east[located], records.north[located])
    return out


def _in_box(zone: Zone, records: PlacedRecords, margin: float) -> BoolArray:
    """Located records within ``margin`` metres of the zone's bounding box."""
    assert zone.shape is not None
    x0, y0, x1, y1 = zone.shape.bounds
    east, north = records.east, records.north
    box: BoolArray = (
        records.located
        & (east >= x0 - margin)
        & (east <= x1 + margin)
        & (north >= y0 - margin)
        & (north <= y1 + margin)
    )
    return box


def needs_point(zone: Zone) -> bool:
    """Whether a record needs a map point to be placed inside or outside the zone."""
    return zone.kind in GEOMETRY_KINDS


def distance_m(zone: Zone, records: PlacedRecords, *, within: float | None = None) -> FloatArray:
    """Each record's distance in metres from the zone's edge (0 inside, NaN without a point).

    With ``within``, only records inside the zone's bounding box grown by that much are measured
    (the rest, certainly further away, get infinity): rings need no more, and it is much faster.
    """
    if zone.shape is None:
        raise ValueError(
            f"zone {zone.zone_id} is a list of {zone.kind} names with no boundary, so it has no buffer; "
            "name the surrounding areas as a zone of their own"
        )
    out = np.full(len(records), np.nan)
    located = records.located
    if within is not None:
        box = _in_box(zone, records, within)
        out[located & ~box] = np.inf
        located = box
    shapely.prepare(zone.shape)
    out[located] = shapely.distance(zone.shape, shapely.points(records.east[located], records.north[located]))
    return out


def outline_rings(zone: Zone, buffer_m: float = 0.0) -> list[list[tuple[float, float]]]:
    """The exterior rings (BNG metres) of the zone, or of its buffer of ``buffer_m``, for maps."""
    if zone.shape is None:
        return []
    shape = zone.shape.buffer(buffer_m) if buffer_m else zone.shape
    polygons = list(shape.geoms) if hasattr(shape, "geoms") else [shape]
    return [[(float(x), float(y)) for x, y in polygon.exterior.coords] for polygon in polygons if not polygon.is_empty]
