"""Writing a report in the formats asked for, each by its own renderer from one document."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from crimeprev.model.errors import ConfigError
from crimeprev.report.document import Document


def _docx(document: Document, path: Path) -> Path:
    from crimeprev.report.render_docx import render_docx

    return render_docx(document, path)


def _html(document: Document, path: Path) -> Path:
    from crimeprev.report.render_html import render_html

    path.write_text(render_html(document, interactive=True), encoding="utf-8")
    return path


def _pdf(document: Document, path: Path) -> Path:
    from crimeprev.report.render_pdf import render_pdf

    return render_pdf(document, path)


# Renderers are imported when used: a DOCX-only run never loads WeasyPrint.
RENDERERS: dict[str, Callable[[Document, Path], Path]] = {"docx": _docx, "html": _html, "pdf": _pdf}


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown or not formats:
        raise ConfigError(f"--format: unknown format(s) {unknown}; choose from {', '.join(RENDERERS)}")
    return formats


def report_stem(document: Document) -> str:
    """A file name from the title: ``crime-prevention-strategy-report-q3-q4``."""
    return re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-") or "report"


def write_report(document: Document, out_dir: Path, formats: Sequence[str]) -> dict[str, Path]:
    """Render ``document`` into ``out_dir`` in each of ``formats``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report_stem(document)
    return {fmt: RENDERERS[fmt](document, out_dir / f"{stem}.{fmt}") for fmt in formats}
