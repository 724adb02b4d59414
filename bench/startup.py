"""Benchmark: how long the commands people run most take to start, in fresh processes.

Times, best of ``--repeat`` fresh runs each, side by side: the bare interpreter (the floor),
``crimeprev --help``, ``status`` and ``quarantine`` on a small store, and importing the whole
analysis stack (Ibis, SciPy, Altair, WeasyPrint...), which is what every command paid before
commands imported their libraries when used. Target: each command under 0.5 s.
Run: ``python bench/startup.py [--repeat K] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import crimeprev
from ingest import make_file
from results import Section, ratio

TARGET_SECONDS = 0.5
STACK = "import crimeprev.indicators.insights, crimeprev.report.build, crimeprev.operations.evaluate, weasyprint"


def crimeprev_command() -> list[str]:
    script = Path(sys.executable).with_name("crimeprev")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crimeprev"]


def best_of(repeat: int, command: list[str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="Two runs of each.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    repeat = 2 if args.smoke else args.repeat
    cli = crimeprev_command()
    # As installed software starts: with its bytecode compiled (an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile crimeprev's modules on every start).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(crimeprev.__file__).parent)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "2024-01-essex-street.csv"
        make_file(source, 5_000)
        store = Path(tmp) / "small.duckdb"
        subprocess.run(
            [*cli, "--store", str(store), "ingest", "police-uk", str(source)], check=True, capture_output=True
        )
        runs = {
            "python -c pass (interpreter start)": [sys.executable, "-c", "pass"],
            "crimeprev --help": [*cli, "--help"],
            "crimeprev status": [*cli, "--store", str(store), "status"],
            "crimeprev quarantine": [*cli, "--store", str(store), "quarantine"],
            "import the whole analysis stack (before)": [sys.executable, "-c", STACK],
        }
        seconds = {label: best_of(repeat, command) for label, command in runs.items()}
    help_time = seconds["crimeprev --help"]
    section = Section(
        "startup",
        f"Fresh processes, best of {repeat} runs each, side by side, crimeprev's bytecode compiled. "
        "A command imports its libraries when it runs: "
        "`--help`, `status` and `quarantine` load no analysis library (asserted in tests/cli/test_startup.py).",
        packages=("duckdb", "typer"),
        header=("command", "seconds", "vs crimeprev --help"),
    )
    for label, value in seconds.items():
        section.row(label, f"{value:.3f}", ratio(value, help_time))
    for label in ("crimeprev --help", "crimeprev status", "crimeprev quarantine"):
        section.target(f"{label} under {TARGET_SECONDS} s", seconds[label] < TARGET_SECONDS, f"{seconds[label]:.2f} s")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()
