"""Benchmark: national scale (issue 15): DuckDB, local Spark and pandas side by side, 2M to 20M rows.

On the synthetic national archive (``crimeprev demo-data --national``: 43 forces x 36 months of
data.police.uk street files) at each ``--scales`` size, one after another on the same machine:

- **ingest**: ``crimeprev ingest police-uk`` of the archive folder (every row validated, loaded or
  quarantined, Parquet partitions by force and month; the store is the same whichever engine
  computes later), against a pandas baseline that reads and validates every file the same way and
  writes Parquet per file;
- **all indicators for all forces**: every record-based indicator of the data.police.uk strategy
  for every force (``evaluate_forces``: rolling 12 months, quarter, ...), computed on DuckDB and on
  Spark (``local[*]``), against pandas computing the same monthly figures from the same Parquet
  partitions (the figures are checked equal before any time is printed); Spark's session start is
  timed apart;
- **peer comparison**: ``crimeprev [--engine spark] compare --group all`` end to end (a new process,
  as a user runs it), against pandas;
- **one force's full report**: ``crimeprev [--engine spark] report`` (HTML) end to end; there is no
  pandas report.

Each step runs in a process of its own, one at a time. Growth from the smallest to the largest
size is printed per step, and 200 million rows are projected on paper from it (a straight line
through the two measured sizes: fixed cost plus a cost per row).

Run: ``python bench/national.py [--scales 0.1,1.0] [--markdown PATH] [--smoke]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from results import ROOT, Section, ratio

CLI = [sys.executable, "-m", "crimeprev"]
STRATEGY = ROOT / "src" / "crimeprev" / "strategies" / "police-uk-example.yaml"
AS_OF = "2024-03"
PAPER_ROWS = 200_000_000
REPEAT = 3
"""All indicators for all forces are timed this many times in one process (best kept): a second is noisy."""


def cli(*args: str) -> float:
    """Seconds one crimeprev command takes, end to end in a new process."""
    start = time.perf_counter()
    subprocess.run([*CLI, *args], check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def child(kind: str, store: str) -> None:
    """In a process of its own: time all indicators for all forces on one engine, print JSON."""
    import warnings

    from crimeprev.indicators.insights import evaluate_forces
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.store.engines import backend_on
    from crimeprev.store.warehouse import Warehouse

    strategy = load_strategy(STRATEGY)
    month = date(2024, 3, 1)
    out: dict[str, Any] = {}
    times = []
    if kind == "pandas":
        for _ in range(REPEAT):
            start = time.perf_counter()
            out["figures"] = pandas_figures(Path(store), strategy, month)
            times.append(time.perf_counter() - start)
        out["seconds"] = min(times)
        print(json.dumps(out))
        return
    warnings.simplefilter("ignore", FutureWarning)
    with Warehouse.open(Path(store), read_only=True) as warehouse:
        start = time.perf_counter()
        with backend_on(warehouse, kind) as backend:
            out["session"] = time.perf_counter() - start
            for _ in range(REPEAT):
                start = time.perf_counter()
                results = evaluate_forces(backend, strategy, month)
                times.append(time.perf_counter() - start)
    out["seconds"] = min(times)
    out["figures"] = {
        f"{force}|{r.indicator.id}": c.current
        for force, rows in results.items()
        for r in rows
        for c in r.comparisons
        if c.kind == "rolling_12_months" and r.indicator.unit != "rate" and c.current is not None
    }
    print(json.dumps(out))


def pandas_figures(store: Path, strategy: Any, month: date) -> dict[str, float]:
    """The 12-month count of every count indicator for every force, by pandas from the store's partitions.

    Reads the active partition files the catalog lists (the columns the filters need) and applies
    each indicator's filter as a boolean mask: the baseline an analyst would write by hand.
    """
    import duckdb
    import pandas as pd

    from crimeprev.model.periods import add_months

    con = duckdb.connect(str(store), read_only=True)
    data = store.parent / f"{store.name}.data"
    first = add_months(month, -11)
    figures: dict[str, float] = {}
    for source, column in (("offences", "police_uk_category"), ("incidents", "incident_type")):
        listed = con.execute("SELECT path FROM partitions WHERE table_name = ? AND superseded_by IS NULL", [source])
        paths = [data / r[0] for r in listed.fetchall()]
        frame = pd.concat(
            (pd.read_parquet(p, columns=["force", "recorded_month", column]) for p in paths), ignore_index=True
        )
        months = pd.to_datetime(frame["recorded_month"])
        frame = frame[(months >= pd.Timestamp(first)) & (months <= pd.Timestamp(month))]
        for strand in strategy.strands():
            for indicator in strand.indicators:
                if indicator.source != source or indicator.unit == "rate" or indicator.filter.flags:
                    continue
                if "rolling_12_months" not in indicator.comparisons:
                    continue
                wanted = indicator.filter.categories if source == "offences" else indicator.filter.incident_types
                counts = frame[frame[column].isin(wanted)].groupby("force").size()
                for force, n in counts.items():
                    figures[f"{force}|{indicator.id}"] = float(n)
    con.close()
    return figures


def pandas_ingest(folder: Path, out: Path) -> float:
    """The pandas baseline of an ingest: every file read, validated and written as Parquet."""
    sys.path.insert(0, str(Path(__file__).parent))
    from ingest import run_pandas

    start = time.perf_counter()
    for k, path in enumerate(sorted(folder.rglob("*-street.csv"))):
        target = out / str(k)
        target.mkdir(parents=True)
        run_pandas(path, target)
    return time.perf_counter() - start


def engine_child(kind: str, store: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(store)], check=True, capture_output=True, text=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def pandas_compare(store: Path) -> float:
    """pandas: the 12-month burglary counts of every force, rates per 1,000 and ranks."""
    import pandas as pd

    from crimeprev.sources.force_table import load_force_table

    start = time.perf_counter()
    figures = pandas_figures(store, _strategy(), date(2024, 3, 1))
    people = {f.name: f.population for f in load_force_table().forces}
    counts = pd.Series({k.split("|")[0]: v for k, v in figures.items() if k.endswith("|burglary_offences")})
    rates = counts / pd.Series(people).reindex(counts.index) * 1000
    rates.rank(ascending=False, method="min")
    return time.perf_counter() - start


def _strategy() -> Any:
    from crimeprev.indicators.strategy_file import load_strategy

    return load_strategy(STRATEGY)


def measure_size(scale: float, months: int, forces: str | None, work: Path) -> dict[str, Any]:
    folder = work / f"data-{scale:g}"
    start = time.perf_counter()
    chosen = ["--forces", forces] if forces else []
    subprocess.run([*CLI, "demo-data", "--national", "--scale", str(scale), "--months", str(months), *chosen,
                    "--data-dir", str(folder)], check=True, capture_output=True)  # fmt: skip
    made = time.perf_counter() - start
    archive = folder / "national"
    store = work / f"national-{scale:g}.duckdb"
    got: dict[str, Any] = {"generate": made}
    got["ingest crimeprev"] = cli("--store", str(store), "ingest", "police-uk", str(archive), "--json")
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        got["ingest pandas"] = pandas_ingest(archive, Path(tmp))
    status = json.loads(
        subprocess.run(
            [*CLI, "--store", str(store), "status", "--json"], check=True, capture_output=True, text=True
        ).stdout
    )
    got["rows"] = sum(t["rows"] for name, t in status["tables"].items() if name in ("offences", "incidents"))
    files = list(archive.rglob("*-street.csv"))
    got["files"] = len(files)
    got["forces"] = len({f.name[8:].removesuffix("-street.csv") for f in files})  # YYYY-MM-<slug>-street.csv
    duck, spark, pandas = (engine_child(k, store) for k in ("duckdb", "spark", "pandas"))
    for name, other in (("spark", spark), ("pandas", pandas)):
        # every figure DuckDB shows (a window with a month missing is withheld, which pandas does not know)
        absent = 0.0 if name == "pandas" else None  # a force with none of the records has no pandas group
        mismatched = {k for k in duck["figures"] if other["figures"].get(k, absent) != duck["figures"][k]}
        if mismatched:
            raise SystemExit(f"{name} and DuckDB differ on {len(mismatched)} figures, e.g. {sorted(mismatched)[:3]}")
    got["indicators duckdb"], got["indicators spark"] = duck["seconds"], spark["seconds"]
    got["indicators pandas"], got["spark session"] = pandas["seconds"], spark["session"]
    got["figures"] = len(duck["figures"])
    compare = ["compare", "--indicator", "burglary_offences", "--as-of", AS_OF, "--strategy", str(STRATEGY),
               "--group", "all", "--json"]  # fmt: skip
    got["compare duckdb"] = cli("--store", str(store), *compare)
    got["compare spark"] = cli("--store", str(store), "--engine", "spark", *compare)
    got["compare pandas"] = pandas_compare(store)
    report = ["report", "--as-of", AS_OF, "--strategy", str(STRATEGY), "--format", "html"]
    with tempfile.TemporaryDirectory(dir=work) as out:
        got["report duckdb"] = cli("--store", str(store), *report, "--out", out)
        got["report spark"] = cli("--store", str(store), "--engine", "spark", *report, "--out", out)
    subprocess.run(["rm", "-rf", str(folder)], check=True)  # the CSVs are big; the store stays for the next step
    return got


REAL = ROOT.parent / "shared" / "data" / "police_uk" / "essex"
REAL_MONTHS = ("01", "02", "03", "04", "05", "06", "07", "10", "11", "12")  # and two of the next year, as below


def street_frame(files: list[Path]) -> Any:
    """Street files as one frame with the published column names (either header variant)."""
    import pandas as pd

    frames = []
    for path in files:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.columns = [
            "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
            "LSOA name", "Crime type", "Last outcome category", "Context",
        ]  # fmt: skip
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def structure_measures(frame: Any) -> dict[str, float]:
    """What a month of one force's street files looks like: volume, mix, places, spread."""
    crimes = frame[frame["Crime type"] != "Anti-social behaviour"]
    located = frame[frame["Latitude"] != ""]
    per_month = crimes.groupby("Month").size()
    lsoa = located.groupby("LSOA code").size().sort_values(ascending=False)
    top = lsoa.iloc[: max(1, len(lsoa) // 10)].sum() / lsoa.sum()
    settled = crimes[crimes["Last outcome category"] != "Under investigation"]
    return {
        "crimes a month": float(per_month.mean()),
        "month-to-month variance / mean": float(per_month.var(ddof=1) / per_month.mean()),
        "anti-social behaviour share": float((frame["Crime type"] == "Anti-social behaviour").mean()),
        "violence and sexual offences share of crimes": float(
            (crimes["Crime type"] == "Violence and sexual offences").mean()
        ),
        "burglary share of crimes": float((crimes["Crime type"] == "Burglary").mean()),
        "no location share": float((frame["Latitude"] == "").mean()),
        "records per map point (12 months)": float(len(located) / located.groupby(["Latitude", "Longitude"]).ngroups),
        "distinct location names": float(frame["Location"].nunique()),
        "top 10% of LSOAs' share of located records": float(top),
        "'no suspect identified' share of settled outcomes": float(
            (settled["Last outcome category"] == "Investigation complete; no suspect identified").mean()
        ),
    }


def structure(real: Path, work: Path) -> list[tuple[str, float, float]]:
    """The national demo's Essex Police (scale 1) beside the twelve real Essex files, calendar months matched."""
    folder = work / "essex-only"
    subprocess.run([*CLI, "demo-data", "--national", "--forces", "essex", "--data-dir", str(folder)], check=True,
                   capture_output=True)  # fmt: skip
    months = [f"2023-{m}" for m in REAL_MONTHS] + ["2024-01", "2024-02"]
    demo = street_frame([folder / "national" / m / f"{m}-essex-street.csv" for m in months])
    # the real files' early release (to 2018-07) still holds open outcomes, as the demo's last months do
    real_frame = street_frame(sorted(real.glob("*-street.csv")))
    ours, theirs = structure_measures(demo), structure_measures(real_frame)
    return [(name, theirs[name], ours[name]) for name in theirs]


STEPS = (
    ("ingest", ("ingest crimeprev", None, "ingest pandas")),
    ("all indicators, all forces", ("indicators duckdb", "indicators spark", "indicators pandas")),
    ("peer comparison (compare --group all)", ("compare duckdb", "compare spark", "compare pandas")),
    ("one force's full report (HTML)", ("report duckdb", "report spark", None)),
)


def per_row(small: dict[str, Any], big: dict[str, Any], key: str) -> float:
    """Seconds per row between the two sizes measured (never below nought: noise can make it so)."""
    return max(0.0, (big[key] - small[key]) / (big["rows"] - small["rows"]))


def projected(small: dict[str, Any], big: dict[str, Any], key: str) -> float:
    """Seconds at :data:`PAPER_ROWS` on a straight line through the two measured sizes."""
    return big[key] + per_row(small, big, key) * (PAPER_ROWS - big["rows"])


def crossover(small: dict[str, Any], big: dict[str, Any], cores: int) -> list[str]:
    """When Spark on a cluster would beat DuckDB on one machine, worked out from the costs measured.

    Each engine's time is taken as a fixed cost plus a cost per row, and the cost per row as
    falling in proportion to the cores (measured here on ``cores`` cores only). Spark on C cores
    beats DuckDB on M cores when its per-row cost at C is below DuckDB's at M and the rows pay back
    its larger fixed cost (the session start included). Where Spark's time did not grow measurably
    between the two sizes, its per-row cost is taken as nought, which is in its favour: the rows
    then given are the fewest at which it could possibly win.
    """
    duck_row, spark_row = per_row(small, big, "indicators duckdb"), per_row(small, big, "indicators spark")
    duck_fixed = max(0.0, big["indicators duckdb"] - duck_row * big["rows"])
    spark_fixed = max(small["indicators spark"], big["indicators spark"]) - spark_row * big["rows"]
    spark_fixed += big["spark session"]
    if duck_row == 0:
        return ["DuckDB's time did not grow measurably with the rows: no crossover can be worked out here."]
    lines = [
        f"Crossover, all indicators for all forces. DuckDB: {duck_fixed:.1f} s fixed and "
        f"{duck_row * 1e9:.1f} s per billion rows on {cores} cores. Spark: {spark_fixed:.0f} s fixed (session start "
        "included) and "
        + (
            f"{spark_row * 1e9:.1f} s per billion rows ({spark_row / duck_row:.0f}x DuckDB's)."
            if spark_row > 0
            else f"no measurable cost per row: from {small['rows']:,} to {big['rows']:,} rows its time is its fixed "
            "cost, so that is taken as nought (in Spark's favour)."
        ),
        "Taking each engine's cost per row to fall in proportion to its cores, Spark on a cluster beats DuckDB on "
        "one machine only above these numbers of rows:",
        "",
        "| DuckDB machine | Spark cluster | rows needed |",
        "|---|---|---:|",
    ]
    for machine in (cores, 16, 64):
        for cluster in (64, 256, 1024) if spark_row > 0 else (0,):
            gain = duck_row * cores / machine - spark_row * cores / max(cluster, 1)
            needed = "never" if gain <= 0 else f"{(spark_fixed - duck_fixed) / gain:,.0f}"
            lines.append(f"| {machine} cores | {f'{cluster} cores' if cluster else 'any size'} | {needed} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.1,1.0", help="Volume factors (1.0 is about 20 million rows).")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--forces", default=None, help="Only these forces (data.police.uk slugs), as demo-data takes.")
    parser.add_argument("--smoke", action="store_true", help="One tiny size: three forces, 24 months.")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--real", type=Path, default=REAL, help="Real street files of Essex, for the structure table.")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.smoke:
        args.scales, args.months, args.forces = "0.01", 24, "essex,kent,suffolk"
    scales = [float(s) for s in args.scales.split(",")]
    sizes: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            print(f"scale {scale:g} ...", flush=True)
            sizes.append(measure_size(scale, args.months, args.forces, Path(tmp)))
            print(json.dumps({k: v for k, v in sizes[-1].items()}, default=str), flush=True)
    small, big = sizes[0], sizes[-1]
    measured_rows = ", ".join(f"{s['rows']:,}" for s in sizes)
    sessions = ", ".join(f"{s['spark session']:.1f} s" for s in sizes)
    generated = ", ".join(f"{s['generate']:.0f} s" for s in sizes)
    header = [
        "step",
        "rows",
        "crimeprev on DuckDB s",
        "Spark (local) s",
        "pandas s",
        "Spark vs DuckDB",
        "pandas vs DuckDB",
    ]
    section = Section(
        "national",
        f"The synthetic national archive (`crimeprev demo-data --national`: {big['forces']} forces x {args.months} "
        "months of "
        f"data.police.uk street files, {big['files']:,} files at the largest size) at "
        f"{measured_rows} rows, each step in a process of its own, one at a time, "
        f"one run each. Indicators: every count and rate indicator of the data.police.uk strategy for every "
        f"force ({big['figures']:,} counts checked equal on the three paths before timing), computed in the "
        f"process, best of {REPEAT} (Spark's session start is timed apart: "
        f"{sessions}). compare and report: the CLI end to end, "
        "as a user runs it (Python start included; the JVM's too for Spark), against pandas timed in the process. "
        "Where a time did not grow measurably between the sizes its projection stays flat, which flatters it. "
        "Ingest has one crimeprev path (the store is the same "
        "whichever engine computes); its baseline is pandas reading, validating and writing Parquet per file. "
        f"The last rows project {PAPER_ROWS:,} rows on paper: a straight line through the two sizes measured.",
        packages=("duckdb", "pyspark", "pandas", "ibis-framework"),
        header=header,
    )
    for label, (duck, spark, pandas) in STEPS:
        for size in sizes:
            d = size[duck]
            s = size[spark] if spark else None
            p = size[pandas] if pandas else None
            section.row(label, f"{size['rows']:,}", f"{d:.2f}", "" if s is None else f"{s:.2f}",
                        "" if p is None else f"{p:.2f}", "" if s is None else ratio(s, d),
                        "" if p is None else ratio(p, d))  # fmt: skip
        if len(sizes) > 1:
            d = projected(small, big, duck)
            s = projected(small, big, spark) if spark else None
            p = projected(small, big, pandas) if pandas else None
            section.row(f"{label} (projected)", f"{PAPER_ROWS:,}", f"{d:.0f}", "" if s is None else f"{s:.0f}",
                        "" if p is None else f"{p:.0f}", "" if s is None else ratio(s, d),
                        "" if p is None else ratio(p, d))  # fmt: skip
    if args.real.is_dir() and not args.smoke:
        with tempfile.TemporaryDirectory() as tmp:
            measured = structure(args.real, Path(tmp))
        lines = [
            "",
            "Structure, not only totals: the national demo's Essex Police (scale 1, the real files' calendar months) "
            "beside the twelve real data.police.uk files of Essex Police (2018-19):",
            "",
            "| measure | real | national demo | demo / real |",
            "|---|---:|---:|---:|",
        ]
        for name, real_value, demo_value in measured:
            share = "share" in name
            shown = (lambda v: f"{100 * v:.1f}%") if share else (lambda v: f"{v:,.1f}")
            lines.append(f"| {name} | {shown(real_value)} | {shown(demo_value)} | {demo_value / real_value:.2f} |")
        section.notes.append("\n".join(lines) + "\n")
    growth = big["rows"] / small["rows"] if len(sizes) > 1 else 1.0
    section.notes.append(
        f"Growth from {small['rows']:,} to {big['rows']:,} rows ({growth:.1f}x): "
        + "; ".join(
            f"{key} {big[key] / small[key]:.1f}x"
            for key in (
                "ingest crimeprev",
                "indicators duckdb",
                "indicators spark",
                "indicators pandas",
                "report duckdb",
                "report spark",
            )
        )
        + "."
    )
    section.notes.append(f"Generating the archive (not a contest): {generated}.")
    if len(sizes) > 1:
        section.notes.append("\n" + "\n".join(crossover(small, big, os.cpu_count() or 1)))
    text = section.markdown()
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
