"""The demo extracts' layout: the force system's column names and the mapping files describing them.

The demo writes its records the way a force's records management system would export them (its
own column names, ``Y``/``N`` flags, ``S``/``M``/``H`` risk codes) rather than in crimeprev's
canonical schema, so that loading the demo exercises the same extract importer and mapping file
(``docs/extract-mapping.md``) a force would use. Each layout is declared once, as pairs of
(canonical field, extract column); the CSV header and the mapping file are both rendered from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

FORCE: Final = "Essex Police"
OFFENCES_DATASET: Final = "essex-demo-offences"
INCIDENTS_DATASET: Final = "essex-demo-incidents"
DATE_FORMAT: Final = "%Y-%m-%d"
TIMESTAMP_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
TRUE_VALUE: Final = "Y"
FALSE_VALUE: Final = "N"
LIST_SEPARATOR: Final = ";"
DA_RISK_CODES: Final[dict[str, str]] = {"S": "standard", "M": "medium", "H": "high"}

OFFENCE_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("crime_ref", "CrimeNumber"),
    ("recorded_on", "DateRecorded"),
    ("committed_from", "CommittedFrom"),
    ("committed_to", "CommittedTo"),
    ("offence_code", "HOCode"),
    ("offence_group", "HOGroup"),
    ("police_uk_category", "PoliceUKCategory"),
    ("knife", "KnifeFlag"),
    ("domestic_abuse", "DAFlag"),
    ("hate", "HateFlag"),
    ("nte", "NTEFlag"),
    ("cse", "CSEFlag"),
    ("cyber", "CyberFlag"),
    ("online", "OnlineFlag"),
    ("county_lines", "CountyLinesFlag"),
    ("attempt", "AttemptFlag"),
    ("hate_types", "HateStrands"),
    ("da_risk", "DASHRisk"),
    ("district", "CSP"),
    ("lpa", "LPA"),
    ("lsoa_code", "LSOACode"),
    ("lsoa_name", "LSOAName"),
    ("location_desc", "Location"),
    ("lat", "Latitude"),
    ("lon", "Longitude"),
    ("outcome", "Outcome"),
    ("outcome_month", "OutcomeMonth"),
    ("arrest_made", "ArrestFlag"),
    ("attended", "Attended"),
    ("victim_key", "VictimID"),
    ("suspect_key", "SuspectID"),
)

INCIDENT_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("incident_ref", "IncidentRef"),
    ("incident_type", "IncidentType"),
    ("recorded_on", "DateRecorded"),
    ("hate_types", "HateStrands"),
    ("district", "CSP"),
    ("lpa", "LPA"),
    ("lsoa_code", "LSOACode"),
    ("lsoa_name", "LSOAName"),
    ("location_desc", "Location"),
    ("lat", "Latitude"),
    ("lon", "Longitude"),
    ("person_key", "PersonID"),
)


def header(columns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The extract's column names, in file order."""
    return tuple(extract for _, extract in columns)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_mapping(
    *,
    dataset: str,
    table: str,
    columns: tuple[tuple[str, str], ...],
    values: Mapping[str, Mapping[str, str]],
    seed: int,
) -> str:
    """The mapping YAML (``docs/extract-mapping.md``) for one demo extract."""
    lines = [
        f"# {dataset}.mapping.yaml - SYNTHETIC DEMO DATA (crimeprev demo, seed {seed}).",
        "# Describes the layout of the demo extract so that `crimeprev ingest extract` loads it",
        "# like a force's own export. The records are synthetic, calibrated to published Essex",
        "# totals; they are not real crimes or people.",
        f"dataset: {dataset}",
        f"table: {table}",
        f"force: {FORCE}",
        f"date_format: {_quote(DATE_FORMAT)}",
        f"timestamp_format: {_quote(TIMESTAMP_FORMAT)}",
        f"true_values: [{_quote(TRUE_VALUE)}]",
        f"false_values: [{_quote(FALSE_VALUE)}]",
        f"list_separator: {_quote(LIST_SEPARATOR)}",
        "columns:",
        *(f"  {field}: {extract}" for field, extract in columns),
    ]
    if values:
        lines.append("values:")
        for field, recode in values.items():
            pairs = ", ".join(f"{code}: {label}" for code, label in recode.items())
            lines.append(f"  {field}: {{{pairs}}}")
    return "\n".join(lines) + "\n"
