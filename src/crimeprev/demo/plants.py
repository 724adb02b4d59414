"""What the demo plants on top of the real map: hotspots, operation zones and weeks of action.

Each plant is declared here once, with the size of its effect, and ``ground-truth.json`` repeats
the declaration with what the generated records show, so that a hotspot method, a zone evaluation
or a week-of-action evaluation can be checked against the truth.

Strengths are realistic on purpose. A planted hotspot multiplies what its real points record by
two and a half to three (real hot spots stand a few times above their surroundings, not a
hundred); the burglary series, on an estate where little is usually recorded, rises to six times;
an operation zone lowers its target crime by a quarter to a third from the month it starts while
force-wide counts stay as published; a week of action moves a share of a month's target crime
out of (or, for proactive finds such as knives seized in searches, into) its seven days. Weaker
plants than these would test nothing; stronger ones would be found by any method.

Months are demo month indices (0 = April 2021); surfaces are names of ``places.surfaces``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import FloatArray
from crimeprev.demo.months import N_MONTHS


@dataclass(frozen=True)
class PlantArea:
    """Where a plant acts: the points within ``radius_m`` of a centre, for records of ``surfaces``."""

    key: str
    name: str
    district: str
    lat: float
    lon: float
    radius_m: float
    surfaces: frozenset[str]


@dataclass(frozen=True)
class Hotspot(PlantArea):
    """Points within ``radius_m`` of a centre whose surfaces are multiplied by a changing factor.

    ``trend``: ``persistent`` (``factor`` in every month), ``emerging`` (1 until ``start``, then
    rising evenly to ``factor`` at ``end`` and staying there) or ``fading`` (``factor`` until
    ``start``, falling evenly to 1 at ``end``).
    """

    trend: str
    factor: float
    start: int
    end: int
    concentrates: str

    def multipliers(self) -> FloatArray:
        """The factor in each of the 36 months."""
        months = np.arange(N_MONTHS, dtype=np.float64)
        ramp = np.clip((months - self.start) / max(self.end - self.start, 1), 0.0, 1.0)
        if self.trend == "persistent":
            return np.full(N_MONTHS, self.factor)
        if self.trend == "emerging":
            return 1.0 + (self.factor - 1.0) * ramp
        if self.trend == "fading":
            return self.factor - (self.factor - 1.0) * ramp
        raise ValueError(f"unknown hotspot trend {self.trend!r}")


@dataclass(frozen=True)
class Zone(PlantArea):
    """An operation zone: its surfaces are multiplied by ``effect`` from month ``start`` on."""

    start: int
    effect: float
    operation: str

    def multipliers(self) -> FloatArray:
        return np.where(np.arange(N_MONTHS) >= self.start, self.effect, 1.0)


@dataclass(frozen=True)
class WeekOfAction:
    """Seven dated days on which the target records' daily rate is multiplied by ``effect``.

    ``codes`` are the Home Office codes it targets; ``districts`` empty means force-wide.
    """

    key: str
    name: str
    first_day: dt.date
    days: int
    codes: frozenset[str]
    districts: frozenset[str]
    effect: float
    operation: str

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)


_BURGLARY: Final = frozenset({"28E", "28F"})

HOTSPOTS: Final[tuple[Hotspot, ...]] = (
    Hotspot("southend_seafront", "Southend-on-Sea seafront", "Southend-on-Sea", 51.5352, 0.7150, 400.0,
            frozenset({"nte"}), "persistent", 2.5, 0, 35,
            "night-time-economy offences (NTE flag), Friday and Saturday nights"),
    Hotspot("lakeside", "Lakeside Thurrock", "Thurrock", 51.4866, 0.2820, 500.0,
            frozenset({"robbery", "shoplifting"}), "persistent", 2.5, 0, 35,
            "robbery and shoplifting at the retail centre"),
    Hotspot("the_stow", "The Stow Harlow", "Harlow", 51.7744, 0.1127, 350.0,
            frozenset({"drugs", "asb"}), "persistent", 3.0, 0, 35,
            "drug offences and anti-social behaviour on the estate"),
    Hotspot("springfield_burglary", "Springfield Chelmsford burglary series", "Chelmsford", 51.7480, 0.4960, 500.0,
            frozenset({"burglary"}), "emerging", 6.0, 24, 33,
            "a residential burglary series on a quiet estate, rising from April 2023 to six times the area's "
            "usual level by January 2024"),
    Hotspot("colchester_centre", "Colchester town centre", "Colchester", 51.8893, 0.9030, 400.0,
            frozenset({"nte"}), "fading", 3.0, 12, 26,
            "night-time-economy offences, three times the real level until April 2022, back to it by June 2023"),
)  # fmt: skip

ZONES: Final[tuple[Zone, ...]] = (
    Zone("basildon_asb_zone", "Basildon town centre ASB and high-harm zone", "Basildon", 51.5700, 0.4570, 600.0,
         frozenset({"asb", "violence_sexual", "nte", "public_order", "criminal_damage"}), 27, 0.72,
         "ASB and high-harm hotspot patrols from July 2023"),
    Zone("grays_violence_zone", "Grays serious violence zone", "Thurrock", 51.4765, 0.3225, 600.0,
         frozenset({"violence_sexual", "nte", "robbery", "weapons"}), 30, 0.75,
         "serious-violence patrol zone from October 2023"),
)  # fmt: skip

WEEKS_OF_ACTION: Final[tuple[WeekOfAction, ...]] = (
    WeekOfAction("burglary_week", "Force-wide burglary week of action", dt.date(2023, 11, 13), 7, _BURGLARY,
                 frozenset(), 0.55, "Op Grenadier week of action"),
    WeekOfAction("robbery_week", "Robbery week of action in Thurrock and Basildon", dt.date(2024, 2, 5), 7,
                 frozenset({"34B"}), frozenset({"Thurrock", "Basildon"}), 0.45, "robbery week of action"),
    WeekOfAction("knife_week", "Knife crime week of action (Op Sceptre)", dt.date(2023, 5, 15), 7,
                 frozenset({"10D", "10C"}), frozenset(), 2.5,
                 "Op Sceptre: knife sweeps and searches find more knives; possession offences rise that week"),
)  # fmt: skip
