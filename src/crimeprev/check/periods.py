"""Periods named in report text: "12 Month ending Mar 24", "the 12 months to March 2024", "the 3 months
ending Mar 24", "January-March 2024", "Q1 2024", "FY2023/24", "FY 2023/24 to Mar 24", "2023-04-01 to
2024-03-31", "the previous 12 months".

A period is a span of whole calendar months, so differently worded names of the same months compare
equal: "12 months to March 2024", "year ending Mar-24" and "FY2023/24" are all April 2023 to March
2024. Relative names ("the previous 12 months", "the same period last year") are kept as a shift in
months, resolved against the other period named in the same passage.

Two-digit years. In a column header any month name may take one ("12 Month ending Mar 24"). In running
text only an abbreviated month name written with a capital does ("Mar 24", "Dec 23"), as dashboards
and generated reports write months, or a year marked as one ("Mar-24", "March '24"): "in March 15
offences were recorded" names no period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["MONTH_NAME", "Period", "PeriodMention", "find_periods", "parse_period"]

MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAME: Final = (  # a month's name, full or abbreviated ("Sept.", "March")
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH = MONTH_NAME
_YEAR = r"(?:19|20)\d{2}|'?\d{2}"
# In running text a two-digit year needs a mark ("Mar-24", "Mar '24") or an abbreviated month name with a
# capital ("Mar 24"): "March 15 offences" is no date.
_PROSE_YEAR = (
    r"(?:19|20)\d{2}|(?<=[\-'’])\d{2}"
    r"|(?<=\b(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s)\d{2}|(?<=\b(?-i:Sept)\s)\d{2}"
)
_SEP = r"[\s\-'’/]*"
_NUMBER_WORDS: Final = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_COUNT = rf"\d{{1,2}}|{'|'.join(_NUMBER_WORDS)}"
_MONTHS_SPAN = rf"(?P<n>{_COUNT})[\s\-]*months?"
_ENDING = r"(?:ending|ended|to|up\s+to|until|through)"


def _named(name: str, pattern: str, year: str) -> str:
    return pattern.replace("MONTH", f"(?P<{name}m>{_MONTH})").replace("YEAR", f"(?P<{name}y>{year})")


_QUARTER = re.compile(
    r"\b(?:Q(?P<q1>[1-4])\s*(?P<y1>(?:19|20)\d{2})|(?P<y2>(?:19|20)\d{2})[\s\-]*Q(?P<q2>[1-4]))\b", re.I
)
_FINANCIAL = re.compile(r"\b(?:FY\s?|financial\s+year\s+)?(?P<y>(?:19|20)\d{2})[/\-–](?P<y2>\d{2})\b", re.I)
_ISO_DAY = r"(?P<{0}y>(?:19|20)\d{{2}})-(?P<{0}m>0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_ISO_RANGE = re.compile(
    r"\b" + _ISO_DAY.format("s") + r"\s*(?:to|until|–|—|-)\s*" + _ISO_DAY.format("e") + r"\b", re.IGNORECASE
)
_ISO_MONTH = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?\b")
_RELATIVE = re.compile(
    rf"\b(?:the\s+)?(?:(?:previous|preceding|prior|last)\s+(?:{_MONTHS_SPAN}|year)|same\s+(?:period|time|months?)\s+"
    rf"(?:(?:in\s+)?(?:the\s+)?(?:previous|prior|last|preceding)\s+year|last\s+year|a\s+year\s+(?:earlier|before)))\b",
    re.IGNORECASE,
)


def _month_patterns(year: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    rolling = re.compile(
        rf"\b(?:rolling\s+)?(?:{_MONTHS_SPAN}(?:\s+period)?|year)\s+{_ENDING}\s+"
        rf"(?:the\s+end\s+of\s+)?" + _named("e", rf"MONTH{_SEP}YEAR", year) + r"(?![\w])",
        re.IGNORECASE,
    )
    # A financial year to date: "FY 2023/24 to Mar 24" is April 2023 to March 2024.
    to_date = re.compile(
        r"\b(?:FY\s?|financial\s+year\s+)(?P<y>(?:19|20)\d{2})[/\-–](?P<y2>\d{2})\s+"
        + _ENDING
        + r"\s+"
        + _named("e", rf"MONTH{_SEP}YEAR", year)
        + r"(?![\w])",
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
        ("to-date", to_date),
        ("date", date),
        ("range", month_range),
        ("quarter", _QUARTER),
        ("iso-range", _ISO_RANGE),
        ("financial", _FINANCIAL),
        ("month", month),
        ("iso", _ISO_MONTH),
        ("relative", _RELATIVE),
    )


_LABEL_PATTERNS: Final = _month_patterns(_YEAR)
_PROSE_PATTERNS: Final = _month_patterns(_PROSE_YEAR)
_BARE_MONTH = re.compile(rf"^\s*(?P<m>{_MONTH})\s*$", re.IGNORECASE)
# Days within months ("8-14 May 23", "29 Jan-4 Feb 24", "5 to 11 February 2024"): not whole months.
_DAY_SPAN = re.compile(rf"\b\d{{1,2}}(?:\s+{_MONTH})?\s*(?:[-–]|to)\s*\d{{1,2}}\s+{_MONTH}", re.IGNORECASE)


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


def _count(text: str | None) -> int:
    """A number of months written in figures or words (``None``: a "year", 12)."""
    if text is None:
        return 12
    text = text.lower()
    return int(text) if text.isdigit() else _NUMBER_WORDS.index(text) + 1


def _mention(kind: str, m: re.Match[str]) -> PeriodMention:
    start, end = m.span()
    if kind == "rolling":
        months = _count(m["n"])
        if months == 0:
            return PeriodMention(start, end)
        last = _year(m["ey"]) * 12 + _month(m["em"]) - 1
        return PeriodMention(start, end, Period(last - months + 1, last))
    if kind == "to-date":
        first_year, last_year, last = int(m["y"]), _year(m["ey"]), _month(m["em"])
        period = Period.months(first_year, 4, last_year, last)
        within = (first_year + 1) % 100 == int(m["y2"]) and 0 <= period.end - period.start < 12
        return PeriodMention(start, end, period if within else None)
    if kind == "iso-range":
        period = Period.months(int(m["sy"]), int(m["sm"]), int(m["ey"]), int(m["em"]))
        return PeriodMention(start, end, period if period.start <= period.end else None)
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
            # Not a financial year: "2024-01" is a month (ISO), "2021-25" a span of years.
            month = int(m["y2"])
            valid = m.group(0)[-3] == "-" and 1 <= month <= 12
            return PeriodMention(start, end, Period.months(first_year, month, first_year, month) if valid else None)
        return PeriodMention(start, end, Period.months(first_year, 4, first_year + 1, 3))
    if kind in ("month", "date"):
        year, month = _year(m["ey"]), _month(m["em"])
        return PeriodMention(start, end, Period.months(year, month, year, month))
    if kind == "iso":
        year, month = int(m["y"]), int(m["m"])
        return PeriodMention(start, end, Period.months(year, month, year, month))
    return PeriodMention(start, end, shift=-_count(m["n"]))


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
    or section heading), when there is one. A run of days ("8-14 May 23", the days of a week of action)
    is not a whole month, and names no period here: it is not the month it falls in.
    """
    if _DAY_SPAN.search(label):
        return None
    found = [m for m in find_periods(label, label=True) if m.period is not None]
    if len(found) == 1:
        return found[0].period
    bare = _BARE_MONTH.match(label)
    if bare and year_hint is not None:
        month = _month(bare["m"])
        return Period.months(year_hint, month, year_hint, month)
    return None
