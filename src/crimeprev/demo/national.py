"""A synthetic national data set: every force of England and Wales as data.police.uk street files.

For peer comparison and scale. Each force's volume follows its population (the force table) times
a rate drawn around the national one, its crime mix is the real mix of data.police.uk street files
with a force-level wobble, and its months move with season, a trend of its own and more noise
than Poisson (as real monthly counts do). Inside a force the records fall on LSOAs of unequal
weight, and inside an LSOA on a pool of map points reused again and again (data.police.uk snaps
every record to one of a limited set of points), with the real share of records without a
location. It is not the Essex demo: there are no flags, people or operations, only what a street
file holds, for 43 forces.

Generation is force by force (each force from its own random stream) and month by month, so
memory stays bounded by the largest force-month and the same seed always gives the same rows.
Pure: no I/O here (``demo.files.write_national_data`` writes the files).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from crimeprev.model.codes import ASB_CATEGORY
from crimeprev.model.forces import PoliceForce
from crimeprev.model.periods import add_months

# Shares of the crime rows (ASB apart) in twelve real monthly data.police.uk files (Essex Police,
# 2018-19; ``bench/national.py`` measures the generated files against them side by side).
CRIME_MIX: dict[str, float] = {
    "Violence and sexual offences": 58470,
    "Criminal damage and arson": 16202,
    "Vehicle crime": 15224,
    "Other theft": 13776,
    "Public order": 12257,
    "Burglary": 12152,
    "Shoplifting": 10938,
    "Drugs": 4095,
    "Other crime": 3504,
    "Possession of weapons": 2132,
    "Bicycle theft": 2067,
    "Robbery": 1731,
    "Theft from the person": 1540,
}
# Last outcomes of the settled months (2018-10 to 2019-02, published months later) of the same files.
OUTCOMES: dict[str, float] = {
    "Investigation complete; no suspect identified": 27648,
    "Unable to prosecute suspect": 27147,
    "Court result unavailable": 3366,
    "Local resolution": 2743,
    "Action to be taken by another organisation": 1537,
    "Status update unavailable": 1301,
    "Offender given a drugs possession warning": 804,
    "Offender sent to prison": 692,
    "Offender given a caution": 557,
    "Offender given community sentence": 548,
    "Formal action is not in the public interest": 300,
    "Offender fined": 199,
    "Offender given suspended prison sentence": 177,
    "Defendant found not guilty": 161,
    "Further investigation is not in the public interest": 125,
    "Offender given conditional discharge": 109,
    "Court case unable to proceed": 104,
    "Offender given penalty notice": 70,
    "Offender ordered to pay compensation": 58,
    "Offender otherwise dealt with": 57,
    "Defendant sent to Crown Court": 25,
    "Suspect charged as part of another case": 16,
    "Offender deprived of property": 14,
    "Awaiting court outcome": 11,
    "Offender given absolute discharge": 4,
}
UNDER_INVESTIGATION = "Under investigation"
CRIMES_PER_1000 = 92.0
"""Crimes a year per 1,000 residents nationally (police recorded crime less fraud, about 2023)."""
ASB_PER_1000 = 19.0
"""Anti-social behaviour incidents a year per 1,000 residents."""
VISITOR_FORCES = {"City of London Police": 35.0}
"""Forces whose records come mostly from people who do not live there: rate multiplier."""
NO_LOCATION_SHARE = 0.003
RESIDENTS_PER_LSOA = 1_700
MAX_LSOAS = 9_999
"""A force's LSOA codes are its place in the table and four digits (the Met has about 5,000 LSOAs)."""
RESIDENTS_PER_DISTRICT = 150_000
POINTS_PER_LSOA = 12
PLACES = (
    "Parking Area", "Supermarket", "Shopping Area", "Petrol Station", "Sports/Recreation Area",
    "Pedestrian Subway", "Nightclub", "Police Station", "Park/Open Space", "Hospital", "Theatre/Concert Hall",
    "Bus/Coach Station",
)  # fmt: skip
PLACE_SHARE = 0.2
"""Map points named for a kind of place ("On or near Supermarket"); the others for a street."""
STREET_STEMS = (
    "High", "Station", "Church", "Mill", "School", "Victoria", "Park", "Queens", "Kings", "Manor", "London",
    "Chapel", "Windsor", "York", "Albert", "Grange", "Orchard", "Meadow", "Oak", "Elm", "Ash", "Beech", "Willow",
    "Cedar", "Maple", "Birch", "Holly", "Hawthorn", "Rectory", "Vicarage", "Green", "Brook", "Mill Pond", "Spring",
    "Forest", "Hill", "Valley", "River", "Bridge", "Castle", "Abbey", "Priory", "Market", "North", "South", "East",
    "West", "New", "Long", "Broad", "Nelson", "Wellington", "Churchill", "Alexandra", "Stanley", "Grove", "Cross",
    "Farm", "Heath", "Common",
)  # fmt: skip
STREET_MIDDLES = ("Hill", "Park", "Farm", "Wood", "Field", "Bridge", "Court", "View", "Gate", "Side", "End", "Row",
                  "Hall", "Dene", "Croft")  # fmt: skip
