"""Near repeats: after a burglary, is the risk raised nearby, and for how long? (a Knox test)

Every pair of records is classed by how far apart they are (distance bands) and how many days
apart (time bands). If offences cluster in space and time beyond what their separate spatial and
temporal patterns explain, pairs close in both are more common than when the dates are shuffled
among the same places (Knox, 1964, *Applied Statistics* 13(1), 25-29; the near-repeat method of
Townsley, Homel and Chaseling, 2003, *British Journal of Criminology* 43(3), 615-633, and
Ratcliffe's Near Repeat Calculator).

Method, stated for the annex:
- Distance bands: the same place (0 m), then bands of ``distance_band_m`` up to ``distance_bands``
  of them; time bands of ``time_band_days`` up to ``time_bands`` of them (the first includes the
  same day), and one band for everything later.
- Expected pairs: under shuffling, each pair of records gets two of the dates at random, so the
  expected count of a cell is exactly (pairs in the distance band) x (share of all pairs of dates
  whose gap falls in the time band). The Knox ratio is observed / expected.
- Significance: a one-sided Monte Carlo permutation test (``permutations`` shuffles of the dates,
  seeded, p = (1 + shuffles with at least the observed count) / (1 + shuffles)), then the
  Benjamini-Hochberg false discovery rate over the cells.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from crimeprev.stats.fdr import benjamini_hochberg

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class KnoxBands:
    """The space-time grid of the test."""

    distance_band_m: float = 100.0
    distance_bands: int = 4
    time_band_days: int = 7
    time_bands: int = 4

    def distance_labels(self) -> list[str]:
        edges = [self.distance_band_m * k for k in range(self.distance_bands + 1)]
        return ["same place", *(f"{a:g}-{b:g} m" for a, b in itertools.pairwise(edges))]

    def time_labels(self) -> list[str]:
        t = self.time_band_days
        return [f"{k * t + (1 if k else 0)}-{(k + 1) * t} days" for k in range(self.time_bands)] + [
            f"over {self.time_bands * t} days"
        ]


@dataclass(frozen=True, slots=True)
class KnoxResult:
    """Observed and expected pairs per cell (distance band x time band), with ratios and p-values."""

    bands: KnoxBands
    records: int
    observed: IntArray  # [distance band, time band]
    expected: FloatArray
    p_value: FloatArray
    adjusted_p: FloatArray
    significant: npt.NDArray[np.bool_]
    permutations: int
    fdr: float

    @property
    def ratio(self) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    def raised(self) -> tuple[str, str] | None:
        """How far and how long risk is raised after an offence, or None.

        Distance: the first week's column, from the nearest raised distance band outwards while
        the bands stay raised; time: that band's row, from the first week while it stays raised.
        A run that does not start at the same place or the first 100 m is described as the ring
        it covers ("between 100 and 300 m").
        """
        raised = self.significant & (self.ratio > 1)
        column = raised[:, 0]
        if not column.any():
            return None
        first = int(np.flatnonzero(column)[0])
        far = first
        while far + 1 < raised.shape[0] and column[far + 1]:
            far += 1
        band = self.bands.distance_band_m
        if far == 0:
            distance = "at the same place"
        elif first <= 1:
            distance = f"within {band * far:g} m"
        else:
            distance = f"between {band * (first - 1):g} and {band * far:g} m"
        long = 0
        while long + 1 < self.bands.time_bands and raised[first, long + 1]:
            long += 1
        return distance, f"{(long + 1) * self.bands.time_band_days} days"

    def as_dict(self) -> dict[str, Any]:
        ratio = self.ratio
        cells = [
            {
                "distance": d_label,
                "time": t_label,
                "observed": int(self.observed[i, j]),
                "expected": round(float(self.expected[i, j]), 2),
                "knox_ratio": None if np.isnan(ratio[i, j]) else round(float(ratio[i, j]), 2),
                "p": round(float(self.p_value[i, j]), 4),
                "adjusted_p": round(float(self.adjusted_p[i, j]), 4),
                "raised": bool(self.significant[i, j] and ratio[i, j] > 1),
            }
            for i, d_label in enumerate(self.bands.distance_labels())
            for j, t_label in enumerate(self.bands.time_labels())
        ]
        raised = self.raised()
        return {
            "records": self.records,
            "method": (
                f"Knox test: pairs by distance and days apart against the same places with dates shuffled; "
                f"one-sided Monte Carlo p-values ({self.permutations} shuffles), Benjamini-Hochberg false "
                f"discovery rate {self.fdr:g}"
            ),
            "raised": None if raised is None else {"distance": raised[0], "for": raised[1]},
            "cells": cells,
        }


def _distance_band(distance: FloatArray, bands: KnoxBands) -> IntArray:
    band = np.ceil(distance / bands.distance_band_m).astype(np.int64)  # 0 m -> 0, (0, 100] -> 1, ...
    # query_pairs and hypot may round differently at the outer edge: keep such a pair in the last band
    return np.where(distance <= 1e-6, 0, np.clip(band, 1, bands.distance_bands))


def _time_band(gap: IntArray, bands: KnoxBands) -> IntArray:
    band = np.maximum(np.ceil(gap / bands.time_band_days).astype(np.int64) - 1, 0)  # 0..7 -> 0, 8..14 -> 1
    return np.minimum(band, bands.time_bands)


def _gap_shares(day: IntArray, bands: KnoxBands) -> FloatArray:
    """Share of all pairs of distinct records whose day gap falls in each time band (exact)."""
    n = day.size
    total = n * (n - 1) / 2
    offset = day - day.min()
    counts = np.bincount(offset).astype(np.float64)
    # pairs at gap g > 0: sum over v of c[v] c[v + g]; at gap 0: sum c (c - 1) / 2
    full = np.correlate(counts, counts, mode="full")[counts.size - 1 :]
    full[0] = float((counts * (counts - 1) / 2).sum())
    gaps = np.arange(full.size, dtype=np.int64)
    shares = np.bincount(_time_band(gaps, bands), weights=full, minlength=bands.time_bands + 1)
    return np.asarray(shares / total if total else shares, dtype=np.float64)


def knox_test(
    east: FloatArray,
    north: FloatArray,
    day: IntArray,
    *,
    bands: KnoxBands | None = None,
    permutations: int = 999,
    fdr: float = 0.05,
    seed: int = 20240401,
) -> KnoxResult:
    """The Knox test of records at ``east``/``north`` (metres) on ``day`` (day numbers)."""
    bands = bands or KnoxBands()
    east, north = np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)
    day = np.asarray(day, dtype=np.int64)
    if day.size < 2:
        raise ValueError("a near-repeat test needs at least two records with a place and a date")
    cells = (bands.distance_bands + 1) * (bands.time_bands + 1)
    if (1 + permutations) * fdr < cells:
        # The smallest p-value is 1 / (1 + permutations); Benjamini-Hochberg needs fdr / cells.
        raise ValueError(
            f"{permutations} shuffles cannot show anything at a false discovery rate of {fdr:g} over {cells} cells: "
            f"use at least {int(np.ceil(cells / fdr)) - 1}"
        )
    tree = cKDTree(np.column_stack([east, north]))
    pairs = tree.query_pairs(bands.distance_band_m * bands.distance_bands, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    d_band = _distance_band(np.hypot(east[i] - east[j], north[i] - north[j]), bands)
    shape = (bands.distance_bands + 1, bands.time_bands + 1)

    def table(days: IntArray) -> IntArray:
        t_band = _time_band(np.abs(days[i] - days[j]), bands)
        return np.bincount(d_band * shape[1] + t_band, minlength=shape[0] * shape[1]).reshape(shape)

    observed = table(day)
    per_distance = np.bincount(d_band, minlength=shape[0]).astype(np.float64)
    expected = per_distance[:, None] * _gap_shares(day, bands)[None, :]
    rng = np.random.default_rng(seed)
    at_least = np.zeros(shape, dtype=np.int64)
    for _ in range(permutations):
        at_least += table(rng.permutation(day)) >= observed
    p = np.asarray((1.0 + at_least) / (1.0 + permutations), dtype=np.float64)
    tested = benjamini_hochberg(p.ravel(), q=fdr)
    return KnoxResult(
        bands=bands,
        records=int(day.size),
        observed=observed,
        expected=expected,
        p_value=p,
        adjusted_p=tested.adjusted.reshape(shape),
        significant=tested.significant.reshape(shape),
        permutations=permutations,
        fdr=fdr,
    )
