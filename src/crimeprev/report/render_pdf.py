"""PDF renderer: the static HTML variant typeset by WeasyPrint (A4, marking, page numbers)."""

from __future__ import annotations

from pathlib import Path

from crimeprev.report.chart_images import ChartImages
from crimeprev.report.document import Document
from crimeprev.report.render_html import render_html


def render_pdf(document: Document, path: Path, *, images: ChartImages | None = None) -> Path:
    """Write the document as a PDF at ``path`` (charts from ``images`` when given, else drawn)."""
    return typeset_pdf(render_html(document, interactive=False, images=images), path)


def typeset_pdf(static_html: str, path: Path) -> Path:
    """Typeset the static HTML as a PDF: the costly step, run on its own so a worker can take it."""
    from weasyprint import HTML  # loaded only when a PDF is asked for

    HTML(string=static_html).write_pdf(str(path))
    return path
