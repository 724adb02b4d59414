"""Benchmark: hotspot statistics at force scale, crimeprev side by side with PySAL (issue 10).

One million synthetic points (seeded: clusters of different sizes over a background, like crime)
on a 225 x 225 lattice of 250 m squares (50,625 cells), and for each step crimeprev's time and peak
memory beside a direct call of the reference library on the same data in the same run:

* Gi* of every cell with queen neighbours: ``crimeprev.spatial.getis_ord.gi_star`` plus the
  Benjamini-Hochberg FDR step, against ``esda.G_Local(y, w, transform="B", star=1.0,
  permutations=0)`` (the same statistic; the test suite shows agreement to 1e-6), each including
  building its neighbour structure (crimeprev's from cell ids, libpysal's ``lat2W``);
* kernel density at every cell centre from the million points: crimeprev's quartic kernel of
  400 m against scikit-learn's ``KernelDensity`` (Epanechnikov kernel, the nearest compact kernel
  it has, same radius, ball tree), evaluated at the same centres.

* a 20-zone evaluation: the same million points given months (24) and places, 20 circular zones
  of 600 m where the clusters are; crimeprev's ``evaluate_zone_records`` (membership, monthly
  counts, the rate ratio of each zone and of all of them against the rest of the force, the
  placebo squares that measure drift, a 250 m buffer ring per zone, the PAI) against what an
  analyst would otherwise run, a geopandas spatial join of the points to the zones and a count per
  zone and month (counts only, no statistics); the two counts must agree exactly.
Run: ``python bench/places.py [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from crimeprev.spatial.density import quartic_density
from crimeprev.spatial.getis_ord import gi_star
from crimeprev.spatial.units import SpatialUnit, build_cells
from crimeprev.stats.fdr import benjamini_hochberg
from results import Section, ratio

CELL_M = 250
RADIUS_M = 400.0
SEED = 10


def measure(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds and peak traced MiB of one run of ``work`` (NumPy's buffers are traced)."""
    tracemalloc.start()
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, result


