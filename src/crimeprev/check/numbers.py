"""Figures as printed in a report, and the roundings that explain a printed value.

A printed figure keeps what the reader saw: its value (exact, as a :class:`~decimal.Decimal`), how
many decimal places were printed, whether it carried a sign, a ``%`` or thousands separators. Those
details matter when checking it: ``-6.4%`` printed to one decimal place is right for any value that an
ordinary rounding to one place turns into -6.4, and the expected value is printed back in the same
style.

Roundings. A correct value can reach print by several roads. The *ordinary* roundings differ only at
an exact tie (x.x5): half away from zero (what most people and Excel's ``ROUND`` do), half to even
(Python's ``round`` and IEEE 754 default) and half toward zero (what binary floating point often gives
for a decimal tie such as 0.125 * 100). They are all accepted. The *directed* roundings (truncation,
floor, ceiling) are what a hand-typed or spreadsheet-formatted figure gets when someone cut digits off:
a figure explained only by one of them is "rounded the wrong way" and the checker says which rounding
it assumed. Arithmetic is exact (:class:`fractions.Fraction`), so no floating point error can make a
right figure look wrong.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

from crimeprev.check.markup import strip_inline_markup

__all__ = [
    "BLANK",
    "DIRECTED",
    "MINUS_SIGNS",
    "ORDINARY",
    "SIGNS",
    "STAND_INS",
    "Blank",
    "CellValue",
    "Figure",
    "Fit",
    "Rounding",
    "adjacent_swaps",
    "decimal_places_text",
    "describe_exact",
    "explain_rounding",
    "find_figures",
    "fit",
    "format_expected",
    "parse_cell",
    "parse_figure",
    "round_to",
    "roundings_giving",
    "slip_distance",
]

MINUS_SIGNS: Final = "-−–‑"
SIGNS: Final = ("+", *MINUS_SIGNS)  # a sign standing apart from its number in copied text ("+ 4,312")
# What stands in a table for a figure not given: "n/a", "TBC", "*" (suppressed), a dash.
STAND_INS: Final = frozenset({"n/a", "na", "n/k", "tbc", "*", "-", "–", "—"})
_SIGN = "[+" + re.escape(MINUS_SIGNS) + "]"
# Percentage points after a figure: "-1.7 pts", "+0.4pp", "2.5 percentage points", "1.5% points".
_POINTS = r"(?:percentage[\s\-]+)?points?\b|pts?\b\.?|ppts?\b|pp\b"
_CELL = re.compile(
    rf"""^(?P<open>\()?\s*(?P<sign>{_SIGN})?\s*(?P<currency>[£$€])?\s*
    (?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?
    \s*(?P<pct>%|per\s?cent|percent)?\s*(?P<points>{_POINTS})?\s*(?P<close>\))?\s*(?P<marks>[*†‡]+)?$""",
    re.VERBOSE | re.IGNORECASE,
)
_PROSE = re.compile(
    rf"""(?P<sign>{_SIGN})?(?P<currency>[£$€])?
    (?P<int>\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d+)(?P<frac>\.\d+)?
    (?P<pct>\s?%|\s(?:per\s?cent|percent)\b)?""",
    re.VERBOSE | re.IGNORECASE,
)
BLANK_MARKERS: Final = frozenset({"", "-", "–", "—", "−", "nil"})


@dataclass(frozen=True)
class Figure:
    """A number as printed: value, precision and style, and where it stands in its text."""

    value: Decimal
    text: str
    decimals: int
    percent: bool = False
    explicit_sign: bool = False
    separators: bool = False
    start: int = 0
    end: int = 0
    points: str = ""  # the unit of a difference in percentage points as printed ("pts", "pp"), if any
    words: bool = False  # written in words ("five per cent", "a third"; see :mod:`.number_words`)

    @property
    def exact(self) -> Fraction:
        return Fraction(self.value)

    @property
    def is_count(self) -> bool:
        """A whole number printed without ``%``: a count of crimes, incidents, people."""
        return not self.percent and self.decimals == 0


class Blank(StrEnum):
    """An empty table cell (or a dash): it counts as zero in a total."""

    BLANK = "blank"


BLANK: Final = Blank.BLANK
CellValue = Figure | Blank | None  # None: text, a suppressed value ("*", "<5", "n/a") or a merged cell


def _figure(match: re.Match[str], text: str, *, negative_parens: bool = False) -> Figure:
    digits = match["int"].replace(",", "") + (match["frac"] or "")
    value = Decimal(digits)
    sign = match["sign"]
    if (sign and sign in MINUS_SIGNS) or negative_parens:
        value = -value
    points = match.groupdict().get("points") or ""
    return Figure(
        value=value,
        text=text,
        decimals=len(match["frac"]) - 1 if match["frac"] else 0,
        percent=bool(match["pct"]) and not points,
        explicit_sign=bool(sign),
        separators="," in match["int"],
        start=match.start(),
        end=match.end(),
        points=points,
    )


def parse_figure(text: str) -> Figure | None:
    """The figure a whole table cell holds (``2,725``, ``-6.4%``, ``+18.3``, ``(185)``, ``-1.7 pts``), or
    ``None``.

    Parentheses around a bare number mean a negative value, as in accounts; markup is read through. A
    difference in percentage points ("-1.7 pts", "+0.4 pp") keeps its unit in :attr:`Figure.points`.
    """
    plain = strip_inline_markup(text)
    match = _CELL.match(plain)
    if match is None or bool(match["open"]) != bool(match["close"]):
        return None
    figure = _figure(match, plain, negative_parens=bool(match["open"]) and not match["sign"])
    return dataclasses.replace(
        figure, text=plain, explicit_sign=figure.explicit_sign or bool(match["open"]), start=0, end=len(plain)
    )


def parse_cell(text: str) -> CellValue:
    """A table cell's value: a :class:`Figure`, :data:`BLANK` (empty or a dash) or ``None`` (text)."""
    plain = strip_inline_markup(text)
    if plain.lower() in BLANK_MARKERS:
        return BLANK
    return parse_figure(plain)


def find_figures(text: str) -> tuple[Figure, ...]:
    """Every number printed in running text, with its span.

    A number glued to a letter or to ``/`` (``Q3``, ``s136``, ``2023/24``, ``1st``) is not a figure, nor
    is one inside a longer token such as a section number ``2.1.3``. A sign counts only where it
    stands alone before the digits (``-6.4%``), not in ``Jan-24`` or ``10–12``.
    """
    found: list[Figure] = []
    for match in _PROSE.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else " "
        if match["sign"]:
            if not (before.isspace() or before in "([" or start == 0):
                continue
        elif before.isalnum() or before in "./,_" or before in MINUS_SIGNS or before in "£$€":
            continue
        after = text[end] if end < len(text) else " "
        if after.isalnum() or after == "/" or (after in ".," and text[end + 1 : end + 2].isdigit()):
            continue
        found.append(_figure(match, match.group(0).strip()))
    return tuple(found)


class Rounding(StrEnum):
    """How a value is brought to the printed number of decimal places."""

    HALF_UP = "rounded half away from zero"
    HALF_EVEN = "rounded half to even"
    HALF_DOWN = "rounded half toward zero"
    TRUNCATE = "truncated"
    FLOOR = "rounded down"
    CEILING = "rounded up"


ORDINARY: Final = (Rounding.HALF_UP, Rounding.HALF_EVEN, Rounding.HALF_DOWN)
DIRECTED: Final = (Rounding.TRUNCATE, Rounding.FLOOR, Rounding.CEILING)


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def round_to(value: Fraction, places: int, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """``value`` brought to ``places`` decimal places by ``rounding``, exactly.

    >>> str(round_to(Fraction(-185, 2910) * 100, 1))
    '-6.4'
    >>> str(round_to(Fraction(1225, 100), 1, Rounding.HALF_EVEN)), str(round_to(Fraction(1225, 100), 1))
    ('12.2', '12.3')
    """
    scaled = value * 10**places
    low = _floor(scaled)
    fraction = scaled - low
    negative = value < 0
    if rounding is Rounding.FLOOR:
        n = low
    elif rounding is Rounding.CEILING:
        n = low if fraction == 0 else low + 1
    elif rounding is Rounding.TRUNCATE:
        n = low if not negative or fraction == 0 else low + 1
    elif fraction != Fraction(1, 2):
        n = low if fraction < Fraction(1, 2) else low + 1
    elif rounding is Rounding.HALF_EVEN:
        n = low if low % 2 == 0 else low + 1
    elif rounding is Rounding.HALF_UP:
        n = low + 1 if not negative else low
    else:  # half toward zero
        n = low if not negative else low + 1
    return Decimal(n).scaleb(-places)


def roundings_giving(exact: Fraction, stated: Figure) -> tuple[Rounding, ...]:
    """The roundings of ``exact`` to the stated number of places that print as ``stated``.

    An empty answer means no rounding explains the figure: it is wrong, not merely rounded.
    """
    return tuple(r for r in Rounding if round_to(exact, stated.decimals, r) == stated.value)


def format_expected(value: Fraction | Decimal, like: Figure, *, places: int | None = None) -> str:
    """``value`` printed in the style of ``like``: same decimals, ``%`` or points unit, sign and separators.

    Half away from zero is used, the rounding most readers assume.
    """
    places = like.decimals if places is None else places
    exact = value if isinstance(value, Fraction) else Fraction(value)
    rounded = round_to(exact, places, Rounding.HALF_UP)
    separators = like.separators or (abs(like.value) < 1000 and abs(rounded) >= 1000)
    body = f"{abs(rounded):,.{places}f}" if separators else f"{abs(rounded):.{places}f}"
    sign = "-" if rounded < 0 else ("+" if like.explicit_sign and rounded > 0 else "")
    unit = "%" if like.percent else f" {like.points}" if like.points else ""
    return f"{sign}{body}{unit}"


def decimal_places_text(places: int) -> str:
    return "a whole number" if places == 0 else f"{places} decimal place{'s' if places > 1 else ''}"


def describe_exact(value: Fraction) -> str:
    """A short exact-ish rendering of a computed value, for messages (``-6.357``)."""
    shown = Decimal(value.numerator) / Decimal(value.denominator)
    return str(shown.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize())


class Fit(StrEnum):
    """How a printed figure fits the value it should show."""

    ROUNDED = "rounded"  # an ordinary rounding (or the exact value) gives it
    DIRECTED = "directed"  # only truncation, floor or ceiling gives it: rounded the wrong way
    WRONG = "wrong"  # no rounding gives it


def fit(exact: Fraction, stated: Figure) -> tuple[Fit, tuple[Rounding, ...]]:
    """How ``stated`` fits ``exact``, with the roundings that give it."""
    found = roundings_giving(exact, stated)
    if any(r in ORDINARY for r in found):
        return Fit.ROUNDED, found
    if found:
        return Fit.DIRECTED, found
    return Fit.WRONG, found


def explain_rounding(exact: Fraction, stated: Figure) -> str:
    """Why ``stated`` is off: the exact value and the rounding assumed, for messages.

    >>> explain_rounding(Fraction(-185, 2910) * 100, parse_figure("-6.3%"))
    '-6.357 truncated to 1 decimal place gives -6.3%; rounded half away from zero it is -6.4%'
    """
    how, found = fit(exact, stated)
    expected = format_expected(exact, stated)
    places = decimal_places_text(stated.decimals)
    if how is Fit.DIRECTED:
        return (
            f"{describe_exact(exact)} {found[0].value} to {places} gives {stated.text}; "
            f"{Rounding.HALF_UP.value} it is {expected}"
        )
    if exact.denominator == 1 or stated.decimals >= 3:
        return f"it should be {expected}"
    return f"{describe_exact(exact)} {Rounding.HALF_UP.value} to {places} is {expected}"


def adjacent_swaps(number: int) -> set[int]:
    """The numbers ``number`` becomes with two neighbouring digits swapped (the commonest typing slip:
    74 and 47, 153,284 and 153,248), leading zeros excluded."""
    digits = str(abs(number))
    out = set()
    for k in range(len(digits) - 1):
        swapped = digits[:k] + digits[k + 1] + digits[k] + digits[k + 2 :]
        if swapped != digits and not swapped.startswith("0"):
            out.add(int(swapped) * (-1 if number < 0 else 1))
    return out


def slip_distance(printed: Figure, correct: Fraction) -> int:
    """How many typing slips turn the correct value into the printed one: the Damerau-Levenshtein
    distance between their digits (with sign), where swapping two adjacent digits is one slip.

    Used to choose between corrections that explain an inconsistency equally well: 18,091 for 18,019
    is one transposition, 15,598 for 15,670 would be three slips.

    >>> slip_distance(parse_figure("18,091"), Fraction(18019)), slip_distance(parse_figure("15,598"), Fraction(15670))
    (1, 3)
    """

    def digits(text: str) -> str:
        return "".join(ch for ch in text if ch.isdigit() or ch == "-")

    a = digits(f"{printed.value:f}")
    b = digits(f"{round_to(correct, printed.decimals):f}")
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]
