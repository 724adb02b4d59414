"""The ``--harm`` and ``--harm-table`` options shared by the commands that can weigh by harm."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from crimeprev.indicators.harm import HarmTable

HARM = typer.Option(False, "--harm", help="Weigh each offence by its harm in days (CCHI method), not count it.")
HARM_TABLE = typer.Option(
    None, "--harm-table", help="Your own harm table (CSV with code and days); implies --harm.", show_default=False
)


def chosen_table(harm: bool, path: Path | None) -> HarmTable | None:
    """The harm table the options ask for (None: count records)."""
    if not harm and path is None:
        return None
    from crimeprev.indicators.harm import load_harm_table

    return load_harm_table(path)