def synthetic_points(n: int, side: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in metres over a ``side`` x ``side`` lattice: half in Gaussian clusters, half spread."""
    extent = side * CELL_M
    centres = rng.uniform(0, extent, (60, 2))
    sizes = rng.gamma(0.7, 1.0, 60)
    clustered = n // 2
    which = rng.choice(60, size=clustered, p=sizes / sizes.sum())
    spread = rng.uniform(150, 900, 60)[which]
    points = np.vstack([
        centres[which] + rng.normal(0, 1, (clustered, 2)) * spread[:, None],
        rng.uniform(0, extent, (n - clustered, 2)),
    ])  # fmt: skip
    return np.clip(points, 0, extent - 1e-6)


ORIGIN = (550_000.0, 170_000.0)  # BNG metres: the synthetic lattice sits over Essex
ZONES = 20
OURS_ZONES = f"{ZONES}-zone evaluation, crimeprev (rate ratios, placebos, rings, PAI)"
GEOPANDAS_ZONES = f"{ZONES}-zone counts, geopandas (sjoin + count per zone and month)"
ZONE_RADIUS_M = 600.0
MONTHS = 24


def zone_inputs(points: np.ndarray, rng: np.random.Generator) -> tuple[Any, list[Any], np.ndarray]:
    """Records with places and months, 20 circular zones where they cluster, and each record's month index."""
    from crimeprev.indicators.records import RecordPlaces
    from crimeprev.spatial.units import from_bng
    from crimeprev.spatial.zones import parse_zone, zone_definition

    east, north = points[:, 0] + ORIGIN[0], points[:, 1] + ORIGIN[1]
    lat, lon = from_bng(east, north)
    month = rng.integers(0, MONTHS, len(points))
    months = np.datetime64("2022-04", "M") + month
    n = len(points)
    no_day = np.full(n, np.datetime64("NaT"), "datetime64[D]")
    places = RecordPlaces(
        lat, lon, ["E01000001"] * n, ["ok"] * n, ["Essex"] * n, months.astype("datetime64[D]"), [None] * n, no_day
    )
    cells = np.floor(points / 2000).astype(np.int64)
    busiest, counts = np.unique(cells, axis=0, return_counts=True)
    zones = []
    for k, (cx, cy) in enumerate(busiest[np.argsort(-counts)][:ZONES]):
        angle = np.linspace(0, 2 * np.pi, 65)
        ring_lat, ring_lon = from_bng(ORIGIN[0] + (cx + 0.5) * 2000 + ZONE_RADIUS_M * np.cos(angle),
                                      ORIGIN[1] + (cy + 0.5) * 2000 + ZONE_RADIUS_M * np.sin(angle))  # fmt: skip
        ring = [[float(a), float(b)] for a, b in zip(ring_lon, ring_lat, strict=True)]
        ring[-1] = ring[0]
        geometry = zone_definition("polygon", {"type": "Polygon", "coordinates": [ring]})
        zones.append(parse_zone(f"z{k:02d}", f"Zone {k}", "polygon", geometry, dt.date(2023, 4, 1), None))
    return places, zones, month


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="10,000 points on a 30 x 30 lattice.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    n, side = (10_000, 30) if args.smoke else (1_000_000, 225)
    with warnings.catch_warnings():  # the libraries' import time is not the statistic's
        warnings.simplefilter("ignore")
        import esda.getisord  # noqa: F401
        import libpysal.weights  # noqa: F401
        import sklearn.neighbors  # noqa: F401
    rng = np.random.default_rng(SEED)
    points = synthetic_points(n, side, rng)
    ix = (points[:, 0] // CELL_M).astype(np.int64)
    iy = (points[:, 1] // CELL_M).astype(np.int64)
    counts = np.bincount(iy * side + ix, minlength=side * side).astype(np.float64)
    # Cell ids in crimeprev's grid form (south-west corner "east:north"), row-major like lat2W.
    ids = np.array([f"{(k % side) * CELL_M}:{(k // side) * CELL_M}" for k in range(side * side)], dtype=object)
    centres = np.column_stack(
        [(np.arange(side * side) % side + 0.5) * CELL_M, (np.arange(side * side) // side + 0.5) * CELL_M]
    )

    def ours_gi() -> Any:
        cells = build_cells(SpatialUnit("grid", CELL_M), ids, np.zeros(len(ids)), np.zeros(len(ids)))
        order = cells.index(ids)  # cells are sorted by id: put the counts in the cells' order
        values = np.zeros(len(cells))
        values[order] = counts
        stat = gi_star(values, cells.neighbours)
        return stat.z[order], benjamini_hochberg(stat.p_value).discoveries

    def esda_gi() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from esda.getisord import G_Local
            from libpysal.weights import lat2W

            w = lat2W(side, side, rook=False)
            return np.asarray(G_Local(counts, w, transform="B", star=1.0, permutations=0).Zs)

    def ours_kde() -> Any:
        return quartic_density(points, centres, RADIUS_M)

    def sklearn_kde() -> Any:
        from sklearn.neighbors import KernelDensity

        model = KernelDensity(kernel="epanechnikov", bandwidth=RADIUS_M, algorithm="ball_tree").fit(points)
        return np.exp(model.score_samples(centres))

    places, zones, month = zone_inputs(points, rng)

    def ours_zones() -> Any:
        from crimeprev.model.strategy import Indicator
        from crimeprev.operations.zones import evaluate_zone_records

        indicator = Indicator(id="records", title="Records", source="offences", definition="every record")
        return evaluate_zone_records(indicator, places, zones, dt.date(2022, 4, 1), before=None, after=None,
                                     edges=(0.0, 250.0), harm=None)  # fmt: skip

    def geopandas_zones() -> Any:
        import geopandas as gpd

        from crimeprev.spatial.units import to_bng

        east, north = to_bng(places.lat, places.lon)
        frame = gpd.GeoDataFrame({"month": month}, geometry=gpd.points_from_xy(east, north), crs=27700)
        shapes = gpd.GeoDataFrame({"zone": [z.zone_id for z in zones]}, geometry=[z.shape for z in zones], crs=27700)
        joined = gpd.sjoin(frame, shapes, predicate="within")
        return joined.groupby(["zone", "month"]).size()

    rows = {}
    for label, work in (("Gi*, crimeprev (neighbours + Gi* + FDR)", ours_gi), ("Gi*, esda (lat2W + G_Local)", esda_gi),
                        ("kernel density, crimeprev (quartic)", ours_kde),
                        ("kernel density, scikit-learn (Epanechnikov)", sklearn_kde),
                        (OURS_ZONES, ours_zones), (GEOPANDAS_ZONES, geopandas_zones)):  # fmt: skip
        rows[label] = measure(work)
    evaluation, joined = rows[OURS_ZONES][2], rows[GEOPANDAS_ZONES][2]
    zone_counts_agree = all(
        r.comparison is not None
        and r.comparison.inside
        == (
            float(joined.loc[r.zone.zone_id].reindex(range(0, 12), fill_value=0).sum()),
            float(joined.loc[r.zone.zone_id].reindex(range(12, 24), fill_value=0).sum()),
        )
        for r in evaluation.results
        if r.zone is not None
    )
    (our_z, discoveries), their_z = (
        rows["Gi*, crimeprev (neighbours + Gi* + FDR)"][2],
        rows["Gi*, esda (lat2W + G_Local)"][2],
    )
    agreement = float(np.max(np.abs(our_z - their_z)))
    section = Section(
        "places",
        f"{n:,} synthetic clustered points on a {side} x {side} lattice of {CELL_M} m cells ({side * side:,} cells); "
        f"each step once, side by side in one run; peak memory traced by tracemalloc. Gi* z-scores of crimeprev and "
        f"esda differ by at most {agreement:.1e}; {discoveries:,} cells hot or cold at FDR 0.05. Kernel density at "
        f"every cell centre, radius {RADIUS_M:.0f} m (the two kernels differ in shape, so only the time compares). "
        f"{ZONES} circular zones of {ZONE_RADIUS_M:.0f} m over {MONTHS} months: crimeprev's zone counts "
        f"{'equal' if zone_counts_agree else 'DIFFER FROM'} geopandas' (crimeprev also computes the statistics).",
        packages=("numpy", "scipy", "esda", "libpysal", "scikit-learn", "shapely", "geopandas"),
        header=("step", "seconds", "peak MiB", "vs reference"),
    )
    pairs = {
        "Gi*, crimeprev (neighbours + Gi* + FDR)": "Gi*, esda (lat2W + G_Local)",
        "kernel density, crimeprev (quartic)": "kernel density, scikit-learn (Epanechnikov)",
        OURS_ZONES: GEOPANDAS_ZONES,
    }
    for label, (seconds, peak, _) in rows.items():
        reference = pairs.get(label)
        section.row(
            label, f"{seconds:.2f}", f"{peak:,.0f}", ratio(seconds, rows[reference][0]) if reference else "1.00x"
        )
    section.target("Gi* agrees with esda to 1e-6", agreement <= 1e-6, f"max difference {agreement:.1e}")
    section.target("zone counts equal geopandas' spatial join", zone_counts_agree, f"{ZONES} zones x 2 windows")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()
