"""Offence records: from the stratum plan to one array per field, sorted as a force extract is.

Pure numpy. Each stratum's exact monthly counts become records; each record then gets an offence
code from its stratum's codes, its flags, a map point on the surface of its kind of crime
(``placement.py``), a recorded date and committed window (``timing.py``), a DASH risk level where
it is domestic abuse, an outcome and its victim and suspect (``people.py``). The records are
finally sorted by recorded date and numbered the way Essex numbers crimes
(``42/<serial within the calendar year>/<yy>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray
from crimeprev.demo.calibration import Targets
from crimeprev.demo.catalogue import CATALOGUE, CONDUCTS, TIMINGS
from crimeprev.demo.months import CURRENT_FY, FIRST_MONTH, FIRST_YEAR, financial_year_months
from crimeprev.demo.outcomes import Chances, Cohort, decide_outcomes
from crimeprev.demo.people import (
    DA_AT_HOME,
    DA_STANDARD,
    HOUSEHOLDS_PER_POINT,
    SUSPECT_POOLS,
    VICTIM_POOLS,
    PersonIndexer,
    assign_da_risk,
    draw_couples,
    draw_local_people,
    households,
    plant_perpetrators,
)
from crimeprev.demo.placement import LocalRates, PlantTally, place_records, spread_near_repeats
from crimeprev.demo.places import CATEGORY_COLUMNS, PlaceFrame
from crimeprev.demo.strata import POSSESSION_CODES, RAPE_CODES, RESIDENTIAL_BURGLARY_CODES, OffencePlan
from crimeprev.demo.timing import draw_timing, week_of_action_targets
from crimeprev.model.schema import FLAGS

CODE_INDEX: Final = {c.code: i for i, c in enumerate(CATALOGUE)}
ATTEMPT_P: Final[dict[str, float]] = {
    "burglary": 0.14,
    "business_burglary": 0.12,
    "robbery": 0.08,
    "vehicle": 0.08,
    "theft": 0.02,
}
VIOLENT_CONDUCTS: Final = frozenset({"assault", "serious_assault", "homicide"})
# The extract starts in April 2021: that year's serial numbers continue from January-March.
FIRST_YEAR_SERIALS: Final = 40_000


# Offences recorded against a business at the map point, not a person.
BUSINESS_CODES: Final = frozenset({"46", "34A", "28G"})
SERIOUS_CODES: Final = frozenset({"1", "2", "5D", "5E"}) | RAPE_CODES
N_PLANTED: Final = 6
# Surfaces by police.uk category, and the special ones.
OFFENCE_SURFACES: Final = (*CATEGORY_COLUMNS.values(), "nte", "home")


@dataclass(frozen=True)
class PlantedPerpetrator:
    """One planted domestic-abuse perpetrator: who, and the rows of their offences (canonical order)."""

    suspect_number: int
    victim_numbers: tuple[int, ...]
    rows: IntArray


@dataclass(frozen=True)
class OffenceRecords:
    """One array per field, one element per offence, in extract order.

    ``code`` indexes ``catalogue.CATALOGUE``; ``hate_label`` indexes the hate strand labels
    (-1: none); ``da_risk`` is 0 (not DA), 1 standard, 2 medium, 3 high; ``outcome`` indexes
    ``outcomes.OUTCOME_LABELS``; ``victim`` / ``suspect`` are person numbers (-1: none);
    ``year`` and ``serial`` make the crime reference.
    """

    stratum: IntArray
    month: IntArray
    recorded_day: IntArray
    committed_from: IntArray
    committed_to: IntArray
    code: IntArray
    flags: Mapping[str, BoolArray]
    hate_label: IntArray
    da_risk: IntArray
    district: IntArray
    point: IntArray
    located: BoolArray
    outcome: IntArray
    outcome_month: IntArray
    arrested: BoolArray
    attended: BoolArray
    victim: IntArray
    suspect: IntArray
    year: IntArray
    serial: IntArray
    gravity: IntArray
    surface: IntArray
    business_victim: BoolArray
    planted: tuple[PlantedPerpetrator, ...]
    tallies: Mapping[str, PlantTally]
    next_person_index: int

    def __len__(self) -> int:
        return int(self.month.size)


def expand_plan(plan: OffencePlan) -> tuple[IntArray, IntArray]:
    """(stratum, month) of every record, stratum-major: the canonical record order."""
    n_strata, n_months = plan.month_counts.shape
    cells = plan.month_counts.ravel()
    stratum = np.repeat(np.repeat(np.arange(n_strata), n_months), cells)
    month = np.repeat(np.tile(np.arange(n_months), n_strata), cells)
    return stratum, month


def stratum_flag(plan: OffencePlan, stratum: IntArray, flag: str) -> BoolArray:
    """Whether each record's stratum carries ``flag``."""
    table = np.array([flag in s.flags for s in plan.strata], dtype=np.bool_)
    return table[stratum]


