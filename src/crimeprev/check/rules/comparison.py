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
import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from crimeprev.check.bounds import Bounds, fit_bounds
from crimeprev.check.document import Document
from crimeprev.check.findings import Evidence, Finding, Severity
from crimeprev.check.numbers import Figure, Fit, explain_rounding, format_expected, slip_distance
from crimeprev.check.periods import parse_period
from crimeprev.check.rules.rule import Rule
from crimeprev.check.tables import TableView, read_table

__all__ = ["RULE", "Comparison", "check_comparison_tables", "column_roles", "find_comparisons", "row_fits"]

_DIFFERENCE: Final = re.compile(
    r"\b(?:diff(?:erence)?s?|change|var(?:iance|iation)?|increase|decrease|movement|vs|versus)\b|\+/-|±", re.I
)
# "% vs Jan 24", "Change against Feb 23": the base of the comparison named by its period.
_VERSUS: Final = re.compile(r"\b(?:vs\.?|versus|against|compared\s+(?:with|to)|on)\s+(?P<base>\S.*)$", re.I)
_PERCENT: Final = re.compile(r"%|\bper\s?cent|\bpercent(?:age)?|\bpct\b", re.IGNORECASE)
_YEAR: Final = re.compile(r"\b(?:year|yoy|annual|yr)\b", re.IGNORECASE)
_MONTH: Final = re.compile(r"\b(?:month|mom)\b(?!\s+ending)", re.IGNORECASE)
RULE_NAME: Final = "comparison"


@dataclass(frozen=True)
class Comparison:
    """Columns of one comparison: previous and current figures, difference and % difference."""

    previous: int
    current: int
    difference: int | None
    percent: int | None


def column_roles(view: TableView) -> dict[int, str]:
    """``"difference"``, ``"percent"`` (percentage difference), ``"value"`` or ``"other"`` (a figure
    column standing between a difference and its percentage, such as a rank: neither compared nor
    summed) for each figure column.

    The header says which columns are differences ("Diff.", "% change"). Where no header does (a table
    without one, or headed "Numeric" and "Percentage"), the figures do: a column that is the
    difference (or percentage difference) of the two figure columns before it in most rows is one.
    """
    roles: dict[int, str] = {}
    for c in view.value_columns():
        label = view.column_labels[c]
        if _DIFFERENCE.search(label):
            roles[c] = "percent" if _PERCENT.search(label) else "difference"
        else:
            roles[c] = "value"
    if all(role == "value" for role in roles.values()):
        roles.update(_arithmetic_roles(view))
    return roles


_AGREEING: Final = Fraction(2, 3)  # share of rows that must agree before a column's role is inferred
_MIN_ROWS: Final = 3


def _agrees(view: TableView, comparison: Comparison) -> bool:
    results = [row_fits(view, comparison, r) for r in view.body]
    checked = [r for r in results if r is not None]
    return len(checked) >= _MIN_ROWS and sum(checked) >= _AGREEING * len(checked)


def _disagrees(view: TableView, comparison: Comparison) -> bool:
    """Whether the figures deny what the header says: in three rows or more, fewer than one in three
    fit ("Percent change year-on-year" beside two columns of different things compares rows, not
    those columns). Such a comparison is not checked row by row."""
    results = [r for row in view.body if (r := row_fits(view, comparison, row)) is not None]
    return len(results) >= _MIN_ROWS and sum(results) * 3 < len(results)


def _arithmetic_roles(view: TableView) -> dict[int, str]:
    """Difference and percentage columns found from the figures (see :func:`column_roles`)."""
    columns = list(view.value_columns())
    roles: dict[int, str] = {}
    i = 2
    while i < len(columns):
        previous, current, c = columns[i - 2], columns[i - 1], columns[i]
        if _agrees(view, Comparison(previous, current, c, None)):
            roles[c] = "difference"
            # Its percentage: the next column, or one a column or two further on (a rank between).
            for k, after in enumerate(columns[i + 1 : i + 4]):
                if _percent_column(view, after) and _agrees(view, Comparison(previous, current, None, after)):
                    roles[after] = "percent"
                    roles.update({between: "other" for between in columns[i + 1 : i + 1 + k]})
                    i += k + 1
                    break
        elif _percent_column(view, c) and _agrees(view, Comparison(previous, current, None, c)):
            roles[c] = "percent"
        i += 1
    return roles


def _percent_column(view: TableView, column: int) -> bool:
    """Figures printed as percentages, or with decimals (a % change column without the % sign)."""
    figures = [f for r in view.body if (f := view.figure(r, column)) is not None]
    return bool(figures) and all(f.percent or f.decimals > 0 for f in figures)


