"""Code lists: police.uk categories, incident types, hate strands and the outcome mapping.

The outcome mapping declares which last-outcome labels count as *solved* (a charge or summons,
an out-of-court disposal, or a court result that follows a charge). It covers the police.uk
labels, their pre-2014 spellings and the Home Office outcome types that force extracts carry, so
that ``solved`` means the same thing whichever source a record came from.
"""

from __future__ import annotations

from typing import Final

POLICE_UK_CATEGORIES: Final = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    # Historic category, split into Public order and Possession of weapons in 2013.
    "Public disorder and weapons",
)
ASB_CATEGORY: Final = "Anti-social behaviour"

INCIDENT_TYPES: Final = (
    "anti-social behaviour",
    "mental health incident",
    "section 136 detention",
    "hate incident",
    "missing person",
    "other",
)

HATE_TYPES: Final = (
    "Racial",
    "Homophobic",
    "Disability",
    "Transgender",
    "Religious - Jewish",
    "Religious - Muslim",
    "Religious - Christian",
    "Religious - Other",
    "Religious - Unknown",
    "Religious - No religion",
    "Age",
    "Alternative Sub-culture",
)
MULTIPLE_HATE_TYPES: Final = "Multiple Types"

# police.uk "Last outcome category" labels (and older spellings) that mean the crime was solved.
SOLVED_OUTCOMES: Final = frozenset(
    {
        "Awaiting court outcome",
        "Court result unavailable",
        "Defendant found not guilty",
        "Defendant sent to Crown Court",
        "Court case unable to proceed",
        "Local resolution",
        "Offender deprived of property",
        "Offender fined",
        "Offender given a caution",
        "Offender given a drugs possession warning",
        "Offender given absolute discharge",
        "Offender given community sentence",
        "Offender given conditional discharge",
        "Offender given penalty notice",
        "Offender given suspended prison sentence",
        "Offender ordered to pay compensation",
        "Offender otherwise dealt with",
        "Offender sent to prison",
        "Suspect charged",
        "Suspect charged as part of another case",
        # pre-2014 labels
        "Offender sentenced as part of another case",
        "Offender given community penalty",
        "Offender imprisoned",
        "Suspect found not guilty",
        # Home Office outcome types as force extracts carry them
        "Charged/Summonsed",
        "Caution",
        "Community resolution",
        "Penalty notice for disorder",
        "Taken into consideration",
        "Cannabis/Khat warning",
    }
)


def is_solved(outcome: str | None) -> bool | None:
    """Whether ``outcome`` counts as solved; ``None`` when there is no outcome to judge."""
    if outcome is None or outcome == "":
        return None
    return outcome in SOLVED_OUTCOMES
