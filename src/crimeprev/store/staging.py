"""The private folder an ingest writes its files into before it takes the store's write lock.

DuckDB lets one process write a store, or many read it, at a time. An ingest that held the
write lock while it parsed a large file kept every reader (``status``, ``insights``, the
dashboard) waiting for the whole run. Instead an ingest writes its partition files and
quarantined rows here, holding no lock on the store at all, and opens the store for writing only
to move the files into place and commit the catalog (see :mod:`.commit`).

Each ingest has its own folder under ``<store>.data/.staging/``, with a lock file it holds for as
long as it runs. The lock is released by the operating system whatever way the process ends, so
the next writer can tell a folder left by a killed ingest (lock free: removed) from one an ingest
is still writing (lock held: left alone).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import IO

from crimeprev.store.layout import data_dir

STAGING = ".staging"
_STALE_SECONDS = 3600


def staging_root(store: Path) -> Path:
    """The folder holding the staging folders of ``store``'s running ingests."""
    return data_dir(store) / STAGING


def _lock_file(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")


class Staging:
    """A staging folder, locked while open. Use as a context manager: the folder is removed on exit.

    The lock is a file beside the folder, created under a temporary name, locked, then renamed:
    a ``.lock`` file is therefore always locked from the moment it exists until its ingest ends,
    and a folder is only ever created after its lock.
    """

    def __init__(self, store: Path) -> None:
        self.folder = staging_root(store) / f"{os.getpid()}-{secrets.token_hex(4)}"
        self._lock: IO[bytes] | None = None

    def __enter__(self) -> Staging:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        pending = self.folder.with_name(self.folder.name + ".new")
        self._lock = pending.open("wb")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        pending.rename(_lock_file(self.folder))
        self.folder.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the folder and everything left in it (files the commit did not take), then the lock."""
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            _lock_file(self.folder).unlink(missing_ok=True)
            self._lock.close()
            self._lock = None


def _is_locked(lock_file: Path) -> bool:
    """Whether a running ingest holds ``lock_file``."""
    try:
        with lock_file.open("rb") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
            return False
    except FileNotFoundError:  # its ingest has just finished
        return False


def running_ingests(store: Path) -> list[Path]:
    """The staging folders of ingests running now."""
    root = staging_root(store)
    if not root.is_dir():
        return []
    return sorted(lock.with_suffix("") for lock in root.glob("*.lock") if _is_locked(lock))


def remove_abandoned(store: Path) -> None:
    """Remove what ingests that ended without cleaning up (killed) left in the staging folder.

    A folder whose lock is free, or gone, is abandoned (its lock was made before it and is removed
    after it). A ``.new`` lock still being set up is left alone unless it is old.
    """
    root = staging_root(store)
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.suffix == ".lock":
            if not _is_locked(path):
                shutil.rmtree(path.with_suffix(""), ignore_errors=True)
                path.unlink(missing_ok=True)
        elif path.suffix == ".new":
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > _STALE_SECONDS and not _is_locked(path):
                    path.unlink()
        elif path.is_dir() and not _lock_file(path).exists():
            shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(OSError):  # only when empty
        root.rmdir()
