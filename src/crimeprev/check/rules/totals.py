"""Totals rows and columns: each total recomputed as the sum of what it totals; a blank cell is zero.

Totals rows are those labelled so, and those the figures show (see :func:`crimeprev.check.sums.sum_relations`).

A totals row is a body row labelled "Total" (or "Totals", "Grand total", "Sub-total"); it sums the
rows since the previous totals row (a totals row at the top sums the rows below it; a grand total sums
every other row). A totals column sums the figure columns to its left since the previous totals
column. Difference, percentage, rate and share columns are not summed, whether their header says so
or their figures do (a column of percentages or percentage points): the total of a percentage column
is not a sum, and the comparison rule checks a totals row's difference and percentage from its own
counts. A sum with a text cell in it ("n/a", "*", "<5") is not checked.

Where the table has both a totals row and a totals column, a mistyped cell breaks one row sum and one
column sum that cross at it, so the cell is named exactly. With totals one way only, a wrong sum is
reported at the total, with the cells that could equally be wrong as alternatives, unless the table is
also a comparison table and only one of those cells disagrees with its row's difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Final

from crimeprev.check.comparisons import find_comparisons, row_fits
from crimeprev.check.document import Document
from crimeprev.check.findings import Evidence, Finding, Severity
from crimeprev.check.numbers import Figure, Fit, explain_rounding, fit, format_expected
from crimeprev.check.rules.rule import Rule
from crimeprev.check.sums import Cell, SumRelation, holds, required, sum_relations
from crimeprev.check.tables import TableView, read_table

__all__ = ["RULE", "check_table_totals", "check_totals"]

RULE_NAME: Final = "totals"


def _fits_comparison(view: TableView, cell: Cell, value: Fraction) -> bool:
    """Whether correcting ``cell`` to ``value`` makes its comparison row consistent (a clue, in a
    comparison table with totals one way only, to which cell of a wrong sum is the mistyped one)."""
    comparisons = [k for k in find_comparisons(view) if cell[1] in (k.previous, k.current)]
    row = cell[0]
    return any(row_fits(view, k, row) is False and row_fits(view, k, row, {cell: value}) is True for k in comparisons)


def _describe(view: TableView, relation: SumRelation) -> str:
    if relation.direction == "column":
        return f"the sum of the {len(relation.parts)} rows above"
    return f"the sum of the row's {len(relation.parts)} figures"


def check_table_totals(view: TableView) -> Iterator[Finding]:
    """Findings for one table's totals."""
    relations = sum_relations(view)
    holding = {rel for rel in relations if holds(view, rel) is True}
    failing = [rel for rel in relations if holds(view, rel) is False]
    trusted = {cell for rel in holding for cell in (rel.total, *rel.parts)}
    explained: set[SumRelation] = set()

    def blame(cell: Cell, value: Fraction, relations_: list[SumRelation], alternatives: tuple[Cell, ...]) -> Finding:
        figure = view.figure(*cell)
        stated = figure or Figure(Decimal(0), "(blank)", decimals=0, separators=True)
        what = view.column_labels[cell[1]] or "this figure"
        if cell in (rel.total for rel in relations_):
            rel = next(r for r in relations_ if r.total == cell)
            message = f"total {stated.text} is not {_describe(view, rel)}: {explain_rounding(value, stated)}"
        else:
            message = (
                f"{what} {stated.text} does not add up with the totals: with them it would be "
                f"{format_expected(value, stated)}"
            )
        severity = Severity.WARNING if fit(value, stated)[0] is Fit.DIRECTED else Severity.ERROR
        return Finding(
            location=view.cell_location(*cell),
            rule=RULE_NAME,
            severity=severity,
            stated=stated.text,
            expected=format_expected(value, stated),
            message=message,
            alternatives=tuple(view.cell_location(*a) for a in alternatives),
            evidence=tuple(
                Evidence("total" if c == rel.total else "part", f.text, view.cell_location(*c))
                for rel in relations_[:1]
                for c in (rel.total, *rel.parts)
                if (f := view.figure(*c)) is not None
            ),
        )

    # One cell shared by two failing sums that both want the same value for it: that cell.
    cells = sorted({c for rel in failing for c in (rel.total, *rel.parts)})
    for cell in cells:
        if cell in trusted:
            continue
        mine = [rel for rel in failing if rel not in explained and cell in (rel.total, *rel.parts)]
        if len(mine) < 2:
            continue
        wanted = {required(view, rel, cell) for rel in mine}
        value = next(iter(wanted))
        if len(wanted) == 1 and value is not None:
            explained.update(mine)
            yield blame(cell, value, mine, ())
    for rel in failing:
        if rel in explained:
            continue
        suspects = [
            p
            for p in rel.parts
            if p not in trusted and (value := required(view, rel, p)) is not None and _fits_comparison(view, p, value)
        ]
        if len(suspects) == 1:
            value = required(view, rel, suspects[0])
            assert value is not None
            yield blame(suspects[0], value, [rel], ())
            continue
        value = required(view, rel, rel.total)
        if value is not None:
            yield blame(rel.total, value, [rel], tuple(p for p in rel.parts if p not in trusted))


def check_totals(document: Document) -> Iterator[Finding]:
    """Recompute every totals row and column of every table."""
    for table in document.tables:
        yield from check_table_totals(read_table(table))


RULE: Final = Rule(
    name=RULE_NAME,
    summary="totals rows and columns: each total recomputed as the sum of its rows or columns (blank = 0)",
    check=check_totals,
)
