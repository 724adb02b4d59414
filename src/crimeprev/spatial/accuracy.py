"""How well a set of zones captures crime: the Predictive Accuracy Index, and choosing zones by it.

Chainey, Tompson and Uhlig (2008) judge a hotspot map by the share of crime inside its zones (the
*hit rate*) against the share of the study area they cover (the *area share*):

    PAI = hit rate / area share = (n / N) / (a / A).

A PAI of 1 is what zones drawn at random would do; 10 means the zones hold ten times their share
of crime. Both parts are reported, because a high PAI from tiny zones that hold 2% of crime is a
different result from a lower PAI that holds 40%.

The *study area* A is where crime can happen: by default the cells of a 250 m British National
Grid that hold at least one record of the data in the window (towns, roads and villages, not the
fields and the estuary), which keeps the PAI of a rural force comparable with a city's. Zones
defined by LSOA or district lists have no boundary in the records, so their area is counted the
same way: the populated cells most of whose records fall in the listed areas.

:func:`propose_cells` chooses N square zones that hold the most crime (or harm) in a training
window within an area budget; evaluating the same zones on the *following* window (out of sample)
is the honest test of whether they would have worked.

Reference
---------
Chainey, S., Tompson, L. and Uhlig, S. (2008). The utility of hotspot mapping for predicting
spatial patterns of crime. *Security Journal* 21, 4-28.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

STUDY_CELL_M: Final = 250
"""Side of the grid cells that measure the study area, in metres."""


@dataclass(frozen=True, slots=True)
class PredictiveAccuracy:
    """The PAI of a zone set over a window, with its two parts."""

    hits: float  # records (or harm) inside the zones
    total: float  # records (or harm) in the study area
    zone_area_m2: float
    study_area_m2: float

    @property
    def hit_rate(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def area_share(self) -> float:
        return self.zone_area_m2 / self.study_area_m2 if self.study_area_m2 else 0.0

    @property
    def pai(self) -> float | None:
        return self.hit_rate / self.area_share if self.area_share else None


def predictive_accuracy(hits: float, total: float, zone_area_m2: float, study_area_m2: float) -> PredictiveAccuracy:
    """The PAI from its four quantities; ``ValueError`` for impossible ones."""
    if not 0 <= hits <= total:
        raise ValueError("the records inside the zones must be between 0 and the total")
    if not 0 <= zone_area_m2 <= study_area_m2 or study_area_m2 <= 0:
        raise ValueError("the zones' area must be positive and no more than the study area")
    return PredictiveAccuracy(float(hits), float(total), float(zone_area_m2), float(study_area_m2))


def grid_cells(east: npt.ArrayLike, north: npt.ArrayLike, size: float = STUDY_CELL_M) -> npt.NDArray[np.int64]:
    """The (column, row) of each point's grid cell of ``size`` metres (located points only)."""
    e = np.asarray(east, dtype=np.float64)
    n = np.asarray(north, dtype=np.float64)
    return np.column_stack([np.floor(e / size), np.floor(n / size)]).astype(np.int64)


