"""Benchmark of reliability: many SIGKILLs and SIGINTs at random points of real ingests.

A store holding the data.police.uk excerpts takes ingests of a generated street file (300,000
rows by default), each run as its own process and sent SIGKILL or SIGINT at a random moment
after it has started writing partition files. After each fault the store must open with its
tables exactly as before the ingest or exactly as after a complete one (never anything in
between); after a SIGINT no partition file of the ingest may remain, and after a SIGKILL the next
writer must remove what was left. Prints the outcomes; fails loudly on the first broken promise.
Run: ``python bench/faults.py [--kills N] [--rows N] [--seed S] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from crimeprev.store.layout import data_dir
from crimeprev.store.warehouse import Warehouse
from ingest import make_file
from results import Section

EXCERPTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "police_uk"


def crimeprev(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crimeprev", "--store", str(store), *args]


def tables(store: Path) -> dict[str, Any]:
    """Row counts and a checksum of the rows (not of when they were loaded): "the same store"."""
    with Warehouse.open(store, read_only=True) as warehouse:
        out = {}
        for table in ("offences", "incidents"):
            out[table] = warehouse.query(
                f"SELECT count(*), sum(hash(source_file, source_row, recorded_month, vintage)) FROM {table}"
            )[0]
        out["quarantine"] = warehouse.query("SELECT count(*) FROM quarantine")[0]
        out["releases"] = warehouse.query("SELECT count(*) FROM releases WHERE superseded_by IS NULL")[0]
        return out


def partition_files(store: Path) -> set[Path]:
    return set(data_dir(store).rglob("*.parquet"))


def orphans(store: Path) -> set[str]:
    with Warehouse.open(store, read_only=True) as warehouse:
        active = {r[0] for r in warehouse.query("SELECT path FROM partitions WHERE superseded_by IS NULL")}
    return {p.relative_to(data_dir(store)).as_posix() for p in partition_files(store)} - active


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--smoke", action="store_true", help="Three faults on 50,000 rows.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    if args.smoke:
        args.kills, args.rows = 3, 50_000
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "2023-essex-street.csv"
        make_file(source, args.rows)
        base = Path(tmp) / "base.duckdb"
        subprocess.run(crimeprev(base, "ingest", "police-uk", str(EXCERPTS)), check=True, capture_output=True)
        before = tables(base)
        done = Path(tmp) / "done.duckdb"
        subprocess.run(crimeprev(done, "ingest", "police-uk", str(EXCERPTS)), check=True, capture_output=True)
        subprocess.run(crimeprev(done, "ingest", "police-uk", str(source)), check=True, capture_output=True)
        after = tables(done)
        for n in range(args.kills):
            store = Path(tmp) / f"store-{n}.duckdb"
            subprocess.run(crimeprev(store, "ingest", "police-uk", str(EXCERPTS)), check=True, capture_output=True)
            # SIGINT as every third fault; the smoke run (in make test) keeps to SIGKILL, whose outcome
            # cannot depend on where Python happens to be when the signal lands.
            kind = signal.SIGKILL if n % 3 or args.smoke else signal.SIGINT
            known = partition_files(store)
            process = subprocess.Popen(
                crimeprev(store, "ingest", "police-uk", str(source)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            while process.poll() is None and not partition_files(store) - known:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.4))  # writing 300,000 rows takes about a second
            process.send_signal(kind)
            _, err = process.communicate()
            now = tables(store)
            if now == before:
                state = "as before"
            elif now == after:
                state = "as after a complete ingest"
            else:
                raise SystemExit(f"fault {n} ({kind.name}) left the store in between: {now} (before {before})")
            if kind == signal.SIGINT and (orphans(store) or b"Traceback" in err):
                raise SystemExit(
                    f"fault {n} (SIGINT) left files {sorted(orphans(store))[:3]} or a traceback:\n"
                    + err.decode(errors="replace")[-3000:]
                )
            Warehouse.open(store).close()
            if orphans(store):
                raise SystemExit(f"fault {n} ({kind.name}): the next writer left files {sorted(orphans(store))[:3]}")
            outcomes[f"{kind.name}: {state}"] += 1
            for leftover in Path(tmp).glob(f"store-{n}.duckdb*"):
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
    section = Section(
        "faults",
        f"{args.kills} ingests of {args.rows:,} data.police.uk rows into a store holding the test excerpts, each "
        f"sent SIGKILL (two in three) or SIGINT at a random moment (seed {args.seed}) after it began writing "
        "partition files. Every store was afterwards exactly as before the ingest or exactly as after a complete "
        "one; no SIGINT left a file or a traceback; the next writer removed every file a SIGKILL left.",
        header=("fault", "outcome", "times"),
    )
    for label, count in sorted(outcomes.items()):
        kind, state = label.split(": ", 1)
        section.row(kind, state, count)
    section.target("every fault left the store whole and no file behind", True, f"{args.kills} of {args.kills}")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()
