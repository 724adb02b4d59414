"""Filters and breakdown dimensions as Ibis expressions.

Written once against Ibis, they compile for DuckDB (the embedded store) and for Spark alike.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from crimeprev.model.codes import MULTIPLE_HATE_TYPES
from crimeprev.model.strategy import Filter

_LISTS = (
    ("offence_codes", "offence_code"),
    ("offence_groups", "offence_group"),
    ("categories", "police_uk_category"),
    ("incident_types", "incident_type"),
    ("da_risk", "da_risk"),
    ("districts", "district"),
)


def filter_expr(table: ir.Table, spec: Filter) -> ir.BooleanValue:
    """The records ``spec`` selects. A NULL flag (not recorded) never matches: the condition is
    then NULL, which SQL's WHERE and FILTER treat as not selected."""
    conditions: list[ir.BooleanValue] = []
    for flag, wanted in spec.flags.items():
        column = table[flag]
        conditions.append(column if wanted else ~column)
    if spec.any_flags:
        either = table[spec.any_flags[0]]
        for flag in spec.any_flags[1:]:
            either = either | table[flag]  # NULL OR TRUE is TRUE: a recorded flag still counts
        conditions.append(either)
    for name, column_name in _LISTS:
        values: list[Any] = getattr(spec, name)
        if values:
            conditions.append(table[column_name].isin(values))
    for name in ("solved", "arrest_made", "attended"):
        wanted = getattr(spec, name)
        if wanted is not None:
            conditions.append(table[name] if wanted else ~table[name])
    if spec.measure is not None:
        conditions.append(table.measure == spec.measure)
    if spec.dimension_value is not None:
        conditions.append(table.dimension_value == spec.dimension_value)
    if not conditions:
        return ibis.literal(True)
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined  # NULL (unknown) selects nothing, in a filter and in an aggregate's FILTER alike


def dimension_expr(table: ir.Table, dimension: str) -> ir.StringValue:
    """The value of a breakdown dimension for each record.

    ``hate_type`` is the record's single hate strand, or "Multiple Types" when it has several
    (the published convention: such a record counts once).
    """
    if dimension == "hate_type":
        types = table.hate_types
        return ibis.cases((types.length() > 1, ibis.literal(MULTIPLE_HATE_TYPES)), else_=types[0])
    return table[dimension].cast("string")
