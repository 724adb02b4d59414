"""Every window kind, evaluated by the engine, against an independent plain-Python reference.

Random record sets cover month and financial-year boundaries, leap days, empty months (records,
but none the indicator counts) and missing months (no records at all).
"""

from __future__ import annotations

import calendar
from datetime import date

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeprev.indicators.compare import INCOMPLETE, OK
from crimeprev.indicators.insights import evaluate_strategy
from crimeprev.model.change import compute_change
from crimeprev.model.schema import OFFENCES
from crimeprev.model.strategy import Strategy
from crimeprev.store.layout import arrow_schema, conform

KINDS = ["rolling_12_months", "quarter", "quarter_year_on_year", "half_year", "financial_year_to_date"]
STRATEGY = Strategy.model_validate(
    {
        "id": "t",
        "title": "t",
        "force": "F",
        "themes": [
            {
                "id": "th",
                "name": "Theme",
                "strands": [
                    {
                        "id": "s",
                        "title": "S",
                        "lead": {"rank": "R", "portfolio": "P"},
                        "indicators": [
                            {
                                "id": "knives",
                                "title": "Knives",
                                "source": "offences",
                                "definition": "knife flag",
                                "filter": {"flags": {"knife": True}},
                                "comparisons": KINDS,
                            }
                        ],
                    }
                ],
            }
        ],
    }
)


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def reference(kind: str, as_of: date, records: list[tuple[date, bool]]) -> tuple[list[int], list[int]]:
    """Month indices of (previous, current) windows, computed independently of crimeprev."""
    a = month_index(as_of)
    if kind == "rolling_12_months":
        return list(range(a - 23, a - 11)), list(range(a - 11, a + 1))
    if kind == "quarter":
        return list(range(a - 5, a - 2)), list(range(a - 2, a + 1))
    if kind == "quarter_year_on_year":
        return list(range(a - 14, a - 11)), list(range(a - 2, a + 1))
    if kind == "half_year":
        return list(range(a - 11, a - 5)), list(range(a - 5, a + 1))
    # financial year to date: April (month index ≡ 3 mod 12) up to as_of
    start = a - ((a - 3) % 12)
    return list(range(start - 12, a - 11)), list(range(start, a + 1))


def expected(kind: str, as_of: date, records: list[tuple[date, bool]]) -> tuple[str, int | None, int | None]:
    previous, current = reference(kind, as_of, records)
    present = {month_index(d) for d, _ in records}
    counts: dict[int, int] = {}
    for d, knife in records:
        counts[month_index(d)] = counts.get(month_index(d), 0) + int(knife)
    complete_prev = all(m in present for m in previous)
    complete_cur = all(m in present for m in current)
    status = OK if complete_prev and complete_cur else INCOMPLETE
    prev = sum(counts.get(m, 0) for m in previous) if complete_prev else None
    cur = sum(counts.get(m, 0) for m in current) if complete_cur else None
    return status, prev, cur


def backend_for(records: list[tuple[date, bool]]) -> ibis.BaseBackend:
    n = len(records)
    rows = pa.table(
        {
            "crime_ref": [f"r{i}" for i in range(n)],
            "force": ["F"] * n,
            "recorded_on": [d for d, _ in records],
            "recorded_month": [d.replace(day=1) for d, _ in records],
            "knife": [k for _, k in records],
        }
    )
    con = ibis.duckdb.connect()
    con.create_table("offences", conform(rows, arrow_schema(OFFENCES)))
    return con


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2024, 12, 31))
records_strategy = st.lists(st.tuples(days, st.booleans()), min_size=0, max_size=300)


def dense(records: list[tuple[date, bool]], first: date, last: date, skip: set[int]) -> list[tuple[date, bool]]:
    """Add one non-knife record to every month from first to last except ``skip`` (missing months)."""
    out = list(records)
    m = month_index(first)
    while m <= month_index(last):
        if m not in skip:
            year, month = divmod(m, 12)
            out.append((date(year, month + 1, calendar.monthrange(year, month + 1)[1]), False))
        m += 1
    return [r for r in out if month_index(r[0]) not in skip]


@settings(max_examples=60, deadline=None)
@given(
    records=records_strategy,
    as_of=st.dates(min_value=date(2021, 1, 1), max_value=date(2024, 12, 31)).map(lambda d: d.replace(day=1)),
    missing=st.sets(st.integers(min_value=2019 * 12, max_value=2024 * 12 + 11), max_size=3),
    fill=st.booleans(),
)
def test_every_window_kind_matches_the_reference(
    records: list[tuple[date, bool]], as_of: date, missing: set[int], fill: bool
) -> None:
    data = dense(records, date(2019, 1, 1), date(2024, 12, 1), missing) if fill else records
    if not data:
        data = [(date(2019, 1, 1), False)]
    (result,) = evaluate_strategy(backend_for(data), STRATEGY, as_of, breakdowns=False)
    for comparison in result.comparisons:
        status, previous, current = expected(comparison.kind, as_of, data)
        assert comparison.status == status, comparison
        assert comparison.previous == previous
        assert comparison.current == current
        if previous is not None and current is not None:
            assert comparison.change == compute_change(previous, current)
        else:
            assert comparison.change is None


@pytest.mark.parametrize(
    ("as_of", "kind", "first_previous", "first_current"),
    [
        (date(2024, 3, 1), "financial_year_to_date", date(2022, 4, 1), date(2023, 4, 1)),
        (date(2024, 4, 1), "financial_year_to_date", date(2023, 4, 1), date(2024, 4, 1)),
        (date(2024, 2, 1), "rolling_12_months", date(2022, 3, 1), date(2023, 3, 1)),
        (date(2024, 1, 1), "quarter", date(2023, 8, 1), date(2023, 11, 1)),
    ],
)
def test_window_boundaries(as_of: date, kind: str, first_previous: date, first_current: date) -> None:
    from crimeprev.model.windows import comparison_windows

    pair = comparison_windows(kind, as_of)
    assert (pair.previous.first, pair.current.first, pair.current.last) == (first_previous, first_current, as_of)


def test_leap_day_records_count_in_february() -> None:
    records = dense([(date(2024, 2, 29), True)], date(2022, 1, 1), date(2024, 12, 1), set())
    (result,) = evaluate_strategy(backend_for(records), STRATEGY, date(2024, 2, 1), breakdowns=False)
    quarter = next(c for c in result.comparisons if c.kind == "quarter")
    assert (quarter.previous, quarter.current) == (0, 1)


@pytest.mark.parametrize(
    ("previous", "current", "diff", "pct", "text"),
    [(2910, 2725, -185, -6.4, "-6.4%"), (1738, 1463, -275, -15.8, "-15.8%"), (1476, 1746, 270, 18.3, "+18.3%"),
     (0, 12, 12, None, "n/a"), (40, 40, 0, 0.0, "0.0%"), (8, 9, 1, 12.5, "+12.5%"), (200, 199, -1, -0.5, "-0.5%")],
)  # fmt: skip
def test_changes_round_half_away_from_zero(
    previous: int, current: int, diff: int, pct: float | None, text: str
) -> None:
    change = compute_change(previous, current)
    assert (change.diff, change.pct, change.pct_text) == (diff, pct, text)
