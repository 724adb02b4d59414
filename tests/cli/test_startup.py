"""Start-up: the commands people run most often load only what they need.

``crimeprev --help``, ``status`` and ``quarantine`` must not import the analysis stack (Ibis,
SciPy, Altair, WeasyPrint, ...), which took 2.5 s before any work began. Time itself is measured
in ``bench/startup.py``; this test asserts on the modules loaded, which does not depend on the
machine's speed. (pydantic is not on the list: Typer itself loads it to parse options.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POLICE_UK

HEAVY = (
    "ibis",
    "sqlglot",
    "scipy",
    "numpy",
    "pandas",
    "pyarrow",
    "altair",
    "vl_convert",
    "weasyprint",
    "docx",
    "yaml",
    "crimeprev.indicators.insights",
    "crimeprev.stats",
    "crimeprev.report.build",
    "crimeprev.demo",
)

# Runs the CLI in a fresh interpreter, then prints which of the heavy modules it loaded.
PROBE = """
import json, sys
from crimeprev.cli.app import app
try:
    app(sys.argv[1:], prog_name="crimeprev")
except SystemExit as e:
    code = e.code
else:
    code = 0
print(json.dumps({"exit": code, "loaded": sorted(m for m in HEAVY if m in sys.modules)}), file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[int, list[str], str]:
    """The exit status, the heavy modules loaded, and the standard output of ``crimeprev ARGS``."""
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return int(report["exit"] or 0), report["loaded"], done.stdout


def test_importing_the_cli_loads_no_heavy_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import sys, crimeprev.cli.app; print([m for m in {HEAVY!r} if m in sys.modules])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_help_loads_no_heavy_module() -> None:
    code, loaded, out = loaded_by("--help")
    assert code == 0 and "status" in out and "report" in out
    assert loaded == []


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("startup") / "s.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "crimeprev", "--store", str(store), "ingest", "police-uk", str(POLICE_UK)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return store


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["quarantine"], ["quarantine", "--json"]])
def test_store_commands_load_no_heavy_module(small_store: Path, command: list[str]) -> None:
    code, loaded, out = loaded_by("--store", str(small_store), *command)
    assert code == 0
    assert "offences" in out or out.strip() in ("[]", "quarantine is empty: every row read was loaded")
    assert loaded == []


def test_a_computing_command_still_loads_what_it_needs(small_store: Path) -> None:
    code, loaded, _ = loaded_by("--store", str(small_store), "insights", "--as-of", "2019-01", "--json")
    assert code == 0
    assert {"ibis", "scipy", "crimeprev.indicators.insights"} <= set(loaded)
