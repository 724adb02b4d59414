"""Zones against the force: an indicator inside each zone, in buffer rings and in the rest of the force.

For each zone the months *after* it started are compared with as many months *before*, inside the
zone against the rest of the force (:mod:`crimeprev.stats.difference_in_differences`): one rate
ratio with its interval, not two bare percentages. The rest of the force is every record outside
all the zones of the evaluation and their buffer rings, so that neither a zone's own effect nor
crime displaced next to it colours the comparison. Buffer rings (e.g. 0-250 m and 250-500 m from
the zone's edge) are compared with the rest of the force in the same way: a ratio above 1 around a
zone that fell is displacement, below 1 a diffusion of benefits.

Records are counted, or weighted by harm when a harm table is given. Records outside the force
area are left out; records without a map point cannot be placed in or out of a polygon or H3 zone
and are left out of that zone's comparison; both are counted and reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import ibis
import numpy as np
import numpy.typing as npt
import shapely  # type: ignore[import-untyped]

from crimeprev.indicators.harm import HarmTable, record_weights
from crimeprev.indicators.records import RecordPlaces, record_places
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import add_months, month_label
from crimeprev.model.strategy import Indicator, Strand, Strategy
from crimeprev.spatial.accuracy import (
    PredictiveAccuracy,
    listed_area_m2,
    placebo_log_ratios,
    populated_area_m2,
    predictive_accuracy,
)
from crimeprev.spatial.outlines import Outline, hull_outlines
from crimeprev.spatial.zones import PlacedRecords, Zone, distance_m, inside, needs_point, parse_zone
from crimeprev.stats.difference_in_differences import RateRatio, compare_inside_outside, with_placebos
from crimeprev.stats.displacement import DisplacementTest, weighted_displacement_difference

if TYPE_CHECKING:
    from crimeprev.operations.areas import Area

DEFAULT_MONTHS = 12
"""Months after a zone started that are compared with as many before, unless a window is given."""

Window = tuple[date, date]


def load_zones(backend: ibis.BaseBackend) -> list[Zone]:
    """Every zone in the store, by id."""
    t = backend.table("zones").select("zone_id", "name", "kind", "geometry", "active_from", "active_to")
    rows = backend.to_pyarrow(t.order_by("zone_id")).to_pylist()
    return [
        parse_zone(r["zone_id"], r["name"], r["kind"], r["geometry"], r["active_from"], r["active_to"]) for r in rows
    ]


def choose_zones(zones: Sequence[Zone], wanted: Sequence[str]) -> list[Zone]:
    """The zones named by id (all of them when none are named); unknown ids are an error naming the known."""
    if not zones:
        raise ConfigError("the store holds no zones: import them first with crimeprev zones import FILE")
    if not wanted:
        return list(zones)
    by_id = {z.zone_id: z for z in zones}
    unknown = [w for w in wanted if w not in by_id]
    if unknown:
        raise ConfigError(f"unknown zone(s) {', '.join(unknown)}; the store's zones are: {', '.join(sorted(by_id))}")
    return [by_id[w] for w in wanted]


@dataclass(frozen=True, slots=True)
class RingResult:
    """A buffer ring around a zone against the rest of the force."""

    inner_m: float
    outer_m: float
    comparison: RateRatio | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ZoneResult:
    """One zone (or all of them together, ``zone`` None) against the rest of the force."""

    label: str
    zone: Zone | None
    before: Window
    after: Window
    comparison: RateRatio | None
    note: str | None
    rings: tuple[RingResult, ...]
    unplaced: int  # records with no map point, left out of this comparison
    displacement: DisplacementTest | None = None  # WDD against a named control area, the first ring as buffer


@dataclass(frozen=True, slots=True)
class ZoneEvaluation:
    """An indicator inside zones against the force, and the zones' predictive accuracy."""

    indicator: Indicator
    harm: HarmTable | None  # weighed by this table's days, not counted
    unweighted: dict[str, int]  # records the harm table could not weigh, per offence code ('' incidents)
    results: tuple[ZoneResult, ...]
    accuracy: PredictiveAccuracy | None  # of the zone set, over the after window
    accuracy_window: Window | None
    outside_force: int
    outlines: dict[str, Outline]  # district outlines from the records' own points, for maps


