"""Quarantined lines of a force extract, without the personal data the store never holds.

A quarantined row keeps the text of its line so that an analyst can find and fix it. But a force
extract's lines hold person identifiers (victim and suspect references), and often personal
columns that crimeprev never loads at all (names, addresses, free text). The quarantine therefore
keeps a line the way the store would have kept its row: the columns the mapping loads, as read;
identifier columns replaced by their pseudonyms; every other column blanked. A line that cannot
be split into the header's columns (a wrong number of fields, bytes that are not text) cannot be
redacted column by column, so its text is withheld and only its line number and reason are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from crimeprev.model.rejects import WITHHELD
from crimeprev.sources.pseudonym import Pseudonymiser
from crimeprev.sources.row_checks import csv_line


@dataclass(frozen=True, slots=True)
class LineRedactor:
    """How the lines of one extract file may be shown: ``header`` is the file's column order."""

    header: tuple[str, ...]
    kept: frozenset[str]  # source columns the mapping loads as they are
    identifiers: frozenset[str]  # source columns of person identifiers, shown as pseudonyms
    pseudonymiser: Pseudonymiser | None

    def redact_values(self, values: Sequence[str | None]) -> str:
        """A row's cells, in header order, as a CSV line without personal data.

        >>> LineRedactor(("ref", "name", "month"), frozenset({"ref", "month"}), frozenset(), None).redact_values(
        ...     ["20/1", "Jo Bloggs", "2024-01"])
        '20/1,,2024-01'
        """
        shown: list[str | None] = []
        for name, value in zip(self.header, values, strict=True):
            if name in self.identifiers:
                shown.append(self._pseudonym(value))
            elif name in self.kept:
                shown.append(value)
            else:
                shown.append(None)
        return csv_line(shown)

    def _pseudonym(self, value: str | None) -> str | None:
        if value is None or not value.strip() or self.pseudonymiser is None:
            return None
        return self.pseudonymiser.pseudonym(value.strip())

    def redact_line(self, text: str) -> str:
        """A raw line of the file without personal data, or :data:`WITHHELD` if it cannot be split."""
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error:
            return WITHHELD
        if len(rows) != 1 or len(rows[0]) != len(self.header):
            return WITHHELD
        return self.redact_values(rows[0])
