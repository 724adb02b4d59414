"""The report's repeat victims and offenders: aggregate figures only, small numbers suppressed.

A scrutiny paper is published, so it never lists people, and its figures follow the publication
rule of :meth:`crimeprev.people.repeats.RepeatSummary.published`: a count below the threshold is
shown as ``<threshold``, and the figures it is tied to by arithmetic are withheld (``*``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crimeprev.model.suppression import WITHHELD
from crimeprev.model.windows import month_name
from crimeprev.people.repeats import RepeatSummary, StrandRepeats
from crimeprev.report.document import Block, Paragraph, Table

_LABELS = {"victim": ("Victims", "victims"), "offender": ("Suspects", "suspects"), "location": ("Places", "places")}


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _pct(value: Any) -> str:
    return f"{value:.1f}%" if isinstance(value, float) else ("-" if value is None else str(value))


def _row(s: RepeatSummary, shown: dict[str, Any]) -> tuple[str, ...]:
    if shown["publication"]["withheld"]:
        return (_LABELS[s.role][0], *(WITHHELD,) * 6)
    return (
        _LABELS[s.role][0],
        _count(shown["people"]),
        _count(shown["repeat_people"]),
        _pct(shown["repeat_people_pct"]),
        _count(s.with_person),
        _count(shown["repeat_records"]),
        _pct(shown["repeat_records_pct"]),
    )


def _sentence(title: str, s: RepeatSummary, shown: dict[str, Any]) -> str | None:
    """One plain sentence per role, unless its figures are withheld."""
    if shown["publication"]["withheld"]:
        return None
    noun = _LABELS[s.role][1]
    return (
        f"{_pct(shown['repeat_people_pct'])} of the {noun} of {title.lower()} ({_count(s.repeat_people)} of "
        f"{_count(s.people)}) were recorded more than once, and their offences were "
        f"{_pct(shown['repeat_records_pct'])} of those with a {s.role if s.role != 'offender' else 'suspect'} "
        f"recorded ({_count(s.repeat_records)} of {_count(s.with_person)})."
    )


def repeat_blocks(item: StrandRepeats, next_table: Callable[[], int], threshold: int) -> list[Block]:
    """A table of repeat victims and suspects of one indicator, and a sentence for each."""
    title = item.indicator.title
    period = f"the 12 months to {month_name(item.last)}"
    if not item.summaries:
        return [
            Paragraph(f"Repeat victims and suspects: {title.lower()}", style="subheading"),
            Paragraph("The records hold no person identifiers, so repeat victims and suspects cannot be counted."),
        ]
    views = [(s, s.published(threshold)) for s in item.summaries]
    blocks: list[Block] = [
        Paragraph(f"Repeat victims and suspects: {title.lower()}", style="subheading"),
        Table(
            caption=f"Table {next_table()}: {title}, {period}: people recorded more than once (repeats)",
            header=(("", "People", "Repeats", "% repeats", "Offences", "By repeats", "% by repeats"),),
            rows=tuple(_row(s, shown) for s, shown in views),
            numeric_from=1,
        ),
    ]
    # one sentence, for the victims: the table gives the rest
    blocks.extend(Paragraph(text) for s, shown in views[:1] if (text := _sentence(title, s, shown)) is not None)
    notes = [
        f"{_count(shown['without_person'])} offences have no {'suspect' if s.role == 'offender' else s.role} "
        "recorded and are not in the figures for them"
        for s, shown in views
        if s.without_person
    ]
    notes.append(
        f"People are counted by pseudonym, never named; where a count below {threshold} could be read or worked "
        "back, the figures tied to it are withheld (*)"
    )
    blocks.append(Paragraph(" ".join(f"{n[0].upper()}{n[1:]}." for n in notes), style="note"))
    return blocks
