"""Periods named in report text: "12 Month ending Mar 24", "the 12 months to March 2024", "January-March
2024", "Q1 2024", "FY2023/24", "the previous 12 months".

A period is a span of whole calendar months, so differently worded names of the same months compare
equal: "12 months to March 2024", "year ending Mar-24" and "FY2023/24" are all April 2023 to March
2024. Relative names ("the previous 12 months", "the same period last year") are kept as a shift in
months, resolved against the other period named in the same passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["Period", "PeriodMention", "find_periods", "parse_period"]

MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}|'?\d{2}"
# In running text a two-digit year needs a mark ("Mar-24", "Mar '24"): "March 15 offences" is no date.
_PROSE_YEAR = r"(?:19|20)\d{2}|(?<=[\-'’])\d{2}"
_SEP = r"[\s\-'’/]*"
_TWELVE = r"(?:12|twelve)[\s\-]*months?"


def _named(name: str, pattern: str, year: str) -> str:
    return pattern.replace("MONTH", f"(?P<{name}m>{_MONTH})").replace("YEAR", f"(?P<{name}y>{year})")


_QUARTER = re.compile(
    r"\b(?:Q(?P<q1>[1-4])\s*(?P<y1>(?:19|20)\d{2})|(?P<y2>(?:19|20)\d{2})[\s\-]*Q(?P<q2>[1-4]))\b", re.I
)
_FINANCIAL = re.compile(r"\b(?:FY\s?|financial\s+year\s+)?(?P<y>(?:19|20)\d{2})[/\-–](?P<y2>\d{2})\b", re.I)
_ISO_MONTH = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])\b")
_RELATIVE = re.compile(
    rf"\b(?:the\s+)?(?:(?:previous|preceding|prior|last)\s+(?:{_TWELVE}|year)|same\s+(?:period|time|months?)\s+"
    rf"(?:(?:in\s+)?(?:the\s+)?(?:previous|prior|last|preceding)\s+year|last\s+year|a\s+year\s+(?:earlier|before)))\b",
    re.IGNORECASE,
)


def _month_patterns(year: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    rolling = re.compile(
        rf"\b(?:rolling\s+)?(?:{_TWELVE}(?:\s+period)?|year)\s+(?:ending|ended|to|up\s+to|until|through)\s+"
        rf"(?:the\s+end\s+of\s+)?" + _named("e", rf"MONTH{_SEP}YEAR", year) + r"(?![\w])",
        re.IGNORECASE,
    )
    months = (
        _named("s", rf"MONTH(?:{_SEP}YEAR)?", year)
        + r"\s*(?:-|–|—|to|until)\s*"
        + _named("e", rf"MONTH{_SEP}YEAR", year)
    )
    month_range = re.compile(r"\b" + months + r"(?![\w])", re.IGNORECASE)
    month = re.compile(r"\b" + _named("e", rf"MONTH{_SEP}YEAR", year) + r"(?![\w])", re.IGNORECASE)
    date = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+" + _named("e", rf"MONTH{_SEP}YEAR", year) + r"(?![\w])", re.I)
    return (
        ("rolling", rolling),
        ("date", date),
        ("range", month_range),
        ("quarter", _QUARTER),
        ("financial", _FINANCIAL),
        ("month", month),
        ("iso", _ISO_MONTH),
        ("relative", _RELATIVE),
    )


_LABEL_PATTERNS: Final = _month_patterns(_YEAR)
_PROSE_PATTERNS: Final = _month_patterns(_PROSE_YEAR)
_BARE_MONTH = re.compile(rf"^\s*(?P<m>{_MONTH})\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """Whole calendar months from ``start`` to ``end`` inclusive, each counted as ``year * 12 + month - 1``."""

    start: int
    end: int

    @classmethod
    def months(cls, first_year: int, first_month: int, last_year: int, last_month: int) -> Period:
        return cls(first_year * 12 + first_month - 1, last_year * 12 + last_month - 1)

    @classmethod
    def twelve_months_to(cls, year: int, month: int) -> Period:
        end = year * 12 + month - 1
        return cls(end - 11, end)

    def shifted(self, months: int) -> Period:
        return Period(self.start + months, self.end + months)

    def __str__(self) -> str:
        def name(m: int) -> str:
            return f"{MONTHS[m % 12].title()} {m // 12}"

        if self.start == self.end:
            return name(self.end)
        if self.end - self.start == 11:
            return f"12 months to {name(self.end)}"
        return f"{name(self.start)} to {name(self.end)}"


@dataclass(frozen=True)
class PeriodMention:
    """A period named in text: ``period`` when absolute, ``shift`` (months) when relative; its span."""

    start: int
    end: int
    period: Period | None = None
    shift: int | None = None


def _month(name: str) -> int:
    return MONTHS.index(name.lower()[:3]) + 1


def _year(text: str) -> int:
    digits = text.lstrip("'")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _mention(kind: str, m: re.Match[str]) -> PeriodMention:
    start, end = m.span()
    if kind == "rolling":
        return PeriodMention(start, end, Period.twelve_months_to(_year(m["ey"]), _month(m["em"])))
    if kind == "range":
        last_year, last = _year(m["ey"]), _month(m["em"])
        first = _month(m["sm"])
        first_year = _year(m["sy"]) if m["sy"] else (last_year if first <= last else last_year - 1)
        return PeriodMention(start, end, Period.months(first_year, first, last_year, last))
    if kind == "quarter":
        q, year = (m["q1"], m["y1"]) if m["q1"] else (m["q2"], m["y2"])
        first = (int(q) - 1) * 3 + 1
        return PeriodMention(start, end, Period.months(int(year), first, int(year), first + 2))
    if kind == "financial":
        first_year = int(m["y"])
        if (first_year + 1) % 100 != int(m["y2"]):
            return PeriodMention(start, end)
        return PeriodMention(start, end, Period.months(first_year, 4, first_year + 1, 3))
    if kind in ("month", "date"):
        year, month = _year(m["ey"]), _month(m["em"])
        return PeriodMention(start, end, Period.months(year, month, year, month))
    if kind == "iso":
        year, month = int(m["y"]), int(m["m"])
        return PeriodMention(start, end, Period.months(year, month, year, month))
    return PeriodMention(start, end, shift=-12)


def find_periods(text: str, *, label: bool = False) -> tuple[PeriodMention, ...]:
    """Every period named in ``text``, left to right, without overlaps (the earlier pattern wins).

    In a ``label`` (a column header) a bare two-digit year is allowed: "12 Month ending Mar 24".
    """
    taken: list[PeriodMention] = []
    for kind, pattern in _LABEL_PATTERNS if label else _PROSE_PATTERNS:
        for match in pattern.finditer(text):
            mention = _mention(kind, match)
            if all(mention.end <= t.start or mention.start >= t.end for t in taken):
                taken.append(mention)
    return tuple(sorted(taken, key=lambda m: m.start))


def parse_period(label: str, *, year_hint: int | None = None) -> Period | None:
    """The period a column header names ("12 Month ending Mar 24", "Jan 2024"), or ``None``.

    A bare month name ("Jan") takes its year from ``year_hint`` (the year named in the table's caption
    or section heading), when there is one.
    """
    found = [m for m in find_periods(label, label=True) if m.period is not None]
    if len(found) == 1:
        return found[0].period
    bare = _BARE_MONTH.match(label)
    if bare and year_hint is not None:
        month = _month(bare["m"])
        return Period.months(year_hint, month, year_hint, month)
    return None
