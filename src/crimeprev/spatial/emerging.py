"""Emerging hotspots: how each cell's hotspot status changed over consecutive periods.

After ESRI's Emerging Hot Spot Analysis: Gi* is computed in each period on the same cells, with
false-discovery-rate control per period, and each cell's series of z-scores is tested for a
monotonic trend with Mann-Kendall (``stats.trend``). Five classes, simplified from ESRI's eight:

* ``new``: hot in the final period, and hot only in the last quarter of the periods;
* ``intensifying``: hot in the final period, its z-scores rising significantly;
* ``persistent``: hot in at least 90% of the periods, with no significant fall;
* ``diminishing``: hot in at least a quarter of the periods, its z-scores falling significantly
  (including a cell that has stopped being hot);
* ``sporadic``: hot in some periods, none of the above;

and ``not a hotspot`` for a cell never hot.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from crimeprev.stats.trend import mann_kendall

CLASSES: Final = ("new", "intensifying", "persistent", "diminishing", "sporadic", "not a hotspot")
PERSISTENT_SHARE: Final = 0.9
DIMINISHING_SHARE: Final = 0.25


def classify_emerging(hot: npt.ArrayLike, z: npt.ArrayLike) -> list[str]:
    """The class of each cell from its hot flags and Gi* z-scores (cells x periods, time order)."""
    hot_flags = np.asarray(hot, dtype=np.bool_)
    scores = np.asarray(z, dtype=np.float64)
    if hot_flags.shape != scores.shape or hot_flags.ndim != 2:
        raise ValueError("hot flags and z-scores must both be cells x periods")
    periods = hot_flags.shape[1]
    if periods < 3:
        raise ValueError("emerging hotspots need at least three periods")
    recent = max(1, periods // 4)
    out = []
    for flags, series in zip(hot_flags, scores, strict=True):
        if not flags.any():
            out.append("not a hotspot")
            continue
        share = flags.mean()
        final = bool(flags[-1])
        if final and not flags[: periods - recent].any():
            out.append("new")
            continue
        trend = mann_kendall(series).direction
        if final and trend == "up":
            out.append("intensifying")
        elif share >= PERSISTENT_SHARE and trend != "down":
            out.append("persistent")
        elif trend == "down" and share >= DIMINISHING_SHARE:
            out.append("diminishing")
        else:
            out.append("sporadic")
    return out
