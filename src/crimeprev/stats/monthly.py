"""Monthly series as the statistics receive them: bare values, or (month, value) pairs.

The rest of the project passes a monthly series as a list of ``(date, value or None)`` pairs (see
:func:`crimeprev.indicators.compare.monthly_series`); tests and notebooks often have bare values.
Every statistic in this package accepts either and reads it through :func:`split_months`, so the
two forms mean the same thing everywhere: None is a missing month, never a zero.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date

from crimeprev.model.periods import add_months

MonthlyValues = Sequence[float | None] | Sequence[tuple[date, float | None]]
"""A monthly series: bare values, or ``(first day of month, value)`` pairs; None is a missing month."""


def split_months(series: MonthlyValues) -> tuple[tuple[date, ...] | None, tuple[float | None, ...]]:
    """The months (None for bare values) and the values of ``series``.

    Dated series must run over consecutive calendar months, with a missing month given as None
    rather than left out, because the statistics here compare each month with the one before it.

    >>> split_months([3, None, 4.5])
    (None, (3.0, None, 4.5))
    >>> from datetime import date
    >>> split_months([(date(2024, 1, 1), 3), (date(2024, 2, 1), None)])
    ((datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)), (3.0, None))
    """
    months: list[date] = []
    values: list[float | None] = []
    for item in series:
        if isinstance(item, tuple):
            month, value = item
            months.append(date(month.year, month.month, 1))
        else:
            value = item
        values.append(None if value is None else float(value))
    if months and len(months) != len(values):
        raise ValueError("a monthly series is either all (month, value) pairs or all bare values")
    for before, after in itertools.pairwise(months):
        if after != add_months(before, 1):
            raise ValueError(
                f"months must be consecutive: {after:%Y-%m} follows {before:%Y-%m}; give a missing month as None"
            )
    for value in values:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"monthly values must be finite numbers or None, not {value!r}")
    return (tuple(months) if months else None), tuple(values)
