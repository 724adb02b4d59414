"""Figures written in words: "five per cent", "twenty-two per cent", "a third", "doubled".

Reports write small percentages and proportions in words as often as in digits. A cardinal before
"per cent" (or "%") is an exact percentage. A fraction ("a third", "a quarter", "half", "two thirds",
"three quarters") or a multiple ("doubled", "halved", "tripled") is a round proportion: it is taken to
stand for anything within a tenth of itself either way (a third: 30.0% to 36.7%), so "fell by a third"
is checked, but not to the decimal. Counts in words ("Nineteen local authorities") are left alone:
they are as often names of things as quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Final

from crimeprev.check.numbers import Figure

__all__ = [
    "APPROXIMATE",
    "cardinal",
    "find_word_counts",
    "find_word_figures",
    "fraction_words",
    "in_words",
    "word_tolerance",
]

_UNITS: Final = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: Final = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_FRACTIONS: Final = {
    "a third": Fraction(100, 3), "one third": Fraction(100, 3), "a quarter": Fraction(25), "one quarter": Fraction(25),
    "half": Fraction(50), "a half": Fraction(50), "one half": Fraction(50), "two thirds": Fraction(200, 3),
    "three quarters": Fraction(75), "a fifth": Fraction(20), "one fifth": Fraction(20), "a tenth": Fraction(10),
}  # fmt: skip
_MULTIPLES: Final = {
    "doubled": Fraction(100),
    "tripled": Fraction(200),
    "trebled": Fraction(200),
    "halved": Fraction(-50),
}
_CARDINAL = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[\s\-](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)}))?|"
    rf"{'|'.join(sorted(_UNITS, key=len, reverse=True))}|one\s+hundred|a\s+hundred)"
)
_PERCENT_WORDS: Final = re.compile(rf"\b(?P<n>{_CARDINAL})(?P<pct>\s+per\s?cent\b|\s+percent\b|\s?%)", re.IGNORECASE)
_FRACTION_ALTERNATIVES = "|".join(k.replace(" ", r"\s+") for k in sorted(_FRACTIONS, key=len, reverse=True))
_FRACTION_WORDS: Final = re.compile(rf"\b(?P<f>{_FRACTION_ALTERNATIVES})\b(?!\s+(?:of|the|a)\b)", re.IGNORECASE)
_MULTIPLE_WORDS: Final = re.compile(rf"\b(?P<m>{'|'.join(_MULTIPLES)})\b", re.IGNORECASE)
_HEDGE = (
    r"(?:almost|nearly|around|about|roughly|some|approximately|over|more\s+than|less\s+than|just\s+over|"
    r"just\s+under|close\s+to)"
)
# "fell by a third"; "by almost a third" is a bound, not a figure, and is left alone.
_BY: Final = re.compile(r"\bby\s+$", re.IGNORECASE)
_HEDGED: Final = re.compile(rf"\b{_HEDGE}\s+$", re.IGNORECASE)
APPROXIMATE: Final = Fraction(1, 10)  # a round proportion in words stands for values within a tenth of it


def _cardinal(words: str) -> int:
    words = " ".join(words.lower().replace("-", " ").split())
    if words in ("one hundred", "a hundred"):
        return 100
    total = 0
    for word in words.split():
        total += _TENS.get(word, 0) + _UNITS.get(word, 0)
    return total


def _figure(value: Fraction, text: str, start: int, end: int, *, signed: bool = False) -> Figure:
    return Figure(
        value=Decimal(value.numerator) / Decimal(value.denominator),
        text=text,
        decimals=0,
        percent=True,
        explicit_sign=signed,
        start=start,
        end=end,
        words=True,
    )


def fraction_words(text: str) -> Iterator[tuple[str, Fraction, int, int]]:
    """(words, percentage, start, end) of every proportion in words: "two thirds" is 66 2/3."""
    for m in _FRACTION_WORDS.finditer(text):
        yield m.group(0), _FRACTIONS[" ".join(m["f"].lower().split())], m.start(), m.end()


def find_word_figures(text: str) -> tuple[Figure, ...]:
    """Percentages and proportions written in words in ``text``, with their spans.

    A fraction counts only as the size of a change ("fell by a third", "up by a quarter"): "half of the
    offences" or "a third of victims" is a share, whose whole is rarely stated. A hedged one ("by
    almost a third", "more than doubled") is a bound, not a figure, and is left out.
    """
    found: list[Figure] = []
    for m in _PERCENT_WORDS.finditer(text):
        found.append(_figure(Fraction(_cardinal(m["n"])), m.group(0), m.start(), m.end()))
    for words, value, start, end in fraction_words(text):
        if _BY.search(text[max(0, start - 30) : start]):
            found.append(_figure(value, words, start, end))
    for m in _MULTIPLE_WORDS.finditer(text):
        if not _HEDGED.search(text[max(0, m.start() - 30) : m.start()]):
            found.append(_figure(_MULTIPLES[m["m"].lower()], m.group(0), m.start(), m.end(), signed=True))
    return tuple(sorted(found, key=lambda f: f.start))


def cardinal(text: str) -> int | None:
    """The count ``text`` writes, in digits or words ("12", "Four", "twenty-two"), else ``None``."""
    if text.isdigit():
        return int(text)
    words = " ".join(text.lower().replace("-", " ").split())
    known = all(w in _UNITS or w in _TENS for w in words.split()) or words in ("one hundred", "a hundred")
    return _cardinal(words) if words and known else None


def in_words(count: int, like: str) -> str:
    """``count`` written as ``like`` is: in digits, or as a word capitalised the same ("Four")."""
    if like.isdigit():
        return str(count)
    word = next((w for w, n in _UNITS.items() if n == count), None)
    if word is None:
        return str(count)
    return word.capitalize() if like[:1].isupper() else word


def find_word_counts(text: str) -> tuple[Figure, ...]:
    """Counts written in words ("three incidents"), for the checks that compare two counts a sentence
    sets side by side ("in three incidents, down from 5"): never counted as figures of their own."""
    found = []
    for m in re.finditer(rf"\b(?P<n>{_CARDINAL})\b(?!\s*(?:per\s?cent|percent|%))", text, re.IGNORECASE):
        value = Decimal(_cardinal(m["n"]))
        found.append(Figure(value=value, text=m.group(0), decimals=0, start=m.start(), end=m.end(), words=True))
    return tuple(found)


def word_tolerance(figure: Figure) -> Fraction:
    """How far the value a worded figure stands for may be from it: none for "five per cent", a tenth
    of itself for a fraction or a multiple."""
    if not figure.words or figure.text[:1].isdigit() or _PERCENT_WORDS.fullmatch(figure.text):
        return Fraction(0)
    return abs(figure.exact) * APPROXIMATE
