"""Papers rendered on request: one at a time, in the background, each in a folder of its own.

Rendering a paper takes seconds to tens of seconds (the PDF's typesetting), so a request starts a
job and the page shows its progress until the files are ready to download. The paper is built from
the store and the tracker as they are when the job starts, through the same
:func:`~crimeprev.report.paper.produce_paper` the ``report`` command uses.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from crimeprev.model.errors import CrimeprevError
from crimeprev.report.paper import Paper

__all__ = ["PaperJob", "PaperJobs"]


@dataclass
class PaperJob:
    """One paper being made: who asked, for which month and formats, and how it went."""

    id: str
    as_of: str
    formats: str
    user: str
    started: datetime
    folder: Path
    stage: str = "waiting for the renderer"
    paper: Paper | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class PaperJobs:
    """The jobs of one app: a single worker thread renders them in turn."""

    def __init__(self, make: Callable[[PaperJob], Paper]) -> None:
        self._make = make
        self._jobs: dict[str, PaperJob] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paper")
        self._root = Path(tempfile.mkdtemp(prefix="crimeprev-papers-"))

    def start(self, as_of: str, formats: str, user: str) -> PaperJob:
        job_id = secrets.token_urlsafe(12)
        folder = self._root / job_id
        folder.mkdir()
        job = PaperJob(job_id, as_of, formats, user, datetime.now(UTC), folder)
        self._jobs[job_id] = job
        self._pool.submit(self._run, job)
        return job

    def _run(self, job: PaperJob) -> None:
        job.stage = "computing the indicators and rendering"
        try:
            job.paper = self._make(job)
            job.stage = "ready"
        except CrimeprevError as e:
            job.error, job.stage = str(e), "failed"
        except Exception as e:  # an unexpected failure is reported on the page, not lost in a thread
            job.error, job.stage = f"the paper could not be made ({type(e).__name__}: {e})", "failed"
        finally:
            job.done.set()

    def get(self, job_id: str) -> PaperJob | None:
        return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float) -> bool:
        """Block until the job ends (for tests and scripts); whether it did within ``timeout``."""
        job = self._jobs.get(job_id)
        return job is not None and job.done.wait(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._root, ignore_errors=True)
