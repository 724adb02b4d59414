"""The DuckDB warehouse: the only place that opens the store's database and writes to it.

DuckDB allows one writing process per database file, or many reading ones. :class:`Warehouse`
owns that connection. An ingest parses its files without it, into a staging folder (see
:mod:`.staging`), and opens the store for writing only to commit what it staged: each release
lands through a :class:`~crimeprev.store.commit.ReleaseCommit` inside
:meth:`Warehouse.transaction`, so an ingest that fails part-way is rolled back whole and the
store is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from crimeprev.model.errors import StoreError
from crimeprev.model.schema import TABLES_BY_NAME
from crimeprev.store.layout import FILE_BACKED, data_dir, view_sql
from crimeprev.store.migrations import LATEST_VERSION, MIGRATIONS
from crimeprev.store.sql import DUCKDB_CONFIG, run
from crimeprev.store.staging import STAGING, remove_abandoned

if TYPE_CHECKING:  # Ibis and the release commit (pyarrow) load when a command needs them, not at start-up
    import ibis
    import pyarrow as pa

    from crimeprev.store.catalog import Catalog
    from crimeprev.store.commit import ReleaseCommit, ReleaseSummary
    from crimeprev.store.release import StagedRelease

STORE_ENV = "CRIMEPREV_STORE"
DEFAULT_STORE = Path("crimeprev.duckdb")

MEMORY_ENV = "CRIMEPREV_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1GB"


def duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    """Connection settings: no extension downloads, and a memory limit beyond which DuckDB spills
    to disk (``$CRIMEPREV_MEMORY_LIMIT``, default 1GB) so that national volumes fit small machines."""
    return {**DUCKDB_CONFIG, "memory_limit": os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_LIMIT)}


LOCK_WAIT_ENV = "CRIMEPREV_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 60.0
"""Seconds a command waits for the store while another process is writing it, before giving up."""


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect to the store, waiting (with growing pauses) while another process holds it.

    DuckDB lets one process write a file, or many read it, at a time. A reader that arrives during
    an ingest, or a second ingest, waits for the first to finish instead of failing at once.
    """
    wait = float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT))
    deadline = time.monotonic() + wait
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=duckdb_config())
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise StoreError(f"cannot open the store {path}: {e}") from None
            if time.monotonic() + pause > deadline:
                raise StoreError(
                    f"the store {path} is busy: another crimeprev process has been writing it for more than "
                    f"{wait:g} s (${LOCK_WAIT_ENV}); try again when it has finished"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        except duckdb.Error as e:
            raise StoreError(f"{path} is not a crimeprev store: {e}") from None


def remove_new_store(path: Path) -> None:
    """Remove a store that an ingest created and that then failed: nothing of it is left behind,
    not even an empty file that ``status`` would take for a store."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if data_dir(path).is_dir():
        shutil.rmtree(data_dir(path), ignore_errors=True)


def resolve_store_path(option: Path | None) -> Path:
    """The store path: the ``--store`` option, else ``$CRIMEPREV_STORE``, else the default."""
    if option is not None:
        return option
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else DEFAULT_STORE


class Warehouse:
    """An open store. Use :meth:`open` and close it (or use it as a context manager)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
        self._con = connection
        self.path = path
        self.read_only = read_only
        self.data_dir = data_dir(path)
        self._commits: list[ReleaseCommit] = []
        self._in_transaction = False

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Warehouse:
        """Open (creating and migrating if needed) the store at ``path``.

        A read-only open of a store that does not exist raises :class:`StoreError`. A read-only
        open of a store written by an older crimeprev upgrades it first, in a short write, so that
        reading commands keep working after crimeprev is updated.
        """
        if read_only and not path.exists():
            raise StoreError(f"no store at {path}: load data first (crimeprev ingest ... or crimeprev demo)")
        con = _connect(path, read_only=read_only)
        warehouse = cls(con, path, read_only=read_only)
        try:
            if read_only and 0 < warehouse.schema_version < LATEST_VERSION:
                con.close()
                cls.open(path).close()
                return cls.open(path, read_only=True)
            warehouse._migrate()
            if not read_only:
                warehouse._remove_orphan_files()
            warehouse.refresh_views()
        except BaseException as error:
            con.close()
            if _interrupted(error):
                raise KeyboardInterrupt from error
            if read_only:
                raise
            reported = write_failure(error, path)
            if reported is error:
                raise
            raise reported from error
        return warehouse

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    @property
    def schema_version(self) -> int:
        if not self._has_table("schema_migrations"):
            return 0
        row = run(self._con, "SELECT max(version) FROM schema_migrations")[0]
        return int(row[0]) if row and row[0] is not None else 0

    def _has_table(self, name: str) -> bool:
        row = run(self._con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])[0]
        return bool(row and row[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > LATEST_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this crimeprev "
                f"({LATEST_VERSION}): upgrade crimeprev"
            )
        if version == LATEST_VERSION:
            return
        if self.read_only:
            raise StoreError(
                f"{self.path} needs upgrading to schema version {LATEST_VERSION}: open it for writing once"
            )
        for step in MIGRATIONS:
            if step.version <= version:
                continue
            run(self._con, "BEGIN TRANSACTION")
            try:
                run(
                    self._con,
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)",
                )
                for statement in step.statements():
                    run(self._con, statement)
                run(
                    self._con,
                    "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                    [step.version, step.description],
                )
                run(self._con, "COMMIT")
            except BaseException:
                run(self._con, "ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all.

        Partition files written inside are deleted again on rollback; files of partitions that
        the transaction superseded are deleted once it has committed.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        self._commits = []
        run(self._con, "BEGIN TRANSACTION")
        self._in_transaction = True
        committing = False
        try:
            yield
            committing = True
            run(self._con, "COMMIT")
        except BaseException as error:
            self._in_transaction = False
            if committing and self._landed():
                # The commit landed and the failure came after it (an interrupt as COMMIT returned):
                # the new files are the store's now. Finish as a commit does, then report the error.
                self._remove_obsolete_files()
                with contextlib.suppress(duckdb.Error):
                    self.refresh_views()
                raise
            self._roll_back()
            reported = write_failure(error, self.path)
            if reported is error:
                raise
            raise reported from error
        self._in_transaction = False
        landed = bool(self._commits)
        self._remove_obsolete_files()
        if landed:
            self.refresh_views()  # once for the whole transaction: its commits leave the views behind

    def _landed(self) -> bool:
        """After a failure during COMMIT: did the commit land? (Its releases are in the catalog.)

        When it cannot be told, the answer is yes: the files are kept, because a file of a
        transaction that did not commit is only an orphan that the next writer removes, while
        deleting a committed one would lose data.
        """
        with contextlib.suppress(duckdb.Error):  # ends a failed commit's transaction; fails if none is open
            run(self._con, "ROLLBACK")
        ids = [c.release_id for c in self._commits]
        if not ids:
            return False
        try:
            marks = ", ".join("?" for _ in ids)
            found = run(self._con, f"SELECT count(*) FROM releases WHERE release_id IN ({marks})", ids)[0][0]
        except duckdb.Error:
            return True
        return bool(found)

    def _remove_obsolete_files(self) -> None:
        for commit in self._commits:
            for path in commit.obsolete_files:
                path.unlink(missing_ok=True)
        self._commits = []

    def _roll_back(self) -> None:
        """Undo an unfinished transaction: the catalog rolls back and its new files are deleted at once
        (not left for the next write-open to find)."""
        with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already rolled back
            run(self._con, "ROLLBACK")
        for commit in self._commits:
            for path in commit.created_files:
                path.unlink(missing_ok=True)
                with contextlib.suppress(OSError):  # the release's folder, if nothing else is in it
                    path.parent.rmdir()
        self._commits = []
        with contextlib.suppress(duckdb.Error):
            self.refresh_views()

    def refresh_views(self) -> None:
        """Point the file-backed tables' views at the active partition files."""
        for name in FILE_BACKED:
            rows = run(
                self._con,
                "SELECT path FROM partitions WHERE table_name = ? AND superseded_by IS NULL ORDER BY path",
                [name],
            )
            run(self._con, view_sql(TABLES_BY_NAME[name], [self.data_dir / r[0] for r in rows]))

    def _remove_orphan_files(self) -> None:
        """Delete partition files no active partition lists (left by a crash or a superseded release),
        and staging folders of ingests that were killed (those of running ingests are theirs)."""
        if not self.data_dir.exists():
            return
        remove_abandoned(self.path)
        active = {r[0] for r in run(self._con, "SELECT path FROM partitions WHERE superseded_by IS NULL")}
        for path in self.data_dir.rglob("*.parquet"):
            relative = path.relative_to(self.data_dir)
            if relative.parts[0] != STAGING and relative.as_posix() not in active:
                path.unlink()

    def catalog(self) -> Catalog:
        """The releases and partition vintages as this connection sees them now."""
        from crimeprev.store.catalog import read_catalog

        return read_catalog(self._con)

    def commit_release(self, staged: StagedRelease) -> ReleaseSummary:
        """Land a staged release in the store; call inside :meth:`transaction`."""
        from crimeprev.store.commit import ReleaseCommit

        if not self._in_transaction:
            raise StoreError("a release can only be committed inside a transaction")
        row = run(self._con, "SELECT coalesce(max(release_id), 0) + 1 FROM releases")[0]  # earlier commits included
        commit = ReleaseCommit(
            self._con,
            staged,
            data_dir=self.data_dir,
            release_id=int(row[0]),
            on_views_changed=self.refresh_views,
        )
        self._commits.append(commit)
        return commit.run()

    def ibis(self) -> ibis.BaseBackend:
        """An Ibis backend on this store's connection (tables and views as they are now)."""
        import ibis

        return ibis.duckdb.from_connection(self._con)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read query and return its rows."""
        return run(self._con, sql, list(params))

    def arrow(self, sql: str) -> pa.Table:
        """Run a read query and return its rows as an Arrow table (column types kept: dates stay dates)."""
        return self._con.sql(sql).to_arrow_table()


def write_failure(error: BaseException, store: Path) -> BaseException:
    """The error to report for a failure while writing ``store`` (after everything was undone).

    DuckDB's own report of a Ctrl-C during a query is an interrupt like any other; a full disk or
    a folder that may not be written is a :class:`StoreError` in one line; anything else is
    reported as it is.
    """
    if _interrupted(error):
        return KeyboardInterrupt()
    if isinstance(error, OSError | duckdb.Error):
        return StoreError(f"nothing was written to the store {store}: {_describe(error)}")
    return error


def _interrupted(error: BaseException) -> bool:
    """Whether ``error`` is DuckDB's report of a Ctrl-C during a query."""
    return isinstance(error, duckdb.InterruptException) or (
        isinstance(error, RuntimeError) and "interrupted" in str(error).lower()
    )


def _describe(error: BaseException) -> str:
    """A store-writing failure in one line: what happened and, where known, to which file."""
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return f"the disk is full ({error.filename or 'writing the store'}); free some space and run it again"
        return f"{error.strerror or error} ({error.filename})" if error.filename else str(error)
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if "No space left" in str(error) or "Failed to commit" in str(error):
        return f"the store could not be saved ({text}); free some disk space and run it again"
    return text
