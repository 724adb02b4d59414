"""A rejected input row: what quarantine holds."""

from __future__ import annotations

from dataclasses import dataclass

WITHHELD = "[line withheld: it could not be split into the extract's columns to remove personal data]"
"""What quarantine keeps of a force-extract line that cannot be redacted column by column."""


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """A line that was read but not loaded, with the field at fault and the reason."""

    line: int
    field: str | None
    reason: str
    raw: str