def draw_codes(plan: OffencePlan, stratum: IntArray, rng: np.random.Generator) -> IntArray:
    code = np.empty(stratum.size, dtype=np.int64)
    for s, spec in enumerate(plan.strata):
        idx = np.flatnonzero(stratum == s)
        options = np.array([CODE_INDEX[c] for c in spec.codes], dtype=np.int64)
        weights = np.array(spec.code_weights)
        code[idx] = rng.choice(options, size=idx.size, p=weights / weights.sum())
    return code


def _draw_flags(plan: OffencePlan, stratum: IntArray, code: IntArray, rng: np.random.Generator) -> dict[str, BoolArray]:
    flags = {f: stratum_flag(plan, stratum, f) for f in FLAGS}
    for s, spec in enumerate(plan.strata):
        for flag, p in spec.optional_flags:
            idx = np.flatnonzero(stratum == s)
            flags[flag][idx] |= rng.random(idx.size) < p
    attempt_p = np.array([ATTEMPT_P.get(c.conduct, 0.0) for c in CATALOGUE])
    flags["attempt"] = rng.random(code.size) < attempt_p[code]
    return flags


def _chances(code: IntArray, flags: Mapping[str, BoolArray]) -> Chances:
    conducts = [CONDUCTS[c.conduct] for c in CATALOGUE]
    attend = np.array([c.attend_p for c in conducts])[code]
    arrest = np.array([c.arrest_p for c in conducts])[code]
    solved = np.array([c.solved_p for c in conducts])[code]
    suspect = np.array([c.suspect_p for c in conducts])[code]
    da = flags["domestic_abuse"]
    knife = flags["knife"]
    suspect = np.where(da, 1.0, np.where(flags["hate"], np.maximum(suspect, 0.6), suspect))
    arrest = np.where(da, np.maximum(arrest, 0.3), np.where(knife, np.maximum(arrest, 0.35), arrest))
    solved = np.where(da, 0.09, solved)
    attend = np.where(da | knife | flags["nte"], np.maximum(attend, 0.85), attend)
    possession = np.isin(code, [CODE_INDEX[c] for c in POSSESSION_CODES])
    return Chances(attend=attend, arrest=arrest, solved=solved, suspect=suspect, possession=possession)


def _in_months(month: IntArray, months: tuple[int, ...] | range) -> BoolArray:
    return np.isin(month, np.array(list(months), dtype=np.int64))


def _number_crimes(sorted_months: IntArray) -> tuple[IntArray, IntArray]:
    """Calendar year and serial number within the year of records sorted by recorded date."""
    year = FIRST_YEAR + (FIRST_MONTH - 1 + sorted_months) // 12
    first_of_year = np.searchsorted(year, year, side="left")
    serial = np.arange(year.size) - first_of_year + 1 + np.where(year == FIRST_YEAR, FIRST_YEAR_SERIALS, 0)
    return year.astype(np.int64), serial.astype(np.int64)


def _surfaces_of(code_text: npt.NDArray[np.str_], flags: Mapping[str, BoolArray]) -> IntArray:
    """The surface each offence is placed on: its police.uk category, or NTE or (for DA) home."""
    category = {c.code: CATEGORY_COLUMNS[c.police_uk] for c in CATALOGUE}
    names = np.array([category[c] for c in code_text])
    names = np.where(flags["nte"], "nte", names)
    names = np.where(flags["domestic_abuse"], "home", names)
    return np.array([OFFENCE_SURFACES.index(n) for n in names], dtype=np.int64)


