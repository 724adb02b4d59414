"""Exact allocation of counts to months and to strata, and exact-size selections of records.

Real monthly crime series are overdispersed: month-to-month variation is several times what a
Poisson process would give, because demand moves with weather, events, operations and recording
practice. A series drawn as independent Poisson months would make every control chart in the
report look implausibly calm. So each month's share is drawn as a seasonal weight times gamma
noise (a gamma-Poisson, i.e. negative binomial, mixture) and an *exact* annual total is then
spread over the months with a multinomial. Published figures that fix a month or a quarter are
honoured as *pins*: the pinned months receive exactly their count and the rest of the year's total
is spread over the other months.

Strata that share a monthly series (a *family*, e.g. every hate-crime stratum, whose quarter
totals are published) are split by shuffling one label per record and cutting the shuffled
sequence month by month: both the per-stratum annual counts and the per-month totals stay exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from crimeprev.demo.months import N_MONTHS, N_YEARS, financial_year_months

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Pin:
    """An exact count for a set of months of one financial year (one month or a quarter)."""

    months: tuple[int, ...]
    count: int


def allocate_months(
    fy_totals: Sequence[int],
    pins: Sequence[Pin],
    season: FloatArray,
    *,
    shape: float,
    rng: np.random.Generator,
) -> IntArray:
    """Spread exact financial-year totals over the 36 months.

    Parameters
    ----------
    fy_totals:
        One exact total per financial year (three values).
    pins:
        Month groups whose counts are fixed; each group lies inside one financial year and the
        pinned counts are part of that year's total.
    season:
        36 seasonal multipliers.
    shape:
        Gamma shape of the month-level noise: the coefficient of variation of a month's weight is
        ``1/sqrt(shape)`` (shape 60 gives about 13 %).
    """
    if len(fy_totals) != N_YEARS:
        raise ValueError("one total per financial year is needed")
    counts = np.zeros(N_MONTHS, dtype=np.int64)
    weights = season * rng.gamma(shape, 1.0 / shape, N_MONTHS)
    for fy, total in enumerate(fy_totals):
        months = list(financial_year_months(fy))
        pinned: set[int] = set()
        remaining = int(total)
        for pin in pins:
            if pin.months[0] not in months:
                continue
            if not set(pin.months) <= set(months):
                raise ValueError(f"pin {pin} crosses a financial year")
            idx = np.array(pin.months, dtype=np.int64)
            counts[idx] = rng.multinomial(pin.count, weights[idx] / weights[idx].sum())
            pinned.update(pin.months)
            remaining -= pin.count
        free = np.array([m for m in months if m not in pinned], dtype=np.int64)
        if remaining < 0 or (free.size == 0 and remaining != 0):
            raise ValueError(f"pins exceed the total {total} of financial year {fy}")
        if free.size:
            counts[free] = rng.multinomial(remaining, weights[free] / weights[free].sum())
    return counts


def split_family(month_totals: IntArray, stratum_fy_counts: IntArray, rng: np.random.Generator) -> IntArray:
    """Split a family's monthly totals among its strata, keeping both margins exact.

    ``stratum_fy_counts`` has one row per stratum and one column per financial year; each column
    must sum to that year's family total. Returns a (strata x 36) matrix of counts.
    """
    n_strata = stratum_fy_counts.shape[0]
    out = np.zeros((n_strata, N_MONTHS), dtype=np.int64)
    for fy in range(N_YEARS):
        months = np.array(financial_year_months(fy), dtype=np.int64)
        per_month = month_totals[months]
        if int(per_month.sum()) != int(stratum_fy_counts[:, fy].sum()):
            raise ValueError("family months and strata disagree on a financial year's total")
        labels = rng.permutation(np.repeat(np.arange(n_strata), stratum_fy_counts[:, fy]))
        month_of = np.repeat(np.arange(12), per_month)
        cells = np.bincount(labels * 12 + month_of, minlength=n_strata * 12)
        out[:, months] = cells.reshape(n_strata, 12)
    return out


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Integers proportional to ``weights`` that sum exactly to ``total`` (Hamilton's method)."""
    w = np.asarray(weights, dtype=np.float64)
    quotas = total * w / w.sum()
    base = np.floor(quotas).astype(np.int64)
    short = total - int(base.sum())
    order = np.argsort(-(quotas - base), kind="stable")
    base[order[:short]] += 1
    return [int(v) for v in base]


def impose_exact_count(
    values: BoolArray,
    fixed: BoolArray,
    members: BoolArray,
    target: int,
    rng: np.random.Generator,
    *,
    weights: FloatArray | None = None,
) -> tuple[BoolArray, BoolArray]:
    """Make exactly ``target`` of ``members`` true, changing only members not yet ``fixed``.

    Constraints are imposed one after another: a record that an earlier constraint settled keeps
    its value, and the rest of this constraint's members are redrawn so that the count is exact.
    ``weights`` (one per record) makes some free members likelier to be chosen. Returns the new
    values and the new fixed mask (all members become fixed).
    """
    values = values.copy()
    already = int(np.count_nonzero(values & members & fixed))
    free = np.flatnonzero(members & ~fixed)
    need = target - already
    if not 0 <= need <= free.size:
        raise ValueError(f"cannot make {target} of {int(members.sum())} records true")
    p = None
    if weights is not None:
        w = weights[free]
        p = w / w.sum()
    chosen = rng.choice(free, size=need, replace=False, p=p)
    values[free] = False
    values[chosen] = True
    return values, fixed | members
