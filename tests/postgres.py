"""A throwaway PostgreSQL server for the app-store tests: started by the test session, stopped after.

Uses the Debian PostgreSQL server binaries (``make test`` installs the ``postgresql`` package when it is
missing). The cluster lives in a temporary folder, listens on a Unix socket only, trusts its one local
user, and is removed when the session ends. Run as root (as CI does), the server runs as the
``postgres`` account, which PostgreSQL requires.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["postgres_server"]


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: make test installs the Debian package postgresql")
    return str(candidates[-1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield its SQLAlchemy URL (psycopg, Unix socket); stop and remove it after."""
    base = Path(tempfile.mkdtemp(prefix="crimeprev-pg-"))
    data, socket = base / "data", base / "socket"
    socket.mkdir()
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(socket, "postgres")
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(_bin("initdb"), "-D", str(data), "-U", "crimeprev", "-A", "trust", "--no-instructions")
        options = f"-k {socket} -c listen_addresses='' -p 54329 -c fsync=off"
        run(_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(base / "log"), "start")
        try:
            yield f"postgresql+psycopg://crimeprev@/postgres?host={socket}&port=54329"
        finally:
            run(_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)
