"""Papers rendered on request: in the background, each in a folder of its own, followed in the app store.

Rendering a paper takes seconds to tens of seconds (the PDF's typesetting), so a request starts a
job and the page shows its progress until the files are ready to download. The paper is built from
the store and the tracker as they are when the job starts, through the same
:func:`~crimeprev.report.paper.produce_paper` the ``report`` command uses.

The job is made by the worker process that was asked (one at a time per process), but its progress
and files are kept in the app store and a folder the workers share, so whichever worker serves the
next request can show them. A job whose process stopped before it finished would show "being made"
for ever: one older than :data:`ABANDONED` without an end is reported as failed.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crimeprev.model.errors import CrimeprevError
from crimeprev.report.paper import Paper
from crimeprev.store.app_store import AppStore, PaperJob

__all__ = ["ABANDONED", "PaperJobs"]

ABANDONED = timedelta(hours=1)  # far longer than any paper takes: its worker has stopped


class PaperJobs:
    """Paper jobs: started here, made by one thread of this process in turn, followed in ``store``.

    ``root`` is the folder the papers are written under (shared by the workers); without one, a
    temporary folder of this process, removed on :meth:`close`.
    """

    def __init__(self, store: AppStore, make: Callable[[PaperJob, Path], Paper], root: Path | None = None) -> None:
        self._store = store
        self._make = make
        self._own_root = root is None
        self._root = Path(tempfile.mkdtemp(prefix="crimeprev-papers-")) if root is None else root
        self._root.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paper")
        self._running: dict[str, Future[None]] = {}

    def start(self, as_of: str, formats: str, user: str) -> PaperJob:
        job = PaperJob(secrets.token_urlsafe(12), user, as_of, formats, datetime.now(UTC), "waiting for the renderer")
        self._store.add_paper_job(job)
        self._running[job.id] = self._pool.submit(self._run, job)
        return job

    def folder(self, job_id: str) -> Path:
        return self._root / job_id

    def _run(self, job: PaperJob) -> None:
        try:
            job = replace(job, stage="computing the indicators and rendering")
            self._store.update_paper_job(job)
            folder = self.folder(job.id)
            folder.mkdir()
            paper = self._make(job, folder)
            files = {fmt: str(path) for fmt, path in paper.files.items()}
            job = replace(job, stage="ready", files=files, warnings=paper.warnings)
        except CrimeprevError as e:
            job = replace(job, stage="failed", error=str(e))
        except Exception as e:  # an unexpected failure is reported on the page, not lost in a thread
            job = replace(job, stage="failed", error=f"the paper could not be made ({type(e).__name__}: {e})")
        self._store.update_paper_job(replace(job, finished=datetime.now(UTC)))

    def get(self, job_id: str) -> PaperJob | None:
        job = self._store.paper_job(job_id)
        if job is not None and not job.done and datetime.now(UTC) - job.started > ABANDONED:
            error = "the paper was not finished: the app stopped while making it; ask for it again"
            return replace(job, stage="failed", error=error, finished=job.started + ABANDONED)
        return job

    def wait(self, job_id: str, timeout: float) -> bool:
        """Block until a job this process is making ends (for tests and scripts); whether it did."""
        running = self._running.get(job_id)
        if running is None:
            return False
        try:
            running.result(timeout)
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        """Stop: the paper being made is finished, those waiting are marked failed (not left waiting)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for job_id, running in self._running.items():
            job = self._store.paper_job(job_id)
            if running.cancelled() and job is not None and not job.done:
                error = "the app stopped before making the paper; ask for it again"
                self._store.update_paper_job(replace(job, stage="failed", error=error, finished=datetime.now(UTC)))
        if self._own_root:
            shutil.rmtree(self._root, ignore_errors=True)
