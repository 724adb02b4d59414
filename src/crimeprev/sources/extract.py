"""A force's own crime or incident extract (CSV or Parquet) read through a YAML column mapping.

The mapping (documented in ``docs/extract-mapping.md``) names, for each canonical field, the
extract's column; how dates, timestamps, flags and lists are written; and optional recodings.
A force writes it once for its records system and reuses it for every extract.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, model_validator

from crimeprev.model.codes import SOLVED_OUTCOMES
from crimeprev.model.errors import InputError
from crimeprev.model.rejects import RejectedLine
from crimeprev.model.schema import DA_RISK_LEVELS, INCIDENTS, OFFENCES, Table, importer_columns
from crimeprev.sources import fields
from crimeprev.sources.csv_blocks import iter_csv_blocks, read_header
from crimeprev.sources.force_areas import areas_of
from crimeprev.sources.input_files import find_input_files
from crimeprev.sources.pseudonym import Pseudonymiser, require_key
from crimeprev.sources.redaction import LineRedactor
from crimeprev.sources.registry import ImportBatch, ImportOptions, SourceFile
from crimeprev.sources.row_checks import RowChecks
from crimeprev.sources.yaml_documents import read_yaml_model

PERSON_FIELDS = ("victim_key", "suspect_key", "person_key")
MONTH_FIELDS = ("recorded_month", "outcome_month")
DERIVED = ("location_status", "source_row")
REQUIRED: dict[str, tuple[str, ...]] = {"offences": ("crime_ref",), "incidents": ("incident_type",)}
PARQUET_BATCH_ROWS = 256_000


class ExtractMapping(BaseModel):
    """A validated column mapping file."""

    model_config = ConfigDict(extra="forbid")

    dataset: str = Field(min_length=1)
    table: Literal["offences", "incidents"]
    force: str | None = None
    force_column: str | None = None
    date_format: str = "%Y-%m-%d"
    timestamp_format: str = "%Y-%m-%d %H:%M:%S"
    true_values: list[str] = Field(default_factory=lambda: ["Y", "Yes", "TRUE", "1"])
    false_values: list[str] = Field(default_factory=lambda: ["N", "No", "FALSE", "0"])
    list_separator: str = ";"
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> ExtractMapping:
        target = self.target
        allowed = {c.name for c in importer_columns(target)} - set(DERIVED) - {"force"}
        unknown = sorted(set(self.columns) - allowed)
        if unknown:
            raise ValueError(f"columns: unknown canonical field(s) {unknown} for table {self.table}")
        missing = [f for f in REQUIRED[self.table] if f not in self.columns]
        if missing:
            raise ValueError(f"columns: the required field(s) {missing} are not mapped")
        if "recorded_month" not in self.columns and "recorded_on" not in self.columns:
            raise ValueError("columns: map recorded_month or recorded_on")
        if (self.force is None) == (self.force_column is None):
            raise ValueError("give exactly one of force (a constant) or force_column")
        unknown_values = sorted(set(self.values) - set(self.columns))
        if unknown_values:
            raise ValueError(f"values: recoding for unmapped field(s) {unknown_values}")
        return self

    @property
    def target(self) -> Table:
        return OFFENCES if self.table == "offences" else INCIDENTS

    @property
    def person_fields(self) -> tuple[str, ...]:
        return tuple(f for f in PERSON_FIELDS if f in self.columns)

    def source_columns(self) -> list[str]:
        cols = list(self.columns.values())
        if self.force_column:
            cols.append(self.force_column)
        return list(dict.fromkeys(cols))


@cache
def load_mapping(path: Path) -> ExtractMapping:
    """Read and validate a mapping file; errors name the file and the field."""
    return read_yaml_model(path, ExtractMapping, what="mapping file")


class ExtractImporter:
    """Importer for force extracts described by a mapping file."""

    name = "extract"
    description = "a force's own crime or incident extract (CSV or Parquet) with a YAML column mapping"
    tables = ("offences", "incidents")

    def plan(self, paths: Sequence[Path], options: ImportOptions) -> list[SourceFile]:
        if options.mapping is None:
            raise InputError("extract", "a column mapping file is required (--mapping FILE)")
        mapping = load_mapping(options.mapping)
        files = find_input_files(
            paths,
            wanted=lambda name: name.lower().endswith((".csv", ".parquet")),
            recursive=False,
            none_found="no .csv or .parquet files in this folder",
        )
        return [SourceFile(path=p, dataset=mapping.dataset) for p in files]

    def read(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportBatch]:
        assert options.mapping is not None
        mapping = load_mapping(options.mapping)
        pseudonymiser = (
            require_key(options.pseudonym_key, str(source.path), dataset=mapping.dataset)
            if mapping.person_fields
            else None
        )
        if source.path.suffix.lower() == ".parquet":
            batches = _parquet_batches(source.path, mapping)
        else:
            batches = _csv_batches(source.path, mapping)
        redactor = _redactor(source.path, mapping, pseudonymiser)
        for raw, lines, rejected, offset in batches:
            table, more = convert(raw, lines, mapping, pseudonymiser, redactor)
            unreadable = tuple(dataclasses.replace(r, raw=redactor.redact_line(r.raw)) for r in rejected)
            yield ImportBatch({mapping.table: table}, (*unreadable, *more), offset)

    def quarantine_text(self, source: SourceFile, options: ImportOptions) -> Callable[[str], str]:
        assert options.mapping is not None
        mapping = load_mapping(options.mapping)
        if source.path.suffix.lower() == ".parquet":
            return lambda text: PARQUET_ROW  # a Parquet file has no lines of text to show
        pseudonymiser = (
            require_key(options.pseudonym_key, str(source.path), dataset=mapping.dataset)
            if mapping.person_fields
            else None
        )
        return _redactor(source.path, mapping, pseudonymiser).redact_line


PARQUET_ROW = "[a row of a Parquet file: no line text]"


def _redactor(path: Path, mapping: ExtractMapping, pseudonymiser: Pseudonymiser | None) -> LineRedactor:
    """What of an extract's lines quarantine may keep (see :mod:`crimeprev.sources.redaction`)."""
    identifiers = frozenset(mapping.columns[f] for f in mapping.person_fields)
    header = tuple(mapping.source_columns()) if path.suffix.lower() == ".parquet" else read_header(path).names
    kept = frozenset(mapping.source_columns()) - identifiers
    return LineRedactor(header, kept, identifiers, pseudonymiser)


