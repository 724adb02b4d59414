"""``crimeprev demo-data`` and ``crimeprev demo`` (placeholder until the demo module lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
