"""Benchmark: how much the synthetic demo data looks like real police data (issue 9).

The demo (``crimeprev.demo.write_demo_data``, seed 2024, or ``--demo DIR``) is measured side by
side with real data.police.uk Essex street files (``--real DIR``), and each measure is judged
against a stated band. It is a report: it exits 0 whatever the verdicts, and names the measures
outside their band. The demo's crimes are its offences plus its anti-social behaviour (ASB)
incidents, as data.police.uk publishes them (mental health, s136 and hate incidents are left
out). Counts compare like with like: the demo's months with the real files' calendar months
(each real month moved on by whole years, so 2018-01..07, 2018-10..2019-02 become 2023-01..07,
2023-10..2024-02), unless stated. "Located" means with a map point. Metres come from a local
equirectangular projection at 51.75°N (within 1% of true distances across Essex).

===  ==========================================  =============================================  =======================
 #   measure                                     formula                                        band
===  ==========================================  =============================================  =======================
 1   records > 1 km from any real crime point    demo: share of located records whose nearest   ≤ 1.5× real + 0.5 pp
                                                 real point (all real months) is > 1 km away;
                                                 real: hold-out, last half of the months
                                                 against points of the first half
 2   point in its record's district              share of records in the 14 districts whose     ≥ 99.5% (demo only)
                                                 LSOA name's district equals CSP (all months)
 3   out-of-force share                          share of located records whose LSOA is not     0.33×–3× real
                                                 in one of the 14 districts
 4   records per map point                       located records / distinct (lat, lon)          0.5×–2× real
 5   concentration at 250 m                      share of located records in the top 1% of      0.75×–1.33× real
                                                 occupied 250 m cells
 6   concentration at LSOA                       share of located records in the top 10% of     0.8×–1.25× real
                                                 LSOAs with a record
 7   1 km grid correlation with real             Pearson r of log(1 + count) per 1 km cell,     ≥ 0.75
                                                 demo vs real, over cells occupied in either
 8   shoplifting–burglary map correlation        Spearman ρ across in-force LSOAs (with any     |demo − real| ≤ 0.15
                                                 record) of the two categories' counts
 9   force-level overdispersion (a: all crime    variance / mean (ddof 1) of monthly counts     0.33×–3× real
     excl. ASB, b: ASB)                          scaled to 30.44 days
10   local dispersion                            median over LSOAs averaging ≥ 5 records a      0.6×–1.66× real
                                                 month (ASB included) of variance / mean of
                                                 their monthly counts
11   district shares move                        median over the 14 districts of the SD (ddof   0.5×–2× real
                                                 1) of the district's monthly share, in pp
12   seasonal peaks (violence, ASB, burglary,    mean per day of Jun–Jul / Dec–Feb (burglary:   real's side of 1, and
     bicycle theft)                              Dec–Feb / Jun–Jul), pooled over every          |demo − real| ≤
                                                 matching month (the demo's three years)        0.5×|real − 1| + 0.05
13   repeat victims (a: top 10%'s share of       offences with a VictimID recorded in the       a: 30%–60%,
     victim-crimes, b: victims repeated)         demo's last 12 months                          b: 10%–35%
14   repeat domestic abuse (a: DA victims        DA-flagged offences of the last 12 months;     a: 20%–45%, b: ≥ 60%
     repeated, b: repeats all at one point)      b among victims with ≥ 2 located ones
15   suspect spread (a: districts per suspect,   a: median distinct CSPs of suspects with ≥ 3   a: ≤ 1.5, b: ≤ 3 km
     b: km from the suspect's median point)      offences; b: per suspect with ≥ 2 located
                                                 offences, median distance to the suspect's
                                                 coordinate-wise median point; median over
                                                 suspects (last 12 months)
16   codes and flags (a: aggravated codes with   a: 8P/105B/8M/9B/58E carrying a Racial or      a, b: 100%, c: ≥ 85%
     a strand, b: knife flag with a knife code,  Religious strand; b: ONS knife-crime codes;
     c: NTE flag at night)                       c: CommittedFrom 18:00–05:59 (all months)
17   times (CommittedFrom minute 00, minute 30,  shares of offences (all months); violence      20%–50%, 6%–20%,
     CommittedTo 23:59:59, violence Sat/Tue)     by CommittedFrom's weekday                     ≤ 0.5%, ≥ 1.15
===  ==========================================  =============================================  =======================

The demo's map points are taken from the same real files (``scripts/derive_demo_places.py``
builds ``essex-places.csv.gz`` from them), so measures 1 and 3–8 are in-sample: they show the demo
keeps the real map's structure. Two out-of-sample rows test more: a demo generated from the points
of the first half of the real months only, against the second half it never saw.

===  ==========================================  =============================================  =======================
H1   records > 1 km from held-out points         demo (built from the first half) records of    ≤ 1.5× real + 0.5 pp
                                                 the held-out calendar months, > 1 km from any
                                                 held-out real point; real: the first half's
                                                 records against the second half's points
H7   1 km grid correlation, held out             as measure 7, demo vs the second half; real:   ≥ real − 0.05
                                                 first half vs second half
===  ==========================================  =============================================  =======================

Sources for the demo-only bands: Farrell, G. & Pease, K. (1993) "Once bitten, twice bitten:
repeat victimisation and its implications for crime prevention", Home Office Crime Prevention
Unit paper 46 (a small share of victims suffer a large share of crime); SafeLives Insights
(around a quarter to a third of domestic abuse victims are repeat victims within a year).
Run: ``python bench/realism.py [--demo DIR] [--real DIR] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import calendar
import dataclasses
import math
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import duckdb
import numpy as np
from numpy.typing import NDArray
from scipy import stats  # type: ignore[import-untyped]
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from crimeprev.demo.reference import load_reference_figures
from crimeprev.model.codes import ASB_CATEGORY
from crimeprev.sources.police_uk import ASB_INCIDENT_TYPE
from results import Section

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]
Texts = NDArray[np.object_]
Format = Callable[[float], str]

ROOT = Path(__file__).resolve().parent.parent
REAL_DIR = ROOT.parent / "shared" / "data" / "police_uk" / "essex"
SMOKE_REAL_DIR = ROOT / "tests" / "data" / "police_uk"
DEMO_SEED = 2024

DISTRICTS: Final = (
    "Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford", "Colchester", "Epping Forest",
    "Harlow", "Maldon", "Rochford", "Southend-on-Sea", "Tendring", "Thurrock", "Uttlesford",
)  # fmt: skip
LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")  # "Castle Point 004A" -> "Castle Point"
VIOLENCE: Final = "Violence and sexual offences"
BURGLARY: Final = "Burglary"
SHOPLIFTING: Final = "Shoplifting"
BICYCLE_THEFT: Final = "Bicycle theft"
RACIALLY_AGGRAVATED_CODES: Final = ("8P", "105B", "8M", "9B", "58E")
KNIFE_CRIME_CODES: Final = (
    "1", "2", "5D", "8N", "8P", "34A", "34B", "17A", "20A", "19C", "19D", "19E", "19F", "19G", "19H",
)  # fmt: skip
SUMMER: Final = (6, 7)
WINTER: Final = (12, 1, 2)
SATURDAY, TUESDAY = 5, 1  # weekday numbers, Monday = 0

METRES_PER_DEGREE = 111_320.0
PROJECTION_LATITUDE = 51.75
MEAN_MONTH_DAYS = 30.44
NO_TIME = -1  # seconds since midnight of a missing or unreadable timestamp
NIGHT_FROM, NIGHT_UNTIL = 18 * 3600, 6 * 3600
END_OF_DAY = 23 * 3600 + 59 * 60 + 59


# --- the data, as parallel arrays -------------------------------------------------------------


@dataclass(frozen=True)
class Crimes:
    """Crime records as data.police.uk publishes them: one element of each array per record.

    ``month`` is ``year * 12 + month - 1`` of the month recorded; ``lsoa`` is the LSOA name and
    ``district`` its district ("" without a location); ``csp`` is the district the record says
    it belongs to ("" in data.police.uk, which has no such column); ``lat``/``lon`` are NaN
    without a location.
    """

    month: Ints
    category: Texts
    lsoa: Texts
    district: Texts
    csp: Texts
    lat: Floats
    lon: Floats

    def select(self, keep: Flags) -> Crimes:
        return dataclasses.replace(self, **{f.name: getattr(self, f.name)[keep] for f in dataclasses.fields(self)})

    def located(self) -> Crimes:
        return self.select(~np.isnan(self.lat))

    def points(self) -> Floats:
        return project(self.lat, self.lon)


@dataclass(frozen=True)
class Offences:
    """The demo's offences with the fields data.police.uk does not publish (codes, flags, people, times).

    ``victim``/``suspect`` are "" when none; ``committed_from``/``committed_to`` are seconds since
    midnight (``NO_TIME`` when missing) and ``weekday_from`` is CommittedFrom's weekday (Monday 0).
    """

    month: Ints
    category: Texts
    ho_code: Texts
    strands: Texts
    knife: Flags
    nte: Flags
    domestic_abuse: Flags
    csp: Texts
    lat: Floats
    lon: Floats
    victim: Texts
    suspect: Texts
    committed_from: Ints
    weekday_from: Ints
    committed_to: Ints

    def select(self, keep: Flags) -> Offences:
        return dataclasses.replace(self, **{f.name: getattr(self, f.name)[keep] for f in dataclasses.fields(self)})


@dataclass(frozen=True)
class DemoData:
    crimes: Crimes
    offences: Offences


# --- pure measures: arrays in, one number out (NaN when the data cannot give it) ---------------


def project(lat: Floats, lon: Floats) -> Floats:
    """Metres east and north (n × 2) on an equirectangular projection centred on Essex's latitude."""
    scale = METRES_PER_DEGREE * math.cos(math.radians(PROJECTION_LATITUDE))
    return np.column_stack([lon * scale, lat * METRES_PER_DEGREE])


