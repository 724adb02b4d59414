"""The sums a table states: which cells are totals of which (labelled totals rows and columns, and rows
the figures show to be sums), and whether each sum holds.

Shared by the totals rule (which checks them), the comparison and consistency rules (a count inside a
sum that adds up is corroborated, so not the one to blame) and the share and stated-sum rules. See
:mod:`crimeprev.check.rules.totals` for the rules that decide what is a total.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from crimeprev.check.comparisons import column_roles
from crimeprev.check.numbers import BLANK, Figure, Fit, fit, slip_distance
from crimeprev.check.tables import TableView

__all__ = ["Cell", "SumRelation", "amount", "holds", "required", "sum_relations", "trusted_cells"]

_NOT_ADDITIVE: Final = re.compile(
    r"%|\bper\s?cent|\bpercent|\brate\b|\bshare\b|\baverage\b|\bmean\b|\bmedian\b|\bratio\b|\bper\b", re.IGNORECASE
)
_GRAND: Final = re.compile(r"^\s*grand", re.IGNORECASE)
_SUMS_LABEL: Final = re.compile(r"^\s*(?:all\b|total\b|overall\b)", re.IGNORECASE)
_SLIPS: Final = 2
_LARGE: Final = 100  # a sum of small counts that holds may be chance: only sums of 100 or more count

Cell = tuple[int, int]


@dataclass(frozen=True)
class SumRelation:
    """``total`` should be the sum of ``parts`` (cells as 0-based (row, column))."""

    total: Cell
    parts: tuple[Cell, ...]
    direction: str  # "column" (a totals row) or "row" (a totals column)


def _holds_shares(view: TableView, column: int) -> bool:
    """Whether a column's figures are mostly percentages or percentage points (rates, shares, changes);
    a row of percentages in a column of counts (a proportion row under the counts) is not summed."""
    figures = [f for r in view.body if (f := view.figure(r, column)) is not None]
    return sum(1 for f in figures if f.percent or f.points) * 2 > len(figures)


def _additive_columns(view: TableView) -> list[int]:
    roles = column_roles(view)
    return [
        c
        for c in view.value_columns()
        if roles.get(c) == "value" and not _NOT_ADDITIVE.search(view.column_labels[c]) and not _holds_shares(view, c)
    ]


def sum_relations(view: TableView) -> tuple[SumRelation, ...]:
    """Every sum the table's totals rows and columns state."""
    relations: list[SumRelation] = []
    columns = _additive_columns(view)
    total_rows = set(view.total_rows())
    total_columns = [c for c in view.total_columns() if c in columns]
    body = list(view.body)
    for t in sorted(total_rows):
        position = body.index(t)
        if _GRAND.match(view.row_label(t)):
            rows = [r for r in body if r not in total_rows]
        elif position == 0:
            rows = []
            for r in body[1:]:
                if r in total_rows:
                    break
                rows.append(r)
        else:
            rows = []
            for r in reversed(body[:position]):
                if r in total_rows:
                    break
                rows.append(r)
        if len(rows) < 2:
            continue
        for c in columns:
            relations.append(SumRelation((t, c), tuple((r, c) for r in sorted(rows)), "column"))
    for i, t in enumerate(total_columns):
        start = total_columns[i - 1] if i else -1
        parts = [c for c in columns if start < c < t and c not in total_columns]
        if len(parts) < 2:
            continue
        for r in body:
            relations.append(SumRelation((r, t), tuple((r, c) for c in parts), "row"))
    for t, rows, counted in _summing_rows(view, columns, total_rows):
        for c in counted:
            relations.append(SumRelation((t, c), tuple((r, c) for r in rows), "column"))
    return tuple(r for r in relations if isinstance(view.value(*r.total), Figure))


