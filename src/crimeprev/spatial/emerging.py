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

A cell is only called ``new`` or ``intensifying`` when its neighbourhood (the cell and its
neighbours, the records Gi* sums) holds significantly more records in the recent periods than
before, relative to the whole map's change: an exact Poisson test of the recent periods' count
against the earlier ones', with the map's totals as exposures and Benjamini-Hochberg control over
the cells put forward (``local``). Gi* on sparse counts calls
scattered cells hot in any one period by chance; without this test, a crime type whose level has
not changed at all would show dozens of "new" hotspots. A cell that fails it is ``sporadic`` (or
``persistent`` if hot in nearly every period).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from crimeprev.stats.fdr import benjamini_hochberg
from crimeprev.stats.poisson_test import compare_many_poisson_rates
from crimeprev.stats.trend import mann_kendall

CLASSES: Final = ("new", "intensifying", "persistent", "diminishing", "sporadic", "not a hotspot")
PERSISTENT_SHARE: Final = 0.9
DIMINISHING_SHARE: Final = 0.25


def classify_emerging(
    hot: npt.ArrayLike, z: npt.ArrayLike, local: npt.ArrayLike | None = None, *, fdr: float = 0.05
) -> list[str]:
    """The class of each cell from its hot flags and Gi* z-scores (cells x periods, time order).

    ``local``: each cell's neighbourhood record counts (cells x periods); with it, ``new`` and
    ``intensifying`` need a significant rise (see the module docstring).
    """
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
    return out if local is None else _confirm_rises(out, hot_flags, np.asarray(local, dtype=np.float64), recent, fdr)


def _confirm_rises(
    classes: list[str], hot: npt.NDArray[np.bool_], local: npt.NDArray[np.float64], recent: int, fdr: float
) -> list[str]:
    """``new`` and ``intensifying`` cells kept only where the neighbourhood's recent count rose beyond chance."""
    candidates = [i for i, c in enumerate(classes) if c in ("new", "intensifying")]
    if not candidates:
        return classes
    earlier = np.rint(local[candidates, :-recent].sum(axis=1)).astype(np.int64)
    later = np.rint(local[candidates, -recent:].sum(axis=1)).astype(np.int64)
    # Exposures are the force's own records in the two spans (the local counts summed over every cell
    # count each record once per neighbour, a constant factor): a rise must beat the force's change.
    exposure1, exposure2 = max(local[:, :-recent].sum(), 1.0), max(local[:, -recent:].sum(), 1.0)
    tests = compare_many_poisson_rates(earlier, later, exposure1=exposure1, exposure2=exposure2)
    rising = tests.ratio_low > 1  # only a rise counts; zero before is judged by the interval too
    confirmed = benjamini_hochberg(np.where(rising | (earlier == 0), tests.p_value, 1.0), q=fdr).significant
    out = list(classes)
    for k, i in enumerate(candidates):
        if not confirmed[k]:
            out[i] = "persistent" if hot[i].mean() >= PERSISTENT_SHARE else "sporadic"
    return out
