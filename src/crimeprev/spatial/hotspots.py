"""Hotspot cells: where an indicator's records concentrate beyond chance, with FDR control.

Records are counted per cell (cells with none count as zero), Gi* is computed for every cell with
its immediate neighbours (``units.py`` states each unit's neighbourhood), and the two-sided
p-values are controlled for the false discovery rate with Benjamini-Hochberg: among the cells
called hot or cold, the expected share called so by chance is at most ``q``. A hot cell is a
significant cell with z > 0, a cold cell one with z < 0.

Records without a location, or outside the force area, are not placed on the map; they are
counted and reported, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from crimeprev.spatial.getis_ord import gi_star
from crimeprev.spatial.units import Cells
from crimeprev.stats.fdr import benjamini_hochberg

DEFAULT_FDR: Final = 0.05


@dataclass(frozen=True)
class HotspotCell:
    """One cell of the map: its count (or harm), Gi* z, p-value, FDR-adjusted p and class."""

    cell: str
    lat: float
    lon: float
    value: float
    z: float
    p_value: float
    adjusted_p: float
    category: str  # "hot", "cold" or "not significant"
    records: int  # the records in the cell (``value`` is their harm when weighted)


@dataclass(frozen=True)
class HotspotMap:
    """Every cell of the map, and how the records were accounted for."""

    unit: str
    fdr: float
    cells: tuple[HotspotCell, ...]
    records: int
    placed: int
    no_location: int
    outside_force: int

    @property
    def hot(self) -> tuple[HotspotCell, ...]:
        return tuple(sorted((c for c in self.cells if c.category == "hot"), key=lambda c: -c.z))

    @property
    def cold(self) -> tuple[HotspotCell, ...]:
        return tuple(sorted((c for c in self.cells if c.category == "cold"), key=lambda c: c.z))


def find_hotspots(
    cells: Cells,
    record_cells: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    no_location: int = 0,
    outside_force: int = 0,
    fdr: float = DEFAULT_FDR,
) -> HotspotMap:
    """Gi* hotspots of the records in ``record_cells`` (their cell ids) over ``cells``.

    ``weights`` (one per record, e.g. harm) replaces counting by summing; records in a cell that is
    not one of ``cells`` are an error, since the map would silently lose them.
    """
    position = cells.index(record_cells)
    if (position < 0).any():
        missing = sorted({str(c) for c, p in zip(np.asarray(record_cells, dtype=object), position, strict=True)
                          if p < 0})  # fmt: skip
        raise ValueError(f"{len(missing)} record cell(s) are not cells of the map, e.g. {missing[:3]}")
    w = np.ones(position.size) if weights is None else np.asarray(weights, dtype=np.float64)
    values = np.bincount(position, weights=w, minlength=len(cells)).astype(np.float64)
    counts = np.bincount(position, minlength=len(cells))
    stat = gi_star(values, cells.neighbours)
    tested = benjamini_hochberg(stat.p_value, q=fdr)
    category = np.where(tested.significant, np.where(stat.z > 0, "hot", "cold"), "not significant")
    out = tuple(
        HotspotCell(cells.ids[i], float(cells.lat[i]), float(cells.lon[i]), float(values[i]), float(stat.z[i]),
                    float(stat.p_value[i]), float(tested.adjusted[i]), str(category[i]), int(counts[i]))
        for i in range(len(cells))
    )  # fmt: skip
    records = int(position.size) + no_location + outside_force
    return HotspotMap(str(cells.unit), fdr, out, records, int(position.size), no_location, outside_force)
