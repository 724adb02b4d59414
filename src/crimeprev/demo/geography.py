"""Synthetic demo geography: LSOAs around the 14 district towns, planted hotspots, record points.

Each district gets about one synthetic LSOA per 1,650 residents, placed around its main town and
a few secondary settlements, so that records cluster the way real crime does: a dense town centre,
smaller clusters in outlying towns and a thin rural spread. LSOA codes are ``X01`` plus six
digits and names follow the ONS pattern ("Basildon 012C"), but the ``X`` prefix means they can
never be mistaken for, or joined to, a real ONS code.

Planted hotspots (a seafront night-time economy, a shopping centre's robberies, an estate's drug
dealing, a burglary series) take a declared share of the eligible records and scatter them within
a small radius of a fixed point, so the excess is clear to any hotspot method. They are listed in
``ground-truth.json`` so that a user can check what the system finds against what was planted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray

PEOPLE_PER_LSOA: Final = 1_650
METRES_PER_DEGREE_LAT: Final = 111_320.0
STREETS_PER_LSOA: Final = 6
NO_LOCATION_SHARE: Final = 0.003
POINT_NOISE_M: Final = 300.0
BBOX_MARGIN: Final = 0.003

# Recorded crime per resident relative to the force average: towns with a large night-time
# economy or retail centre record more crime than rural districts.
DISTRICT_CRIME_RATE: Final[dict[str, float]] = {
    "Basildon": 1.3,
    "Braintree": 0.85,
    "Brentwood": 0.8,
    "Castle Point": 0.8,
    "Chelmsford": 0.95,
    "Colchester": 1.15,
    "Epping Forest": 0.95,
    "Harlow": 1.35,
    "Maldon": 0.75,
    "Rochford": 0.7,
    "Southend-on-Sea": 1.35,
    "Tendring": 1.1,
    "Thurrock": 1.25,
    "Uttlesford": 0.6,
}

_STREET_WORDS: Final = (
    "Church", "Mill", "Station", "Victoria", "Queens", "Kings", "Park", "London", "High", "Oak",
    "Elm", "Ash", "Beech", "Chestnut", "Willow", "Meadow", "Brook", "Manor", "Abbey", "Priory",
    "Orchard", "Green", "Hill", "Castle", "Bridge", "Market", "School", "Rectory", "Forest",
    "Harbour", "Windmill", "Heath", "Grange", "Cedar", "Laurel", "Hawthorn", "Poplar", "Holly",
    "Cherry", "Maple", "Alexandra", "Albert", "Nelson", "Cromwell", "Tudor", "Fairfield",
)  # fmt: skip
_STREET_SUFFIXES: Final = (
    "Road", "Street", "Lane", "Avenue", "Close", "Way", "Drive", "Gardens", "Crescent", "Court",
)  # fmt: skip
_PLACES: Final = (
    "Supermarket", "Parking Area", "Petrol Station", "Sports/Recreation Area", "Shopping Area",
    "Further/Higher Educational Building", "Bus/Coach Station", "Hospital", "Theatre/Concert Hall",
)  # fmt: skip


@dataclass(frozen=True)
class Hotspot:
    """A planted concentration of records around a fixed point."""

    key: str
    name: str
    district: str
    lat: float
    lon: float
    radius_m: float
    codes: frozenset[str]
    flags: frozenset[str]
    incident_types: frozenset[str]
    share: float
    first_month: int
    last_month: int
    streets: tuple[str, ...]
    concentrates: str


_DRUG_CODES: Final = frozenset({"92A", "92B", "92C", "92D", "92E"})

HOTSPOTS: Final[tuple[Hotspot, ...]] = (
    Hotspot(
        "southend_seafront", "Southend-on-Sea seafront", "Southend-on-Sea", 51.5352, 0.7150, 400.0,
        frozenset(), frozenset({"nte"}), frozenset(), 0.20, 0, 35,
        ("Marine Parade", "Eastern Esplanade", "Western Esplanade", "Lucy Road", "Pier Hill"),
        "night-time-economy offences (NTE flag), Friday and Saturday nights",
    ),
    Hotspot(
        "colchester_centre", "Colchester town centre", "Colchester", 51.8893, 0.9030, 400.0,
        frozenset(), frozenset({"nte"}), frozenset(), 0.18, 0, 35,
        ("High Street", "Head Street", "Crouch Street", "Queen Street", "Short Wyre Street"),
        "night-time-economy offences (NTE flag), Friday and Saturday nights",
    ),
    Hotspot(
        "clacton_seafront", "Clacton-on-Sea seafront", "Tendring", 51.7870, 1.1545, 350.0,
        frozenset(), frozenset({"nte"}), frozenset(), 0.08, 0, 35,
        ("Marine Parade West", "Pier Avenue", "Rosemary Road", "Station Road"),
        "night-time-economy offences (NTE flag), Friday and Saturday nights",
    ),
    Hotspot(
        "lakeside", "Lakeside Thurrock", "Thurrock", 51.4866, 0.2820, 500.0,
        frozenset({"34B", "46"}), frozenset(), frozenset(), 0.14, 0, 35,
        ("Shopping Area", "West Thurrock Way", "Parking Area", "Heron Way"),
        "personal robbery (34B) and shoplifting (46) at the retail centre",
    ),
    Hotspot(
        "the_stow", "The Stow Harlow", "Harlow", 51.7744, 0.1127, 350.0,
        _DRUG_CODES, frozenset(), frozenset({"anti-social behaviour"}), 0.09, 0, 35,
        ("The Stow", "Shopping Area", "Parking Area", "First Avenue"),
        "drug offences (92A-92E) and anti-social behaviour incidents on the estate",
    ),
    Hotspot(
        "springfield_burglary", "Springfield Chelmsford burglary series", "Chelmsford", 51.7480,
        0.4960, 700.0, frozenset({"28E", "28F"}), frozenset(), frozenset(), 0.12, 30, 34,
        ("Springfield Road", "Pump Lane", "Arun Close", "Trent Road", "Severn Road"),
        "residential burglary (28E, 28F) from October 2023 to February 2024",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Geography:
    """Districts, synthetic LSOAs (one entry per LSOA in each array) and the street table.

    ``streets`` holds every location description; LSOA ``i`` owns entries
    ``i * STREETS_PER_LSOA`` to ``(i + 1) * STREETS_PER_LSOA - 1`` and hotspot ``h`` owns
    ``hotspot_streets[h]``.
    """

    bbox: tuple[float, float, float, float]  # min_lat, max_lat, min_lon, max_lon
    district_names: tuple[str, ...]
    district_lpas: tuple[str, ...]
    lsoa_codes: tuple[str, ...]
    lsoa_names: tuple[str, ...]
    lsoa_district: IntArray
    lsoa_lat: FloatArray
    lsoa_lon: FloatArray
    lsoa_weight: FloatArray
    streets: tuple[str, ...]
    hotspot_lsoa: IntArray
    hotspot_streets: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Placement:
    """Where each record happened; ``lsoa`` and ``street`` are -1 for a record with no location.

    ``hotspot`` is the planted hotspot a record was placed in (-1: none).
    """

    hotspot: IntArray
    district: IntArray
    lsoa: IntArray
    lat: FloatArray
    lon: FloatArray
    street: IntArray


def _metres_to_degrees(lat: float, metres: float) -> tuple[float, float]:
    d_lat = metres / METRES_PER_DEGREE_LAT
    return d_lat, d_lat / math.cos(math.radians(lat))


def _street_names(rng: np.random.Generator, n: int) -> list[str]:
    words = rng.integers(0, len(_STREET_WORDS), n)
    suffixes = rng.integers(0, len(_STREET_SUFFIXES), n)
    places = rng.random(n) < 0.12
    place_pick = rng.integers(0, len(_PLACES), n)
    return [
        f"On or near {_PLACES[p]}" if is_place else f"On or near {_STREET_WORDS[w]} {_STREET_SUFFIXES[s]}"
        for w, s, is_place, p in zip(words, suffixes, places, place_pick, strict=True)
    ]


def build_geography(reference: Mapping[str, Any], rng: np.random.Generator) -> Geography:
    """Synthetic LSOAs for the districts of ``essex-geography.yaml`` plus one per hotspot."""
    box = reference["bbox"]
    bbox = (float(box["min_lat"]), float(box["max_lat"]), float(box["min_lon"]), float(box["max_lon"]))
    districts = list(reference["districts"])
    names = tuple(str(d["name"]) for d in districts)
    total_pop = sum(float(d["population"]) for d in districts)
    codes: list[str] = []
    lsoa_names: list[str] = []
    lsoa_district: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    weights: list[float] = []
    hotspot_lsoa = [-1] * len(HOTSPOTS)
    for d_idx, d in enumerate(districts):
        lat0, lon0 = float(d["lat"]), float(d["lon"])
        n = max(20, round(float(d["population"]) / PEOPLE_PER_LSOA))
        d_lat, d_lon = _metres_to_degrees(lat0, 1000.0)
        # Main town plus three secondary settlements 5-10 km away.
        angles = rng.uniform(0, 2 * math.pi, 3)
        dist_km = rng.uniform(5, 10, 3)
        centre_lat = np.concatenate([[lat0], lat0 + np.sin(angles) * dist_km * d_lat])
        centre_lon = np.concatenate([[lon0], lon0 + np.cos(angles) * dist_km * d_lon])
        sd_km = np.array([2.2, 1.5, 1.5, 1.5])
        cluster = rng.choice(4, size=n, p=[0.55, 0.15, 0.15, 0.15])
        lat = centre_lat[cluster] + rng.normal(0, 1, n) * sd_km[cluster] * d_lat
        lon = centre_lon[cluster] + rng.normal(0, 1, n) * sd_km[cluster] * d_lon
        # Town-centre LSOAs record more crime; the gamma term makes a few LSOAs stand out.
        dist2 = ((lat - lat0) / d_lat) ** 2 + ((lon - lon0) / d_lon) ** 2
        weight = rng.gamma(1.2, 1.0, n) * (1.0 + 2.0 * np.exp(-dist2 / 8.0))
        own_hotspots = [h for h, spot in enumerate(HOTSPOTS) if spot.district == d["name"]]
        lat = np.concatenate([lat, [HOTSPOTS[h].lat for h in own_hotspots]])
        lon = np.concatenate([lon, [HOTSPOTS[h].lon for h in own_hotspots]])
        weight = np.concatenate([weight, np.full(len(own_hotspots), weight.mean())])
        lat = np.clip(lat, bbox[0] + BBOX_MARGIN, bbox[1] - BBOX_MARGIN)
        lon = np.clip(lon, bbox[2] + BBOX_MARGIN, bbox[3] - BBOX_MARGIN)
        share = float(d["population"]) / total_pop * DISTRICT_CRIME_RATE.get(names[d_idx], 1.0)
        weight = weight / weight.sum() * share
        # ONS numbers MSOAs roughly north to south; mimic that in the synthetic names.
        order = np.argsort(-lat, kind="stable")
        for rank, i in enumerate(order):
            if i >= n:
                hotspot_lsoa[own_hotspots[i - n]] = len(codes)
            codes.append(f"X01{len(codes) + 1:06d}")
            lsoa_names.append(f"{names[d_idx]} {rank // 5 + 1:03d}{'ABCDE'[rank % 5]}")
            lsoa_district.append(d_idx)
            lats.append(float(lat[i]))
            lons.append(float(lon[i]))
            weights.append(float(weight[i]))
    streets = _street_names(rng, len(codes) * STREETS_PER_LSOA)
    hotspot_streets: list[tuple[int, ...]] = []
    for spot in HOTSPOTS:
        start = len(streets)
        streets.extend(f"On or near {s}" for s in spot.streets)
        hotspot_streets.append(tuple(range(start, len(streets))))
    w = np.array(weights)
    return Geography(
        bbox=bbox,
        district_names=names,
        district_lpas=tuple(str(d["lpa"]) for d in districts),
        lsoa_codes=tuple(codes),
        lsoa_names=tuple(lsoa_names),
        lsoa_district=np.array(lsoa_district, dtype=np.int64),
        lsoa_lat=np.array(lats),
        lsoa_lon=np.array(lons),
        lsoa_weight=w / w.sum(),
        streets=tuple(streets),
        hotspot_lsoa=np.array(hotspot_lsoa, dtype=np.int64),
        hotspot_streets=tuple(hotspot_streets),
    )


def pick_hotspots(eligible: Sequence[BoolArray], months: IntArray, rng: np.random.Generator) -> IntArray:
    """For each record, the planted hotspot it belongs to (-1 for none).

    ``eligible[h]`` marks the records hotspot ``h`` concentrates; a declared share of those not
    already taken by an earlier hotspot, in the hotspot's months, is moved to it.
    """
    n = months.size
    chosen = np.full(n, -1, dtype=np.int64)
    for h, spot in enumerate(HOTSPOTS):
        in_window = (months >= spot.first_month) & (months <= spot.last_month)
        take = eligible[h] & in_window & (chosen < 0) & (rng.random(n) < spot.share)
        chosen[take] = h
    return chosen


def place_records(geo: Geography, hotspot: IntArray, rng: np.random.Generator) -> Placement:
    """Points, LSOAs, districts and street descriptions for records.

    Records outside a hotspot pick an LSOA by the LSOA weights (district population times the
    district's crime rate, skewed within the district) and scatter around its centroid; a small
    share has no location at all (blank point, LSOA and street; district still known).
    """
    n = hotspot.size
    lsoa = rng.choice(len(geo.lsoa_codes), size=n, p=geo.lsoa_weight)
    in_spot = hotspot >= 0
    lsoa[in_spot] = geo.hotspot_lsoa[hotspot[in_spot]]
    base_lat = geo.lsoa_lat[lsoa]
    base_lon = geo.lsoa_lon[lsoa]
    noise_m = np.full(n, POINT_NOISE_M)
    radii = np.array([spot.radius_m for spot in HOTSPOTS])
    noise_m[in_spot] = radii[hotspot[in_spot]] / 2.0
    d_lat = noise_m / METRES_PER_DEGREE_LAT
    d_lon = d_lat / np.cos(np.radians(base_lat))
    lat = np.clip(base_lat + rng.normal(0, 1, n) * d_lat, geo.bbox[0], geo.bbox[1])
    lon = np.clip(base_lon + rng.normal(0, 1, n) * d_lon, geo.bbox[2], geo.bbox[3])
    street = lsoa * STREETS_PER_LSOA + rng.integers(0, STREETS_PER_LSOA, n)
    spot_streets = [np.array(s, dtype=np.int64) for s in geo.hotspot_streets]
    for h, options in enumerate(spot_streets):
        mask = hotspot == h
        street[mask] = options[rng.integers(0, options.size, int(mask.sum()))]
    district = geo.lsoa_district[lsoa]
    missing = rng.random(n) < NO_LOCATION_SHARE
    lsoa[missing] = -1
    street[missing] = -1
    lat[missing] = np.nan
    lon[missing] = np.nan
    return Placement(hotspot=hotspot, district=district, lsoa=lsoa, lat=lat, lon=lon, street=street)
