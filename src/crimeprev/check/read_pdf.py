"""PDF reports, through ``pdftotext -layout`` (Debian package poppler-utils).

``-layout`` keeps each page's columns as runs of spaces, so a page is read like a plain-text page (see
:mod:`.layout`) with its page number on every block. Running heads and footers (a line repeated at
the top or bottom of most pages, "Page 3 of 12") are dropped, and a table whose header is repeated
at the top of the next page continues the table of the previous page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from crimeprev.check.document import Document, DocumentBuilder
from crimeprev.check.layout import HeadingLevels, add_text_blocks
from crimeprev.model.errors import InputError

__all__ = ["pdf_pages", "read_pdf"]

_PAGE_NUMBER = re.compile(r"(?:^|\|)\s*(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.IGNORECASE)
PDFTOTEXT = "pdftotext"


def pdf_pages(path: Path) -> list[list[str]]:
    """The text lines of each page of ``path``, as ``pdftotext -layout`` lays them out."""
    exe = shutil.which(PDFTOTEXT)
    if exe is None:
        raise InputError(
            str(path), "reading PDF needs pdftotext; install it (Debian/Ubuntu: apt-get install poppler-utils)"
        )
    try:
        done = subprocess.run(
            [exe, "-layout", "-enc", "UTF-8", "-eol", "unix", str(path), "-"],
            capture_output=True,
            check=False,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise InputError(str(path), f"pdftotext failed ({e})") from e
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise InputError(str(path), f"not a readable PDF ({reason[-1] if reason else 'pdftotext failed'})")
    text = done.stdout.decode("utf-8", errors="replace")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [page.splitlines() for page in pages]


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages."""

    def edges(lines: list[str]) -> list[str]:
        content = [x.strip() for x in lines if x.strip()]
        return content[:2] + content[-2:]

    counts = Counter(line for page in pages for line in set(edges(page)))
    least = max(2, -(-len(pages) * 2 // 3))  # on two thirds of the pages, and on two at least
    running = {line for line, n in counts.items() if n >= least}
    cleaned: list[list[str]] = []
    for page in pages:
        content = [i for i, x in enumerate(page) if x.strip()]
        edge = set(content[:2] + content[-2:])
        cleaned.append(
            [
                "" if i in edge and (page[i].strip() in running or _PAGE_NUMBER.match(page[i])) else line
                for i, line in enumerate(page)
            ]
        )
    return cleaned


def read_pdf(path: Path) -> Document:
    """Read a PDF report; every block knows its page."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    builder = DocumentBuilder(str(path))
    headings = HeadingLevels()
    for number, lines in enumerate(_strip_running_lines(pdf_pages(path)), start=1):
        add_text_blocks(builder, lines, page=number, continue_table=number > 1, headings=headings)
    return builder.build()
