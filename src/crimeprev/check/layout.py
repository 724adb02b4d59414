"""Plain-text layout: lines into headings, paragraphs and column-aligned tables.

Used for plain-text papers and for the text of PDF pages (``pdftotext -layout`` keeps the columns of a
table as runs of spaces). A table is a run of lines whose cells are separated by tabs or by two or more
spaces, with figures in at least one column (blank lines between its rows, as a PDF's cell padding
leaves, do not break it). Columns are found from the body rows and header cells placed over them (see
:mod:`.columns`), so a header centred over two columns ("12 Month ending" over "Mar 23" and "Mar 24")
labels both, as a merged cell does in Word.

Wrapped cells. A typesetter wraps a long cell onto the next line of its row ("Night-time economy" over
"offences", "2023-04-01 to" over "2023-09-30"). A row set off by blank lines above and below (cell
padding) that goes on, directly below, with lines whose every piece starts where a cell of the row
starts, is one row: those lines are added to the cells they continue.

Rows of figures with single spaces. Text copied out of slides and PDFs often loses the column gaps:
"Chatteris 392 37.1 10.67 -12.7", "3,455,173 3,561,443 + 106,270 + 3.1%". A line that ends in two or
more figures (a sign standing apart belongs to its number; "N/A", "NA", "TBC" and dashes stand in for
one), after a short label that does not read as the middle of a sentence, is read as a table row: its
label and figures become cells, so that consecutive such lines make a table. A row with fewer
figures than the others stands under the columns whose figures are printed like its own (decimals,
``%``); when that does not tell (all whole numbers: a year-to-date row), its figures are left out of
every sum and comparison rather than guessed. A paragraph that is a whole table run onto one line is read back too (see
:mod:`.flattened`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crimeprev.check.columns import has_figure, pieces, split_table_lines
from crimeprev.check.document import DocumentBuilder, Position
from crimeprev.check.flattened import unflatten
from crimeprev.check.markup import strip_inline_markup
from crimeprev.check.numbers import SIGNS, STAND_INS, Figure, parse_cell

__all__ = ["HeadingLevels", "add_text_blocks", "split_table_lines"]

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-*•·▪]|\d+[.)])\s+")
_CELL_GAP = re.compile(r"\s{2,}")
_SENTENCE_END = (".", ":", ";", ",", "?", "!")
_UNPLACED = "(unplaced)"  # a figure cell of a short row whose columns cannot be told
_YEARISH = re.compile(r"^(?:19|20)\d{2}$")
# A label ending with one of these is the middle of a sentence ("fell from 12 to 15"), not a row label.
_JOINERS = frozenset(
    {"to", "from", "of", "and", "or", "by", "in", "on", "at", "was", "were", "is", "are", "than", "with"}
    | {"between", "against", "about", "around", "over", "under", "compared", "the", "a", "an"}
)


@dataclass(frozen=True)
class _Line:
    """A line of text, with the lines its table cells wrapped onto (if it is a table row)."""

    number: int
    text: str
    wraps: tuple[str, ...] = ()


def _cells_of(text: str) -> list[str]:
    if "\t" in text:
        return [c.strip() for c in text.rstrip().split("\t")]
    return [c for c in _CELL_GAP.split(text.strip()) if c]


def _figure_row(text: str) -> list[str] | None:
    """The cells of a single-spaced row of figures (see the module docstring), or ``None``."""
    if "\t" in text or _CELL_GAP.search(text.strip()):
        return None
    tokens = text.split()
    figures: list[str] = []
    while tokens:
        token = tokens[-1]
        if token.lower() in STAND_INS or isinstance(parse_cell(token), Figure):
            if len(tokens) > 1 and tokens[-2] in SIGNS and isinstance(parse_cell(token), Figure):
                figures.insert(0, tokens[-2] + token)
                tokens = tokens[:-2]
            else:
                figures.insert(0, token)
                tokens = tokens[:-1]
            continue
        break
    real = [f for f in figures if isinstance(parse_cell(f), Figure)]
    if len(figures) < 2 or len(real) < 2 or len(tokens) > 20 or ". " in " ".join(tokens):
        return None
    if all(_YEARISH.match(f) for f in real):
        return None  # a row of years is a header
    label = " ".join(tokens)
    if label.endswith(_SENTENCE_END) or (tokens and tokens[-1].lower() in _JOINERS):
        return None
    return [label, *figures]


def _with_figure_rows(lines: Sequence[_Line]) -> list[_Line]:
    """Single-spaced rows of figures rewritten with tabs between cells, so the table reader reads
    them; a row with fewer figures than the rows around it is aligned with them from the right."""
    rows = [_figure_row(line.text) for line in lines]
    out = list(lines)
    i = 0
    while i < len(lines):
        if rows[i] is None:
            i += 1
            continue
        end = i
        while end + 1 < len(lines) and (rows[end + 1] is not None or not lines[end + 1].text.strip()):
            end += 1
        run = [k for k in range(i, end + 1) if rows[k] is not None]
        if len(run) >= 2:
            full = [rows[k] or [] for k in run]
            width = max(len(cells) for cells in full)
            styles = [Counter(_style(c[j]) for c in full if len(c) == width) for j in range(1, width)]
            for k, cells in zip(run, full, strict=True):
                out[k] = _Line(lines[k].number, "\t".join(_aligned(cells, width, styles)))
        i = end + 1
    return out


def _style(cell: str) -> tuple[int, bool] | None:
    """How a figure is printed (decimal places, with a ``%``), to tell which column it stands in."""
    value = parse_cell(cell)
    return (value.decimals, value.percent) if isinstance(value, Figure) else None


def _aligned(cells: list[str], width: int, styles: Sequence[Counter[tuple[int, bool] | None]]) -> list[str]:
    """A short row's cells placed under the columns whose figures are printed like its own; when
    several placings fit as well, the row's figures are left unplaced (text cells, :data:`_UNPLACED`)."""
    missing = width - len(cells)
    if not missing:
        return cells

    scores = {
        offset: sum(styles[offset + j][_style(c)] for j, c in enumerate(cells[1:])) for offset in range(missing + 1)
    }
    best = max(scores.values())
    placed = [offset for offset, score in scores.items() if score == best]
    if len(placed) > 1:
        # Nothing tells under which columns the figures stand (a year-to-date row, a first row with a
        # blank): they are not guessed, so no sum or comparison uses them.
        return [cells[0], *[_UNPLACED] * (width - 1)]
    offset = placed[0]
    return [cells[0], *[""] * offset, *cells[1:], *[""] * (missing - offset)]


