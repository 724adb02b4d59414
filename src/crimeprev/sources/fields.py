"""Vectorised parsing of text cells into canonical field values.

Each parser takes a string column and returns the parsed column (null where the cell is blank)
and a boolean mask of the cells that are not blank but could not be parsed, so that the caller
can quarantine exactly those rows with a reason that names the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crimeprev.model.schema import LOCATION_STATUSES

ArrowColumn: TypeAlias = "pa.Array | pa.ChunkedArray"

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed column and the mask of cells that could not be parsed."""

    values: pa.Array
    bad: np.ndarray


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A force area's bounding box (WGS84), used to flag points outside the force."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


@dataclass(frozen=True, slots=True)
class RowBounds:
    """A bounding box per row (records of several forces in one block); NaN where no area is known."""

    min_lat: np.ndarray
    max_lat: np.ndarray
    min_lon: np.ndarray
    max_lon: np.ndarray


def _mask(array: ArrowColumn) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _combine(array: ArrowColumn) -> pa.Array:
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def trimmed(column: ArrowColumn) -> pa.Array:
    """The column with surrounding blanks removed and blank cells as null."""
    stripped = pc.utf8_trim_whitespace(_combine(column))
    return pc.if_else(pc.equal(stripped, ""), pa.scalar(None, pa.string()), stripped)


def blank(column: ArrowColumn) -> np.ndarray:
    """Mask of cells that are null or blank."""
    return ~_mask(pc.is_valid(trimmed(column)))


def per_distinct(column: ArrowColumn, parse: Callable[[pa.Array], Parsed]) -> Parsed:
    """Apply ``parse`` to the distinct values of a column only, then spread the results back.

    Months, categories, forces and outcomes repeat on every row of a file with a few dozen
    distinct values: parsing each once instead of once per row is what makes ingest fast.
    """
    encoded = pc.dictionary_encode(_combine(column))
    parsed = parse(encoded.dictionary)
    indices = encoded.indices
    valid = _mask(pc.is_valid(indices))
    positions = np.asarray(pc.fill_null(indices, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    bad = parsed.bad[positions] & valid if len(parsed.bad) else np.zeros(len(indices), dtype=bool)
    return Parsed(pc.take(parsed.values, indices), bad)


def parse_month(column: ArrowColumn) -> Parsed:
    """``YYYY-MM`` (or an ISO date, whose day is dropped) → the first day of that month."""
    text = trimmed(column)
    ok = pc.match_substring_regex(text, _MONTH)
    first_of_month = pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, 7), "01", "-")
    parsed = pc.strptime(pc.if_else(ok, first_of_month, None), format="%Y-%m-%d", unit="s", error_is_null=True)
    values = pc.cast(parsed, pa.date32())
    bad = _mask(pc.is_valid(text)) & ~_mask(pc.is_valid(values))
    return Parsed(values, bad)


def parse_date(column: ArrowColumn, fmt: str) -> Parsed:
    """A date written in ``fmt`` (strftime codes)."""
    text = trimmed(column)
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    values = pc.cast(parsed, pa.date32())
    bad = _mask(pc.is_valid(text)) & ~_mask(pc.is_valid(values))
    return Parsed(values, bad)


def parse_timestamp(column: ArrowColumn, fmt: str) -> Parsed:
    """A timestamp written in ``fmt`` (strftime codes)."""
    text = trimmed(column)
    values = pc.strptime(text, format=fmt, unit="us", error_is_null=True)
    bad = _mask(pc.is_valid(text)) & ~_mask(pc.is_valid(values))
    return Parsed(values, bad)