def _tally(
    view: TableView, total: int, rows: Sequence[int], columns: Sequence[int], large: int = _LARGE
) -> tuple[int, int, bool]:
    """(columns where ``total``, ``large`` or more, is the sum of ``rows``; columns where it is a typing
    slip away (two for totals in the thousands); whether any column is further off)."""
    held = slipped = 0
    for c in columns:
        figure = view.figure(total, c)
        amounts = [amount(view, (r, c)) for r in rows]
        if figure is None or any(a is None for a in amounts):
            continue
        exact = sum((a for a in amounts if a is not None), Fraction(0))
        if sum(1 for a in amounts if a) < 2:
            return 0, 0, True  # a row and a zero: no sum to speak of
        if fit(exact, figure)[0] is not Fit.WRONG:
            held += abs(figure.value) >= large
        elif figure.is_count and slip_distance(figure, exact) <= (_SLIPS if abs(figure.value) >= 1000 else 1):
            slipped += 1
        else:
            return held, slipped, True
    return held, slipped, False


def _summing_rows(
    view: TableView, columns: Sequence[int], labelled: set[int]
) -> Iterator[tuple[int, list[int], list[int]]]:
    """Totals rows not labelled "Total": a row that is the sum of the rows just below or just above it.

    Found by the figures ("All crime", a region above its forces): the sum must hold exactly in at
    least two columns (one, where the totals are in the thousands) with totals of 100 or more (small
    counts add up by chance) and in at least as many columns as it misses by a typing slip or two, in
    no column by more. A row whose label says it sums ("All ...", "Total ...", "Overall") at the top
    or bottom of the table sums every row on its other side, and is checked even where no column adds
    up, provided each misses by a slip. A last row without a label that sums every row above in one
    column and misses by a slip in no more columns is a totals row whatever its size. Only columns of
    whole numbers are summed (a column with decimals holds rates). Yields (total row, its rows, the
    columns summed).
    """
    body = list(view.body)
    used: set[int] = set(labelled)
    columns = [
        c for c in columns if all(f.is_count for r in body if (f := view.figure(r, c)) is not None and not f.percent)
    ]
    for position, t in enumerate(body):
        if t in used or not columns:
            continue
        above = body[:position]
        below = body[position + 1 :]
        if _SUMS_LABEL.match(view.row_label(t)) and (position == 0 or position == len(body) - 1):
            rows = below if position == 0 else above
            if len(rows) >= 2 and not used & set(rows):
                held, slipped, off = _tally(view, t, rows, columns)
                if not off and held + slipped:
                    used.add(t)
                    yield t, rows, columns
                    continue
        if position == len(body) - 1 and not view.row_label(t) and len(above) >= 2 and not used & set(above):
            # A last row with no label that sums every row above, however small the counts.
            held, slipped, off = _tally(view, t, above, columns, large=0)
            if not off and held and held >= slipped:
                used.add(t)
                yield t, above, columns
                continue
        runs = [below[:k] for k in range(len(below), 1, -1)] + [above[-k:] for k in range(len(above), 1, -1)]
        for rows in runs:
            if used & set(rows):
                continue
            held, slipped, off = _tally(view, t, rows, columns)
            big = all((f := view.figure(t, c)) is None or abs(f.value) >= 10 * _LARGE for c in columns)
            if not off and held and held >= slipped and (held >= 2 or big):
                used.add(t)
                yield t, rows, columns
                break


def amount(view: TableView, cell: Cell) -> Fraction | None:
    value = view.value(*cell)
    if value is BLANK:
        return Fraction(0)
    return value.exact if isinstance(value, Figure) and not (value.percent or value.points) else None


def holds(view: TableView, relation: SumRelation) -> bool | None:
    amounts = [amount(view, p) for p in relation.parts]
    total = view.figure(*relation.total)
    if total is None or any(a is None for a in amounts):
        return None
    return fit(sum((a for a in amounts if a is not None), Fraction(0)), total)[0] is not Fit.WRONG


def required(view: TableView, relation: SumRelation, cell: Cell) -> Fraction | None:
    """The value ``cell`` must have for ``relation`` to hold."""
    amounts = {p: amount(view, p) for p in relation.parts}
    total = view.figure(*relation.total)
    if total is None or any(a is None for a in amounts.values()):
        return None
    others = sum((a for p, a in amounts.items() if p != cell and a is not None), Fraction(0))
    if cell == relation.total:
        return others
    return total.exact - others


def trusted_cells(view: TableView) -> set[Cell]:
    """Cells in sums that add up (for the consistency rule: such a figure is corroborated)."""
    return {cell for rel in sum_relations(view) if holds(view, rel) for cell in (rel.total, *rel.parts)}