def district_of(lsoa: Texts) -> Texts:
    """Each LSOA name's district, the name without its trailing " 012C" ("" stays "")."""
    names, inverse = np.unique(lsoa, return_inverse=True)
    districts = np.array([LSOA_SUFFIX.sub("", str(n)) for n in names], dtype=object)
    return districts[inverse.ravel()] if len(lsoa) else lsoa.copy()


def share(flags: Flags) -> float:
    """The share of true values; NaN for no values (a share of nothing is unknown, not zero)."""
    return float(flags.mean()) if len(flags) else math.nan


def share_far_from(points: Floats, reference: Floats, metres: float) -> float:
    """Share of ``points`` with no ``reference`` point within ``metres``: records placed where no crime happens."""
    if len(points) == 0 or len(reference) == 0:
        return math.nan
    tree = cKDTree(np.unique(reference, axis=0))
    unique, counts = np.unique(points, axis=0, return_counts=True)
    distance, _ = tree.query(unique, k=1, distance_upper_bound=metres)
    return float(counts[distance > metres].sum() / counts.sum())


def hold_out_share_far(points: Floats, month: Ints, metres: float) -> float:
    """:func:`share_far_from` of the later half of the months against the points of the earlier half.

    Real data's own rate of "new" places, which a demo compared with every real month should not
    exceed by much: some records fall on points a few months of real data have not yet shown.
    """
    months = np.unique(month)
    if len(months) < 2:
        return math.nan
    earlier = np.isin(month, months[: len(months) // 2])
    return share_far_from(points[~earlier], points[earlier], metres)


def share_in_own_district(district: Texts, csp: Texts) -> float:
    """Share of records in the 14 districts whose LSOA lies in the district (CSP) the record names."""
    in_force = np.isin(district, DISTRICTS)
    return share(district[in_force] == csp[in_force])


def share_out_of_force(district: Texts) -> float:
    """Share of located records whose LSOA is outside the 14 districts (data.police.uk snaps some across)."""
    return share(~np.isin(district, DISTRICTS))


def records_per_point(points: Floats) -> float:
    """Records per distinct map point: data.police.uk snaps every crime to a shared anonymous point."""
    return len(points) / len(np.unique(points, axis=0)) if len(points) else math.nan


def top_share(counts: Ints, fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of units (at least one), e.g. places or people."""
    total = counts.sum()
    if total == 0:
        return math.nan
    top = max(1, math.ceil(fraction * len(counts)))
    return float(np.sort(counts)[::-1][:top].sum() / total)


def cell_counts(points: Floats, metres: float) -> Ints:
    """Records per occupied square cell of side ``metres``."""
    return np.unique(np.floor(points / metres).astype(np.int64), axis=0, return_counts=True)[1]


def records_per_value(values: Texts) -> Ints:
    """Records per distinct non-blank value (LSOA, victim, ...)."""
    return np.unique(values[values != ""], return_counts=True)[1]


def pearson(a: Floats, b: Floats) -> float:
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return math.nan
    return float(np.corrcoef(a, b)[0, 1])


def spearman(a: Ints, b: Ints) -> float:
    return pearson(stats.rankdata(a), stats.rankdata(b))


def grid_correlation(points: Floats, reference: Floats, metres: float) -> float:
    """Pearson r of log(1 + count) per cell of side ``metres``, over the cells occupied in either."""
    cells = np.floor(np.vstack([points, reference]) / metres).astype(np.int64)
    if len(points) == 0 or len(reference) == 0:
        return math.nan
    union, inverse = np.unique(cells, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    ours = np.bincount(inverse[: len(points)], minlength=len(union))
    theirs = np.bincount(inverse[len(points) :], minlength=len(union))
    return pearson(np.log1p(ours), np.log1p(theirs))


def category_rank_correlation(area: Texts, category: Texts, first: str, second: str) -> float:
    """Spearman ρ across ``area`` values of the counts of two categories: do they share a map?"""
    areas, inverse = np.unique(area, return_inverse=True)
    inverse = inverse.ravel()
    counts = [np.bincount(inverse[category == c], minlength=len(areas)) for c in (first, second)]
    return spearman(*counts)


def month_positions(month: Ints, months: Ints) -> tuple[Ints, Flags]:
    """Each record's position in the sorted ``months`` and whether its month is one of them."""
    position = np.searchsorted(months, month)
    inside = position < len(months)
    inside[inside] = months[position[inside]] == month[inside]
    return position, inside


def monthly_counts(month: Ints, months: Ints) -> Ints:
    """Records in each of the sorted ``months`` (zero for a month without any)."""
    position, inside = month_positions(month, months)
    return np.bincount(position[inside], minlength=len(months))


def days_in(months: Ints) -> Floats:
    return np.array([calendar.monthrange(int(m) // 12, int(m) % 12 + 1)[1] for m in months], dtype=np.float64)


def dispersion_index(counts: Floats) -> float:
    """Variance / mean (ddof 1): 1 for Poisson counts, above 1 for the overdispersion real crime shows."""
    if len(counts) < 2 or counts.mean() == 0:
        return math.nan
    return float(counts.var(ddof=1) / counts.mean())


def monthly_dispersion(month: Ints, months: Ints) -> float:
    """Dispersion of monthly counts (scaled to 30.44 days) around a straight-line trend.

    The real year 2018 rose steadily as recording practice changed; variance around the mean would
    count that trend as noise. The residual variance (ddof 2) over the mean is 1 for Poisson counts.
    """
    counts = monthly_counts(month, months) / days_in(months) * MEAN_MONTH_DAYS
    if len(counts) < 3 or counts.mean() == 0:
        return math.nan
    x = months.astype(np.float64)
    slope, intercept = np.polyfit(x, counts, 1)
    residual = counts - (slope * x + intercept)
    return float((residual**2).sum() / (len(counts) - 2) / counts.mean())


def area_month_table(area: Texts, month: Ints, months: Ints) -> Ints:
    """Counts per (distinct ``area``, month of ``months``), zeros included."""
    areas, inverse = np.unique(area, return_inverse=True)
    position, inside = month_positions(month, months)
    cell = inverse.ravel()[inside] * len(months) + position[inside]
    return np.bincount(cell, minlength=len(areas) * len(months)).reshape(len(areas), len(months))


def local_dispersion(area: Texts, month: Ints, months: Ints, min_mean: float) -> float:
    """Median over areas averaging ≥ ``min_mean`` records a month of their monthly dispersion index."""
    table = area_month_table(area, month, months)
    busy = table[table.mean(axis=1) >= min_mean] if len(months) else table[:0]
    if len(busy) == 0 or len(months) < 2:
        return math.nan
    return float(np.median(busy.var(axis=1, ddof=1) / busy.mean(axis=1)))


def district_share_movement(district: Texts, month: Ints, months: Ints) -> float:
    """Median over the 14 districts of the SD (ddof 1) of their monthly share of the force's crime, in pp."""
    in_force = np.isin(district, DISTRICTS)
    table = area_month_table(district[in_force], month[in_force], months)
    totals = table.sum(axis=0)
    if len(table) == 0 or len(months) < 2 or (totals == 0).any():
        return math.nan
    return float(np.median((100 * table / totals).std(axis=1, ddof=1)))


def month_number(label: str) -> int:
    """``year * 12 + month - 1`` of a ``YYYY-MM`` label, as ``Crimes.month`` holds months."""
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1


def seasonal_ratio(month: Ints, months: Ints, peak: Sequence[int], trough: Sequence[int]) -> float:
    """Mean per day over the ``peak`` calendar months / mean per day over the ``trough`` ones, pooled over years."""
    counts = monthly_counts(month, months)
    days = days_in(months)
    calendar_month = months % 12 + 1
    high, low = np.isin(calendar_month, peak), np.isin(calendar_month, trough)
    if days[high].sum() == 0 or days[low].sum() == 0 or counts[low].sum() == 0:
        return math.nan
    return float((counts[high].sum() / days[high].sum()) / (counts[low].sum() / days[low].sum()))


def repeat_share(counts: Ints) -> float:
    """Share of people with two records or more."""
    return share(counts >= 2)


def repeat_share_at_one_point(person: Texts, points: Floats) -> float:
    """Among people with ≥ 2 located records, the share whose records all lie at one map point."""
    if len(person) == 0:
        return math.nan
    people, group = np.unique(person, return_inverse=True)
    group = group.ravel()
    records = np.bincount(group, minlength=len(people))
    pairs = np.unique(np.column_stack([group.astype(np.float64), points]), axis=0)
    places = np.bincount(pairs[:, 0].astype(np.int64), minlength=len(people))
    return share(places[records >= 2] == 1)


def median_distinct_values(person: Texts, values: Texts, min_records: int) -> float:
    """Median over people with ≥ ``min_records`` records of the number of distinct ``values`` among them."""
    if len(person) == 0:
        return math.nan
    people, group = np.unique(person, return_inverse=True)
    _, value = np.unique(values, return_inverse=True)
    group = group.ravel()
    records = np.bincount(group, minlength=len(people))
    pairs = np.unique(np.column_stack([group, value.ravel()]), axis=0)
    distinct = np.bincount(pairs[:, 0], minlength=len(people))[records >= min_records]
    return float(np.median(distinct)) if len(distinct) else math.nan


def median_distance_to_centre(person: Texts, points: Floats, min_records: int) -> float:
    """Median over people with ≥ ``min_records`` located records of the median distance (km) of
    their records from their coordinate-wise median point: how far an offender ranges from home ground."""
    order = np.argsort(person, kind="stable")
    person, points = person[order], points[order]
    starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]]) if len(person) else np.zeros(0, np.int64)
    medians = [
        float(np.median(np.hypot(*(chunk - np.median(chunk, axis=0)).T)))
        for chunk in np.split(points, starts[1:])
        if len(chunk) >= min_records
    ]
    return float(np.median(medians)) / 1000 if medians else math.nan


def share_aggravated_with_strand(ho_code: Texts, strands: Texts) -> float:
    """Share of racially or religiously aggravated offences that name a Racial or Religious hate strand."""
    aggravated = strands[np.isin(ho_code, RACIALLY_AGGRAVATED_CODES)]
    named = [any(s == "Racial" or s.startswith("Religious - ") for s in str(text).split(";")) for text in aggravated]
    return share(np.array(named, dtype=bool))


def share_knife_with_knife_code(ho_code: Texts, knife: Flags) -> float:
    """Share of knife-flagged offences whose Home Office code is one ONS counts as knife crime."""
    return share(np.isin(ho_code[knife], KNIFE_CRIME_CODES))


def share_at_night(committed_from: Ints, flagged: Flags) -> float:
    """Share of flagged offences (night-time economy) committed from 18:00 to 05:59."""
    clock = committed_from[flagged & (committed_from != NO_TIME)]
    return share((clock >= NIGHT_FROM) | (clock < NIGHT_UNTIL))


def share_at_minute(clock: Ints, minute: int) -> float:
    """Share of times whose minute is ``minute``: recorded times bunch on round minutes."""
    known = clock[clock != NO_TIME]
    return share((known // 60) % 60 == minute)


def share_at_clock(clock: Ints, seconds: int) -> float:
    known = clock[clock != NO_TIME]
    return share(known == seconds)


def weekday_ratio(weekday: Ints, numerator: int, denominator: int) -> float:
    """Records on one weekday / records on another."""
    below = int((weekday == denominator).sum())
    return int((weekday == numerator).sum()) / below if below else math.nan


# --- bands and verdicts -----------------------------------------------------------------------


def percent(decimals: int) -> Format:
    return lambda v: "n/a" if math.isnan(v) else f"{100 * v:.{decimals}f}%"


def number(decimals: int, unit: str = "") -> Format:
    return lambda v: "n/a" if math.isnan(v) else f"{v:,.{decimals}f}{unit}"


@dataclass(frozen=True)
class Band:
    """The values a measure may take to count as realistic; ``from_real`` bands are set by the real value."""

    rule: str
    low: float = -math.inf
    high: float = math.inf
    from_real: bool = False

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high  # NaN holds nothing

    def describe(self, fmt: Format) -> str:
        if not self.from_real:
            return self.rule
        if self.low == -math.inf:
            return f"{self.rule} (≤ {fmt(self.high)})"
        if self.high == math.inf:
            return f"{self.rule} (≥ {fmt(self.low)})"
        return f"{self.rule} ({fmt(self.low)}–{fmt(self.high)})"


def relative_band(real: float, low: float, high: float) -> Band:
    return Band(f"{low:g}×–{high:g}× real", real * low, real * high, from_real=True)


def seasonal_band(real: float) -> Band:
    """On real's side of 1 and within half real's distance from 1 (plus 0.05) of it."""
    tolerance = 0.5 * abs(real - 1) + 0.05
    if real > 1:
        low, high = max(real - tolerance, float(np.nextafter(1.0, 2.0))), real + tolerance
    else:
        low, high = real - tolerance, min(real + tolerance, float(np.nextafter(1.0, 0.0)))
    return Band("real's side of 1, ±(half real's gap to 1 + 0.05)", low, high, from_real=True)


@dataclass(frozen=True)
class Measure:
    """One row of the report: the demo's value, the real one (or why there is none) and the band."""

    name: str
    demo: float
    real: float | str
    band: Band
    fmt: Format

    @property
    def within(self) -> bool:
        return self.band.holds(self.demo)

    def cells(self) -> tuple[str, str, str, str, str]:
        real = self.real if isinstance(self.real, str) else self.fmt(self.real)
        verdict = "within band" if self.within else "OUTSIDE band"
        return self.name, self.fmt(self.demo), real, self.band.describe(self.fmt), verdict


# --- the comparison ---------------------------------------------------------------------------


def matching_months(real_months: Ints, demo_months: Ints) -> tuple[Ints, Ints]:
    """The real months the demo can match and the demo's months with their calendar months.

    Every real month moves on by the same whole number of years, chosen so that the last real
    month lands on the demo's last month of that calendar month: the order and gaps of the real
    series are kept and the demo's most recent year is used.
    """
    last = int(real_months.max())
    same_calendar = demo_months[demo_months % 12 == last % 12]
    if len(same_calendar) == 0:
        return real_months[:0], demo_months[:0]
    shifted = real_months + 12 * ((int(same_calendar.max()) - last) // 12)
    kept = np.isin(shifted, demo_months)
    return real_months[kept], shifted[kept]


def compare_maps(demo: Crimes, real: Crimes, all_demo: Crimes) -> list[Measure]:
    """Measures 1–8: where the records are, against where real crime is."""
    ours, theirs = demo.located(), real.located()
    our_points, their_points = ours.points(), theirs.points()
    pct1, pct2, r2 = percent(1), percent(2), number(2)
    far = hold_out_share_far(their_points, theirs.month, 1000)
    ours_per_point, theirs_per_point = records_per_point(our_points), records_per_point(their_points)
    our_cells, their_cells = (top_share(cell_counts(p, 250), 0.01) for p in (our_points, their_points))
    our_lsoas, their_lsoas = (top_share(records_per_value(c.lsoa), 0.10) for c in (ours, theirs))
    our_out, their_out = share_out_of_force(ours.district), share_out_of_force(theirs.district)
    in_force = [c.select(np.isin(c.district, DISTRICTS)) for c in (ours, theirs)]
    our_rho, their_rho = (category_rank_correlation(c.lsoa, c.category, SHOPLIFTING, BURGLARY) for c in in_force)
    return [
        Measure("1 records > 1 km from any real crime point", share_far_from(our_points, their_points, 1000), far,
                Band("≤ 1.5× real + 0.5 pp", high=1.5 * far + 0.005, from_real=True), pct2),
        Measure("2 point in its record's district (LSOA vs CSP)",
                share_in_own_district(all_demo.district, all_demo.csp), "— (no district column)",
                Band("≥ 99.5%", low=0.995), pct2),
        Measure("3 out-of-force share of located records", our_out, their_out, relative_band(their_out, 0.33, 3), pct2),
        Measure("4 records per map point", ours_per_point, theirs_per_point,
                relative_band(theirs_per_point, 0.5, 2), r2),
        Measure("5 share in the top 1% of 250 m cells", our_cells, their_cells,
                relative_band(their_cells, 0.75, 1.33), pct1),
        Measure("6 share in the top 10% of LSOAs", our_lsoas, their_lsoas, relative_band(their_lsoas, 0.8, 1.25), pct1),
        Measure("7 1 km grid correlation with real", grid_correlation(our_points, their_points, 1000),
                "— (the reference)", Band("≥ 0.75", low=0.75), r2),
        Measure("8 shoplifting–burglary rank correlation (LSOAs)", our_rho, their_rho,
                Band("±0.15 of real", their_rho - 0.15, their_rho + 0.15, from_real=True), r2),
    ]  # fmt: skip


def compare_variation(demo: Crimes, real: Crimes, demo_months: Ints, real_months: Ints) -> list[Measure]:
    """Measures 9–11: how much counts move from month to month, for the force, LSOAs and districts."""
    rows = []
    for name, is_asb in (("9a monthly dispersion about trend, crime excl. ASB", False),
                         ("9b monthly dispersion about trend, ASB", True)):  # fmt: skip
        ours = monthly_dispersion(demo.month[(demo.category == ASB_CATEGORY) == is_asb], demo_months)
        theirs = monthly_dispersion(real.month[(real.category == ASB_CATEGORY) == is_asb], real_months)
        rows.append(Measure(name, ours, theirs, relative_band(theirs, 0.33, 3), number(1)))
    ours_located, theirs_located = demo.located(), real.located()
    ours = local_dispersion(ours_located.lsoa, ours_located.month, demo_months, 5)
    theirs = local_dispersion(theirs_located.lsoa, theirs_located.month, real_months, 5)
    rows.append(Measure("10 median LSOA dispersion index (≥ 5 a month)", ours, theirs,
                        relative_band(theirs, 0.6, 1.66), number(2)))  # fmt: skip
    ours = district_share_movement(ours_located.district, ours_located.month, demo_months)
    theirs = district_share_movement(theirs_located.district, theirs_located.month, real_months)
    rows.append(Measure("11 median SD of district monthly shares", ours, theirs, relative_band(theirs, 0.5, 2),
                        number(2, " pp")))  # fmt: skip
    return rows


def compare_seasons(demo: Crimes, real: Crimes) -> list[Measure]:
    """Measure 12: summer and winter peaks, the demo pooled over all its years.

    Burglary leaves out the demo's months whose count is a published figure the demo must
    reproduce (the Operation Grenadier months: 543 residential burglaries in February 2023 and 516
    in January 2024, against a monthly mean of 313): they measure 2023's real winter, not the
    generator's seasonality.
    """
    demo_months, real_months = np.unique(demo.month), np.unique(real.month)
    pinned = np.array([month_number(str(m)) for m in load_reference_figures()["op_grenadier"]["months"]])
    rows = []
    for label, category, peak, trough, skip in (
        ("a violence Jun–Jul / Dec–Feb", VIOLENCE, SUMMER, WINTER, ()),
        ("b ASB Jun–Jul / Dec–Feb", ASB_CATEGORY, SUMMER, WINTER, ()),
        ("c burglary Dec–Feb / Jun–Jul (unpublished months)", BURGLARY, WINTER, SUMMER, pinned),
        ("d bicycle theft Jun–Jul / Dec–Feb", BICYCLE_THEFT, SUMMER, WINTER, ()),
    ):
        months = demo_months[~np.isin(demo_months, skip)]
        ours = seasonal_ratio(demo.month[demo.category == category], months, peak, trough)
        theirs = seasonal_ratio(real.month[real.category == category], real_months, peak, trough)
        rows.append(Measure(f"12{label}", ours, theirs, seasonal_band(theirs), number(2)))
    return rows


def check_people(offences: Offences) -> list[Measure]:
    """Measures 13–15 (demo only: data.police.uk has no people), over the demo's last 12 months."""
    year = offences.select(offences.month > offences.month.max() - 12)
    no_people = "— (no people)"
    pct1 = percent(1)
    victims = records_per_value(year.victim)
    abuse = year.select(year.domestic_abuse & (year.victim != ""))
    located_abuse = abuse.select(~np.isnan(abuse.lat))
    suspects = year.select(year.suspect != "")
    located_suspects = suspects.select(~np.isnan(suspects.lat))
    return [
        Measure("13a victim-crimes on the top 10% of victims", top_share(victims, 0.10), no_people,
                Band("30%–60% (Farrell & Pease 1993)", 0.30, 0.60), pct1),
        Measure("13b victims repeated within 12 months", repeat_share(victims), no_people,
                Band("10%–35%", 0.10, 0.35), pct1),
        Measure("14a DA victims repeated within 12 months", repeat_share(records_per_value(abuse.victim)), no_people,
                Band("20%–45% (SafeLives)", 0.20, 0.45), pct1),
        Measure("14b repeat DA victims all at one map point",
                repeat_share_at_one_point(located_abuse.victim, project(located_abuse.lat, located_abuse.lon)),
                no_people, Band("≥ 60%", low=0.60), pct1),
        Measure("15a districts per suspect (≥ 3 offences), median",
                median_distinct_values(suspects.suspect, suspects.csp, 3), no_people, Band("≤ 1.5", high=1.5),
                number(1)),
        Measure("15b km from a repeat suspect's median point, median",
                median_distance_to_centre(located_suspects.suspect,
                                          project(located_suspects.lat, located_suspects.lon), 2),
                no_people, Band("≤ 3 km", high=3.0), number(2, " km")),
    ]  # fmt: skip


def check_codes_and_times(offences: Offences) -> list[Measure]:
    """Measures 16–17 (demo only: data.police.uk has no codes, flags or times), over all the demo's months."""
    no_codes, no_times, pct1 = "— (no codes or flags)", "— (no times)", percent(1)
    violence = offences.weekday_from[(offences.category == VIOLENCE) & (offences.weekday_from != NO_TIME)]
    return [
        Measure("16a aggravated codes with a Racial/Religious strand",
                share_aggravated_with_strand(offences.ho_code, offences.strands), no_codes,
                Band("100%", low=1.0), pct1),
        Measure("16b knife-flagged with an ONS knife-crime code", share_knife_with_knife_code(offences.ho_code,
                offences.knife), no_codes, Band("100%", low=1.0), pct1),
        Measure("16c NTE-flagged committed 18:00–05:59", share_at_night(offences.committed_from, offences.nte),
                no_codes, Band("≥ 85%", low=0.85), pct1),
        Measure("17a CommittedFrom at minute 00", share_at_minute(offences.committed_from, 0), no_times,
                Band("20%–50%", 0.20, 0.50), pct1),
        Measure("17b CommittedFrom at minute 30", share_at_minute(offences.committed_from, 30), no_times,
                Band("6%–20%", 0.06, 0.20), pct1),
        Measure("17c CommittedTo at 23:59:59", share_at_clock(offences.committed_to, END_OF_DAY), no_times,
                Band("≤ 0.5%", high=0.005), percent(2)),
        Measure("17d violence Saturday / Tuesday", weekday_ratio(violence, SATURDAY, TUESDAY), no_times,
                Band("≥ 1.15", low=1.15), number(2)),
    ]  # fmt: skip


def compare_out_of_sample(demo: DemoData, real: Crimes, later_months: Ints) -> list[Measure]:
    """Measures H1 and H7: a demo whose map points come from the earlier real months only.

    The package's map points are derived from all twelve real months, so measures 1 and 3-8 are
    in-sample. Here the demo is generated from points of the first half of the months and compared
    with the second half, which it never saw; the real value beside it is the first half's own
    records against the second half: how well one half of real data predicts the other.
    """
    earlier = real.select(~np.isin(real.month, later_months)).located()
    later = real.select(np.isin(real.month, later_months)).located()
    _, demo_months = matching_months(later_months, np.unique(demo.crimes.month))
    ours = demo.crimes.select(np.isin(demo.crimes.month, demo_months)).located()
    far_ours = share_far_from(ours.points(), later.points(), 1000)
    far_theirs = share_far_from(earlier.points(), later.points(), 1000)
    grid_ours = grid_correlation(ours.points(), later.points(), 1000)
    grid_theirs = grid_correlation(earlier.points(), later.points(), 1000)
    return [
        Measure("H1 records > 1 km from the held-out months' points", far_ours, far_theirs,
                Band("≤ 1.5× real + 0.5 pp", high=1.5 * far_theirs + 0.005,
                     from_real=True), percent(2)),
        Measure("H7 1 km grid correlation with the held-out months", grid_ours, grid_theirs,
                Band("≥ real − 0.05", low=grid_theirs - 0.05, from_real=True),
                number(2)),
    ]  # fmt: skip


def hold_out(real_dir: Path, real: Crimes, seed: int) -> list[Measure]:
    """Generate a demo from the first half of the real files' points and run the out-of-sample measures."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from derive_demo_places import derive_places, place_columns

    from crimeprev.demo import write_demo_data

    files = sorted(real_dir.glob("*-street.csv"))
    earlier = files[: len(files) // 2]
    later_months = np.array(sorted({month_number(p.name[:7]) for p in files[len(files) // 2 :]}))
    with tempfile.TemporaryDirectory() as tmp:
        write_demo_data(Path(tmp), seed=seed, places=place_columns(derive_places(earlier)))
        demo = read_demo(Path(tmp))
    return compare_out_of_sample(demo, real, later_months)


def measure_realism(demo: DemoData, real: Crimes) -> list[Measure]:
    """Every measure, in order: the demo's crimes on the real files' calendar months unless stated."""
    real_months, demo_months = matching_months(np.unique(real.month), np.unique(demo.crimes.month))
    comparable = demo.crimes.select(np.isin(demo.crimes.month, demo_months))
    real = real.select(np.isin(real.month, real_months))
    return [
        *compare_maps(comparable, real, demo.crimes),
        *compare_variation(comparable, real, demo_months, real_months),
        *compare_seasons(demo.crimes, real),
        *check_people(demo.offences),
        *check_codes_and_times(demo.offences),
    ]


# --- reading the files ------------------------------------------------------------------------


def sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def fetch_columns(sql: str) -> dict[str, NDArray[Any]]:
    """The result of one query as NumPy arrays by column name (NULLs must be coalesced away in ``sql``)."""
    with duckdb.connect() as con:
        return dict(con.execute(sql).fetchnumpy())


def header_columns(path: Path) -> dict[str, str]:
    """The file's column names keyed by their snake_case form ("Crime type" and "crime_type" alike)."""
    with path.open(encoding="utf-8") as file:
        names = [n.strip().strip('"') for n in file.readline().split(",")]
    return {n.lower().replace(" ", "_"): n for n in names}


def read_real(directory: Path) -> Crimes:
    """data.police.uk street files (``*-street.csv``) in ``directory``, either header style."""
    files = sorted(directory.glob("*-street.csv"))
    if not files:
        raise SystemExit(f"{directory}: no data.police.uk street files (*-street.csv) here; pass --real DIR")
    selects = []
    for path in files:
        column = header_columns(path)
        missing = {"month", "longitude", "latitude", "lsoa_name", "crime_type"} - column.keys()
        if missing:
            raise SystemExit(f"{path}: no column {', '.join(sorted(missing))} in the header; is it a street file?")
        selects.append(
            f'SELECT "{column["month"]}" AS month, "{column["crime_type"]}" AS category, '
            f'"{column["lsoa_name"]}" AS lsoa, "{column["latitude"]}" AS lat, "{column["longitude"]}" AS lon '
            f"FROM read_csv({sql_path(path)}, all_varchar = true, header = true)"
        )
    rows = fetch_columns(
        "SELECT CAST(substr(month, 1, 4) AS BIGINT) * 12 + CAST(substr(month, 6, 2) AS BIGINT) - 1 AS month, "
        "coalesce(category, '') AS category, coalesce(lsoa, '') AS lsoa, "
        "coalesce(TRY_CAST(lat AS DOUBLE), 'NaN'::DOUBLE) AS lat, "
        "coalesce(TRY_CAST(lon AS DOUBLE), 'NaN'::DOUBLE) AS lon "
        f"FROM ({' UNION ALL '.join(selects)})"
    )
    return Crimes(
        month=rows["month"],
        category=rows["category"],
        lsoa=rows["lsoa"],
        district=district_of(rows["lsoa"]),
        csp=np.full(len(rows["month"]), "", dtype=object),
        lat=rows["lat"],
        lon=rows["lon"],
    )


def read_demo(directory: Path) -> DemoData:
    """The demo's ``offences.csv`` and the ASB rows of its ``incidents.csv``."""
    for name in ("offences.csv", "incidents.csv"):
        if not (directory / name).exists():
            raise SystemExit(f"{directory / name}: not found; pass --demo a folder written by write_demo_data")
    located = (
        "coalesce(TRY_CAST(Latitude AS DOUBLE), 'NaN'::DOUBLE) AS lat, "
        "coalesce(TRY_CAST(Longitude AS DOUBLE), 'NaN'::DOUBLE) AS lon, "
        "year(CAST(DateRecorded AS DATE)) * 12 + month(CAST(DateRecorded AS DATE)) - 1 AS month, "
        "coalesce(CSP, '') AS csp, coalesce(LSOAName, '') AS lsoa"
    )
    clock = "coalesce(hour({0}) * 3600 + minute({0}) * 60 + second({0}), {1})"
    o = fetch_columns(
        f"SELECT {located}, coalesce(PoliceUKCategory, '') AS category, coalesce(HOCode, '') AS ho_code, "
        "coalesce(HateStrands, '') AS strands, coalesce(KnifeFlag = 'Y', false) AS knife, "
        "coalesce(NTEFlag = 'Y', false) AS nte, coalesce(DAFlag = 'Y', false) AS domestic_abuse, "
        "coalesce(VictimID, '') AS victim, coalesce(SuspectID, '') AS suspect, "
        f"{clock.format('t_from', NO_TIME)} AS committed_from, {clock.format('t_to', NO_TIME)} AS committed_to, "
        f"coalesce(isodow(t_from) - 1, {NO_TIME}) AS weekday_from "
        "FROM (SELECT *, TRY_CAST(CommittedFrom AS TIMESTAMP) AS t_from, TRY_CAST(CommittedTo AS TIMESTAMP) AS t_to "
        f"FROM read_csv({sql_path(directory / 'offences.csv')}, all_varchar = true, header = true))"
    )
    i = fetch_columns(
        f"SELECT {located} FROM read_csv({sql_path(directory / 'incidents.csv')}, all_varchar = true, header = true) "
        f"WHERE IncidentType = '{ASB_INCIDENT_TYPE}'"
    )
    offences = Offences(**{f.name: np.asarray(o[f.name]) for f in dataclasses.fields(Offences)})
    lsoa = np.concatenate([o["lsoa"], i["lsoa"]])
    crimes = Crimes(
        month=np.concatenate([o["month"], i["month"]]).astype(np.int64),
        category=np.concatenate([o["category"], np.full(len(i["month"]), ASB_CATEGORY, dtype=object)]),
        lsoa=lsoa,
        district=district_of(lsoa),
        csp=np.concatenate([o["csp"], i["csp"]]),
        lat=np.concatenate([o["lat"], i["lat"]]),
        lon=np.concatenate([o["lon"], i["lon"]]),
    )
    return DemoData(crimes=crimes, offences=offences)


def month_list(months: Ints) -> str:
    return ", ".join(f"{m // 12}-{m % 12 + 1:02d}" for m in months)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=None, help="A folder holding the demo's offences.csv and "
                        f"incidents.csv (default: generate one with seed {DEMO_SEED}).")  # fmt: skip
    parser.add_argument("--real", type=Path, default=None, help=f"data.police.uk street files (default: {REAL_DIR}; "
                        "with --smoke, the two excerpts in tests/data/police_uk).")  # fmt: skip
    parser.add_argument("--smoke", action="store_true", help="The small real excerpts: proves the code runs.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    real_dir = args.real or (SMOKE_REAL_DIR if args.smoke else REAL_DIR)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        demo_dir = args.demo
        if demo_dir is None:
            from crimeprev.demo import write_demo_data

            demo_dir = Path(tmp)
            write_demo_data(demo_dir, seed=DEMO_SEED)
        generated = time.perf_counter()
        demo = read_demo(demo_dir)
    real = read_real(real_dir)
    read = time.perf_counter()
    measures = measure_realism(demo, real) + hold_out(real_dir, real, DEMO_SEED)
    done = time.perf_counter()

    real_months, demo_months = matching_months(np.unique(real.month), np.unique(demo.crimes.month))
    source = f"`--demo {args.demo}`" if args.demo else f"generated with seed {DEMO_SEED}"
    steps = [f"read in {read - generated:.1f} s", f"measured in {done - read:.1f} s"]
    if args.demo is None:
        steps.insert(0, f"generated in {generated - start:.1f} s")
    timing = ", ".join(steps).capitalize()
    section = Section(
        "realism",
        f"{'Smoke run: t' if args.smoke else 'T'}he demo data ({source}; {len(demo.crimes.month):,} offences and ASB "
        f"incidents) beside {len(real.month):,} rows of real data.police.uk Essex street files "
        f"({month_list(real_months)}), "
        f"compared on the demo's months {month_list(demo_months)} unless the measure says otherwise (the formulas "
        "are in the docstring of bench/realism.py). Demo-only rows have no real value: data.police.uk publishes no "
        "people, codes, flags or times. Bands for them cite Farrell & Pease (1993), Home Office CPU paper 46, "
        "and SafeLives: around a quarter to a third of domestic abuse victims are repeat victims within a year. "
        f"{timing}.",
        packages=("duckdb", "numpy", "scipy"),
        header=("measure", "demo", "real", "band", "verdict"),
    )
    for measure in measures:
        section.row(*measure.cells())
    outside = [m.name for m in measures if not m.within]
    summary = f"{len(measures) - len(outside)} of {len(measures)} measures within band"
    section.notes = [
        "The demo's map points come from these same real files (`scripts/derive_demo_places.py`), so "
        "measures 1 and 3–8 are in-sample. H1 and H7 are not: a second demo is generated from the points of "
        "the first half of the real months only and compared with the second half; the real value beside them "
        "is the first half's own records against the second half.",
        "",
        f"Outside band: {'; '.join(outside)}." if outside else "Every measure within band.",
        "",
        summary,
    ]
    section.publish(args.markdown)
    print()
    for name in outside:
        print(f"OUTSIDE band: {name}")
    print(f"{timing}: {done - start:.1f} s in all.")
    print(summary)


if __name__ == "__main__":
    main()
