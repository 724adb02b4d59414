"""Victims, suspects and people in mental-health demand: people with homes and histories.

Who is involved in crime is highly concentrated and local. A small share of victims suffer a large
share of victimisation (Farrell and Pease, *Once bitten, twice bitten*, Home Office Crime
Prevention Unit paper 46, 1993), a small share of offenders commit a large share of offences, and
both mostly stay near home: offenders travel short distances (the distance-decay of journeys to
crime; Rossmo, *Geographic Profiling*, 2000), and victims are victimised where they live and go.
So people are drawn per neighbourhood (the MSOA, the LSOA name without its letter): a record takes
a one-off person or a member of its neighbourhood's repeat pool, whose members are reused with
Zipf-like weights. An offender is drawn from the pool of the record's own neighbourhood most of the
time, from another neighbourhood of the same district sometimes and rarely from anywhere.

Businesses are victims too: shoplifting, business robbery and business burglary are recorded
against the business at the map point, so the biggest shops are the most repeated victims, as in
real force data. Residential burglary is recorded against a household at its point.

Domestic abuse is drawn per relationship (victim and perpetrator together, one perpetrator per
relationship over the years) and happens mostly at the victim's home, the point of the
relationship's first record. Its DASH risk level follows the victim's history: a repeat
victimisation or a violent offence raises it (SafeLives: repeat victims are the high-risk group).

Planted perpetrators (``plant_perpetrators``) have escalating histories over the three years
against two or three successive partners: harassment and damage first, then assaults, the latest
offences serious violence or rape and assessed high risk. A recency-frequency-gravity ranking
finds them; a plain count of offences does not, because ordinary repeat relationships with more,
less serious offences outnumber them.

People are identified by raw, force-style IDs (``P`` and eight digits); no names exist anywhere.
A keyed non-linear bijection scatters pool indices over the ID space so IDs do not reveal pool order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import IntArray

PERSON_ID_SPACE: Final = 100_000_000
# A prime below 10**8 with p % 3 == 2, so that x -> x**3 (mod p) is a bijection.
_ID_PRIME: Final = 99_999_989
_ID_MULTIPLIER: Final = 48_271
DA_STANDARD, DA_MEDIUM, DA_HIGH = 1, 2, 3
# Shares of DASH risk levels among domestic-abuse offences: standard, medium, high.
DA_RISK_SHARES: Final = (0.70, 0.22, 0.08)
DA_REPEAT_SHARE: Final = 0.7
DA_AT_HOME: Final = 0.8
HOUSEHOLDS_PER_POINT: Final = 12
ZIPF_SHIFT_DIVISOR: Final = 25.0


@dataclass(frozen=True)
class Pools:
    """How one role's records are spread over people (see ``draw_local_people``)."""

    repeat_share: float
    pool_ratio: float
    exponent: float
    own_area: float = 1.0  # chance a record draws from its own area's pool
    own_district: float = 0.0  # chance it draws from another area of its district


VICTIM_POOLS: Final = Pools(repeat_share=0.5, pool_ratio=0.2, exponent=1.1)
SUSPECT_POOLS: Final = Pools(repeat_share=0.6, pool_ratio=0.2, exponent=1.1, own_area=0.6, own_district=0.33)
MENTAL_HEALTH_POOLS: Final = Pools(repeat_share=0.5, pool_ratio=0.15, exponent=1.1)


@dataclass(frozen=True)
class PersonIndexer:
    """Turns pool indices into raw person numbers; ``offset`` varies with the seed.

    The map ``x -> a * (x + offset)**3 mod p`` is a bijection on ``0..p-1`` (p prime,
    ``p % 3 == 2``), so distinct people get distinct numbers, and being non-linear it leaves no
    arithmetic pattern between people created one after another.
    """

    offset: int

    def numbers(self, index: IntArray) -> IntArray:
        """Person numbers for indices (-1 stays -1, meaning no person recorded)."""
        x = (np.maximum(index, 0) + self.offset) % _ID_PRIME
        cube = (x * x % _ID_PRIME) * x % _ID_PRIME
        out = cube * _ID_MULTIPLIER % _ID_PRIME
        return np.where(index < 0, -1, out)


def _zipf(pool: int, size: int, exponent: float, rng: np.random.Generator) -> IntArray:
    # The shift keeps the most frequent member of a large pool from taking an absurd share.
    weights = 1.0 / (np.arange(pool) + 1.0 + pool / ZIPF_SHIFT_DIVISOR) ** exponent
    return rng.choice(pool, size=size, p=weights / weights.sum())


def draw_local_people(
    area: IntArray, area_district: IntArray, pools: Pools, *, start: int, rng: np.random.Generator
) -> tuple[IntArray, int]:
    """A person index per record, from one-off people or its area's (or a nearby area's) repeat pool.

    ``area`` is each record's neighbourhood, ``area_district`` each area's district. Returns the
    indices (allocated from ``start`` on) and the next free index.
    """
    n = area.size
    n_areas = area_district.size
    home = area.copy()
    u = rng.random(n)
    elsewhere = u >= pools.own_area
    same_district = elsewhere & (u < pools.own_area + pools.own_district)
    volume = np.bincount(area, minlength=n_areas).astype(np.float64) + 1.0
    record_district = area_district[area]
    for district in np.unique(record_district[same_district]):
        rows = np.flatnonzero(same_district & (record_district == district))
        options = np.flatnonzero(area_district == district)
        home[rows] = options[rng.choice(options.size, size=rows.size, p=volume[options] / volume[options].sum())]
    far = elsewhere & ~same_district
    home[far] = rng.choice(n_areas, size=int(far.sum()), p=volume / volume.sum())
    repeat = rng.random(n) < pools.repeat_share
    out = np.empty(n, dtype=np.int64)
    next_index = start
    by_area = np.bincount(home[repeat], minlength=n_areas)
    order = np.argsort(home, kind="stable")
    sorted_home = home[order]
    for a in np.flatnonzero(by_area):
        rows = order[np.searchsorted(sorted_home, a) : np.searchsorted(sorted_home, a, side="right")]
        rows = rows[repeat[rows]]
        pool = max(1, round(pools.pool_ratio * rows.size))
        out[rows] = next_index + _zipf(pool, rows.size, pools.exponent, rng)
        next_index += pool
    once = np.flatnonzero(~repeat)
    out[once] = next_index + np.arange(once.size)
    return out, next_index + once.size


