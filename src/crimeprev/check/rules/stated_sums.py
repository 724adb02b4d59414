"""Sums stated in prose, and totals stated in prose for the table they summarise.

Prose sums: a list of counts joined by "and", commas or "plus", with their sum in brackets after it
("412 crimes and 95 incidents (507)") or before it ("1,007 (824 crimes and 183 incidents)"), or
followed by "a total of N" / "totalling N" / "making N". Each item is a count with at most a few words
after it.

Stated totals: a paragraph just before or after a table (a caption or heading may stand between) that
says "a total of N", "totalled N" or "N in total" (and is not the sum of a list in the same
sentence) is checked against the table: N should be one of its totals (a figure in the table, or the
sum of a column, a row or the whole body). A figure not near any of the totals (more than half as
large again, or less than half) is taken to be about something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from crimeprev.check.changes import change_figures
from crimeprev.check.comparisons import column_roles
from crimeprev.check.document import Document, Heading, Paragraph, Table
from crimeprev.check.findings import Evidence, Finding, figure_finding, prose_evidence
from crimeprev.check.numbers import BLANK, Figure, Fit, adjacent_swaps, fit, format_expected, slip_distance
from crimeprev.check.prose import mask_periods, prose_figures, sentences
from crimeprev.check.rules.rule import Rule
from crimeprev.check.sums import sum_relations
from crimeprev.check.tables import TableView, read_table

__all__ = ["RULE", "ProseSum", "check_stated_sums", "prose_sums", "stated_table_totals"]

_CONNECTOR: Final = re.compile(
    r"^(?:[\s,]|[A-Za-z][\w\-’']*)*?(?:,|\band\b|\bplus\b|&)\s*(?:a\s+further\s+|another\s+)?$"
)
_ITEM_WORDS: Final = re.compile(r"^(?:\s+[A-Za-z][\w\-’']*){0,5}\s*$")
_OPEN: Final = re.compile(
    r"^(?:\s+[A-Za-z][\w\-’']*){0,5}?\s*\(\s*(?:a\s+total\s+of\s+|total(?:ling)?:?\s+|in\s+total\s+)?$", re.I
)
_CLOSE: Final = re.compile(r"^\s*(?:in\s+total|total|overall|combined|altogether)?\s*\)")
_AFTER_LIST: Final = re.compile(
    r"^(?:\s+[A-Za-z][\w\-’']*){0,8}?\s*[,;(]?\s*(?:a\s+total\s+of|totall?ing|totall?ed|making(?:\s+a\s+total\s+of)?|"
    r"in\s+total|=)\s*$",
    re.IGNORECASE,
)
_STATED_TOTAL: Final = re.compile(
    r"(?:\b(?:a|the)\s+total\s+of|\btotall?ed|\btotall?ing|\btotal\s+(?:was|is|of|stood\s+at))\s*$", re.IGNORECASE
)
_IN_TOTAL: Final = re.compile(r"^(?:\s+[A-Za-z][\w\-’']*){0,4}?\s+in\s+total\b", re.IGNORECASE)
_COMPARED: Final = re.compile(
    r"\b(?:compared|against|versus|vs|from|last|previous|previously|before|prior|same\s+period)\b", re.IGNORECASE
)
_OF_WHICH: Final = re.compile(r"^\s+of\s+(?:which|whom)\b", re.IGNORECASE)
RULE_NAME: Final = "stated-sum"


@dataclass(frozen=True)
class ProseSum:
    """Counts stated in prose and the sum stated for them."""

    items: tuple[Figure, ...]
    total: Figure
    complete: bool = True  # False: the parts may be a selection ("N of which …, M of which …")

    def fits(self) -> Fit:
        return fit(sum((f.exact for f in self.items), Fraction(0)), self.total)[0]


def _list_ending_at(text: str, counts: Sequence[Figure], last: int) -> list[Figure]:
    """The counts of a list whose last item is ``counts[last]`` (walking back over connectors)."""
    items = [counts[last]]
    i = last
    while i > 0:
        between = text[counts[i - 1].end : counts[i].start]
        if not _CONNECTOR.match(between) or len(between.split()) > 7 or "(" in between or ")" in between:
            break
        items.insert(0, counts[i - 1])
        i -= 1
    return items


def _of_which_items(text: str, counts: Sequence[Figure]) -> list[Figure] | None:
    """The parts of "92 incidents - 2 of which related to disability, 74 of which … and 1 of which …":
    counts followed by "of which" / "of whom", the last joined by "and". Such a list may be a
    selection of the whole: it is reported only when its parts add up to more than the whole, or miss
    it by one typing slip in the total or two digits swapped in a part."""
    items = [f for f in counts if _OF_WHICH.match(text[f.end : f.end + 20])]
    if len(items) < 2 or not re.search(r"\band\s+$", text[items[-2].end : items[-1].start][-40:]):
        return None
    return items


def prose_sums(paragraph: Paragraph) -> tuple[ProseSum, ...]:
    """Every sum stated for a list of counts in ``paragraph``."""
    text = mask_periods(paragraph.text)
    figures = prose_figures(paragraph.text)
    changing = change_figures(paragraph.text, figures)
    found: list[ProseSum] = []
    for sentence in sentences(text):
        end = sentence.start + len(sentence.text)
        counts = [f for f in figures if sentence.start <= f.start < end and not f.percent and f.start not in changing]
        for k, total in enumerate(counts):
            if k >= 2 and (
                (_OPEN.match(text[counts[k - 1].end : total.start]) and _CLOSE.match(text[total.end :]))
                or _AFTER_LIST.match(text[counts[k - 1].end : total.start])
            ):
                items = _list_ending_at(text, counts, k - 1)
                if len(items) >= 2:
                    found.append(ProseSum(tuple(items), total))
                    continue
            parts = _of_which_items(text, counts)
            if parts and total is max(
                (f for f in counts if f.end <= parts[0].start), key=lambda f: f.start, default=None
            ):
                found.append(ProseSum(tuple(parts), total, complete=False))
                continue
            opening = text[total.end : total.end + 80]
            bracket = re.match(r"^(?:\s+[A-Za-z][\w\-’']*){0,5}?\s*\(", opening)
            if bracket is None:
                continue
            close = text.find(")", total.end + bracket.end())
            inner = [f for f in counts[k + 1 :] if f.end <= close]
            if inner and _COMPARED.search(text[total.end + bracket.end() : inner[0].start]):
                continue  # "800 approved (compared to 1,000 applications and 700 approved)": figures of another time
            if len(inner) >= 2 and len(inner) == len([f for f in figures if total.end < f.start < close]):
                items = _list_ending_at(text, inner, len(inner) - 1)
                if len(items) == len(inner) and _ITEM_WORDS.match(text[items[-1].end : close]):
                    found.append(ProseSum(tuple(items), total))
    return tuple(found)


def _table_totals(view: TableView) -> tuple[set[Fraction], set[Fraction]]:
    """(what a paragraph may quote for ``view``, the table's totals).

    The totals are its totals cells and the sums of each column, each row and the whole body; a
    paragraph may also quote any single figure of the table.
    """
    totals: set[Fraction] = set()
    for rel in sum_relations(view):
        figure = view.figure(*rel.total)
        if figure is not None:
            totals.add(figure.exact)
    cells = {f.exact for r in view.body for c in range(view.width) if (f := view.figure(r, c)) is not None}
    rows = [r for r in view.body if r not in view.total_rows()]
    roles = column_roles(view)
    columns = [c for c in view.value_columns() if c not in view.total_columns() and roles.get(c) == "value"]
    grid: dict[tuple[int, int], Fraction] = {}
    for r in rows:
        for c in columns:
            value = view.value(r, c)
            if isinstance(value, Figure):
                grid[(r, c)] = value.exact
            elif value is BLANK:
                grid[(r, c)] = Fraction(0)
    for c in columns:
        totals.add(sum((v for (r, cc), v in grid.items() if cc == c), Fraction(0)))
    for r in rows:
        totals.add(sum((v for (rr, c), v in grid.items() if rr == r), Fraction(0)))
    totals.add(sum(grid.values(), Fraction(0)))
    return cells | totals, totals


def _neighbour_tables(document: Document, index: int) -> list[Table]:
    """Tables next to block ``index`` (a caption paragraph or a heading may stand between)."""
    blocks = document.blocks
    found: list[Table] = []
    for step in (-1, 1):
        j = index + step
        hops = 0
        while 0 <= j < len(blocks) and hops < 2:
            block = blocks[j]
            if isinstance(block, Table):
                found.append(block)
                break
            if isinstance(block, Heading) or (isinstance(block, Paragraph) and len(block.text) <= 120):
                j += step
                hops += 1
                continue
            break
    return found


def stated_table_totals(
    document: Document,
) -> Iterator[tuple[Paragraph, Figure, Table, tuple[set[Fraction], set[Fraction]]]]:
    """(paragraph, stated total, table, (what it may quote, its totals)) for totals stated next to a table."""
    for index, block in enumerate(document.blocks):
        if not isinstance(block, Paragraph):
            continue
        tables = _neighbour_tables(document, index)
        if not tables:
            continue
        text = block.text
        summed = {s.total.start for s in prose_sums(block)}
        for figure in prose_figures(text):
            if figure.percent or figure.start in summed:
                continue
            if not (
                _STATED_TOTAL.search(text[max(0, figure.start - 30) : figure.start])
                or _IN_TOTAL.match(text[figure.end :])
            ):
                continue
            for table in tables:
                yield block, figure, table, _table_totals(read_table(table))


def _sum_evidence(paragraph: Paragraph, stated: ProseSum) -> tuple[Evidence, ...]:
    return prose_evidence(paragraph, ("total", stated.total), *(("part", f) for f in stated.items))


def _mistyped_part(stated: ProseSum, value: Fraction) -> tuple[Figure, Fraction] | None:
    """The one part of a wrong sum whose correction is two digits swapped (74 printed 47), where
    correcting the total would take more than one slip: that part, and what it should be."""
    if slip_distance(stated.total, value) <= 1:
        return None
    found = []
    for item in stated.items:
        correct = stated.total.exact - (value - item.exact)
        if correct <= 0 or correct.denominator != 1 or not item.is_count or correct == item.exact:
            continue
        if correct.numerator in adjacent_swaps(int(item.value)):
            found.append((item, correct))
    return found[0] if len(found) == 1 else None


def check_stated_sums(document: Document) -> Iterator[Finding]:
    """Check sums stated in prose, and totals stated for a neighbouring table."""
    for paragraph in document.paragraphs:
        for stated in prose_sums(paragraph):
            how = stated.fits()
            if how is Fit.ROUNDED:
                continue
            value = sum((f.exact for f in stated.items), Fraction(0))
            items = " + ".join(f.text for f in stated.items)
            part = _mistyped_part(stated, value)
            partial = not stated.complete and part is None and value < stated.total.exact
            if partial and slip_distance(stated.total, value) > 1:
                continue  # "120 burglaries, 30 of which … and 20 of which …": a selection, not the whole
            if part is not None:
                figure, correct = part
                yield figure_finding(
                    paragraph.location,
                    RULE_NAME,
                    figure,
                    correct,
                    (
                        f"{items} is {format_expected(value, stated.total)}, not {stated.total.text}; "
                        f"{format_expected(correct, figure)} in place of {figure.text} (two digits swapped) "
                        "would make the total right"
                    ),
                    evidence=_sum_evidence(paragraph, stated),
                )
                continue
            yield figure_finding(
                paragraph.location,
                RULE_NAME,
                stated.total,
                value,
                f"{items} is {format_expected(value, stated.total)}, not {stated.total.text}",
                directed=how is Fit.DIRECTED,
                evidence=_sum_evidence(paragraph, stated),
            )
    for paragraph, figure, table, (quotable, totals) in stated_table_totals(document):
        if not totals or any(fit(t, figure)[0] is not Fit.WRONG for t in quotable):
            continue
        nearest = min(totals, key=lambda t: abs(t - figure.exact))
        if nearest <= 0 or not (nearest / 2 <= figure.exact <= nearest * Fraction(3, 2)):
            continue
        yield figure_finding(
            paragraph.location,
            RULE_NAME,
            figure,
            nearest,
            (
                f"the total stated here, {figure.text}, is not a total of {table.location.kind} "
                f"{table.location.index}; the nearest is {format_expected(nearest, figure)}"
            ),
            related=(table.location,),
        )


RULE: Final = Rule(
    name=RULE_NAME,
    summary="sums stated in prose ('412 crimes and 95 incidents (507)') and totals stated for a table",
    check=check_stated_sums,
)
