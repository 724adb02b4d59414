"""The importer protocol and the registry that finds importers.

Built-in importers register through the ``crimeprev.importers`` entry-point group, exactly as a
force's own importer would from its own package::

    [project.entry-points."crimeprev.importers"]
    athena = "essex_crimeprev.athena:IMPORTER"

so nothing distinguishes a built-in importer from a plug-in one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from crimeprev.model.errors import ConfigError
from crimeprev.model.rejects import RejectedLine

if TYPE_CHECKING:  # the CLI finds importers without loading pyarrow; the importers load it themselves
    import pyarrow as pa

    from crimeprev.sources.fields import BoundingBox

ENTRY_POINT_GROUP = "crimeprev.importers"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file and the dataset its rows belong to."""

    path: Path
    dataset: str


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """Canonical rows for one or more tables (each with a ``source_row`` column) and rejects."""

    tables: Mapping[str, pa.Table]
    rejected: tuple[RejectedLine, ...]
    end_offset: int

    @property
    def rows(self) -> int:
        return int(sum(t.num_rows for t in self.tables.values())) + len(self.rejected)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Options every importer receives; each uses what applies to it."""

    mapping: Path | None = None
    pseudonym_key: bytes | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    areas: Mapping[str, BoundingBox] | None = None  # force -> area, from a boundary file (else the known ones)


@runtime_checkable
class Importer(Protocol):
    """What an importer provides."""

    name: str
    description: str
    tables: tuple[str, ...]

    def plan(self, paths: Sequence[Path], options: ImportOptions) -> list[SourceFile]:
        """Expand ``paths`` (files or folders) to the files to read, in a stable order.

        Raises :class:`InputError` for a path that does not exist or a bad mapping.
        """
        ...

    def read(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportBatch]:
        """Read one file. Raises :class:`InputError` when the file as a whole is unreadable."""
        ...

    def quarantine_text(self, source: SourceFile, options: ImportOptions) -> Callable[[str], str]:
        """How a raw line of ``source`` is kept in quarantine when the store rejects its row (a
        duplicate key, say): as read for public data, without personal data for a force's own."""
        ...


def as_read(text: str) -> str:
    """A raw line kept as it was read (files that hold no personal data)."""
    return text


def available_importers() -> dict[str, Importer]:
    """Every registered importer by name."""
    return {ep.name: get_importer(ep.name) for ep in entry_points(group=ENTRY_POINT_GROUP)}


def get_importer(name: str) -> Importer:
    """The importer registered as ``name`` (only that entry point is loaded)."""
    for ep in entry_points(group=ENTRY_POINT_GROUP, name=name):
        importer = ep.load()
        if not isinstance(importer, Importer):
            raise ConfigError(f"entry point {ep.name!r} ({ep.value}) is not a crimeprev importer")
        return importer
    known = ", ".join(sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))) or "none"
    raise ConfigError(f"no importer named {name!r} (registered: {known})")
