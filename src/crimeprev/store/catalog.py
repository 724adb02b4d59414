"""What an ingest needs to know of the store before it writes, read in one short look.

An ingest reads the catalog once before it parses its files (which files are loaded already,
the next release number, each partition's latest vintage) and stamps its staged files with what
it read. It holds no lock while it parses, so another ingest may commit meanwhile: the commit
reads the catalog again and corrects whatever changed (see :mod:`.commit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import duckdb

from crimeprev.store.sql import run


@dataclass(frozen=True, slots=True)
class Release:
    """One row of the ``releases`` table, as far as an ingest needs it."""

    release_id: int
    dataset: str
    source_hash: str
    superseded_by: int | None


@dataclass(frozen=True, slots=True)
class Catalog:
    """The store's releases and its active partitions' vintages at one moment."""

    releases: tuple[Release, ...]
    vintages: Mapping[tuple[str, str, str, date], int]
    """``(table, dataset, force, month)`` → the latest active vintage."""

    @property
    def next_release(self) -> int:
        return max((r.release_id for r in self.releases), default=0) + 1

    def active_release(self, dataset: str, source_hash: str) -> int | None:
        """The active release of ``dataset`` loaded from a file with this content hash, if any."""
        found = [
            r.release_id
            for r in self.releases
            if r.dataset == dataset and r.source_hash == source_hash and r.superseded_by is None
        ]
        return max(found, default=None)

    def superseded_release(self, dataset: str, source_hash: str) -> tuple[int, int] | None:
        """``(release, superseded by)`` for the latest release of ``dataset`` loaded from a file with
        this content hash that a later release has replaced, if any."""
        latest = None
        for r in self.releases:  # in release order: the last one found is the latest
            if r.dataset == dataset and r.source_hash == source_hash and r.superseded_by is not None:
                latest = (r.release_id, r.superseded_by)
        return latest

    def vintage(self, table: str, dataset: str, force: str, month: date) -> int:
        """The latest active vintage of a partition (0 when the store has none)."""
        return self.vintages.get((table, dataset, force, month), 0)


def read_catalog(con: duckdb.DuckDBPyConnection) -> Catalog:
    """The catalog as ``con`` sees it now."""
    releases = tuple(
        Release(int(r[0]), str(r[1]), str(r[2]), None if r[3] is None else int(r[3]))
        for r in run(con, "SELECT release_id, dataset, source_hash, superseded_by FROM releases ORDER BY release_id")
    )
    vintages = {
        (str(r[0]), str(r[1]), str(r[2]), r[3]): int(r[4])
        for r in run(
            con,
            "SELECT table_name, dataset, force, recorded_month, max(vintage) FROM partitions "
            "WHERE superseded_by IS NULL GROUP BY ALL",
        )
    }
    return Catalog(releases, vintages)
