"""What a printed figure may stand for, and what a difference or percentage change of such figures may be.

A whole count (2,725 offences) is exact. A figure that is itself rounded — a rate or share printed as
a percentage (8.9%), any figure printed with decimals (28.14) — stands for every value that rounds to
it: 8.9% is anything from 8.85% to 8.95%. A difference or percentage change that a report computes
from the unrounded values can then differ from the one recomputed from the printed figures: a solved
rate going from 8.9% to 6.8% may be a fall of 2.0 percentage points and of 23.1% (from 8.86% to
6.815%) although 6.8 - 8.9 is -2.1 and (6.8 - 8.9) / 8.9 is -23.6%. Such a derived figure is accepted
when some values the printed figures stand for give it (interval arithmetic, exactly, with
:class:`fractions.Fraction`); a whole count has no such room, so a slip in a count is still found.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from crimeprev.check.numbers import Figure, Fit, fit, format_expected

__all__ = ["Bounds", "fit_bounds"]


def _slack(figure: Figure) -> Fraction:
    if figure.decimals == 0 and not figure.percent:
        return Fraction(0)
    return Fraction(1, 2 * 10**figure.decimals)


@dataclass(frozen=True)
class Bounds:
    """A value as printed (``value``) and the range ``low`` to ``high`` it may stand for."""

    value: Fraction
    low: Fraction
    high: Fraction

    @classmethod
    def of(cls, figure: Figure, value: Fraction | None = None) -> Bounds:
        """The values ``figure`` stands for; ``value`` replaces its printed value (a candidate correction
        printed the same way)."""
        centre = figure.exact if value is None else value
        slack = _slack(figure)
        return cls(centre, centre - slack, centre + slack)

    @classmethod
    def rounded(cls, figure: Figure) -> Bounds:
        """Every value that rounds to ``figure`` as printed, whatever its kind (for a derived figure: a
        difference, a percentage change)."""
        half = Fraction(1, 2 * 10**figure.decimals)
        return cls(figure.exact, figure.exact - half, figure.exact + half)

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def minus(self, other: Bounds) -> Bounds:
        """``self - other``: a difference, in the unit of the figures (percentage points for rates)."""
        return Bounds(self.value - other.value, self.low - other.high, self.high - other.low)

    def change_from(self, base: Bounds, difference: Bounds | None = None) -> Bounds | None:
        """The percentage change from ``base`` to ``self``; ``None`` when the base is or may be zero.

        ``difference``: what a printed difference (that fits) says of ``self - base``; it narrows the
        range (a fall of 2.0 points from 8.9% is a fall of 22.3% to 23.2%, where 8.9% to 6.8% alone
        allows 22.6% to 24.6%).
        """
        if base.value == 0 or base.low <= 0 <= base.high:
            return None
        change = self.minus(base)
        low, high, estimate = change.low, change.high, change.value
        if difference is not None and difference.low <= high and difference.high >= low:
            low, high = max(low, difference.low), min(high, difference.high)
            if not low <= estimate <= high:
                # The printed figures alone do not give the printed difference: it is the better
                # estimate of the difference before rounding.
                estimate = min(max(difference.value, low), high)
        corners = [d / b * 100 for d in (low, high) for b in (base.low, base.high)]
        return Bounds(estimate / base.value * 100, min(corners), max(corners))

    def describe(self, like: Figure) -> str:
        """The range in the style of ``like`` ("-23.2% to -22.3%")."""
        return f"{format_expected(self.low, like)} to {format_expected(self.high, like)}"

    def admits(self, stated: Figure) -> bool:
        """Whether some value in the range rounds (by an ordinary rounding) to ``stated``."""
        printed = Bounds.rounded(stated)
        return self.low <= printed.high and self.high >= printed.low


def fit_bounds(bounds: Bounds, stated: Figure) -> Fit:
    """How ``stated`` fits a value known within ``bounds``: as :func:`~crimeprev.check.numbers.fit` for
    the printed value, but :attr:`Fit.ROUNDED` whenever the values the printed figures stand for allow it."""
    how, _ = fit(bounds.value, stated)
    if how is not Fit.ROUNDED and not bounds.exact and bounds.admits(stated):
        return Fit.ROUNDED
    return how
