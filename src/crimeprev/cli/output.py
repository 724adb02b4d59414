"""Printing for the CLI: one console for results, one for errors and progress."""

from __future__ import annotations

import json
import sys
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
