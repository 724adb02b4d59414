"""Which columns of a table compare two periods: previous, current, difference and % difference.

The structure the comparison rule checks row by row, and the one the totals and consistency rules need
to tell counts from the differences between them. Found from the headers ("Diff.", "% change", "vs
Jan 24") or, where no header says, from the figures (a column that is the difference of the two before
it in most rows). See :mod:`crimeprev.check.rules.comparison` for how a comparison is checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from crimeprev.check.bounds import Bounds, fit_bounds
from crimeprev.check.numbers import Figure, Fit
from crimeprev.check.periods import parse_period
from crimeprev.check.tables import TableView

__all__ = [
    "Comparison",
    "change_bounds",
    "column_roles",
    "difference_fits",
    "disagrees",
    "find_comparisons",
    "percent_fits",
    "row_fits",
]

_DIFFERENCE: Final = re.compile(
    r"\b(?:diff(?:erence)?s?|change|var(?:iance|iation)?|increase|decrease|movement|vs|versus)\b|\+/-|±", re.I
)
# "% vs Jan 24", "Change against Feb 23": the base of the comparison named by its period.
_VERSUS: Final = re.compile(r"\b(?:vs\.?|versus|against|compared\s+(?:with|to)|on)\s+(?P<base>\S.*)$", re.I)
_PERCENT: Final = re.compile(r"%|\bper\s?cent|\bpercent(?:age)?|\bpct\b", re.IGNORECASE)
_YEAR: Final = re.compile(r"\b(?:year|yoy|annual|yr)\b", re.IGNORECASE)
_MONTH: Final = re.compile(r"\b(?:month|mom)\b(?!\s+ending)", re.IGNORECASE)


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


def disagrees(view: TableView, comparison: Comparison) -> bool:
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


def difference_fits(previous: Bounds, current: Bounds, difference: Figure | None) -> bool:
    return difference is None or fit_bounds(current.minus(previous), difference) is not Fit.WRONG


def change_bounds(previous: Bounds, current: Bounds, difference: Figure | None) -> Bounds | None:
    """The % difference the figures give (``None``: from zero). A printed difference that fits narrows
    what two rounded rates allow."""
    fitting = difference is not None and difference_fits(previous, current, difference)
    return current.change_from(previous, Bounds.rounded(difference) if fitting and difference else None)


def percent_fits(previous: Bounds, current: Bounds, percent: Figure | None, difference: Figure | None = None) -> bool:
    if percent is None:
        return True
    change = change_bounds(previous, current, difference)
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
    return difference_fits(previous, current, difference) and percent_fits(previous, current, percent, difference)
