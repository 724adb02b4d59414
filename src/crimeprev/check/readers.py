"""The document readers, chosen by file suffix, registered in one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from crimeprev.check.document import Document
from crimeprev.check.read_docx import read_docx
from crimeprev.check.read_html import read_html
from crimeprev.check.read_markdown import read_markdown
from crimeprev.check.read_pdf import read_pdf
from crimeprev.check.read_text import read_text
from crimeprev.model.errors import InputError

__all__ = ["READERS", "read_document"]

Reader = Callable[[Path], Document]

READERS: Final[dict[str, Reader]] = {
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
}


def read_document(path: Path) -> Document:
    """Read ``path`` with the reader for its suffix; :class:`InputError` if it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(str(path), f"cannot check a {path.suffix or 'suffix-less'} file; use one of {known}")
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a folder, not a report file")
    return reader(path)
