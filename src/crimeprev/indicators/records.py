"""The records behind a figure (for audit) and the SQL that counts them (for ``explain``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np

from crimeprev.indicators.expressions import filter_expr
from crimeprev.indicators.query import Metric, monthly_expr, window_filter
from crimeprev.model.strategy import Indicator, Strand, Strategy

# Columns shown for each record: references, codes, places and pseudonyms, never free text.
RECORD_COLUMNS = {
    "offences": (
        "crime_ref", "recorded_month", "offence_code", "police_uk_category", "district", "lsoa_code",
        "outcome", "solved", "victim_key", "suspect_key", "source_file", "source_row",
    ),
    "incidents": (
        "incident_ref", "recorded_month", "incident_type", "district", "lsoa_code", "person_key",
        "source_file", "source_row",
    ),
}  # fmt: skip
# The person columns: shown only to a person-level query (see ``crimeprev records --person-level``).
PERSON_COLUMNS = frozenset({"victim_key", "suspect_key", "person_key"})


@dataclass(frozen=True, slots=True)
class RecordList:
    """Records selected by an indicator's definition in a period."""

    source: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: int


def indicator_parts(strand: Strand, indicator: Indicator) -> list[Indicator]:
    """The indicators a combined indicator sums (the indicator itself otherwise)."""
    if indicator.source != "combined":
        return [indicator]
    by_id = {i.id: i for i in strand.indicators}
    return [by_id[i] for i in indicator.measure.indicators]


def selected_records(table: ir.Table, strategy: Strategy, indicator: Indicator, first: date, last: date) -> ir.Table:
    """The records an indicator counts between ``first`` and ``last`` (its numerator for a rate)."""
    t = window_filter(table, strategy.force, first, last)
    condition = filter_expr(t, indicator.filter)
    if indicator.measure.numerator is not None:
        condition = condition & filter_expr(t, indicator.measure.numerator)
    return t.filter(condition)


def list_records(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    strand: Strand,
    indicator: Indicator,
    first: date,
    last: date,
    *,
    limit: int | None = None,
    person_level: bool = False,
) -> list[RecordList]:
    """The records behind ``indicator`` from ``first`` to ``last``, per source.

    The pseudonyms of the people involved are included only when ``person_level``.
    """
    out: list[RecordList] = []
    for part in indicator_parts(strand, indicator):
        columns: tuple[str, ...]
        if part.source == "measures":
            t = backend.table("measures")
            chosen = t.filter(filter_expr(t, part.filter)).order_by(["period_start", "period_end"])
            columns = ("measure", "period_start", "period_end", "value", "unit", "dimension_value", "source_file")
        else:
            chosen = selected_records(backend.table(part.source), strategy, part, first, last)
            columns = tuple(c for c in RECORD_COLUMNS[part.source] if person_level or c not in PERSON_COLUMNS)
            chosen = chosen.order_by(["recorded_month", columns[0]])
        total = int(backend.to_pyarrow(chosen.count()).as_py())
        shown = chosen.select(*columns)
        if limit is not None:
            shown = shown.limit(limit)
        rows = tuple(tuple(r[c] for c in columns) for r in backend.to_pyarrow(shown).to_pylist())
        out.append(RecordList(part.source, columns, rows, total))
    return out


def indicator_sql(backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, first: date,
                  last: date) -> list[str]:  # fmt: skip
    """The SQL that computes the indicator's monthly figures, one statement per source."""
    statements: list[str] = []
    for part in indicator_parts(strand, indicator):
        if part.source == "measures":
            t = backend.table("measures")
            statements.append(str(ibis.to_sql(t.filter(filter_expr(t, part.filter)), dialect="duckdb")))
            continue
        metric = {part.id: Metric(part.filter, part.measure)}
        expr = monthly_expr(backend.table(part.source), strategy.force, first, last, metric, set())
        statements.append(str(ibis.to_sql(expr, dialect="duckdb")))
    return statements


@dataclass(frozen=True, slots=True)
class RecordPlaces:
    """Where and when records are: one element per record of each array (lat/lon NaN where unknown).

    ``offence_code`` is None for incidents (they have none), which is what harm weighting needs.
    """

    lat: Any
    lon: Any
    lsoa_code: Any
    location_status: Any
    district: Any
    month: Any  # the recorded month's first day, as datetime64[D]
    offence_code: Any
    day: Any  # the recorded date, as datetime64[D] (NaT where the source has none)

    def __len__(self) -> int:
        return len(self.lat)


def _places(backend: ibis.BaseBackend, table: ir.Table) -> RecordPlaces:
    code = table["offence_code"] if "offence_code" in table.columns else ibis.literal(None, "string")
    columns = backend.to_pyarrow(
        table.select(
            "lat", "lon", "lsoa_code", "location_status", "district", "recorded_month", "recorded_on", offence_code=code
        )
    )
    as_float = {name: columns[name].to_numpy(zero_copy_only=False).astype("float64") for name in ("lat", "lon")}
    return RecordPlaces(
        as_float["lat"],
        as_float["lon"],
        columns["lsoa_code"].to_pylist(),
        columns["location_status"].to_pylist(),
        columns["district"].to_pylist(),
        columns["recorded_month"].to_numpy(zero_copy_only=False).astype("datetime64[D]"),
        columns["offence_code"].to_pylist(),
        columns["recorded_on"].to_numpy(zero_copy_only=False).astype("datetime64[D]"),
    )


def _record_parts(strand: Strand, indicator: Indicator) -> list[Indicator]:
    parts = indicator_parts(strand, indicator)
    if any(p.source not in RECORD_COLUMNS for p in parts):
        raise ValueError(f"{indicator.id} is not counted from records, so it has no places")
    return parts


def record_places(
    backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, first: date, last: date
) -> RecordPlaces:
    """Where the indicator's records between ``first`` and ``last`` are."""
    parts = _record_parts(strand, indicator)
    return _concat(
        [_places(backend, selected_records(backend.table(p.source), strategy, p, first, last)) for p in parts]
    )


def source_places(
    backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, first: date, last: date
) -> RecordPlaces:
    """Where every record of the indicator's sources between ``first`` and ``last`` is.

    A map's universe: the cells where anything was recorded in the window.
    """
    sources = sorted({p.source for p in _record_parts(strand, indicator)})
    return _concat([_places(backend, window_filter(backend.table(s), strategy.force, first, last)) for s in sources])


def _concat(places: list[RecordPlaces]) -> RecordPlaces:
    return RecordPlaces(
        np.concatenate([p.lat for p in places]),
        np.concatenate([p.lon for p in places]),
        [v for p in places for v in p.lsoa_code],
        [v for p in places for v in p.location_status],
        [v for p in places for v in p.district],
        np.concatenate([p.month for p in places]),
        [v for p in places for v in p.offence_code],
        np.concatenate([p.day for p in places]),
    )
