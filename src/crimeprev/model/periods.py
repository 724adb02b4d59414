"""Calendar months: the unit of every recorded-crime series."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def month_label(month: date) -> str:
    """``YYYY-MM`` for the month containing ``month``."""
    return f"{month.year:04d}-{month.month:02d}"


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after the month of ``month``."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_span(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` inclusive (first days)."""
    out: list[date] = []
    current = date(first.year, first.month, 1)
    end = date(last.year, last.month, 1)
    while current <= end:
        out.append(current)
        current = add_months(current, 1)
    return out


def missing_months(months: Iterable[date]) -> list[date]:
    """Months absent between the earliest and latest of ``months``: the gaps in a series."""
    present = {date(m.year, m.month, 1) for m in months}
    if not present:
        return []
    return [m for m in month_span(min(present), max(present)) if m not in present]
