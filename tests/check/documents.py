"""Small documents built in memory for the rule tests (no file, no reader)."""

from __future__ import annotations

from collections.abc import Sequence

from crimeprev.check.document import Document, DocumentBuilder

Item = str | tuple[int, str] | Sequence[Sequence[str]]

COMPARISON_HEADER = ("", "12 Month ending Mar 23", "12 Month ending Mar 24", "Diff.", "% Diff.")


def document(*items: Item, header_rows: int = 1) -> Document:
    """A document of paragraphs (str), headings ((level, text)) and tables (rows of cell texts)."""
    builder = DocumentBuilder("test.md")
    for item in items:
        if isinstance(item, str):
            builder.add_paragraph(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], int) and isinstance(item[1], str):
            builder.add_heading(item[1], item[0])
        else:
            builder.add_table(
                [[str(c) for c in row] for row in item if not isinstance(row, int)], header_rows=header_rows
            )
    return builder.build()


def comparison_table(*rows: tuple[str, str, str, str, str]) -> list[tuple[str, ...]]:
    return [COMPARISON_HEADER, *rows]
