"""HTML reports (crimeprev's own HTML report, or a paper saved as a web page), with the standard
library's :mod:`html.parser`.

``h1``-``h6`` are headings; ``p``, ``li``, ``div`` and similar give paragraphs; tables keep their grid:
``colspan`` and ``rowspan`` are expanded so that a merged header labels every column it covers (the
covered positions are marked ``merged``), and rows in ``thead`` or made only of ``th`` cells are
header rows. ``<sup>`` content (footnote markers) is dropped; scripts, styles and SVG text are
ignored.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from crimeprev.check.document import Cell, Document, DocumentBuilder, Position
from crimeprev.check.read_text import decode_text
from crimeprev.model.errors import InputError

__all__ = ["read_html"]

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PARAGRAPHS = frozenset({"p", "li", "div", "blockquote", "dd", "dt", "figcaption", "section", "article", "pre"})
_SKIP = frozenset({"script", "style", "svg", "head", "template", "noscript", "sup"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source", "area", "base"})


class _TableState:
    def __init__(self, line: int) -> None:
        self.line = line
        self.rows: list[tuple[list[tuple[str, int, int, bool]], int, bool]] = []  # cells, line, in thead
        self.caption: list[str] = []
        self.in_caption = False
        self.in_head = False
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.cell_is_th = False

    def grid(self) -> tuple[list[list[Cell]], int | None, list[Position]]:
        """Expand spans into a grid; the header is the leading rows in ``thead`` or all ``th``."""
        grid: list[list[Cell]] = []
        pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still covered)
        positions: list[Position] = []
        header_rows = 0
        header_done = False
        for cells, line, in_head in self.rows:
            row: list[Cell] = []
            it = iter(cells)
            column = 0
            all_th = bool(cells)
            while True:
                if column in pending:
                    cell, left = pending[column]
                    row.append(Cell(cell.text, merged=True))
                    if left <= 1:
                        del pending[column]
                    else:
                        pending[column] = (cell, left - 1)
                    column += 1
                    continue
                nxt = next(it, None)
                if nxt is None:
                    break
                text, colspan, rowspan, is_th = nxt
                all_th = all_th and is_th
                for k in range(colspan):
                    row.append(Cell(text, merged=k > 0))
                    if rowspan > 1:
                        pending[column + k] = (Cell(text), rowspan - 1)
                column += colspan
            grid.append(row)
            positions.append(Position(None, line))
            if not header_done and (in_head or all_th):
                header_rows += 1
            else:
                header_done = True
        return grid, (header_rows if header_rows else None), positions


class _Reader(HTMLParser):
    def __init__(self, builder: DocumentBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.skip = 0
        self.text: list[str] = []
        self.text_line = 1
        self.heading: int | None = None
        self.tables: list[_TableState] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        self.text = []
        if not text:
            return
        if self.heading is not None:
            self.builder.add_heading(text, self.heading, line=self.text_line)
        else:
            self.builder.add_paragraph(text, line=self.text_line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            if table is None:
                self._flush()
            self.tables.append(_TableState(line))
        elif table is not None:
            if tag == "thead":
                table.in_head = True
            elif tag == "caption":
                table.in_caption = True
            elif tag == "tr":
                table.rows.append(([], line, table.in_head))
            elif tag in ("td", "th"):
                values = dict(attrs)
                table.cell = []
                table.cell_span = (_span(values.get("colspan")), _span(values.get("rowspan")))
                table.cell_is_th = tag == "th"
                if not table.rows:
                    table.rows.append(([], line, table.in_head))
            elif tag == "br" and table.cell is not None:
                table.cell.append(" ")
        elif tag in _HEADINGS:
            self._flush()
            self.heading = _HEADINGS[tag]
            self.text_line = line
        elif tag in _PARAGRAPHS or tag == "br":
            self._flush()
            self.text_line = line
        if tag == "br" and table is None:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        table = self.tables[-1] if self.tables else None
        if table is not None:
            if tag == "thead":
                table.in_head = False
            elif tag in ("td", "th") and table.cell is not None:
                text = " ".join("".join(table.cell).split())
                table.rows[-1][0].append((text, *table.cell_span, table.cell_is_th))
                table.cell = None
            elif tag == "caption":
                table.in_caption = False
            elif tag == "table":
                self.tables.pop()
                if not self.tables:  # nested tables are read as the text of their cell
                    grid, header_rows, positions = table.grid()
                    caption = " ".join("".join(table.caption).split())
                    self.builder.add_table(
                        grid, header_rows=header_rows, caption=caption, line=table.line, row_positions=positions
                    )
            return
        if tag in _HEADINGS or tag in _PARAGRAPHS:
            self._flush()
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        table = self.tables[-1] if self.tables else None
        if table is not None:
            if table.cell is not None:
                table.cell.append(data)
            elif table.in_caption:
                table.caption.append(data)
            return
        if not self.text:
            self.text_line = self.getpos()[0]
        self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def read_html(path: Path) -> Document:
    """Read an HTML report."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read the file ({e.strerror or e})") from e
    builder = DocumentBuilder(str(path))
    reader = _Reader(builder)
    reader.feed(decode_text(path, data))
    reader.close()
    return builder.build()
