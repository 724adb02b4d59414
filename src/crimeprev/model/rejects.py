"""A rejected input row: what quarantine holds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """A line that was read but not loaded, with the field at fault and the reason."""

    line: int
    field: str | None
    reason: str
    raw: str
