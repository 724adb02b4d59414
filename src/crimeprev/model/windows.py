"""Comparison windows: which months a figure covers and which months it is compared with.

Every window ends at an ``as_of`` month (the last complete month reported). The financial year
is the police one, April to March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from crimeprev.model.periods import add_months, month_span

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Window:
    """A run of whole months, ``first`` to ``last`` inclusive (first days of months)."""

    first: date
    last: date
    label: str

    def months(self) -> tuple[date, ...]:
        return _months(self.first, self.last)


@lru_cache(maxsize=1024)
def _months(first: date, last: date) -> tuple[date, ...]:
    """A window's months, computed once: a national evaluation asks for the same few windows
    thousands of times (every force, indicator and comparison)."""
    return tuple(month_span(first, last))


@dataclass(frozen=True, slots=True)
class WindowPair:
    """The current window and the one it is compared with."""

    kind: str
    previous: Window
    current: Window


def month_name(month: date) -> str:
    """``Mar 24``: the month as published reports write it."""
    return f"{MONTH_ABBR[month.month - 1]} {month.year % 100:02d}"


def long_month_name(month: date) -> str:
    """``March 2024``: the month in running text, where an abbreviation would read as jargon."""
    return month.strftime("%B %Y")


def long_date(day: date) -> str:
    """``16 May 2024``: a date as a reader writes it (never ISO in the paper)."""
    return f"{day.day} {day:%B %Y}"


def _ending(last: date, months: int, label: str) -> Window:
    return Window(add_months(last, -(months - 1)), last, label)


def financial_year_start(month: date) -> date:
    """April of the police financial year containing ``month``."""
    return date(month.year if month.month >= 4 else month.year - 1, 4, 1)


def comparison_windows(kind: str, as_of: date) -> WindowPair:
    """The windows of a comparison ``kind`` ending at ``as_of``.

    - ``rolling_12_months``: the 12 months ending ``as_of`` against the 12 before them;
    - ``quarter``: the 3 months ending ``as_of`` against the 3 before them;
    - ``quarter_year_on_year``: the same 3 months against the same months a year before;
    - ``half_year``: the 6 months ending ``as_of`` against the 6 before them;
    - ``financial_year_to_date``: April to ``as_of`` against the same months a year before.
    """
    as_of = date(as_of.year, as_of.month, 1)
    year_ago = add_months(as_of, -12)
    if kind == "rolling_12_months":
        return WindowPair(
            kind,
            _ending(year_ago, 12, f"12 months ending {month_name(year_ago)}"),
            _ending(as_of, 12, f"12 months ending {month_name(as_of)}"),
        )
    if kind in ("quarter", "quarter_year_on_year", "half_year"):
        span = 6 if kind == "half_year" else 3
        before = year_ago if kind == "quarter_year_on_year" else add_months(as_of, -span)
        name = "6 months" if span == 6 else "3 months"
        return WindowPair(
            kind,
            _ending(before, span, f"{name} ending {month_name(before)}"),
            _ending(as_of, span, f"{name} ending {month_name(as_of)}"),
        )
    if kind == "financial_year_to_date":
        start = financial_year_start(as_of)
        label_before = f"FY {start.year - 1}/{start.year % 100:02d} to {month_name(year_ago)}"
        label_now = f"FY {start.year}/{(start.year + 1) % 100:02d} to {month_name(as_of)}"
        return WindowPair(kind, Window(add_months(start, -12), year_ago, label_before), Window(start, as_of, label_now))
    raise ValueError(f"unknown comparison {kind!r}")


def series_window(as_of: date, months: int = 24) -> Window:
    """The months of a monthly series ending at ``as_of``."""
    as_of = date(as_of.year, as_of.month, 1)
    return _ending(as_of, months, f"{months} months ending {month_name(as_of)}")


def parse_month(text: str) -> date:
    """``YYYY-MM`` → the first day of that month; ``ValueError`` otherwise."""
    year, sep, month = text.partition("-")
    if not sep or len(year) != 4 or len(month) != 2 or not (year + month).isdigit() or not 1 <= int(month) <= 12:
        raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
    return date(int(year), int(month), 1)
