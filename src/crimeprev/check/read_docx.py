"""Word documents (DOCX), with python-docx: paragraphs, headings and tables in reading order.

Headings are paragraphs in a "Heading N" or "Title" style (or with an outline level). In tables, a
cell merged across columns (``gridSpan``) or down rows (``vMerge``) fills every grid position it
covers, the covered ones marked ``merged``; rows marked "repeat as header row" (``w:tblHeader``) are
the header. Superscript runs (footnote markers) are left out of the text so that ``2,310¹`` reads as
``2,310``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from crimeprev.check.document import Cell, Document, DocumentBuilder
from crimeprev.model.errors import InputError

if TYPE_CHECKING:  # python-docx loads when a DOCX is read, not when the CLI starts
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable
    from docx.table import _Row
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

__all__ = ["read_docx"]

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _run_text(run: Run) -> str:
    return "" if run.font.superscript else run.text


def paragraph_text(paragraph: DocxParagraph) -> str:
    """The paragraph's text without superscript runs (footnote markers, ordinal suffixes)."""
    from docx.text.hyperlink import Hyperlink

    parts: list[str] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            parts.extend(_run_text(r) for r in item.runs)
        else:
            parts.append(_run_text(item))
    return "".join(parts)


def _style_names(document: DocxDocument) -> dict[str, str]:
    """Style id -> style name, read once (looking a paragraph's style up through python-docx each
    time is slow on long reports)."""
    return {style.style_id: style.name or "" for style in document.styles if style.style_id}


def _heading_level(paragraph: DocxParagraph, styles: dict[str, str]) -> int | None:
    name = styles.get(paragraph._p.style or "", "")
    if name.lower() == "title":
        return 1
    match = _HEADING_STYLE.match(name)
    if match:
        return int(match[1])
    outline = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        value = outline.get(f"{_W}val")
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


def _is_header_row(row: _Row) -> bool:
    return row._tr.find(f"{_W}trPr/{_W}tblHeader") is not None


def _row_cells(row: _Row) -> list[Cell]:
    """One cell per grid column: spanned and vertically merged positions repeat their cell's text."""
    cells: list[Cell] = [Cell("")] * row.grid_cols_before
    previous_tc = None
    for cell in row.cells:
        text = "\n".join(paragraph_text(p) for p in cell.paragraphs).strip()
        text = " ".join(text.split())
        continued = cell._tc is previous_tc or cell._tc.vMerge == "continue"
        cells.append(Cell(text, merged=continued))
        previous_tc = cell._tc
    return cells


def _vertically_merged(row: _Row) -> set[int]:
    """Grid columns of ``row`` that continue a vertical merge from the row above."""
    merged: set[int] = set()
    column = row.grid_cols_before
    for tc in row._tr.tc_lst:
        if tc.vMerge == "continue":
            merged.update(range(column, column + tc.grid_span))
        column += tc.grid_span
    return merged


def _add_table(builder: DocumentBuilder, table: DocxTable) -> None:
    rows: list[list[Cell]] = []
    header_rows = 0
    for i, row in enumerate(table.rows):
        cells = _row_cells(row)
        down = _vertically_merged(row)
        rows.append([Cell(c.text, merged=c.merged or j in down) for j, c in enumerate(cells)])
        if header_rows == i and _is_header_row(row):
            header_rows += 1
    builder.add_table(rows, header_rows=header_rows or None)


def read_docx(path: Path) -> Document:
    """Read a DOCX report."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(str(path), f"not a readable Word document ({e}); save it again as .docx") from e
    except OSError as e:
        raise InputError(str(path), f"cannot read the file ({e.strerror or e})") from e
    builder = DocumentBuilder(str(path))
    styles = _style_names(document)
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            _add_table(builder, block)
            continue
        text = paragraph_text(block)
        level = _heading_level(block, styles)
        if level is not None:
            builder.add_heading(text, level)
        else:
            builder.add_paragraph(text)
    return builder.build()
