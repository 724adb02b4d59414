"""The demo's calendar: 36 recorded months, April 2021 to March 2024, and their financial years.

Months are handled as indices 0..35 (0 = April 2021) so that every per-month array in the
generator has the same shape; dates are handled as whole days since 1970-01-01 so that numpy can
do date arithmetic on half a million records at once. Seasonal profiles live here too: they are
indexed by calendar month and say how a kind of demand rises and falls through the year.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt

FIRST_YEAR: Final = 2021
FIRST_MONTH: Final = 4
N_MONTHS: Final = 36
N_YEARS: Final = 3
FINANCIAL_YEARS: Final = ("FY2021/22", "FY2022/23", "FY2023/24")
# Indices into FINANCIAL_YEARS of the published comparison: [previous, current].
PREVIOUS_FY: Final = 1
CURRENT_FY: Final = 2
EPOCH: Final = dt.date(1970, 1, 1)

# Seasonal multipliers, January..December. Violence, the night-time economy and anti-social
# behaviour peak in summer (and the NTE again in December); burglary and vehicle crime peak in the
# dark months; shoplifting peaks before Christmas.
SEASONS: Final[dict[str, tuple[float, ...]]] = {
    "flat": (1.0,) * 12,
    "violence": (0.92, 0.88, 0.97, 1.00, 1.06, 1.08, 1.10, 1.06, 1.00, 1.00, 0.95, 0.98),
    "nte": (0.84, 0.80, 0.92, 0.98, 1.05, 1.13, 1.18, 1.12, 0.98, 0.98, 0.92, 1.14),
    "asb": (0.78, 0.78, 0.90, 1.05, 1.15, 1.15, 1.22, 1.20, 1.00, 1.00, 0.90, 0.87),
    "burglary": (1.03, 1.00, 0.98, 0.97, 0.97, 0.97, 0.97, 0.98, 0.99, 1.02, 1.04, 1.05),
    "shoplifting": (0.96, 0.92, 0.98, 0.97, 1.00, 0.98, 1.00, 1.00, 0.98, 1.02, 1.08, 1.14),
    "cycle_theft": (0.70, 0.70, 0.85, 0.95, 1.15, 1.30, 1.35, 1.30, 1.20, 1.10, 0.80, 0.60),
    "mental_health": (0.94, 0.90, 0.98, 1.00, 1.04, 1.06, 1.06, 1.04, 1.00, 1.00, 0.98, 1.00),
}


def month_year_and_number(index: int) -> tuple[int, int]:
    """The calendar year and month number (1..12) of month ``index``."""
    offset = FIRST_MONTH - 1 + index
    return FIRST_YEAR + offset // 12, offset % 12 + 1


def month_label(index: int) -> str:
    """``YYYY-MM`` of month ``index`` (0 = 2021-04)."""
    year, month = month_year_and_number(index)
    return f"{year:04d}-{month:02d}"


def month_index(label: str) -> int:
    """The index of a ``YYYY-MM`` month label; raises ``ValueError`` outside the demo's range."""
    year_text, month_text = label.split("-")
    index = (int(year_text) - FIRST_YEAR) * 12 + int(month_text) - FIRST_MONTH
    if not 0 <= index < N_MONTHS:
        raise ValueError(f"month {label} is outside the demo's 36 months")
    return index


def month_first_day(index: int) -> dt.date:
    """The first day of month ``index`` (index may be 36, the month after the demo)."""
    year, month = month_year_and_number(index)
    return dt.date(year, month, 1)


def days_since_epoch(day: dt.date) -> int:
    return (day - EPOCH).days


def month_start_days() -> npt.NDArray[np.int64]:
    """Days since 1970 of the first day of months 0..36 (37 values: the last closes month 35)."""
    return np.array([days_since_epoch(month_first_day(i)) for i in range(N_MONTHS + 1)], dtype=np.int64)


def calendar_months() -> npt.NDArray[np.int64]:
    """Calendar month number (1..12) of each of the 36 months."""
    return np.array([month_year_and_number(i)[1] for i in range(N_MONTHS)], dtype=np.int64)


def financial_year_months(fy: int) -> range:
    """Month indices of financial year ``fy`` (0 = FY2021/22)."""
    return range(12 * fy, 12 * fy + 12)


def seasonal_weights(profile: str) -> npt.NDArray[np.float64]:
    """The 36 monthly multipliers of a seasonal profile."""
    season = np.array(SEASONS[profile], dtype=np.float64)
    return season[calendar_months() - 1]
