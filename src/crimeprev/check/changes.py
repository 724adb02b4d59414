"""Changes stated in prose: "a decrease of 6.4% compared with 2,910" read into the change, the figure it
is from and the figure it is to (checked by :mod:`crimeprev.check.rules.stated_change`; also what the
other prose rules leave alone, since a change's figures are not counts to add or restate).

A change is a percentage, a count or a number of percentage points next to a word that gives its
direction ("a decrease of 6.4%", "down 185", "18.3% higher", "fell by 1.5 percentage points", "rose
by five per cent", "fell by a third", "doubled"). Its base is the figure after "compared with", "in
comparison with", "against", "lower than" (and the like) or "from"; the current figure is the one
before that phrase (or after "to" in "from A to B"), in the same sentence or the sentence before. A
comparison phrase after a change belongs to that change, so a second change in the sentence does not
borrow it. Without "from": "(500 offences to 450)", "500 down to 450", a bare "(-10%)" after them.

A percentage just after a stated difference restates it ("a difference of -185 (-6.4%)", "which
equates to 4.5%", "a decrease of 12% (50 crimes)"), and a sentence that opens with "This", "That",
"It" or "Which" and has no figures of its own to compare ("This is a change of -6.4%") speaks of
the change just given (also the last point of the paragraph before). With only the later figure
given ("671 victims, 33 fewer (5%)"), the earlier one is the one the difference implies (704).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Final

from crimeprev.check.bounds import Bounds, fit_bounds
from crimeprev.check.document import Block, Paragraph
from crimeprev.check.number_words import word_tolerance
from crimeprev.check.numbers import (
    Figure,
    Fit,
)
from crimeprev.check.prose import prose_figures, sentences

__all__ = [
    "ANAPHORA",
    "DOWN_WORDS",
    "UP_WORDS",
    "StatedChange",
    "change_figures",
    "direction_of",
    "last_sentence_figures",
    "stated_changes",
]

UP_WORDS = r"increased?|increasing|rises?|rose|risen|rising|growth|grew|higher|more|uplift|up"
DOWN_WORDS = (
    r"decreased?|decreasing|falls?|fell|fallen|falling|reductions?|reduced|drops?|dropped|declines?|declined|"
    r"lower|fewer|less|down"
)
_NOUNS = r"increase|decrease|rise|fall|reduction|drop|decline|growth|change|uplift|difference"
_QUALIFIER = r"(?:(?:around|about|approximately|almost|nearly|over|some|just\s+over|just\s+under|roughly)\s+)?"
_BEFORE: Final = re.compile(
    rf"(?:\b(?P<noun>{_NOUNS})\s+of\s+|\b(?P<verb>{UP_WORDS}|{DOWN_WORDS}|changed)[:,]?\s+(?:by\s+)?){_QUALIFIER}$",
    re.IGNORECASE,
)
_POINTS_UNIT = r"(?:percentage[\s\-]+points?|pp|ppts?|pts?|points?|%\s*points?)\b\.?"
_AFTER: Final = re.compile(
    rf"^\s*(?P<points>{_POINTS_UNIT})?\s*(?P<word>{UP_WORDS}|{DOWN_WORDS}|{_NOUNS}|change)\b",
    re.IGNORECASE,
)
_POINTS: Final = re.compile(rf"^\s*{_POINTS_UNIT}", re.IGNORECASE)
_UP_WORD: Final = re.compile(rf"^(?:{UP_WORDS}|increase)$", re.IGNORECASE)
_DOWN_WORD: Final = re.compile(rf"^(?:{DOWN_WORDS}|decrease|fall|reduction|drop|decline)$", re.IGNORECASE)
_CUE: Final = re.compile(
    r"\b(?:(?:when\s+)?compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|against|versus|vs\.?|from|"
    r"(?:higher|lower|more|fewer|less)\s+than|"
    r"on\s+(?:the\s+)?(?:previous|preceding|last|same))\b",
    re.IGNORECASE,
)
# Between a stated change and the same change restated as a percentage: "-185 (-6.4%)".
_RESTATED: Final = re.compile(
    r"\s*(?:[A-Za-z]+\s+){0,3}?(?:\(\s*|,?\s*(?:which\s+|this\s+)?(?:equates?\s+to|equating\s+to|is|was|or|"
    r"represent\w*|amount\w*\s+to)\s+)",
    re.IGNORECASE,
)
_BRACKETED_COUNT: Final = re.compile(r"^\s*\(\s*$")
_CLOSING: Final = re.compile(r"^(?:\s+[A-Za-z][\w\-’']*){0,4}(?:\s+to\s+[\d,.]+)?\s*\)")
# "(1,790 fewer solved outcomes to 22,040)": the later figure after the difference, in its bracket.
_BRACKET_TO: Final = re.compile(r"(?:\s+[A-Za-z][\w\-’']*){0,4}\s+to\s+")
# "(500 offences to 450)", "500 down to 450": the two figures of a change with no "from".
_TO_PAIR: Final = re.compile(
    r"^\s*(?:[A-Za-z][\w\-’']*\s+){0,3}?(?:(?:down|up|rising|falling|fell|rose|increasing|decreasing)\s+)?to\s+$",
    re.IGNORECASE,
)
# A direction word with two figures and no size: "increased from A to B", "down to B from A".
# A sentence about the change just given: "This is a change of -6.4%".
ANAPHORA: Final = re.compile(r"^\s*(?:this|that|it|which)\b", re.IGNORECASE)


@dataclass(frozen=True)
class StatedChange:
    """A change stated in prose, with the figures it is a change between."""

    stated: Figure
    kind: str  # "percent", "count" or "points"
    direction: int | None  # +1 increase, -1 decrease, None: the sign of the figure says
    word: str
    base: Figure
    current: Figure
    implied_from: Figure | None = None  # the stated difference the base was worked out from, if any

    def expected(self) -> Fraction | None:
        bounds = self.bounds()
        return None if bounds is None else bounds.value

    def bounds(self) -> Bounds | None:
        """The change the two figures give, with the room their own rounding leaves (rates)."""
        base, current = Bounds.of(self.base), Bounds.of(self.current)
        return current.change_from(base) if self.kind == "percent" else current.minus(base)

    def signed_stated(self) -> Figure:
        """The stated figure with the sign its direction word gives it."""
        if self.direction is None:
            return self.stated
        return replace(self.stated, value=Decimal(self.direction) * abs(self.stated.value))

    def fits(self) -> Fit | None:
        bounds = self.bounds()
        if bounds is None:
            return None
        tolerance = word_tolerance(self.stated)
        if tolerance:  # "fell by a third": a round proportion, not a figure to the decimal
            stated = self.signed_stated().exact
            near = bounds.low - tolerance <= stated <= bounds.high + tolerance
            return Fit.ROUNDED if near else Fit.WRONG
        return fit_bounds(bounds, self.signed_stated())


def direction_of(word: str) -> int | None:
    """+1 for a word of increase ("rose", "up", "higher"), -1 for one of decrease, else ``None``."""
    if _UP_WORD.match(word):
        return 1
    if _DOWN_WORD.match(word):
        return -1
    return None


def _change_phrase(text: str, figure: Figure) -> tuple[str, str] | None:
    """(word, kind) when ``figure`` is stated as a change."""
    points = bool(_POINTS.match(text[figure.end :]))
    kind = "points" if points else "percent" if figure.percent else "count"
    if figure.words and figure.explicit_sign:
        return figure.text, kind  # "doubled", "halved"
    if figure.percent and figure.explicit_sign and re.search(r"\(\s*$", text[: figure.start]):
        return "", kind  # a bare "(-6.4%)" after two figures
    before = _BEFORE.search(text[max(0, figure.start - 40) : figure.start])
    if before:
        return (before["noun"] or before["verb"]), kind
    after = _AFTER.match(text[figure.end : figure.end + 40])
    if after and (figure.percent or points or re.match(r"^\s*(?:fewer|more|less)\b", text[figure.end :], re.I)):
        return after["word"], kind
    return None


def _change_phrases(text: str, figures: tuple[Figure, ...]) -> dict[int, tuple[str, str, Figure | None]]:
    """(word, kind, restated count change) of each figure stated as a change, by start offset. A
    percentage in brackets (or after "which equates to") just after a stated change restates it as a
    percentage: "a difference of -185 (-6.4%)", "a reduction of 7,161 which equates to 4.5%"."""
    phrases: dict[int, tuple[str, str, Figure | None]] = {}
    for i, figure in enumerate(figures):
        phrase = _change_phrase(text, figure)
        found: tuple[str, str, Figure | None] | None = None if phrase is None else (*phrase, None)
        prior = figures[i - 1] if i else None
        bare = phrase is not None and not phrase[0]
        if (phrase is None or bare) and figure.percent and prior is not None and prior.start in phrases:
            word, kind, _ = phrases[prior.start]
            if kind == "count" and _RESTATED.fullmatch(text[prior.end : figure.start]):
                found = word, "percent", prior
        if figure.is_count and prior is not None and prior.start in phrases:
            word, kind, _ = phrases[prior.start]
            bracketed = _BRACKETED_COUNT.match(text[prior.end : figure.start])
            closing = _CLOSING.match(text[figure.end : figure.end + 40])
            # "(500 offences to 450)" is the pair of figures; "(1,790 fewer … to 22,040)" the difference.
            pair = closing is not None and " to " in closing.group(0) and phrase is None
            if kind == "percent" and bracketed and closing and not pair:
                found = word, "count", None  # "a decrease of 12% (50 crimes)": the difference, restating it
                phrases[prior.start] = word, kind, figure
        if found is not None:
            phrases[figure.start] = found
    return phrases


def change_figures(text: str, figures: tuple[Figure, ...]) -> set[int]:
    """Start offsets of the figures of ``text`` stated as changes (they are not counts of anything)."""
    return set(_change_phrases(text, figures))


def _operands(
    text: str,
    span: tuple[int, int],
    stated: Figure,
    candidates: list[Figure],
    earlier: list[Figure],
    changes: list[Figure],
) -> tuple[Figure, Figure] | None:
    """(base, current) for the change ``stated`` in the sentence ``text[span[0]:span[1]]``.

    The comparison phrase is the first one after the stated change (before the next change), else —
    for the first change of the sentence — the last one before it, so that two changes in one
    sentence ("rose by 5.5% from A to B, while robbery fell by 1.3% (from C to D)"; "an increase of 3%
    compared to the previous year in which there were A, but down 2% from the year before the
    pandemic") each take their own figures, or none.
    """
    start, end = span
    following_change = min((f.start for f in changes if f.start > stated.start), default=end)
    first = not any(f.start < stated.start for f in changes)
    cues = list(_CUE.finditer(text, start, end))
    following = [m for m in cues if stated.end <= m.start() < following_change]
    preceding = [m for m in cues if m.end() <= stated.start] if first else []
    with_figures = [m for m in following if any(f.start > m.end() for f in candidates)]
    if following and not with_figures:
        return None  # "down 2% from the year preceding the pandemic": its base is not given
    usable = with_figures[:1] or [m for m in preceding if any(f.start > m.end() for f in candidates)][-1:]
    if not usable:
        return _to_pair(text, stated, candidates)
    cue = usable[0]
    after = [f for f in candidates if f.start >= cue.end()]
    before = [f for f in candidates if f.start < cue.start()]
    base = after[0]
    if cue.group(0).lower() == "from" and len(after) > 1 and re.search(r"\bto\b", text[base.end : after[1].start]):
        return base, after[1]
    if before:
        return base, before[-1]
    if earlier:
        return base, earlier[-1]
    return None


def _to_pair(text: str, stated: Figure, candidates: list[Figure]) -> tuple[Figure, Figure] | None:
    """(base, current) written "A to B" without "from" ("(500 offences to 450)", "500 down to 450"):
    the pair nearest the stated change."""
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(candidates)
        if a.percent == b.percent and _TO_PAIR.fullmatch(text[a.end : b.start])
    ]
    if not pairs:
        return None
    return min(pairs, key=lambda p: min(abs(p[0].start - stated.start), abs(p[1].end - stated.end)))


def _implied(difference: Figure, direction: int | None, current: Figure) -> Figure | None:
    """The earlier figure a stated difference implies: 671 now and "33 fewer" give 704."""
    sign = direction if direction is not None else (-1 if difference.value < 0 else 1)
    if not difference.is_count or not current.is_count:
        return None
    value = current.value - sign * abs(difference.value)
    if value <= 0:
        return None
    operator = "-" if sign > 0 else "+"
    return Figure(
        value=value,
        text=f"{value:,} ({current.text} {operator} {abs(difference.value):,})",
        decimals=0,
        separators=current.separators,
    )


def _implied_changes(figure: Figure, word: str, difference: Figure, currents: list[Figure]) -> list[StatedChange]:
    """A percentage restating a stated difference, with each figure it may be a difference from."""
    direction = direction_of(word)
    out = []
    for current in currents:
        base = _implied(difference, direction, current)
        if base is not None:
            out.append(StatedChange(figure, "percent", direction, word, base, current, difference))
    return out


def stated_changes(paragraph: Paragraph, before: tuple[Figure, ...] = ()) -> tuple[StatedChange, ...]:
    """Every change stated in ``paragraph`` whose two figures can be found.

    A percentage restating a stated difference with no base given ("671 victims, 33 fewer (5%) than
    the previous year"; "This is a decrease of 179,888 (25%)") is a change from the figure the
    difference implies (704, from 671 + 33); the later figure is the count just before, in the
    sentence or — for a sentence that opens with "This", "That", "It" or "Which" — the sentence
    before (``before``: the last sentence's figures of the paragraph above, for a list of points).
    Where several counts could be the later figure, the change is checked against each and reported
    only when none gives it.
    """
    text = paragraph.text
    figures = prose_figures(text)
    phrases = _change_phrases(text, figures)
    found: list[StatedChange] = []
    earlier: list[Figure] = list(before)
    last: dict[bool, tuple[Figure, Figure]] = {}  # the last (base, current) of counts and of percentages
    taken: dict[int, tuple[Figure, Figure]] = {}  # (base, current) of each change, by its start
    for sentence in sentences(text):
        end = sentence.start + len(sentence.text)
        inside = [f for f in figures if sentence.start <= f.start < end]
        changes = [f for f in inside if f.start in phrases]
        anaphoric = bool(ANAPHORA.match(sentence.text))
        for figure in changes:
            word, kind, restated = phrases[figure.start]
            wanted_percent = kind == "points"
            candidates = [f for f in inside if f.start not in phrases and f.percent == wanted_percent]
            earlier_candidates = [f for f in earlier if f.percent == wanted_percent]
            span = (sentence.start, end)
            operands: tuple[Figure, Figure] | None
            if restated is not None and restated.start in taken:
                operands = taken[restated.start]  # "a difference of -185 (-6.4%)": the same two figures
            else:
                operands = _operands(text, span, figure, candidates, earlier_candidates, changes)
            if operands is None and anaphoric:
                operands = last.get(wanted_percent)  # "This is a change of -6.4%": the change just given
            if operands is None and restated is not None:
                after = [
                    f
                    for f in candidates
                    if f.start > restated.end and _BRACKET_TO.fullmatch(text[restated.end : f.start])
                ]
                counts = after[:1] + [f for f in candidates if f.end <= restated.start and f.is_count][::-1]
                if not counts and anaphoric:
                    counts = [f for f in earlier_candidates if f.is_count][::-1]
                options = _implied_changes(figure, word, restated, counts)
                if options and not any(option.fits() is Fit.ROUNDED for option in options):
                    directed = [option for option in options if option.fits() is Fit.DIRECTED]
                    found.append((directed or options)[0])
                continue
            if operands is None:
                continue
            base, current = operands
            last[wanted_percent] = operands
            taken[figure.start] = operands
            found.append(StatedChange(figure, kind, direction_of(word), word, base, current))
        earlier = [f for f in inside if f.start not in phrases]
    return tuple(found)


def last_sentence_figures(block: Block | None) -> tuple[Figure, ...]:
    """The figures of a paragraph's last sentence (what "This" in the next paragraph may speak of)."""
    if not isinstance(block, Paragraph):
        return ()
    last = sentences(block.text)[-1:]
    if not last:
        return ()
    start = last[0].start
    changing = change_figures(block.text, prose_figures(block.text))
    return tuple(f for f in prose_figures(block.text) if f.start >= start and f.start not in changing)