@dataclass(frozen=True)
class Couples:
    """Domestic-abuse relationships: the couple of each DA record and each couple's home point."""

    couple: IntArray  # per DA record (in the order given), 0..n_couples-1
    home: IntArray  # per couple: a map point
    n_couples: int


def draw_couples(first_point: IntArray, day: IntArray, rng: np.random.Generator) -> Couples:
    """Relationships for DA records: a few repeat relationships, many single ones.

    ``first_point`` is where each record was placed; a couple's home is the place of its earliest
    record (by ``day``).
    """
    n = first_point.size
    repeat = rng.random(n) < DA_REPEAT_SHARE
    pool = max(1, round(repeat.sum() / 4))
    couple = np.empty(n, dtype=np.int64)
    couple[repeat] = _zipf(pool, int(repeat.sum()), 1.0, rng)
    couple[~repeat] = pool + np.arange(int((~repeat).sum()))
    _, couple = np.unique(couple, return_inverse=True)
    n_couples = int(couple.max()) + 1 if n else 0
    order = np.lexsort((day, couple))
    first = order[np.searchsorted(couple[order], np.arange(n_couples))]
    return Couples(couple=couple.astype(np.int64), home=first_point[first], n_couples=n_couples)


def _earlier(person: IntArray, day: IntArray) -> IntArray:
    """How many records of the same person come before each record (by day, then position)."""
    order = np.lexsort((np.arange(person.size), day, person))
    sorted_person = person[order]
    earlier = np.empty(person.size, dtype=np.int64)
    earlier[order] = np.arange(person.size) - np.searchsorted(sorted_person, sorted_person)
    return earlier


def assign_da_risk(
    victim: IntArray, suspect: IntArray, day: IntArray, gravity: IntArray, rng: np.random.Generator
) -> IntArray:
    """DASH risk (1 standard, 2 medium, 3 high) of DA records, following the history.

    The score of a record rises with the victim's earlier DA records (up to five), the
    perpetrator's (up to eight, so a serial abuser's new partner is not assessed as a first
    victim) and the gravity of the offence (0 other, 1 violent, 2 serious violence or rape), plus
    noise for what the records do not hold; the top scores are high risk and the next medium, in
    the declared shares ``DA_RISK_SHARES``.
    """
    n = victim.size
    score = (
        0.5 * np.minimum(_earlier(victim, day), 5)
        + 0.25 * np.minimum(_earlier(suspect, day), 8)
        + 2.5 * gravity
        + rng.normal(0.0, 1.0, n)
    )
    rank = np.argsort(np.argsort(-score, kind="stable"), kind="stable")
    high = round(DA_RISK_SHARES[2] * n)
    medium = round(DA_RISK_SHARES[1] * n)
    return np.where(rank < high, DA_HIGH, np.where(rank < high + medium, DA_MEDIUM, DA_STANDARD)).astype(np.int64)


@dataclass(frozen=True)
class PlantedHistory:
    """The records of one planted perpetrator and the partner (0, 1, 2) of each."""

    records: IntArray
    partner: IntArray


def plant_perpetrators(
    candidates: tuple[IntArray, IntArray, IntArray],
    month: IntArray,
    n_planted: int,
    rng: np.random.Generator,
) -> tuple[PlantedHistory, ...]:
    """Escalating histories: each perpetrator takes DA records of rising gravity over three years.

    ``candidates`` are the DA records of gravity 0 (harassment, damage, coercion), 1 (assault) and
    2 (serious violence, rape). Each perpetrator gets three to four gravity-0 records in the first
    sixteen months, two to three assaults in the next twelve and three serious ones in the last eight,
    against two or three partners in turn.
    """
    phases = ((0, 0, 15, (3, 4)), (1, 16, 27, (2, 3)), (2, 28, 35, (3, 3)))
    pools = [rng.permutation(c) for c in candidates]
    histories = []
    for _ in range(n_planted):
        rows: list[int] = []
        for gravity, first, last, (low, high) in phases:
            pool = pools[gravity]
            in_window = pool[(month[pool] >= first) & (month[pool] <= last)]
            chosen = in_window[: int(rng.integers(low, high + 1))]
            pools[gravity] = pool[~np.isin(pool, chosen)]
            rows.extend(int(r) for r in chosen)
        records = np.array(sorted(rows, key=lambda r: (month[r], r)), dtype=np.int64)
        n_partners = int(rng.choice([2, 3], p=[0.6, 0.4]))
        cuts = np.sort(rng.choice(np.arange(1, records.size), size=n_partners - 1, replace=False))
        partner = np.zeros(records.size, dtype=np.int64)
        for cut in cuts:
            partner[cut:] += 1
        histories.append(PlantedHistory(records=records, partner=partner))
    return tuple(histories)


def households(point: IntArray, rng: np.random.Generator) -> IntArray:
    """A household at each record's point (point x ``HOUSEHOLDS_PER_POINT`` + one of them)."""
    return point * HOUSEHOLDS_PER_POINT + rng.integers(0, HOUSEHOLDS_PER_POINT, point.size)
