"""Every benchmark still runs: ``bench/run.py --smoke`` at small sizes (no assertion on time).

The full runs (``make bench``) take minutes and rewrite ``bench/RESULTS.md``; this catches a
benchmark broken by a change long before then. Its output, with the ratios each benchmark
prints, is shown with ``pytest -s`` or when it fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_benchmark_runs_in_its_smoke_form(demo_store: Path) -> None:
    results = (BENCH / "RESULTS.md").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--smoke", "--store", str(demo_store)],
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in (
        "startup",
        "ingest",
        "indicators",
        "report",
        "faults",
        "fuzz_csv",
        "realism",
        "places",
        "check",
        "web",
        "national",
    ):
        assert f"== bench/{name}.py" in done.stdout
        assert f"<!-- bench:{name} -->" in results and f"<!-- /bench:{name} -->" in results
    assert (
        "time vs crimeprev" in done.stdout and "vs cold report" in done.stdout and "vs crimeprev --help" in done.stdout
    )
    assert "all three paths agree on every figure" in done.stdout
    assert "every fault left the store whole and no file behind: met" in done.stdout
    assert "no crash: met" in done.stdout
    assert "measures within band" in done.stdout
    assert "recall, restatement" in done.stdout
    assert "no request failed, through the ingest: met" in done.stdout
    assert "counts checked equal on the three paths before timing" in done.stdout  # national: DuckDB, Spark, pandas
    assert "smoke run of 11 benchmarks: all ran" in done.stdout
    assert (BENCH / "RESULTS.md").read_text(encoding="utf-8") == results  # a smoke run records nothing