def _with_cell_per_line_tables(lines: Sequence[_Line]) -> list[_Line]:
    """Tables copied one cell to a line (as a web page's table pastes into text): a label line and
    then as many figure lines as there are columns, for three rows or more, under as many header
    lines ("September 2019 Panel", "June 2019 Panel", "Green", "7", "9", "Amber", "4", "2", …). A line
    of nothing but spaces is an empty cell (a totals row without a label); an empty line is no cell. The rows are
    rewritten as tab-separated lines at the place of their label, and the table's other lines
    dropped."""
    cells = [k for k, line in enumerate(lines) if line.text]
    figure = [isinstance(parse_cell(lines[k].text.strip()), Figure) for k in cells]
    out: list[_Line | None] = list(lines)
    p = 0
    while p < len(cells):
        groups: list[tuple[int, int]] = []  # (position of the label, columns)
        q = p
        while q < len(cells) and not figure[q]:
            width = 0
            while q + 1 + width < len(cells) and figure[q + 1 + width]:
                width += 1
            if width < 2 or (groups and width != groups[0][1]):
                break
            groups.append((q, width))
            q += 1 + width
        if len(groups) < 3:
            p += 1
            continue
        width = groups[0][1]
        start = groups[0][0]
        header = [k for k in range(max(0, start - width), start) if not figure[k]]
        header = header if len(header) == width else []
        rows = {cells[label]: [lines[cells[label]].text.strip()] for label, _ in groups}
        for label, _ in groups:
            rows[cells[label]] += [lines[cells[label + 1 + j]].text.strip() for j in range(width)]
        if header:
            rows[cells[header[0]]] = ["", *(lines[cells[k]].text.strip() for k in header)]
        first, last = cells[header[0] if header else start], cells[q - 1]
        for k in range(first, last + 1):
            out[k] = _Line(lines[k].number, "\t".join(rows[k])) if k in rows else None
        p = q
    return [line for line in out if line is not None]


def _is_table_line(text: str) -> bool:
    return len([c for c in _cells_of(text) if c]) >= 2


def _has_figure(cells: Sequence[str]) -> bool:
    return has_figure(cells)


def _starts_within(text: str, starts: set[int]) -> bool:
    """Whether every piece of ``text`` starts where one of ``starts`` is (a place either way)."""
    return all(p.start in starts or p.start - 1 in starts or p.start + 1 in starts for p in pieces(text))


