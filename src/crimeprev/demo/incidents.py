"""Incident records: anti-social behaviour, mental health incidents, s136 detentions, hate incidents.

Mental health incidents and section 136 detentions reproduce the published 12-month counts
exactly; hate incidents reproduce the published quarter and month totals (with hate crimes they
make the published hate-by-type table). Anti-social behaviour has no published count and runs at
about 30,000 a year with a strong summer peak. Each kind is placed on its own surface of the real
map (``places.surfaces``). Mental-health demand is concentrated on a small group of frequent
attenders in their own neighbourhoods, and many people detained under s136 are among them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray, Pin, allocate_months
from crimeprev.demo.calibration import Targets
from crimeprev.demo.months import N_MONTHS, seasonal_weights
from crimeprev.demo.people import MENTAL_HEALTH_POOLS, PersonIndexer, draw_local_people
from crimeprev.demo.placement import LocalRates, PlantTally, place_records
from crimeprev.demo.places import PlaceFrame
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
S136_FROM_MH_POOL: Final = 0.6
# The surface each kind of incident is placed on.
INCIDENT_SURFACES: Final = ("asb", "mental_health", "asb", "public_order")


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
    district: IntArray
    point: IntArray
    located: BoolArray
    person: IntArray
    sequence: IntArray  # number of the incident within its recorded day, from 1
    tallies: Mapping[str, PlantTally]

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
    frame: PlaceFrame,
    surfaces: Mapping[str, FloatArray],
    rates: LocalRates,
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
    place = place_records(frame, surfaces, INCIDENT_SURFACES, kind, month, rates, rng)
    day = recorded_days(month, "evening", rng)

    person = np.full(n, -1, dtype=np.int64)
    area = frame.msoa[place.point]
    area_district = np.zeros(int(frame.msoa.max()) + 1, dtype=np.int64)
    area_district[frame.msoa] = frame.district
    mh_rows = np.flatnonzero(kind == INCIDENT_KINDS.index(MENTAL_HEALTH))
    person[mh_rows], next_person = draw_local_people(
        area[mh_rows], area_district, MENTAL_HEALTH_POOLS, start=first_person, rng=rng
    )
    # Many people detained under s136 are known to mental-health services in their district.
    s136_rows = np.flatnonzero(kind == INCIDENT_KINDS.index(S136))
    s136_people = next_person + np.arange(s136_rows.size, dtype=np.int64)
    mh_district = place.district[mh_rows]
    known_in = [mh_rows[mh_district == d] for d in range(len(frame.district_names))]
    for r in np.flatnonzero(rng.random(s136_rows.size) < S136_FROM_MH_POOL):
        known = known_in[place.district[s136_rows[r]]]
        if known.size:
            s136_people[r] = person[known[rng.integers(0, known.size)]]
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
        district=place.district[order],
        point=place.point[order],
        located=place.located[order],
        person=numbers[order],
        sequence=sequence,
        tallies=place.tallies,
    )
