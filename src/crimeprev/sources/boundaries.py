"""Boundary files for maps: ONS district or LSOA boundaries as GeoJSON, read into BNG outlines.

ONS publishes boundaries (Open Geography Portal) as GeoJSON in WGS84 longitude/latitude or in
British National Grid metres (then the file names the CRS, e.g. ``urn:ogc:def:crs:EPSG::27700``).
Both are read. Each feature's name comes from ``name_field`` when given, else the first of the ONS
name fields present (``LAD23NM``, ``LAD22NM``, ... ``LSOA21NM``, ``LSOA11NM``), else ``name``.
Without a boundary file, maps draw outlines derived from the records' own points
(:mod:`crimeprev.spatial.outlines`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

import numpy as np

from crimeprev.model.errors import InputError
from crimeprev.spatial.units import to_bng

ONS_NAME_FIELDS: Final = tuple(
    f"{kind}{year}NM" for kind in ("LAD", "CSP", "LSOA", "MSOA", "WD", "PFA") for year in range(26, 10, -1)
)
NAME_FIELDS: Final = (*ONS_NAME_FIELDS, "name", "NAME", "Name")
Ring = list[tuple[float, float]]


def _name(properties: dict[str, Any], name_field: str | None) -> str | None:
    if name_field:
        value = properties.get(name_field)
        return str(value) if value not in (None, "") else None
    for field in NAME_FIELDS:
        if properties.get(field):
            return str(properties[field])
    return None


def _is_bng(document: dict[str, Any], sample: list[float]) -> bool:
    crs = json.dumps(document.get("crs") or "")
    if re.search(r"27700", crs):
        return True
    return abs(sample[0]) > 180 or abs(sample[1]) > 90


def read_boundaries(path: Path, *, name_field: str | None = None) -> dict[str, Ring]:
    """Outline rings in BNG metres by name (a multi-part area's further rings as "Name (2)", ...)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(str(path), f"not a GeoJSON boundary file ({e})") from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise InputError(str(path), "not a GeoJSON FeatureCollection with features")
    out: dict[str, Ring] = {}
    for number, feature in enumerate(features, start=1):
        geometry = (feature or {}).get("geometry") or {}
        name = _name((feature or {}).get("properties") or {}, name_field)
        if name is None:
            wanted = name_field or "an ONS name field (e.g. LAD23NM) or name"
            raise InputError(str(path), f"feature {number} has no name: expected {wanted}")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = np.asarray(polygon[0], dtype=np.float64)[:, :2]
            if _is_bng(document, ring[0].tolist()):
                east, north = ring[:, 0], ring[:, 1]
            else:
                east, north = to_bng(ring[:, 1], ring[:, 0])
            key, k = name, 1
            while key in out:
                k += 1
                key = f"{name} ({k})"
            out[key] = [(float(x), float(y)) for x, y in zip(east, north, strict=True)]
    if not out:
        raise InputError(str(path), "no Polygon or MultiPolygon features")
    return out