def _continues(row: str, text: str) -> bool:
    """Whether ``text`` (the line below ``row``) continues the cells of ``row``: fewer pieces, each
    starting where a piece of the row starts, and no figure under a figure (a number under a number
    is a row of its own with blank cells, not a wrapped cell)."""
    below, above = pieces(text), pieces(row)
    if not 0 < len(below) < len(above) or not _starts_within(text, {p.start for p in above}):
        return False
    figures = {p.start for p in above if isinstance(parse_cell(p.text), Figure)}
    return not any(
        isinstance(parse_cell(p.text), Figure) and {p.start - 1, p.start, p.start + 1} & figures for p in below
    )


def _join_wrapped(lines: Sequence[_Line]) -> list[_Line]:
    """Lines with the wrapped continuations of padded table rows folded into their rows."""
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        padded_above = i == 0 or not lines[i - 1].text.strip()
        if "\t" not in line.text and padded_above and _is_table_line(line.text):
            end = i + 1
            while end < len(lines) and lines[end].text.strip() and _continues(line.text, lines[end].text):
                end += 1
            padded_below = end == len(lines) or not lines[end].text.strip()
            if end > i + 1 and padded_below:
                out.append(_Line(line.number, line.text, tuple(x.text for x in lines[i + 1 : end])))
                i = end
                continue
        out.append(line)
        i += 1
    return out


def _table_runs(chunk: Sequence[_Line]) -> list[tuple[str, list[_Line]]]:
    """Split a chunk of lines into ("table", lines) and ("text", lines) runs."""
    runs: list[tuple[str, list[_Line]]] = []
    for line in chunk:
        kind = "table" if _is_table_line(line.text) else "text"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    out: list[tuple[str, list[_Line]]] = []
    for kind, lines in runs:
        is_table = kind == "table" and len(lines) >= 2 and any(_has_figure(_cells_of(x.text)) for x in lines)
        if is_table and out and out[-1][0] == "text":
            # An indented line just above (a header centred over several columns) belongs to the table.
            above = out[-1][1]
            while above and len(above[-1].text) - len(above[-1].text.lstrip()) >= 2:
                lines.insert(0, above.pop())
            if not above:
                out.pop()
        if not is_table:
            kind = "text"
        if out and out[-1][0] == kind == "text":
            out[-1][1].extend(lines)
        else:
            out.append((kind, lines))
    return out


class HeadingLevels:
    """Heading levels for plain text: numbered headings give their own depth, others sit one below."""

    def __init__(self) -> None:
        self.numbered_level = 0

    def level(self, numbered: str | None) -> int:
        if numbered is not None:
            self.numbered_level = numbered.count(".") + 1
            return self.numbered_level
        return self.numbered_level + 1


def _heading_of(lines: Sequence[_Line]) -> tuple[str, str | None] | None:
    """(text, section number) if a one-line chunk reads as a heading."""
    if len(lines) != 1:
        return None
    text = strip_inline_markup(lines[0].text)
    if not text or len(text) > 80 or text.endswith(_SENTENCE_END) or len(text.split()) > 12:
        return None
    numbered = _NUMBERED.match(text)
    if numbered:
        return text, numbered[1]
    if not text[0].isupper() or _BULLET.match(lines[0].text):
        return None
    return text, None


def add_text_blocks(
    builder: DocumentBuilder,
    lines: Sequence[str],
    *,
    page: int | None = None,
    first_line: int = 1,
    continue_table: bool = False,
    headings: HeadingLevels | None = None,
) -> None:
    """Add the blocks of ``lines`` (one page, or a whole text file) to ``builder``.

    ``first_line`` is the number of the first line (for locations); ``headings`` carries the numbering
    depth from one call to the next. ``continue_table``: when the first block is a table that goes on
    from the last table added (a table running over a page break) — its header repeats that table's
    header, or it has no header and as many columns — its body rows extend that table.
    """
    headings = headings or HeadingLevels()
    first = True
    numbered = [_Line(i + first_line, t.rstrip("\n")) for i, t in enumerate(lines)]
    for chunk in _chunks(_join_wrapped(_with_figure_rows(_with_cell_per_line_tables(numbered)))):
        if chunk.heading_level is not None:
            headings.numbered_level = chunk.heading_level
            builder.add_heading(chunk.lines[0].text, chunk.heading_level, page=page, line=chunk.lines[0].number)
            first = False
            continue
        for kind, run in _table_runs(chunk.lines):
            if kind == "table":
                _add_table(builder, run, page=page, continuation=continue_table and first)
            else:
                _add_text(builder, run, page=page, headings=headings)
            first = False


