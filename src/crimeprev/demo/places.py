"""The demo's map: the real anonymised data.police.uk points of Essex and what was recorded at each.

``crimeprev/data/essex-places.csv.gz`` (derived by ``scripts/derive_demo_places.py`` from twelve
months of Essex street-level crime, Open Government Licence v3.0) lists every map point that
recorded a crime, its description, LSOA and district, and how many crimes of each police.uk
category it recorded. The generator places its records on these points, so its map has the
structure of the real one: the same snap points repeat, shoplifting lies where the shops are,
burglary where people live, and the night-time economy in the town centres.

A *surface* is a weight per point for one kind of record. It is the point's real count of the
matching category plus a smoothing term proportional to all crime recorded at the point, so that a
point where, say, no bicycle was stolen in the twelve real months can still have one stolen in the
demo's three years.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray

METRES_PER_DEGREE: Final = 111_320.0
REFERENCE_LATITUDE: Final = 51.75
# Share of a point's all-crime volume added to every category's count (see the module docstring).
SMOOTHING: Final = 0.05
CATEGORY_COLUMNS: Final[dict[str, str]] = {
    "Anti-social behaviour": "asb",
    "Bicycle theft": "bicycle_theft",
    "Burglary": "burglary",
    "Criminal damage and arson": "criminal_damage",
    "Drugs": "drugs",
    "Other crime": "other_crime",
    "Other theft": "other_theft",
    "Possession of weapons": "weapons",
    "Public order": "public_order",
    "Robbery": "robbery",
    "Shoplifting": "shoplifting",
    "Theft from the person": "theft_from_person",
    "Vehicle crime": "vehicle_crime",
    "Violence and sexual offences": "violence_sexual",
}
# Snap points that are places rather than streets: nobody lives there.
_PLACE_LABEL: Final = re.compile(r"/|^On or near (Parking Area|Supermarket|Petrol Station|Shopping Area|Police Station|"
                                 r"Hospital|Nightclub|Prison|Ferry Terminal|[ABM]\d+(\(M\))?)$")  # fmt: skip
# Surfaces that are not one police.uk category: a blend of categories, each normalised to 1.
BLENDS: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "mental_health": (("violence_sexual", 0.5), ("asb", 0.3), ("public_order", 0.2)),
    "home": (("burglary", 0.5), ("criminal_damage", 0.25), ("vehicle_crime", 0.25)),
}
# The night-time economy: violence, disorder and theft from the person, where the town-centre
# night life is (cells of this size with the most theft from the person, disorder and robbery).
NTE_CELL_M: Final = 500.0
NTE_CONCENTRATION: Final = 1.5


@dataclass(frozen=True)
class PlaceFrame:
    """One element per map point in each array; ``*_names`` and ``locations`` are the lookups."""

    lat: FloatArray
    lon: FloatArray
    x: FloatArray  # metres east, local equirectangular projection
    y: FloatArray  # metres north
    location: IntArray
    locations: tuple[str, ...]
    lsoa: IntArray
    lsoa_codes: tuple[str, ...]
    lsoa_names: tuple[str, ...]
    msoa: IntArray  # the LSOA name without its final letter: "Basildon 012"
    district: IntArray
    district_names: tuple[str, ...]
    district_lpas: tuple[str, ...]
    in_force: BoolArray
    residential: BoolArray
    counts: Mapping[str, FloatArray]

    def __len__(self) -> int:
        return int(self.lat.size)

    @property
    def n_lsoas(self) -> int:
        return len(self.lsoa_codes)


def project(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Metres east and north on a plane tangent at Essex's latitude (error < 0.5% across the force)."""
    x = lon * METRES_PER_DEGREE * np.cos(np.radians(REFERENCE_LATITUDE))
    return x, lat * METRES_PER_DEGREE


def _codes(values: Sequence[str]) -> tuple[IntArray, tuple[str, ...]]:
    uniques, index = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return index.astype(np.int64), tuple(str(u) for u in uniques)


def build_place_frame(columns: Mapping[str, Sequence[str]], districts: Sequence[Mapping[str, str]]) -> PlaceFrame:
    """The frame from the columns of ``essex-places.csv.gz`` and the districts of the geography YAML.

    Districts keep the YAML's order and LPA; a point whose district is not one of them is refused.
    """
    names = tuple(str(d["name"]) for d in districts)
    by_name = {name: i for i, name in enumerate(names)}
    unknown = sorted(set(columns["district"]) - set(by_name))
    if unknown:
        raise ValueError(f"essex-places: districts not in the geography: {unknown}")
    lat = np.asarray(columns["lat"], dtype=np.float64)
    lon = np.asarray(columns["lon"], dtype=np.float64)
    x, y = project(lat, lon)
    location, locations = _codes(columns["location"])
    lsoa_codes_in = [str(c) for c in columns["lsoa_code"]]
    lsoa, lsoa_codes = _codes(lsoa_codes_in)
    lsoa_name_of = dict(zip(lsoa_codes_in, columns["lsoa_name"], strict=True))
    lsoa_names = tuple(str(lsoa_name_of[c]) for c in lsoa_codes)
    msoa, _ = _codes([str(n)[:-1] for n in columns["lsoa_name"]])
    residential = np.array([not _PLACE_LABEL.search(locations[i]) for i in location], dtype=np.bool_)
    return PlaceFrame(
        lat=lat,
        lon=lon,
        x=x,
        y=y,
        location=location,
        locations=locations,
        lsoa=lsoa,
        lsoa_codes=lsoa_codes,
        lsoa_names=lsoa_names,
        msoa=msoa,
        district=np.array([by_name[d] for d in columns["district"]], dtype=np.int64),
        district_names=names,
        district_lpas=tuple(str(d["lpa"]) for d in districts),
        in_force=np.asarray(columns["in_force"], dtype=np.int64) == 1,
        residential=residential,
        counts={c: np.asarray(columns[c], dtype=np.float64) for c in CATEGORY_COLUMNS.values()},
    )


def _normalised(weights: FloatArray) -> FloatArray:
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def _nte(frame: PlaceFrame, category: FloatArray) -> FloatArray:
    cell_x = np.floor(frame.x / NTE_CELL_M).astype(np.int64)
    cell_y = np.floor(frame.y / NTE_CELL_M).astype(np.int64)
    _, cell = np.unique(cell_x * 1_000_003 + cell_y, return_inverse=True)
    night_life = frame.counts["theft_from_person"] + frame.counts["public_order"] + frame.counts["robbery"]
    per_cell = np.bincount(cell, weights=night_life)
    centre = per_cell[cell] / per_cell.max()
    return np.asarray(category * centre**NTE_CONCENTRATION, dtype=np.float64)


def surfaces(frame: PlaceFrame) -> dict[str, FloatArray]:
    """Every surface by name: one per police.uk category column, the blends, ``nte`` and ``home``.

    Each is normalised to sum to 1. ``home`` is zero on points that are places, not streets.
    """
    total = sum(frame.counts.values(), np.zeros(len(frame)))
    shares = {c: float(v.sum()) / float(total.sum()) for c, v in frame.counts.items()}
    out = {c: _normalised(v + SMOOTHING * shares[c] * total) for c, v in frame.counts.items()}
    for name, parts in BLENDS.items():
        out[name] = _normalised(sum((w * out[c] for c, w in parts), np.zeros(len(frame))))
    out["home"] = _normalised(out["home"] * frame.residential)
    violence = out["violence_sexual"] + out["public_order"] + out["theft_from_person"]
    out["nte"] = _normalised(_nte(frame, violence))
    return out
