"""Streaming CSV reading that keeps every line accounted for.

A file is read in blocks of whole lines. Each block is parsed by Arrow's CSV parser (single
threaded, so that every rejected row keeps its line number) into string columns, together with
the file line number of every parsed row. A line that cannot be parsed is not an error but a
:class:`RejectedLine` with the reason, so that the caller can quarantine it:

- a wrong number of fields (a truncated last line shows up here too);
- bytes that are not UTF-8;
- a blank line.

Blocks with no such problem take the fast path (Arrow); a block with one falls back to Python's
``csv`` module line by line, which is slower but exact.

Quoting follows RFC 4180: a quoted field may hold commas, doubled quotes (``""``) and line breaks
(free-text fields of force extracts do). A row's number is the line it starts on. A line break
ends a row only outside quotes, which is the case where the count of ``"`` since the row began is
even; blocks are cut at such line breaks. A quote that never closes would swallow the rest of the
file: a row may span at most :data:`MAX_ROW_BYTES`, so the line that opened it is quarantined
("unclosed quote") and reading resumes on the next line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from crimeprev.model.errors import InputError
from crimeprev.model.rejects import RejectedLine

DEFAULT_BLOCK_BYTES = 16 << 20
ARCHIVES = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ", "an xz-compressed file"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"PAR1", "a Parquet file"),
)
"""The first bytes of files people pass where a CSV is expected, and what to call them."""
MAX_ROW_BYTES = 1 << 20
"""The longest a row may be; a quoted field still open after this much is an unclosed quote."""
QUOTE, NEWLINE = 34, 10
UNCLOSED = "unclosed quote: a quoted field opened on this line never closes"


@dataclass(frozen=True, slots=True)
class CsvHeader:
    """The first line of a CSV file."""

    names: tuple[str, ...]
    raw: str
    length: int  # bytes of the header line, line break included


@dataclass(frozen=True, slots=True)
class CsvBlock:
    """Rows parsed from one block of lines: string columns (empty cells null), their line numbers
    and the rejects."""

    table: pa.Table
    lines: np.ndarray
    rejected: tuple[RejectedLine, ...]
    end_offset: int  # byte offset in the file after this block


def read_header(path: Path) -> CsvHeader:
    """Read and decode the header line of ``path``.

    Raises :class:`InputError` for an empty file or a header that is not UTF-8 text.
    """
    with path.open("rb") as f:
        first = f.readline(1 << 20)
    if not first.strip():
        raise InputError(str(path), "the file is empty: expected a header line and rows")
    for magic, kind in ARCHIVES:
        if first.startswith(magic):
            raise InputError(
                str(path), f"this is {kind}, not a CSV file: unpack it and ingest the files (or the folder) inside"
            )
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"the header is not UTF-8 text ({e.reason} at byte {e.start})", row=1) from None
    text = text.rstrip("\r\n")
    try:
        names = next(csv.reader([text], strict=True), [])
    except csv.Error as e:
        raise InputError(str(path), f"the header is not a readable CSV line ({e})", row=1) from None
    return CsvHeader(names=tuple(n.strip() for n in names), raw=text, length=len(first))


@dataclass(frozen=True, slots=True)
class RawBlock:
    """Whole lines of a file, not yet parsed, and where they start."""

    data: memoryview
    first_line: int
    end_offset: int  # byte offset in the file after this block


def iter_raw_blocks(path: Path, header: CsvHeader, *, block_bytes: int = DEFAULT_BLOCK_BYTES) -> Iterator[RawBlock]:
    """Cut the file after its header into blocks of whole lines (cheap: parse them apart).

    Each block is one read ending at the last line break in it (the next read starts just
    after), so that no bytes are copied to stitch blocks together.
    """
    with path.open("rb") as f:
        start = header.length
        next_line = 2
        while True:
            f.seek(start)
            data = f.read(block_bytes)
            if not data:
                return
            end = len(data)
            if end == block_bytes:  # more may follow: stop after the last complete row
                found = _complete_rows_end(data)
                while found is None:  # not one whole row yet (a huge line, or a long quoted field)
                    more = f.read(block_bytes)
                    if not more:
                        found = len(data)
                        break
                    data += more
                    found = _complete_rows_end(data)
                end = found
            start += end
            yield RawBlock(memoryview(data)[:end], next_line, start)
            next_line += data.count(b"\n", 0, end) + (0 if data[end - 1] == 10 else 1)


def _complete_rows_end(data: bytes) -> int | None:
    """The offset just after the last line break of ``data`` that ends a row (outside quotes).

    None when ``data`` holds no whole row yet: read more. A quote still open more than
    :data:`MAX_ROW_BYTES` before the last line break is unclosed, not a long field: the block
    then ends at that line break and the parser quarantines the line that opened it.
    """
    cut = data.rfind(b"\n")
    if cut < 0:
        return None
    if data.find(b'"', 0, cut) < 0:
        return cut + 1
    octets = np.frombuffer(data, dtype=np.uint8, count=cut + 1)
    breaks = np.flatnonzero(octets == NEWLINE)
    quotes = np.cumsum(octets == QUOTE, dtype=np.int64)
    outside = breaks[quotes[breaks] % 2 == 0]
    open_since = int(outside[-1]) + 1 if outside.size else 0
    if cut + 1 - open_since > MAX_ROW_BYTES:
        return cut + 1
    return open_since if open_since else None


def _quoted_line_breaks(octets: np.ndarray, breaks: np.ndarray) -> bool:
    """Whether any line break of the block falls inside quotes (a row spanning lines)."""
    if not np.any(octets == QUOTE):  # about 3 ms for a 16 MiB block
        return False
    quotes = np.cumsum(octets == QUOTE, dtype=np.int64)
    return bool(np.any(quotes[breaks] % 2))


def parse_block(raw: RawBlock, header: CsvHeader, path: Path) -> CsvBlock:
    """Parse one block; blocks are independent, so several can be parsed at once."""
    table, lines, rejected = _parse_block(raw.data, header.names, raw.first_line, str(path))
    return CsvBlock(table, lines, rejected, raw.end_offset)


def iter_csv_blocks(
    path: Path,
    header: CsvHeader,
    *,
    block_bytes: int = DEFAULT_BLOCK_BYTES,
) -> Iterator[CsvBlock]:
    """Yield the rows of ``path`` after its header, block by block, every line accounted for."""
    for raw in iter_raw_blocks(path, header, block_bytes=block_bytes):
        yield parse_block(raw, header, path)


def _parse_block(
    block: memoryview, names: Sequence[str], first_line: int, path: str
) -> tuple[pa.Table, np.ndarray, tuple[RejectedLine, ...]]:
    octets = np.frombuffer(block, dtype=np.uint8)
    breaks = np.flatnonzero(octets == 10)
    clean = bool(octets.max(initial=0) < 128) or _is_utf8(block)
    gaps = np.diff(breaks)
    after_break = breaks[:-1] + 1
    blank = bool(
        octets[0] in (10, 13)
        or np.any(gaps == 1)
        or np.any((gaps == 2) & (octets[np.minimum(after_break, len(octets) - 1)] == 13))
    )
    if clean and not blank and not _quoted_line_breaks(octets, breaks):
        try:
            return _parse_fast(block, names, first_line, path, len(breaks))
        except pa.ArrowInvalid:
            pass  # e.g. an unterminated quote: the careful path says which line
    return _parse_careful(bytes(block), names, first_line)


def _is_utf8(block: memoryview) -> bool:
    try:
        str(block, "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_fast(
    block: memoryview, names: Sequence[str], first_line: int, path: str, newlines: int
) -> tuple[pa.Table, np.ndarray, tuple[RejectedLine, ...]]:
    rejected: list[RejectedLine] = []
    ends_with_newline = block[-1] == 10
    last_line = first_line + newlines - (1 if ends_with_newline else 0)

    def on_invalid(row: pacsv.InvalidRow) -> str:
        line = first_line + row.number - 1
        truncated = line == last_line and not ends_with_newline
        rejected.append(_wrong_count(line, row.actual_columns, len(names), row.text, truncated))
        return "skip"

    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(block)),
        read_options=pacsv.ReadOptions(column_names=list(names), use_threads=False, block_size=1 << 20),
        parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True,
            null_values=[""],
        ),
    )
    n_lines = last_line - first_line + 1
    lines = np.arange(first_line, first_line + n_lines, dtype=np.int64)
    if rejected:
        lines = np.setdiff1d(lines, np.array([r.line for r in rejected], dtype=np.int64), assume_unique=True)
    if len(lines) != table.num_rows:  # pragma: no cover - guards the line accounting itself
        raise InputError(path, f"internal line accounting error near row {first_line}")
    return table, lines, tuple(rejected)


def _wrong_count(line: int, actual: int, expected: int, text: str, truncated: bool) -> RejectedLine:
    reason = f"wrong column count: {actual} fields, expected {expected}"
    if truncated:
        reason += " (the file ends mid-row: it looks truncated)"
    return RejectedLine(line=line, field=None, reason=reason, raw=text)


def _parse_careful(
    block: bytes, names: Sequence[str], first_line: int
) -> tuple[pa.Table, np.ndarray, tuple[RejectedLine, ...]]:
    raw_lines = block.split(b"\n")
    if block.endswith(b"\n"):
        raw_lines.pop()
    rows: list[list[str | None]] = []
    lines: list[int] = []
    rejected: list[RejectedLine] = []
    i = 0
    while i < len(raw_lines):
        line = first_line + i
        last = _row_end(raw_lines, i)
        if last is None:
            text = raw_lines[i].rstrip(b"\r").decode("utf-8", errors="replace")
            rejected.append(RejectedLine(line, None, UNCLOSED, text))
            i += 1
            continue
        body = b"\n".join(raw_lines[i : last + 1])
        body = body[:-1] if body.endswith(b"\r") else body
        parsed = _parse_row(body, names, line, truncated=last == len(raw_lines) - 1 and not block.endswith(b"\n"))
        if isinstance(parsed, RejectedLine) and last > i:
            # The quotes of several lines did not make one good row: the quote opened on this line is
            # taken as unclosed, and the next line is read afresh (so that rows after it still load).
            text = raw_lines[i].rstrip(b"\r").decode("utf-8", errors="replace")
            rejected.append(RejectedLine(line, None, UNCLOSED, text))
            i += 1
            continue
        i = last + 1
        if isinstance(parsed, RejectedLine):
            rejected.append(parsed)
            continue
        rows.append(parsed)
        lines.append(line)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    table = pa.table({n: pa.array(col, type=pa.string()) for n, col in zip(names, columns, strict=True)})
    return table, np.array(lines, dtype=np.int64), tuple(rejected)


def _parse_row(body: bytes, names: Sequence[str], line: int, *, truncated: bool) -> list[str | None] | RejectedLine:
    """One row's bytes (one or more lines) as its cells, or the reason it cannot be read."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        shown = body.decode("utf-8", errors="replace")
        reason = f"not UTF-8 text: byte 0x{body[e.start]:02x} at position {e.start + 1}"
        return RejectedLine(line, _field_at(shown, e.start, names), reason, shown)
    if not text:
        return RejectedLine(line, None, "blank line", text)
    try:
        parsed = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        return RejectedLine(line, None, f"unreadable CSV: {e}", text)
    fields = parsed[0] if len(parsed) == 1 else []
    if len(fields) != len(names):
        return _wrong_count(line, len(fields), len(names), text, truncated)
    return [f if f != "" else None for f in fields]


def _row_end(raw_lines: list[bytes], first: int) -> int | None:
    """The index of the line on which the row starting at line ``first`` ends: the first line at
    which the quotes opened since ``first`` are all closed. None when they stay open past
    :data:`MAX_ROW_BYTES` or the end of the block (an unclosed quote)."""
    quotes = 0
    size = 0
    for j in range(first, len(raw_lines)):
        quotes += raw_lines[j].count(b'"')
        size += len(raw_lines[j]) + 1
        if quotes % 2 == 0:
            return j
        if size > MAX_ROW_BYTES:
            return None
    return None


def _field_at(text: str, position: int, names: Sequence[str]) -> str | None:
    """The column in which character ``position`` of an unparsed line falls (commas counted)."""
    index = text[:position].count(",")
    return names[index] if index < len(names) else None
