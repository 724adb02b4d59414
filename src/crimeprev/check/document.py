"""The format-neutral report document the checker reads: headings, paragraphs and tables, each with
its location.

Every reader (DOCX, PDF, HTML, Markdown, plain text) produces this one model and every rule reads only
it, so a rule is written once for all formats. A location says where a reader would look for the
figure: the file, the section (the path of headings above it), the page where the format has pages,
the line where it has lines, the block (the n-th paragraph or table) and, for a table, the row and
column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from crimeprev.check.markup import strip_inline_markup

__all__ = ["Block", "Cell", "Document", "DocumentBuilder", "Heading", "Location", "Paragraph", "Position", "Table"]

BlockKind = Literal["heading", "paragraph", "table"]


@dataclass(frozen=True)
class Location:
    """Where a block, or a cell of a table, is. Indexes are 1-based, as a reader counts."""

    file: str
    kind: BlockKind
    index: int
    section: tuple[str, ...] = ()
    page: int | None = None
    line: int | None = None
    row: int | None = None
    column: int | None = None
    row_label: str = ""
    column_label: str = ""
    excerpt: str = ""

    def describe(self, *, excerpt: bool = True) -> str:
        """A short place name for people: ``table 2, row 'Knife crime offences', column '% Diff.' (page 3)``;
        a paragraph with its first words unless ``excerpt`` is false."""
        parts = [f"{self.kind} {self.index}"]
        if self.row is not None:
            parts.append(f"row {self.row}" + (f" {self.row_label!r}" if self.row_label else ""))
        if self.column is not None:
            parts.append(f"column {self.column}" + (f" {self.column_label!r}" if self.column_label else ""))
        where = [f"page {self.page}"] if self.page is not None else []
        if self.line is not None:
            where.append(f"line {self.line}")
        text = ", ".join(parts)
        if self.excerpt and excerpt:
            text += f" “{self.excerpt}”"
        return text + (f" ({', '.join(where)})" if where else "")

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "section": list(self.section),
            "block": self.kind,
            "index": self.index,
            "page": self.page,
            "line": self.line,
            "row": self.row,
            "column": self.column,
            "row_label": self.row_label or None,
            "column_label": self.column_label or None,
            "description": self.describe(),
        }


@dataclass(frozen=True)
class Position:
    """Where one row of a table sits in a paged or lined format (a table may run over pages)."""

    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Cell:
    """One grid position of a table. ``merged``: covered by a cell spanning from the left or above,
    whose text it repeats (so a merged header labels every column it spans)."""

    text: str
    merged: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    location: Location


@dataclass(frozen=True)
class Paragraph:
    text: str
    location: Location


@dataclass(frozen=True)
class Table:
    """A rectangular grid of cells. ``header_rows`` is ``None`` when the format does not say."""

    rows: tuple[tuple[Cell, ...], ...]
    location: Location
    header_rows: int | None = None
    caption: str = ""
    row_positions: tuple[Position, ...] = ()

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, row: int, column: int) -> str:
        cells = self.rows[row]
        return cells[column].text if column < len(cells) else ""

    def cell_location(self, row: int, column: int, *, row_label: str = "", column_label: str = "") -> Location:
        """The location of a cell (0-based ``row`` and ``column`` in, 1-based out)."""
        position = self.row_positions[row] if row < len(self.row_positions) else Position()
        return dataclasses.replace(
            self.location,
            page=position.page if position.page is not None else self.location.page,
            line=position.line if position.line is not None else self.location.line,
            row=row + 1,
            column=column + 1,
            row_label=row_label,
            column_label=column_label,
        )


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A report as a sequence of blocks, in reading order."""

    path: str
    blocks: tuple[Block, ...]

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))


class DocumentBuilder:
    """Collects blocks in reading order for a reader, numbering them and tracking the section path.

    Readers only say what they saw (a heading of level 2, a paragraph, a table on page 3); the builder
    strips inline markup, keeps the heading path and gives each block its location.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._blocks: list[Block] = []
        self._counts: dict[str, int] = {"heading": 0, "paragraph": 0, "table": 0}
        self._headings: list[tuple[int, str]] = []

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._headings)

    def _location(self, kind: BlockKind, page: int | None, line: int | None, excerpt: str = "") -> Location:
        self._counts[kind] += 1
        return Location(self._path, kind, self._counts[kind], self.section, page, line, excerpt=excerpt)

    def add_heading(self, text: str, level: int, *, page: int | None = None, line: int | None = None) -> None:
        text = strip_inline_markup(text)
        if not text:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self._headings.append((level, text))
        self._blocks.append(Heading(text, level, self._location("heading", page, line)))

    def add_paragraph(self, text: str, *, page: int | None = None, line: int | None = None) -> None:
        text = strip_inline_markup(text)
        if not text:
            return
        excerpt = text if len(text) <= 48 else text[:45].rstrip() + "…"
        self._blocks.append(Paragraph(text, self._location("paragraph", page, line, excerpt)))

    def add_table(
        self,
        rows: Sequence[Sequence[Cell | str]],
        *,
        header_rows: int | None = None,
        caption: str = "",
        page: int | None = None,
        line: int | None = None,
        row_positions: Sequence[Position] = (),
    ) -> None:
        """Add a table; rows are padded to a rectangle and every cell's markup is stripped.

        Without a ``caption``, a heading or one-line paragraph just above the table serves as one: it
        usually names what the table counts and over which months ("Hate crime by type, Jan-Mar 2024").
        """
        cells = [[c if isinstance(c, Cell) else Cell(c) for c in row] for row in rows]
        cells = [row for row in cells if row]
        if not cells:
            return
        above = self._blocks[-1] if self._blocks else None
        if not caption and isinstance(above, Heading | Paragraph) and len(above.text) <= 120:
            caption = above.text
        width = max(len(r) for r in cells)
        grid = tuple(
            tuple(Cell(strip_inline_markup(c.text), c.merged) for c in row) + (Cell(""),) * (width - len(row))
            for row in cells
        )
        self._blocks.append(
            Table(
                rows=grid,
                location=self._location("table", page, line),
                header_rows=header_rows,
                caption=strip_inline_markup(caption),
                row_positions=tuple(row_positions),
            )
        )

    def last_table(self) -> Table | None:
        """The last block if it is a table: a table continued over a page break extends it."""
        last = self._blocks[-1] if self._blocks else None
        return last if isinstance(last, Table) else None

    def extend_last_table(self, rows: Sequence[Sequence[str]], row_positions: Sequence[Position]) -> None:
        """Append rows (the continuation of a table on the next page) to the last table."""
        table = self.last_table()
        if table is None:
            raise ValueError("no table to extend")
        width = table.width
        extra = tuple(
            tuple(Cell(strip_inline_markup(t)) for t in row[:width]) + (Cell(""),) * (width - len(row)) for row in rows
        )
        self._blocks[-1] = dataclasses.replace(
            table, rows=table.rows + extra, row_positions=table.row_positions + tuple(row_positions)
        )

    def build(self) -> Document:
        return Document(self._path, tuple(self._blocks))
