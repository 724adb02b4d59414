"""Offence records: from the stratum plan to one array per field, sorted as a force extract is.

Pure numpy. Each stratum's exact monthly counts become records; each record then gets an offence
code from its stratum's codes, its flags, a place (possibly a planted hotspot), a committed
window, a DASH risk level where it is domestic abuse, an outcome and its victim and suspect. The
records are finally sorted by recorded date and numbered the way Essex numbers crimes
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
from crimeprev.demo.geography import HOTSPOTS, Geography, pick_hotspots, place_records
from crimeprev.demo.months import CURRENT_FY, FIRST_MONTH, FIRST_YEAR, financial_year_months
from crimeprev.demo.outcomes import Chances, Cohort, decide_outcomes
from crimeprev.demo.people import (
    DA_HIGH,
    DA_STANDARD,
    OffencePeople,
    PersonIndexer,
    assign_da_risk,
    assign_offence_people,
    plant_perpetrators,
)
from crimeprev.demo.strata import POSSESSION_CODES, RAPE_CODES, RESIDENTIAL_BURGLARY_CODES, OffencePlan
from crimeprev.demo.timing import draw_timing
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


@dataclass(frozen=True)
class PlantedPerpetrator:
    """What ``ground-truth.json`` says about one planted domestic-abuse perpetrator."""

    suspect_number: int
    offences: int
    high_risk_offences: int
    violent_offences: int
    victims: int
    first_month: int
    last_month: int


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
    hotspot: IntArray
    district: IntArray
    lsoa: IntArray
    lat: FloatArray
    lon: FloatArray
    street: IntArray
    outcome: IntArray
    outcome_month: IntArray
    arrested: BoolArray
    attended: BoolArray
    victim: IntArray
    suspect: IntArray
    year: IntArray
    serial: IntArray
    planted: tuple[PlantedPerpetrator, ...]
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


def _draw_codes(plan: OffencePlan, stratum: IntArray, rng: np.random.Generator) -> IntArray:
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


def _hotspot_eligible(code_text: npt.NDArray[np.str_], flags: Mapping[str, BoolArray]) -> list[BoolArray]:
    eligible = []
    for spot in HOTSPOTS:
        mask = np.isin(code_text, list(spot.codes))
        for flag in spot.flags:
            mask |= flags[flag]
        eligible.append(mask)
    return eligible


def _in_months(month: IntArray, months: tuple[int, ...] | range) -> BoolArray:
    return np.isin(month, np.array(list(months), dtype=np.int64))


def _describe_planted(
    rows: IntArray,
    owner: IntArray,
    month: IntArray,
    da_risk: IntArray,
    violent: BoolArray,
    victim: IntArray,
    indexer: PersonIndexer,
    people: OffencePeople,
) -> tuple[PlantedPerpetrator, ...]:
    described = []
    for p, suspect in enumerate(indexer.numbers(people.planted_suspect)):
        own = rows[owner == p]
        described.append(
            PlantedPerpetrator(
                suspect_number=int(suspect),
                offences=int(own.size),
                high_risk_offences=int(np.count_nonzero(da_risk[own] == DA_HIGH)),
                violent_offences=int(np.count_nonzero(violent[own])),
                victims=int(np.unique(victim[own]).size),
                first_month=int(month[own].min()),
                last_month=int(month[own].max()),
            )
        )
    return tuple(described)


def _number_crimes(sorted_months: IntArray) -> tuple[IntArray, IntArray]:
    """Calendar year and serial number within the year of records sorted by recorded date."""
    year = FIRST_YEAR + (FIRST_MONTH - 1 + sorted_months) // 12
    first_of_year = np.searchsorted(year, year, side="left")
    serial = np.arange(year.size) - first_of_year + 1 + np.where(year == FIRST_YEAR, FIRST_YEAR_SERIALS, 0)
    return year.astype(np.int64), serial.astype(np.int64)


def generate_offences(
    plan: OffencePlan,
    geo: Geography,
    targets: Targets,
    hate_label: IntArray,
    indexer: PersonIndexer,
    rng: np.random.Generator,
) -> OffenceRecords:
    """All offence records of the plan.

    ``hate_label`` gives the strand label of each hate-flagged record, in canonical order.
    """
    stratum, month = expand_plan(plan)
    n = month.size
    code = _draw_codes(plan, stratum, rng)
    flags = _draw_flags(plan, stratum, code, rng)
    labels = np.full(n, -1, dtype=np.int64)
    labels[flags["hate"]] = hate_label

    code_text = np.array([c.code for c in CATALOGUE])[code]
    place = place_records(geo, pick_hotspots(_hotspot_eligible(code_text, flags), month, rng), rng)

    conduct_names = np.array([c.conduct for c in CATALOGUE])[code]
    timing_kind = np.array([TIMINGS.index(CONDUCTS[c.conduct].timing) for c in CATALOGUE])[code]
    timing_kind[flags["nte"]] = TIMINGS.index("nte")
    timing = draw_timing(month, timing_kind, rng)

    domestic = flags["domestic_abuse"]
    violent = np.isin(conduct_names, list(VIOLENT_CONDUCTS)) | np.isin(code_text, list(RAPE_CODES))
    planted_rows, planted_owner = plant_perpetrators(domestic, violent, month, rng)
    da_risk = assign_da_risk(domestic, planted_rows, rng)

    current = _in_months(month, financial_year_months(CURRENT_FY))
    residential = np.isin(code_text, list(RESIDENTIAL_BURGLARY_CODES))
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
    person_victim = np.array([CONDUCTS[c.conduct].person_victim for c in CATALOGUE])[code]
    people = assign_offence_people(
        domestic=domestic,
        has_victim=person_victim | domestic,
        has_suspect=outcomes.has_suspect | domestic,
        planted_records=planted_rows,
        planted_owner=planted_owner,
        rng=rng,
    )
    victim = indexer.numbers(people.victim)
    suspect = indexer.numbers(people.suspect)

    planted = _describe_planted(planted_rows, planted_owner, month, da_risk, violent, victim, indexer, people)
    order = np.lexsort((rng.random(n), timing.recorded_day))
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
        hotspot=place.hotspot[order],
        district=place.district[order],
        lsoa=place.lsoa[order],
        lat=place.lat[order],
        lon=place.lon[order],
        street=place.street[order],
        outcome=outcomes.outcome[order],
        outcome_month=outcomes.outcome_month[order],
        arrested=outcomes.arrested[order],
        attended=outcomes.attended[order],
        victim=victim[order],
        suspect=suspect[order],
        year=year,
        serial=serial,
        planted=planted,
        next_person_index=people.next_index,
    )
