"""Printing for the CLI: one console for results, one for errors and progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

# Piped or captured output gets a wide, fixed width so that tables are not cut to 80 columns.
# Markup is off: paths, headers, raw lines and messages are user text, and a "[" in them must print
# as it is. The few lines styled on purpose pass markup=True and escape() whatever they quote.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160, markup=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on standard output (plain, so that it pipes cleanly)."""
    print(json.dumps(data, indent=2, default=str))


def thousands(n: int) -> str:
    return f"{n:,}"


CHART_SUFFIXES = (".svg", ".png", ".html")


def check_chart_file(option: str, path: Path | None) -> None:
    """Refuse a chart or map file crimeprev cannot write, before any work is done."""
    from crimeprev.model.errors import ConfigError

    if path is None:
        return
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise ConfigError(f"{option} {path}: write .svg, .png or .html")
    if not path.parent.is_dir():
        raise ConfigError(f"{option} {path}: the folder {path.parent} does not exist")
