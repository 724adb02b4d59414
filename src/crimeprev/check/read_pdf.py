"""PDF reports, through ``pdftotext -layout`` (Debian package poppler-utils).

``-layout`` keeps each page's columns as runs of spaces, so a page is read like a plain-text page (see
:mod:`.layout`) with its page number on every block. Running heads and footers are dropped before
anything is read: a line among the first or last two lines of a page that recurs there on most pages
(two thirds, and two at least), its numbers aside when they only count the pages ("OFFICIAL | Page 3
of 12" and "OFFICIAL | Page 4 of 12" are one running line; a totals row that happens to end several
pages is not), and a page number alone ("Page 3 of 12", "3 / 12", "… | 3"). A table
that goes on at the top of the next page — its header repeated, or no header and as many columns —
continues the table of the previous page.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from crimeprev.check.document import Document, DocumentBuilder
from crimeprev.check.layout import HeadingLevels, add_text_blocks
from crimeprev.model.errors import InputError

__all__ = ["pdf_pages", "read_pdf"]

_PAGE_NUMBER = re.compile(r"(?:^|\|)\s*(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
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


def _shape(line: str) -> str:
    """A line with its numbers masked and its spacing evened out."""
    return _NUMBER.sub("#", " ".join(line.split()))


def _numbered_like_pages(numbers: list[tuple[int, ...]]) -> bool:
    """Whether the numbers of one line shape, page after page, are those of a running line: each
    place either the same on every page or rising with the page number ("Page 3 of 12", "Page 4 of
    12"), as the figures of a table row that happens to recur would not be."""
    if len({len(n) for n in numbers}) != 1:
        return False
    for place in zip(*numbers, strict=True):
        if len(set(place)) > 1 and any(b <= a for a, b in itertools.pairwise(place)):
            return False
    return True


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages."""

    def edges(lines: list[str]) -> list[int]:
        content = [i for i, x in enumerate(lines) if x.strip()]
        return content[:2] + content[-2:]

    seen: dict[str, dict[int, tuple[int, ...]]] = defaultdict(dict)  # shape -> page -> its numbers
    for number, page in enumerate(pages):
        for i in edges(page):
            seen[_shape(page[i])].setdefault(number, tuple(int(n) for n in _NUMBER.findall(page[i])))
    least = max(2, -(-len(pages) * 2 // 3))  # on two thirds of the pages, and on two at least
    running = {
        shape for shape, on in seen.items() if len(on) >= least and _numbered_like_pages([on[n] for n in sorted(on)])
    }
    cleaned: list[list[str]] = []
    for page in pages:
        edge = set(edges(page))
        cleaned.append(
            [
                "" if i in edge and (_shape(line) in running or _PAGE_NUMBER.search(line.strip())) else line
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
