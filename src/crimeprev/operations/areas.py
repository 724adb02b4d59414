"""The places an operation names: districts and zones, resolved, and its records' counts inside them.

An operation's area, control and buffer are lists of names. Each name is a district the store
holds records for or a zone in the store's ``zones`` table; anything else is an error that lists
both. Districts alone are counted in SQL (the indicator's own query restricted to them, see
:mod:`crimeprev.operations.evaluate`); once a zone is named, the indicator's records are fetched
with their places and counted here, per month and per day, inside the area. A buffer may also be
a distance: the ring of that many metres around the area's zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import ibis
import numpy as np
import numpy.typing as npt

from crimeprev.indicators.insights import RECORD_SOURCES
from crimeprev.indicators.query import distinct_values, window_filter
from crimeprev.indicators.records import indicator_parts, record_places
from crimeprev.model.errors import ConfigError
from crimeprev.model.strategy import Indicator, Strand, Strategy
from crimeprev.operations.zones import load_zones
from crimeprev.spatial.outlines import Outline, hull_outlines
from crimeprev.spatial.units import to_bng
from crimeprev.spatial.zones import PlacedRecords, Zone, distance_m, inside, outline_rings

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Area:
    """Named districts and zones (either may be empty)."""

    districts: tuple[str, ...]
    zones: tuple[Zone, ...]

    @property
    def empty(self) -> bool:
        return not self.districts and not self.zones


@dataclass(frozen=True)
class Places:
    """What an operation's names resolve to."""

    area: Area
    control: Area
    buffer: Area

    @property
    def has_zones(self) -> bool:
        return bool(self.area.zones or self.control.zones or self.buffer.zones)


def resolve_places(
    backend: ibis.BaseBackend, strategy: Strategy, area: Sequence[str], control: Sequence[str], buffer: Sequence[str]
) -> Places:
    """Resolve every name to a district or a zone; unknown names are an error naming the valid ones."""
    named = {*area, *control, *buffer}
    if not named:
        return Places(Area((), ()), Area((), ()), Area((), ()))
    districts: set[str] = set()
    for source in RECORD_SOURCES:
        districts |= distinct_values(backend, source, "district", strategy.force)
    zones = {z.zone_id: z for z in load_zones(backend)} if named - districts else {}
    unknown = sorted(named - districts - set(zones))
    if unknown:
        known = ", ".join(sorted(districts)) or "none (no records with a district)"
        zone_ids = ", ".join(sorted(zones)) or "none (import them with crimeprev zones import)"
        raise ConfigError(
            f"unknown area(s) {', '.join(unknown)}; the store's districts are: {known}; its zones: {zone_ids}"
        )

    def split(names: Sequence[str]) -> Area:
        return Area(tuple(n for n in names if n in districts), tuple(zones[n] for n in names if n not in districts))

    return Places(split(area), split(control), split(buffer))


@dataclass(frozen=True)
class AreaCounts:
    """An indicator's records between two months with their places, ready to count inside areas."""

    records: PlacedRecords
    in_force: BoolArray
    month: npt.NDArray[np.datetime64]
    day: npt.NDArray[np.datetime64]

    def inside(self, area: Area) -> BoolArray:
        """Records inside any of the area's zones or districts (an empty area: the whole force)."""
        if area.empty:
            return self.in_force.copy()
        mask = np.isin(self.records.district, list(area.districts))
        for zone in area.zones:
            mask |= inside(zone, self.records)
        return mask & self.in_force

    def ring(self, area: Area, metres: float) -> BoolArray:
        """Records within ``metres`` of the area's zones' edges but outside the area."""
        near = np.zeros(len(self.records), dtype=bool)
        for zone in area.zones:
            near |= np.nan_to_num(distance_m(zone, self.records, within=metres), nan=np.inf) <= metres
        return near & ~self.inside(area) & self.in_force

    def monthly(self, mask: BoolArray) -> dict[date, float]:
        months, counts = np.unique(self.month[mask], return_counts=True)
        return {m.astype(object): float(n) for m, n in zip(months, counts, strict=True)}

    def daily(self, mask: BoolArray) -> dict[date, float]:
        known = mask & ~np.isnat(self.day)
        days, counts = np.unique(self.day[known], return_counts=True)
        return {d.astype(object): float(n) for d, n in zip(days, counts, strict=True)}


def area_counts(
    backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, first: date, last: date
) -> AreaCounts:
    """Fetch the indicator's records with their places; only counts of records can be placed in zones."""
    parts = indicator_parts(strand, indicator)
    if any(p.source not in RECORD_SOURCES or p.measure.kind != "count" for p in parts):
        raise ConfigError(
            f"indicator {indicator.id} is not a count of records, so it cannot be counted inside zones; "
            "name districts instead, or choose a count indicator"
        )
    places = record_places(backend, strategy, strand, indicator, first, last)
    records = PlacedRecords.of(places.lat, places.lon, places.lsoa_code, places.district)
    in_force = np.asarray(places.location_status, dtype=object) != "outside_force"
    return AreaCounts(records, in_force, places.month, places.day)


def district_outlines(backend: ibis.BaseBackend, strategy: Strategy, first: date, last: date) -> dict[str, Outline]:
    """Each district's outline from its located offences between two months (for maps)."""
    t = window_filter(backend.table("offences"), strategy.force, first, last)
    rows = backend.to_pyarrow(t.filter(t.location_status == "ok").select("lat", "lon", "district"))
    east, north = to_bng(rows["lat"].to_numpy(zero_copy_only=False), rows["lon"].to_numpy(zero_copy_only=False))
    return hull_outlines(east, north, rows["district"].to_pylist())


def area_rings(area: Area, outlines: dict[str, Outline]) -> list[tuple[str, list[Outline]]]:
    """The outlines of an area's districts and zones, by name, for a map."""
    shapes = [(d, [outlines[d]]) for d in area.districts if d in outlines]
    return shapes + [(z.name, outline_rings(z)) for z in area.zones if z.shape is not None]
