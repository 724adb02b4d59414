"""Direction words checked against their figures: "increased from 220 to 241", "below the average".

A direction stated without its size still says which way the figures went, and a slip of one word
("an increase" for a fall) turns a paper's message round. Checked:

- a direction word with two figures and no size: "increased from 220 to 241", "down to 41.2 per cent
  from 43.0 per cent", "three incidents, down from 5" (counts in words too);
- a comparison: "60.3 crimes. This was below the average of 71.9" (above, below, higher than, lower
  than, greater than), A being the last figure before the word in the sentence, or of the sentence
  before for one that opens with "This", "That" or "It";
- a trend contradicted by its own clause: "on a downward trend, having increased by 27%";
- a direction stated for things whose figures come next: "a decrease in the numbers of bombings,
  shootings … compared to the previous year", then "15 bombing incidents compared to 18", reported
  when every pair found goes the other way.

Figures that cannot be told apart within their own rounding (8.9% and 8.9%) name no direction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from crimeprev.check.bounds import Bounds
from crimeprev.check.changes import (
    ANAPHORA,
    DOWN_WORDS,
    UP_WORDS,
    change_figures,
    direction_of,
)
from crimeprev.check.document import Document, Paragraph
from crimeprev.check.findings import Finding, Severity, prose_evidence
from crimeprev.check.number_words import find_word_counts
from crimeprev.check.numbers import Figure
from crimeprev.check.prose import prose_figures, sentences
from crimeprev.check.rules.rule import Rule

__all__ = ["RULE", "check_direction_words", "comparison_words", "direction_words"]

RULE_NAME: Final = "direction-word"
_MOVE = rf"(?P<word>{UP_WORDS}|{DOWN_WORDS}|increase|decrease|reduction|rise|fall|drop|decline)"
_WORD_FROM: Final = re.compile(rf"\b{_MOVE}\s+(?:[a-z]+\s+){{0,2}}?from\s+$", re.IGNORECASE)
_WORD_TO: Final = re.compile(rf"\b{_MOVE}\s+(?:[a-z]+\s+){{0,2}}?to\s+$", re.IGNORECASE)
_PAIR_TO: Final = re.compile(r"\s*(?:[a-z]+\s+){0,3}?to\s+", re.IGNORECASE)
_PAIR_FROM: Final = re.compile(r"\s*(?:[a-z]+\s+){0,3}?from\s+", re.IGNORECASE)
_WORD_BETWEEN: Final = re.compile(
    rf"\s*(?:[a-z]+\s*){{0,3}}?[—–,;-]?\s*(?P<word>{UP_WORDS}|{DOWN_WORDS})\s+from\s+", re.IGNORECASE
)
_COMPARED_WORD: Final = re.compile(
    r"\b(?P<word>above|below|higher\s+than|lower\s+than|greater\s+than)\b", re.IGNORECASE
)
_TREND: Final = re.compile(
    rf"\b(?P<trend>downward|decreasing|declining|falling|upward|increasing|rising)\s+trend\b[^.;]*?,\s*having\s+"
    rf"(?P<word>{UP_WORDS}|{DOWN_WORDS})\b",
    re.IGNORECASE,
)
_DIRECTION_OF_THINGS: Final = re.compile(
    r"\b(?P<word>increase|decrease|rise|fall|reduction|drop)\s+in\s+the\s+(?:numbers?|levels?|volumes?)\s+of\s+"
    r"(?P<things>[a-z][a-z ,\-]*?)\s+(?:compared|on\s+the|since|from)\b",
    re.IGNORECASE,
)


def direction_words(paragraph: Paragraph) -> Iterator[tuple[str, int, Figure, Figure]]:
    """(word, direction, earlier, later) for each direction word given with two figures and no size:
    "increased from 220 to 241", "down to 41.2 per cent from 43.0 per cent", "fell to 429 from 484"."""
    text = paragraph.text
    figures = sorted((*(f for f in prose_figures(text) if not f.words), *find_word_counts(text)), key=lambda f: f.start)
    for a, b in itertools.pairwise(figures):
        if a.percent != b.percent:
            continue
        between = text[a.end : b.start]
        before = text[max(0, a.start - 40) : a.start]
        if _PAIR_TO.fullmatch(between) and (m := _WORD_FROM.search(before)):
            yield m["word"], direction_of(m["word"]) or 0, a, b
        elif _PAIR_FROM.fullmatch(between) and (m := _WORD_TO.search(before)):
            yield m["word"], direction_of(m["word"]) or 0, b, a
        elif m := _WORD_BETWEEN.fullmatch(between):
            yield m["word"], direction_of(m["word"]) or 0, b, a  # "three incidents, down from 5"


def comparison_words(paragraph: Paragraph) -> Iterator[tuple[str, int, Figure, Figure]]:
    """(word, direction, other, figure) for "A … above / below / higher than / lower than … B": A
    stands on the side of B the word says ("60.3 crimes. This was below the average of 71.9"). A is
    the last figure before the word in the sentence, or of the sentence before for one that opens
    with "This", "That" or "It"."""
    text = paragraph.text
    figures = [f for f in prose_figures(text) if not f.words]
    changing = change_figures(text, tuple(figures))
    plain = [f for f in figures if f.start not in changing]
    spans = sentences(text)
    for i, sentence in enumerate(spans):
        end = sentence.start + len(sentence.text)
        for m in _COMPARED_WORD.finditer(text, sentence.start, end):
            after = [f for f in plain if m.end() <= f.start < min(end, m.end() + 80)]
            before = [f for f in plain if sentence.start <= f.start < m.start()]
            if not before and i and ANAPHORA.match(sentence.text):
                before = [f for f in plain if spans[i - 1].start <= f.start < sentence.start]
            if after and before and after[0].percent == before[-1].percent:
                word = m["word"]
                yield word, 1 if word.lower().startswith(("above", "higher", "greater")) else -1, after[0], before[-1]


def _check_direction(
    paragraph: Paragraph, word: str, direction: int, earlier: Figure, later: Figure, *, compared: bool = False
) -> Finding | None:
    """A direction word against its two figures: ``later`` should be on the side of ``earlier`` the
    word says (for ``compared``, ``later`` is the figure said to be above or below ``earlier``)."""
    change = Bounds.of(later).minus(Bounds.of(earlier))
    if direction == 0 or change.low <= 0 <= change.high or (change.value > 0) == (direction > 0):
        return None
    if compared:
        right = "above" if change.value > 0 else "below"
        message = f"says “{word}” but {later.text} is {right} {earlier.text}"
    else:
        right = "an increase" if change.value > 0 else "a decrease"
        message = f"says “{word}” but from {earlier.text} to {later.text} is {right}"
    return Finding(
        location=paragraph.location,
        rule=RULE_NAME,
        severity=Severity.ERROR,
        stated=word,
        expected=right,
        message=message,
        evidence=prose_evidence(paragraph, ("earlier figure", earlier), ("later figure", later)),
    )


def _trend_contradictions(paragraph: Paragraph) -> Iterator[Finding]:
    """ "On a downward trend, having increased by 27%": a clause elaborating a trend with a change of
    the opposite direction."""
    for m in _TREND.finditer(paragraph.text):
        trend = 1 if m["trend"].lower().startswith(("up", "increas", "ris")) else -1
        direction = direction_of(m["word"])
        if direction is None or direction == trend:
            continue
        yield Finding(
            location=paragraph.location,
            rule=RULE_NAME,
            severity=Severity.ERROR,
            stated=m["word"],
            expected="decreased" if trend < 0 else "increased",
            message=f"“{m['trend']} trend” but “having {m['word']}”: the two directions contradict each other",
        )


def _figures_later(document: Document) -> Iterator[Finding]:
    """ "There was a decrease in the numbers of bombings, shootings … compared to the previous year",
    then "There were 15 bombing incidents compared to 18 in the previous year": a direction stated
    without figures is checked against the figures given for the same things in the next sentences
    (the same paragraph or the two after it). Reported when every pair found goes the other way."""
    paragraphs = document.paragraphs
    for i, paragraph in enumerate(paragraphs):
        for m in _DIRECTION_OF_THINGS.finditer(paragraph.text):
            direction = direction_of(m["word"])
            things = [t.split()[-1] for t in re.split(r",|\band\b", m["things"]) if t.split()]
            later = " ".join([paragraph.text[m.end() :], *(p.text for p in paragraphs[i + 1 : i + 3])])
            pairs = [
                (Decimal(a.replace(",", "")), Decimal(b.replace(",", "")))
                for thing in things
                for a, b in re.findall(
                    rf"\b([\d,]+)\s+(?:[a-z]+\s+){{0,2}}?{re.escape(_stem_of(thing))}\w*[^.]{{0,60}}?"
                    r"compared\s+(?:to|with)\s+([\d,]+)",
                    later,
                    re.IGNORECASE,
                )
            ]
            if direction is None or not pairs or any((now > before) == (direction > 0) for now, before in pairs):
                continue
            shown = ", ".join(f"{now:,} against {before:,}" for now, before in pairs)
            yield Finding(
                location=paragraph.location,
                rule=RULE_NAME,
                severity=Severity.ERROR,
                stated=m["word"],
                expected="a decrease" if direction > 0 else "an increase",
                message=f"says “{m['word']}” but the figures given for them go the other way ({shown})",
            )


def _stem_of(word: str) -> str:
    return word.lower().rstrip("s")


def check_direction_words(document: Document) -> Iterator[Finding]:
    """Check every direction word given with figures (see the module docstring)."""
    for paragraph in document.paragraphs:
        for word, direction, earlier, later in direction_words(paragraph):
            finding = _check_direction(paragraph, word, direction, earlier, later)
            if finding is not None:
                yield finding
        for word, direction, other, figure in comparison_words(paragraph):
            finding = _check_direction(paragraph, word, direction, other, figure, compared=True)
            if finding is not None:
                yield finding
        yield from _trend_contradictions(paragraph)
    yield from _figures_later(document)


RULE: Final = Rule(
    name=RULE_NAME,
    summary="direction words against their figures ('increased from 220 to 241', 'below the average of 71.9')",
    check=check_direction_words,
)
