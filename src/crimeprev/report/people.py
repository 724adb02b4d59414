"""The report's repeat victims and offenders: aggregate figures only, small numbers suppressed.

A scrutiny paper is published, so it never lists people, and counts from 1 to ``threshold - 1``
are shown as ``<threshold`` with the shares that would disclose them as ``*``
(:mod:`crimeprev.model.suppression`).
"""

from __future__ import annotations

from collections.abc import Callable

from crimeprev.model.suppression import suppress_count, suppress_share
from crimeprev.model.windows import month_name
from crimeprev.people.repeats import RepeatSummary, StrandRepeats
from crimeprev.report.document import Block, Paragraph, Table

_LABELS = {"victim": ("Victims", "victims"), "offender": ("Suspects", "suspects"), "location": ("Places", "places")}


def _count(n: int, threshold: int) -> str:
    shown = suppress_count(n, threshold)
    return f"{shown:,}" if isinstance(shown, int) else shown


def _share(part: int, whole: int, threshold: int) -> str:
    value = suppress_share(100.0 * part / whole if whole else None, part, whole, threshold)
    return "-" if value is None else (f"{value:.1f}%" if isinstance(value, float) else value)


def _row(s: RepeatSummary, threshold: int) -> tuple[str, ...]:
    return (
        _LABELS[s.role][0],
        _count(s.people, threshold),
        _count(s.repeat_people, threshold),
        _share(s.repeat_people, s.people, threshold),
        _count(s.with_person, threshold),
        _count(s.repeat_records, threshold),
        _share(s.repeat_records, s.with_person, threshold),
    )


def _sentence(title: str, s: RepeatSummary, threshold: int) -> str | None:
    """One plain sentence per role, unless suppression withholds its figures."""
    people_share = _share(s.repeat_people, s.people, threshold)
    records_share = _share(s.repeat_records, s.with_person, threshold)
    if "%" not in people_share or "%" not in records_share:
        return None
    noun = _LABELS[s.role][1]
    return (
        f"{people_share} of the {noun} of {title.lower()} ({_count(s.repeat_people, threshold)} of "
        f"{_count(s.people, threshold)}) were recorded more than once, and their offences were {records_share} "
        f"of those with a {s.role if s.role != 'offender' else 'suspect'} recorded "
        f"({_count(s.repeat_records, threshold)} of {_count(s.with_person, threshold)})."
    )


def repeat_blocks(item: StrandRepeats, next_table: Callable[[], int], threshold: int) -> list[Block]:
    """A table of repeat victims and suspects of one indicator, and a sentence for each."""
    title = item.indicator.title
    period = f"the 12 months to {month_name(item.last)}"
    blocks: list[Block] = [
        Paragraph(f"Repeat victims and suspects: {title.lower()}", style="subheading"),
        Table(
            caption=f"Table {next_table()}: {title}, {period}: people recorded more than once",
            header=(
                (
                    "",
                    "People",
                    "Recorded 2 or more times",
                    "% of people",
                    "Offences",
                    "Their offences",
                    "% of offences",
                ),
            ),
            rows=tuple(_row(s, threshold) for s in item.summaries),
            numeric_from=1,
        ),
    ]
    blocks.extend(Paragraph(text) for s in item.summaries if (text := _sentence(title, s, threshold)) is not None)
    missing = [s for s in item.summaries if s.without_person]
    notes = [
        f"{_count(s.without_person, threshold)} offences have no {'suspect' if s.role == 'offender' else s.role} "
        "recorded and are not in the figures for them"
        for s in missing
    ]
    notes.append(
        f"People are counted by pseudonym, never named; counts below {threshold} are shown as <{threshold} and the "
        "shares that would reveal them as *"
    )
    blocks.append(Paragraph(" ".join(f"{n[0].upper()}{n[1:]}." for n in notes), style="note"))
    return blocks