def gravity_of(code_text: npt.NDArray[np.str_], violent: BoolArray) -> IntArray:
    """0 other, 1 violent, 2 serious violence or rape: the gravity the DA history follows."""
    return np.where(np.isin(code_text, list(SERIOUS_CODES)), 2, np.where(violent, 1, 0)).astype(np.int64)


def _relocate_domestic(frame: PlaceFrame, point: IntArray, home: IntArray, rng: np.random.Generator) -> IntArray:
    """DA mostly at the victim's home; elsewhere in the home's district otherwise."""
    at_home = (rng.random(point.size) < DA_AT_HOME) | (frame.district[point] != frame.district[home])
    return np.where(at_home, home, point)


def _domestic_people(
    frame: PlaceFrame,
    domestic: BoolArray,
    gravity: IntArray,
    month: IntArray,
    day: IntArray,
    point: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray, tuple[tuple[IntArray, IntArray, IntArray], ...], int]:
    """Victims, perpetrators and places of DA records, and the planted perpetrators' records.

    Returns (victim, suspect, point, planted, next index); ``planted`` holds, per perpetrator,
    (rows, suspect index, victim indices).
    """
    n = domestic.size
    victim = np.full(n, -1, dtype=np.int64)
    suspect = np.full(n, -1, dtype=np.int64)
    point = point.copy()
    other, violent, serious = (np.flatnonzero(domestic & (gravity == g)).astype(np.int64) for g in range(3))
    histories = plant_perpetrators((other, violent, serious), month, N_PLANTED, rng)
    next_index = 0
    planted = []
    for history in histories:
        perpetrator = next_index
        partners = next_index + 1 + np.arange(int(history.partner.max()) + 1)
        next_index = int(partners[-1]) + 1
        rows = history.records
        suspect[rows] = perpetrator
        victim[rows] = partners[history.partner]
        # Successive partners live in the same district, each at a home of their own.
        district = frame.district[point[rows[0]]]
        options = np.flatnonzero((frame.district == district) & frame.residential)
        homes = options[rng.integers(0, options.size, partners.size)]
        point[rows] = _relocate_domestic(frame, point[rows], homes[history.partner], rng)
        planted.append((rows, np.array([perpetrator]), partners))
    taken = np.zeros(n, dtype=np.bool_)
    for rows, _, _ in planted:
        taken[rows] = True
    rows = np.flatnonzero(domestic & ~taken)
    couples = draw_couples(point[rows], day[rows], rng)
    victim[rows] = next_index + 2 * couples.couple
    suspect[rows] = next_index + 2 * couples.couple + 1
    point[rows] = _relocate_domestic(frame, point[rows], couples.home[couples.couple], rng)
    next_index += 2 * couples.n_couples
    return victim, suspect, point, tuple(planted), next_index