def default_windows(zone: Zone, last_month: date, months: int = DEFAULT_MONTHS) -> tuple[Window, Window]:
    """Up to ``months`` months from the zone's start (to its end or the data's), and as many before."""
    start = zone.active_from.replace(day=1)
    end = add_months(start, months - 1)
    if zone.active_to is not None:
        end = min(end, zone.active_to.replace(day=1))
    end = min(end, last_month)
    if end < start:
        raise ConfigError(
            f"zone {zone.zone_id} starts {month_label(start)}, after the data end ({month_label(last_month)})"
        )
    n = (end.year - start.year) * 12 + end.month - start.month + 1
    return (add_months(start, -n), add_months(start, -1)), (start, end)


def _month_index(months: npt.NDArray[np.datetime64], origin: date) -> npt.NDArray[np.int64]:
    first = np.datetime64(origin.replace(day=1), "M")
    return (months.astype("datetime64[M]") - first).astype(np.int64)


def _monthly(index: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64],
             window: Window, origin: date) -> list[float]:  # fmt: skip
    lo = (window[0].year - origin.year) * 12 + window[0].month - origin.month
    hi = (window[1].year - origin.year) * 12 + window[1].month - origin.month
    chosen = mask & (index >= lo) & (index <= hi)
    counts = np.bincount(index[chosen] - lo, weights=weights[chosen], minlength=hi - lo + 1)
    return [float(c) for c in counts]


def _window_weights(index: npt.NDArray[np.int64], weights: npt.NDArray[np.float64], window: Window,
                    origin: date) -> npt.NDArray[np.float64]:  # fmt: skip
    lo = (window[0].year - origin.year) * 12 + window[0].month - origin.month
    hi = (window[1].year - origin.year) * 12 + window[1].month - origin.month
    return np.where((index >= lo) & (index <= hi), weights, 0.0)


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every comparison of one evaluation shares: records' months, weights, points and the rest."""

    index: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    records: PlacedRecords
    rest: npt.NDArray[np.bool_]
    origin: date
    _placebos: dict[tuple[int, Window, Window], list[tuple[Any, Any]]] = field(default_factory=dict)
    _rest: dict[Window, list[float]] = field(default_factory=dict)

    def monthly(self, mask: npt.NDArray[np.bool_], window: Window) -> list[float]:
        return _monthly(self.index, mask, self.weights, window, self.origin)

    def rest_monthly(self, window: Window) -> list[float]:
        """The rest of the force's monthly figures in ``window`` (the same for every zone: computed once)."""
        if window not in self._rest:
            self._rest[window] = _monthly(self.index, self.rest, self.weights, window, self.origin)
        return self._rest[window]

    def placebos(self, area_m2: float, before: Window, after: Window) -> list[tuple[Any, Any]]:
        """Placebo log ratios and count variances for squares of about ``area_m2``, on four grids.

        The grids are shifted by half a square across, up and both, so that where one grid's lines
        fall does not decide the drift. The square's side is rounded to 10 m, so zones of about the
        same size share their placebos (twenty zones of 600 m cost one set, not twenty).
        """
        side = max(10, round(float(np.sqrt(area_m2)) / 10) * 10)
        key = (side, before, after)
        if key not in self._placebos:
            pool = self.rest & self.records.located
            index, weights = self.index[pool], self.weights[pool]
            east, north = self.records.east[pool], self.records.north[pool]
            b_w = _window_weights(index, weights, before, self.origin)
            a_w = _window_weights(index, weights, after, self.origin)
            half = side / 2
            self._placebos[key] = [
                placebo_log_ratios(east, north, b_w, a_w, area_m2=float(side * side), shift=shift)
                for shift in ((0.0, 0.0), (half, 0.0), (0.0, half), (half, half))
            ]
        return self._placebos[key]

    def compare(self, treated: npt.NDArray[np.bool_], area_m2: float | None, before: Window,
                after: Window) -> tuple[RateRatio | None, str | None]:  # fmt: skip
        """``treated`` against the rest, the interval widened to placebo squares of the same area."""
        index, weights, origin = self.index, self.weights, self.origin
        try:
            result = compare_inside_outside(
                _monthly(index, treated, weights, before, origin),
                _monthly(index, treated, weights, after, origin),
                self.rest_monthly(before),
                self.rest_monthly(after),
            )
        except ValueError as e:
            return None, str(e)
        if not area_m2:
            return result, "no placebo areas (the zone has no area): the interval is the model's alone"
        grids = self.placebos(area_m2, before, after)
        widened = with_placebos(result, grids)
        if widened.placebos == 0:
            found = min(len(r) for r, _ in grids)
            return widened, f"only {found} placebo areas of this size: the interval leaves out local drift"
        return widened, None


