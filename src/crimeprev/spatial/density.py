"""Kernel density: a smooth surface of where records are, for maps and for ranking places.

The quartic (biweight) kernel of radius ``h`` gives each record a weight that falls smoothly to
zero at ``h``: ``K(d) = 3 / (pi h^2) * (1 - d^2 / h^2)^2`` for ``d < h`` (Silverman 1986, *Density
Estimation for Statistics and Data Analysis*, eq. 4.5; the kernel most crime-mapping tools use).
The density at a place is the sum of its records' kernels, here in records per square kilometre.
Distances are in metres on the British National Grid.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]
SQUARE_METRES_PER_KM2 = 1_000_000.0


def quartic_density(
    points: npt.ArrayLike, at: npt.ArrayLike, bandwidth_m: float, weights: npt.ArrayLike | None = None
) -> FloatArray:
    """Density (records per km2) at each of ``at`` (n x 2 metres) from ``points`` (m x 2 metres)."""
    if bandwidth_m <= 0:
        raise ValueError(f"the bandwidth must be positive, not {bandwidth_m}")
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    a = np.asarray(at, dtype=np.float64).reshape(-1, 2)
    w = np.ones(len(p)) if weights is None else np.asarray(weights, dtype=np.float64)
    if len(p) == 0 or len(a) == 0:
        return np.zeros(len(a))
    pairs = cKDTree(a).sparse_distance_matrix(cKDTree(p), bandwidth_m, output_type="coo_matrix")
    u = pairs.data / bandwidth_m
    kernel = 3.0 / (math.pi * bandwidth_m**2) * (1.0 - u**2) ** 2
    # Pairs at distance 0 (a record exactly on the place) are kept as explicit entries.
    density = np.bincount(pairs.row, weights=kernel * w[pairs.col], minlength=len(a))
    return np.asarray(density * SQUARE_METRES_PER_KM2, dtype=np.float64)
