"""Delivery actions as the tracker holds them: what a strand does, who owns it, where it stands.

An action belongs to a strand and a half-year (named by its last month, as the paper is: ``2024-03``
for October 2023 to March 2024, ``2024-09`` for April to September 2024), has an owner and a status
(scheduled, in progress, achieved, slipped, cancelled) and may have a due date and notes. Every
saved change makes a new version; a change saved against an older version than the stored one is a
conflict (:class:`ConflictError`), so two people editing one action never overwrite each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from crimeprev.model.errors import CrimeprevError, InputError

__all__ = ["Action", "ActionDraft", "ActionStatus", "ConflictError", "check_half_year", "half_year_of"]

_HALF_YEAR = re.compile(r"^(?P<y>\d{4})-(?P<m>03|09)$")


class ActionStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in progress"
    ACHIEVED = "achieved"
    SLIPPED = "slipped"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ActionDraft:
    """What a person writes: everything but the identity and the version."""

    strand: str
    title: str
    half_year: str
    status: ActionStatus = ActionStatus.SCHEDULED
    owner: str = ""
    description: str = ""
    due: date | None = None
    notes: str = ""

    def checked(self, where: str = "action") -> ActionDraft:
        """The draft, or an :class:`InputError` naming the field to correct."""
        if not self.title.strip():
            raise InputError(where, "an action needs a title", field="title")
        if not self.strand.strip():
            raise InputError(where, "an action needs a strand", field="strand")
        check_half_year(self.half_year, where)
        return self


@dataclass(frozen=True)
class Action(ActionDraft):
    """An action as stored, with its id, version and who last changed it when."""

    id: int = 0
    version: int = 1
    updated_at: datetime | None = None
    updated_by: str = ""

    def draft(self) -> ActionDraft:
        return ActionDraft(
            self.strand, self.title, self.half_year, self.status, self.owner, self.description, self.due, self.notes
        )


class ConflictError(CrimeprevError):
    """A change saved against a version someone else has replaced: both versions are kept here so
    the person can see the other change and redo theirs; nothing was saved."""

    def __init__(self, what: str, mine: object, theirs: object, theirs_by: str) -> None:
        self.mine = mine
        self.theirs = theirs
        self.theirs_by = theirs_by
        super().__init__(
            f"{what} was changed by {theirs_by or 'someone else'} after you opened it; your change was not saved. "
            "Look at their version, then make yours again."
        )


def check_half_year(label: str, where: str = "action") -> str:
    """``label`` if it names a half-year by its last month (``2024-03`` or ``2024-09``)."""
    if not _HALF_YEAR.match(label):
        raise InputError(
            where, f"half-year {label!r} is not a half-year's last month: write 2024-03 or 2024-09", field="half_year"
        )
    return label


def half_year_of(day: date) -> str:
    """The half-year a date falls in: October to March ends in March, April to September in September."""
    if 4 <= day.month <= 9:
        return f"{day.year}-09"
    return f"{day.year + (1 if day.month >= 10 else 0)}-03"