def evaluate_zones(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    strand: Strand,
    indicator: Indicator,
    zones: Sequence[Zone],
    *,
    before: Window | None = None,
    after: Window | None = None,
    buffers_m: Sequence[float] = (),
    harm: HarmTable | None = None,
    up_to: date | None = None,
    control: Sequence[str] = (),
) -> ZoneEvaluation:
    """``indicator`` inside each of ``zones`` (and all of them together) against the rest of the force.

    ``before``/``after`` apply to every zone; without them each zone gets its own
    (:func:`default_windows`) and the zones together use the earliest zone's. With ``harm`` each
    offence weighs its days; records it cannot weigh (unweighted codes, incidents) weigh 0 and are
    counted in ``unweighted``. ``up_to`` is the last month to use (a report's month). ``control``
    names districts or zones to compare each zone with in the weighted displacement difference test.
    """
    if (before is None) != (after is None):
        raise ConfigError("give both the before and the after window, or neither")
    edges = sorted({0.0, *(float(b) for b in buffers_m)})
    if any(b <= 0 for b in buffers_m):
        raise ConfigError("buffer distances are metres from the zone's edge, greater than 0")
    if len(edges) > 1 and any(not needs_point(z) for z in zones):
        listed = ", ".join(z.zone_id for z in zones if not needs_point(z))
        raise ConfigError(f"zone(s) {listed} are lists of LSOAs or districts with no boundary: no buffer rings")
    span_first = before[0] if before else min(z.active_from.replace(day=1) for z in zones)
    span_first = add_months(span_first, -DEFAULT_MONTHS) if before is None else span_first
    span_last = after[1] if after else add_months(max(z.active_from.replace(day=1) for z in zones), DEFAULT_MONTHS)
    if up_to is not None:
        span_last = min(span_last, up_to)
    places = record_places(backend, strategy, strand, indicator, span_first, span_last)
    if not np.any(np.asarray(places.location_status, dtype=object) != "outside_force"):
        raise ConfigError(f"{indicator.id} has no records from {month_label(span_first)} to {month_label(span_last)}")
    control_area = None
    if control:
        from crimeprev.operations.areas import resolve_places  # areas reads zones: imported here, not above

        control_area = resolve_places(backend, strategy, (), control, ()).control
    return evaluate_zone_records(indicator, places, zones, span_first, before=before, after=after, edges=edges,
                                 harm=harm, control=control_area)  # fmt: skip


