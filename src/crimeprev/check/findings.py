"""What the checker reports: one finding per wrong or doubtful figure, with its location.

Severity says how sure the checker is that a figure is wrong:

- ``error``: no ordinary rounding of the correct value gives the printed one (a wrong difference,
  percentage, total or sum; the same measure printed with two values, one of which does not fit its
  own table or sentence).
- ``warning``: the figure is explained only by cutting digits off (truncated, or rounded down or up
  where the correct value is nearer the other way), or the same measure is printed with two values that
  are each consistent where they stand (often two definitions; the report should say which is which).
- ``note``: a figure the checker cannot verify but a reader may trip on (a percentage change from
  zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from crimeprev.check.document import Location, Paragraph
from crimeprev.check.numbers import Figure, format_expected

__all__ = ["Evidence", "Finding", "Severity", "figure_finding", "prose_evidence"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Larger is more severe: ``note`` 0, ``warning`` 1, ``error`` 2."""
        return {"note": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Evidence:
    """One figure a finding was worked out from: its part in the sum ("previous", "part", "whole"),
    the figure as printed (or as worked out, "12,550 (10,996 + 1,554)"), and where it is printed."""

    role: str
    figure: str
    location: Location | None = None

    def describe(self) -> str:
        where = f" ({self.location.describe(excerpt=False)})" if self.location is not None else " (worked out)"
        return f"{self.role} {self.figure}{where}"

    def to_json(self) -> dict[str, object]:
        return {
            "role": self.role,
            "figure": self.figure,
            "location": self.location.to_json() if self.location is not None else None,
        }


@dataclass(frozen=True)
class Finding:
    """One inconsistency: where, what is printed, what it should be, which rule found it and why.

    ``related``: the other places involved (the other mention of a measure). ``alternatives``: other
    cells that, corrected instead, would equally remove the inconsistency; when another finding points
    at one of them, that finding explains this one (see :func:`crimeprev.check.checker.check_document`).
    ``evidence``: the figures the finding was worked out from, each with where it is printed, so a
    reader can redo the sum.
    """

    location: Location
    rule: str
    severity: Severity
    stated: str
    expected: str | None
    message: str
    related: tuple[Location, ...] = ()
    alternatives: tuple[Location, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "location": self.location.to_json(),
            "stated": self.stated,
            "expected": self.expected,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "related": [r.to_json() for r in self.related],
            "alternatives": [a.to_json() for a in self.alternatives],
            "evidence": [e.to_json() for e in self.evidence],
        }


def figure_finding(
    location: Location,
    rule: str,
    figure: Figure,
    correct: Fraction,
    message: str,
    *,
    directed: bool = False,
    evidence: tuple[Evidence, ...] = (),
    related: tuple[Location, ...] = (),
) -> Finding:
    """A printed figure that should be ``correct``, written the way the figure is printed (its decimals,
    separators, sign). ``directed``: explained only by cutting digits off, so a warning, not an error
    (see :class:`Severity`)."""
    return Finding(
        location=location,
        rule=rule,
        severity=Severity.WARNING if directed else Severity.ERROR,
        stated=figure.text,
        expected=format_expected(correct, figure),
        message=message,
        evidence=evidence,
        related=related,
    )


def prose_evidence(paragraph: Paragraph, *figures: tuple[str, Figure]) -> tuple[Evidence, ...]:
    """Evidence for figures of running text: where the paragraph is, for each printed in it; a figure
    worked out (or given in another paragraph) has no place of its own."""
    return tuple(
        Evidence(role, figure.text, paragraph.location if _printed_in(paragraph, figure) else None)
        for role, figure in figures
    )


def _printed_in(paragraph: Paragraph, figure: Figure) -> bool:
    return paragraph.text[figure.start : figure.end] == figure.text
