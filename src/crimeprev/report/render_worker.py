"""A second process for the report's costly, independent steps: drawing charts and typesetting the PDF.

Python runs one thread of Python at a time, and both the chart engine and WeasyPrint hold it, so a
report uses a second CPU only through a second process. The worker is a plain
``python -m crimeprev.report.render_worker`` child that reads jobs from its standard input and
writes results to its standard output (pickled; the child is our own). Unlike
:mod:`multiprocessing`'s spawn, it never re-imports the caller's main module, so a user's script
or notebook without a ``__main__`` guard works too.

Started early (:func:`start_render_worker`), the worker loads the chart engine and WeasyPrint
while the caller is still computing the indicators.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from crimeprev.model.errors import OutputError


def _draw_svgs(charts: list[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    from crimeprev.report.chart_images import draw_charts

    return {chart_id: image.svg for chart_id, image in draw_charts(charts, png=False).items()}


def _typeset_pdf(static_html: str, path: Path) -> Path:
    from crimeprev.report.render_pdf import typeset_pdf

    return typeset_pdf(static_html, path)


def _vega_bundle() -> str:
    from crimeprev.report.chart_images import vega_bundle

    return vega_bundle()


def _warm_up() -> None:
    """Load the chart engine and WeasyPrint, lay out one tiny chart and build the Vega libraries'
    bundle (about a second) before the real jobs come."""
    import weasyprint  # noqa: F401

    from crimeprev.report.chart_images import draw_chart

    draw_chart({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}}, png=False)
    _vega_bundle()


JOBS: dict[str, Callable[..., Any]] = {
    "draw_svgs": _draw_svgs,
    "typeset_pdf": _typeset_pdf,
    "vega_bundle": _vega_bundle,
}


class RenderWorker:
    """The parent's handle on the worker: submit a job, do other work, then collect its result.

    Jobs run one at a time in the order submitted; collect each result before submitting the
    next job (the pipes are the only queue).
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "crimeprev.report.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._pending = 0

    def submit(self, job: str, *args: Any) -> None:
        if job not in JOBS:
            raise ValueError(f"unknown render job {job!r}")
        if self._pending:
            raise RuntimeError("collect the previous job's result before submitting another")
        stdin = self._pipe(self._process.stdin)
        try:
            pickle.dump((job, args), stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.flush()
        except BrokenPipeError:
            raise self._ended() from None
        self._pending = 1

    def result(self) -> Any:
        if not self._pending:
            raise RuntimeError("no job was submitted")
        self._pending = 0
        try:
            status, value = pickle.load(self._pipe(self._process.stdout))
        except EOFError:
            raise self._ended() from None
        if status == "error":
            raise value
        return value

    def _ended(self) -> OutputError:
        return OutputError(f"the report's worker process ended (exit status {self._process.wait()})")

    def close(self) -> None:
        """Tell the worker to stop (end of input) and wait for it; kill it if it does not stop."""
        if self._process.stdin and not self._process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):  # it has gone already
                self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout:
            self._process.stdout.close()

    def _pipe(self, pipe: IO[bytes] | None) -> IO[bytes]:
        assert pipe is not None
        return pipe

    def __enter__(self) -> RenderWorker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None:  # the caller failed: do not wait for a PDF nobody will use
            self._process.kill()
        self.close()


def start_render_worker() -> RenderWorker:
    """Start the worker now, so that it has loaded its libraries by the time the report is built."""
    return RenderWorker()


def _serve() -> None:
    """The worker's loop: one pickled job in, one pickled ``(status, value)`` out, until end of input."""
    jobs_in, results_out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the result stream
    _warm_up()
    while True:
        try:
            job, args = pickle.load(jobs_in)
        except EOFError:  # the parent is done: every result is written and flushed, nothing to tidy
            sys.stderr.flush()
            os._exit(0)  # skip the interpreter's teardown of WeasyPrint and the chart engine (~0.3 s)
        try:
            reply: tuple[str, Any] = ("ok", JOBS[job](*args))
        except Exception as e:
            reply = ("error", e)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # an exception that cannot be pickled
            data = pickle.dumps(("error", OutputError(f"{type(e).__name__}: {reply[1]}")))
        results_out.write(data)
        results_out.flush()


if __name__ == "__main__":
    _serve()
