"""The exception tree, drawn once.

::

    CrimeprevError              anything crimeprev raises on purpose; the CLI prints it, no traceback
    ├── ConfigError             a setting is missing or wrong (store path, pseudonymisation key)
    ├── InputError              an input file cannot be ingested as a whole
    │                           (empty, unreadable, wrong or missing header, bad mapping)
    ├── StoreError              the store cannot be opened or is of a newer schema version
    └── OutputError             a report or chart cannot be written

Row-level problems are not exceptions: the row is quarantined with a reason and ingest goes on.
Every message names the file (and row and field where there is one) and says what to do.
"""

from __future__ import annotations


class CrimeprevError(Exception):
    """Base of every error crimeprev raises on purpose."""


class ConfigError(CrimeprevError):
    """A setting is missing or invalid."""


class InputError(CrimeprevError):
    """An input file cannot be ingested as a whole; the store is left unchanged."""

    def __init__(
        self, path: str, message: str, *, row: int | None = None, field: str | None = None, line: int | None = None
    ):
        self.path = path
        self.row = row
        self.field = field
        self.line = line
        where = path
        if row is not None:
            where += f", row {row}"
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


class StoreError(CrimeprevError):
    """The store cannot be opened or written."""


class OutputError(CrimeprevError):
    """A report, chart or other output file cannot be written."""