@dataclass(frozen=True)
class _Chunk:
    """Lines between blank lines, or one marked-up heading (``#`` or underlined) with its level."""

    lines: list[_Line]
    heading_level: int | None = None


def _table_goes_on(current: Sequence[_Line], after: Sequence[_Line]) -> bool:
    """Whether a blank line only spaces out the rows of a table (as cell padding does in a PDF):
    table rows on both sides, and either the rows after hold figures, or no row before did, or the
    row after stands in the columns of the rows before (so a second table, which starts with its
    header, is not run into the first, but a row of text in a table of figures is kept in it)."""
    if not current or not _is_table_line(current[-1].text):
        return False
    nxt = next((x for x in after if x.text.strip()), None)
    if nxt is None or not _is_table_line(nxt.text):
        return False
    if _has_figure(_cells_of(nxt.text)) or not any(_has_figure(_cells_of(x.text)) for x in current):
        return True
    rows = [x.text for x in current if _is_table_line(x.text)]
    return _starts_within(nxt.text, {p.start for row in rows for p in pieces(row)})


def _chunks(lines: Sequence[_Line]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current: list[_Line] = []

    def close() -> None:
        nonlocal current
        if current:
            chunks.append(_Chunk(current))
            current = []

    skip_underline = False
    for i, line in enumerate(lines):
        if skip_underline:
            skip_underline = False
            continue
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        atx = _ATX.match(line.text)
        if atx:
            close()
            chunks.append(_Chunk([_Line(line.number, atx[2])], len(atx[1])))
        elif not line.text.strip():
            if not _table_goes_on(current, lines[i + 1 : i + 4]):
                close()
        elif not current and _SETEXT.match(following) and not _is_table_line(line.text):
            level = 1 if following.strip().startswith("=") else 2
            chunks.append(_Chunk([_Line(line.number, line.text.strip())], level))
            skip_underline = True
        else:
            current.append(line)
    close()
    return chunks


def _add_table(builder: DocumentBuilder, run: Sequence[_Line], *, page: int | None, continuation: bool) -> None:
    rows = split_table_lines([x.text for x in run], [x.wraps for x in run])
    positions = [Position(page, x.number) for x in run]
    previous = builder.last_table()
    if continuation and previous is not None and previous.header_rows is None:
        texts = [[c.text for c in row] for row in rows]
        head = [[c.text for c in row] for row in previous.rows]
        repeated = 0
        while repeated < len(texts) and repeated < len(head) and texts[repeated] == head[repeated]:
            repeated += 1
        headless = _has_figure(texts[0]) and len(texts[0]) == previous.width
        if (repeated and not _has_figure(texts[0])) or headless:
            builder.extend_last_table(texts[repeated:], positions[repeated:])
            return
    builder.add_table(rows, page=page, line=run[0].number, row_positions=positions)


def _unfold(run: Sequence[_Line]) -> list[_Line]:
    """Lines as they stand on the page (a run that is not a table keeps no wrapped cells)."""
    return [_Line(line.number + k, text) for line in run for k, text in enumerate((line.text, *line.wraps))]


def _add_text(builder: DocumentBuilder, run: Sequence[_Line], *, page: int | None, headings: HeadingLevels) -> None:
    run = _unfold(run)
    # A numbered heading set directly above its text, as PDF converters often leave it: a short line,
    # then a longer one.
    short = len(run) > 1 and len(run[0].text.strip()) * 3 <= len(run[1].text.strip()) * 2
    if short and _heading_of(run[:1]) and _NUMBERED.match(run[0].text):
        _add_text(builder, run[:1], page=page, headings=headings)
        run = run[1:]
    heading = _heading_of(run)
    if heading is not None:
        builder.add_heading(heading[0], headings.level(heading[1]), page=page, line=run[0].number)
        return
    items: list[list[_Line]] = []
    for line in run:
        if _BULLET.match(line.text) or not items:
            items.append([])
        items[-1].append(line)
    for item in items:
        text = _BULLET.sub("", " ".join(x.text.strip() for x in item), count=1)
        flat = unflatten(text)
        if flat is None:
            builder.add_paragraph(text, page=page, line=item[0].number)
            continue
        builder.add_paragraph(flat.before, page=page, line=item[0].number)
        builder.add_table(flat.rows, page=page, line=item[0].number)
        builder.add_paragraph(flat.after, page=page, line=item[0].number)
