"""Collecting row-level failures so that every rejected row gets one clear reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa

from crimeprev.model.rejects import RejectedLine

Reason = str | Callable[[str], str]


class RowChecks:
    """Failures of the rows of one batch; a row's first failing check gives its reason.

    ``raw`` holds the rows as read (string columns named as in the file) so that a reject can
    name the offending value and carry the raw line.
    """

    def __init__(
        self, raw: pa.Table, lines: np.ndarray, *, line_text: Callable[[list[str | None]], str] | None = None
    ) -> None:
        """``line_text`` turns a rejected row's cells into the line kept in quarantine (by default
        the cells as read, as a CSV line)."""
        self._raw = raw
        self._lines = lines
        self._line_text = line_text
        self._failed = np.full(raw.num_rows, -1, dtype=np.int64)
        self._checks: list[tuple[str, str | None, Reason]] = []

    def add(self, bad: np.ndarray, field: str, reason: Reason, *, column: str | None = None) -> None:
        """Record that rows in ``bad`` fail on ``field``.

        ``reason`` is a message, or a function of the cell's text (read from ``column`` of the
        raw rows, by default the column named ``field``).
        """
        source = column if column is not None else (field if field in self._raw.column_names else None)
        self._checks.append((field, source, reason))
        fresh = bad & (self._failed < 0)
        self._failed[fresh] = len(self._checks) - 1

    @property
    def keep(self) -> np.ndarray:
        """Mask of rows that passed every check."""
        return self._failed < 0

    def rejected(self) -> list[RejectedLine]:
        """One :class:`RejectedLine` per failed row, in row order."""
        out: list[RejectedLine] = []
        for i in np.flatnonzero(self._failed >= 0):
            field, source, reason = self._checks[int(self._failed[i])]
            text = "" if source is None else str(self._raw.column(source)[int(i)].as_py())
            message = reason(text) if callable(reason) else reason
            values = [self._raw.column(c)[int(i)].as_py() for c in range(self._raw.num_columns)]
            line = self._line_text(values) if self._line_text is not None else csv_line(values)
            out.append(RejectedLine(int(self._lines[i]), field, message, line))
        return out


def csv_line(values: Sequence[str | None]) -> str:
    """Cells as one CSV line (None as an empty cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()
