"""Benchmark: render the full scrutiny report in each format from a warm store.

Uses the demo store (built with ``crimeprev demo`` into a temporary folder when ``--store`` is not
given), evaluates the strategy once to warm the engine, then times, best of ``--repeat``: the
evaluation (indicators, breakdowns, operations), building the document, and each renderer.
Run: ``python bench/report.py [--store PATH] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.delivery.plan import load_delivery
from crimeprev.indicators.insights import evaluate_strategy
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.operations.evaluate import evaluate_operation
from crimeprev.operations.ledger import load_ledger
from crimeprev.report.build import ReportInputs, build_report
from crimeprev.report.metadata import load_metadata
from crimeprev.report.publish import RENDERERS
from crimeprev.store.warehouse import Warehouse

AS_OF = date(2024, 3, 1)


def data(name: str) -> Path:
    return Path(str(resources.files("crimeprev") / "data" / name))


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "demo.duckdb"
            result = CliRunner().invoke(
                app, ["--store", str(store), "demo", "--data-dir", f"{tmp}/data", "--out", f"{tmp}/demo-out"]
            )
            assert result.exit_code == 0, result.output
        strategy = load_strategy()
        ledger = load_ledger(data("operations-essex.yaml")).operations
        with Warehouse.open(store, read_only=True) as warehouse:
            backend = warehouse.ibis()
            evaluate_strategy(backend, strategy, AS_OF)  # warm-up

            def evaluate() -> tuple[Any, Any]:
                results = evaluate_strategy(backend, strategy, AS_OF)
                return results, [evaluate_operation(backend, strategy, op) for op in ledger]

            evaluation_time, (results, operations) = best(args.repeat, evaluate)
        inputs = ReportInputs(
            strategy, results, load_metadata(data("report-metadata-essex.yaml")),
            load_delivery(data("essex-2023-24-delivery.yaml")), AS_OF, synthetic=True, operations=operations,
        )  # fmt: skip
        build_time, document = best(args.repeat, lambda: build_report(inputs))
        timings = {"evaluate (indicators, breakdowns, operations)": evaluation_time, "build document": build_time}
        out = Path(tmp) / "out"
        out.mkdir()
        for fmt, render in RENDERERS.items():
            render(document, out / f"warm.{fmt}", None)  # warm-up: imports, the chart engine, fonts
            timings[f"render {fmt}"], path = best(args.repeat, lambda r=render, f=fmt: r(document, out / f"report.{f}", None))
            print(f"{fmt}: {path.stat().st_size / 2**10:,.0f} KiB")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"charts: {len(document.charts())}; best of {args.repeat}")
    for name, seconds in timings.items():
        print(f"{name:<48} {seconds:>7.2f} s")


if __name__ == "__main__":
    main()
