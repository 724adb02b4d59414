"""Force areas known to crimeprev, used to flag points that fall outside a force.

Only a bounding box is kept: it is a coarse test (a point just over the border but inside the box
counts as inside), enough to catch the far-away points that location anonymisation produces.
A force with a geography file (Essex) has its box from there; every other force of England and
Wales gets a box around the centre and radius of the force table (``police-forces.yaml``), which
is coarser still but catches a point in the wrong part of the country.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from crimeprev.model.errors import InputError
from crimeprev.sources.fields import BoundingBox, RowBounds
from crimeprev.sources.force_table import load_force_table

_GEOGRAPHY_FILES = ("essex-geography.yaml",)
KM_PER_DEGREE = 111.2
REACH = (1.3, 15.0)
"""The coarse box reaches the table's radius times 1.3, plus 15 km: a hand-written radius must never
cut off a real corner of a force (east Coventry, west Gower); the box is for far-away points."""


@cache
def force_areas() -> dict[str, BoundingBox]:
    """Bounding boxes by force name: the geography files' where given, else the force table's."""
    areas: dict[str, BoundingBox] = {}
    for force in load_force_table().forces:
        lat, lon = force.centre
        reach = force.radius_km * REACH[0] + REACH[1]
        d_lat = reach / KM_PER_DEGREE
        d_lon = reach / (KM_PER_DEGREE * math.cos(math.radians(lat)))
        areas[force.name] = BoundingBox(lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon)
    for name in _GEOGRAPHY_FILES:
        text = (resources.files("crimeprev") / "data" / name).read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
        areas[doc["force"]] = BoundingBox(**{k: float(v) for k, v in doc["bbox"].items()})
    return areas


def force_area(force: str) -> BoundingBox | None:
    """The bounding box of ``force``, or ``None`` when crimeprev does not know its area."""
    return force_areas().get(force)


BOUNDARY_MARGIN_KM = 1.0
"""Added round a boundary file's extent: data.police.uk snaps points to map points, a street or so off."""


def areas_from_boundaries(path: Path, name_field: str | None = None) -> dict[str, BoundingBox]:
    """Each force's box from a boundary file of police force areas (ONS ``PFA23NM``, or the force's name).

    A feature is matched to a force by the force's name, its ONS area name or its ONS code; a file
    naming no force crimeprev knows is refused rather than checking nothing.
    """
    from crimeprev.sources.boundaries import read_boundaries
    from crimeprev.spatial.units import from_bng

    rings = read_boundaries(path, name_field=name_field)
    table = load_force_table()
    by_label = {label: f.name for f in table.forces for label in (f.name, f.area, f.code) if label}
    points: dict[str, list[np.ndarray]] = {}
    for key, ring in rings.items():
        label = re.sub(r" \(\d+\)$", "", key)  # a multi-part area's further rings: "Name (2)"
        force = by_label.get(label)
        if force is not None:
            points.setdefault(force, []).append(np.asarray(ring, dtype=np.float64))
    if not points:
        names = ", ".join(sorted({re.sub(r" \(\d+\)$", "", k) for k in rings})[:5])
        raise InputError(str(path), f"no feature names a police force crimeprev knows (found: {names}, ...)")
    areas = {}
    for force, parts in points.items():
        east_north = np.concatenate(parts)
        lat, lon = from_bng(east_north[:, 0], east_north[:, 1])
        d_lat = BOUNDARY_MARGIN_KM / KM_PER_DEGREE
        d_lon = BOUNDARY_MARGIN_KM / (KM_PER_DEGREE * math.cos(math.radians(float(lat.mean()))))
        areas[force] = BoundingBox(
            float(lat.min()) - d_lat, float(lat.max()) + d_lat, float(lon.min()) - d_lon, float(lon.max()) + d_lon
        )
    return areas


def areas_of(force: pa.Array, given: Mapping[str, BoundingBox] | None = None) -> BoundingBox | RowBounds | None:
    """The area each row's force covers: one box for a one-force block, else a box per row.

    ``given`` (from a boundary file) comes first; otherwise the force's own box. A multi-force file
    (a national extract, say) gets every row checked against its own force; rows of a force
    crimeprev does not know are not checked.
    """

    def area(name: str) -> BoundingBox | None:
        return (given or {}).get(name) or force_area(name)

    names = pc.unique(force.drop_null()).to_pylist()
    if len(names) <= 1:
        return area(names[0]) if names else None
    known = {n: area(n) for n in names}
    if not any(known.values()):
        return None
    encoded = (
        pc.dictionary_encode(force).combine_chunks()
        if isinstance(force, pa.ChunkedArray)
        else pc.dictionary_encode(force)
    )
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    table = np.full((len(encoded.dictionary) + 1, 4), np.nan)  # the last row: a null force
    for k, name in enumerate(encoded.dictionary.to_pylist()):
        box = known.get(name)
        if box is not None:
            table[k] = (box.min_lat, box.max_lat, box.min_lon, box.max_lon)
    rows = table[codes]
    return RowBounds(rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3])
