"""Part-of-whole statements in prose: "312 of these … equates to 41.6% of the 750 recorded".

A percentage that is not a change is checked when the same sentence ties it to a part and a whole:
the whole is a count after "of (the)", "out of" or "from"; the part is a count followed by "of these
/ of them / of which / of the / out of", or linked to the percentage ("312 (41.6%)", "312, or 41.6%",
"312, which equates to 41.6%"). "Of these" with no whole in the sentence takes the whole from the
sentence before. The percentage must be part / whole * 100 under an ordinary rounding for at least one
part and whole so tied; otherwise the nearest pair is reported.

Also checked: a rate named by a noun ("the arrest rate … 13%") against the count before that noun
and the whole of its sentence ("Of those 526,024 searches, 66,772 led to an arrest"); shares of one
whole listed after "accounting for x% of all …" (they cannot add up to more than 100%, and when they
make up the whole, "each of the five … groups" must be their number).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from crimeprev.check.changes import change_figures
from crimeprev.check.document import Document, Paragraph
from crimeprev.check.findings import Evidence, Finding, Severity, figure_finding, prose_evidence
from crimeprev.check.number_words import cardinal
from crimeprev.check.numbers import Figure, Fit, adjacent_swaps, explain_rounding, fit, format_expected, parse_figure
from crimeprev.check.prose import prose_figures, sentences
from crimeprev.check.rules.rule import Rule

__all__ = ["RULE", "PartOfWhole", "check_parts_of_whole", "parts_of_whole"]

_WHOLE_BEFORE: Final = re.compile(
    r"\b(?:of|out\s+of|from)\s+(?:the\s+|all\s+|these\s+|those\s+|a\s+total\s+of\s+|the\s+total\s+of\s+)?$",
    re.IGNORECASE,
)
_PART_AFTER: Final = re.compile(
    r"^\s*(?:[A-Za-z\-]+\s+){0,3}?(?:of\s+(?:these|them|which|those|the|all|this)|out\s+of)\b", re.IGNORECASE
)
_LINK: Final = re.compile(
    r"^[\s,(]*(?:or\s+|i\.e\.\s+|which\s+(?:is|was|equates\s+to|represents)\s+|equat\w*\s+to\s+|represent\w*\s+|"
    r"making\s+up\s+|accounting\s+for\s+|=\s*)?(?:[A-Za-z\-]+\s+){0,3}?(?:equat\w*\s+to\s+|represent\w*\s+)?$",
    re.IGNORECASE,
)
_BACK_REFERENCE: Final = re.compile(r"\bof\s+(?:these|them|which|those)\b", re.IGNORECASE)
RULE_NAME: Final = "part-of-whole"
_REACH: Final = 200  # characters
_NAMED_RATE: Final = re.compile(
    r"\b(?P<noun>[a-z]+)\s+rate\s+(?:(?:increased|decreased|rose|fell|went\s+up|went\s+down)\s+from\s+[\d.]+\s*%\s+to|"
    r"(?:was|is|of|stood\s+at))\s+(?P<rate>[\d.]+\s*%)",
    re.IGNORECASE,
)
_OF_THOSE: Final = re.compile(r"\bof\s+(?:those|these|the)\s+([\d,]+)\b", re.IGNORECASE)
_ACCOUNTING: Final = re.compile(r"\b(?:accounting|accounted|accounts)\s+for\s+[\d.]+\s*%\s+of\s+all\b", re.IGNORECASE)
_LISTED: Final = 3
# A share in a list: "Other crimes (25%)" — not "rose (12%)" (a change) and not "(55%) of …" (another whole).
_LISTED_SHARE: Final = re.compile(
    r"(?<!rose)(?<!fell)(?<!up)(?<!down)(?<!increase)(?<!decrease)(?<!increased)(?<!decreased)\s*\(\s*$",
    re.IGNORECASE,
)
_OF: Final = re.compile(r"^\s*\)?\s*of\b", re.IGNORECASE)
_GROUP_COUNT: Final = re.compile(
    r"\beach\s+of\s+the\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:[a-z]+\s+)?(?:groups|categories|types|classes)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PartOfWhole:
    """A percentage with the parts and wholes its sentence ties it to."""

    percent: Figure
    parts: tuple[Figure, ...]
    wholes: tuple[Figure, ...]

    def best(self) -> tuple[Fit, Figure, Figure] | None:
        """The best-fitting (fit, part, whole), preferring an ordinary rounding."""
        ranked: list[tuple[int, int, Fit, Figure, Figure]] = []
        for part in self.parts:
            for whole in self.wholes:
                if whole.exact <= 0 or part is whole:
                    continue
                how = fit(part.exact / whole.exact * 100, self.percent)[0]
                order = {Fit.ROUNDED: 0, Fit.DIRECTED: 1, Fit.WRONG: 2}[how]
                distance = abs(part.start - self.percent.start) + abs(whole.start - self.percent.start)
                ranked.append((order, distance, how, part, whole))
        if not ranked:
            return None
        _, _, how, part, whole = min(ranked, key=lambda x: (x[0], x[1]))
        return how, part, whole


def _near(figures: list[Figure], whole: Figure, percent: Figure) -> bool:
    """Whether ``whole`` can be the whole of ``percent``: within a couple of lines of it, and no other
    percentage stands between them (a list of figures is not one statement)."""
    low, high = sorted((whole.start, percent.start))
    between = [f for f in figures if f.percent and low < f.start < high and f is not percent]
    return high - low <= _REACH and not between


def parts_of_whole(paragraph: Paragraph) -> tuple[PartOfWhole, ...]:
    """Every percentage of ``paragraph`` tied to a part and a whole."""
    text = paragraph.text
    figures = prose_figures(text)
    changing = change_figures(text, figures)
    found: list[PartOfWhole] = []
    previous: list[Figure] = []
    for sentence in sentences(text):
        end = sentence.start + len(sentence.text)
        inside = [f for f in figures if sentence.start <= f.start < end and f.start not in changing]
        counts = [f for f in inside if not f.percent]
        wholes = [f for f in counts if _WHOLE_BEFORE.search(text[max(sentence.start, f.start - 30) : f.start])]
        for percent in (f for f in inside if f.percent):
            parts = [
                f
                for f in counts
                if f not in wholes
                and (
                    _PART_AFTER.match(text[f.end : min(end, f.end + 40)])
                    or (f.end <= percent.start and _LINK.match(text[f.end : percent.start]))
                    or (percent.end <= f.start and _LINK.match(text[percent.end : f.start]))
                )
            ]
            candidates = [w for w in wholes if _near(inside, w, percent)]
            back = _BACK_REFERENCE.search(text, sentence.start, end)
            if not candidates and back:
                candidates = [f for f in counts if f.end <= back.start()] or [f for f in previous if not f.percent]
            if parts and candidates:
                found.append(PartOfWhole(percent, tuple(parts), tuple(candidates)))
        previous = inside
    return tuple(found)


def _named_rates(paragraph: Paragraph, before: str) -> Iterator[Finding]:
    """ "Of those 526,024 searches, 66,772 led to an arrest. … the arrest rate increased from 11% to
    13%": a rate named by a noun ("arrest rate") is the count followed by that noun over the whole
    its sentence gives ("of those N"), in the same paragraph or the one before."""
    text = paragraph.text
    for m in _NAMED_RATE.finditer(text):
        rate = parse_figure(m["rate"])
        if rate is None:
            continue
        context = f"{before} {text[: m.start()]}"
        found = None
        for sentence in reversed(sentences(context)):  # the nearest sentence giving both
            whole = _OF_THOSE.search(sentence.text)
            part = re.search(rf"\b([\d,]+)\s+(?:[a-z]+\s+){{0,4}}?{m['noun']}s?\b", sentence.text, re.IGNORECASE)
            if whole is not None and part is not None:
                found = whole, part, sentence.start > len(before)
                break
        if found is None:
            continue
        whole, part, here = found
        total, count = Fraction(whole[1].replace(",", "")), Fraction(part[1].replace(",", ""))
        if total <= 0 or count == total:
            continue
        exact = count / total * 100
        how = fit(exact, rate)[0]
        if how is not Fit.ROUNDED:
            where = paragraph.location if here else None  # else in the paragraph before
            yield figure_finding(
                paragraph.location,
                RULE_NAME,
                rate,
                exact,
                f"the {m['noun']} rate is {part[1]} of {whole[1]}: {explain_rounding(exact, rate)}",
                directed=how is Fit.DIRECTED,
                evidence=(Evidence("part", part[1], where), Evidence("whole", whole[1], where)),
            )


def _listed_shares(paragraph: Paragraph) -> Iterator[Finding]:
    """ "… accounting for 46% of all recorded crime. This was followed by Other crimes (25%), …
    (19%), … (5%) and … (3%)": shares of one whole, in the sentence that says so and the next, cannot
    add up to more than 100% (and half a point for each, for rounding); a bracketed change ("rose
    (12%)") or a share of another whole ("(55%) of acquisitive offences") is not one of them. The
    share at fault is the one whose two digits, swapped back, bring the sum within 100%; with no
    such single share, the sum is reported at the first. Shares that make up the whole (100%, within
    rounding) tell how many groups there are: "each of the five crime groups" must then be their
    number."""
    text = paragraph.text
    anchor = _ACCOUNTING.search(text)
    if anchor is None:
        return
    spans = [s for s in sentences(text) if s.start + len(s.text) > anchor.start()][:2]  # its sentence and the next
    end = spans[-1].start + len(spans[-1].text) if spans else len(text)
    shares = [f for f in prose_figures(text) if f.percent and anchor.start() <= f.start < end]
    listed = [
        shares[0],
        *(f for f in shares[1:] if _LISTED_SHARE.search(text[: f.start]) and not _OF.match(text[f.end :])),
    ]
    listed = listed if shares else []
    if len(listed) < _LISTED:
        return
    total = sum((f.exact for f in listed), Fraction(0))
    slack = Fraction(len(listed), 2) * Fraction(1, 10 ** max(f.decimals for f in listed))
    ceiling = 100 + slack
    if total <= ceiling:
        groups = _GROUP_COUNT.search(text)
        if groups is not None and total >= 100 - slack and cardinal(groups["n"]) not in (None, len(listed)):
            yield Finding(
                location=paragraph.location,
                rule=RULE_NAME,
                severity=Severity.ERROR,
                stated=groups["n"],
                evidence=prose_evidence(paragraph, *(("share", f) for f in listed)),
                expected=str(len(listed)),
                message=(
                    f"“{groups.group(0)}” but {len(listed)} shares are given, and they make up the whole "
                    f"({' + '.join(f.text for f in listed)})"
                ),
            )
        return
    fixes = []
    for f in listed:
        for swapped in adjacent_swaps(int(f.value)) if f.decimals == 0 else ():
            if total - f.exact + swapped <= ceiling:
                fixes.append((f, Fraction(swapped)))
    wrong, correct = fixes[0] if len(fixes) == 1 else (listed[0], None)
    yield Finding(
        location=paragraph.location,
        rule=RULE_NAME,
        severity=Severity.ERROR,
        stated=wrong.text,
        evidence=prose_evidence(paragraph, *(("share", f) for f in listed)),
        expected=format_expected(correct, wrong) if correct is not None else None,
        message=(
            f"the shares {' + '.join(f.text for f in listed)} of one whole add up to {format_expected(total, wrong)}"
            + (f"; {format_expected(correct, wrong)} for {wrong.text} would fit" if correct is not None else "")
        ),
    )


def check_parts_of_whole(document: Document) -> Iterator[Finding]:
    """Recompute every percentage stated as a part of a whole in prose."""
    before = ""
    for paragraph in document.paragraphs:
        yield from _named_rates(paragraph, before)
        yield from _listed_shares(paragraph)
        before = paragraph.text
        for statement in parts_of_whole(paragraph):
            best = statement.best()
            if best is None or best[0] is Fit.ROUNDED:
                continue
            how, part, whole = best
            share = Fraction(part.exact) / whole.exact * 100
            yield figure_finding(
                paragraph.location,
                RULE_NAME,
                statement.percent,
                share,
                f"{part.text} of {whole.text}: {explain_rounding(share, statement.percent)}",
                directed=how is Fit.DIRECTED,
                evidence=prose_evidence(paragraph, ("part", part), ("whole", whole)),
            )


RULE: Final = Rule(
    name=RULE_NAME,
    summary="part-of-whole percentages in prose ('312 of these … 41.6% of the 750') recomputed",
    check=check_parts_of_whole,
)