def _pair(view: TableView, values: list[int], label: str) -> tuple[int, int] | None:
    if len(values) < 2:
        return None
    current = values[-1]
    now = view.periods[current]
    versus = _VERSUS.search(label)
    base = parse_period(versus["base"], year_hint=now.end // 12 if now else None) if versus else None
    if base is not None:
        for c in values[:-1]:
            if view.periods[c] == base:
                return c, current
    step = 12 if _YEAR.search(label) else 1 if _MONTH.search(label) else None
    if step is not None and now is not None:
        for c in values[:-1]:
            if view.periods[c] == now.shifted(-step):
                return c, current
    previous = values[-2]
    before = view.periods[previous]
    if before is not None and now is not None and before > now:
        previous, current = current, previous
    return previous, current


def find_comparisons(view: TableView) -> tuple[Comparison, ...]:
    """The comparisons a table holds (none unless it has a difference or % difference column)."""
    roles = column_roles(view)
    groups: list[dict[str, int]] = []
    others = {c for c, role in roles.items() if role == "other"}
    for c, role in sorted(roles.items()):
        if role in ("value", "other"):
            continue
        left = c - 1
        while left in others:
            left -= 1
        label_group = groups[-1] if groups and left in groups[-1].values() and role not in groups[-1] else None
        if label_group is None:
            groups.append({role: c})
        else:
            label_group[role] = c
    found: list[Comparison] = []
    for group in groups:
        start = min(group.values())
        values = [c for c, role in roles.items() if role == "value" and c < start]
        pair = _pair(view, sorted(values), " ".join(view.column_labels[c] for c in group.values()))
        if pair is not None:
            found.append(Comparison(pair[0], pair[1], group.get("difference"), group.get("percent")))
    return tuple(found)


def _difference_fits(previous: Bounds, current: Bounds, difference: Figure | None) -> bool:
    return difference is None or fit_bounds(current.minus(previous), difference) is not Fit.WRONG


def _change(previous: Bounds, current: Bounds, difference: Figure | None) -> Bounds | None:
    """The % difference the figures give (``None``: from zero). A printed difference that fits narrows
    what two rounded rates allow."""
    fitting = difference is not None and _difference_fits(previous, current, difference)
    return current.change_from(previous, Bounds.rounded(difference) if fitting and difference else None)


def _percent_fits(previous: Bounds, current: Bounds, percent: Figure | None, difference: Figure | None = None) -> bool:
    if percent is None:
        return True
    change = _change(previous, current, difference)
    return change is None or fit_bounds(change, percent) is not Fit.WRONG


def row_fits(
    view: TableView, comparison: Comparison, row: int, overrides: Mapping[tuple[int, int], Fraction] | None = None
) -> bool | None:
    """Whether ``row`` is consistent for ``comparison`` (``None``: nothing to check), with cells
    optionally replaced by ``overrides`` (used to test a candidate correction)."""
    overrides = overrides or {}

    def get(column: int | None) -> Figure | None:
        return None if column is None else view.figure(row, column)

    def bounds(column: int) -> Bounds | None:
        figure = view.figure(row, column)
        return None if figure is None else Bounds.of(figure, overrides.get((row, column)))

    previous, current = bounds(comparison.previous), bounds(comparison.current)
    difference, percent = get(comparison.difference), get(comparison.percent)
    if previous is None or current is None or (difference is None and percent is None):
        return None
    return _difference_fits(previous, current, difference) and _percent_fits(previous, current, percent, difference)


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
    q_bounds = _change(p_bounds, c_bounds, d_figure)
    change = None if q_bounds is None else q_bounds.value
    d_ok = _difference_fits(p_bounds, c_bounds, d_figure)
    q_ok = _percent_fits(p_bounds, c_bounds, q_figure, d_figure)
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
        if _percent_fits(p_bounds, Bounds.of(c_figure, fixed_current), q_figure):
            candidates.append((comparison.current, fixed_current))
        fixed_previous = current - d_figure.exact
        if fixed_previous != 0 and _percent_fits(Bounds.of(p_figure, fixed_previous), c_bounds, q_figure):
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
    from crimeprev.check.rules.totals import trusted_cells  # the totals rule builds on this one

    for table in document.tables:
        view = read_table(table)
        comparisons = find_comparisons(view)
        trusted = trusted_cells(view) if comparisons else set()
        for comparison in comparisons:
            if _disagrees(view, comparison):
                continue
            for row in view.body:
                yield from _check_row(view, comparison, row, trusted)


RULE: Final = Rule(
    name=RULE_NAME,
    summary="comparison tables: difference and % difference recomputed from the two period figures",
    check=check_comparison_tables,
)
