"""Properties: a consistent comparison table has no findings; any single-cell slip is found in its row."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from crimeprev.check.checker import check_document
from tests.check.documents import comparison_table, document

Row = tuple[str, str, str, str, str]


def _signed(value: Decimal, plus: bool, suffix: str = "", places: int = 0) -> str:
    body = f"{abs(value):,.{places}f}{suffix}"
    return ("-" if value < 0 else "+" if plus and value > 0 else "") + body


@st.composite
def rows(draw: st.DrawFn) -> list[tuple[int, int]]:
    return draw(st.lists(st.tuples(st.integers(1, 100_000), st.integers(0, 100_000)), min_size=1, max_size=6))


def render(counts: list[tuple[int, int]], plus: bool, percent_sign: bool) -> list[list[str]]:
    out: list[list[str]] = []
    for i, (previous, current) in enumerate(counts):
        change = Decimal(current - previous)
        percent = (change * 100 / Decimal(previous)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        out.append(
            [
                f"Measure {i}",
                f"{previous:,}",
                f"{current:,}",
                _signed(change, plus),
                _signed(percent, plus, "%" if percent_sign else "", 1),
            ]
        )
    return out


@settings(max_examples=150, deadline=None)
@given(counts=rows(), plus=st.booleans(), percent_sign=st.booleans())
def test_a_consistent_comparison_table_has_no_findings(
    counts: list[tuple[int, int]], plus: bool, percent_sign: bool
) -> None:
    table = render(counts, plus, percent_sign)
    assert check_document(document(comparison_table(*(tuple(r) for r in table)))) == ()  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    counts=rows(),
    plus=st.booleans(),
    percent_sign=st.booleans(),
    where=st.tuples(st.integers(0, 5), st.integers(1, 4)),
    delta=st.integers(-5000, 5000).filter(lambda d: d != 0),
)
def test_any_single_cell_perturbation_is_found_in_its_row(
    counts: list[tuple[int, int]], plus: bool, percent_sign: bool, where: tuple[int, int], delta: int
) -> None:
    table = render(counts, plus, percent_sign)
    row, column = where[0] % len(table), where[1]
    if column == 4:  # a percentage: move it by tenths of a point
        value = Decimal(table[row][4].rstrip("%").replace(",", "")) + Decimal(delta) / 10
        table[row][4] = _signed(value, plus, "%" if percent_sign else "", 1)
    else:
        value = Decimal(table[row][column].replace(",", "")) + delta
        if column in (1, 2) and value < 0:
            value = -value + 1
        table[row][column] = _signed(value, plus=False)
    findings = check_document(document(comparison_table(*(tuple(r) for r in table))))  # type: ignore[arg-type]
    assert findings, table
    perturbed = (row + 2, column + 1)  # 1-based, after the header row
    assert all(f.location.row == perturbed[0] for f in findings), findings
    assert any(
        perturbed in {(f.location.row, f.location.column), *((a.row, a.column) for a in f.alternatives)}
        for f in findings
    ), findings