RawBatch = tuple[pa.Table, np.ndarray, tuple[RejectedLine, ...], int]


def _require_columns(path: Path, present: Sequence[str], mapping: ExtractMapping) -> None:
    missing = [c for c in mapping.source_columns() if c not in present]
    if missing:
        raise InputError(
            str(path),
            f"the mapping names column(s) the file does not have: {', '.join(missing)}",
            row=1,
        )


def _csv_batches(path: Path, mapping: ExtractMapping) -> Iterator[RawBatch]:
    header = read_header(path)
    _require_columns(path, header.names, mapping)
    if len(set(header.names)) != len(header.names):
        raise InputError(str(path), "the header repeats a column name", row=1)
    for block in iter_csv_blocks(path, header):
        yield block.table, block.lines, block.rejected, block.end_offset


def _parquet_batches(path: Path, mapping: ExtractMapping) -> Iterator[RawBatch]:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as e:
        raise InputError(str(path), f"not a readable Parquet file: {e}") from None
    _require_columns(path, parquet.schema_arrow.names, mapping)
    first = 1
    columns = mapping.source_columns()
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
        raw = pa.table({c: _as_text(batch.column(c), mapping) for c in columns})
        lines = np.arange(first, first + raw.num_rows, dtype=np.int64)
        first += raw.num_rows
        yield raw, lines, (), 0


def _as_text(column: pa.Array, mapping: ExtractMapping) -> pa.Array:
    """A Parquet column as text, dates and times written in the mapping's own formats.

    Every value then takes the same parsing and checking path as a CSV cell.
    """
    if pa.types.is_timestamp(column.type):
        return pc.strftime(pc.cast(column, pa.timestamp("s")), format=mapping.timestamp_format)
    if pa.types.is_date(column.type):
        return pc.strftime(column, format=mapping.date_format)
    return pc.cast(column, pa.string())


def _recode(column: pa.Array, recoding: dict[str, str]) -> pa.Array:
    keys = pa.array(list(recoding), type=pa.string())
    index = pc.index_in(column, value_set=keys)
    replaced = pc.take(pa.array(list(recoding.values()), type=pa.string()), index)
    return pc.coalesce(replaced, column)


