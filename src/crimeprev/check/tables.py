"""What a table says: its header, row labels, figures, totals rows and columns.

The reader gives a grid of cell texts; this module reads it as a person would. The header is the rows
the format marks as header, or else the leading rows without figures. A column's label joins its
header cells top to bottom ("12 Month ending" + "Mar 23"); blank header cells under a merged cell
take the label from the left. Body rows that repeat the header (a header repeated after a page break
inside the table) are skipped. The label column is the first column when it holds text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from crimeprev.check.document import Location, Table
from crimeprev.check.numbers import BLANK, CellValue, Figure, parse_cell
from crimeprev.check.periods import Period, find_periods, parse_period

__all__ = ["TableView", "is_total_label", "read_table"]

_TOTAL: Final = re.compile(r"^(?:grand\s+|sub[\s\-]?)?totals?(?:\s*\([^)]*\))?:?$", re.IGNORECASE)
_YEARISH: Final = re.compile(r"^(?:19|20)\d{2}$")


def is_total_label(label: str) -> bool:
    """A row or column that sums the others: "Total", "Totals", "Grand total", "Sub-total" (not
    "Total recorded crime", which is a measure of its own)."""
    return bool(_TOTAL.match(label.strip()))


@dataclass(frozen=True)
class TableView:
    """A table read: header labels, body rows, the label column and every cell's value."""

    table: Table
    header_rows: int
    label_column: int | None
    column_labels: tuple[str, ...]
    body: tuple[int, ...]
    values: tuple[tuple[CellValue, ...], ...]
    periods: tuple[Period | None, ...]

    @property
    def width(self) -> int:
        return len(self.column_labels)

    def value(self, row: int, column: int) -> CellValue:
        return self.values[row][column]

    def figure(self, row: int, column: int) -> Figure | None:
        value = self.values[row][column]
        return value if isinstance(value, Figure) else None

    def row_label(self, row: int) -> str:
        if self.label_column is None:
            return ""
        return self.table.text(row, self.label_column)

    def value_columns(self) -> tuple[int, ...]:
        """Columns other than the label column with at least one figure in the body."""
        return tuple(
            c
            for c in range(self.width)
            if c != self.label_column and any(isinstance(self.values[r][c], Figure) for r in self.body)
        )

    def total_rows(self) -> tuple[int, ...]:
        return tuple(r for r in self.body if is_total_label(self.row_label(r)))

    def total_columns(self) -> tuple[int, ...]:
        return tuple(c for c in self.value_columns() if is_total_label(self.column_labels[c]))

    def cell_location(self, row: int, column: int) -> Location:
        return self.table.cell_location(
            row, column, row_label=self.row_label(row), column_label=self.column_labels[column]
        )


def _is_header_like(table: Table, row: int) -> bool:
    """No figures beyond the first column, except years ("2023", "2024") standing as headers."""
    for c in range(1, table.width):
        value = parse_cell(table.text(row, c))
        if isinstance(value, Figure) and not _YEARISH.match(table.text(row, c).strip()):
            return False
    return True


def _is_subheader(table: Table, row: int) -> bool:
    cells = [c.text for c in table.rows[row]]
    return not cells[0] and sum(1 for c in cells if c) >= 2 and _is_header_like(table, row)


def _column_labels(table: Table, header_rows: int) -> tuple[str, ...]:
    width = table.width
    filled: list[list[str]] = []
    for r in range(header_rows):
        row = [table.text(r, c) for c in range(width)]
        if r < header_rows - 1:
            # A merged period header written once over blanks ("12 Month ending" over "Mar 23" and
            # "Mar 24"): it also heads the next column when it names a period with that one too.
            below = [table.text(r + 1, c) for c in range(width)]
            for c in range(2, width):
                left = row[c - 1]
                spans = parse_period(f"{left} {below[c - 1]}") is not None
                if not row[c] and left and below[c] and spans and parse_period(f"{left} {below[c]}") is not None:
                    row[c] = left
        filled.append(row)
    labels: list[str] = []
    for c in range(width):
        parts: list[str] = []
        for row in filled:
            if row[c] and (not parts or parts[-1] != row[c]):
                parts.append(row[c])
        labels.append(" ".join(parts))
    return tuple(labels)


def _year_hint(table: Table) -> int | None:
    """The one year named in a table's caption or section, for month-only headers ("Jan", "Feb")."""
    for text in (table.caption, *reversed(table.location.section)):
        years = {p.period.end // 12 for p in find_periods(text) if p.period is not None}
        years |= {int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text)}
        if len(years) == 1:
            return years.pop()
    return None


def read_table(table: Table) -> TableView:
    """Read ``table``: header, label column, body rows (repeated headers skipped), values, periods."""
    if table.header_rows is not None:
        header_rows = table.header_rows
        # A second header row written as the first body row (Markdown has room for one header row).
        while header_rows < len(table.rows) - 1 and _is_subheader(table, header_rows):
            header_rows += 1
    else:
        header_rows = 0
        while header_rows < len(table.rows) - 1 and _is_header_like(table, header_rows):
            header_rows += 1
    labels = _column_labels(table, header_rows)
    header_texts = [tuple(c.text for c in table.rows[r]) for r in range(header_rows)]
    body = tuple(
        r
        for r in range(header_rows, len(table.rows))
        if tuple(c.text for c in table.rows[r]) not in header_texts and any(c.text for c in table.rows[r])
    )
    values = tuple(
        tuple(None if cell.merged and r >= header_rows else parse_cell(cell.text) for cell in row)
        for r, row in enumerate(table.rows)
    )
    first = [values[r][0] for r in body]
    text_first = sum(1 for v in first if v is None or v is BLANK)
    label_column = 0 if body and text_first * 2 >= len(body) else None
    hint = _year_hint(table)
    if label_column == 0 and len(labels) > 1 and not labels[-1] and parse_period(labels[0], year_hint=hint):
        # A header written without a cell over the labels ("2003/4 | 2004/5 | ... |"): it stands one
        # column to the left of its figures.
        labels = ("", *labels[:-1])
    periods = tuple(parse_period(label, year_hint=hint) for label in labels)
    return TableView(table, header_rows, label_column, labels, body, values, periods)