STREET_KINDS = ("Road", "Street", "Lane", "Close", "Avenue", "Way", "Drive", "Gardens", "Crescent", "Place")
HEX = np.array([f"{b:02x}".encode() for b in range(256)], dtype="S2")


@dataclass(frozen=True, slots=True)
class ForcePlan:
    """What one force looks like: its yearly rates, mix, trend and map."""

    force: PoliceForce
    crimes_a_year: float
    asb_a_year: float
    mix: npt.NDArray[np.float64]
    trend: float
    """Yearly growth factor of the force's crime."""
    lsoa_weight: npt.NDArray[np.float64]
    lsoa_code: npt.NDArray[np.object_]
    lsoa_name: npt.NDArray[np.object_]
    point_lat: npt.NDArray[np.float64]
    """(LSOA, point) latitude of each LSOA's pool of map points."""
    point_lon: npt.NDArray[np.float64]
    point_place: npt.NDArray[np.object_]


def plan_force(force: PoliceForce, index: int, scale: float, rng: np.random.Generator) -> ForcePlan:
    """Draw one force's rates, mix and map. ``index`` numbers the force's LSOA codes apart."""
    level = math.exp(rng.normal(0, 0.22)) * VISITOR_FORCES.get(force.name, 1.0)
    mix = np.array(list(CRIME_MIX.values())) * np.exp(rng.normal(0, 0.15, len(CRIME_MIX)))
    lsoas = min(MAX_LSOAS, max(8, round(force.population * scale / RESIDENTS_PER_LSOA)))
    districts = max(1, round(force.population / RESIDENTS_PER_DISTRICT))
    lat0, lon0 = force.centre
    radius = force.radius_km * 0.6 * np.sqrt(rng.random(lsoas))
    angle = rng.random(lsoas) * 2 * np.pi
    lat = lat0 + radius * np.sin(angle) / 111.2
    lon = lon0 + radius * np.cos(angle) / (111.2 * math.cos(math.radians(lat0)))
    jitter = 0.4 * np.sqrt(rng.random((lsoas, POINTS_PER_LSOA)))
    turn = rng.random((lsoas, POINTS_PER_LSOA)) * 2 * np.pi
    point_lat = lat[:, None] + jitter * np.sin(turn) / 111.2
    point_lon = lon[:, None] + jitter * np.cos(turn) / (111.2 * math.cos(math.radians(lat0)))
    district = np.sort(rng.integers(0, districts, lsoas))
    short = force.name.removesuffix(" Police Service").removesuffix(" Police").removesuffix(" Constabulary")
    prefix = "W01" if force.region == "Wales" else "E01"
    codes = np.array([f"{prefix}{index:02d}{k:04d}" for k in range(lsoas)], dtype=object)
    names = np.array(
        [f"{short} {d + 1:02d} {k % 1000:03d}{'ABCDE'[k // 1000 % 5]}" for k, d in enumerate(district)], dtype=object
    )
    streets = np.array(
        [f"On or near {a} {b}" for a in STREET_STEMS for b in STREET_KINDS]
        + [f"On or near {a} {m} {b}" for a in STREET_STEMS for m in STREET_MIDDLES for b in STREET_KINDS],
        dtype=object,
    )
    places = np.array([f"On or near {p}" for p in PLACES], dtype=object)
    named = np.where(
        rng.random((lsoas, POINTS_PER_LSOA)) < PLACE_SHARE,
        places[rng.integers(0, len(places), (lsoas, POINTS_PER_LSOA))],
        streets[rng.integers(0, len(streets), (lsoas, POINTS_PER_LSOA))],
    )
    return ForcePlan(
        force=force,
        crimes_a_year=force.population * CRIMES_PER_1000 / 1000 * level * scale,
        asb_a_year=force.population * ASB_PER_1000 / 1000 * level * math.exp(rng.normal(0, 0.25)) * scale,
        mix=mix / mix.sum(),
        trend=math.exp(rng.normal(0.02, 0.05)),
        lsoa_weight=_normalised(np.exp(rng.normal(0, 0.9, lsoas))),
        lsoa_code=codes,
        lsoa_name=names,
        point_lat=np.round(point_lat, 6),
        point_lon=np.round(point_lon, 6),
        point_place=named,
    )


