"""The canonical record schema: table names, column names and their types, declared once.

Every importer maps its input onto these columns and every query reads them by these names, so
a column is renamed here or nowhere. Types are DuckDB SQL type names; the store creates tables
from them and importers build Arrow batches whose columns match them.

A flag column holds ``NULL`` where the source does not record that flag (a data.police.uk file
knows nothing of knife crime or domestic abuse): unknown is not the same as false, and the
indicator layer must be able to tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a canonical table."""

    name: str
    sql_type: str
    doc: str


@dataclass(frozen=True, slots=True)
class Table:
    """A canonical table: its columns and the columns that identify a release partition.

    ``partition`` names the columns whose values a new release replaces: a new file for the same
    force and month replaces the rows of the older release of that force and month. ``key``
    identifies one record: a second row with the same key is quarantined as a duplicate. Rows with
    a NULL in a key column that is not a partition column (data.police.uk ASB rows, which have no
    reference) are never duplicates: byte-identical ASB rows are separate events.
    """

    name: str
    columns: tuple[Column, ...]
    partition: tuple[str, ...]
    key: tuple[str, ...]
    doc: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def reference(self) -> tuple[str, ...]:
        """Key columns beyond the partition: a row with NULL in one of them has no identity."""
        return tuple(k for k in self.key if k not in self.partition)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# Offence flags, in the order DESIGN.md lists them.
FLAGS: Final = (
    "knife",
    "domestic_abuse",
    "hate",
    "nte",
    "cse",
    "cyber",
    "online",
    "county_lines",
    "attempt",
)

LOCATION_STATUSES: Final = ("ok", "no_location", "outside_force")
DA_RISK_LEVELS: Final = ("standard", "medium", "high")

# Columns every record carries to say where it came from.
PROVENANCE: Final = (
    Column("dataset", "VARCHAR", "importer dataset name, e.g. police-uk-street"),
    Column("release_id", "BIGINT", "the ingest release that loaded the row"),
    Column("source_file", "VARCHAR", "path of the file the row came from"),
    Column("source_row", "BIGINT", "CSV: line number in the file (header = 1); Parquet: record number from 1"),
    Column("source_hash", "VARCHAR", "SHA-256 of the file's bytes"),
    Column("vintage", "INTEGER", "1 for the first release of a partition, +1 per replacement"),
    Column("ingested_at", "TIMESTAMP", "when the release was committed (UTC)"),
)

_LOCATION: Final = (
    Column("district", "VARCHAR", "Community Safety Partnership area"),
    Column("lpa", "VARCHAR", "local policing area"),
    Column("lsoa_code", "VARCHAR", "Lower-layer Super Output Area code"),
    Column("lsoa_name", "VARCHAR", "LSOA name"),
    Column("location_desc", "VARCHAR", "street or place description (anonymised snap point)"),
    Column("lat", "DOUBLE", "latitude, WGS84"),
    Column("lon", "DOUBLE", "longitude, WGS84"),
    Column("location_status", "VARCHAR", "ok / no_location / outside_force"),
)

OFFENCES: Final = Table(
    name="offences",
    doc="One row per recorded crime.",
    partition=("force", "recorded_month"),
    key=("force", "crime_ref"),
    columns=(
        Column("crime_ref", "VARCHAR", "force reference or data.police.uk Crime ID"),
        Column("force", "VARCHAR", "force name"),
        Column("recorded_month", "DATE", "first day of the month the crime was recorded"),
        Column("recorded_on", "DATE", "date recorded, where the source has it"),
        Column("committed_from", "TIMESTAMP", "start of the time the offence was committed"),
        Column("committed_to", "TIMESTAMP", "end of the time the offence was committed"),
        Column("offence_code", "VARCHAR", "Home Office offence code as text (8N, 28E, 37.1)"),
        Column("offence_group", "VARCHAR", "Home Office offence group or police.uk category"),
        Column("police_uk_category", "VARCHAR", "one of the public police.uk categories"),
        *(Column(f, "BOOLEAN", f"flag: {f}; NULL where the source does not record it") for f in FLAGS),
        Column("hate_types", "VARCHAR[]", "hate crime strands"),
        Column("da_risk", "VARCHAR", "domestic abuse risk: standard / medium / high"),
        *_LOCATION,
        Column("outcome", "VARCHAR", "last outcome"),
        Column("outcome_month", "DATE", "month of the last outcome"),
        Column("solved", "BOOLEAN", "derived from the outcome by the declared outcome mapping"),
        Column("arrest_made", "BOOLEAN", "an arrest was made"),
        Column("attended", "BOOLEAN", "police attended"),
        Column("victim_key", "VARCHAR", "pseudonymised victim identifier (keyed hash)"),
        Column("suspect_key", "VARCHAR", "pseudonymised suspect identifier (keyed hash)"),
        *PROVENANCE,
    ),
)

