"""Differences and percentage changes, computed in one place.

Percentages are rounded half away from zero to one decimal (as published reports round, and as
a reader checking by hand would), signed, and "n/a" when the base is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True)
class Change:
    previous: float
    current: float
    diff: float
    pct: float | None  # None when the base is zero

    @property
    def pct_text(self) -> str:
        """``+18.3%``, ``-6.4%``, ``0.0%`` or ``n/a``."""
        if self.pct is None:
            return "n/a"
        return f"{self.pct:+.1f}%" if self.pct else "0.0%"


def compute_change(previous: float, current: float) -> Change:
    """The change from ``previous`` to ``current``."""
    diff = current - previous
    if previous == 0:
        return Change(previous, current, diff, None)
    exact = Decimal(repr(diff)) * 100 / Decimal(repr(previous))
    pct = float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return Change(previous, current, diff, pct)
