"""Where each record happened: a map point drawn from its surface, month by month.

Real local crime is not a fixed share of the force's: an area's rate drifts as people, shops and
policing change, and each month adds its own noise on top. So the chance of a point in a month is

    surface(point) x drift(LSOA, month) x noise(surface, LSOA, month) x plants(point, month)

where ``drift`` is a slow log-normal random walk per LSOA (AR(1) in logs), ``noise`` an independent
gamma multiplier (a gamma-Poisson, i.e. negative binomial, process at the local level) and
``plants`` the planted hotspots and operation zones of ``plants.py``. The force-wide monthly counts
are fixed by the plan; only where they happen is drawn here. A small share of records has no
location at all, as in data.police.uk (its district is still known). Burglaries then cluster in
space and time as real ones do (``spread_near_repeats``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray
from crimeprev.demo.months import N_MONTHS
from crimeprev.demo.places import METRES_PER_DEGREE, PlaceFrame
from crimeprev.demo.plants import HOTSPOTS, ZONES, Hotspot, Zone

NO_LOCATION_SHARE: Final = 0.003
DRIFT_PERSISTENCE: Final = 0.92  # AR(1) coefficient of an LSOA's log rate, month to month
DRIFT_STEP: Final = 0.06  # standard deviation of the monthly innovation of the log rate
LOCAL_NOISE_SHAPE: Final = 12.0  # gamma shape of one surface's LSOA-month multiplier
NEAR_REPEAT_SHARE: Final = 0.15
NEAR_REPEAT_M: Final = 400.0
NEAR_REPEAT_DAYS: Final = 28


@dataclass(frozen=True)
class LocalRates:
    """The drifting multiplier of each LSOA in each month (LSOAs x 36)."""

    drift: FloatArray


@dataclass(frozen=True)
class PlantTally:
    """For one plant: records placed inside it, and how many the surfaces alone would have put there.

    ``expected_without`` sums, over every (surface, month) the plant touches, the records of that
    group times the share of the group's probability inside the plant *before* the plant's
    multiplier; ``expected_with`` the same after it.
    """

    records: int
    expected_without: float
    expected_with: float


@dataclass(frozen=True)
class Placement:
    """The map point of each record and its district; unlocated records keep theirs unwritten."""

    point: IntArray
    district: IntArray
    located: BoolArray
    tallies: Mapping[str, PlantTally]


def draw_local_rates(frame: PlaceFrame, rng: np.random.Generator) -> LocalRates:
    """Slowly drifting LSOA rates, centred on 1 over the three years."""
    n = frame.n_lsoas
    sd = DRIFT_STEP / np.sqrt(1.0 - DRIFT_PERSISTENCE**2)
    log_rate = np.empty((n, N_MONTHS))
    log_rate[:, 0] = rng.normal(0.0, sd, n)
    for m in range(1, N_MONTHS):
        log_rate[:, m] = DRIFT_PERSISTENCE * log_rate[:, m - 1] + rng.normal(0.0, DRIFT_STEP, n)
    return LocalRates(drift=np.exp(log_rate - log_rate.mean(axis=1, keepdims=True)))


def inside(frame: PlaceFrame, lat: float, lon: float, radius_m: float) -> BoolArray:
    """Points within ``radius_m`` of (lat, lon), on a plane tangent at the centre."""
    d_north = (frame.lat - lat) * METRES_PER_DEGREE
    d_east = (frame.lon - lon) * METRES_PER_DEGREE * np.cos(np.radians(lat))
    return np.asarray(np.hypot(d_east, d_north) <= radius_m)


def place_records(
    frame: PlaceFrame,
    surfaces: Mapping[str, FloatArray],
    surface_names: Sequence[str],
    surface: IntArray,
    month: IntArray,
    rates: LocalRates,
    rng: np.random.Generator,
) -> Placement:
    """A point for every record, given its surface (an index into ``surface_names``) and month."""
    n = month.size
    point = np.full(n, -1, dtype=np.int64)
    plants: tuple[Hotspot | Zone, ...] = (*HOTSPOTS, *ZONES)
    masks = [inside(frame, p.lat, p.lon, p.radius_m) for p in plants]
    factors = [p.multipliers() for p in plants]
    without = np.zeros(len(plants))
    with_ = np.zeros(len(plants))
    n_lsoas = frame.n_lsoas
    group = surface * N_MONTHS + month
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    for rows in np.split(order, bounds):
        if rows.size == 0:
            continue
        s, m = divmod(int(group[rows[0]]), N_MONTHS)
        name = surface_names[s]
        noise = rng.gamma(LOCAL_NOISE_SHAPE, 1.0 / LOCAL_NOISE_SHAPE, n_lsoas)
        weights = surfaces[name] * (rates.drift[:, m] * noise)[frame.lsoa]
        base = weights / weights.sum()
        for i, plant in enumerate(plants):
            if name in plant.surfaces and factors[i][m] != 1.0:
                weights = np.where(masks[i], weights * factors[i][m], weights)
        p = weights / weights.sum()
        for i, plant in enumerate(plants):
            if name in plant.surfaces:
                without[i] += rows.size * float(base[masks[i]].sum())
                with_[i] += rows.size * float(p[masks[i]].sum())
        point[rows] = rng.choice(p.size, size=rows.size, p=p)
    located = rng.random(n) >= NO_LOCATION_SHARE
    tallies = {}
    for i, plant in enumerate(plants):
        kinds = [surface_names.index(s) for s in plant.surfaces if s in surface_names]
        hits = np.isin(surface, kinds) & masks[i][point]
        tallies[plant.key] = PlantTally(
            records=int(np.count_nonzero(hits)), expected_without=float(without[i]), expected_with=float(with_[i])
        )
    return Placement(point=point, district=frame.district[point], located=located, tallies=tallies)


def spread_near_repeats(
    frame: PlaceFrame,
    surface: FloatArray,
    point: IntArray,
    day: IntArray,
    eligible: BoolArray,
    rng: np.random.Generator,
) -> IntArray:
    """Move a share of burglaries next to a burglary of the previous weeks (near repeats).

    A burglary raises the risk to homes nearby for a few weeks (Bowers and Johnson, "Domestic
    burglary repeats and space-time clusters", European Journal of Criminology 2(1), 2005;
    Townsley, Homel and Chaseling 2003): ``NEAR_REPEAT_SHARE`` of eligible records are moved to a
    point within ``NEAR_REPEAT_M`` of an eligible record of the ``NEAR_REPEAT_DAYS`` before,
    weighted by ``surface``, in the same district.
    """
    point = point.copy()
    rows = np.flatnonzero(eligible)
    rows = rows[np.argsort(day[rows], kind="stable")]
    days = day[rows]
    movers = np.flatnonzero(rng.random(rows.size) < NEAR_REPEAT_SHARE)
    tree = cKDTree(np.column_stack([frame.x, frame.y]))
    for i in movers:
        first = int(np.searchsorted(days, days[i] - NEAR_REPEAT_DAYS))
        last = int(np.searchsorted(days, days[i]))  # records strictly earlier in time
        if last <= first:
            continue
        source = point[rows[rng.integers(first, last)]]
        near = np.asarray(tree.query_ball_point([frame.x[source], frame.y[source]], NEAR_REPEAT_M), dtype=np.int64)
        near = near[frame.district[near] == frame.district[source]]
        weights = surface[near]
        point[rows[i]] = near[rng.choice(near.size, p=weights / weights.sum())]
    return point