def parse_float(column: ArrowColumn) -> Parsed:
    """A finite decimal number (``inf``, ``nan`` and numbers too large for a double, such as
    ``1e400``, are bad).

    Tries Arrow's own cast of the whole column first (the common, clean case); only a column
    with something unreadable in it takes the slower path that finds the bad cells.
    """
    try:
        values = pc.cast(_combine(column), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    else:
        bad = _mask(pc.is_nan(values)) | _mask(pc.is_inf(values))
        return Parsed(values, bad)
    text = trimmed(column)
    ok = pc.match_substring_regex(text, _NUMBER)
    values = pc.cast(pc.if_else(ok, text, None), pa.float64())
    bad = (_mask(pc.is_valid(text)) & ~_mask(ok)) | _mask(pc.is_inf(values))
    return Parsed(values, bad)


def parse_flag(column: ArrowColumn, true_values: Iterable[str], false_values: Iterable[str]) -> Parsed:
    """A yes/no flag; blank means *not recorded* (null), anything unlisted is bad."""
    text = pc.utf8_lower(trimmed(column))
    trues = pa.array(sorted({v.lower() for v in true_values}), type=pa.string())
    falses = pa.array(sorted({v.lower() for v in false_values}), type=pa.string())
    is_true = pc.is_in(text, value_set=trues)
    is_false = pc.is_in(text, value_set=falses)
    values = pc.if_else(is_true, True, pc.if_else(is_false, False, pa.scalar(None, pa.bool_())))
    bad = _mask(pc.is_valid(text)) & ~_mask(is_true) & ~_mask(is_false)
    return Parsed(values, bad)


def parse_choice(column: ArrowColumn, allowed: Sequence[str]) -> Parsed:
    """A value from a closed list (compared exactly, after trimming)."""
    text = trimmed(column)
    ok = pc.is_in(text, value_set=pa.array(list(allowed), type=pa.string()))
    bad = _mask(pc.is_valid(text)) & ~_mask(ok)
    return Parsed(pc.if_else(ok, text, None), bad)


def split_list(column: ArrowColumn, separator: str) -> pa.Array:
    """Split cells on ``separator`` into lists of trimmed, non-blank values (null when blank).

    Done in Python: list cells (hate strands) are sparse, and only non-blank cells are visited.
    """
    text = trimmed(column)
    values: list[list[str] | None] = [None] * len(text)
    for i in np.flatnonzero(_mask(pc.is_valid(text))):
        cell = text[int(i)].as_py()
        values[int(i)] = [part.strip() for part in cell.split(separator) if part.strip()]
    return pa.array(values, type=pa.list_(pa.string()))


@dataclass(frozen=True, slots=True)
class Location:
    """Parsed coordinates and what to make of them."""

    lat: pa.Array
    lon: pa.Array
    status: pa.Array
    bad_lat: np.ndarray
    bad_lon: np.ndarray
    half_missing: np.ndarray


def parse_location(lat_column: ArrowColumn, lon_column: ArrowColumn, area: BoundingBox | RowBounds | None) -> Location:
    """Latitude and longitude → values, a location status and the masks of unusable cells.

    No coordinates at all is a valid record with status ``no_location``; a point outside the
    force's bounding box (each row's own force's, given :class:`RowBounds`) is valid with status
    ``outside_force``; a row whose force has no known area counts as inside. Text that is not a number, a value
    outside the globe's range, or one coordinate without the other is bad.
    """
    lat = parse_float(lat_column)
    lon = parse_float(lon_column)
    lat_np = np.asarray(pc.fill_null(lat.values, 0.0).to_numpy(zero_copy_only=False))
    lon_np = np.asarray(pc.fill_null(lon.values, 0.0).to_numpy(zero_copy_only=False))
    has_lat = _mask(pc.is_valid(lat.values))
    has_lon = _mask(pc.is_valid(lon.values))
    bad_lat = lat.bad | (has_lat & ((lat_np < -90) | (lat_np > 90)))
    bad_lon = lon.bad | (has_lon & ((lon_np < -180) | (lon_np > 180)))
    half = (has_lat != has_lon) & ~bad_lat & ~bad_lon
    inside = np.ones(len(lat_np), dtype=bool)
    if area is not None:
        inside = (
            (lat_np >= area.min_lat) & (lat_np <= area.max_lat) & (lon_np >= area.min_lon) & (lon_np <= area.max_lon)
        )
        if isinstance(area, RowBounds):
            inside |= np.isnan(area.min_lat)
    ok, no_location, outside = LOCATION_STATUSES
    status = np.where(has_lat & has_lon, np.where(inside, ok, outside), no_location)
    return Location(
        lat=lat.values,
        lon=lon.values,
        status=pa.array(status, type=pa.string()),
        bad_lat=bad_lat,
        bad_lon=bad_lon,
        half_missing=half,
    )
