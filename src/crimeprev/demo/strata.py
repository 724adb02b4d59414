"""Offence strata: disjoint kinds of crime whose exact counts add up to every published figure.

The published indicators overlap (a knife-point robbery is both knife crime and personal robbery;
a rape may be domestic abuse or child sexual exploitation; a hate crime may be online). To make
every indicator's total exact *and* keep realistic overlaps, recorded crime is cut into disjoint
strata, each with one set of flags and codes from one code class:

* an *overlap* stratum takes a declared share of one indicator's target (``share_of``);
* a *residual* stratum takes what is left of its indicator once the overlap strata that also
  count towards it are subtracted (``residual_of``); it must count towards no other indicator;
* a *background* stratum (one per catalogue code with a background share) carries no calibrated
  code or flag at all, so it can never leak into an indicator.

Each indicator is then an exact sum over strata. The predicates in ``CARVED`` are the indicator
definitions the strategy must mirror for the demo's counts to match the published ones (for
instance: the county-lines trafficking figure counts codes 92A and 92C, the drugs-and-alcohol one
92A only). FY2021/22 has no published targets: each stratum takes its FY2022/23 count times a
factor drawn in [0.95, 1.08].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import (
    IntArray,
    Pin,
    allocate_months,
    largest_remainder,
    split_family,
)
from crimeprev.demo.calibration import Targets
from crimeprev.demo.catalogue import CATALOGUE, CODES, FRAUD, OffenceCode, conduct_of
from crimeprev.demo.months import N_MONTHS, seasonal_weights

RAPE_CODES: Final = frozenset({"19C", "19D", "19E", "19F", "19G", "19H"})
POSSESSION_CODES: Final = frozenset({"92B", "92D", "92E"})
RESIDENTIAL_BURGLARY_CODES: Final = frozenset({"28E", "28F"})
# Offences the ONS counts as knife or sharp instrument offences when a knife is used or threatened
# (homicide, attempted murder, threats to kill, assault with injury or intent to cause serious
# harm, robbery, rape, sexual assault): only these may carry the knife flag. Possession of a blade
# (10D) is counted separately, not flagged.
KNIFE_CODES: Final = frozenset({"1", "2", "5D", "8N", "8P", "34A", "34B", "17A", "20A"}) | RAPE_CODES
# Racially or religiously aggravated codes: Home Office counting rules make each a hate crime with
# a race or religion strand.
AGGRAVATED_CODES: Final = frozenset({"8P", "105B", "8M", "9B", "58E"})

# All recorded crime per financial year (FY2021/22, FY2022/23, FY2023/24): background volume is
# what remains once the calibrated strata are counted.
ALL_CRIME_TOTALS: Final = (168_500, 173_200, 169_400)
# The planted change that is noise: business burglary has the same expected count in FY2022/23
# and FY2023/24, and the two years' counts are drawn so that they differ by a tempting few per cent
# that an exact Poisson test still calls chance (|z| < NOISE_PLANT_MAX_Z). ground-truth.json says so.
NOISE_PLANT_STRATUM: Final = "burglary_business"
NOISE_PLANT_MEAN: Final = 1_900
NOISE_PLANT_CHANGE: Final = (0.03, 0.05)
NOISE_PLANT_MAX_Z: Final = 1.5
# Gamma shape of month-level noise of each family's force-wide series (coefficient of variation
# about 7 %), and of a shock common to every family (weather, events, recording: about 2.6 %), so
# that force-wide totals are about as overdispersed as real ones (bench/realism.py).
MONTH_NOISE_SHAPE: Final = 200.0
COMMON_NOISE_SHAPE: Final = 1_500.0
FY2021_FACTOR_RANGE: Final = (0.95, 1.08)
BACKGROUND_DRIFT_RANGE: Final = (0.94, 1.06)


@dataclass(frozen=True)
class CarvedIndicator:
    """A calibrated count expressed as a predicate on (offence code, flags)."""

    key: str
    codes: frozenset[str] = frozenset()
    group: str | None = None
    flags: frozenset[str] = frozenset()

    def counts(self, code: OffenceCode, flags: frozenset[str]) -> bool:
        if self.codes and code.code not in self.codes:
            return False
        if self.group is not None and code.group != self.group:
            return False
        return not (self.flags and not self.flags & flags)


CARVED: Final = (
    CarvedIndicator("knife", flags=frozenset({"knife"})),
    CarvedIndicator("rape", codes=RAPE_CODES),
    CarvedIndicator("nte", flags=frozenset({"nte"})),
    CarvedIndicator("trafficking", codes=frozenset({"92A"})),
    CarvedIndicator("other_drug", codes=frozenset({"92C"})),
    CarvedIndicator("possession", codes=POSSESSION_CODES),
    CarvedIndicator("cyber_online", flags=frozenset({"cyber", "online"})),
    CarvedIndicator("fraud", group=FRAUD),
    CarvedIndicator("cse", flags=frozenset({"cse"})),
    CarvedIndicator("domestic_abuse", flags=frozenset({"domestic_abuse"})),
    CarvedIndicator("residential", codes=RESIDENTIAL_BURGLARY_CODES),
    CarvedIndicator("personal_robbery", codes=frozenset({"34B"})),
    CarvedIndicator("hate", flags=frozenset({"hate"})),
)


def carved_targets(targets: Targets) -> dict[str, tuple[int, int]]:
    """[previous, current] target of each carved indicator, from the published pairs."""
    t = targets.pair
    county_lines = t("county-lines", "drug_trafficking_offences")
    trafficking = t("drugs-and-alcohol", "drug_trafficking_offences")
    return {
        "knife": t("knife-crime", "knife_crime_offences"),
        "rape": t("rape", "rape_offences"),
        "nte": t("night-time-economy", "nte_offences"),
        "trafficking": trafficking,
        "other_drug": (county_lines[0] - trafficking[0], county_lines[1] - trafficking[1]),
        "possession": t("drugs-and-alcohol", "drug_possession_offences"),
        "cyber_online": t("cyber-and-fraud", "cyber_online_offences"),
        "fraud": t("cyber-and-fraud", "fraud_offences"),
        "cse": t("child-abuse-cse", "cse_offences"),
        "domestic_abuse": t("domestic-abuse", "domestic_abuse_offences"),
        "residential": t("burglary-and-robbery", "residential_burglary_offences"),
        "personal_robbery": t("burglary-and-robbery", "personal_robbery_offences"),
        "hate": t("hate-crime", "hate_crime_offences"),
    }


@dataclass(frozen=True)
class StratumSpec:
    """A declared stratum: its codes (with weights), flags and how its count is carved."""

    name: str
    codes: tuple[tuple[str, float], ...]
    flags: frozenset[str] = frozenset()
    share_of: str | None = None
    share: float = 0.0
    residual_of: str | None = None
    residual_weight: float = 1.0
    family: str | None = None
    fixed: tuple[int, int, int] | None = None
    # Uncalibrated flags set at random on a share of the stratum's records.
    optional_flags: tuple[tuple[str, float], ...] = ()


def _f(*names: str) -> frozenset[str]:
    return frozenset(names)


CALIBRATED_STRATA: Final[tuple[StratumSpec, ...]] = (
    StratumSpec("knife_robbery", (("34B", 1.0),), _f("knife"), share_of="knife", share=0.27),
    StratumSpec(
        "knife_domestic",
        (("8N", 0.75), ("5D", 0.25)),
        _f("knife", "domestic_abuse"),
        share_of="knife",
        share=0.10,
    ),
    StratumSpec(
        "knife_nte",
        (("8N", 0.7), ("5D", 0.3)),
        _f("knife", "nte"),
        share_of="knife",
        share=0.06,
    ),
    StratumSpec(
        "knife_hate",
        (("8P", 1.0),),
        _f("knife", "hate"),
        share_of="knife",
        share=0.008,
        family="hate",
    ),
    StratumSpec("knife_business_robbery", (("34A", 1.0),), _f("knife"), share_of="knife", share=0.05),
    StratumSpec(
        "knife_other",
        (("8N", 0.64), ("5D", 0.32), ("20A", 0.03), ("1", 0.01)),
        _f("knife"),
        residual_of="knife",
    ),
    StratumSpec(
        "rape_domestic",
        (("19C", 0.92), ("19F", 0.08)),
        _f("domestic_abuse"),
        share_of="rape",
        share=0.28,
    ),
    StratumSpec(
        "rape_cse",
        (("19D", 0.45), ("19E", 0.25), ("19G", 0.15), ("19H", 0.15)),
        _f("cse"),
        share_of="rape",
        share=0.12,
    ),
    StratumSpec(
        "rape_other",
        (("19C", 0.72), ("19D", 0.1), ("19E", 0.06), ("19F", 0.06), ("19G", 0.03), ("19H", 0.03)),
        residual_of="rape",
    ),
    StratumSpec(
        "nte_hate",
        (("9B", 0.5), ("105B", 0.3), ("8P", 0.2)),
        _f("nte", "hate"),
        share_of="nte",
        share=0.03,
        family="hate",
    ),
    StratumSpec("nte_robbery", (("34B", 1.0),), _f("nte"), share_of="nte", share=0.04),
    StratumSpec(
        "nte_other",
        (("8N", 0.35), ("105A", 0.35), ("9A", 0.15), ("5D", 0.05), ("39", 0.05), ("58D", 0.05)),
        _f("nte"),
        residual_of="nte",
    ),
    StratumSpec(
        "trafficking",
        (("92A", 1.0),),
        residual_of="trafficking",
        optional_flags=(("county_lines", 0.3),),
    ),
    StratumSpec(
        "other_drug",
        (("92C", 1.0),),
        residual_of="other_drug",
        optional_flags=(("county_lines", 0.45),),
    ),
    StratumSpec("possession", (("92B", 0.05), ("92D", 0.3), ("92E", 0.65)), residual_of="possession"),
    StratumSpec(
        "fraud_cyber",
        (("53A", 0.8), ("53B", 0.05), ("53C", 0.15)),
        _f("cyber", "online"),
        share_of="fraud",
        share=0.45,
    ),
    StratumSpec("fraud_other", (("53A", 0.55), ("53B", 0.1), ("53C", 0.35)), residual_of="fraud"),
    StratumSpec("cse_online", (("88A", 0.6), ("86", 0.4)), _f("cse", "online"), share_of="cse", share=0.25),
    StratumSpec(
        "domestic_online",
        (("8R", 0.5), ("8L", 0.3), ("8Q", 0.2)),
        _f("domestic_abuse", "online"),
        share_of="cyber_online",
        share=0.18,
    ),
    StratumSpec(
        "hate_online",
        (("8R", 0.6), ("8M", 0.4)),
        _f("hate", "online"),
        share_of="hate",
        share=0.04,
        family="hate",
    ),
    StratumSpec(
        "online_other",
        (("8R", 0.6), ("8L", 0.25), ("8Q", 0.1), ("35", 0.05)),
        _f("online"),
        residual_of="cyber_online",
    ),
    StratumSpec(
        "cse_other",
        (("22B", 0.45), ("71", 0.2), ("20B", 0.15), ("21", 0.1), ("88A", 0.1)),
        _f("cse"),
        residual_of="cse",
    ),
    StratumSpec(
        "domestic_violence",
        (("8N", 0.38), ("105A", 0.57), ("5D", 0.05)),
        _f("domestic_abuse"),
        residual_of="domestic_abuse",
        residual_weight=0.6,
    ),
    StratumSpec(
        "domestic_other",
        (("8U", 0.3), ("8L", 0.2), ("8Q", 0.15), ("58A", 0.15), ("9A", 0.1), ("8R", 0.1)),
        _f("domestic_abuse"),
        residual_of="domestic_abuse",
        residual_weight=0.4,
    ),
    StratumSpec(
        "hate_other",
        (
            ("9B", 0.3),
            ("105B", 0.15),
            ("8P", 0.06),
            ("8M", 0.06),
            ("58E", 0.03),
            ("9A", 0.2),
            ("105A", 0.12),
            ("8L", 0.05),
            ("58D", 0.03),
        ),
        _f("hate"),
        residual_of="hate",
        family="hate",
    ),
    StratumSpec(
        "burglary_home",
        (("28E", 1.0),),
        share_of="residential",
        share=0.79,
        family="residential_home",
    ),
    StratumSpec(
        "burglary_unconnected",
        (("28F", 1.0),),
        residual_of="residential",
        family="residential_unconnected",
    ),
    StratumSpec("personal_robbery", (("34B", 1.0),), residual_of="personal_robbery"),
    StratumSpec(NOISE_PLANT_STRATUM, (("28G", 1.0),), fixed=(NOISE_PLANT_MEAN,) * 3, family="business"),
)


@dataclass(frozen=True)
class Stratum:
    """A planned stratum: what its records carry and which monthly series it follows."""

    name: str
    codes: tuple[str, ...]
    code_weights: tuple[float, ...]
    flags: frozenset[str]
    optional_flags: tuple[tuple[str, float], ...]
    family: str
    season: str


@dataclass(frozen=True)
class OffencePlan:
    """Strata and their exact counts: ``fy_counts`` (S x 3) and ``month_counts`` (S x 36)."""

    strata: tuple[Stratum, ...]
    fy_counts: IntArray
    month_counts: IntArray


def _members(spec: StratumSpec, indicator: CarvedIndicator) -> bool:
    """Whether every record of ``spec`` counts towards ``indicator`` (all its codes must agree)."""
    verdicts = {indicator.counts(CODES[code], spec.flags) for code, _ in spec.codes}
    if len(verdicts) != 1:
        raise ValueError(f"stratum {spec.name} mixes codes inside and outside {indicator.key}")
    return verdicts.pop()


def draw_noise_plant(rng: np.random.Generator) -> tuple[int, int, int]:
    """Three years of counts with one expected value; the last two differ by chance alone."""
    while True:
        previous, current = (int(v) for v in rng.poisson(NOISE_PLANT_MEAN, 2))
        change = abs(current / previous - 1.0)
        z = abs(current - previous) / math.sqrt(current + previous)
        if NOISE_PLANT_CHANGE[0] <= change <= NOISE_PLANT_CHANGE[1] and z < NOISE_PLANT_MAX_Z:
            return int(rng.poisson(NOISE_PLANT_MEAN)), previous, current


def carve_counts(targets: Targets, rng: np.random.Generator) -> dict[str, tuple[int, int, int]]:
    """Exact counts of each calibrated stratum for the three financial years."""
    published = carved_targets(targets)
    fixed = {s.name: s.fixed for s in CALIBRATED_STRATA if s.fixed is not None}
    fixed[NOISE_PLANT_STRATUM] = draw_noise_plant(rng)
    counts: dict[str, list[int]] = {s.name: [0, 0, 0] for s in CALIBRATED_STRATA}
    for year in (0, 1):
        fy = year + 1
        for spec in CALIBRATED_STRATA:
            if spec.name in fixed:
                counts[spec.name][fy] = fixed[spec.name][fy]
            elif spec.share_of is not None:
                counts[spec.name][fy] = round(spec.share * published[spec.share_of][year])
        for indicator in CARVED:
            residuals = [s for s in CALIBRATED_STRATA if s.residual_of == indicator.key]
            taken = sum(
                counts[s.name][fy] for s in CALIBRATED_STRATA if s.residual_of is None and _members(s, indicator)
            )
            left = published[indicator.key][year] - taken
            if left < 0 or not residuals:
                raise ValueError(f"strata overdraw {indicator.key} ({left} left)")
            for spec, n in zip(
                residuals,
                largest_remainder(left, [s.residual_weight for s in residuals]),
                strict=True,
            ):
                if any(_members(spec, other) for other in CARVED if other is not indicator):
                    raise ValueError(f"residual stratum {spec.name} counts towards two indicators")
                counts[spec.name][fy] = n
    low, high = FY2021_FACTOR_RANGE
    for spec in CALIBRATED_STRATA:
        if spec.name in fixed:
            counts[spec.name][0] = fixed[spec.name][0]
        else:
            counts[spec.name][0] = round(counts[spec.name][1] * rng.uniform(low, high))
    _check_carving(counts, published)
    return {name: (c[0], c[1], c[2]) for name, c in counts.items()}


def check_counting_rules(strata: tuple[StratumSpec, ...] = CALIBRATED_STRATA) -> None:
    """Refuse strata that break Home Office counting rules the demo promises to keep.

    Only ONS knife-crime codes carry the knife flag; racially or religiously aggravated codes are
    always hate crimes (their race or religion strand is given by ``hate.assign_hate_strands``).
    """
    for spec in strata:
        codes = {code for code, _ in spec.codes}
        if "knife" in spec.flags and not codes <= KNIFE_CODES:
            raise ValueError(f"stratum {spec.name}: knife flag on {sorted(codes - KNIFE_CODES)}")
        if codes & AGGRAVATED_CODES and "hate" not in spec.flags:
            raise ValueError(f"stratum {spec.name}: aggravated codes without the hate flag")


def _check_carving(counts: dict[str, list[int]], published: dict[str, tuple[int, int]]) -> None:
    for indicator in CARVED:
        for year in (0, 1):
            total = sum(counts[s.name][year + 1] for s in CALIBRATED_STRATA if _members(s, indicator))
            if total != published[indicator.key][year]:
                raise AssertionError(f"{indicator.key} carves to {total}, not the target")


def background_codes() -> tuple[OffenceCode, ...]:
    """Catalogue codes with a background share; none may be a calibrated code."""
    codes = tuple(c for c in CATALOGUE if c.background_share > 0)
    for code in codes:
        if any(ind.counts(code, frozenset()) for ind in CARVED):
            raise ValueError(f"background code {code.code} carries a calibrated code")
    return codes


def _stratum(spec: StratumSpec) -> Stratum:
    first = spec.codes[0][0]
    season = "nte" if "nte" in spec.flags else conduct_of(first).season
    if spec.family == "hate":
        season = "violence"
    return Stratum(
        name=spec.name,
        codes=tuple(c for c, _ in spec.codes),
        code_weights=tuple(w for _, w in spec.codes),
        flags=spec.flags,
        optional_flags=spec.optional_flags,
        family=spec.family or spec.name,
        season=season,
    )


def family_pins(targets: Targets) -> dict[str, tuple[Pin, ...]]:
    """Published months and quarters that fix a family's monthly counts."""
    return {
        "hate": targets.hate_crime_pins,
        "residential_home": targets.burglary_pins["residential_home"],
        "residential_unconnected": targets.burglary_pins["residential_unconnected"],
        "business": targets.burglary_pins["business"],
    }


