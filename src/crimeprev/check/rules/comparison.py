"""Comparison tables: two period counts, their difference and percentage difference, recomputed.

A comparison table has a column headed like "Diff." / "Change" and one like "% Diff." / "% change";
the two figure columns before them are the previous and current periods (the earlier period is the
previous one when the headers name periods, whatever their order). A "year" or "month" in a
difference header ("Diff. (year)") pairs the current column with the one 12 months (1 month) before;
a period named after "vs", "versus", "against" or "compared with" ("% vs Jan 24") pairs it with the
column of that period.

For each row: difference = current - previous, exactly; % difference = difference / previous * 100,
rounded to the printed decimal places by any ordinary rounding (see :mod:`crimeprev.check.numbers`).
Where the two figures are themselves rounded (rates such as 8.9%: a difference in percentage points
"-2.0 pts" and a % difference of the rates), the derived figures are accepted when the values the
printed rates stand for give them (see :mod:`crimeprev.check.bounds`).
When a row does not add up, the checker looks for the one cell that, corrected, makes the whole row
consistent: a mistyped count shows as a count that disagrees with both its difference and its
percentage. A count that a totals row confirms (its column adds up) is not blamed while another cell
would explain the row. Where several single cells would do, it names the one that needs the fewest typing slips
(a transposed pair of digits is one), and on a tie the derived figure (difference, then percentage);
the others are listed as alternatives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Final

from crimeprev.check.bounds import Bounds, fit_bounds
from crimeprev.check.comparisons import (
    Comparison,
    change_bounds,
    difference_fits,
    disagrees,
    find_comparisons,
    percent_fits,
)
from crimeprev.check.document import Document
from crimeprev.check.findings import Evidence, Finding, Severity
from crimeprev.check.numbers import Fit, explain_rounding, format_expected, slip_distance
from crimeprev.check.rules.rule import Rule
from crimeprev.check.sums import trusted_cells
from crimeprev.check.tables import TableView, read_table

__all__ = ["RULE", "check_comparison_tables"]

RULE_NAME: Final = "comparison"


def _finding(
    comparison: Comparison, view: TableView, row: int, column: int, expected: str, message: str, severity: Severity
) -> Finding:
    stated = view.figure(row, column)
    roles = (
        ("previous", comparison.previous),
        ("current", comparison.current),
        ("difference", comparison.difference),
        ("% difference", comparison.percent),
    )
    evidence = tuple(
        Evidence(role, figure.text, view.cell_location(row, c))
        for role, c in roles
        if c is not None and (figure := view.figure(row, c)) is not None
    )
    return Finding(
        location=view.cell_location(row, column),
        rule=RULE_NAME,
        severity=severity,
        stated=stated.text if stated else "",
        expected=expected,
        message=message,
        evidence=evidence,
    )


def _check_row(
    view: TableView, comparison: Comparison, row: int, trusted: AbstractSet[tuple[int, int]] = frozenset()
) -> Iterator[Finding]:
    """Findings for one row. ``trusted``: cells in sums that add up, never the one to blame when
    another cell explains the row as well (a count confirmed by its total is not the slip)."""
    p_figure, c_figure = view.figure(row, comparison.previous), view.figure(row, comparison.current)
    d_col, q_col = comparison.difference, comparison.percent
    d_figure = view.figure(row, d_col) if d_col is not None else None
    q_figure = view.figure(row, q_col) if q_col is not None else None
    if p_figure is None or c_figure is None or (d_figure is None and q_figure is None):
        return
    previous, current = p_figure.exact, c_figure.exact
    p_bounds, c_bounds = Bounds.of(p_figure), Bounds.of(c_figure)
    q_bounds = change_bounds(p_bounds, c_bounds, d_figure)
    change = None if q_bounds is None else q_bounds.value
    d_ok = difference_fits(p_bounds, c_bounds, d_figure)
    q_ok = percent_fits(p_bounds, c_bounds, q_figure, d_figure)
    labels = view.column_labels
    if q_figure is not None and q_col is not None and change is None:
        yield _finding(
            comparison,
            view,
            row,
            q_col,
            "",
            f"a percentage change from zero is undefined; {q_figure.text} cannot be checked",
            Severity.NOTE,
        )
    if d_ok and q_ok:
        if (
            q_figure is not None
            and q_col is not None
            and q_bounds is not None
            and change is not None
            and fit_bounds(q_bounds, q_figure) is Fit.DIRECTED
        ):
            yield _finding(
                comparison,
                view,
                row,
                q_col,
                format_expected(change, q_figure),
                f"{labels[q_col] or '% difference'} {explain_rounding(change, q_figure)}",
                Severity.WARNING,
            )
        return

    candidates: list[tuple[int, Fraction]] = []
    if d_figure is not None and d_col is not None and not d_ok and q_ok:
        candidates.append((d_col, current - previous))
    if q_figure is not None and q_col is not None and d_ok and not q_ok and change is not None:
        candidates.append((q_col, change))
    if d_figure is not None and not d_ok:
        fixed_current = previous + d_figure.exact
        if percent_fits(p_bounds, Bounds.of(c_figure, fixed_current), q_figure):
            candidates.append((comparison.current, fixed_current))
        fixed_previous = current - d_figure.exact
        if fixed_previous != 0 and percent_fits(Bounds.of(p_figure, fixed_previous), c_bounds, q_figure):
            candidates.append((comparison.previous, fixed_previous))
    if any((row, c) not in trusted for c, _ in candidates):
        candidates = [(c, v) for c, v in candidates if (row, c) not in trusted]
    if candidates:
        # The likeliest slip first: fewest mistyped digits, then the derived figure before the counts.
        def slips(candidate: tuple[int, Fraction]) -> int:
            figure = view.figure(row, candidate[0])
            return 0 if figure is None else slip_distance(figure, candidate[1])

        candidates.sort(key=slips)
        column, value = candidates[0]
        stated = view.figure(row, column)
        assert stated is not None
        label = labels[column] or "this figure"
        if column in (comparison.previous, comparison.current):
            given = " and ".join(f.text for f in (d_figure, q_figure) if f is not None)
            message = (
                f"the {label} figure {stated.text} does not fit the row's {given}; "
                f"with the other figures it would be {format_expected(value, stated)}"
            )
        else:
            message = f"{label}: {explain_rounding(value, stated)} (from {p_figure.text} to {c_figure.text})"
            if column == q_col and q_bounds is not None and not q_bounds.exact:
                message += f"; the figures as rounded allow {q_bounds.describe(stated)}"
        others = []
        for other, other_value in candidates[1:]:
            other_figure = view.figure(row, other)
            assert other_figure is not None
            others.append(
                f"{labels[other] or 'the figure'} {other_figure.text} should be "
                f"{format_expected(other_value, other_figure)}"
            )
        if others:
            message += "; or else " + ", or ".join(others)
        finding = _finding(comparison, view, row, column, format_expected(value, stated), message, Severity.ERROR)
        yield dataclasses.replace(finding, alternatives=tuple(view.cell_location(row, c) for c, _ in candidates[1:]))
        return
    if d_figure is not None and d_col is not None and not d_ok:
        yield _finding(
            comparison,
            view,
            row,
            d_col,
            format_expected(current - previous, d_figure),
            f"{labels[d_col] or 'difference'}: {explain_rounding(current - previous, d_figure)} "
            f"(from {p_figure.text} to {c_figure.text})",
            Severity.ERROR,
        )
    if q_figure is not None and q_col is not None and not q_ok and q_bounds is not None and change is not None:
        within = "" if q_bounds.exact else f"; the figures as rounded allow {q_bounds.describe(q_figure)}"
        yield _finding(
            comparison,
            view,
            row,
            q_col,
            format_expected(change, q_figure),
            f"{labels[q_col] or '% difference'}: {explain_rounding(change, q_figure)} "
            f"(from {p_figure.text} to {c_figure.text}){within}",
            Severity.ERROR,
        )


def check_comparison_tables(document: Document) -> Iterator[Finding]:
    """Recompute the difference and % difference of every row of every comparison table."""
    for table in document.tables:
        view = read_table(table)
        comparisons = find_comparisons(view)
        trusted = trusted_cells(view) if comparisons else set()
        for comparison in comparisons:
            if disagrees(view, comparison):
                continue
            for row in view.body:
                yield from _check_row(view, comparison, row, trusted)


RULE: Final = Rule(
    name=RULE_NAME,
    summary="comparison tables: difference and % difference recomputed from the two period figures",
    check=check_comparison_tables,
)
