"""Repeat victims, offenders and locations: how concentrated an indicator's records are on people.

A small share of victims suffer a large share of victimisation, and the next one often follows
soon (Farrell and Pease, *Once bitten, twice bitten*, Home Office Crime Prevention Unit paper 46,
1993); the same holds for offenders and places. The measures here are the ones a strand lead asks
for: how many people, how many of them are repeats, what share of the offences they account for,
how the repeat counts are spread, and how long it is to the next one.

Records without a person for the role (no victim recorded, no suspect identified, no location)
are counted and set aside, never silently dropped: every share says what it is a share of.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from crimeprev.model.periods import add_months
from crimeprev.model.strategy import Indicator, Strand, Strategy
from crimeprev.model.suppression import WITHHELD, merge_small_bins, publishable, suppress_count
from crimeprev.people.records import PersonRecords

if TYPE_CHECKING:
    import ibis

ROLES = ("victim", "offender", "location")
DISTRIBUTION_TOP = 10  # repeat counts of this or more are one bin ("10+")
NEXT_WITHIN_DAYS = (7, 28, 91, 365)


@dataclass(frozen=True, slots=True)
class RepeatPerson:
    """One person (or location) with two or more records, and those records."""

    key: str
    records: int
    refs: tuple[str | None, ...]
    codes: tuple[str | None, ...]
    days: tuple[str, ...]  # ISO dates (the recorded month where no day is known)
    place: str | None  # the most frequent place of the records (locations only)


@dataclass(frozen=True, slots=True)
class RepeatSummary:
    """Repeat measures of one role over one set of records.

    ``same_type`` means a repeat is a second record of the same offence code (or incident type):
    each person-and-type pair is then counted as one "person".
    """

    role: str
    same_type: bool
    records: int
    without_person: int
    people: int
    repeat_people: int
    repeat_records: int  # records of people with two or more
    distribution: dict[str, int]  # records per person ("1", "2", ..., "10+") -> people
    gaps: int  # consecutive pairs of a person's records with known days
    median_days_to_next: float | None
    next_within: dict[int, float | None]  # days -> share of gaps at most that long
    top: tuple[RepeatPerson, ...] = field(default=())

    @property
    def with_person(self) -> int:
        return self.records - self.without_person

    @property
    def repeat_people_pct(self) -> float | None:
        """Share of people with two or more records, in per cent."""
        return 100.0 * self.repeat_people / self.people if self.people else None

    @property
    def repeat_records_pct(self) -> float | None:
        """Share of the records with a person that are records of repeat people, in per cent."""
        return 100.0 * self.repeat_records / self.with_person if self.with_person else None

    def as_dict(self, *, person_level: bool) -> dict[str, Any]:
        """For JSON: the aggregate measures, and the top list only when ``person_level``."""
        out: dict[str, Any] = {
            "role": self.role,
            "same_type": self.same_type,
            "records": self.records,
            "without_person": self.without_person,
            "people": self.people,
            "repeat_people": self.repeat_people,
            "repeat_people_pct": _round(self.repeat_people_pct),
            "repeat_records": self.repeat_records,
            "repeat_records_pct": _round(self.repeat_records_pct),
            "distribution": self.distribution,
            "days_to_next": {
                "gaps": self.gaps,
                "median": self.median_days_to_next,
                "share_within": {str(d): _round(s) for d, s in self.next_within.items()},
            },
        }
        if person_level:
            out["top"] = [
                {
                    "key": p.key,
                    "records": p.records,
                    "offences": [
                        {"ref": r, "code": c, "date": d} for r, c, d in zip(p.refs, p.codes, p.days, strict=True)
                    ],
                    **({"place": p.place} if p.place is not None else {}),
                }
                for p in self.top
            ]
        return out

    def published(self, threshold: int) -> dict[str, Any]:
        """The aggregate measures for publication: small numbers cannot be read or worked back.

        The counts are tied (records = without a person + one-off people + records of repeat
        people), so they are published whole or withheld whole ("*"): withheld when any of them,
        or the one-off people, is small. The records' total is always shown (it is the indicator's
        published count), and the count without a person is suppressed on its own ("<5") when
        small, which then withholds the rest, as it would give it back. The distribution's small
        bins are merged; days to the next record need ``threshold`` gaps or more.
        """
        out = self.as_dict(person_level=False)
        tied = (self.without_person, self.people, self.repeat_people, self.people - self.repeat_people,
                self.repeat_records)  # fmt: skip
        out["publication"] = {"suppressed_below": threshold, "withheld": not publishable(tied, threshold)}
        out["without_person"] = suppress_count(self.without_person, threshold)
        if out["publication"]["withheld"]:
            for key in ("people", "repeat_people", "repeat_people_pct", "repeat_records", "repeat_records_pct"):
                out[key] = WITHHELD
            out["distribution"] = WITHHELD
        else:
            out["distribution"] = dict(merge_small_bins(list(self.distribution.items()), threshold))
        if out["publication"]["withheld"] or self.gaps < threshold:
            out["days_to_next"] = WITHHELD
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _bin(n: int) -> str:
    return f"{DISTRIBUTION_TOP}+" if n >= DISTRIBUTION_TOP else str(n)


def repeat_summary(records: PersonRecords, role: str, *, same_type: bool = False, top: int = 0) -> RepeatSummary:
    """Repeat measures of ``role`` (victim, offender or location) over ``records``.

    Days to next: for each person, the days between each record and their next one, from the
    recorded dates; records without a known day take no part (data.police.uk has months only).
    """
    if role not in ROLES:
        raise ValueError(f"no role {role!r}: choose {', '.join(ROLES)}")
    keys = records.keys(role)
    unit = [None if k is None else (f"{k}|{c}" if same_type else k) for k, c in zip(keys, records.code, strict=True)]
    rows_of: dict[str, list[int]] = {}
    for i, k in enumerate(unit):
        if k is not None:
            rows_of.setdefault(k, []).append(i)
    counts = Counter({k: len(v) for k, v in rows_of.items()})
    distribution_counter = Counter(_bin(n) for n in counts.values())
    order = sorted(distribution_counter, key=lambda b: int(b.rstrip("+")))
    repeat = {k for k, n in counts.items() if n >= 2}
    gaps: list[int] = []
    day = records.day
    for k in repeat:
        # Consecutive records, both dated: a gap across an undated record would be too long.
        rows = sorted(
            rows_of[k], key=lambda i: (records.month[i], day[i] if not np.isnat(day[i]) else records.month[i])
        )
        gaps.extend(
            int((day[b] - day[a]) / np.timedelta64(1, "D"))
            for a, b in itertools.pairwise(rows)
            if not np.isnat(day[a]) and not np.isnat(day[b])
        )
    gap_array = np.array(gaps, dtype=np.int64)
    within = {d: (float(np.count_nonzero(gap_array <= d)) * 100.0 / gap_array.size if gaps else None)
              for d in NEXT_WITHIN_DAYS}  # fmt: skip
    top_people: list[RepeatPerson] = []
    if top:
        chosen = sorted(repeat, key=lambda k: (-counts[k], k))[:top]
        for k in chosen:
            rows = rows_of[k]
            when = [str(records.month[i] if np.isnat(day[i]) else day[i]) for i in rows]
            places = Counter(records.place[i] for i in rows if records.place[i] is not None)
            top_people.append(
                RepeatPerson(
                    key=k,
                    records=counts[k],
                    refs=tuple(records.ref[i] for i in rows),
                    codes=tuple(records.code[i] for i in rows),
                    days=tuple(when),
                    place=places.most_common(1)[0][0] if role == "location" and places else None,
                )
            )
    return RepeatSummary(
        role=role,
        same_type=same_type,
        records=len(records),
        without_person=sum(1 for k in unit if k is None),
        people=len(counts),
        repeat_people=len(repeat),
        repeat_records=sum(counts[k] for k in repeat),
        distribution={b: distribution_counter[b] for b in order},
        gaps=len(gaps),
        median_days_to_next=float(np.median(gap_array)) if gaps else None,
        next_within=within,
        top=tuple(top_people),
    )


@dataclass(frozen=True, slots=True)
class StrandRepeats:
    """The repeat figures a strand's report section shows for one of its indicators."""

    strand: Strand
    indicator: Indicator
    first: date
    last: date
    summaries: tuple[RepeatSummary, ...]  # victims, then offenders where the records have them


def strand_repeats(
    backend: ibis.BaseBackend, strategy: Strategy, as_of: date, *, strand_id: str | None = None, top: int = 0
) -> list[StrandRepeats]:
    """Each strand's (or one strand's) declared repeat indicators over the 12 months to ``as_of``:
    aggregates, and with ``top`` the most repeated people by pseudonym (person-level: the caller
    restricts and logs it)."""
    from crimeprev.indicators.records import indicator_parts
    from crimeprev.people.records import person_records

    first = add_months(as_of, -11)
    out = []
    for strand in strategy.strands():
        if strand_id is not None and strand.id != strand_id:
            continue
        for indicator_id in strand.repeat_indicators:
            indicator = next(i for i in strand.indicators if i.id == indicator_id)
            roles = ["victim", "offender"]
            if all(p.source == "incidents" for p in indicator_parts(strand, indicator)):
                roles = ["victim"]
            records = person_records(backend, strategy, strand, indicator, first, as_of)
            # A role no record has a person for (data.police.uk files hold none) has no figures.
            found = [repeat_summary(records, role, top=top) for role in roles]
            summaries = tuple(s for s in found if s.people or not s.records)
            out.append(StrandRepeats(strand, indicator, first, as_of, summaries))
    return out
