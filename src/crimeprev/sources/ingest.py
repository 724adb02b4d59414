"""Ingest: run an importer over files and hand its batches to the store, all or nothing.

For every file: hash its bytes; if the dataset already holds an active release with that hash,
the file is unchanged and nothing is written (re-ingesting is idempotent); otherwise stream its
batches into a new release, staged in a private folder while the store stays open to readers
and other ingests. Then one short store transaction commits every staged release: if any file
cannot be read as a whole (no header, wrong header, empty), or ``strict`` is set and a row was
quarantined, nothing at all is written and the previous state stays intact.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from crimeprev.model.errors import InputError
from crimeprev.sources.registry import Importer, ImportOptions, SourceFile
from crimeprev.store.catalog import Catalog
from crimeprev.store.release import RawLines, ReleaseSource, ReleaseWriter, StagedRelease
from crimeprev.store.staging import Staging
from crimeprev.store.warehouse import Warehouse, write_failure

T = TypeVar("T")
Progress = Callable[[SourceFile, int, int], None]
"""Called with the file, bytes read so far and the file's size."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """The reconciliation of one file: ``read == loaded + quarantined``."""

    path: str
    dataset: str
    status: str  # "loaded" or "unchanged"
    release_id: int
    read: int
    loaded: Mapping[str, int] = field(default_factory=dict)
    quarantined: int = 0
    replaced: Mapping[str, int] = field(default_factory=dict)

    @property
    def rows_loaded(self) -> int:
        return sum(self.loaded.values())


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What an ingest did, file by file."""

    importer: str
    files: tuple[FileResult, ...]

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_raw_lines(path: Path, lines: Sequence[int]) -> dict[int, str]:
    """The text of the given (1-based) lines of ``path``, for quarantine records."""
    wanted = set(lines)
    found: dict[int, str] = {}
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if number in wanted:
                found[number] = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
                if len(found) == len(wanted):
                    break
    return found


def prefetched(batches: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Iterate ``batches`` produced by a background thread, ``depth`` ahead.

    Parsing (Arrow) and writing (DuckDB) both release the GIL, so reading the next batch while
    the store writes this one uses both cores. An error in the producer is raised here; if the
    consumer stops early the producer is told to stop.
    """
    buffer: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(kind: str, value: Any) -> bool:
        """Hand an item over, unless the consumer has stopped (then nobody will ever take it)."""
        while not stop.is_set():
            try:
                buffer.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in batches:
                if not offer("item", item):
                    return
            offer("done", None)
        except BaseException as error:  # handed to the consumer, which raises it
            offer("error", error)

    worker = threading.Thread(target=produce, name="crimeprev-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = buffer.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join()


def ingest(
    store: Path,
    importer: Importer,
    paths: Sequence[Path],
    options: ImportOptions,
    *,
    now: datetime,
    strict: bool = False,
    replace: bool = False,
    on_progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``paths`` with ``importer`` into the store at ``store`` (created if absent), all or nothing.

    ``now`` stamps the release (``ingested_at``). With ``strict``, any quarantined row fails
    the whole ingest. Without ``replace``, a file that would shrink a month it covers by more
    than :data:`~crimeprev.store.commit.SHRINK_LIMIT`, or that was loaded before and has since
    been superseded, fails the whole ingest. Raises :class:`InputError` (store unchanged) when
    a file cannot be ingested.

    The store is read once, briefly, before the files are parsed, and written once, briefly,
    after: while the files are parsed other commands can read it (and other ingests stage).
    """
    sources = importer.plan(paths, options)
    with Warehouse.open(store, read_only=store.exists()) as warehouse:
        catalog = warehouse.catalog()
    try:
        with Staging(store) as staging:
            planned = _stage(staging, catalog, importer, sources, options, now, replace, on_progress)
            with Warehouse.open(store) as warehouse, warehouse.transaction():
                results = [_commit(warehouse, item, replace) for item in planned]
                bad = [r for r in results if r.quarantined]
                if strict and bad:
                    raise InputError(
                        bad[0].path,
                        f"{bad[0].quarantined} row(s) would be quarantined and --strict is set: nothing was loaded "
                        "(run without --strict to load the good rows and see the reasons with crimeprev quarantine)",
                    )
    except BaseException as error:  # a full disk or an interrupt while staging, reported as the transaction does
        reported = write_failure(error, store)
        if reported is error:
            raise
        raise reported from error
    return IngestReport(importer=importer.name, files=tuple(results))


@dataclass(frozen=True, slots=True)
class _Planned:
    """A file after staging: unchanged (already loaded), or a staged release to commit."""

    source: SourceFile
    digest: str
    staged: StagedRelease | None
    unchanged_release: int | None = None


def _stage(
    staging: Staging,
    catalog: Catalog,
    importer: Importer,
    sources: Sequence[SourceFile],
    options: ImportOptions,
    now: datetime,
    replace: bool,
    on_progress: Progress | None,
) -> list[_Planned]:
    """Read every file into the staging folder (no lock on the store is held meanwhile)."""
    planned: list[_Planned] = []
    next_release = catalog.next_release
    for source in sources:
        path = source.path
        size = path.stat().st_size
        digest = file_sha256(path)
        existing = catalog.active_release(source.dataset, digest)
        if existing is not None:
            if on_progress:
                on_progress(source, size, size)
            planned.append(_Planned(source, digest, None, existing))
            continue
        _refuse_older(catalog, source, digest, replace)
        release = ReleaseSource(source.dataset, importer.name, str(path), digest, size, now)
        writer = ReleaseWriter(staging.folder, release, release_id=next_release, catalog=catalog, replace=replace)
        next_release += 1
        try:
            read = 0
            for batch in prefetched(importer.read(source, options)):
                for table, rows in batch.tables.items():
                    writer.append(table, rows)
                writer.quarantine(batch.rejected)
                read += batch.rows
                if on_progress:
                    on_progress(source, batch.end_offset, size)
            staged = writer.close(read, _quarantine_lines(path, importer.quarantine_text(source, options)))
        except BaseException:
            writer.abandon()
            raise
        planned.append(_Planned(source, digest, staged))
    return planned


def _quarantine_lines(path: Path, redact: Callable[[str], str]) -> RawLines:
    """Fetches given lines of ``path`` as quarantine keeps them (personal data redacted)."""
    return lambda lines: {n: redact(text) for n, text in read_raw_lines(path, lines).items()}


def _refuse_older(catalog: Catalog, source: SourceFile, digest: str, replace: bool) -> None:
    older = catalog.superseded_release(source.dataset, digest)
    if older is not None and not replace:
        raise InputError(
            str(source.path),
            f"this file was loaded before (release {older[0]}) and has since been replaced by a newer version "
            f"(release {older[1]}). Nothing was loaded. To go back to this version, run the ingest again with "
            "--replace.",
        )


def _commit(warehouse: Warehouse, planned: _Planned, replace: bool) -> FileResult:
    """Land one staged file, checking again what another ingest may have done while it was staged."""
    source = planned.source
    catalog = warehouse.catalog()
    existing = catalog.active_release(source.dataset, planned.digest)
    if planned.staged is None or existing is not None:  # loaded before, or by another ingest meanwhile
        release = existing if existing is not None else planned.unchanged_release
        return FileResult(str(source.path), source.dataset, "unchanged", int(release or 0), read=0)
    _refuse_older(catalog, source, planned.digest, replace)
    summary = warehouse.commit_release(planned.staged)
    return FileResult(
        path=str(source.path),
        dataset=source.dataset,
        status="loaded",
        release_id=summary.release_id,
        read=planned.staged.rows_read,
        loaded=summary.loaded,
        quarantined=summary.quarantined,
        replaced=summary.replaced,
    )
