"""Check a report: run every rule on the document, merge what they found, order it by place.

Merging: two rules may point at the same cell with the same correction (a mistyped count breaks its
comparison row and the measure's agreement with the prose); that is one finding, kept from the first
rule. A finding whose inconsistency could equally be corrected at another cell (its
``alternatives``) is dropped when another finding points at one of those cells: the other evidence
says which cell was wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crimeprev.check.document import Document, Location
from crimeprev.check.findings import Finding, Severity
from crimeprev.check.readers import read_document
from crimeprev.check.rules import RULES, Rule

__all__ = ["FileCheck", "check_document", "check_file"]


def _place(location: Location) -> tuple[str, int, int | None, int | None]:
    return location.kind, location.index, location.row, location.column


@dataclass(frozen=True)
class FileCheck:
    """The findings for one file, with what was read (so "no findings" can say what it covered)."""

    path: str
    findings: tuple[Finding, ...]
    tables: int
    paragraphs: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)


def check_document(document: Document, rules: Sequence[Rule] = RULES) -> tuple[Finding, ...]:
    """Every finding of ``rules`` on ``document``, merged and in document order (pure)."""
    found = [finding for rule in rules for finding in rule.check(document)]
    seen: set[tuple[object, ...]] = set()
    unique: list[Finding] = []
    for finding in found:
        key = (_place(finding.location), finding.stated, finding.expected)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    places = {_place(f.location) for f in unique}
    kept = [
        f for f in unique if not any(_place(a) in places and _place(a) != _place(f.location) for a in f.alternatives)
    ]
    order = {(b.location.kind, b.location.index): i for i, b in enumerate(document.blocks)}
    return tuple(
        sorted(
            kept,
            key=lambda f: (
                order.get((f.location.kind, f.location.index), 0),
                f.location.row or 0,
                f.location.column or 0,
                -f.severity.rank,
            ),
        )
    )


def check_file(path: Path, rules: Sequence[Rule] = RULES) -> FileCheck:
    """Read ``path`` and check it. Raises :class:`~crimeprev.model.errors.InputError` if unreadable."""
    document = read_document(path)
    return FileCheck(
        path=str(path),
        findings=check_document(document, rules),
        tables=len(document.tables),
        paragraphs=len(document.paragraphs),
    )
