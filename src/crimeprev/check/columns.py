"""The columns of a table laid out as text, and which column each piece of a line stands in.

A line of an aligned table is a row of *pieces*: runs of text separated by two or more spaces.
Columns are found from the *gutters* of the body rows (the rows with figures): character positions
blank on every row. Text laid out from a PDF (``pdftotext -layout``) does not keep a column at one
position: proportional type turned into characters drifts by a place or two from row to row, and a
gutter may then split one column in two. When the gutters give more columns than any body row has
pieces (and no header line has that many), the columns are taken instead from the rows that fill
every column: column *j* runs from the leftmost start to the rightmost end of their *j*-th pieces.

Pieces are then placed in columns in reading order (a piece never stands left of the one before
it), each in the column it overlaps or, failing that, the nearest one: a header left-aligned over
right-aligned figures, or a row with a blank cell, is placed the way a reader would. In a header, a
piece over two or more columns is a merged cell that heads each of them ("12 Month ending" centred
over "Mar 23" and "Mar 24"). A cell wrapped onto the lines below its row (see :mod:`.layout`) adds
its text to the column of the piece it continues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crimeprev.check.document import Cell
from crimeprev.check.numbers import Figure, parse_cell

__all__ = ["Piece", "has_figure", "pieces", "split_table_lines"]

_PIECE = re.compile(r"\S+(?: \S+)*")
_CELL_GAP = re.compile(r"\s{2,}")
# The cost of placing a piece in the column of the piece before it. In a body row two pieces in one
# column are one cell with a double space inside (as dear as two places of distance); in a header each
# column has its own cell, so a header shares a column only when there are more pieces than columns.
_SHARE_IN_BODY = 2.0
_SHARE_IN_HEADER = 1000.0

Span = tuple[int, int]


@dataclass(frozen=True)
class Piece:
    """A run of text in a line (single spaces inside), with its character positions [start, end)."""

    text: str
    start: int
    end: int


def pieces(text: str) -> list[Piece]:
    return [Piece(m.group(0), m.start(), m.end()) for m in _PIECE.finditer(text)]


def has_figure(cells: Sequence[str]) -> bool:
    """Whether any cell after the first (the label) holds a figure."""
    return any(isinstance(parse_cell(c), Figure) for c in cells[1:])


def _cells_of(text: str) -> list[str]:
    return [c for c in _CELL_GAP.split(text.strip()) if c]


def _gutter_spans(lines: Sequence[str]) -> list[Span]:
    """Column spans [start, end) from the gutters (blank on every line, at least two wide)."""
    width = max(len(t) for t in lines)
    blank = [all(p >= len(t) or t[p] == " " for t in lines) for p in range(width)]
    spans: list[Span] = []
    p = 0
    while p < width:
        if blank[p]:
            p += 1
            continue
        start = p
        while p < width:
            if not blank[p]:
                p += 1
                continue
            gap = p
            while gap < width and blank[gap]:
                gap += 1
            if gap - p >= 2 or gap >= width:
                break
            p = gap
        spans.append((start, p))
    return spans


def _column_spans(body: Sequence[str], header: Sequence[str]) -> list[Span]:
    spans = _gutter_spans(body)
    rows = [pieces(t) for t in body]
    widest = max(len(r) for r in rows)
    if len(spans) <= widest or any(len(pieces(t)) >= len(spans) for t in header):
        return spans
    full = [r for r in rows if len(r) == widest]
    return [(min(r[j].start for r in full), max(r[j].end for r in full)) for j in range(widest)]


def _distance(piece: Piece, span: Span) -> float:
    gap = max(span[0] - piece.end, piece.start - span[1], 0)
    centre = abs((span[0] + span[1]) / 2 - (piece.start + piece.end) / 2)
    return gap + centre / 1000


def _overlap(piece: Piece, span: Span) -> int:
    return min(piece.end, span[1]) - max(piece.start, span[0])


def _place(row: Sequence[Piece], spans: Sequence[Span], *, merge: bool) -> list[tuple[int, int]]:
    """The columns (first, last) of each piece, in reading order, at the least total distance.

    With ``merge`` (a header line), a piece overlapping two or more columns covers all of them, unless
    a piece beside it needs one of those columns (a header that only reaches into the next column);
    otherwise it stands in one of the columns it overlaps.
    """
    options: list[list[tuple[int, int]]] = []
    for piece in row:
        covered = [i for i, s in enumerate(spans) if _overlap(piece, s) > 0]
        if len(covered) < 2:
            options.append([(c, c) for c in range(len(spans))])
        else:  # a merged header, unless the pieces beside it need one of its columns
            options.append(([(covered[0], covered[-1])] if merge else []) + [(c, c) for c in covered])
    share = _SHARE_IN_HEADER if merge else _SHARE_IN_BODY
    # cost[j]: the least cost of the pieces so far, the last one ending in column j - 1 (0: none yet).
    inf = float("inf")
    cost = [0.0] + [inf] * len(spans)
    steps: list[list[tuple[int, int, int]]] = []  # per piece and end: (first, last, end before)
    for piece, choices in zip(row, options, strict=True):
        now = [inf] * (len(spans) + 1)
        back = [(-1, -1, -1)] * (len(spans) + 1)
        for first, last in choices:
            distance = 0.0 if first != last else _distance(piece, spans[first])
            for before, so_far in enumerate(cost):
                if so_far == inf or (before and before - 1 > first):
                    continue
                total = so_far + distance + (share if before and before - 1 == first else 0.0)
                if total < now[last + 1]:
                    now[last + 1] = total
                    back[last + 1] = (first, last, before)
        cost = now
        steps.append(back)
    end = min(range(len(cost)), key=lambda j: cost[j])
    if cost[end] == inf:  # no reading order fits: each piece in its nearest column
        return [_nearest_columns(piece, spans, choices) for piece, choices in zip(row, options, strict=True)]
    placed: list[tuple[int, int]] = []
    for back in reversed(steps):
        first, last, end = back[end]
        placed.append((first, last))
    return placed[::-1]


def _nearest_columns(piece: Piece, spans: Sequence[Span], choices: Sequence[tuple[int, int]]) -> tuple[int, int]:
    return min(choices, key=lambda c: 0.0 if c[0] != c[1] else _distance(piece, spans[c[0]]))


def _nearest(piece: Piece, spans: Sequence[Span]) -> int:
    return min(range(len(spans)), key=lambda i: _distance(piece, spans[i]))


def _row_cells(text: str, wraps: Sequence[str], spans: Sequence[Span], *, header: bool) -> list[Cell]:
    row = pieces(text)
    placed = _place(row, spans, merge=header)
    cells = [Cell("") for _ in spans]
    for piece, (first, last) in zip(row, placed, strict=True):
        for column in range(first, last + 1):
            if column == first:
                cells[column] = Cell(f"{cells[column].text} {piece.text}".strip(), cells[column].merged)
            else:
                cells[column] = Cell(piece.text, merged=True)
    starts = {piece.start: columns[0] for piece, columns in zip(row, placed, strict=True)}
    for wrap in wraps:
        for piece in pieces(wrap):
            near = [starts[s] for s in (piece.start, piece.start - 1, piece.start + 1) if s in starts]
            column = near[0] if near else _nearest(piece, spans)
            cells[column] = Cell(f"{cells[column].text} {piece.text}".strip(), cells[column].merged)
    return cells


def split_table_lines(lines: Sequence[str], wraps: Sequence[Sequence[str]] = ()) -> list[list[Cell]]:
    """The cells of a table given as text lines (tab-separated, or aligned with spaces).

    ``wraps``: for each line, the lines its cells wrapped onto (see :mod:`.layout`).
    """
    if any("\t" in t for t in lines):
        return [[Cell(c) for c in t.rstrip("\n").split("\t")] for t in lines]
    expanded = [t.rstrip() for t in lines]
    wrapped = [list(wraps[i]) if i < len(wraps) else [] for i in range(len(expanded))]
    is_body = [has_figure(_cells_of(t)) for t in expanded]
    body = [t for t, b in zip(expanded, is_body, strict=True) if b]
    header = [t for t, b in zip(expanded, is_body, strict=True) if not b]
    spans = _column_spans(body, header) if body else _gutter_spans(expanded)
    return [_row_cells(t, w, spans, header=not b) for t, w, b in zip(expanded, wrapped, is_body, strict=True)]
