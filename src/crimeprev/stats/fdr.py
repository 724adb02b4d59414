"""False-discovery-rate control for many tests at once (hotspot cells, for instance).

Testing every cell of a map at 5% would call about one cell in twenty a hotspot by chance alone.
The Benjamini-Hochberg procedure keeps the expected share of false discoveries among the cells
called significant at or below ``q`` (Benjamini and Hochberg, 1995, *Journal of the Royal
Statistical Society B* 57(1), 289-300).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FdrResult:
    """Which tests are discoveries at rate ``q``, and each test's adjusted p-value (q-value)."""

    q: float
    significant: BoolArray
    adjusted: FloatArray

    @property
    def discoveries(self) -> int:
        return int(np.count_nonzero(self.significant))


def benjamini_hochberg(p_values: npt.ArrayLike, q: float = 0.05) -> FdrResult:
    """Benjamini-Hochberg step-up procedure at false discovery rate ``q``.

    The adjusted p-value of the test of rank ``k`` (ascending) is ``min over j >= k of p_j m / j``,
    capped at 1; a test is significant when its adjusted p-value is at most ``q``.

    >>> r = benjamini_hochberg([0.01, 0.04, 0.03, 0.5], q=0.05)
    >>> r.significant.tolist(), [round(v, 3) for v in r.adjusted]
    ([True, True, True, False], [0.04, 0.04, 0.04, 0.5])
    """
    if not 0 < q < 1:
        raise ValueError(f"the false discovery rate must be between 0 and 1, not {q}")
    p = np.asarray(p_values, dtype=np.float64)
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("p-values must lie between 0 and 1")
    m = p.size
    if m == 0:
        return FdrResult(q, np.zeros(0, dtype=np.bool_), np.zeros(0))
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return FdrResult(q, adjusted <= q, adjusted)