def _normalised(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(values / values.sum(), dtype=np.float64)


def _season(month: date, amplitude: float) -> float:
    """Higher in summer, lower in winter (peak in July)."""
    return 1 + amplitude * math.cos(2 * math.pi * (month.month - 7) / 12)


def month_rows(plan: ForcePlan, month: date, months_from_start: int, last: date, rng: np.random.Generator) -> pa.Table:
    """One force's street-file rows for one month, in the published column order."""
    growth = plan.trend ** (months_from_start / 12)
    noise = rng.gamma(400, 1 / 400)  # monthly counts vary about 5% beyond Poisson
    crimes = int(rng.poisson(plan.crimes_a_year / 12 * growth * _season(month, 0.06) * noise))
    asb = int(rng.poisson(plan.asb_a_year / 12 * _season(month, 0.15) * noise))
    total = crimes + asb
    categories = np.array(list(CRIME_MIX), dtype=object)
    category = np.concatenate([categories[rng.choice(len(categories), crimes, p=plan.mix)], [ASB_CATEGORY] * asb])
    lsoa = rng.choice(len(plan.lsoa_weight), total, p=plan.lsoa_weight)
    point = (rng.random(total) ** 2.5 * POINTS_PER_LSOA).astype(np.int64)  # a few points take most records
    located = rng.random(total) >= NO_LOCATION_SHARE
    ids = np.frombuffer(HEX[rng.integers(0, 256, (total, 32), dtype=np.uint8)].tobytes(), dtype="S64")
    crime_id = pa.array(ids).cast(pa.string())
    crime_id = pc.if_else(pa.array(np.arange(total) < crimes), crime_id, pa.scalar(None, pa.string()))
    outcome = _outcomes(crimes, asb, months_between(month, last), rng)
    label = f"{month:%Y-%m}"
    lat = pa.array(np.where(located, plan.point_lat[lsoa, point], np.nan), from_pandas=True)
    lon = pa.array(np.where(located, plan.point_lon[lsoa, point], np.nan), from_pandas=True)
    where = np.where(located, plan.point_place[lsoa, point], "No Location")
    order = np.argsort(np.where(located, plan.lsoa_name[lsoa], "~"), kind="stable")  # files run by LSOA name
    name = plan.force.name
    columns = {
        "Crime ID": crime_id,
        "Month": pa.array([label] * total, type=pa.string()),
        "Reported by": pa.array([name] * total, type=pa.string()),
        "Falls within": pa.array([name] * total, type=pa.string()),
        "Longitude": lon,
        "Latitude": lat,
        "Location": pa.array(where.astype(object), type=pa.string()),
        "LSOA code": pa.array(plan.lsoa_code[lsoa], type=pa.string(), mask=~located),
        "LSOA name": pa.array(plan.lsoa_name[lsoa], type=pa.string(), mask=~located),
        "Crime type": pa.array(category, type=pa.string()),
        "Last outcome category": outcome,
        "Context": pa.nulls(total, pa.string()),
    }
    return pa.table(columns).take(pa.array(order))


def months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _outcomes(crimes: int, asb: int, age: int, rng: np.random.Generator) -> pa.Array:
    """Settled outcomes, except that recent months are still largely under investigation."""
    names = np.array([*OUTCOMES, UNDER_INVESTIGATION], dtype=object)
    weights = np.array([*OUTCOMES.values(), 0.0])
    # As in the real files' early release: 45% open in the last month, a quarter for four months more.
    open_share = 0.45 if age == 0 else 0.25 if age <= 4 else 0.0
    weights = weights / weights.sum() * (1 - open_share)
    weights[-1] = open_share
    drawn = names[rng.choice(len(names), crimes, p=weights)]
    return pa.array(np.concatenate([drawn, np.full(asb, None, dtype=object)]), type=pa.string())


def national_months(last: date, months: int) -> list[date]:
    return [add_months(last, -k) for k in range(months - 1, -1, -1)]


def generate(
    forces: Sequence[PoliceForce], last: date, months: int, scale: float, seed: int, only: set[str] | None = None
) -> Iterator[tuple[PoliceForce, date, pa.Table]]:
    """Every force's month of rows, force by force.

    ``forces`` is the whole force table: each force draws from the stream of its place in it and
    numbers its LSOAs by that place, so a force's rows are the same whichever others are chosen
    (``only``: slugs), and two selections loaded into one store share no LSOA code.
    """
    streams = np.random.SeedSequence(seed).spawn(len(forces))
    for index, (force, stream) in enumerate(zip(forces, streams, strict=True)):
        if only is not None and force.slug not in only:
            continue
        rng = np.random.default_rng(stream)
        plan = plan_force(force, index, scale, rng)
        for k, month in enumerate(national_months(last, months)):
            yield force, month, month_rows(plan, month, k, last, rng)
