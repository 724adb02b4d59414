"""Issue 16, item 3: RFC 4180 quoting loads; an unclosed quote costs one row, named by its true line.

Force extracts' free-text fields hold line breaks, commas and quotes. Before, a quoted line break
or an unclosed quote aborted the whole ingest and the message named the wrong row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crimeprev.sources.csv_blocks import UNCLOSED, iter_csv_blocks, read_header
from crimeprev.sources.pseudonym import KEY_ENV
from tests.conftest import DATA, cli_json, query

EXTRACT = DATA / "extract"


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "a-test-key-of-enough-length")


def extract_with_notes(tmp_path: Path, notes: list[str], *, unclosed_after: int | None = None) -> Path:
    lines = (EXTRACT / "crimes.csv").read_text(encoding="utf-8").splitlines()
    header, template = next(csv.reader([lines[0]])), next(csv.reader([lines[1]]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled
    writer.writerow(header)
    for i, note in enumerate(notes):
        writer.writerow([f"42/{3000 + i}/23", *template[1:-1], note])
        if unclosed_after == i:
            buffer.write('42/3999/23,2023-04-03,"never closed,8N\r\n')
    path = tmp_path / "notes.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def ingest(cli: Callable[..., Any], path: Path) -> Any:
    return cli_json(cli("ingest", "extract", str(path), "--mapping", str(EXTRACT / "crimes.mapping.yaml"), "--json"))


NOTES = [
    "plain",
    "two\r\nlines, and a comma",
    'a "quoted" word',
    'all three:\nline two\n"line three", end',
    "",
    "ends with a line break\n",
]


def test_quoted_line_breaks_and_doubled_quotes_load(cli: Callable[..., Any], store: Path, tmp_path: Path) -> None:
    report = ingest(cli, extract_with_notes(tmp_path, NOTES))
    assert (report["read"], report["loaded"], report["quarantined"]) == (6, 6, 0)
    rows = query(store, "SELECT crime_ref, source_row FROM offences ORDER BY source_row")
    assert [r[1] for r in rows] == [2, 3, 5, 6, 9, 10]  # the line each row starts on


def test_an_unclosed_quote_quarantines_its_row_with_its_true_line(
    cli: Callable[..., Any], store: Path, tmp_path: Path
) -> None:
    report = ingest(cli, extract_with_notes(tmp_path, NOTES, unclosed_after=1))
    assert (report["read"], report["loaded"], report["quarantined"]) == (7, 6, 1)
    (row,) = cli_json(cli("quarantine", "--json"))
    assert row["source_row"] == 5 and row["reason"] == UNCLOSED
    assert query(store, "SELECT count(*) FROM offences WHERE source_row > 5")[0][0] == 4  # the rest loaded


cells = st.text(alphabet=st.sampled_from(list('ab ,"\n\r')), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=25), block=st.integers(16, 200))
def test_any_block_size_reads_the_same_rows_and_lines(rows: list[list[str]], block: int, tmp_path: Path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([["x", "y", "z"], *rows])  # RFC 4180
    path = tmp_path / "rows.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    header = read_header(path)
    whole = list(iter_csv_blocks(path, header, block_bytes=1 << 20))
    cut = list(iter_csv_blocks(path, header, block_bytes=block))
    read = [r for b in whole for r in b.table.to_pylist()]
    assert [r for b in cut for r in b.table.to_pylist()] == read
    assert [int(n) for b in cut for n in b.lines] == [int(n) for b in whole for n in b.lines]
    assert not any(b.rejected for b in cut) and not any(b.rejected for b in whole)
    expected = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))[1:]
    assert [[r[k] or "" for k in ("x", "y", "z")] for r in read] == expected
