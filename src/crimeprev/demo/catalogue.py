"""The demo's offence-code catalogue and the conduct profile of each kind of offence.

One declared table: each Home Office offence code the demo uses, its description, Home Office
offence group, police.uk category, its share of *background* volume (crime that no calibrated
indicator counts) and its conduct profile. A share of zero means the code only appears in the
calibrated strata of ``strata.py`` (rape, drug, burglary and personal-robbery codes, racially or
religiously aggravated codes that imply a hate flag, coercive control that implies domestic abuse).

Conduct profiles say how an offence of that kind behaves in the records: its seasonality, when in
the day it happens, whether a person victim is recorded, and how often a suspect is identified,
police attend, an arrest is made and the crime is solved. The probabilities are plausible orders
of magnitude for an English county force, not published figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

VIOLENCE: Final = "Violence against the person"
SEXUAL: Final = "Sexual offences"
ROBBERY: Final = "Robbery"
THEFT: Final = "Theft offences"
DAMAGE: Final = "Criminal damage and arson"
DRUGS: Final = "Drug offences"
WEAPONS: Final = "Possession of weapons offences"
PUBLIC_ORDER: Final = "Public order offences"
MISC: Final = "Miscellaneous crimes against society"
FRAUD: Final = "Fraud offences"

# Timing kinds understood by ``timing.py``.
TIMINGS: Final = ("nte", "evening", "daytime", "overnight", "course", "historic")


@dataclass(frozen=True)
class Conduct:
    """How one kind of offence behaves in the records."""

    season: str
    timing: str
    person_victim: bool
    suspect_p: float
    attend_p: float
    arrest_p: float
    solved_p: float


CONDUCTS: Final[dict[str, Conduct]] = {
    "homicide": Conduct("flat", "evening", True, 1.0, 1.0, 0.9, 0.8),
    "serious_assault": Conduct("violence", "evening", True, 0.65, 0.95, 0.45, 0.18),
    "assault": Conduct("violence", "evening", True, 0.45, 0.75, 0.22, 0.1),
    "harassment": Conduct("flat", "course", True, 0.4, 0.3, 0.1, 0.07),
    "sexual": Conduct("flat", "historic", True, 0.5, 0.6, 0.2, 0.05),
    "child_sexual": Conduct("flat", "historic", True, 0.5, 0.5, 0.2, 0.07),
    "robbery": Conduct("violence", "evening", True, 0.3, 0.9, 0.15, 0.08),
    "burglary": Conduct("burglary", "overnight", True, 0.1, 0.9, 0.05, 0.04),
    "business_burglary": Conduct("burglary", "overnight", False, 0.12, 0.7, 0.04, 0.04),
    "vehicle": Conduct("burglary", "overnight", True, 0.06, 0.2, 0.02, 0.02),
    "shoplifting": Conduct("shoplifting", "daytime", False, 0.45, 0.3, 0.2, 0.22),
    "theft": Conduct("flat", "daytime", True, 0.1, 0.25, 0.04, 0.04),
    "cycle_theft": Conduct("cycle_theft", "daytime", True, 0.08, 0.15, 0.03, 0.03),
    "damage": Conduct("violence", "overnight", True, 0.15, 0.4, 0.05, 0.05),
    "drug_supply": Conduct("flat", "daytime", False, 1.0, 1.0, 0.75, 0.45),
    "drug_possession": Conduct("violence", "evening", False, 1.0, 1.0, 0.15, 0.7),
    "weapons": Conduct("flat", "evening", False, 1.0, 1.0, 0.6, 0.5),
    "public_order": Conduct("violence", "evening", True, 0.4, 0.6, 0.18, 0.1),
    "state": Conduct("flat", "daytime", False, 0.9, 0.6, 0.25, 0.35),
    "fraud": Conduct("flat", "course", True, 0.2, 0.1, 0.03, 0.04),
}


@dataclass(frozen=True)
class OffenceCode:
    """One row of the catalogue."""

    code: str
    description: str
    group: str
    police_uk: str
    background_share: float
    conduct: str


_V: Final = "Violence and sexual offences"

CATALOGUE: Final[tuple[OffenceCode, ...]] = (
    # Violence against the person
    OffenceCode("1", "Murder", VIOLENCE, _V, 0.0001, "homicide"),
    OffenceCode("5D", "Assault with intent to cause serious harm", VIOLENCE, _V, 0.006, "serious_assault"),
    OffenceCode("5E", "Endangering life", VIOLENCE, _V, 0.0015, "serious_assault"),
    OffenceCode("8N", "Assault with injury", VIOLENCE, _V, 0.105, "assault"),
    OffenceCode("8P", "Racially or religiously aggravated assault with injury", VIOLENCE, _V, 0.0, "assault"),
    OffenceCode("105A", "Assault without injury", VIOLENCE, _V, 0.15, "assault"),
    OffenceCode("105B", "Racially or religiously aggravated assault without injury", VIOLENCE, _V, 0.0, "assault"),
    OffenceCode("104", "Assault without injury on a constable", VIOLENCE, _V, 0.01, "assault"),
    OffenceCode("8L", "Harassment", VIOLENCE, _V, 0.045, "harassment"),
    OffenceCode("8M", "Racially or religiously aggravated harassment", VIOLENCE, _V, 0.0, "harassment"),
    OffenceCode("8Q", "Stalking", VIOLENCE, _V, 0.035, "harassment"),
    OffenceCode("8R", "Malicious communications", VIOLENCE, _V, 0.06, "harassment"),
    OffenceCode("8U", "Controlling or coercive behaviour", VIOLENCE, _V, 0.0, "harassment"),
    OffenceCode("11A", "Cruelty to children/young persons", VIOLENCE, _V, 0.007, "assault"),
    OffenceCode("37.1", "Causing death or serious injury by dangerous driving", VIOLENCE, _V, 0.0004, "state"),
    # Sexual offences
    OffenceCode("17A", "Sexual assault on a male aged 13 and over", SEXUAL, _V, 0.002, "sexual"),
    OffenceCode("20A", "Sexual assault on a female aged 13 and over", SEXUAL, _V, 0.013, "sexual"),
    OffenceCode("20B", "Sexual assault on a female child under 13", SEXUAL, _V, 0.002, "child_sexual"),
    OffenceCode("19C", "Rape of a female aged 16 and over", SEXUAL, _V, 0.0, "sexual"),
    OffenceCode("19D", "Rape of a female child under 16", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("19E", "Rape of a female child under 13", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("19F", "Rape of a male aged 16 and over", SEXUAL, _V, 0.0, "sexual"),
    OffenceCode("19G", "Rape of a male child under 16", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("19H", "Rape of a male child under 13", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("21", "Sexual activity involving a child under 13", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("22B", "Sexual activity involving a child under 16", SEXUAL, _V, 0.002, "child_sexual"),
    OffenceCode("71", "Abuse of children through sexual exploitation", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("88A", "Sexual grooming", SEXUAL, _V, 0.0, "child_sexual"),
    OffenceCode("88E", "Exposure and voyeurism", SEXUAL, _V, 0.004, "sexual"),
    # Robbery
    OffenceCode("34A", "Robbery of business property", ROBBERY, "Robbery", 0.002, "robbery"),
    OffenceCode("34B", "Robbery of personal property", ROBBERY, "Robbery", 0.0, "robbery"),
    # Theft offences
    OffenceCode("28E", "Burglary - residential: home", THEFT, "Burglary", 0.0, "burglary"),
    OffenceCode("28F", "Burglary - residential: unconnected building", THEFT, "Burglary", 0.0, "burglary"),
    OffenceCode("28G", "Burglary - business and community", THEFT, "Burglary", 0.0, "business_burglary"),
    OffenceCode("39", "Theft from the person", THEFT, "Theft from the person", 0.009, "theft"),
    OffenceCode("44", "Theft of a pedal cycle", THEFT, "Bicycle theft", 0.013, "cycle_theft"),
    OffenceCode("45", "Theft from a vehicle", THEFT, "Vehicle crime", 0.04, "vehicle"),
    OffenceCode("48", "Theft or unauthorised taking of a motor vehicle", THEFT, "Vehicle crime", 0.027, "vehicle"),
    OffenceCode("126", "Interfering with a motor vehicle", THEFT, "Vehicle crime", 0.006, "vehicle"),
    OffenceCode("37.2", "Aggravated vehicle taking", THEFT, "Vehicle crime", 0.001, "vehicle"),
    OffenceCode("46", "Shoplifting", THEFT, "Shoplifting", 0.12, "shoplifting"),
    OffenceCode("49", "Other theft", THEFT, "Other theft", 0.075, "theft"),
    OffenceCode(
        "40", "Theft in a dwelling other than from an automatic machine or meter", THEFT, "Other theft", 0.006, "theft"
    ),
    OffenceCode("54", "Handling stolen goods", THEFT, "Other theft", 0.002, "state"),
    OffenceCode("35", "Blackmail", THEFT, "Other theft", 0.0015, "harassment"),
    # Criminal damage and arson
    OffenceCode("56A", "Arson endangering life", DAMAGE, "Criminal damage and arson", 0.001, "damage"),
    OffenceCode("56B", "Arson not endangering life", DAMAGE, "Criminal damage and arson", 0.006, "damage"),
    OffenceCode("58A", "Criminal damage to a dwelling", DAMAGE, "Criminal damage and arson", 0.028, "damage"),
    OffenceCode(
        "58B",
        "Criminal damage to a building other than a dwelling",
        DAMAGE,
        "Criminal damage and arson",
        0.011,
        "damage",
    ),
    OffenceCode("58C", "Criminal damage to a vehicle", DAMAGE, "Criminal damage and arson", 0.034, "damage"),
    OffenceCode("58D", "Other criminal damage", DAMAGE, "Criminal damage and arson", 0.022, "damage"),
    OffenceCode(
        "58E",
        "Racially or religiously aggravated criminal damage to a dwelling",
        DAMAGE,
        "Criminal damage and arson",
        0.0,
        "damage",
    ),
    # Drug offences
    OffenceCode("92A", "Trafficking in controlled drugs", DRUGS, "Drugs", 0.0, "drug_supply"),
    OffenceCode("92B", "Possession of controlled drugs (other)", DRUGS, "Drugs", 0.0, "drug_possession"),
    OffenceCode("92C", "Other drug offences", DRUGS, "Drugs", 0.0, "drug_supply"),
    OffenceCode("92D", "Possession of controlled drugs (excluding cannabis)", DRUGS, "Drugs", 0.0, "drug_possession"),
    OffenceCode("92E", "Possession of controlled drugs (cannabis)", DRUGS, "Drugs", 0.0, "drug_possession"),
    # Possession of weapons
    OffenceCode("10A", "Possession of firearms with intent", WEAPONS, "Possession of weapons", 0.0005, "weapons"),
    OffenceCode("10C", "Possession of other weapons", WEAPONS, "Possession of weapons", 0.006, "weapons"),
    OffenceCode("10D", "Possession of article with blade or point", WEAPONS, "Possession of weapons", 0.007, "weapons"),
    OffenceCode("81", "Other firearms offences", WEAPONS, "Possession of weapons", 0.001, "weapons"),
    # Public order
    OffenceCode("9A", "Public fear, alarm or distress", PUBLIC_ORDER, "Public order", 0.075, "public_order"),
    OffenceCode(
        "9B",
        "Racially or religiously aggravated public fear, alarm or distress",
        PUBLIC_ORDER,
        "Public order",
        0.0,
        "public_order",
    ),
    OffenceCode("62A", "Violent disorder", PUBLIC_ORDER, "Public order", 0.0005, "public_order"),
    OffenceCode(
        "66", "Other offences against the State or public order", PUBLIC_ORDER, "Public order", 0.005, "public_order"
    ),
    # Miscellaneous crimes against society
    OffenceCode("802", "Dangerous driving", MISC, "Other crime", 0.002, "state"),
    OffenceCode("33", "Going equipped for stealing", MISC, "Other crime", 0.0006, "state"),
    OffenceCode(
        "38", "Profiting from or concealing knowledge of the proceeds of crime", MISC, "Other crime", 0.0006, "state"
    ),
    OffenceCode(
        "86", "Obscene publications and indecent photographs of children", MISC, "Other crime", 0.0, "child_sexual"
    ),
    OffenceCode("95", "Disclosure, obstruction, false or misleading statements", MISC, "Other crime", 0.003, "state"),
    OffenceCode("99", "Other indictable or triable-either-way offences", MISC, "Other crime", 0.003, "state"),
    # Fraud offences (police-recorded; most fraud goes to Action Fraud)
    OffenceCode("53A", "Fraud by false representation", FRAUD, "Other crime", 0.0, "fraud"),
    OffenceCode("53B", "Fraud by failing to disclose information", FRAUD, "Other crime", 0.0, "fraud"),
    OffenceCode("53C", "Fraud by abuse of position", FRAUD, "Other crime", 0.0, "fraud"),
)

CODES: Final[dict[str, OffenceCode]] = {c.code: c for c in CATALOGUE}


def conduct_of(code: str) -> Conduct:
    """The conduct profile of an offence code."""
    return CONDUCTS[CODES[code].conduct]
