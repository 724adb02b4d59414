"""Benchmark: every indicator's rolling-12-month table and 24-month series for every force.

Builds (once, then reuses) a national-scale synthetic store: 43 forces x 36 months of offences,
about 20 million rows by default (``--rows`` to scale down for a quick run), written through the
store's own release writer. Then times three paths computing the same tables for every offence
indicator of the bundled Essex strategy, side by side in one process (after a warm-up run of
each, interleaved, best of ``--repeat``), and measures each path's peak memory in a process of
its own:

- ``crimeprev``: ``evaluate_forces`` (Ibis expressions on the store's DuckDB connection);
- ``pandas``: ``read_parquet`` of the needed columns, a boolean mask per indicator, groupby;
- ``sql``: one hand-written DuckDB query with ``count(*) FILTER (WHERE ...)`` per indicator.

All three must agree on every figure; the run fails loudly if they do not.
Run: ``python bench/indicators.py [--rows N] [--repeat K] [--store PATH]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from crimeprev.indicators.insights import evaluate_forces
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.model.periods import add_months, month_span
from crimeprev.model.strategy import Filter, Indicator, Strategy
from crimeprev.store.release import ReleaseSource, ReleaseWriter
from crimeprev.store.staging import Staging
from crimeprev.store.warehouse import Warehouse
from results import Section, ratio

AS_OF = date(2024, 3, 1)
FIRST = date(2021, 4, 1)
FORCES = [f"Force {i:02d}" for i in range(1, 44)]
# (code, HO group, police.uk category, share)
CODES = [
    ("8N", "Violence against the person", "Violence and sexual offences", 0.30),
    ("19C", "Sexual offences", "Violence and sexual offences", 0.015),
    ("19D", "Sexual offences", "Violence and sexual offences", 0.005),
    ("92A", "Drug offences", "Drugs", 0.01),
    ("92C", "Drug offences", "Drugs", 0.002),
    ("92B", "Drug offences", "Drugs", 0.01),
    ("92D", "Drug offences", "Drugs", 0.015),
    ("28E", "Theft offences", "Burglary", 0.02),
    ("28F", "Theft offences", "Burglary", 0.006),
    ("28G", "Theft offences", "Burglary", 0.011),
    ("34B", "Robbery", "Robbery", 0.008),
    ("45", "Theft offences", "Vehicle crime", 0.09),
    ("46", "Theft offences", "Shoplifting", 0.08),
    ("58J", "Criminal damage and arson", "Criminal damage and arson", 0.1),
    ("9A", "Public order offences", "Public order", 0.07),
    ("53H", "Fraud offences", "Other crime", 0.011),
    ("49", "Theft offences", "Other theft", 0.217),
]
FLAG_RATES = {"knife": 0.017, "domestic_abuse": 0.16, "hate": 0.025, "nte": 0.01, "cse": 0.007, "cyber": 0.02,
              "online": 0.012}  # fmt: skip


def offence_strategy() -> Strategy:
    """The bundled strategy with its offence indicators only (the national store has no incidents)."""
    doc = load_strategy().model_dump()
    for theme in doc["themes"]:
        for strand in theme["strands"]:
            strand["indicators"] = [i for i in strand["indicators"] if i["source"] == "offences"]
            kept = {i["id"] for i in strand["indicators"]}
            strand["zone_indicators"] = [i for i in strand["zone_indicators"] if i in kept]
    return Strategy.model_validate(doc)


def build_store(path: Path, rows: int, seed: int = 11) -> None:
    """Write the synthetic national store through the store's own release writer."""
    rng = np.random.default_rng(seed)
    months = month_span(FIRST, AS_OF)
    per_force = rows // len(FORCES)
    codes = np.array([c[0] for c in CODES])
    groups = np.array([c[1] for c in CODES])
    categories = np.array([c[2] for c in CODES])
    shares = np.array([c[3] for c in CODES])
    shares = shares / shares.sum()
    month_values = np.array(months, dtype="datetime64[D]")
    with Warehouse.open(path) as warehouse:
        catalog = warehouse.catalog()
    staged = []
    with Staging(path) as staging:
        for f, force in enumerate(FORCES):
            n = per_force
            pick = rng.choice(len(CODES), size=n, p=shares)
            columns: dict[str, Any] = {
                "crime_ref": pa.array(np.char.add(f"{f:02d}/", np.arange(n).astype(str))),
                "force": pa.array(np.full(n, force)),
                "recorded_month": pa.array(month_values[rng.integers(0, len(months), n)]).cast(pa.date32()),
                "offence_code": pa.array(codes[pick]),
                "offence_group": pa.array(groups[pick]),
                "police_uk_category": pa.array(categories[pick]),
            }
            for flag, rate in FLAG_RATES.items():
                columns[flag] = pa.array(rng.random(n) < rate)
            da = np.asarray(columns["domestic_abuse"])
            risk = np.array(["standard", "medium", "high"])[rng.choice(3, size=n, p=[0.7, 0.22, 0.08])]
            columns["da_risk"] = pa.array(np.where(da, risk, None))
            columns["solved"] = pa.array(rng.random(n) < 0.12)
            columns["arrest_made"] = pa.array(rng.random(n) < 0.25)
            columns["attended"] = pa.array(rng.random(n) < 0.9)
            columns["source_row"] = pa.array(np.arange(2, n + 2, dtype=np.int64))
            source = ReleaseSource(f"bench-{f:02d}", "bench", f"bench/{force}", f"h{f}", 0, datetime(2026, 1, 1))
            writer = ReleaseWriter(staging.folder, source, release_id=catalog.next_release + f, catalog=catalog)
            writer.append("offences", pa.table(columns))
            staged.append(writer.close(n, lambda lines: {}))
        with Warehouse.open(path) as warehouse, warehouse.transaction():
            for release in staged:
                warehouse.commit_release(release)


