"""Running text: sentences, and the figures in them that are counts or percentages.

A number in prose is a figure unless it is part of a date or period ("March 2024", "the 12 months
to…"), a duration ("12 months", "3 weeks"), a reference ("section 136", "paragraph 4.2", "Op 2"), a
year, or the number of a numbered paragraph ("4.1 Knife crime offences…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from crimeprev.check.number_words import find_word_figures
from crimeprev.check.numbers import Figure, find_figures
from crimeprev.check.periods import MONTH_NAME, PeriodMention, find_periods

__all__ = ["Sentence", "mask_periods", "prose_figures", "sentences"]

_SENTENCE_BREAK: Final = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z(\"“‘£\d•▪\uf0b7])")
_ABBREVIATION: Final = re.compile(r"\b(?:e\.g|i\.e|etc|approx|no|vs|cf|op|fig|para)\.$", re.IGNORECASE)
_DURATION: Final = re.compile(
    r"^[\s-]*(?:calendar\s+)?(?:months?|weeks?|days?|years?|hours?|minutes?|quarters?|mins?|hrs?)\b", re.I
)
_REFERENCE: Final = re.compile(
    r"\b(?:section|sections|s\.|paragraph|para|page|table|figure|fig\.|chart|graph|map|appendix|annex|op|operation|phase|"
    r"tier|level|version|v|priority|item|chapter|step|recommendation|no\.|number|strand|theme|agenda)\s*$",
    re.IGNORECASE,
)
_PARAGRAPH_NUMBER: Final = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s")
_YEAR: Final = re.compile(r"^(?:19|20)\d{2}$")
_MONTH_AFTER: Final = re.compile(rf"^\s+{MONTH_NAME}(?!\w)", re.IGNORECASE)
_MONTH_BEFORE: Final = re.compile(rf"\b{MONTH_NAME}\s+$", re.IGNORECASE)
_YEAR_AFTER: Final = re.compile(r"^,?\s+(?:19|20)\d{2}\b")  # "June 30 2019", not "in March 15 offences"
_DAYS: Final = 31
# An age, not a count: "children aged 10 to 15", "aged between 16 and 24", "ages 15-19".
_AGE: Final = re.compile(r"\bage[sd]?\s+(?:between\s+)?(?:\d+\s*(?:to|and|-|–)\s*)?$", re.IGNORECASE)
_RATE_BASE: Final = re.compile(r"\bper\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts in its paragraph."""

    text: str
    start: int


def sentences(text: str) -> tuple[Sentence, ...]:
    """Split a paragraph into sentences (a full stop inside "6.4" or "e.g." does not end one)."""
    out: list[Sentence] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        out.append(Sentence(text[start : match.start()], start))
        start = match.end()
    if text[start:].strip():
        out.append(Sentence(text[start:], start))
    return tuple(out)


def _inside(figure: Figure, periods: tuple[PeriodMention, ...]) -> bool:
    return any(p.start <= figure.start < p.end for p in periods)


def _day_of_month(text: str, figure: Figure) -> bool:
    """A day in a date: "17 June", "June 30 2019" (but "in March 15 offences" is a count)."""
    if figure.percent or figure.decimals or figure.separators or not 1 <= figure.value <= _DAYS:
        return False
    if _MONTH_AFTER.match(text[figure.end :]):
        return True
    return bool(_MONTH_BEFORE.search(text[: figure.start]) and _YEAR_AFTER.match(text[figure.end :]))


def prose_figures(text: str, *, periods: tuple[PeriodMention, ...] | None = None) -> tuple[Figure, ...]:
    """The figures of ``text`` that are counts, amounts or percentages (see the module docstring)."""
    periods = find_periods(text) if periods is None else periods
    numbered = _PARAGRAPH_NUMBER.match(text)
    out: list[Figure] = []
    for figure in find_figures(text):
        if _inside(figure, periods) or (numbered and figure.start < numbered.end()):
            continue
        if not figure.percent and _DURATION.match(text[figure.end :]):
            continue
        if _REFERENCE.search(text[max(0, figure.start - 16) : figure.start]):
            continue
        if not figure.percent and _RATE_BASE.search(text[max(0, figure.start - 8) : figure.start]):
            continue  # "per 1,000 population": the unit of a rate
        if _day_of_month(text, figure) or _AGE.search(text[max(0, figure.start - 30) : figure.start]):
            continue
        if not figure.percent and figure.decimals == 0 and not figure.separators and _YEAR.match(figure.text):
            continue
        out.append(figure)
    words = [w for w in find_word_figures(text) if not _inside(w, periods)]
    return tuple(sorted((*out, *words), key=lambda f: f.start))


def mask_periods(text: str) -> str:
    """``text`` with every period name replaced by a word of the same length ("Pppp…"), so that
    patterns about words between figures can step over "in January 2024" without seeing its digits."""
    chars = list(text)
    for mention in find_periods(text):
        chars[mention.start : mention.end] = "P" + "p" * (mention.end - mention.start - 1)
    return "".join(chars)
