"""The Mann-Kendall test for a monotonic trend in a short series.

S counts, over every pair of points, +1 when the later value is higher and -1 when it is lower;
under no trend S has mean 0 and variance n(n-1)(2n+5)/18 (less a term for tied values), and the
continuity-corrected z = (S - sign(S)) / sqrt(var) is read against the normal distribution (Mann
1945, *Econometrica* 13; Kendall 1975, *Rank Correlation Methods*). It is Kendall's tau between
the values and time, and makes no assumption about the shape of the trend or the distribution of
the values; emerging-hotspot analysis uses it on each cell's series of Gi* z-scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped]


@dataclass(frozen=True)
class MannKendall:
    """S, its z-score, the two-sided p-value and the direction ("up", "down" or "none" at ``alpha``)."""

    s: float
    z: float
    p_value: float
    direction: str


def mann_kendall(values: npt.ArrayLike, *, alpha: float = 0.05) -> MannKendall:
    """Mann-Kendall test of a series in time order (at least three values).

    >>> r = mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    >>> r.s, r.direction
    (15.0, 'up')
    """
    x = np.asarray(values, dtype=np.float64)
    n = x.size
    if n < 3:
        raise ValueError("the Mann-Kendall test needs at least three values")
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(x[j] - x[i]).sum())
    _, counts = np.unique(x, return_counts=True)
    ties = float((counts * (counts - 1) * (2 * counts + 5)).sum())
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    if var <= 0:
        return MannKendall(s, 0.0, 1.0, "none")
    z = (s - np.sign(s)) / np.sqrt(var)
    p = float(2.0 * stats.norm.sf(abs(z)))
    direction = "none" if p >= alpha else ("up" if s > 0 else "down")
    return MannKendall(s, float(z), p, direction)
