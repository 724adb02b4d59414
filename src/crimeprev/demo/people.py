"""Victims, suspects and people in mental-health demand: repeat patterns and planted perpetrators.

Who is involved in crime is highly concentrated: a small share of victims suffer a large share of
victimisation and a small share of offenders commit a large share of offences (the "power few").
Each role draws some records from a pool of one-off people and the rest from a repeat pool whose
members are reused with Zipf-like weights, so repeat-victim and repeat-offender analyses find
realistic long tails. Domestic abuse is drawn per relationship (victim and suspect together) so
that repeat domestic abuse is repeat abuse of the same victim by the same suspect.

A few high-harm domestic-abuse perpetrators are planted: each has many recent (October 2023 -
March 2024) domestic-abuse offences, most assessed high risk, many of them violent. They are the
ground truth for a risk-cohort or perpetrator-prioritisation method.

People are identified by raw, force-style IDs (``P`` and eight digits); no names exist anywhere.
A keyed non-linear bijection scatters pool indices over the ID space so IDs do not reveal pool order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import BoolArray, IntArray

PERSON_ID_SPACE: Final = 100_000_000
# A prime below 10**8 with p % 3 == 2, so that x -> x**3 (mod p) is a bijection.
_ID_PRIME: Final = 99_999_989
_ID_MULTIPLIER: Final = 48_271
N_PLANTED: Final = 6
PLANTED_OFFENCES: Final = (12, 19)  # inclusive range of DA offences per planted perpetrator
PLANTED_MONTHS: Final = (30, 35)  # October 2023 .. March 2024
PLANTED_VIOLENT_SHARE: Final = 0.7
PLANTED_HIGH_RISK: Final = 0.8
# Domestic-abuse risk (DASH) levels of ordinary DA offences: standard, medium, high.
DA_RISK_P: Final = (0.70, 0.22, 0.08)
DA_STANDARD, DA_MEDIUM, DA_HIGH = 1, 2, 3
DA_REPEAT_SHARE: Final = 0.45


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


def _zipf_draw(pool: int, size: int, exponent: float, shift: float, rng: np.random.Generator) -> IntArray:
    weights = 1.0 / (np.arange(pool) + shift) ** exponent
    return rng.choice(pool, size=size, p=weights / weights.sum())


def draw_people(
    n: int,
    *,
    repeat_share: float,
    pool: int,
    exponent: float,
    shift: float,
    start: int,
    rng: np.random.Generator,
) -> tuple[IntArray, int]:
    """Person indices for ``n`` records: one-off people or members of a Zipf-weighted repeat pool.

    Indices are allocated from ``start`` on; returns them and the next free index.
    """
    repeat = rng.random(n) < repeat_share
    out = np.empty(n, dtype=np.int64)
    out[repeat] = start + _zipf_draw(pool, int(repeat.sum()), exponent, shift, rng)
    n_once = int((~repeat).sum())
    out[~repeat] = start + pool + np.arange(n_once)
    return out, start + pool + n_once


def plant_perpetrators(
    domestic: BoolArray, violent: BoolArray, months: IntArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Choose the planted perpetrators' records: returns (record indices, perpetrator number)."""
    recent = domestic & (months >= PLANTED_MONTHS[0]) & (months <= PLANTED_MONTHS[1])
    violent_pool = rng.permutation(np.flatnonzero(recent & violent))
    other_pool = rng.permutation(np.flatnonzero(recent & ~violent))
    sizes = rng.integers(PLANTED_OFFENCES[0], PLANTED_OFFENCES[1] + 1, N_PLANTED)
    n_violent = np.round(sizes * PLANTED_VIOLENT_SHARE).astype(np.int64)
    n_other = sizes - n_violent
    v_end = np.cumsum(n_violent)
    o_end = np.cumsum(n_other)
    records: list[IntArray] = []
    owners: list[IntArray] = []
    for p in range(N_PLANTED):
        chosen = np.concatenate(
            [
                violent_pool[v_end[p] - n_violent[p] : v_end[p]],
                other_pool[o_end[p] - n_other[p] : o_end[p]],
            ]
        )
        records.append(chosen)
        owners.append(np.full(chosen.size, p, dtype=np.int64))
    return np.concatenate(records), np.concatenate(owners)


def assign_da_risk(domestic: BoolArray, planted_records: IntArray, rng: np.random.Generator) -> IntArray:
    """DASH risk level per record: 0 where not domestic abuse, else standard/medium/high (1..3)."""
    n = domestic.size
    risk = np.where(domestic, rng.choice(3, size=n, p=DA_RISK_P) + 1, 0)
    risk[planted_records] = np.where(rng.random(planted_records.size) < PLANTED_HIGH_RISK, DA_HIGH, DA_MEDIUM)
    return risk.astype(np.int64)


@dataclass(frozen=True)
class OffencePeople:
    """Victim and suspect index per offence (-1 where none is recorded)."""

    victim: IntArray
    suspect: IntArray
    planted_suspect: IntArray  # suspect index of each planted perpetrator
    next_index: int


def assign_offence_people(
    *,
    domestic: BoolArray,
    has_victim: BoolArray,
    has_suspect: BoolArray,
    planted_records: IntArray,
    planted_owner: IntArray,
    rng: np.random.Generator,
) -> OffencePeople:
    """Victim and suspect indices for every offence.

    Domestic abuse: both always, drawn per relationship. Planted perpetrators: one suspect each,
    with one or two victims. Other offences: a victim where ``has_victim`` and a suspect where
    ``has_suspect``.
    """
    n = domestic.size
    victim = np.full(n, -1, dtype=np.int64)
    suspect = np.full(n, -1, dtype=np.int64)
    next_index = 0

    planted_suspect = np.arange(N_PLANTED, dtype=np.int64)
    next_index += N_PLANTED
    for p in range(N_PLANTED):
        rows = planted_records[planted_owner == p]
        n_victims = int(rng.choice([1, 2], p=[0.7, 0.3]))
        victims = next_index + rng.integers(0, n_victims, rows.size)
        next_index += n_victims
        suspect[rows] = planted_suspect[p]
        victim[rows] = victims

    ordinary_da = domestic.copy()
    ordinary_da[planted_records] = False
    da_rows = np.flatnonzero(ordinary_da)
    # Repeat relationships average three offences; the most abusive about twenty in 3 years.
    pool = max(1, round(da_rows.size * DA_REPEAT_SHARE / 3))
    couples, n_couples = draw_people(
        da_rows.size, repeat_share=DA_REPEAT_SHARE, pool=pool, exponent=1.0, shift=pool / 17, start=0, rng=rng
    )
    # Couple c is victim next_index + 2c and suspect next_index + 2c + 1.
    victim[da_rows] = next_index + 2 * couples
    suspect[da_rows] = next_index + 2 * couples + 1
    next_index += 2 * n_couples

    v_rows = np.flatnonzero(has_victim & ~domestic)
    victim[v_rows], next_index = draw_people(
        v_rows.size,
        repeat_share=0.12,
        pool=8_000,
        exponent=1.0,
        shift=250.0,
        start=next_index,
        rng=rng,
    )
    s_rows = np.flatnonzero(has_suspect & ~domestic)
    suspect[s_rows], next_index = draw_people(
        s_rows.size,
        repeat_share=0.45,
        pool=12_000,
        exponent=1.0,
        shift=150.0,
        start=next_index,
        rng=rng,
    )
    return OffencePeople(victim=victim, suspect=suspect, planted_suspect=planted_suspect, next_index=next_index)
