"""The highest-harm domestic-abuse perpetrators, by Recency-Frequency-Gravity (the MATAC method).

A plain count of offences ranks first the people with the most incidents, most of them low-level;
the people most likely to cause serious harm next are often those whose offending is recent and
escalating, against more than one partner. RFG scores each perpetrator on recency, frequency
(capped), gravity (per offence, from harm weights) and the number of victims, with every weight
in configuration (:mod:`crimeprev.people.weights`), and explains each score term by term with
the offences behind it, so that a panel can see why a person is on the list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from crimeprev.model.wording import plural
from crimeprev.people.records import PersonRecords
from crimeprev.people.weights import RfgWeights

if TYPE_CHECKING:
    from crimeprev.indicators.harm import HarmTable


@dataclass(frozen=True, slots=True)
class GravityItem:
    """One offence's part of a gravity score."""

    ref: str | None
    month: str  # YYYY-MM
    code: str | None
    points: float  # before the age weight
    weight: float  # 1 for recent offences, older_weight before
    basis: str  # where the points come from: the harm table's days or a tier

    @property
    def scored(self) -> float:
        return self.points * self.weight


@dataclass(frozen=True, slots=True)
class Scored:
    """One perpetrator's score and its parts."""

    key: str
    recency: float
    last_month: str
    months_since: int
    frequency: float
    recent_offences: int
    gravity: float
    items: tuple[GravityItem, ...]
    victims: float
    victim_keys: frozenset[str]
    offences: int  # in the whole lookback

    @property
    def distinct_victims(self) -> int:
        return len(self.victim_keys)

    @property
    def score(self) -> float:
        return self.recency + self.frequency + self.gravity + self.victims

    def explanation(self) -> str:
        """The score in words, term by term, naming the offences that drove the gravity."""
        heavy = [i for i in sorted(self.items, key=lambda i: (-i.scored, i.month)) if i.scored > 0]
        shown = [f"{i.code} {i.month} {_points(i.points)}" + (f" x {i.weight:g}" if i.weight != 1 else "")
                 for i in heavy[:5]]  # fmt: skip
        gravity = "; ".join(shown) + (f"; {len(heavy) - len(shown)} more" if len(heavy) > len(shown) else "")
        return (
            f"{_points(self.score)} = recency {_points(self.recency)} (last offence {self.last_month}, "
            f"{plural(self.months_since, 'month')} before) + frequency {_points(self.frequency)} "
            f"({plural(self.recent_offences, 'offence')} in the recent months) + gravity {_points(self.gravity)} "
            f"({gravity or 'none'}) + victims {_points(self.victims)} ({plural(self.distinct_victims, 'victim')})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "score": round(self.score, 2),
            "recency": {"points": self.recency, "last_offence": self.last_month, "months_since": self.months_since},
            "frequency": {"points": self.frequency, "recent_offences": self.recent_offences},
            "gravity": {
                "points": round(self.gravity, 2),
                "offences": [
                    {
                        "ref": i.ref,
                        "month": i.month,
                        "code": i.code,
                        "points": i.points,
                        "weight": i.weight,
                        "basis": i.basis,
                    }
                    for i in self.items
                ],
            },
            "victims": {"points": self.victims, "distinct": self.distinct_victims},
            "offences": self.offences,
            "explanation": self.explanation(),
        }


