"""The ``--boundaries`` option of the commands that draw maps."""

from __future__ import annotations

from pathlib import Path

import typer

BOUNDARIES = typer.Option(
    None,
    "--boundaries",
    help="ONS boundary GeoJSON for the map's outlines (WGS84 or British National Grid); default: outlines "
    "derived from the records' own points.",
    show_default=False,
)
NAME_FIELD = typer.Option(
    None, "--boundary-name-field", help="The boundary file's name property (default: LAD23NM, ..., or name)."
)


def map_outlines(
    boundaries: Path | None, name_field: str | None, derived: dict[str, list[tuple[float, float]]]
) -> tuple[dict[str, list[tuple[float, float]]], str]:
    """The outlines to draw and how to credit them: the boundary file's, else ``derived``."""
    if boundaries is None:
        return derived, "Outlines: the districts' own records."
    from crimeprev.sources.boundaries import read_boundaries

    return read_boundaries(boundaries, name_field=name_field), f"Outlines: {boundaries.name}."
