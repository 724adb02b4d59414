"""The same measure for the same period printed with different values in different places.

A measure is named by a table row's label under a column that names a period ("Knife crime offences"
under "12 Month ending Mar 24"), or by a sentence: "Knife crime offences numbered 2,725 in the 12
months to March 2024, compared with 2,910 in the previous 12 months" names the measure for two
periods (the relative one resolved against the other). Labels match when they are the same words
(case, punctuation and a leading "the" or "number of" aside), or when a table's label ends a
sentence's ("across Essex knife crime offences" and "Knife crime offences"); periods match when they
cover the same months, however named. A percentage (a rate or share) and a count are never the same
measure.

A breakdown table — one whose caption reads "<measure> by <category>" ("Knife crime offences by
community safety partnership area", "Domestic abuse solved rate by risk level") — gives in each row a
part of its measure, not a measure of its own: "Rochford" there is Rochford's knife crime, which a
"Rochford" row of a burglary breakdown does not contradict. Its rows match only the same row of a
breakdown of the same measure.

Which mention is wrong? A mention is *corroborated* when the arithmetic around it holds (its
comparison row, its sums, its stated change) and *suspect* when that arithmetic fails. The mentions
that disagree with the best-corroborated value, or else with the majority, are errors. When two
corroborated mentions disagree, each is consistent where it stands: the report most likely uses two
definitions of the measure without saying so, and that is a warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from crimeprev.check.changes import change_figures, stated_changes
from crimeprev.check.comparisons import column_roles, find_comparisons, row_fits
from crimeprev.check.document import Document, Location, Paragraph, Table
from crimeprev.check.findings import Finding, Severity
from crimeprev.check.numbers import Figure, Fit
from crimeprev.check.periods import Period, PeriodMention, find_periods
from crimeprev.check.prose import prose_figures, sentences
from crimeprev.check.rules.rule import Rule
from crimeprev.check.rules.totals import check_table_totals
from crimeprev.check.sums import trusted_cells
from crimeprev.check.tables import TableView, is_total_label, read_table

__all__ = ["RULE", "Mention", "breakdown_of", "check_consistency", "measure_key", "mentions"]

_WORD = r"[A-Za-z][\w\-’']*"
_LABEL_AFTER: Final = re.compile(
    rf"^\s+(?P<label>{_WORD}(?:\s+{_WORD}){{0,6}}?)\s+(?:were|was|have\s+been|had\s+been|recorded|reported|"
    rf"in|during|over|for|across)\b",
    re.IGNORECASE,
)
_LABEL_BEFORE: Final = re.compile(
    rf"(?P<label>{_WORD}(?:[\s\-]+{_WORD}){{0,7}}?)\s+(?:numbered|totalled|totaled|stood\s+at|was|were|reached|"
    rf"fell\s+to|rose\s+to|increased\s+to|decreased\s+to|dropped\s+to|amounted\s+to|came\s+to|of)\s*$",
    re.IGNORECASE,
)
_CONTINUATION: Final = re.compile(
    r"(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|against|versus|vs\.?|from|than|and)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_TO_PERIOD: Final = re.compile(
    rf"^\s*(?:{_WORD}\s+){{0,7}}?(?:in|during|for|over|across|within)\s+(?:the\s+)?$", re.IGNORECASE
)
_STOP: Final = frozenset(
    {
        "there",
        "it",
        "this",
        "that",
        "these",
        "those",
        "they",
        "which",
        "who",
        "we",
        "he",
        "she",
        "total",
        "all",
        "number",
        "figure",
        "figures",
        "count",
        "there were",
        "this was",
        "the number",
        "number of",
        "a total",
        "the total",
        "a decrease",
        "an increase",
        "decrease",
        "increase",
        "offences",
        "crimes",
    }
)
_DROP: Final = re.compile(r"^(?:the|a|an|number\s+of|total\s+number\s+of|total|recorded|reported)\s+", re.I)
_CAPTION_NUMBER: Final = re.compile(r"^\s*(?:table|figure|chart)\s+[\w.\-]+\s*[:.\-–—]\s*", re.IGNORECASE)
_BREAKDOWN: Final = re.compile(r"^(?P<measure>.+?)\s+by\s+\S", re.IGNORECASE)
RULE_NAME: Final = "consistency"


@dataclass(frozen=True)
class Mention:
    """One place giving a measure's value for a period; ``trust`` +1 corroborated, -1 suspect, 0 neither.

    ``breakdown``: for a row of a breakdown table, the measure the table breaks down (the row is a part
    of it); empty otherwise."""

    label: str
    period: Period
    figure: Figure
    location: Location
    trust: int
    order: int
    in_table: bool
    breakdown: str = ""


def measure_key(label: str) -> str:
    """A label as words for matching: lower case, no punctuation, no leading article or "number of"."""
    words = re.sub(r"[^\w\s]", " ", label.lower().replace("’", "'"))
    words = " ".join(words.split())
    previous = None
    while previous != words:
        previous = words
        words = _DROP.sub("", words)
    return words


def breakdown_of(table: Table) -> str:
    """The measure a breakdown table breaks down ("Knife crime offences" for "Table 3: Knife crime
    offences by community safety partnership area"), as a matching key; empty for any other table."""
    caption = _CAPTION_NUMBER.sub("", table.caption)
    found = _BREAKDOWN.match(caption)
    return measure_key(found["measure"]) if found else ""


def _table_mentions(view: TableView, order: int) -> Iterator[Mention]:
    breakdown = breakdown_of(view.table)
    roles = column_roles(view)
    comparisons = find_comparisons(view)
    trusted = trusted_cells(view)
    suspect = {
        (f.location.row - 1, f.location.column - 1)
        for f in check_table_totals(view)
        if f.location.row is not None and f.location.column is not None
    }
    for row in view.body:
        label = view.row_label(row)
        if not label or is_total_label(label) or not measure_key(label):
            continue
        row_state = [row_fits(view, k, row) for k in comparisons]
        for column, role in roles.items():
            period = view.periods[column]
            figure = view.figure(row, column)
            if role != "value" or period is None or figure is None:
                continue
            in_rows = [s for k, s in zip(comparisons, row_state, strict=True) if column in (k.previous, k.current)]
            trust = 0
            if False in in_rows or (row, column) in suspect:
                trust = -1
            elif True in in_rows or (row, column) in trusted:
                trust = 1
            location = view.cell_location(row, column)
            yield Mention(label, period, figure, location, trust, order, in_table=True, breakdown=breakdown)


def _clause_start(text: str, start: int, position: int) -> int:
    cut = max(text.rfind(",", start, position), text.rfind(";", start, position), text.rfind("(", start, position))
    return start if cut < 0 else cut + 1


def _prose_mentions(paragraph: Paragraph, order: int) -> Iterator[Mention]:
    text = paragraph.text
    periods = find_periods(text)
    figures = prose_figures(text, periods=periods)
    changing = change_figures(text, figures)
    trust: dict[int, int] = {}
    for change in stated_changes(paragraph):
        # Only a change that rounds right corroborates its figures; one that fits only when cut short
        # proves nothing either way.
        how = change.fits()
        value = 1 if how is Fit.ROUNDED else -1 if how is Fit.WRONG else 0
        for figure in (change.base, change.current):
            trust[figure.start] = min(trust.get(figure.start, 1), value)
    for sentence in sentences(text):
        end = sentence.start + len(sentence.text)
        last_label: str | None = None
        last_period: Period | None = None
        in_sentence = [p for p in periods if sentence.start <= p.start < end]
        for figure in figures:
            if not sentence.start <= figure.start < end or figure.percent or figure.start in changing:
                continue
            period_mention = _period_after(text, figure, in_sentence, end)
            if period_mention is None:
                continue
            label = _label_for(text, sentence.start, figure, last_label)
            period = period_mention.period
            if period is None and period_mention.shift is not None:
                anchor = last_period or next((p.period for p in in_sentence if p.period is not None), None)
                period = anchor.shifted(period_mention.shift) if anchor is not None else None
            if label is None or period is None:
                continue
            last_label, last_period = label, period
            yield Mention(label, period, figure, paragraph.location, trust.get(figure.start, 0), order, in_table=False)


def _period_after(text: str, figure: Figure, periods: list[PeriodMention], end: int) -> PeriodMention | None:
    for mention in periods:
        if mention.start >= figure.end and mention.start < end:
            return mention if _TO_PERIOD.match(text[figure.end : mention.start]) else None
    return None


def _label_for(text: str, start: int, figure: Figure, last_label: str | None) -> str | None:
    before = text[_clause_start(text, start, figure.start) : figure.start]
    if last_label is not None and _CONTINUATION.search(before):
        return last_label
    after = _LABEL_AFTER.match(text[figure.end :])
    if after and measure_key(after["label"]) not in _STOP:
        return after["label"]
    found = _LABEL_BEFORE.search(before)
    if found and measure_key(found["label"]) not in _STOP:
        return found["label"]
    return None


def mentions(document: Document) -> tuple[Mention, ...]:
    """Every mention of a measure for a named period, in document order."""
    found: list[Mention] = []
    for order, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            found.extend(_prose_mentions(block, order))
        elif isinstance(block, Table):
            found.extend(_table_mentions(read_table(block), order))
    return tuple(found)


def _canonical(found: tuple[Mention, ...]) -> dict[str, str]:
    """Map a sentence's label to the table label that ends it as words ("across essex knife crime
    offences" -> "knife crime offences"); table labels match only exactly."""
    table_keys = sorted(
        {measure_key(m.label) for m in found if m.in_table and not m.breakdown}, key=lambda k: -len(k.split())
    )
    mapping: dict[str, str] = {}
    for m in found:
        key = measure_key(m.label)
        if m.in_table or key in mapping:
            mapping.setdefault(key, key)
            continue
        words = key.split()
        mapping[key] = next((k for k in table_keys if words[-len(k.split()) :] == k.split()), key)
    return mapping


def check_consistency(document: Document) -> Iterator[Finding]:
    """Find measures given different values for the same period."""
    found = mentions(document)
    canonical = _canonical(found)
    groups: dict[tuple[str, str, bool, Period], list[Mention]] = defaultdict(list)
    for m in found:
        groups[(m.breakdown, canonical[measure_key(m.label)], m.figure.percent, m.period)].append(m)
    for (*_, period), group in groups.items():
        values = {m.figure.value for m in group}
        if len(values) < 2:
            continue
        yield from _judge(group, period)


def _judge(group: list[Mention], period: Period) -> Iterator[Finding]:
    best = max(m.trust for m in group)
    top_values = {m.figure.value for m in group if m.trust == best}
    counts: dict[Decimal, int] = defaultdict(int)
    for m in group:
        counts[m.figure.value] += 1
    right: Decimal | None
    if len(top_values) == 1 and any(m.trust < best for m in group if m.figure.value not in top_values):
        right = next(iter(top_values))
    else:
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        right = ranked[0][0] if len(ranked) == 1 or ranked[0][1] > ranked[1][1] else None
    if right is None:
        later = max(group, key=lambda m: m.order)
        others = [m for m in group if m.figure.value != later.figure.value]
        both_sound = all(m.trust > 0 for m in group)
        yield Finding(
            location=later.location,
            rule=RULE_NAME,
            severity=Severity.WARNING if both_sound else Severity.ERROR,
            stated=later.figure.text,
            expected=others[0].figure.text,
            message=(
                f"{later.label} for {period} is {later.figure.text} here but {others[0].figure.text} at "
                f"{others[0].location.describe()}"
                + ("; both fit their own figures, so the two may use different definitions" if both_sound else "")
            ),
            related=tuple(m.location for m in others),
        )
        return
    agreeing = [m for m in group if m.figure.value == right]
    reference = max(agreeing, key=lambda m: m.trust)
    for m in group:
        if m.figure.value == right:
            continue
        yield Finding(
            location=m.location,
            rule=RULE_NAME,
            severity=Severity.ERROR,
            stated=m.figure.text,
            expected=reference.figure.text,
            message=(
                f"{m.label} for {period} is {m.figure.text} here but {reference.figure.text} at "
                f"{reference.location.describe()}"
            ),
            related=tuple(a.location for a in agreeing),
        )


RULE: Final = Rule(
    name=RULE_NAME,
    summary="the same measure and period given different values in different places",
    check=check_consistency,
)
