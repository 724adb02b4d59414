"""Small pieces of English the outputs share, so every sentence counts the same way."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """``1 strand``, ``14 strands``, ``1,267 offences``: a count with its noun, never "strand(s)"."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
