"""Ingest: run an importer over files and hand its batches to the store, all or nothing.

For every file: hash its bytes; if the dataset already holds an active release with that hash,
the file is unchanged and nothing is written (re-ingesting is idempotent); otherwise stream its
batches into a new release. The whole call is one store transaction: if any file cannot be read
as a whole (no header, wrong header, empty), or ``strict`` is set and a row was quarantined,
nothing at all is written and the previous state stays intact.
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
from crimeprev.store.warehouse import Warehouse

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
    warehouse: Warehouse,
    importer: Importer,
    paths: Sequence[Path],
    options: ImportOptions,
    *,
    now: datetime,
    strict: bool = False,
    replace: bool = False,
    on_progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``paths`` with ``importer`` into ``warehouse`` in one transaction.

    ``now`` stamps the release (``ingested_at``). With ``strict``, any quarantined row fails
    the whole ingest. Without ``replace``, a file that would shrink a month it covers by more
    than :data:`~crimeprev.store.release.SHRINK_LIMIT`, or that was loaded before and has since
    been superseded, fails the whole ingest. Raises :class:`InputError` (store unchanged) when
    a file cannot be ingested.
    """
    sources = importer.plan(paths, options)
    results: list[FileResult] = []
    with warehouse.transaction():
        for source in sources:
            results.append(_ingest_file(warehouse, importer, source, options, now, replace, on_progress))
        if strict:
            bad = [r for r in results if r.quarantined]
            if bad:
                raise InputError(
                    bad[0].path,
                    f"{bad[0].quarantined} row(s) would be quarantined and --strict is set: nothing was loaded "
                    "(run without --strict to load the good rows and see the reasons with crimeprev quarantine)",
                )
    return IngestReport(importer=importer.name, files=tuple(results))


def _ingest_file(
    warehouse: Warehouse,
    importer: Importer,
    source: SourceFile,
    options: ImportOptions,
    now: datetime,
    replace: bool,
    on_progress: Progress | None,
) -> FileResult:
    path = source.path
    size = path.stat().st_size
    digest = file_sha256(path)
    existing = warehouse.active_release(source.dataset, digest)
    if existing is not None:
        if on_progress:
            on_progress(source, size, size)
        return FileResult(str(path), source.dataset, "unchanged", existing, read=0)
    older = warehouse.superseded_release(source.dataset, digest)
    if older is not None and not replace:
        raise InputError(
            str(path),
            f"this file was loaded before (release {older[0]}) and has since been replaced by a newer version "
            f"(release {older[1]}). Nothing was loaded. To go back to this version, run the ingest again with "
            "--replace.",
        )
    writer = warehouse.begin_release(
        dataset=source.dataset,
        importer=importer.name,
        source_file=str(path),
        source_hash=digest,
        file_bytes=size,
        ingested_at=now,
        replace=replace,
    )
    read = 0
    for batch in prefetched(importer.read(source, options)):
        for table, rows in batch.tables.items():
            writer.append(table, rows)
        writer.quarantine(batch.rejected)
        read += batch.rows
        if on_progress:
            on_progress(source, batch.end_offset, size)
    redact = importer.quarantine_text(source, options)
    summary = writer.finish(read, lambda lines: {n: redact(text) for n, text in read_raw_lines(path, lines).items()})
    return FileResult(
        path=str(path),
        dataset=source.dataset,
        status="loaded",
        release_id=summary.release_id,
        read=read,
        loaded=summary.loaded,
        quarantined=summary.quarantined,
        replaced=summary.replaced,
    )