# --- the three paths --------------------------------------------------------------------------

Figures = dict[str, dict[str, list[float | None]]]  # force -> indicator -> [prev, cur, *24 months]


def run_crimeprev(store: Path) -> Figures:
    strategy = offence_strategy()
    with Warehouse.open(store, read_only=True) as warehouse:
        results = evaluate_forces(warehouse.ibis(), strategy, AS_OF)
    out: Figures = {}
    for force, rows in results.items():
        for r in rows:
            c = next(c for c in r.comparisons if c.kind == "rolling_12_months")
            out.setdefault(force, {})[r.ref] = [c.previous, c.current, *(v for _, v in r.series)]
    return out


def _windows() -> tuple[list[date], list[date], list[date]]:
    current = month_span(add_months(AS_OF, -11), AS_OF)
    previous = month_span(add_months(AS_OF, -23), add_months(AS_OF, -12))
    return previous, current, month_span(add_months(AS_OF, -23), AS_OF)


def _total(
    monthly: dict[tuple[str, date], float], bases: dict[tuple[str, date], float] | None, force: str, months: list[date]
) -> float | None:
    value = sum(monthly.get((force, m), 0.0) for m in months)
    if bases is None:
        return value
    base = sum(bases.get((force, m), 0.0) for m in months)
    return value / base if base else None


def _tables(monthly: dict[tuple[str, date], float], bases: dict[tuple[str, date], float] | None) -> Figures:
    previous, current, series = _windows()
    return {
        force: {
            "": [
                _total(monthly, bases, force, previous),
                _total(monthly, bases, force, current),
                *(_total(monthly, bases, force, [m]) for m in series),
            ]
        }
        for force in FORCES
    }


def _mask(df: Any, spec: Filter) -> Any:
    mask = np.ones(len(df), dtype=bool)
    for flag, wanted in spec.flags.items():
        mask &= (df[flag] == wanted).to_numpy()
    if spec.any_flags:
        mask &= df[spec.any_flags].any(axis=1).to_numpy()
    for key, column in (("offence_codes", "offence_code"), ("offence_groups", "offence_group"), ("da_risk", "da_risk")):
        if getattr(spec, key):
            mask &= df[column].isin(getattr(spec, key)).to_numpy()
    for key in ("solved", "arrest_made", "attended"):
        if getattr(spec, key) is not None:
            mask &= (df[key] == getattr(spec, key)).to_numpy()
    return mask


