"""Markdown papers: ATX and setext headings, paragraphs, list items and pipe tables.

A pipe table's header is the rows above its ``|---|`` delimiter row (GitHub allows one, converters
sometimes write two for a merged header). Everything that is not a table or a heading goes through the
plain-text layout, so tables aligned with spaces inside a Markdown file are read too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from crimeprev.check.document import Document, DocumentBuilder, Position
from crimeprev.check.layout import HeadingLevels, add_text_blocks
from crimeprev.check.read_text import decode_text
from crimeprev.model.errors import InputError

__all__ = ["read_markdown", "split_pipe_row"]

_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") or (stripped.count("|") >= 2 and not stripped.startswith(("#", ">")))


def split_pipe_row(line: str) -> list[str]:
    """The cells of one pipe-table row; ``\\|`` is a literal bar, leading and trailing bars are optional."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", stripped)]


def _add_pipe_table(builder: DocumentBuilder, lines: Sequence[tuple[int, str]]) -> None:
    rows: list[list[str]] = []
    positions: list[Position] = []
    header_rows: int | None = None
    for number, text in lines:
        if _DELIMITER.match(text) and "-" in text:
            header_rows = len(rows)
            continue
        rows.append(split_pipe_row(text))
        positions.append(Position(None, number))
    builder.add_table(rows, header_rows=header_rows, line=lines[0][0], row_positions=positions)


def add_markdown_blocks(builder: DocumentBuilder, text: str) -> None:
    """Add the blocks of a Markdown text to ``builder``."""
    lines = text.splitlines()
    pending: list[str] = []  # text lines not yet handed to the plain-text layout
    pending_start = 1
    table: list[tuple[int, str]] = []
    in_fence = False
    headings = HeadingLevels()

    def flush_text() -> None:
        nonlocal pending
        if pending:
            add_text_blocks(builder, pending, first_line=pending_start, headings=headings)
            pending = []

    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if _is_pipe_row(line):
            if not table:
                flush_text()
            table.append((number, line))
            continue
        if table:
            _add_pipe_table(builder, table)
            table = []
        if not pending:
            pending_start = number
        pending.append(line)
    if table:
        _add_pipe_table(builder, table)
    flush_text()


def read_markdown(path: Path) -> Document:
    """Read a Markdown report."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read the file ({e.strerror or e})") from e
    builder = DocumentBuilder(str(path))
    add_markdown_blocks(builder, decode_text(path, data))
    return builder.build()
