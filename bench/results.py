"""A benchmark's results section: the machine, the commit, the table and the targets, as Markdown.

Every benchmark in ``bench/`` prints its table and, with ``--markdown PATH``, writes the same
figures as a section that ``bench/run.py`` (``make bench``) pastes into ``bench/RESULTS.md``
between the benchmark's markers, so the recorded figures are always the last measured ones.
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commit() -> str:
    """The checked-out commit, with ``+changes`` when the work tree differs from it."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}+changes" if dirty else sha


def machine(packages: Sequence[str] = ()) -> str:
    """One line on what the figures were measured on."""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB"
    versions = "".join(f", {p} {version(p)}" for p in packages)
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}{versions}"


@dataclass
class Section:
    """What one run of a benchmark measured, ready to print or to paste into RESULTS.md."""

    name: str
    what: str
    packages: Sequence[str] = ()
    header: Sequence[str] = ()
    rows: list[Sequence[str]] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def target(self, label: str, met: bool, measured: str) -> None:
        self.targets.append(f"**{label}: {'met' if met else 'not met'}** ({measured})")

    def markdown(self) -> str:
        lines = [
            f"Measured {datetime.now(UTC):%Y-%m-%d} at commit `{commit()}` on {machine(self.packages)}.",
            "",
            self.what,
            "",
            "| " + " | ".join(self.header) + " |",
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(self.header))) + "|",
            *("| " + " | ".join(r) + " |" for r in self.rows),
        ]
        if self.targets:
            lines += ["", *(f"- {t}" for t in self.targets)]
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines) + "\n"

    def print(self) -> None:
        widths = [max(len(str(c)) for c in column) for column in zip(self.header, *self.rows, strict=True)]
        for cells in (self.header, *self.rows):
            print(
                "  ".join(
                    str(c).rjust(w) if i else str(c).ljust(w)
                    for i, (c, w) in enumerate(zip(cells, widths, strict=True))
                )
            )
        for t in self.targets:
            print(t.replace("**", ""))

    def publish(self, path: Path | None) -> None:
        """Print the table; with ``path``, also write the Markdown section there."""
        self.print()
        if path is not None:
            path.write_text(self.markdown(), encoding="utf-8")


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"