def _indicators() -> list[tuple[str, Indicator]]:
    return [(f"{s.id}/{i.id}", i) for s in offence_strategy().strands() for i in s.indicators]


def run_pandas(store: Path) -> Figures:
    import pandas as pd

    with Warehouse.open(store, read_only=True) as warehouse:
        files = [str(warehouse.data_dir / r[0]) for r in warehouse.query("SELECT path FROM partitions")]
    columns = ["force", "recorded_month", "offence_code", "offence_group", "da_risk", "solved", "arrest_made",
               "attended", *FLAG_RATES]  # fmt: skip
    df = pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)
    first = add_months(AS_OF, -23)
    df = df[(df["recorded_month"] >= first) & (df["recorded_month"] <= AS_OF)]
    out: Figures = {}
    for ref, indicator in _indicators():
        mask = _mask(df, indicator.filter)
        base = None
        if indicator.measure.numerator is not None:
            base = df[mask].groupby(["force", "recorded_month"]).size().to_dict()
            mask &= _mask(df, indicator.measure.numerator)
        counts = df[mask].groupby(["force", "recorded_month"]).size().to_dict()
        for force, figures in _tables(counts, base).items():
            out.setdefault(force, {})[ref] = figures[""]
    return out


def _sql_predicate(spec: Filter) -> str:
    parts = [f"{flag} = {str(wanted).lower()}" for flag, wanted in spec.flags.items()]
    if spec.any_flags:
        parts.append("(" + " OR ".join(f"coalesce({f}, false)" for f in spec.any_flags) + ")")
    for key, column in (("offence_codes", "offence_code"), ("offence_groups", "offence_group"), ("da_risk", "da_risk")):
        values = getattr(spec, key)
        if values:
            parts.append(f"{column} IN ({', '.join(repr(v) for v in values)})")
    for key in ("solved", "arrest_made", "attended"):
        if getattr(spec, key) is not None:
            parts.append(f"{key} = {str(getattr(spec, key)).lower()}")
    return " AND ".join(parts) or "true"


def run_sql(store: Path) -> Figures:
    indicators = _indicators()
    selects = []
    for n, (_, indicator) in enumerate(indicators):
        where = _sql_predicate(indicator.filter)
        if indicator.measure.numerator is not None:
            selects.append(f"count(*) FILTER (WHERE {where} AND {_sql_predicate(indicator.measure.numerator)}) AS m{n}")
            selects.append(f"count(*) FILTER (WHERE {where}) AS b{n}")
        else:
            selects.append(f"count(*) FILTER (WHERE {where}) AS m{n}")
    first = add_months(AS_OF, -23)
    sql = (
        f"SELECT force, recorded_month, {', '.join(selects)} FROM offences "
        f"WHERE recorded_month BETWEEN DATE '{first}' AND DATE '{AS_OF}' GROUP BY ALL"
    )
    with Warehouse.open(store, read_only=True) as warehouse:
        result = warehouse.query(sql)
    out: Figures = {}
    for n, (ref, indicator) in enumerate(indicators):
        values = {(r[0], r[1]): float(r[2 + _column(indicators, n, "m")]) for r in result}
        bases = None
        if indicator.measure.numerator is not None:
            bases = {(r[0], r[1]): float(r[2 + _column(indicators, n, "b")]) for r in result}
        for force, figures in _tables(values, bases).items():
            out.setdefault(force, {})[ref] = figures[""]
    return out


def _column(indicators: list[tuple[str, Indicator]], n: int, kind: str) -> int:
    position = 0
    for i, (_, indicator) in enumerate(indicators):
        if i == n and kind == "m":
            return position
        position += 1
        if indicator.measure.numerator is not None:
            if i == n:
                return position
            position += 1
    raise IndexError(n)


RUNNERS = {"crimeprev": run_crimeprev, "pandas": run_pandas, "sql": run_sql}


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(name: str, store: Path, out: Path) -> None:
    start = time.perf_counter()
    figures = RUNNERS[name](store)
    seconds = time.perf_counter() - start
    out.write_text(json.dumps(figures, default=str))
    print(json.dumps({"seconds": seconds, "peak_mib": peak_rss_mib()}))


