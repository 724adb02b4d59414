"""Run every benchmark and rewrite their sections of ``bench/RESULTS.md`` (``make bench``).

Each benchmark runs in a process of its own, one after another (they would disturb each other's
timings side by side on a two-core machine), and writes its section; each section replaces the
text between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` in RESULTS.md, stamped with the
commit and date. ``--smoke`` runs each at a small size and leaves RESULTS.md alone: the test
suite runs that, so a benchmark that breaks is caught.

Run: ``python bench/run.py [--smoke] [--only NAME ...] [--store DEMO_STORE]``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
BENCHMARKS = (
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
)


def replace_section(text: str, name: str, section: str) -> str:
    """``text`` with the section between the benchmark's markers replaced by ``section``."""
    pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{RESULTS.name} has no <!-- bench:{name} --> ... <!-- /bench:{name} --> markers")
    return pattern.sub(lambda m: m.group(1) + section + m.group(2), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="Small sizes; RESULTS.md is not touched.")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    parser.add_argument("--store", type=Path, default=None, help="A demo store for the report benchmark.")
    args = parser.parse_args()
    sections: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only:
            out = Path(tmp) / f"{name}.md"
            command = [sys.executable, str(BENCH / f"{name}.py"), "--markdown", str(out)]
            if args.smoke:
                command.append("--smoke")
            if args.store is not None and name in ("report", "web"):
                command += ["--store", str(args.store)]
            print(f"== bench/{name}.py", flush=True)
            subprocess.run(command, check=True)
            sections[name] = out.read_text(encoding="utf-8")
    if args.smoke:
        print(f"smoke run of {len(sections)} benchmarks: all ran ({RESULTS.name} unchanged)")
        return
    text = RESULTS.read_text(encoding="utf-8")
    for name, section in sections.items():
        text = replace_section(text, name, section)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"{RESULTS} rewritten: {', '.join(sections)}")


if __name__ == "__main__":
    main()