def _keys(cells: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One int64 per (column, row): a 1-D unique is several times faster than a unique of rows."""
    return (cells[:, 0] << 32) + cells[:, 1]


def populated_area_m2(east: npt.ArrayLike, north: npt.ArrayLike, size: float = STUDY_CELL_M) -> float:
    """The area of the grid cells that hold at least one point."""
    cells = grid_cells(east, north, size)
    return float(len(np.unique(_keys(cells))) * size * size) if len(cells) else 0.0


def listed_area_m2(
    east: npt.ArrayLike, north: npt.ArrayLike, inside: npt.ArrayLike, size: float = STUDY_CELL_M
) -> float:
    """The area of the populated cells most of whose points are ``inside`` (a list zone's area)."""
    cells = grid_cells(east, north, size)
    if not len(cells):
        return 0.0
    _, cell, counts = np.unique(_keys(cells), return_inverse=True, return_counts=True)
    inside_counts = np.bincount(cell.ravel(), weights=np.asarray(inside, dtype=np.float64), minlength=len(counts))
    return float(np.count_nonzero(inside_counts * 2 > counts) * size * size)


@dataclass(frozen=True, slots=True)
class ProposedCell:
    """A square zone: its south-west corner and side on the British National Grid, and what it held."""

    east: float
    north: float
    side_m: float
    weight: float  # records or harm in the training window


def propose_cells(
    east: npt.ArrayLike, north: npt.ArrayLike, weights: npt.ArrayLike, *, n: int, budget_m2: float
) -> list[ProposedCell]:
    """The ``n`` squares of side sqrt(budget / n) holding the most weight, heaviest first.

    The squares are cells of one grid, so they never overlap and their total area is the budget
    exactly. ``ValueError`` when there are fewer weighted cells than ``n``.
    """
    if n < 1 or budget_m2 <= 0:
        raise ValueError("give at least one zone and a positive area budget")
    side = float(np.sqrt(budget_m2 / n))
    cells = grid_cells(east, north, side)
    w = np.asarray(weights, dtype=np.float64)
    unique, cell = np.unique(cells, axis=0, return_inverse=True)
    totals = np.bincount(cell.ravel(), weights=w, minlength=len(unique))
    order = np.lexsort((unique[:, 1], unique[:, 0], -totals))  # heaviest; ties by position, reproducibly
    chosen = [i for i in order if totals[i] > 0][:n]
    if len(chosen) < n:
        raise ValueError(f"only {len(chosen)} cell(s) of {side:.0f} m hold any records: ask for fewer zones")
    return [
        ProposedCell(float(unique[i, 0] * side), float(unique[i, 1] * side), side, float(totals[i])) for i in chosen
    ]


MIN_PLACEBO_RECORDS: Final = 10
"""The fewest records a placebo square needs in each window to say anything about drift."""


def placebo_log_ratios(
    east: npt.ArrayLike,
    north: npt.ArrayLike,
    before: npt.ArrayLike,
    after: npt.ArrayLike,
    *,
    area_m2: float,
    shift: tuple[float, float] = (0.0, 0.0),
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Log rate ratios of placebo squares against the rest, and their Poisson variances.

    ``before`` and ``after`` are each record's weight in the two windows (0 outside them); the
    records are those where no zone acts. The placebos are the squares of a grid with cells of
    ``area_m2`` holding at least :data:`MIN_PLACEBO_RECORDS` in each window, each compared with
    all the other records as a zone is; ``shift`` moves the grid's lines (metres). The variance of
    a log ratio of ratios of Poisson counts is 1/a + 1/b + 1/A + 1/B; what the placebos vary beyond
    it is drift.
    """
    b_w = np.asarray(before, dtype=np.float64)
    a_w = np.asarray(after, dtype=np.float64)
    if area_m2 <= 0 or not len(b_w):
        return np.empty(0), np.empty(0)
    e = np.asarray(east, dtype=np.float64) + shift[0]
    n = np.asarray(north, dtype=np.float64) + shift[1]
    _, cell = np.unique(_keys(grid_cells(e, n, float(np.sqrt(area_m2)))), return_inverse=True)
    b = np.bincount(cell.ravel(), weights=b_w)
    a = np.bincount(cell.ravel(), weights=a_w)
    rest_b, rest_a = b_w.sum() - b, a_w.sum() - a
    chosen = (b >= MIN_PLACEBO_RECORDS) & (a >= MIN_PLACEBO_RECORDS) & (rest_b > 0) & (rest_a > 0)
    b, a, rest_b, rest_a = b[chosen], a[chosen], rest_b[chosen], rest_a[chosen]
    return np.log(a / b) - np.log(rest_a / rest_b), 1 / a + 1 / b + 1 / rest_a + 1 / rest_b
