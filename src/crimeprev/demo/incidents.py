"""Incident records: anti-social behaviour, mental health incidents, s136 detentions, hate incidents.

Mental health incidents and section 136 detentions reproduce the published 12-month counts
exactly; hate incidents reproduce the published quarter and month totals (with hate crimes they
make the published hate-by-type table). Anti-social behaviour has no published count and runs at
about 30,000 a year with a strong summer peak. Mental-health demand is concentrated on a small
group of frequent attenders, and many people detained under s136 are among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import FloatArray, IntArray, Pin, allocate_months
from crimeprev.demo.calibration import Targets
from crimeprev.demo.geography import HOTSPOTS, Geography, pick_hotspots, place_records
from crimeprev.demo.months import N_MONTHS, seasonal_weights
from crimeprev.demo.people import PersonIndexer, draw_people
from crimeprev.demo.strata import FY2021_FACTOR_RANGE, MONTH_NOISE_SHAPE
from crimeprev.demo.timing import recorded_days

ASB: Final = "anti-social behaviour"
MENTAL_HEALTH: Final = "mental health incident"
S136: Final = "section 136 detention"
HATE_INCIDENT: Final = "hate incident"
INCIDENT_KINDS: Final = (ASB, MENTAL_HEALTH, S136, HATE_INCIDENT)
ASB_TOTALS: Final = (31_900, 30_200, 28_700)
# Hate incidents a month outside the published quarters.
HATE_INCIDENTS_PER_MONTH: Final = 64
_SEASONS: Final = {ASB: "asb", MENTAL_HEALTH: "mental_health", S136: "mental_health", HATE_INCIDENT: "violence"}
MH_REPEAT_POOL: Final = 2_500
S136_FROM_MH_POOL: Final = 0.6


@dataclass(frozen=True)
class IncidentPlan:
    """Exact counts per incident kind (rows, in ``INCIDENT_KINDS`` order) and month."""

    month_counts: IntArray


@dataclass(frozen=True)
class IncidentRecords:
    """One array per field, one element per incident, in extract order (by recorded date)."""

    kind: IntArray
    month: IntArray
    recorded_day: IntArray
    hate_label: IntArray
    hotspot: IntArray
    district: IntArray
    lsoa: IntArray
    lat: FloatArray
    lon: FloatArray
    street: IntArray
    person: IntArray
    sequence: IntArray  # number of the incident within its recorded day, from 1

    def __len__(self) -> int:
        return int(self.month.size)


def _hate_incident_totals(pins: tuple[Pin, ...], rng: np.random.Generator) -> tuple[int, int, int]:
    pinned = [0, 0, 0]
    pinned_months = [0, 0, 0]
    for pin in pins:
        fy = pin.months[0] // 12
        pinned[fy] += pin.count
        pinned_months[fy] += len(pin.months)
    totals = [p + (12 - m) * HATE_INCIDENTS_PER_MONTH for p, m in zip(pinned, pinned_months, strict=True)]
    low, high = FY2021_FACTOR_RANGE
    totals[0] = round(totals[1] * rng.uniform(low, high))
    return totals[0], totals[1], totals[2]


def plan_incidents(targets: Targets, rng: np.random.Generator) -> IncidentPlan:
    """Exact monthly incident counts for every kind."""
    low, high = FY2021_FACTOR_RANGE
    totals: dict[str, tuple[int, int, int]] = {ASB: ASB_TOTALS}
    for kind, measure in ((MENTAL_HEALTH, "mental_health_incidents"), (S136, "s136_detentions")):
        previous, current = targets.pair("mental-health", measure)
        totals[kind] = (round(previous * rng.uniform(low, high)), previous, current)
    totals[HATE_INCIDENT] = _hate_incident_totals(targets.hate_incident_pins, rng)
    counts = np.zeros((len(INCIDENT_KINDS), N_MONTHS), dtype=np.int64)
    for k, kind in enumerate(INCIDENT_KINDS):
        pins = targets.hate_incident_pins if kind == HATE_INCIDENT else ()
        counts[k] = allocate_months(
            totals[kind], pins, seasonal_weights(_SEASONS[kind]), shape=MONTH_NOISE_SHAPE, rng=rng
        )
    return IncidentPlan(month_counts=counts)


def expand_incident_plan(plan: IncidentPlan) -> tuple[IntArray, IntArray]:
    """(kind, month) of every incident, kind-major: the canonical record order."""
    n_kinds, n_months = plan.month_counts.shape
    cells = plan.month_counts.ravel()
    kind = np.repeat(np.repeat(np.arange(n_kinds), n_months), cells)
    month = np.repeat(np.tile(np.arange(n_months), n_kinds), cells)
    return kind, month


def generate_incidents(
    plan: IncidentPlan,
    geo: Geography,
    hate_label: IntArray,
    indexer: PersonIndexer,
    first_person: int,
    rng: np.random.Generator,
) -> IncidentRecords:
    """All incident records; ``hate_label`` labels the hate incidents in canonical order.

    People are numbered from ``first_person`` on, after everyone in the offence records.
    """
    kind, month = expand_incident_plan(plan)
    n = month.size
    labels = np.full(n, -1, dtype=np.int64)
    labels[kind == INCIDENT_KINDS.index(HATE_INCIDENT)] = hate_label
    eligible = [np.isin(kind, [INCIDENT_KINDS.index(t) for t in spot.incident_types]) for spot in HOTSPOTS]
    place = place_records(geo, pick_hotspots(eligible, month, rng), rng)
    day = recorded_days(month, rng)

    person = np.full(n, -1, dtype=np.int64)
    mh_rows = np.flatnonzero(kind == INCIDENT_KINDS.index(MENTAL_HEALTH))
    person[mh_rows], next_person = draw_people(
        mh_rows.size,
        repeat_share=0.5,
        pool=MH_REPEAT_POOL,
        exponent=1.0,
        shift=40.0,
        start=first_person,
        rng=rng,
    )
    s136_rows = np.flatnonzero(kind == INCIDENT_KINDS.index(S136))
    s136_people = next_person + np.arange(s136_rows.size, dtype=np.int64)
    from_pool = rng.random(s136_rows.size) < S136_FROM_MH_POOL
    s136_people[from_pool] = first_person + rng.integers(0, MH_REPEAT_POOL, int(from_pool.sum()))
    person[s136_rows] = s136_people
    numbers = indexer.numbers(person)

    order = np.lexsort((rng.random(n), day))
    sorted_day = day[order]
    sequence = np.arange(n) - np.searchsorted(sorted_day, sorted_day, side="left") + 1
    return IncidentRecords(
        kind=kind[order],
        month=month[order],
        recorded_day=sorted_day,
        hate_label=labels[order],
        hotspot=place.hotspot[order],
        district=place.district[order],
        lsoa=place.lsoa[order],
        lat=place.lat[order],
        lon=place.lon[order],
        street=place.street[order],
        person=numbers[order],
        sequence=sequence,
    )
