"""Writing a report in the formats asked for, each by its own renderer from one document.

Each chart is drawn once (:mod:`crimeprev.report.chart_images`) and the drawing shared by the
DOCX and the PDF. On a machine with more than one CPU, a report asked for in the PDF and another
format is written by two processes (:mod:`crimeprev.report.render_worker`): each lays out half
the charts, then the worker typesets the PDF (the slowest step) while this process writes the
DOCX and the HTML. The files are the same either way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crimeprev.model.errors import ConfigError
from crimeprev.report.document import Document

if TYPE_CHECKING:  # the renderers load their libraries when used
    from crimeprev.report.chart_images import ChartImages
    from crimeprev.report.render_worker import RenderWorker


def _docx(document: Document, path: Path, images: ChartImages | None) -> Path:
    from crimeprev.report.render_docx import render_docx

    return render_docx(document, path, images=images)


def _html(document: Document, path: Path, images: ChartImages | None) -> Path:
    from crimeprev.report.render_html import render_html

    path.write_text(render_html(document, interactive=True), encoding="utf-8")
    return path


def _pdf(document: Document, path: Path, images: ChartImages | None) -> Path:
    from crimeprev.report.render_pdf import render_pdf

    return render_pdf(document, path, images=images)


# Renderers are imported when used: a DOCX-only run never loads WeasyPrint.
RENDERERS: dict[str, Callable[[Document, Path, ChartImages | None], Path]] = {
    "docx": _docx,
    "html": _html,
    "pdf": _pdf,
}


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown or not formats:
        raise ConfigError(f"--format: unknown format(s) {unknown}; choose from {', '.join(RENDERERS)}")
    return formats


def report_stem(document: Document) -> str:
    """A file name from the title: ``crime-prevention-strategy-report-q3-q4``."""
    return re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-") or "report"


def available_cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def wants_worker(formats: Sequence[str]) -> bool:
    """Whether writing ``formats`` gains from the worker process: the PDF and another format, two CPUs."""
    return available_cpus() > 1 and "pdf" in formats and len(set(formats)) > 1


def write_report(
    document: Document,
    out_dir: Path,
    formats: Sequence[str],
    *,
    worker: RenderWorker | None = None,
    parallel: bool | None = None,
) -> dict[str, Path]:
    """Render ``document`` into ``out_dir`` in each of ``formats``; returns the paths.

    With a ``worker`` (see :func:`~crimeprev.report.render_worker.start_render_worker`; started
    here when ``parallel`` is true, or when it is None and :func:`wants_worker` says so) the work
    is shared between two processes; the files are the same.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report_stem(document)
    paths = {fmt: out_dir / f"{stem}.{fmt}" for fmt in formats}
    if parallel is None:
        parallel = worker is not None or wants_worker(formats)
    if "pdf" in paths and parallel:
        if worker is not None:
            return _write_with_worker(document, paths, worker)
        from crimeprev.report.render_worker import start_render_worker

        with start_render_worker() as started:
            return _write_with_worker(document, paths, started)
    images = None
    if "docx" in paths or "pdf" in paths:
        from crimeprev.report.chart_images import draw_charts

        images = draw_charts(_specs(document), png="docx" in paths)
    return {fmt: RENDERERS[fmt](document, path, images) for fmt, path in paths.items()}


def _specs(document: Document) -> list[tuple[str, dict[str, Any]]]:
    return [(c.chart_id, c.spec) for c in document.charts()]


def _write_with_worker(document: Document, paths: dict[str, Path], worker: RenderWorker) -> dict[str, Path]:
    """The worker lays out half the charts while this process lays out the other half; the worker
    then typesets the PDF (the longest step) while this process rasterises the DOCX's images and
    writes the DOCX and the HTML (with the Vega bundle the worker built while it waited)."""
    from crimeprev.report.chart_images import ChartImage, draw_charts
    from crimeprev.report.render_html import render_html

    charts = _specs(document)
    bundle = None
    if "html" in paths:
        worker.submit("vega_bundle")
        bundle = worker.result()
    worker.submit("draw_svgs", charts[1::2])
    mine = draw_charts(charts[0::2], png=False)
    theirs = worker.result()
    svgs = {**{k: v.svg for k, v in mine.items()}, **theirs}
    images = {chart_id: ChartImage(svgs[chart_id]) for chart_id, _ in charts}
    worker.submit("typeset_pdf", render_html(document, interactive=False, images=images), paths["pdf"])
    if "docx" in paths:
        from crimeprev.report.chart_images import rasterise

        images = {chart_id: ChartImage(image.svg, rasterise(image.svg)) for chart_id, image in images.items()}
    if "docx" in paths:
        RENDERERS["docx"](document, paths["docx"], images)
    if "html" in paths:
        paths["html"].write_text(render_html(document, interactive=True, bundle=bundle), encoding="utf-8")
    worker.result()
    return paths
