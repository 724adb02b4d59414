"""Area outlines derived from the records' own points, for maps that need no boundary file.

Each district's outline is the convex hull of its located records' points on the British National
Grid: a recognisable shape of where the district's crime is recorded, with no download. It is an
approximation (a hull bridges bays and overlaps a neighbour's edge a little); an ONS boundary file,
when the user supplies one, is exact.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.spatial import ConvexHull, QhullError  # type: ignore[import-untyped]

Outline = list[tuple[float, float]]
MIN_SHARE = 0.005


def hull_outlines(
    east: npt.ArrayLike, north: npt.ArrayLike, area: npt.ArrayLike, *, min_share: float = MIN_SHARE
) -> dict[str, Outline]:
    """Area name -> its closed outline (first point repeated last).

    Areas with fewer than three distinct points, or under ``min_share`` of all the points (the
    neighbouring areas a few records fall in, over the force boundary), get none.
    """
    e = np.asarray(east, dtype=np.float64)
    n = np.asarray(north, dtype=np.float64)
    names = np.asarray(area, dtype=object).astype(str)
    out: dict[str, Outline] = {}
    for name in sorted(set(names) - {"", "None"}):
        mine = names == name
        if mine.sum() < min_share * names.size:
            continue
        points = np.column_stack([e[mine], n[mine]])
        if len(points) < 3:
            continue
        try:
            hull = ConvexHull(points)  # repeated points are fine for Qhull; no need to sort them out first
        except QhullError:  # fewer than three distinct points, or all on a line
            continue
        ring = [(float(points[i, 0]), float(points[i, 1])) for i in hull.vertices]
        out[name] = [*ring, ring[0]]
    return out
