"""Gi* agrees with PySAL's esda to 1e-6; FDR agrees with statsmodels; hot cells are where planted."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeprev.spatial.getis_ord import gi_star
from crimeprev.spatial.hotspots import find_hotspots
from crimeprev.spatial.units import Cells, SpatialUnit
from crimeprev.stats.fdr import benjamini_hochberg


def _esda_z(values: np.ndarray, rows: int, cols: int, rook: bool) -> tuple[np.ndarray, sp.csr_matrix]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda and libpysal warn about their own dependencies
        from esda.getisord import G_Local
        from libpysal.weights import lat2W

        w = lat2W(rows, cols, rook=rook)
        local = G_Local(values, w, transform="B", star=1.0, permutations=0)
    return np.asarray(local.Zs), sp.csr_matrix(lat2W(rows, cols, rook=rook).sparse)


@pytest.mark.parametrize(("rows", "cols", "rook"), [(10, 10, False), (7, 13, True), (30, 30, False)])
def test_gi_star_agrees_with_esda(rows: int, cols: int, rook: bool) -> None:
    rng = np.random.default_rng(rows * cols)
    values = rng.poisson(rng.gamma(1.0, 3.0, rows * cols)).astype(float)
    values[5] += 40  # something to find
    expected, neighbours = _esda_z(values, rows, cols, rook)
    got = gi_star(values, neighbours)
    np.testing.assert_allclose(got.z, expected, atol=1e-6, rtol=0)


def test_gi_star_by_hand() -> None:
    # Three cells in a row; cell 0 neighbours 1, 1 neighbours 0 and 2.
    x = np.array([4.0, 1.0, 1.0])
    w = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    n, total, mean = 3, 6.0, 2.0
    variance = (16 + 1 + 1) / 3 - mean**2  # population variance: 2
    cardinality = 2  # cell 0 and cell 1
    statistic = (4 + 1) / total
    var = cardinality * (n - cardinality) / (n - 1) / n**2 * variance / mean**2
    z0 = (statistic - cardinality / n) / np.sqrt(var)
    assert gi_star(x, w).z[0] == pytest.approx(z0, abs=1e-12)


def test_gi_star_refuses_a_flat_map() -> None:
    with pytest.raises(ValueError, match="differ"):
        gi_star(np.ones(5), sp.csr_matrix((5, 5)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=60), st.sampled_from([0.01, 0.05, 0.2]))
def test_fdr_agrees_with_statsmodels(p_values: list[float], q: float) -> None:
    from statsmodels.stats.multitest import multipletests

    reject, adjusted, _, _ = multipletests(p_values, alpha=q, method="fdr_bh")
    ours = benjamini_hochberg(p_values, q)
    np.testing.assert_allclose(ours.adjusted, adjusted, atol=1e-12)
    assert ours.significant.tolist() == reject.tolist()


def test_find_hotspots_names_the_planted_cell_and_counts_every_record() -> None:
    side = 12
    ids = tuple(f"{i}" for i in range(side * side))
    grid = sp.lil_matrix((side * side, side * side))
    for r in range(side):
        for c in range(side):
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (dr or dc) and 0 <= r + dr < side and 0 <= c + dc < side:
                        grid[r * side + c, (r + dr) * side + c + dc] = 1
    cells = Cells(SpatialUnit("grid", 250), ids, np.zeros(side * side), np.zeros(side * side), sp.csr_matrix(grid))
    rng = np.random.default_rng(3)
    records = [str(i) for i in rng.integers(0, side * side, 600)]
    centre = 5 * side + 5
    records += [str(centre)] * 40 + [str(centre + 1)] * 30 + [str(centre + side)] * 30
    result = find_hotspots(cells, records, no_location=3, outside_force=2)
    assert result.records == len(records) + 5 and result.placed == len(records)
    assert str(centre) in {c.cell for c in result.hot}
    assert all(c.adjusted_p <= 0.05 for c in result.hot)
    with pytest.raises(ValueError, match="not cells of the map"):
        find_hotspots(cells, ["nowhere"])


def test_no_hotspots_on_a_map_of_pure_chance() -> None:
    side = 40
    rows, cols = [], []
    for r in range(side):
        for c in range(side):
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                if 0 <= r + dr < side and 0 <= c + dc < side:
                    rows.append(r * side + c)
                    cols.append((r + dr) * side + c + dc)
    w = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(side * side, side * side))
    w = sp.csr_matrix(((w + w.T) > 0).astype(float))
    ids = tuple(str(i) for i in range(side * side))
    cells = Cells(SpatialUnit("grid", 250), ids, np.zeros(side * side), np.zeros(side * side), w)
    noise = [str(i) for i in np.random.default_rng(11).integers(0, side * side, 5_000)]
    result = find_hotspots(cells, noise)
    assert result.hot == () and result.cold == ()
