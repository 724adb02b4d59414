"""The access log: every person-level query, who ran it and when.

Person-level views (repeat lists, the perpetrator cohort, the pseudonyms behind a figure) are
restricted to the people who need them, and a force must be able to show who looked (UK GDPR
Article 5(2), accountability; the Data Protection Act 2018 Part 3 logging duty, s.62, for law
enforcement processing). The entry is written before the output is shown, so a query whose entry
cannot be written is not answered. Entries hold the command and its options, never pseudonyms or
identifiers: the log can be read by an auditor without being person-level itself.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime

from crimeprev.store.warehouse import Warehouse

USER_ENV = "CRIMEPREV_USER"


@dataclass(frozen=True, slots=True)
class AccessEntry:
    logged_at: datetime
    user: str
    command: str
    arguments: str
    people: int


def current_user() -> str:
    """Who is asking: ``CRIMEPREV_USER`` where set (a shared service account names its user),
    else the operating-system login."""
    named = os.environ.get(USER_ENV, "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def log_access(warehouse: Warehouse, command: str, arguments: str, people: int) -> AccessEntry:
    """Record one person-level query (``people``: how many people it shows)."""
    entry = AccessEntry(datetime.now().replace(microsecond=0), current_user(), command, arguments, people)
    warehouse.query(
        "INSERT INTO access_log VALUES (?, ?, ?, ?, ?)",
        [entry.logged_at, entry.user, entry.command, entry.arguments, entry.people],
    )
    return entry


def read_access_log(warehouse: Warehouse, *, limit: int | None = None) -> list[AccessEntry]:
    """The entries, newest first."""
    sql = "SELECT logged_at, user_name, command, arguments, people FROM access_log ORDER BY logged_at DESC, rowid DESC"
    rows = warehouse.query(sql + (f" LIMIT {int(limit)}" if limit else ""))
    return [AccessEntry(*row) for row in rows]