def evaluate_zone_records(
    indicator: Indicator,
    places: RecordPlaces,
    zones: Sequence[Zone],
    span_first: date,
    *,
    before: Window | None,
    after: Window | None,
    edges: Sequence[float],
    harm: HarmTable | None,
    control: Area | None = None,
) -> ZoneEvaluation:
    """The pure part of :func:`evaluate_zones`: the records' places in, the comparisons out.

    ``span_first`` is the first month of the records; ``edges`` the buffer ring edges (0 first).
    """
    status = np.asarray(places.location_status, dtype=object)
    in_force = status != "outside_force"
    records = PlacedRecords.of(places.lat, places.lon, places.lsoa_code, places.district)
    weights = record_weights(places, harm)
    index = _month_index(places.month, span_first)
    last_month = add_months(span_first, int(index[in_force].max()))
    masks = [inside(z, records) for z in zones]
    near = np.zeros(len(records), dtype=bool)
    distances: list[npt.NDArray[np.float64] | None] = []
    for zone, mask in zip(zones, masks, strict=True):
        d = distance_m(zone, records, within=edges[-1]) if len(edges) > 1 else None
        distances.append(d)
        near |= mask
        if d is not None:
            near |= np.nan_to_num(d, nan=np.inf) <= edges[-1]
    any_point_zone = any(needs_point(z) for z in zones)
    usable = in_force & (records.located if any_point_zone else np.ones(len(records), dtype=bool))
    frame = _Frame(index, weights, records, usable & ~near, span_first)
    in_any_zone = np.any(masks, axis=0)
    located = records.located & usable
    results: list[ZoneResult] = []
    for zone, mask, d in zip(zones, masks, distances, strict=True):
        zb, za = (before, after) if before and after else default_windows(zone, last_month)
        area = zone.area_m2 or listed_area_m2(records.east[located], records.north[located], mask[located])
        comparison, note = frame.compare(mask & usable, area, zb, za)
        rings = []
        for inner, outer in itertools.pairwise(edges):
            assert d is not None and zone.shape is not None
            ring = usable & (d > inner) & (d <= outer) & ~in_any_zone
            ring_area = float(zone.shape.buffer(outer).area - zone.shape.buffer(inner).area)
            ring_comparison, ring_note = frame.compare(ring, ring_area, zb, za)
            rings.append(RingResult(inner, outer, ring_comparison, ring_note))
        unplaced = int(np.count_nonzero(in_force & ~records.located)) if needs_point(zone) else 0
        displacement = None
        if control is not None:
            control_mask = np.isin(records.district, list(control.districts)) & usable
            for other in control.zones:
                control_mask |= inside(other, records) & usable

            def totals(m: npt.NDArray[np.bool_], zb: Window = zb, za: Window = za) -> tuple[float, float]:
                return sum(frame.monthly(m, zb)), sum(frame.monthly(m, za))

            first_ring = usable & (d > 0) & (d <= edges[1]) & ~in_any_zone if d is not None else None
            ring_totals = totals(first_ring) if first_ring is not None else None
            displacement = weighted_displacement_difference(
                totals(mask & usable), totals(control_mask), ring_totals, totals(control_mask) if ring_totals else None
            )
        results.append(ZoneResult(zone.name, zone, zb, za, comparison, note, tuple(rings), unplaced, displacement))
    accuracy, accuracy_window = None, None
    if len(zones) > 1:
        earliest = min(zones, key=lambda z: z.active_from)
        zb, za = (before, after) if before and after else default_windows(earliest, last_month)
        every = in_any_zone
        # placebo squares of the zones' whole area: one square drifts more than scattered zones do (cautious)
        union = sum(r.zone.area_m2 or 0.0 for r in results if r.zone is not None)
        comparison, note = frame.compare(every & usable, union or None, zb, za)
        unplaced = int(np.count_nonzero(in_force & ~records.located)) if any_point_zone else 0
        results.append(ZoneResult("All zones", None, zb, za, comparison, note, (), unplaced))
    if results:
        accuracy_window = results[-1].after
        accuracy = _accuracy(zones, masks, records, weights, index, usable, accuracy_window, span_first)
    outside = int(np.count_nonzero(~in_force))
    outlines = hull_outlines(records.east[located], records.north[located], records.district[located])
    unweighted = harm.missing(c for c, keep in zip(places.offence_code, in_force, strict=True) if keep) if harm else {}
    return ZoneEvaluation(indicator, harm, unweighted, tuple(results), accuracy, accuracy_window, outside, outlines)


def _accuracy(
    zones: Sequence[Zone],
    masks: Sequence[npt.NDArray[np.bool_]],
    records: PlacedRecords,
    weights: npt.NDArray[np.float64],
    index: npt.NDArray[np.int64],
    usable: npt.NDArray[np.bool_],
    window: Window,
    origin: date,
) -> PredictiveAccuracy | None:
    """The zone set's PAI over ``window``: hits among located records, areas on the 250 m study grid."""
    lo = (window[0].year - origin.year) * 12 + window[0].month - origin.month
    hi = (window[1].year - origin.year) * 12 + window[1].month - origin.month
    chosen = usable & records.located & (index >= lo) & (index <= hi)
    if not np.any(chosen):
        return None
    every = np.any(masks, axis=0)
    located = records.located & usable
    shapes = [z.shape for z in zones if z.shape is not None]
    zone_area = float(shapely.union_all(shapes).area) if shapes else 0.0  # overlaps counted once
    for zone, mask in zip(zones, masks, strict=True):
        if zone.shape is None:
            zone_area += listed_area_m2(records.east[located], records.north[located], mask[located])
    study = populated_area_m2(records.east[located], records.north[located])
    try:
        return predictive_accuracy(
            float(weights[chosen & every].sum()), float(weights[chosen].sum()), min(zone_area, study), study
        )
    except ValueError:
        return None


def strand_zone_evaluations(
    backend: ibis.BaseBackend, strategy: Strategy, as_of: date
) -> list[tuple[Strand, ZoneEvaluation]]:
    """Each strand's zone indicators inside the store's zones (started by ``as_of``) against the force."""
    declared = [s for s in strategy.strands() if s.zone_indicators]
    if not declared:
        return []
    zones = [z for z in load_zones(backend) if z.active_from <= add_months(as_of, 1) - timedelta(days=1)]
    if not zones:
        return []
    out = []
    for strand in declared:
        buffers = (strand.zone_buffer_m,) if all(needs_point(z) for z in zones) else ()
        for indicator_id in strand.zone_indicators:
            indicator = next(i for i in strand.indicators if i.id == indicator_id)
            evaluation = evaluate_zones(backend, strategy, strand, indicator, zones, buffers_m=buffers, up_to=as_of)
            out.append((strand, evaluation))
    return out
