"""The block reader accounts for every line, whatever the block boundaries."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crimeprev.sources.csv_blocks import iter_csv_blocks, read_header

cell = st.text(alphabet="abcXYZ019 .-", min_size=0, max_size=6)
row = st.lists(cell, min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=0, max_size=40), block=st.integers(min_value=1, max_value=200), crlf=st.booleans())
def test_every_line_is_a_row_or_a_reject(
    tmp_path_factory: object, rows: list[list[str]], block: int, crlf: bool
) -> None:
    path = Path(tmp_path_factory.mktemp("csv")) / "f.csv"  # type: ignore[attr-defined]
    eol = "\r\n" if crlf else "\n"
    lines = ["a,b,c", *(",".join(r) for r in rows)]
    path.write_bytes((eol.join(lines) + eol).encode())
    header = read_header(path)
    got: dict[int, tuple[str, ...] | str] = {}
    for b in iter_csv_blocks(path, header, block_bytes=block):
        for i, line in enumerate(b.lines):
            got[int(line)] = tuple(b.table.column(c)[i].as_py() for c in range(3))
        for r in b.rejected:
            got[r.line] = r.reason
    assert sorted(got) == list(range(2, len(rows) + 2))
    for n, r in enumerate(rows, start=2):
        joined = ",".join(r)
        if not joined:
            assert got[n] == "blank line"
        elif len(r) == 3:
            assert got[n] == tuple(c or None for c in r)
        else:
            assert got[n] == f"wrong column count: {len(r)} fields, expected 3"


def test_a_file_without_a_final_line_break_keeps_its_last_row(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n1,2\n3,4")
    blocks = list(iter_csv_blocks(path, read_header(path)))
    assert [int(n) for b in blocks for n in b.lines] == [2, 3]
    assert [v for b in blocks for v in b.table.column("a").to_pylist()] == ["1", "3"]
    assert not any(b.rejected for b in blocks)


def test_quoted_commas_are_one_field(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'a,b\n"x, y",2\n')
    (block,) = iter_csv_blocks(path, read_header(path))
    assert block.table.column("a").to_pylist() == ["x, y"]