def convert(
    raw: pa.Table,
    lines: np.ndarray,
    mapping: ExtractMapping,
    pseudonymiser: Pseudonymiser | None,
    redactor: LineRedactor | None = None,
) -> tuple[pa.Table, list[RejectedLine]]:
    """Map raw text columns to the canonical table; returns the good rows and the rejects (their
    lines without personal data when a ``redactor`` is given)."""
    target = mapping.target
    checks = RowChecks(raw, lines, line_text=None if redactor is None else redactor.redact_values)
    out: dict[str, pa.Array] = {}

    def text(field: str) -> pa.Array:
        column = fields.trimmed(raw[mapping.columns[field]])
        recoding = mapping.values.get(field)
        return _recode(column, recoding) if recoding else column

    for field in REQUIRED[mapping.table]:
        checks.add(fields.blank(text(field)), mapping.columns[field], f"blank: {field} is required")

    if mapping.force is not None:
        out["force"] = pa.array(np.full(raw.num_rows, mapping.force), type=pa.string())
    else:
        assert mapping.force_column is not None
        out["force"] = fields.trimmed(raw[mapping.force_column])
        checks.add(fields.blank(out["force"]), mapping.force_column, "blank: the force is required")

    for field, source in mapping.columns.items():
        column = target.column(field)
        if field in ("lat", "lon"):
            continue
        if field in PERSON_FIELDS:
            assert pseudonymiser is not None
            out[field] = pseudonymiser.pseudonymise(text(field))
        elif field in MONTH_FIELDS:
            parsed = fields.parse_month(text(field))
            checks.add(parsed.bad, source, lambda v: f"invalid month {v!r}: expected YYYY-MM")
            out[field] = parsed.values
        elif column.sql_type == "DATE":
            parsed = fields.parse_date(text(field), mapping.date_format)
            checks.add(parsed.bad, source, lambda v: f"not a date in the form {mapping.date_format}: {v!r}")
            out[field] = parsed.values
        elif column.sql_type == "TIMESTAMP":
            parsed = fields.parse_timestamp(text(field), mapping.timestamp_format)
            checks.add(
                parsed.bad,
                source,
                lambda v: f"not a timestamp in the form {mapping.timestamp_format}: {v!r}",
            )
            out[field] = parsed.values
        elif column.sql_type == "BOOLEAN":
            parsed = fields.parse_flag(text(field), mapping.true_values, mapping.false_values)
            checks.add(parsed.bad, source, lambda v: f"not a yes/no value: {v!r}")
            out[field] = parsed.values
        elif column.sql_type == "DOUBLE":
            parsed = fields.parse_float(text(field))
            checks.add(parsed.bad, source, lambda v: f"not a number: {v!r}")
            out[field] = parsed.values
        elif column.sql_type == "VARCHAR[]":
            out[field] = fields.split_list(text(field), mapping.list_separator)
        elif field == "da_risk":
            parsed = fields.parse_choice(text(field), DA_RISK_LEVELS)
            checks.add(
                parsed.bad,
                source,
                lambda v: f"not a risk level ({', '.join(DA_RISK_LEVELS)}): {v!r}",
            )
            out[field] = parsed.values
        else:
            out[field] = text(field)

    if "recorded_month" not in out:
        recorded_on = out["recorded_on"]
        checks.add(
            fields.blank(raw[mapping.columns["recorded_on"]]),
            mapping.columns["recorded_on"],
            "blank: the date recorded is required",
        )
        out["recorded_month"] = pc.cast(pc.floor_temporal(recorded_on, unit="month"), pa.date32())
    else:
        checks.add(
            fields.blank(raw[mapping.columns["recorded_month"]]),
            mapping.columns["recorded_month"],
            "blank: the month recorded is required",
        )

    if "lat" in mapping.columns or "lon" in mapping.columns:
        lat_source = mapping.columns.get("lat", mapping.columns.get("lon", ""))
        lon_source = mapping.columns.get("lon", lat_source)
        location = fields.parse_location(raw[lat_source], raw[lon_source], areas_of(out["force"]))
        checks.add(location.bad_lat, lat_source, lambda v: f"not a usable latitude: {v!r}")
        checks.add(location.bad_lon, lon_source, lambda v: f"not a usable longitude: {v!r}")
        checks.add(location.half_missing, lat_source, "one coordinate without the other")
        out.update(lat=location.lat, lon=location.lon, location_status=location.status)
    else:
        out["location_status"] = pa.array(np.full(raw.num_rows, "no_location"), type=pa.string())

    if mapping.table == "offences":
        if "hate" not in out and "hate_types" in out:
            out["hate"] = pc.fill_null(pc.greater(pc.list_value_length(out["hate_types"]), 0), False)
        if "solved" not in out and "outcome" in out:
            out["solved"] = pc.if_else(
                pc.is_valid(out["outcome"]),
                pc.is_in(out["outcome"], value_set=pa.array(sorted(SOLVED_OUTCOMES), type=pa.string())),
                pa.scalar(None, pa.bool_()),
            )
    out["source_row"] = pa.array(lines, type=pa.int64())
    table = pa.table(out).filter(pa.array(checks.keep))
    return table, checks.rejected()


IMPORTER = ExtractImporter()
