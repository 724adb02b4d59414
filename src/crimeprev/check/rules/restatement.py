"""Figures that restate an earlier one: "Of the 19, 17 were …", "All 19 casualties …", "Two thirds (66%)".

A back-reference names a count the reader has just been given: "of the N", "of those N <noun>", "all N
<noun>", "these N <noun>". With a noun, the count it restates is the nearest earlier count followed
(within a few words) by that noun ("19 casualties of paramilitary style shootings"); without one, a
count of the sentences before it in the paragraph. The back-reference must repeat it. A figure that differs from it
by one typing slip (a digit changed, two swapped, one dropped or added) is reported with the earlier
figure as its correction — without a noun, only when no earlier count of the paragraph is the figure
and exactly one is a slip away; a figure further off is taken to refer to something else and left alone.
Earlier means the same paragraph or, with a noun, the two before it.

A proportion in words restated by a percentage in brackets ("Two thirds (66%)", "almost a third
(32%)") must be near it: within a tenth of the proportion, as its words allow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Final

from crimeprev.check.changes import change_figures
from crimeprev.check.document import Block, Document, Paragraph
from crimeprev.check.findings import Evidence, Finding, Severity, figure_finding
from crimeprev.check.number_words import APPROXIMATE, cardinal, fraction_words, in_words
from crimeprev.check.numbers import Figure, adjacent_swaps, format_expected, parse_figure, slip_distance
from crimeprev.check.prose import prose_figures, sentences
from crimeprev.check.rules.rule import Rule

__all__ = ["RULE", "check_restatements"]

RULE_NAME: Final = "restatement"
_BACK: Final = re.compile(r"\b(?:of\s+(?:the|those|these)|all(?:\s+of\s+the)?|these|those)\s+$", re.IGNORECASE)
_NOUN: Final = re.compile(r"^\s+([a-z][a-z\-]{2,})\b")
_NOT_NOUNS: Final = frozenset({"were", "was", "had", "have", "are", "is", "and", "per", "cent", "percent", "of"})
_LOOKBACK: Final = 2  # paragraphs before the one with the back-reference
_TWO_DIGITS: Final = 10  # single digits differ by one slip from every other: not compared
_OTHER_TIME: Final = re.compile(
    r"\b(?:previous|preceding|last|prior|earlier|same\s+period|year\s+before)\b", re.IGNORECASE
)
_LIST_COUNT: Final = re.compile(
    r"^\W*(?:\(?[a-z0-9]{1,3}[).]\s*)?(?:the\s+following\s+)?"
    r"(?P<n>[2-9]|1[0-2]|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<noun>[a-z][a-z\-]*s)\b",
    re.IGNORECASE,
)
_TIME_NOUNS: Final = frozenset({"days", "weeks", "months", "years", "quarters", "hours", "minutes", "times"})
_LIST_ITEM: Final = 300  # characters: a longer paragraph is not a point of a list
_DIGITS: Final = 5
_BRACKETED_PERCENT: Final = re.compile(r"^\s*\(\s*([\d.]+\s*%)\s*\)")


def _noun(text: str, figure: Figure) -> str | None:
    match = _NOUN.match(text[figure.end : figure.end + 30])
    if match is None or match[1].lower() in _NOT_NOUNS:
        return None
    return match[1].lower()


def _stem(word: str) -> str:
    return word.lower().rstrip("s")[:7]


def _followed_by(text: str, figure: Figure, noun: str) -> bool:
    words = re.findall(r"[A-Za-z\-]+", text[figure.end : figure.end + 60])[:4]
    return any(_stem(w) == _stem(noun) for w in words)


def _counts(text: str) -> list[tuple[Figure, int]]:
    """The counts of a paragraph's text with the index of their sentence (changes are not counts)."""
    figures = prose_figures(text)
    changing = change_figures(text, figures)
    spans = sentences(text)
    out = []
    for figure in figures:
        if figure.is_count and not figure.words and figure.start not in changing:
            index = max(i for i, s in enumerate(spans) if s.start <= figure.start) if spans else 0
            out.append((figure, index))
    return out


def _antecedent(
    back: Figure, noun: str | None, sentence: int, here: list[tuple[Figure, int]], text: str, before: Sequence[str]
) -> tuple[Figure, str] | None:
    """The earlier count ``back`` restates, with the text it stands in."""
    earlier = [(f, s, text) for f, s in here if s < sentence]
    if noun is not None:
        found = [(f, t) for f, _, t in earlier if _followed_by(t, f, noun)]
        if found:
            return found[-1]
        for previous in reversed(before):
            found = [(f, previous) for f, _ in _counts(previous) if _followed_by(previous, f, noun)]
            if found:
                return found[-1]
        return None
    recent = [f for f, _, _ in earlier]
    same = [f for f in recent if f.value == back.value]
    near = [f for f in recent if slip_distance(back, f.exact) == 1]
    if same or len(near) != 1:
        return (same[0], text) if same else None
    return near[0], text


def _counts_only(text: str) -> list[Figure]:
    return [f for f, _ in _counts(text)]


def _run_sums(counts: Sequence[Figure]) -> set[Fraction]:
    """The sums of every run of three or more consecutive counts of a paragraph."""
    out = set()
    for i in range(len(counts)):
        total = Fraction(0)
        for j in range(i, len(counts)):
            total += counts[j].exact
            if j - i >= 2:
                out.add(total)
    return out