INCIDENTS: Final = Table(
    name="incidents",
    doc="Non-crime demand: anti-social behaviour, mental health, s136 detentions, hate incidents.",
    partition=("force", "recorded_month"),
    key=("force", "incident_ref"),
    columns=(
        Column("incident_ref", "VARCHAR", "force incident reference; NULL where none is published"),
        Column("force", "VARCHAR", "force name"),
        Column("incident_type", "VARCHAR", "anti-social behaviour, mental health incident, ..."),
        Column("recorded_month", "DATE", "first day of the month recorded"),
        Column("recorded_on", "DATE", "date recorded, where the source has it"),
        Column("hate_types", "VARCHAR[]", "hate strands of a hate incident"),
        *_LOCATION,
        Column("person_key", "VARCHAR", "pseudonymised person identifier (keyed hash)"),
        *PROVENANCE,
    ),
)

MEASURES: Final = Table(
    name="measures",
    doc="Aggregate figures that are not derivable from records (seizures, NFIB reports, DVDS).",
    partition=("measure", "period_start", "period_end", "dimension", "dimension_value"),
    key=("measure", "period_start", "period_end", "dimension", "dimension_value"),
    columns=(
        Column("measure", "VARCHAR", "measure id, e.g. soc_arrests"),
        Column("period_start", "DATE", "first day of the period"),
        Column("period_end", "DATE", "last day of the period"),
        Column("value", "DOUBLE", "the figure"),
        Column("unit", "VARCHAR", "count, gbp, kg, rate"),
        Column("dimension", "VARCHAR", "optional breakdown dimension"),
        Column("dimension_value", "VARCHAR", "value of that dimension"),
        Column("source_note", "VARCHAR", "where the figure comes from"),
        *PROVENANCE,
    ),
)

ZONES: Final = Table(
    name="zones",
    doc="Named operation zones (schema only: filled by the places issue).",
    partition=("zone_id",),
    key=("zone_id",),
    columns=(
        Column("zone_id", "VARCHAR", "zone identifier"),
        Column("name", "VARCHAR", "zone name"),
        Column("kind", "VARCHAR", "polygon / h3 / lsoa"),
        Column("geometry", "VARCHAR", "GeoJSON geometry, H3 cells or LSOA codes"),
        Column("active_from", "DATE", "first day active"),
        Column("active_to", "DATE", "last day active"),
        *PROVENANCE,
    ),
)

OPERATIONS: Final = Table(
    name="operations",
    doc="Weeks of action (schema only: filled by the operations issue).",
    partition=("operation_id",),
    key=("operation_id",),
    columns=(
        Column("operation_id", "VARCHAR", "operation identifier"),
        Column("name", "VARCHAR", "operation name"),
        Column("strand", "VARCHAR", "strategy strand id"),
        Column("starts_on", "DATE", "first day"),
        Column("ends_on", "DATE", "last day"),
        Column("area", "VARCHAR", "districts or zone ids"),
        *PROVENANCE,
    ),
)

RECORD_TABLES: Final = (OFFENCES, INCIDENTS, MEASURES, ZONES, OPERATIONS)
TABLES_BY_NAME: Final = {t.name: t for t in RECORD_TABLES}

# Columns a release's rows are given by the store, not by the importer.
STORE_ASSIGNED: Final = (
    "dataset",
    "release_id",
    "source_file",
    "source_hash",
    "vintage",
    "ingested_at",
)


def importer_columns(table: Table) -> tuple[Column, ...]:
    """The columns an importer supplies for ``table`` (all but the store-assigned provenance)."""
    return tuple(c for c in table.columns if c.name not in STORE_ASSIGNED)
