"""Plain-text papers: headings, paragraphs and tables aligned with tabs or spaces (see :mod:`.layout`)."""

from __future__ import annotations

from pathlib import Path

from crimeprev.check.document import Document, DocumentBuilder
from crimeprev.check.layout import add_text_blocks
from crimeprev.model.errors import InputError

__all__ = ["decode_text", "read_text"]


def decode_text(path: Path, data: bytes) -> str:
    """Text of a file saved by any common editor: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in data[:4096]:
        raise InputError(str(path), "this is a binary file, not text; save the report as .txt, .md, .docx or .pdf")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(path: Path) -> Document:
    """Read a plain-text report."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read the file ({e.strerror or e})") from e
    builder = DocumentBuilder(str(path))
    add_text_blocks(builder, decode_text(path, data).splitlines())
    return builder.build()