def _back_references(paragraph: Paragraph, before: Sequence[str]) -> Iterator[Finding]:
    text = paragraph.text
    here = _counts(text)
    spans = sentences(text)
    for figure, sentence in here:
        if not _BACK.search(text[max(0, figure.start - 20) : figure.start]) or abs(figure.value) < _TWO_DIGITS:
            continue
        if spans and _OTHER_TIME.search(spans[sentence].text):
            continue  # "In the previous year, of the 500 searches": another period's figure
        noun = _noun(text, figure)
        found = _antecedent(figure, noun, sentence, here, text, before)
        if found is None:
            continue
        earlier, source = found
        if earlier.value == figure.value or slip_distance(figure, earlier.exact) > 1:
            continue
        what = f"the {earlier.text} {noun}" if noun else f"{earlier.text}, the count just given"
        yield figure_finding(
            paragraph.location,
            RULE_NAME,
            figure,
            earlier.exact,
            f"“{text[max(0, figure.start - 12) : figure.end].strip()}” refers back to {what}",
            evidence=(Evidence("earlier mention", earlier.text, paragraph.location if source is text else None),),
        )


def _proportions(paragraph: Paragraph) -> Iterator[Finding]:
    text = paragraph.text
    for _, value, start, end in fraction_words(text):
        bracket = _BRACKETED_PERCENT.match(text[end:])
        figure = parse_figure(bracket[1]) if bracket else None
        if figure is None or not figure.percent:
            continue
        half = Fraction(1, 2 * 10**figure.decimals)
        if abs(figure.exact - value) <= value * APPROXIMATE + half:
            continue
        yield figure_finding(
            paragraph.location,
            RULE_NAME,
            figure,
            value,
            f"“{text[start:end]}” is about {format_expected(value, figure)}, not {figure.text}",
            evidence=(Evidence("proportion in words", text[start:end], paragraph.location),),
        )


def _list_counts(blocks: Sequence[Block]) -> Iterator[Finding]:
    """ "Four indicators had been graded as amber:" followed by its list: the count must be the number
    of items. The items are the paragraphs after the colon ending with ";" (or ","), and the one after
    them ending with "." — a list written as a sentence split into points."""
    for i, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or not block.text.rstrip().endswith(":"):
            continue
        stated = _LIST_COUNT.search(block.text)
        if stated is None or stated["noun"].lower() in _TIME_NOUNS:
            continue
        items = 0
        last = ""
        for item in blocks[i + 1 :]:
            if not isinstance(item, Paragraph) or len(item.text) > _LIST_ITEM:
                break
            items, last = items + 1, item.text.rstrip()
            if not last.endswith((";", ",")):
                break
        if items < 2 or not last.endswith(".") or cardinal(stated["n"]) == items:
            continue
        yield Finding(
            location=block.location,
            rule=RULE_NAME,
            severity=Severity.ERROR,
            stated=stated["n"],
            expected=in_words(items, stated["n"]),
            message=f"“{stated.group(0).strip()}” but {items} are listed after it",
            evidence=(Evidence("points listed", str(items), blocks[i + 1].location),),
        )


def _near_duplicates(document: Document) -> Iterator[Finding]:
    """A count given twice with two digits swapped ("153,284" in a chart, "153,248" in the text): the
    one that a run of counts adds up to is right, the other is reported. Counts of five digits or more
    only, and only when one of the two is so corroborated (two different quantities may differ by a
    swap by chance; then nothing is said)."""
    mentions = [(p, f) for p in document.paragraphs for f in _counts_only(p.text)]
    sums = {s for p in document.paragraphs for s in _run_sums(_counts_only(p.text))}
    for i, (paragraph, figure) in enumerate(mentions):
        if len(str(int(figure.value))) < _DIGITS:
            continue
        for other_paragraph, other in mentions[:i]:
            if other.value == figure.value or int(other.value) not in adjacent_swaps(int(figure.value)):
                continue
            if any(f.value == figure.value for _, f in mentions[:i]):
                continue
            wrong, right, where = (
                (figure, other, paragraph)
                if Fraction(other.value) in sums and Fraction(figure.value) not in sums
                else (other, figure, other_paragraph)
                if Fraction(figure.value) in sums and Fraction(other.value) not in sums
                else (None, None, None)
            )
            if wrong is None or right is None or where is None:
                continue
            yield Finding(
                location=where.location,
                rule=RULE_NAME,
                severity=Severity.ERROR,
                stated=wrong.text,
                evidence=(
                    Evidence("mention", wrong.text, where.location),
                    Evidence(
                        "mention the figures add up to",
                        right.text,
                        (other_paragraph if where is paragraph else paragraph).location,
                    ),
                ),
                expected=right.text,
                message=(
                    f"{wrong.text} and {right.text} differ only by two swapped digits; {right.text} is the one "
                    "the figures around it add up to"
                ),
            )


def check_restatements(document: Document) -> Iterator[Finding]:
    """Check every back-reference, proportion in words, list count and near-duplicate count."""
    before: list[str] = []
    for paragraph in document.paragraphs:
        yield from _back_references(paragraph, before[-_LOOKBACK:])
        yield from _proportions(paragraph)
        before.append(paragraph.text)
    yield from _list_counts(document.blocks)
    yield from _near_duplicates(document)


RULE: Final = Rule(
    name=RULE_NAME,
    summary=(
        "back-references ('Of the 19, …'), proportions in words ('Two thirds (66%)'), list counts, "
        "counts given twice with two digits swapped"
    ),
    check=check_restatements,
)
