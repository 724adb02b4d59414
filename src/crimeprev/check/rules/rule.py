"""What a rule is: a name, a one-line summary and a pure function from a document to its findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crimeprev.check.document import Document
from crimeprev.check.findings import Finding

__all__ = ["Rule"]


@dataclass(frozen=True)
class Rule:
    """A check the checker runs. ``check`` reads only the document: no files, clock or settings."""

    name: str
    summary: str
    check: Callable[[Document], Iterable[Finding]]
