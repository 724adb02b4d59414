"""PDF renderer: the static HTML variant typeset by WeasyPrint (A4, marking, page numbers)."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from crimeprev.report.document import Document
from crimeprev.report.render_html import render_html


def render_pdf(document: Document, path: Path) -> Path:
    """Write the document as a PDF at ``path``."""
    HTML(string=render_html(document, interactive=False)).write_pdf(str(path))
    return path
