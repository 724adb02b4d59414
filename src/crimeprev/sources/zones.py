"""Operation zones: GeoJSON polygons, or CSV lists of H3 cells, LSOAs or districts, with their dates.

GeoJSON (``.geojson`` or ``.json``): a FeatureCollection whose features are Polygons or
MultiPolygons in WGS84 longitude/latitude, each with the properties ``zone_id`` (or the feature's
``id``), ``name``, ``active_from`` and optionally ``active_to`` (ISO dates; no ``active_to`` means
still active). A feature is one zone; its number in the collection (1 for the first) is its "line"
in quarantine.

CSV (``.csv``)::

    zone_id,name,kind,members,active_from,active_to
    basildon-tc,Basildon town centre,lsoa,E01021304;E01021305,2023-07-01,
    grays-hex,Grays,h3,89195da49a3ffff;89195da49abffff,2023-10-01,2024-09-30

``kind`` is ``h3``, ``lsoa`` or ``district``; ``members`` are separated by ``;``. A zone imported
again under the same ``zone_id`` replaces the earlier definition. These files hold no personal
data, so quarantine keeps a rejected line as it was read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from crimeprev.model.errors import InputError
from crimeprev.model.rejects import RejectedLine
from crimeprev.sources.csv_blocks import iter_csv_blocks, read_header
from crimeprev.sources.input_files import find_input_files
from crimeprev.sources.registry import ImportBatch, ImportOptions, SourceFile, as_read
from crimeprev.sources.row_checks import csv_line
from crimeprev.spatial.zones import parse_zone, zone_definition

DATASET = "zones"
CSV_COLUMNS = ("zone_id", "name", "kind", "members", "active_from")
OPTIONAL_COLUMNS = ("active_to",)
LIST_KINDS = ("h3", "lsoa", "district")
SUFFIXES = (".geojson", ".json", ".csv")
ZONE_SCHEMA = pa.schema(
    [
        ("zone_id", pa.string()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("geometry", pa.string()),
        ("active_from", pa.date32()),
        ("active_to", pa.date32()),
        ("source_row", pa.int64()),
    ]
)


class ZonesImporter:
    """Importer for zone files (GeoJSON polygons; CSV lists of H3 cells, LSOAs or districts)."""

    name = "zones"
    description = "operation zones: GeoJSON polygons, or CSV lists of H3 cells, LSOAs or districts, with dates"
    tables = ("zones",)

    def plan(self, paths: Sequence[Path], options: ImportOptions) -> list[SourceFile]:
        files = find_input_files(
            paths,
            wanted=lambda name: name.lower().endswith(SUFFIXES),
            recursive=False,
            none_found="no .geojson, .json or .csv files in this folder",
        )
        for path in files:
            if not path.name.lower().endswith(SUFFIXES):
                raise InputError(str(path), "not a zone file: give GeoJSON (.geojson, .json) or CSV (.csv)")
        return [SourceFile(path=p, dataset=DATASET) for p in files]

    def quarantine_text(self, source: SourceFile, options: ImportOptions) -> Callable[[str], str]:
        return as_read  # zone files hold no personal data

    def read(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportBatch]:
        if source.path.name.lower().endswith(".csv"):
            yield from _read_csv(source.path)
        else:
            yield _read_geojson(source.path)


def _iso_date(value: Any, name: str, *, required: bool) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"blank: {name} is required")
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} is not a date in the form YYYY-MM-DD: {value!r}") from None


def _row(zone_id: Any, name: Any, kind: str, value: Any, active_from: Any, active_to: Any) -> dict[str, Any]:
    """A checked zone row; ``ValueError`` with the reason (the field first, then a colon)."""
    zone_id = str(zone_id).strip() if zone_id is not None else ""
    if not zone_id:
        raise ValueError("zone_id: blank: every zone needs an id")
    start = _iso_date(active_from, "active_from", required=True)
    end = _iso_date(active_to, "active_to", required=False)
    assert start is not None
    text = zone_definition(kind, value)
    parse_zone(zone_id, str(name or zone_id), kind, text, start, end)
    return {
        "zone_id": zone_id,
        "name": str(name).strip() if name and str(name).strip() else zone_id,
        "kind": kind,
        "geometry": text,
        "active_from": start,
        "active_to": end,
    }


def _read_geojson(path: Path) -> ImportBatch:
    raw = path.read_bytes()
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(str(path), f"not GeoJSON (the file is not valid JSON: {e})") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InputError(str(path), "not a GeoJSON FeatureCollection (give one feature per zone)")
    features = document.get("features")
    if not isinstance(features, list):
        raise InputError(str(path), "the FeatureCollection has no list of features")
    rows: list[dict[str, Any]] = []
    rejected: list[RejectedLine] = []
    for number, feature in enumerate(features, start=1):
        text = json.dumps(feature, ensure_ascii=False)
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValueError("feature: not a GeoJSON Feature")
            properties = feature.get("properties") or {}
            row = _row(
                properties.get("zone_id", feature.get("id")),
                properties.get("name"),
                "polygon",
                feature.get("geometry"),
                properties.get("active_from"),
                properties.get("active_to"),
            )
        except ValueError as e:
            field, reason = _field_and_reason(str(e), "geometry")
            rejected.append(RejectedLine(number, field, reason, text))
            continue
        rows.append({**row, "source_row": number})
    return ImportBatch({"zones": pa.Table.from_pylist(rows, schema=ZONE_SCHEMA)}, tuple(rejected), len(raw))


def _field_and_reason(message: str, default_field: str) -> tuple[str, str]:
    field, sep, reason = message.partition(": ")
    if sep and field in ("zone_id", "feature", "kind", "members"):
        return field, reason
    if message.startswith(("active_from", "active_to")):
        return message.split(" ", 1)[0], message
    if message.startswith("blank: active_from"):
        return "active_from", message
    return default_field, message


def _read_csv(path: Path) -> Iterator[ImportBatch]:
    header = read_header(path)
    names = [n.strip().lower() for n in header.names]
    missing = [c for c in CSV_COLUMNS if c not in names]
    unexpected = [n for n in names if n not in (*CSV_COLUMNS, *OPTIONAL_COLUMNS)]
    if missing or unexpected or len(set(names)) != len(names):
        raise InputError(
            str(path),
            f"not a zones header ({', '.join(header.names)}); expected {', '.join(CSV_COLUMNS)} and optionally "
            f"active_to. Polygons come as GeoJSON instead.",
            row=1,
        )
    for block in iter_csv_blocks(path, header):
        rows: list[dict[str, Any]] = []
        rejected: list[RejectedLine] = []
        for line, cells in zip(block.lines, block.table.to_pylist(), strict=True):
            record = {name: cells[original] for name, original in zip(names, header.names, strict=True)}
            kind = (record["kind"] or "").strip().lower()
            try:
                if kind not in LIST_KINDS:
                    raise ValueError(f"kind: {kind or 'blank'!r} is not one of {', '.join(LIST_KINDS)}")
                members = [m.strip() for m in (record["members"] or "").split(";") if m.strip()]
                if not members:
                    raise ValueError("members: blank: list the zone's members separated by ;")
                row = _row(record["zone_id"], record["name"], kind, members, record["active_from"],
                           record.get("active_to"))  # fmt: skip
            except ValueError as e:
                field, reason = _field_and_reason(str(e), "members")
                rejected.append(RejectedLine(int(line), field, reason, csv_line(list(cells.values()))))
                continue
            rows.append({**row, "source_row": int(line)})
        table = pa.Table.from_pylist(rows, schema=ZONE_SCHEMA)
        yield ImportBatch({"zones": table}, (*block.rejected, *rejected), block.end_offset)


IMPORTER = ZonesImporter()