def plan_offences(targets: Targets, rng: np.random.Generator) -> OffencePlan:
    """Every stratum (calibrated and background) with exact yearly and monthly counts."""
    check_counting_rules()
    carved = carve_counts(targets, rng)
    strata = [_stratum(spec) for spec in CALIBRATED_STRATA]
    fy_rows = [carved[spec.name] for spec in CALIBRATED_STRATA]
    calibrated_totals = np.array(fy_rows, dtype=np.int64).sum(axis=0)
    codes = background_codes()
    shares = np.array([c.background_share for c in codes])
    shares = shares / shares.sum()
    low, high = BACKGROUND_DRIFT_RANGE
    for code, share in zip(codes, shares, strict=True):
        row = tuple(
            round(share * (ALL_CRIME_TOTALS[fy] - int(calibrated_totals[fy])) * rng.uniform(low, high))
            for fy in range(3)
        )
        fy_rows.append((row[0], row[1], row[2]))
        strata.append(
            Stratum(
                name=f"background_{code.code}",
                codes=(code.code,),
                code_weights=(1.0,),
                flags=frozenset(),
                optional_flags=(),
                family=f"background_{code.code}",
                season=conduct_of(code.code).season,
            )
        )
    fy_counts = np.array(fy_rows, dtype=np.int64)
    month_counts = np.zeros((len(strata), N_MONTHS), dtype=np.int64)
    pins = family_pins(targets)
    common = rng.gamma(COMMON_NOISE_SHAPE, 1.0 / COMMON_NOISE_SHAPE, N_MONTHS)
    families: dict[str, list[int]] = {}
    for i, stratum in enumerate(strata):
        families.setdefault(stratum.family, []).append(i)
    for family, members in families.items():
        idx = np.array(members, dtype=np.int64)
        totals = fy_counts[idx].sum(axis=0)
        series = allocate_months(
            [int(v) for v in totals],
            pins.get(family, ()),
            seasonal_weights(strata[members[0]].season) * common,
            shape=MONTH_NOISE_SHAPE,
            rng=rng,
        )
        month_counts[idx] = split_family(series, fy_counts[idx], rng)
    return OffencePlan(strata=tuple(strata), fy_counts=fy_counts, month_counts=month_counts)