def _points(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def month_number(d: date) -> int:
    """Months since year 0: the difference of two is the months between them."""
    return d.year * 12 + d.month - 1


def gravity_points(code: str | None, weights: RfgWeights, harm: HarmTable | None) -> tuple[float, str]:
    """An offence's gravity points and their basis (the harm table's days, a tier, or the default)."""
    per_day = weights.gravity.harm_days_per_point
    days = harm.weight(code) if harm is not None else None
    if days is not None and per_day is not None:
        return days / per_day, f"harm table: {days:g} days"
    tier = weights.tier_of(code)
    if tier is not None:
        return tier.points, f"tier: {tier.name}"
    return weights.gravity.default_points, "default: no tier lists this code"


def recency_points(months_since: int, weights: RfgWeights) -> float:
    for band in weights.recency:
        if months_since < band.under_months:
            return band.points
    return 0.0


def rfg_scores(records: PersonRecords, as_of: date, weights: RfgWeights, harm: HarmTable | None = None) -> list[Scored]:
    """Every perpetrator with an offence in the lookback ending ``as_of``, highest score first.

    ``records`` are the domestic-abuse offences (any months: those outside the lookback, or after
    ``as_of``, take no part). Ties are broken by pseudonym so the order is reproducible.
    """
    end = month_number(as_of)
    months = np.array([month_number(date.fromisoformat(str(m))) for m in records.month], dtype=np.int64)
    age = end - months
    by_person: dict[str, list[int]] = {}
    for i, key in enumerate(records.offender):
        if key is not None and 0 <= age[i] < weights.lookback_months:
            by_person.setdefault(key, []).append(i)
    cache: dict[str | None, tuple[float, str]] = {}
    out: list[Scored] = []
    for key, rows in by_person.items():
        items = []
        for i in rows:
            code = records.code[i]
            if code not in cache:
                cache[code] = gravity_points(code, weights, harm)
            points, basis = cache[code]
            weight = 1.0 if age[i] < weights.recent_months else weights.older_weight
            items.append(GravityItem(records.ref[i], str(records.month[i])[:7], code, points, weight, basis))
        since = int(age[rows].min())
        recent = int(np.count_nonzero(age[rows] < weights.recent_months))
        victims = frozenset(v for i in rows if (v := records.victim[i]) is not None)
        out.append(
            Scored(
                key=key,
                recency=recency_points(since, weights),
                last_month=str(records.month[rows[int(np.argmin(age[rows]))]])[:7],
                months_since=since,
                frequency=min(weights.frequency.cap, weights.frequency.points_per_offence * recent),
                recent_offences=recent,
                gravity=sum(i.scored for i in items),
                items=tuple(sorted(items, key=lambda i: (i.month, i.ref or ""))),
                victims=weights.victims.points_per_extra_victim * max(len(victims) - 1, 0),
                victim_keys=victims,
                offences=len(rows),
            )
        )
    out.sort(key=lambda s: (-s.score, s.key))
    return out


def count_ranks(scored: list[Scored]) -> dict[str, int]:
    """The plain count ranking: 1 + the number of people with more offences in the recent months."""
    counts = Counter(s.recent_offences for s in scored)
    above: dict[int, int] = {}
    running = 0
    for n in sorted(counts, reverse=True):
        above[n] = running
        running += counts[n]
    return {s.key: 1 + above[s.recent_offences] for s in scored}


@dataclass(frozen=True, slots=True)
class Movement:
    """Who entered, left and stayed in the cohort between two as-of months."""

    entered: tuple[str, ...]
    left: tuple[str, ...]
    stayed: tuple[str, ...]


def movement(before: list[str], after: list[str]) -> Movement:
    earlier, later = set(before), set(after)
    return Movement(
        entered=tuple(k for k in after if k not in earlier),
        left=tuple(k for k in before if k not in later),
        stayed=tuple(k for k in after if k in earlier),
    )


@dataclass(frozen=True, slots=True)
class HarmChange:
    """Gravity points and offences of a group before and after an entry month, per month."""

    people: int
    months_before: int
    months_after: int
    offences_before: int
    offences_after: int
    harm_before: float
    harm_after: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "months_before": self.months_before,
            "months_after": self.months_after,
            "offences_before": self.offences_before,
            "offences_after": self.offences_after,
            "harm_before": round(self.harm_before, 1),
            "harm_after": round(self.harm_after, 1),
            "harm_per_month_before": round(self.harm_before / self.months_before, 2),
            "harm_per_month_after": round(self.harm_after / self.months_after, 2) if self.months_after else None,
        }


def harm_around_entry(
    records: PersonRecords,
    people: list[str],
    entry: date,
    end: date,
    weights: RfgWeights,
    harm: HarmTable | None = None,
    *,
    months_before: int = 12,
) -> HarmChange:
    """Gravity (unweighted by age) of ``people``'s offences in the months up to and including
    ``entry`` against the months after it up to ``end``."""
    chosen = set(people)
    start, after_end = month_number(entry), month_number(end)
    offences_before = offences_after = 0
    harm_before = harm_after = 0.0
    for i, key in enumerate(records.offender):
        if key not in chosen:
            continue
        m = month_number(date.fromisoformat(str(records.month[i])))
        points = gravity_points(records.code[i], weights, harm)[0]
        if start - months_before < m <= start:
            offences_before += 1
            harm_before += points
        elif start < m <= after_end:
            offences_after += 1
            harm_after += points
    return HarmChange(
        len(chosen), months_before, after_end - start, offences_before, offences_after, harm_before, harm_after
    )
