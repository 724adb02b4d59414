"""Small pieces of English the outputs share, so every sentence counts the same way."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """``1 strand``, ``14 strands``, ``1,267 offences``: a count with its noun, never "strand(s)"."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``: a rank as readers write it."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
