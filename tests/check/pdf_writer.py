"""A minimal PDF writer for tests: pages of monospaced text lines (Courier, a standard PDF font).

Enough to make real PDF files for the PDF reader without a PDF library: each line is drawn where it
would stand in a text layout, so ``pdftotext -layout`` gives the columns back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FONT_SIZE = 8
LEADING = 11
WIDTH, HEIGHT = 842, 595  # A4 landscape, in points
MARGIN = 36


def _escape(text: str) -> bytes:
    data = text.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def write_pdf(path: Path, pages: Sequence[Sequence[str]]) -> None:
    """Write ``pages`` (lists of text lines) as a PDF at ``path``."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    for page_id, lines in zip(page_ids, pages, strict=True):
        stream = bytearray(f"BT /F1 {FONT_SIZE} Tf {LEADING} TL {MARGIN} {HEIGHT - MARGIN} Td\n".encode())
        for line in lines:
            stream += b"(" + _escape(line) + b") Tj T*\n"
        stream += b"ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + bytes(stream) + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
