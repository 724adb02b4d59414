"""Spatial units: which cell each record falls in, where each cell is, which cells neighbour.

Three kinds of unit, named as on the command line:

* ``grid:SIZE``: squares of SIZE metres on the British National Grid (EPSG:27700, via pyproj),
  identified by their south-west corner; neighbours are the eight squares around (queen contiguity);
* ``h3:RES``: H3 hexagons of resolution RES (the ``h3`` package; resolution 9 is about 0.1 km2);
  neighbours are the six hexagons around;
* ``lsoa``: the records' LSOAs; there are no boundaries in the records, so each LSOA's place is
  the mean of its records' points and its neighbours are its six nearest LSOAs (made symmetric).

A map's cells are those that hold at least one record of the *universe* it is built from (for a
hotspot map: every located record of the source in the window), so that cells where nothing is
ever recorded (fields, the estuary) neither dilute nor inflate the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

import h3  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]
from pyproj import Transformer
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
KINDS: Final = ("grid", "h3", "lsoa")
LSOA_NEIGHBOURS: Final = 6
DEFAULT_UNIT: Final = "grid:250"


@dataclass(frozen=True)
class SpatialUnit:
    """A kind of cell and its size: metres for ``grid``, resolution for ``h3``, 0 for ``lsoa``."""

    kind: str
    size: int = 0

    @classmethod
    def parse(cls, text: str) -> SpatialUnit:
        """``grid:250``, ``h3:9`` or ``lsoa``; ``ValueError`` says what is accepted."""
        kind, _, size = text.strip().lower().partition(":")
        accepted = "grid:METRES (e.g. grid:250), h3:RESOLUTION (0-15, e.g. h3:9) or lsoa"
        if kind == "lsoa" and not size:
            return cls("lsoa")
        if kind in ("grid", "h3") and size.isdigit():
            value = int(size)
            if kind == "grid" and 10 <= value <= 100_000:
                return cls("grid", value)
            if kind == "h3" and 0 <= value <= 15:
                return cls("h3", value)
        raise ValueError(f"unknown spatial unit {text!r}: use {accepted}")

    def __str__(self) -> str:
        return self.kind if self.kind == "lsoa" else f"{self.kind}:{self.size}"


@dataclass(frozen=True)
class Cells:
    """The cells of a map: ids, centre points and the 0/1 neighbour matrix (no diagonal)."""

    unit: SpatialUnit
    ids: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray
    neighbours: sp.csr_matrix

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, ids: npt.ArrayLike) -> IntArray:
        """The position of each id among the cells (-1 where it is not one of them)."""
        lookup = {cell: i for i, cell in enumerate(self.ids)}
        return np.array([lookup.get(str(c), -1) for c in np.asarray(ids, dtype=object)], dtype=np.int64)


@cache
def _to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@cache
def _from_bng() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_bng(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Eastings and northings in metres on the British National Grid."""
    east, north = _to_bng().transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)


def from_bng(east: npt.ArrayLike, north: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Latitudes and longitudes of British National Grid points."""
    lon, lat = _from_bng().transform(np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64))
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)


def _grid_ids(size: int, lat: FloatArray, lon: FloatArray) -> npt.NDArray[np.object_]:
    east, north = to_bng(lat, lon)
    ix = np.floor(east / size).astype(np.int64) * size
    iy = np.floor(north / size).astype(np.int64) * size
    return np.array([f"{x}:{y}" for x, y in zip(ix, iy, strict=True)], dtype=object)


def _h3_ids(resolution: int, lat: FloatArray, lon: FloatArray) -> npt.NDArray[np.object_]:
    points, inverse = np.unique(np.column_stack([lat, lon]), axis=0, return_inverse=True)
    cells = np.array([h3.latlng_to_cell(a, b, resolution) for a, b in points], dtype=object)
    return cells[inverse.ravel()]


def cell_ids(unit: SpatialUnit, lat: npt.ArrayLike, lon: npt.ArrayLike, lsoa: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """The cell of each located record (pass located records only)."""
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    if unit.kind == "grid":
        return _grid_ids(unit.size, la, lo)
    if unit.kind == "h3":
        return _h3_ids(unit.size, la, lo)
    return np.asarray(lsoa, dtype=object)


def _symmetric(rows: list[int], cols: list[int], n: int) -> sp.csr_matrix:
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    m = ((m + m.T) > 0).astype(np.float64)
    m.setdiag(0)
    m.eliminate_zeros()
    return sp.csr_matrix(m)


def build_cells(unit: SpatialUnit, ids: npt.ArrayLike, lat: npt.ArrayLike, lon: npt.ArrayLike) -> Cells:
    """The cells holding ``ids`` (one per universe record, with its point), their centres and neighbours."""
    record_ids = np.asarray(ids, dtype=object).astype(str)
    unique, inverse = np.unique(record_ids, return_inverse=True)
    n = unique.size
    if unit.kind == "grid":
        corner = np.array([[int(v) for v in c.split(":")] for c in unique], dtype=np.int64).reshape(n, 2)
        centre = corner + unit.size / 2
        lat_c, lon_c = from_bng(centre[:, 0], centre[:, 1])
        position = {(int(x), int(y)): i for i, (x, y) in enumerate(corner)}
        rows, cols = [], []
        for i, (x, y) in enumerate(corner):
            for dx in (-unit.size, 0, unit.size):
                for dy in (-unit.size, 0, unit.size):
                    j = position.get((int(x + dx), int(y + dy)))
                    if j is not None and j != i:
                        rows.append(i)
                        cols.append(j)
        return Cells(unit, tuple(unique), np.asarray(lat_c), np.asarray(lon_c), _symmetric(rows, cols, n))
    if unit.kind == "h3":
        centres = np.array([h3.cell_to_latlng(c) for c in unique], dtype=np.float64).reshape(n, 2)
        position = {c: i for i, c in enumerate(unique)}
        rows, cols = [], []
        for i, c in enumerate(unique):
            for other in h3.grid_disk(c, 1):
                j = position.get(other)
                if j is not None and j != i:
                    rows.append(i)
                    cols.append(j)
        return Cells(unit, tuple(unique), centres[:, 0], centres[:, 1], _symmetric(rows, cols, n))
    inv = inverse.ravel()
    lat_c = np.bincount(inv, weights=np.asarray(lat, dtype=np.float64), minlength=n) / np.bincount(inv, minlength=n)
    lon_c = np.bincount(inv, weights=np.asarray(lon, dtype=np.float64), minlength=n) / np.bincount(inv, minlength=n)
    east, north = to_bng(lat_c, lon_c)
    k = min(LSOA_NEIGHBOURS + 1, n)
    _, nearest = cKDTree(np.column_stack([east, north])).query(np.column_stack([east, north]), k=k)
    rows = [i for i in range(n) for _ in range(k - 1)]
    cols = [int(j) for row in np.atleast_2d(nearest) for j in row[1:]]
    return Cells(unit, tuple(unique), lat_c, lon_c, _symmetric(rows, cols, n))
