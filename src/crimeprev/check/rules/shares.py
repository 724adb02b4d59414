"""Shares in tables, found by their figures: a column or row of percentages that are parts of a whole.

A column of percentages (or of figures with decimals) beside a column of counts is a share column
("% of all ASB") when, in most rows, it is the count over the column's total times 100; the total is
the totals row's figure (labelled "Total", or a row the totals rule finds by arithmetic), else the sum
of the counts. A row of percentages under rows of counts is a share row ("Proportion of crime
resulting in a caution or charge") when, in most columns, it is one of those rows over another. In
both, the rows (or columns) that do not fit are reported: a share that no ordinary rounding of the
figures gives is an error, one that only truncation gives a warning. "Most" is two in three of at
least three, so a share column is never guessed from one or two rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Final

from crimeprev.check.comparisons import column_roles
from crimeprev.check.document import Document
from crimeprev.check.findings import Evidence, Finding, figure_finding
from crimeprev.check.numbers import Figure, Fit, explain_rounding, fit, format_expected
from crimeprev.check.rules.rule import Rule
from crimeprev.check.sums import sum_relations
from crimeprev.check.tables import TableView, read_table

__all__ = ["RULE", "check_shares"]

RULE_NAME: Final = "shares"
_AGREEING: Final = Fraction(2, 3)
_MIN: Final = 3

Cell = tuple[int, int]


def _fits(share: Figure, part: Figure, whole: Fraction) -> Fit:
    return fit(part.exact / whole * 100, share)[0]


def _judged(fits: dict[Cell, tuple[Fit, Fraction]]) -> bool:
    """Whether enough cells fit for the column (or row) to be read as shares."""
    good = sum(1 for how, _ in fits.values() if how is Fit.ROUNDED)
    return len(fits) >= _MIN and good >= _AGREEING * len(fits)


Share = tuple[
    Cell, Fit, Fraction, str, tuple[Cell, Cell | None]
]  # the share, how it fits, its value, words, (part, whole)


def _column_shares(view: TableView) -> Iterator[Share]:
    roles = column_roles(view)
    values = [c for c in view.value_columns() if roles.get(c) == "value"]
    counts = [c for c in values if all(f.is_count for r in view.body if (f := view.figure(r, c)) is not None)]
    totals = {rel.total: rel for rel in sum_relations(view) if rel.direction == "column"}
    for c in counts:
        total_rows = {t[0] for t in totals if t[1] == c}
        parts = [r for r in view.body if r not in total_rows and view.figure(r, c) is not None]
        if len(parts) < _MIN:
            continue
        stated_total = next((view.figure(t, c) for t in sorted(total_rows)), None)
        whole = (
            stated_total.exact
            if stated_total
            else sum((f.exact for r in parts if (f := view.figure(r, c))), Fraction(0))
        )
        if whole <= 0:
            continue
        for s in values:
            if s == c:
                continue
            figures = {r: f for r in parts if (f := view.figure(r, s)) is not None}
            if not figures or not all(f.percent or f.decimals for f in figures.values()):
                continue
            fits = {}
            for r, share in figures.items():
                part = view.figure(r, c)
                if part is not None:
                    fits[(r, s)] = (_fits(share, part, whole), part.exact / whole * 100)
            if _judged(fits):
                summed = format_expected(whole, Figure(Decimal(0), "0", 0, separators=True))
                of = stated_total.text if stated_total else f"{summed} (the sum of the column)"
                for cell, (how, exact) in fits.items():
                    if how is not Fit.ROUNDED:
                        part = view.figure(cell[0], c)
                        assert part is not None
                        total_cell = (min(total_rows), c) if total_rows else None
                        yield cell, how, exact, f"{part.text} of {of}", ((cell[0], c), total_cell)


def _row_shares(view: TableView) -> Iterator[Share]:
    columns = list(view.value_columns())
    body = list(view.body)
    for i, p in enumerate(body):
        shares = {c: f for c in columns if (f := view.figure(p, c)) is not None and f.percent}
        if len(shares) < _MIN:
            continue
        above = body[:i]
        for a in above:
            for b in above:
                if a == b:
                    continue
                fits = {}
                for c, share in shares.items():
                    part, whole = view.figure(a, c), view.figure(b, c)
                    if part is None or whole is None or whole.exact <= 0 or not part.is_count or not whole.is_count:
                        continue
                    fits[(p, c)] = (_fits(share, part, whole.exact), part.exact / whole.exact * 100)
                if _judged(fits) and len(fits) == len(shares):
                    what = f"{view.row_label(a) or f'row {a + 1}'} over {view.row_label(b) or f'row {b + 1}'}"
                    for cell, (how, exact) in fits.items():
                        if how is not Fit.ROUNDED:
                            yield cell, how, exact, what, ((a, cell[1]), (b, cell[1]))
                    break
            else:
                continue
            break


def check_shares(document: Document) -> Iterator[Finding]:
    """Recompute the share columns and share rows of every table."""
    for table in document.tables:
        view = read_table(table)
        for cell, how, exact, what, (part, whole) in (*_column_shares(view), *_row_shares(view)):
            share = view.figure(*cell)
            assert share is not None
            evidence = tuple(
                Evidence(role, figure.text, view.cell_location(*at))
                for role, at in (("part", part), ("whole", whole))
                if at is not None and (figure := view.figure(*at)) is not None
            )
            yield figure_finding(
                view.cell_location(*cell),
                RULE_NAME,
                share,
                exact,
                f"share {share.text} is {what}: {explain_rounding(exact, share)}",
                directed=how is Fit.DIRECTED,
                evidence=evidence,
            )


RULE: Final = Rule(
    name=RULE_NAME,
    summary="share columns and rows found by their figures ('% of all ASB'), each share recomputed",
    check=check_shares,
)
