"""What was planted in the demo data, for checking what the system finds against the truth.

``ground-truth.json`` describes every plant of ``plants.py`` with its declared size and what the
generated records show: hotspots (records inside, and how many the real map alone would have put
there), operation zones (the target records inside and force-wide, six months before and after the
start), weeks of action (the target records' daily rate in the week against the rest of its
month), and the planted domestic-abuse perpetrators (their raw IDs as written in ``offences.csv``,
their escalating histories, and where a plain count of offences ranks them), how concentrated
domestic abuse and knife crime are on repeat victims and offenders, and a change that is
noise (business burglary: the same expected count in both years, a difference of a few per cent by
chance, which must not be reported as a rise or a fall). It also lists the most victimised
businesses. No names exist in the demo: people are IDs only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

import numpy as np

from crimeprev.demo.allocation import BoolArray
from crimeprev.demo.catalogue import CATALOGUE
from crimeprev.demo.dataset import DemoData
from crimeprev.demo.incidents import INCIDENT_SURFACES
from crimeprev.demo.months import days_since_epoch, month_first_day, month_index, month_label
from crimeprev.demo.offences import OFFENCE_SURFACES
from crimeprev.demo.people import DA_HIGH
from crimeprev.demo.placement import inside
from crimeprev.demo.plants import HOTSPOTS, WEEKS_OF_ACTION, ZONES, Hotspot, PlantArea, Zone
from crimeprev.demo.strata import CALIBRATED_STRATA, NOISE_PLANT_MEAN, NOISE_PLANT_STRATUM

NOISE_SPEC: Final = next(s for s in CALIBRATED_STRATA if s.name == NOISE_PLANT_STRATUM)
# What each surface holds, in the words of the extract's columns.
SURFACE_RECORDS: Final[dict[str, str]] = {
    "nte": "offences with the NTE flag",
    "home": "domestic abuse offences",
    "asb": "anti-social behaviour and s136 incidents",
    "mental_health": "mental health incidents",
    "public_order": "public order offences (not NTE or domestic abuse) and hate incidents",
}
COUNT_WINDOW_MONTHS: Final = 12
ZONE_WINDOW_MONTHS: Final = 6


def person_id(number: int) -> str:
    """The raw ID of a person number, as the extract writes it."""
    return f"P{number:08d}"


def _describe(surface: str) -> str:
    return SURFACE_RECORDS.get(surface, f"offences of police.uk category column {surface!r} (not NTE or DA)")


def _targets(data: DemoData, plant: PlantArea) -> tuple[BoolArray, BoolArray]:
    offence_kinds = [OFFENCE_SURFACES.index(s) for s in plant.surfaces if s in OFFENCE_SURFACES]
    incident_kinds = [k for k, s in enumerate(INCIDENT_SURFACES) if s in plant.surfaces]
    return np.isin(data.offences.surface, offence_kinds), np.isin(data.incidents.kind, incident_kinds)


def _inside(data: DemoData, plant: PlantArea) -> tuple[BoolArray, BoolArray]:
    mask = inside(data.frame, plant.lat, plant.lon, plant.radius_m)
    return (
        mask[data.offences.point] & data.offences.located,
        mask[data.incidents.point] & data.incidents.located,
    )


def _count(data: DemoData, offences: BoolArray, incidents: BoolArray, months: range) -> int:
    window = np.arange(months.start, months.stop)
    return int(
        np.count_nonzero(offences & np.isin(data.offences.month, window))
        + np.count_nonzero(incidents & np.isin(data.incidents.month, window))
    )


def _hotspot(data: DemoData, spot: Hotspot) -> dict[str, Any]:
    offences, incidents = _targets(data, spot)
    in_o, in_i = _inside(data, spot)
    tally_o = data.offences.tallies[spot.key]
    tally_i = data.incidents.tallies[spot.key]
    without = tally_o.expected_without + tally_i.expected_without
    factors = spot.multipliers()
    return {
        "key": spot.key,
        "name": spot.name,
        "district": spot.district,
        "lat": spot.lat,
        "lon": spot.lon,
        "radius_m": spot.radius_m,
        "surfaces": sorted(spot.surfaces),
        "records": [_describe(s) for s in sorted(spot.surfaces)],
        "concentrates": spot.concentrates,
        "trend": spot.trend,
        "factor": spot.factor,
        "factor_by_month": {month_label(m): round(float(f), 3) for m, f in enumerate(factors)},
        "planted_records": int(np.count_nonzero(offences & in_o) + np.count_nonzero(incidents & in_i)),
        "expected_without_plant": round(without, 1),
        "expected_with_plant": round(tally_o.expected_with + tally_i.expected_with, 1),
        "records_by_year": [
            _count(data, offences & in_o, incidents & in_i, range(12 * y, 12 * y + 12)) for y in range(3)
        ],
    }


def _change_pct(before: int, after: int) -> float | None:
    """Percentage change, or None (JSON null) where there is nothing before to compare with."""
    return round(100.0 * (after - before) / before, 1) if before else None


def _zone(data: DemoData, zone: Zone) -> dict[str, Any]:
    offences, incidents = _targets(data, zone)
    in_o, in_i = _inside(data, zone)
    before = range(zone.start - ZONE_WINDOW_MONTHS, zone.start)
    after = range(zone.start, zone.start + ZONE_WINDOW_MONTHS)
    zone_before = _count(data, offences & in_o, incidents & in_i, before)
    zone_after = _count(data, offences & in_o, incidents & in_i, after)
    force_before = _count(data, offences, incidents, before)
    force_after = _count(data, offences, incidents, after)
    return {
        "key": zone.key,
        "name": zone.name,
        "operation": zone.operation,
        "district": zone.district,
        "lat": zone.lat,
        "lon": zone.lon,
        "radius_m": zone.radius_m,
        "records": [_describe(s) for s in sorted(zone.surfaces)],
        "start_month": month_label(zone.start),
        "planted_effect": zone.effect,
        "window": {
            "before": f"{month_label(before.start)} to {month_label(before.stop - 1)}",
            "after": f"{month_label(after.start)} to {month_label(after.stop - 1)}",
        },
        "zone_records": [zone_before, zone_after],
        "force_records": [force_before, force_after],
        "zone_change_pct": _change_pct(zone_before, zone_after),
        "force_change_pct": _change_pct(force_before, force_after),
    }


def _week(data: DemoData, index: int) -> dict[str, Any]:
    week = WEEKS_OF_ACTION[index]
    code_text = np.array([c.code for c in CATALOGUE])[data.offences.code]
    target = np.isin(code_text, list(week.codes))
    if week.districts:
        target &= np.isin(np.array(data.frame.district_names)[data.offences.district], list(week.districts))
    first = days_since_epoch(week.first_day)
    day = data.offences.recorded_day
    month = month_index(week.first_day.strftime("%Y-%m"))
    in_month = target & (data.offences.month == month)
    in_week = in_month & (day >= first) & (day < first + week.days)
    rest = int(np.count_nonzero(in_month & ~in_week))
    month_days = days_since_epoch(month_first_day(month + 1)) - days_since_epoch(month_first_day(month))
    rest_days = month_days - week.days
    return {
        "key": week.key,
        "name": week.name,
        "operation": week.operation,
        "first_day": week.first_day.isoformat(),
        "last_day": week.last_day.isoformat(),
        "offence_codes": sorted(week.codes),
        "districts": sorted(week.districts) or "force-wide",
        "planted_effect": week.effect,
        "records_in_week": int(np.count_nonzero(in_week)),
        "records_rest_of_month": rest,
        "daily_rate_ratio": round((np.count_nonzero(in_week) / week.days) / max(rest / rest_days, 1e-9), 2),
    }


def _perpetrators(data: DemoData) -> list[dict[str, Any]]:
    o = data.offences
    code_text = np.array([c.code for c in CATALOGUE])[o.code]
    recent = o.flags["domestic_abuse"] & (o.month >= 36 - COUNT_WINDOW_MONTHS)
    counts = Counter(int(s) for s in o.suspect[recent])
    ranking = sorted(counts.values(), reverse=True)
    window = f"{month_label(36 - COUNT_WINDOW_MONTHS)} to {month_label(35)}"
    out = []
    for p in data.offences.planted:
        rows = p.rows
        recent_count = counts.get(p.suspect_number, 0)
        out.append(
            {
                "suspect_id": person_id(p.suspect_number),
                "victim_ids": [person_id(v) for v in p.victim_numbers],
                "da_offences": int(rows.size),
                "da_offences_last_12_months": recent_count,
                "plain_count_rank": 1 + sum(1 for n in ranking if n > recent_count),
                "violent_offences": int(np.count_nonzero(o.gravity[rows] >= 1)),
                "serious_offences": int(np.count_nonzero(o.gravity[rows] == 2)),
                "high_risk_offences": int(np.count_nonzero(o.da_risk[rows] == DA_HIGH)),
                "first_offence_month": month_label(int(o.month[rows].min())),
                "most_recent_offence_month": month_label(int(o.month[rows].max())),
                "history": [
                    {"month": month_label(int(o.month[r])), "code": str(code_text[r]), "gravity": int(o.gravity[r])}
                    for r in rows
                ],
                "why_planted": (
                    f"escalating domestic abuse against {len(p.victim_numbers)} partners in turn: "
                    "harassment and damage, then assaults, then serious violence or rape in the last eight "
                    f"months; a recency-frequency-gravity ranking should place them near the top, a plain "
                    f"count of DA offences {window} does not (rank {1 + sum(1 for n in ranking if n > recent_count)})"
                ),
            }
        )
    return out


def _top_businesses(data: DemoData, n: int = 5) -> list[dict[str, Any]]:
    o = data.offences
    rows = np.flatnonzero(o.business_victim & (o.month >= 36 - COUNT_WINDOW_MONTHS))
    counts = Counter(int(v) for v in o.victim[rows])
    point_of = {int(o.victim[r]): int(o.point[r]) for r in rows}
    return [
        {
            "victim_id": person_id(v),
            "location": data.frame.locations[data.frame.location[point_of[v]]],
            "district": data.frame.district_names[data.frame.district[point_of[v]]],
            "offences_last_12_months": c,
        }
        for v, c in counts.most_common(n)
    ]


# The indicators whose repeat victimisation the ground truth states, by the flag that defines them.
REPEAT_INDICATORS: Final = {"domestic_abuse_offences": "domestic_abuse", "knife_crime_offences": "knife"}


def _concentration(people: Any) -> dict[str, Any]:
    """How concentrated records are on people (-1: no person recorded)."""
    known = people[people >= 0]
    counts = Counter(int(p) for p in known)
    repeats = [n for n in counts.values() if n >= 2]
    return {
        "records": int(people.size),
        "without_person": int(people.size - known.size),
        "people": len(counts),
        "repeat_people": len(repeats),
        "repeat_people_pct": round(100.0 * len(repeats) / len(counts), 1) if counts else None,
        "repeat_records": sum(repeats),
        "repeat_records_pct": round(100.0 * sum(repeats) / known.size, 1) if known.size else None,
    }


def _repeat_victimisation(data: DemoData) -> list[dict[str, Any]]:
    """Repeat victims and offenders of the last 12 months, from the raw people of the records."""
    o = data.offences
    recent = o.month >= 36 - COUNT_WINDOW_MONTHS
    out = []
    for indicator, flag in REPEAT_INDICATORS.items():
        rows = recent & o.flags[flag]
        for role, people in (("victim", o.victim), ("offender", o.suspect)):
            out.append(
                {
                    "indicator": indicator,
                    "role": role,
                    "window": f"{month_label(36 - COUNT_WINDOW_MONTHS)} to {month_label(35)}",
                    **_concentration(people[rows]),
                }
            )
    return out


def _noise_change(data: DemoData) -> dict[str, Any]:
    code = next(c for c, _ in NOISE_SPEC.codes)
    rows = np.array([c.code for c in CATALOGUE])[data.offences.code] == code
    previous, current = (int(np.count_nonzero(rows & (data.offences.month // 12 == fy))) for fy in (1, 2))
    return {
        "indicator": "business_burglary_offences",
        "offence_codes": [code],
        "previous_period": f"{month_label(12)} to {month_label(23)}",
        "current_period": f"{month_label(24)} to {month_label(35)}",
        "expected_per_year": NOISE_PLANT_MEAN,
        "previous": previous,
        "current": current,
        "change_pct": _change_pct(previous, current),
        "truth": "no change: both years have the same expected count; the difference is chance",
        "expected_verdict": "within normal variation, not a rise or a fall",
    }


def build_ground_truth(data: DemoData) -> dict[str, Any]:
    """The contents of ``ground-truth.json``."""
    return {
        "synthetic": True,
        "note": (
            "SYNTHETIC DEMO DATA generated by crimeprev.demo, calibrated to published Essex "
            "2023/24 totals; not real records or people. Map points are data.police.uk's anonymised "
            "Essex points (Open Government Licence v3.0)."
        ),
        "seed": data.seed,
        "hotspots": [_hotspot(data, spot) for spot in HOTSPOTS],
        "zones": [_zone(data, zone) for zone in ZONES],
        "weeks_of_action": [_week(data, i) for i in range(len(WEEKS_OF_ACTION))],
        "high_risk_da_perpetrators": _perpetrators(data),
        "noise_change": _noise_change(data),
        "most_victimised_businesses": _top_businesses(data),
        "repeat_victimisation": _repeat_victimisation(data),
    }