def count_verdicts(store: Path) -> tuple[int, int]:
    """(comparisons, comparisons with a signal-or-noise verdict) in crimeprev's answer."""
    with Warehouse.open(store, read_only=True) as warehouse:
        results = evaluate_forces(warehouse.ibis(), offence_strategy(), AS_OF)
    comparisons = [
        c
        for rows in results.values()
        for r in rows
        if r.indicator.measure.kind != "rate"  # rates are shares, not counts: no count test applies
        for c in r.comparisons
        if c.change is not None
    ]
    return len(comparisons), sum(1 for c in comparisons if c.verdict is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--smoke", action="store_true", help="200,000 rows, one run.")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    if args.smoke:
        args.rows, args.repeat = 200_000, 1
    with tempfile.TemporaryDirectory() as tmp:
        # The full-size store is kept between runs (it takes minutes to write); a smoke run's is not.
        kept = Path(tmp) if args.smoke else Path("/tmp/crimeprev-bench")
        run_benchmark(args, args.store or kept / f"national-{args.rows}.duckdb")


def run_benchmark(args: argparse.Namespace, store: Path) -> None:
    if store.exists():
        Warehouse.open(store).close()  # a kept store from an older crimeprev: bring its schema up to date
    if not store.exists():
        store.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build_store(store, args.rows)
        print(f"built {store} ({args.rows:,} offences) in {time.perf_counter() - start:.1f} s")
    best: dict[str, float] = {}
    answers: dict[str, Any] = {}
    for name, runner in RUNNERS.items():  # warm-up: imports, first connection, file metadata
        answers[name] = json.loads(json.dumps(runner(store), default=str))
    for _ in range(args.repeat):
        for name, runner in RUNNERS.items():
            start = time.perf_counter()
            runner(store)
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    peak: dict[str, float] = {}
    for name in RUNNERS:
        out = store.with_suffix(f".{name}.json")
        done = subprocess.run(
            [sys.executable, __file__, "--child", name, str(store), str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        peak[name] = json.loads(done.stdout.strip().splitlines()[-1])["peak_mib"]
    reference = answers["crimeprev"]
    for name, figures in answers.items():
        for force, indicators in reference.items():
            for ref, values in indicators.items():
                theirs = figures[force][ref]
                same = all(
                    (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
                    for a, b in zip(values, theirs, strict=True)
                )
                if not same:
                    raise SystemExit(f"{name} disagrees with crimeprev on {force} {ref}: {theirs[:2]} vs {values[:2]}")
    indicators = len(next(iter(reference.values())))
    comparisons, judged = count_verdicts(store)
    if judged != comparisons:
        raise SystemExit(f"only {judged} of {comparisons} count comparisons have a verdict")
    print(f"{len(reference)} forces x {indicators} indicators: all three paths agree on every figure")
    ours, sql, pandas = best["crimeprev"], best["sql"], best["pandas"]
    section = Section(
        "indicators",
        f"A national-scale synthetic store: 43 forces x 36 months, {args.rows:,} offences (Parquet partitions "
        "written through the store's own release writer). For every offence indicator of the bundled Essex "
        f"strategy ({indicators} indicators) and every force: the rolling-12-month table and the 24-month series; "
        f"crimeprev also judges every change signal or noise ({judged:,} comparisons, each with its exact and "
        "overdispersed tests, all with a verdict) and checks every window for completeness. The three paths must "
        f"agree on every figure (they do). Best of {args.repeat}, side by side in one process after a warm-up run "
        "of each; peak memory: each path once in a process of its own (VmHWM).",
        packages=("duckdb", "ibis-framework", "pandas", "scipy"),
        header=("path", "seconds", "peak MiB", "time vs crimeprev"),
    )
    for name, seconds in best.items():
        section.row(name, f"{seconds:.2f}", f"{peak[name]:,.0f}", ratio(seconds, ours))
    section.target("at least 4x faster than pandas", pandas >= 4 * ours, f"{pandas / ours:.1f}x")
    section.target("no slower than 1.3x the hand-written SQL", ours <= 1.3 * sql, f"{ours / sql:.2f}x")
    section.target("peak memory under 1 GB", peak["crimeprev"] < 1024, f"{peak['crimeprev']:,.0f} MiB")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()