def generate_offences(
    plan: OffencePlan,
    code: IntArray,
    frame: PlaceFrame,
    surfaces: Mapping[str, FloatArray],
    rates: LocalRates,
    targets: Targets,
    hate_label: IntArray,
    indexer: PersonIndexer,
    rng: np.random.Generator,
) -> OffenceRecords:
    """All offence records of the plan, given each record's code (``draw_codes``).

    ``hate_label`` gives the strand label of each hate-flagged record, in canonical order.
    """
    stratum, month = expand_plan(plan)
    n = month.size
    flags = _draw_flags(plan, stratum, code, rng)
    labels = np.full(n, -1, dtype=np.int64)
    labels[flags["hate"]] = hate_label
    code_text = np.array([c.code for c in CATALOGUE])[code]

    surface = _surfaces_of(code_text, flags)
    place = place_records(frame, surfaces, OFFENCE_SURFACES, surface, month, rates, rng)
    district_text = np.array(frame.district_names)[place.district]
    conduct_names = np.array([c.conduct for c in CATALOGUE])[code]
    timing_kind = np.array([TIMINGS.index(CONDUCTS[c.conduct].timing) for c in CATALOGUE])[code]
    timing_kind[flags["nte"]] = TIMINGS.index("nte")
    timing = draw_timing(month, timing_kind, week_of_action_targets(code_text, district_text), rng)
    day = timing.committed_from // 86_400

    residential = np.isin(code_text, list(RESIDENTIAL_BURGLARY_CODES))
    point = spread_near_repeats(frame, surfaces["burglary"], place.point, day, residential, rng)

    domestic = flags["domestic_abuse"]
    violent = np.isin(conduct_names, list(VIOLENT_CONDUCTS)) | np.isin(code_text, list(RAPE_CODES))
    gravity = gravity_of(code_text, violent)
    victim, suspect, point, planted_rows, next_index = _domestic_people(
        frame, domestic, gravity, month, day, point, rng
    )
    da_risk = np.zeros(n, dtype=np.int64)
    da_rows = np.flatnonzero(domestic)
    da_risk[da_rows] = assign_da_risk(victim[da_rows], suspect[da_rows], day[da_rows], gravity[da_rows], rng)

    current = _in_months(month, financial_year_months(CURRENT_FY))
    hate = flags["hate"]
    standard_da = domestic & (da_risk == DA_STANDARD) & current
    outcomes = decide_outcomes(
        month,
        _chances(code, flags),
        attendance=[
            Cohort(residential & _in_months(month, targets.burglary_attendance.months), targets.burglary_attendance)
        ],
        arrests=[Cohort(standard_da, targets.da_standard_arrest)],
        solved=[
            Cohort(standard_da, targets.da_standard_solved),
            *(Cohort(hate & _in_months(month, t.months), t) for t in targets.hate_solved),
        ],
        rng=rng,
    )

    area = frame.msoa[point]
    area_district = np.zeros(int(frame.msoa.max()) + 1, dtype=np.int64)
    area_district[frame.msoa] = frame.district
    business = np.isin(code_text, list(BUSINESS_CODES))
    person_victim = np.array([CONDUCTS[c.conduct].person_victim for c in CATALOGUE])[code] & ~domestic
    local = np.flatnonzero(person_victim & ~residential & ~business)
    victim[local], next_index = draw_local_people(area[local], area_district, VICTIM_POOLS, start=next_index, rng=rng)
    # Businesses: one per map point; households: a few per point.
    victim[business] = next_index + point[business]
    next_index += len(frame)
    homes = np.flatnonzero(residential)
    victim[homes] = next_index + households(point[homes], rng)
    next_index += len(frame) * HOUSEHOLDS_PER_POINT
    accused = np.flatnonzero(outcomes.has_suspect & ~domestic)
    suspect[accused], next_index = draw_local_people(
        area[accused], area_district, SUSPECT_POOLS, start=next_index, rng=rng
    )

    planted = tuple(
        PlantedPerpetrator(
            suspect_number=int(indexer.numbers(perpetrator)[0]),
            victim_numbers=tuple(int(v) for v in indexer.numbers(partners)),
            rows=rows,
        )
        for rows, perpetrator, partners in planted_rows
    )
    order = np.lexsort((rng.random(n), timing.recorded_day))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    planted = tuple(PlantedPerpetrator(p.suspect_number, p.victim_numbers, np.sort(rank[p.rows])) for p in planted)
    year, serial = _number_crimes(month[order])
    return OffenceRecords(
        stratum=stratum[order],
        month=month[order],
        recorded_day=timing.recorded_day[order],
        committed_from=timing.committed_from[order],
        committed_to=timing.committed_to[order],
        code=code[order],
        flags={f: v[order] for f, v in flags.items()},
        hate_label=labels[order],
        da_risk=da_risk[order],
        district=frame.district[point][order],
        point=point[order],
        located=place.located[order],
        outcome=outcomes.outcome[order],
        outcome_month=outcomes.outcome_month[order],
        arrested=outcomes.arrested[order],
        attended=outcomes.attended[order],
        victim=indexer.numbers(victim)[order],
        suspect=indexer.numbers(suspect)[order],
        year=year,
        serial=serial,
        gravity=gravity[order],
        surface=surface[order],
        business_victim=business[order],
        planted=planted,
        tallies=place.tallies,
        next_person_index=next_index,
    )
