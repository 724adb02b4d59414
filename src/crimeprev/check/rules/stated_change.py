"""Stated changes: "a decrease of 6.4%" checked against the two figures given in the same passage.

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
given ("671 victims, 33 fewer (5%)"), the earlier one is the one the difference implies (704), and
the difference and its percentage are checked against each other: the one to correct is the smaller
slip, and a percentage that is the difference over the later figure is called the wrong base.

The change is then recomputed: (current - base) / base * 100 for a percentage, current - base for a
count or percentage points ("pts", "pp", "percentage points"), and the direction word must agree
with its sign. Where the two figures are rates printed rounded (18.9% to 17.4%), a change computed
before rounding is accepted (see :mod:`crimeprev.check.bounds`); a proportion in words is accepted
within a tenth of itself (see :mod:`crimeprev.check.number_words`). Direction words without a size
are :mod:`.direction`'s.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Final

from crimeprev.check.bounds import Bounds, fit_bounds
from crimeprev.check.document import Block, Document, Paragraph
from crimeprev.check.findings import Evidence, Finding, Severity
from crimeprev.check.number_words import word_tolerance
from crimeprev.check.numbers import (
    Figure,
    Fit,
    describe_exact,
    explain_rounding,
    fit,
    format_expected,
    slip_distance,
)
from crimeprev.check.prose import prose_figures, sentences
from crimeprev.check.rules.rule import Rule

__all__ = [
    "ANAPHORA",
    "DOWN_WORDS",
    "RULE",
    "UP_WORDS",
    "StatedChange",
    "change_figures",
    "check_stated_changes",
    "direction_of",
    "prose_evidence",
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
RULE_NAME: Final = "stated-change"
_MAX_OPTIONS: Final = 10_000  # differences a rounded percentage allows, beyond which none is singled out


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


def _wording(value: Fraction, kind: str, stated: Figure) -> str:
    magnitude = format_expected(abs(value), replace(stated, explicit_sign=False))
    unit = " percentage points" if kind == "points" and not stated.percent else ""
    if value == 0:
        return f"no change ({magnitude}{unit})"
    return f"{'an increase' if value > 0 else 'a decrease'} of {magnitude}{unit}"


def _unsigned(figure: Figure) -> Figure:
    """``figure`` without its sign (a stated change's size)."""
    return replace(figure, value=abs(figure.value))


def actual_percent(change: StatedChange) -> str:
    """The percentage the stated difference gives, in words ("3% instead")."""
    expected = change.expected()
    return "no figure" if expected is None else format_expected(abs(expected), _unsigned(change.stated))


def _slip_share(printed: Figure, correct: Fraction) -> Fraction:
    """The share of the printed digits a correction changes (1 of 3 for 170 printed as 710)."""
    digits = sum(ch.isdigit() for ch in printed.text) or 1
    return Fraction(slip_distance(printed, correct), digits)


def _wrong_base(change: StatedChange) -> bool:
    """Whether the stated percentage is the stated difference over the later figure (a percentage
    change taken on the wrong base)."""
    if change.implied_from is None:
        return False
    share = abs(change.implied_from.exact) / change.current.exact * 100
    return fit(share, _unsigned(change.stated))[0] is not Fit.WRONG


def _difference_correction(change: StatedChange) -> tuple[Fraction, int, int] | None:
    """For a stated difference and percentage that disagree (with no earlier figure given), the
    difference the percentage and the later figure call for, when correcting the difference is the
    smaller slip: "a reduction of 710 (0.4 per cent)" with 43,523 now calls for 153 to 197, and 170
    is 710 with two digits swapped."""
    difference, current, stated = change.implied_from, change.current.exact, change.signed_stated()
    expected = change.expected()
    if difference is None or expected is None:
        return None
    if _wrong_base(change):
        return None  # the percentage was taken on the later figure: the difference is right
    half = Fraction(1, 2 * 10**stated.decimals)
    x_low, x_high = (abs(stated.exact) - half) / 100, (abs(stated.exact) + half) / 100
    falling = (change.direction or (-1 if stated.value < 0 else 1)) < 0

    # Falling: x = N / (C + N), so N = x C / (1 - x); rising: x = N / (C - N), so N = x C / (1 + x).
    def bound(x: Fraction) -> Fraction:
        return x * current / (1 - x) if falling else x * current / (1 + x)

    low, high = sorted((bound(x_low), bound(x_high)))
    options = range(math.ceil(low), math.floor(high) + 1)
    if len(options) > _MAX_OPTIONS:
        return None
    best = min(options, key=lambda n: slip_distance(difference, Fraction(n)), default=None)
    if best is None or slip_distance(difference, Fraction(best)) > 1:
        return None
    if _slip_share(difference, Fraction(best)) >= _slip_share(_unsigned(stated), abs(expected)):
        return None
    return Fraction(best), options.start, options.stop - 1


def _check(paragraph: Paragraph, change: StatedChange) -> Finding | None:
    expected = change.expected()
    how = change.fits()
    if expected is None or how is None or how is Fit.ROUNDED:
        return None
    correction = _difference_correction(change) if how is Fit.WRONG else None
    if correction is not None and change.implied_from is not None:
        corrected, low, high = correction
        difference = change.implied_from
        fitting = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        return Finding(
            location=paragraph.location,
            rule=RULE_NAME,
            severity=Severity.ERROR,
            stated=difference.text,
            expected=format_expected(corrected, difference),
            evidence=_evidence(paragraph, change),
            message=(
                f"“{change.word} … {difference.text} ({change.stated.text})” with {change.current.text} now do not "
                f"agree: {difference.text} would be {actual_percent(change)}, and {change.stated.text} needs a "
                f"difference of {fitting}; {format_expected(corrected, difference)} is one typing slip from "
                f"{difference.text}"
            ),
        )
    signed = change.signed_stated()
    between = f"from {change.base.text} to {change.current.text}"
    actual = _wording(expected, change.kind, change.stated)
    wrong_way = change.direction is not None and expected != 0 and (expected > 0) != (change.direction > 0)
    if wrong_way:
        message = f"says “{change.word}” but {between} is {actual}"
    elif how is Fit.DIRECTED:
        shown = (abs(expected), change.stated) if change.direction else (expected, signed)
        message = f"“{change.word} … {change.stated.text}” {between}: {explain_rounding(*shown)}"
    else:
        exact = describe_exact(abs(expected) if change.direction else expected)
        message = f"“{change.word} … {change.stated.text}” but {between} is {actual} ({exact} before rounding)"
    if change.implied_from is not None:
        message += f"; the earlier figure, {change.base.text}, is implied by the stated {change.implied_from.text}"
        if _wrong_base(change):
            message += f" ({change.implied_from.text} is {change.stated.text} of the later figure: the wrong base)"
    expected_text = format_expected(abs(expected) if change.direction else expected, change.stated)
    return Finding(
        location=paragraph.location,
        rule=RULE_NAME,
        severity=Severity.WARNING if how is Fit.DIRECTED else Severity.ERROR,
        stated=change.stated.text,
        expected=expected_text,
        message=message,
        evidence=_evidence(paragraph, change),
    )


def prose_evidence(paragraph: Paragraph, *figures: tuple[str, Figure]) -> tuple[Evidence, ...]:
    """Evidence for figures of running text: where the paragraph is, for each printed in it; a figure
    worked out (or given in another paragraph) has no place of its own."""
    return tuple(
        Evidence(role, figure.text, paragraph.location if _printed_in(paragraph, figure) else None)
        for role, figure in figures
    )


def _printed_in(paragraph: Paragraph, figure: Figure) -> bool:
    return paragraph.text[figure.start : figure.end] == figure.text


def _evidence(paragraph: Paragraph, change: StatedChange) -> tuple[Evidence, ...]:
    pairs = [("earlier figure", change.base), ("later figure", change.current)]
    if change.implied_from is not None:
        pairs.append(("stated difference", change.implied_from))
    return prose_evidence(paragraph, *pairs)


def _last_sentence_figures(block: Block | None) -> tuple[Figure, ...]:
    """The figures of a paragraph's last sentence (what "This" in the next paragraph may speak of)."""
    if not isinstance(block, Paragraph):
        return ()
    last = sentences(block.text)[-1:]
    if not last:
        return ()
    start = last[0].start
    changing = change_figures(block.text, prose_figures(block.text))
    return tuple(f for f in prose_figures(block.text) if f.start >= start and f.start not in changing)


def check_stated_changes(document: Document) -> Iterator[Finding]:
    """Recompute every change stated in prose from the two figures it compares."""
    previous: Block | None = None
    for block in document.blocks:
        if isinstance(block, Paragraph):
            for change in stated_changes(block, _last_sentence_figures(previous)):
                finding = _check(block, change)
                if finding is not None:
                    yield finding
        previous = block


RULE: Final = Rule(
    name=RULE_NAME,
    summary="stated changes in prose ('a decrease of 6.4% compared with 2,910') recomputed from the two figures",
    check=check_stated_changes,
)
