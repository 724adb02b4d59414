"""How figures are written in the report: counts, rates, money, differences, percentages.

Tables follow the published paper's style (counts without thousands separators, signed
percentages); prose uses thousands separators. One module, so that every renderer and every
sentence writes the same figure the same way.
"""

from __future__ import annotations

from crimeprev.model.change import Change


def table_value(value: float | None, unit: str) -> str:
    """A figure in a table cell."""
    if value is None:
        return "n/a"
    if unit == "rate":
        return f"{value * 100:.1f}%"
    if unit == "percent_change":
        return f"{value * 100:+.1f}%"
    if unit == "gbp":
        return f"£{value:,.0f}"
    if unit == "kg":
        return f"{value:g} kg"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def prose_value(value: float | None, unit: str) -> str:
    """A figure in a sentence (thousands separators)."""
    if value is None:
        return "not available"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
    return table_value(value, unit)


def table_diff(change: Change | None, unit: str) -> str:
    """The difference column: current minus previous (percentage points for rates)."""
    if change is None:
        return "n/a"
    if unit == "rate":
        return f"{change.diff * 100:+.1f} pts"
    if unit == "gbp":
        return f"{'-' if change.diff < 0 else ''}£{abs(change.diff):,.0f}"
    return f"{change.diff:,.0f}" if float(change.diff).is_integer() else f"{change.diff:,g}"


def table_pct(change: Change | None) -> str:
    return "n/a" if change is None else change.pct_text
