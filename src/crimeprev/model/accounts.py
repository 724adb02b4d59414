"""Who may do what: the roles of the app's accounts.

- ``viewer`` reads every strand's figures and the paper; edits nothing (a scrutiny officer).
- ``lead`` edits the delivery actions and narrative of the strands they are bound to.
- ``analyst`` edits every strand and is the only role that sees person-level pages (repeat
  victims and offenders, the perpetrator cohort), each view logged.
- ``admin`` manages accounts and edits every strand; person-level pages stay the analysts'.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

__all__ = ["Role", "may_edit_strand", "may_read_audit", "may_see_people"]


class Role(StrEnum):
    VIEWER = "viewer"
    LEAD = "lead"
    ANALYST = "analyst"
    ADMIN = "admin"


def may_edit_strand(role: Role, own_strands: Collection[str], strand: str) -> bool:
    """Whether an account may change ``strand``'s actions and narrative."""
    if role in (Role.ANALYST, Role.ADMIN):
        return True
    return role is Role.LEAD and strand in own_strands


def may_read_audit(role: Role) -> bool:
    """Whether an account may read the audit log: the roles that edit every strand, who answer for it."""
    return role in (Role.ANALYST, Role.ADMIN)


def may_see_people(role: Role) -> bool:
    """Whether an account may open person-level views (least privilege: analysts only)."""
    return role is Role.ANALYST
