"""data.police.uk street-level crime files (``YYYY-MM-<force>-street.csv``).

Accepts single files, folders and the monthly archive layout (``YYYY-MM/…-street.csv``), with the
published header or its snake_case rewrite, CRLF or LF line endings. Rows with a blank Crime ID
are anti-social behaviour and become incidents; every other row is an offence. Byte-identical ASB
rows are separate events and are all kept. ``No Location`` rows and points outside the force are
valid records, loaded with their location status.

A street file carries no flags (knife, domestic abuse, ...), codes or person identifiers: those
columns stay NULL, which the indicators read as "not available", never as zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crimeprev.model.codes import ASB_CATEGORY, POLICE_UK_CATEGORIES, SOLVED_OUTCOMES
from crimeprev.model.errors import InputError
from crimeprev.sources import fields
from crimeprev.sources.block_pool import map_in_order
from crimeprev.sources.csv_blocks import CsvBlock, iter_raw_blocks, parse_block, read_header
from crimeprev.sources.fields import BoundingBox
from crimeprev.sources.force_areas import areas_of
from crimeprev.sources.input_files import find_input_files
from crimeprev.sources.registry import ImportBatch, ImportOptions, SourceFile, as_read
from crimeprev.sources.row_checks import RowChecks

DATASET = "police-uk-street"
HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
ASB_INCIDENT_TYPE = "anti-social behaviour"


def _normalise(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


_KEYS = tuple(_normalise(h) for h in HEADER)


class PoliceUkImporter:
    """Importer for data.police.uk street-level CSV files."""

    name = "police-uk"
    description = "data.police.uk street-level crime CSV (files, folders, monthly archive)"
    tables = ("offences", "incidents")

    def plan(self, paths: Sequence[Path], options: ImportOptions) -> list[SourceFile]:
        files = find_input_files(
            paths,
            wanted=lambda name: name.lower().endswith("-street.csv"),
            recursive=True,  # the monthly archive: YYYY-MM/…-street.csv
            none_found="no data.police.uk street files (*-street.csv) in this folder",
        )
        return [SourceFile(path=p, dataset=DATASET) for p in files]

    def quarantine_text(self, source: SourceFile, options: ImportOptions) -> Callable[[str], str]:
        return as_read  # these files hold no personal data

    def read(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportBatch]:
        header = read_header(source.path)
        if tuple(_normalise(n) for n in header.names) != _KEYS:
            raise InputError(str(source.path), _header_problem(header.names), row=1)
        own_month = file_month(source.path)
        yield from map_in_order(
            lambda raw: _to_batch(
                parse_block(raw, header, source.path), header.names, own_month, source.path.name, options.areas
            ),
            iter_raw_blocks(source.path, header),
        )


_MONTHLY_FILE = re.compile(r"^(\d{4})-(\d{2})-.+-street\.csv$", re.IGNORECASE)


def file_month(path: Path) -> date | None:
    """The month a monthly street file covers, from its published name ``YYYY-MM-<force>-street.csv``.

    Such a file owns its month and no other: a row dated another month is quarantined rather than
    allowed to replace a month the file does not cover. Files named otherwise (a year in one
    file, say) are taken at their rows' word.

    >>> file_month(Path("2018-01-essex-street.csv")), file_month(Path("essex-2018.csv"))
    (datetime.date(2018, 1, 1), None)
    """
    found = _MONTHLY_FILE.match(path.name)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def _header_problem(names: Sequence[str]) -> str:
    found = [_normalise(n) for n in names]
    missing = [h for h, k in zip(HEADER, _KEYS, strict=True) if k not in found]
    unexpected = [n for n, k in zip(names, found, strict=True) if k not in _KEYS]
    parts = [f"not a data.police.uk street-level header (expected {len(HEADER)} columns: {', '.join(HEADER)})"]
    if missing:
        parts.append(f"missing: {', '.join(missing)}")
    if unexpected:
        parts.append(f"unexpected: {', '.join(unexpected)}")
    if not missing and not unexpected:
        parts.append("the columns are in the wrong order")
    return "; ".join(parts)


def _to_batch(
    block: CsvBlock,
    names: Sequence[str],
    own_month: date | None,
    file_name: str,
    areas: Mapping[str, BoundingBox] | None,
) -> ImportBatch:
    raw = block.table
    col = dict(zip(_KEYS, names, strict=True))  # canonical key -> the file's own column name
    checks = RowChecks(raw, block.lines)

    # Low-cardinality columns are parsed once per distinct value (fields.per_distinct).
    month = fields.per_distinct(raw[col["month"]], fields.parse_month)
    checks.add(month.bad, col["month"], lambda v: f"invalid month {v!r}: expected YYYY-MM")
    checks.add(_null(raw[col["month"]]), col["month"], "blank: every row needs a month")
    if own_month is not None:
        elsewhere = pc.fill_null(pc.not_equal(month.values, pa.scalar(own_month, pa.date32())), False)
        checks.add(
            np.asarray(elsewhere, dtype=bool),
            col["month"],
            lambda v: (
                f"month {v} in {file_name}, which covers {own_month:%Y-%m} only (a monthly file cannot "
                "change another month)"
            ),
        )
    force = fields.per_distinct(raw[col["falls_within"]], _as_parsed(fields.trimmed)).values
    checks.add(_null(force), col["falls_within"], "blank: the force is required")
    category = fields.per_distinct(raw[col["crime_type"]], lambda d: fields.parse_choice(d, POLICE_UK_CATEGORIES))
    checks.add(category.bad, col["crime_type"], lambda v: f"unknown crime type {v!r}")
    checks.add(_null(raw[col["crime_type"]]), col["crime_type"], "blank: the crime type is required")
    crime_id = raw[col["crime_id"]].combine_chunks()
    is_asb = np.asarray(pc.fill_null(pc.equal(category.values, ASB_CATEGORY), False), dtype=bool)
    checks.add(
        _null(crime_id) & ~is_asb,
        col["crime_id"],
        "blank Crime ID on a crime row (only anti-social behaviour rows have none)",
    )
    location = fields.parse_location(raw[col["latitude"]], raw[col["longitude"]], areas_of(force, areas))
    checks.add(location.bad_lon, col["longitude"], lambda v: f"not a usable longitude: {v!r}")
    checks.add(location.bad_lat, col["latitude"], lambda v: f"not a usable latitude: {v!r}")
    checks.add(location.half_missing, col["latitude"], "one coordinate without the other")

    keep = checks.keep
    lsoa_name = raw[col["lsoa_name"]].combine_chunks()
    common = {
        "force": force,
        "recorded_month": month.values,
        "district": fields.per_distinct(lsoa_name, _as_parsed(_district)).values,
        "lsoa_code": raw[col["lsoa_code"]].combine_chunks(),
        "lsoa_name": lsoa_name,
        "location_desc": raw[col["location"]].combine_chunks(),
        "lat": location.lat,
        "lon": location.lon,
        "location_status": location.status,
        "source_row": pa.array(block.lines, type=pa.int64()),
    }
    outcome = raw[col["last_outcome_category"]].combine_chunks()
    offences = pa.table(
        {
            "crime_ref": crime_id,
            **common,
            "offence_group": category.values,
            "police_uk_category": category.values,
            "outcome": outcome,
            "solved": fields.per_distinct(outcome, _as_parsed(_solved)).values,
        }
    ).filter(pa.array(keep & ~is_asb))
    incidents = pa.table(
        {
            "incident_ref": crime_id,
            **common,
            "incident_type": pa.array(np.full(raw.num_rows, ASB_INCIDENT_TYPE), type=pa.string()),
        }
    ).filter(pa.array(keep & is_asb))
    return ImportBatch(
        tables={"offences": offences, "incidents": incidents},
        rejected=(*block.rejected, *checks.rejected()),
        end_offset=block.end_offset,
    )


def _null(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.is_null(column).to_numpy(zero_copy_only=False), dtype=bool)


def _as_parsed(transform: Callable[[pa.Array], pa.Array]) -> Callable[[pa.Array], fields.Parsed]:
    """A value transform as a parser that finds nothing bad (for :func:`fields.per_distinct`)."""
    return lambda values: fields.Parsed(transform(values), np.zeros(len(values), dtype=bool))


def _district(lsoa_name: pa.Array) -> pa.Array:
    """The local authority (CSP) of an LSOA: its name without the trailing ``012C`` code."""
    return pc.replace_substring_regex(lsoa_name, pattern=r"\s+\d{3}[A-Z]$", replacement="")


def _solved(outcome: pa.Array) -> pa.Array:
    return pc.if_else(
        pc.is_valid(outcome),
        pc.is_in(outcome, value_set=pa.array(sorted(SOLVED_OUTCOMES), type=pa.string())),
        pa.scalar(None, pa.bool_()),
    )


IMPORTER = PoliceUkImporter()
