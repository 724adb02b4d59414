"""Benchmark: the three-format scrutiny report on the demo store, cold and step by step.

Uses the demo store (built with ``crimeprev demo`` into a temporary folder when ``--store`` is not
given). Times, side by side:

- **cold**: ``crimeprev report`` in a fresh process writing DOCX, PDF and HTML (imports, the
  indicators, the operations, the document, every chart, every format), with its default of
  sharing the rendering with a worker process, and with ``--serial`` (one process), interleaved,
  best of ``--repeat``;
- **warm**, in this process after a first run: evaluating, building the document, drawing the
  charts once, and each renderer given the drawn charts.

Target: the cold three-format report under 10 s.
Run: ``python bench/report.py [--store PATH] [--repeat K] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from results import Section, ratio

AS_OF = date(2024, 3, 1)
TARGET_SECONDS = 10.0


def data(name: str) -> Path:
    return Path(str(resources.files("crimeprev") / "data" / name))


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def cli() -> list[str]:
    script = Path(sys.executable).with_name("crimeprev")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crimeprev"]


def cold_report(store: Path, out: Path, *options: str) -> float:
    command = [
        *cli(), "--store", str(store), "report", "--as-of", f"{AS_OF:%Y-%m}", "--out", str(out),
        "--metadata", str(data("report-metadata-essex.yaml")), "--delivery", str(data("essex-2023-24-delivery.yaml")),
        "--operations", str(data("operations-essex.yaml")), "--narrative", str(data("essex-2023-24-narrative.yaml")),
        *options,
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def warm_steps(store: Path, out: Path, repeat: int) -> tuple[dict[str, float], int, dict[str, int]]:
    from crimeprev.delivery.plan import load_delivery
    from crimeprev.indicators.harm import offence_names
    from crimeprev.indicators.insights import evaluate_strategy
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.operations.evaluate import evaluate_operation
    from crimeprev.operations.ledger import load_ledger
    from crimeprev.operations.zones import strand_zone_evaluations
    from crimeprev.people.repeats import strand_repeats
    from crimeprev.report.build import ReportInputs, build_report
    from crimeprev.report.chart_images import draw_charts
    from crimeprev.report.metadata import load_metadata
    from crimeprev.report.narrative import load_narrative
    from crimeprev.report.publish import RENDERERS
    from crimeprev.store.warehouse import Warehouse

    strategy = load_strategy()
    ledger = load_ledger(data("operations-essex.yaml")).operations
    with Warehouse.open(store, read_only=True) as warehouse:
        backend = warehouse.ibis()
        evaluate_strategy(backend, strategy, AS_OF)  # warm-up

        def evaluate() -> tuple[Any, Any]:
            results = evaluate_strategy(backend, strategy, AS_OF)
            return results, [evaluate_operation(backend, strategy, op) for op in ledger]

        timings: dict[str, float] = {}
        timings["evaluate (indicators, breakdowns, verdicts, operations)"], (results, operations) = best(
            repeat, evaluate
        )
        timings["zones against the force, repeat victims and suspects"], (zones, repeats) = best(
            repeat,
            lambda: (strand_zone_evaluations(backend, strategy, AS_OF), strand_repeats(backend, strategy, AS_OF)),
        )
    inputs = ReportInputs(
        strategy, results, load_metadata(data("report-metadata-essex.yaml")),
        load_delivery(data("essex-2023-24-delivery.yaml")), AS_OF, synthetic=True, operations=operations,
        zones=zones, repeats=repeats, code_names=offence_names(),
        narrative=load_narrative(data("essex-2023-24-narrative.yaml"), strategy).for_month(AS_OF),
    )  # fmt: skip
    timings["build the document"], document = best(repeat, lambda: build_report(inputs))
    specs = [(c.chart_id, c.spec) for c in document.charts()]
    draw_charts(specs[:1], png=True)  # warm-up: the chart engine's first start
    timings[f"draw {len(specs)} charts once (SVG, and PNG from it)"], images = best(
        repeat, lambda: draw_charts(specs, png=True)
    )
    sizes = {}
    for fmt, render in RENDERERS.items():
        render(document, out / f"warm.{fmt}", images)  # warm-up: imports, fonts
        seconds, path = best(repeat, lambda r=render, f=fmt: r(document, out / f"report.{f}", images))
        timings[f"render {fmt.upper()} (charts given)"] = seconds
        sizes[fmt] = path.stat().st_size // 2**10
    return timings, len(specs), sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="One run of each.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    repeat = 1 if args.smoke else args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "demo.duckdb"
            subprocess.run(
                [*cli(), "--store", str(store), "demo", "--data-dir", f"{tmp}/data", "--out", f"{tmp}/demo-out"],
                check=True,
                capture_output=True,
            )
        cold = {"parallel": float("inf"), "serial": float("inf")}
        for _ in range(repeat):  # interleaved, so that machine noise hits both alike
            cold["parallel"] = min(cold["parallel"], cold_report(store, Path(tmp) / "cold"))
            cold["serial"] = min(cold["serial"], cold_report(store, Path(tmp) / "cold", "--serial"))
        out = Path(tmp) / "warm"
        out.mkdir()
        steps, charts, sizes = warm_steps(store, out, repeat)
    section = Section(
        "report",
        f"The demo store, the bundled Essex strategy, the demo's metadata, delivery plan and operations ledger; "
        f"{charts} charts. Cold: `crimeprev report` in a fresh process writing DOCX, PDF and HTML, best of {repeat}; "
        "by default a worker process lays out half the charts and typesets the PDF while the main process writes "
        "the DOCX and HTML (`--serial`: one process). Warm: each step in one process after a first run, best of "
        f"{repeat}. Output sizes: DOCX {sizes['docx']:,} KiB, PDF {sizes['pdf']:,} KiB, HTML {sizes['html']:,} KiB.",
        packages=("vl-convert-python", "python-docx", "weasyprint"),
        header=("step", "seconds", "vs cold report"),
    )
    section.row("cold report, three formats (default: two processes)", f"{cold['parallel']:.2f}", "1.00x")
    section.row(
        "cold report, three formats, `--serial`", f"{cold['serial']:.2f}", ratio(cold["serial"], cold["parallel"])
    )
    for label, seconds in steps.items():
        section.row(f"warm: {label}", f"{seconds:.2f}", ratio(seconds, cold["parallel"]))
    section.target(
        f"cold three-format report under {TARGET_SECONDS:.0f} s", cold["parallel"] < TARGET_SECONDS,
        f"{cold['parallel']:.2f} s",
    )  # fmt: skip
    section.publish(args.markdown)


if __name__ == "__main__":
    main()
