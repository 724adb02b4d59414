"""Hate strands of hate crimes and hate incidents.

The report publishes hate crimes and hate incidents *together* by type for January to March
2024, where a record with more than one strand counts once as "Multiple Types". Those three
months get exactly the published table: one label per record, shuffled over the month's hate
crimes and hate incidents. Other months draw strands with the same proportions. A "Multiple
Types" record carries two or three distinct strands, written in the order of
``crimeprev.model.codes.HATE_TYPES``.

Racially or religiously aggravated offences must carry a race or religion strand (Home Office
counting rules): within each month, the race and religion labels (and the multiple-type labels,
which then include one of them) go to the aggravated records first, the rest at random, so the
month's labels are the same and only who gets which changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import BoolArray, IntArray
from crimeprev.model.codes import HATE_TYPES, MULTIPLE_HATE_TYPES

MULTIPLE_SIZES: Final = (2, 3)
MULTIPLE_SIZE_P: Final = (0.85, 0.15)


@dataclass(frozen=True)
class HateStrands:
    """Strand label of each record: an index into ``labels`` (-1 where not a hate record)."""

    labels: tuple[str, ...]
    crime_label: IntArray
    incident_label: IntArray


def _combination(types: IntArray) -> str:
    return ";".join(HATE_TYPES[t] for t in sorted(int(v) for v in types))


def _race_or_religion(categories: tuple[str, ...]) -> list[int]:
    return [i for i, c in enumerate(categories) if c == "Racial" or c.startswith("Religious")]


def _aggravated_first(
    category: IntArray, months: IntArray, aggravated: BoolArray, preferred: IntArray, rng: np.random.Generator
) -> IntArray:
    """Permute categories within each month so that aggravated records get the preferred ones."""
    out = category.copy()
    for month in np.unique(months):
        idx = np.flatnonzero(months == month)
        cats = rng.permutation(category[idx])
        good = np.isin(cats, preferred)
        needy = idx[aggravated[idx]]
        if needy.size > int(good.sum()):
            raise ValueError(
                f"month {month}: {needy.size} aggravated hate crimes, {int(good.sum())} race/religion labels"
            )
        pool = np.concatenate([cats[good], cats[~good]])
        rest = idx[~aggravated[idx]]
        out[needy] = pool[: needy.size]
        out[rest] = rng.permutation(pool[needy.size :])
    return out


def assign_hate_strands(
    crime_months: IntArray,
    crime_aggravated: BoolArray,
    incident_months: IntArray,
    table_months: tuple[int, ...],
    table: Mapping[str, tuple[int, ...]],
    rng: np.random.Generator,
) -> HateStrands:
    """Strands for hate crimes (``crime_months``) and hate incidents (``incident_months``).

    Both month arrays list only hate records; ``crime_aggravated`` marks the hate crimes with an
    aggravated code. Records in ``table_months`` receive exactly the
    counts of ``table`` (type -> count per month); their number must equal the table's totals.
    """
    categories = (*HATE_TYPES, MULTIPLE_HATE_TYPES)
    multiple = len(HATE_TYPES)
    unknown = set(table) - set(categories)
    if unknown:
        raise ValueError(f"unknown hate types in the reference table: {sorted(unknown)}")
    per_month = np.array(
        [[table.get(c, (0,) * len(table_months))[i] for c in categories] for i in range(len(table_months))],
        dtype=np.int64,
    )
    overall = per_month.sum(axis=0).astype(np.float64)
    months = np.concatenate([crime_months, incident_months])
    category = rng.choice(len(categories), size=months.size, p=overall / overall.sum())
    for i, month in enumerate(table_months):
        idx = np.flatnonzero(months == month)
        if idx.size != int(per_month[i].sum()):
            raise ValueError(f"{idx.size} hate records in month {month}, the table has {per_month[i].sum()}")
        category[idx] = rng.permutation(np.repeat(np.arange(len(categories)), per_month[i]))

    aggravated = np.concatenate([crime_aggravated, np.zeros(incident_months.size, dtype=np.bool_)])
    preferred = np.array([*_race_or_religion(HATE_TYPES), multiple], dtype=np.int64)
    category = _aggravated_first(category, months, aggravated, preferred, rng)

    single_p = overall[:multiple] / overall[:multiple].sum()
    race_religion = np.array(_race_or_religion(HATE_TYPES), dtype=np.int64)
    labels: dict[str, int] = {name: i for i, name in enumerate(HATE_TYPES)}
    record_label = category.copy()
    for r in np.flatnonzero(category == multiple):
        size = int(rng.choice(MULTIPLE_SIZES, p=MULTIPLE_SIZE_P))
        types = rng.choice(multiple, size=size, replace=False, p=single_p)
        if aggravated[r] and not np.isin(types, race_religion).any():
            types[0] = race_religion[np.argmax(single_p[race_religion])]
            types = np.unique(types)
        text = _combination(types)
        record_label[r] = labels.setdefault(text, len(labels))
    n_crimes = crime_months.size
    return HateStrands(
        labels=tuple(labels),
        crime_label=record_label[:n_crimes],
        incident_label=record_label[n_crimes:],
    )
