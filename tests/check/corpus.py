"""A crimeprev-style performance report, rendered as Markdown, plain text, HTML, DOCX and PDF.

The report is a small spec (headings, paragraphs with their figures in braces, tables) so that any
one figure can be perturbed and the document rendered again: the perturbation test checks that the
checker reports exactly the perturbed place, in every format. Figures are the published Essex 2023-24
counts (copied from the reference excerpt); differences and percentages are computed as a report
would: (current - previous) / previous * 100, rounded half away from zero to one decimal place.

Table headers use ``<`` for a cell merged with the one to its left and ``^`` for one merged with the
cell above.
"""

from __future__ import annotations

import html
import re
import textwrap
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.table import Table as DocxTable

from tests.check.pdf_writer import write_pdf

FIGURE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class H:
    text: str
    level: int


@dataclass(frozen=True)
class P:
    text: str  # figures in braces: "numbered {2,725} in ..."


@dataclass(frozen=True)
class T:
    header: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]
    tabs: bool = False  # plain text: cells separated by tabs instead of aligned with spaces
    repeat_header_after: int | None = None  # a header row repeated inside the body (as after a page break)


Block = H | P | T

COMPARISON_HEADER = (("", "12 Month ending", "<", "Diff.", "% Diff."), ("^", "Mar 23", "Mar 24", "^", "^"))
FLAT_HEADER = (("", "12 Month ending Mar 23", "12 Month ending Mar 24", "Diff.", "% Diff."),)

REPORT: tuple[Block, ...] = (
    H("Crime Prevention Strategy Report Q3 & Q4", 1),
    H("Executive Summary", 2),
    P("Domestic abuse offences numbered {24,549} in the 12 months to March 2024."),
    P("In January to March 2024 there were {824} hate crimes and {183} hate incidents ({1,007})."),
    H("1. Serious Violence", 2),
    H("1.1 Knife Crime", 3),
    P(
        "Knife crime offences numbered {2,725} in the 12 months to March 2024, compared with {2,910} in "
        "the previous 12 months (a decrease of {6.4%})."
    ),
    H("Serious violence insights, 12 months ending March 2024", 4),
    T(
        COMPARISON_HEADER,
        (
            ("Knife crime offences", "2,910", "2,725", "-185", "-6.4%"),
            ("Rape offences", "2,558", "2,267", "-291", "-11.4%"),
            ("Night-time economy offences", "1,738", "1,463", "-275", "-15.8%"),
        ),
    ),
    H("1.2 Rape", 3),
    P(
        "Rape offences numbered {2,267} in the 12 months to March 2024, compared with {2,558} in the "
        "previous 12 months (a decrease of {11.4%})."
    ),
    H("2. Organised Crime", 2),
    H("2.1 County Lines", 3),
    P("Drug trafficking offences rose from {1,476} to {1,746} in the 12 months to March 2024, up {18.3%}."),
    T(FLAT_HEADER, (("Drug trafficking offences", "1,476", "1,746", "+270", "+18.3%"),)),
    H("2.2 Cyber and Fraud", 3),
    T(
        FLAT_HEADER,
        (
            ("Cyber online offences", "5,314", "4,545", "-769", "-14.5"),
            ("Fraud offences", "1,811", "1,856", "45", "2.5"),
        ),
    ),
    H("3. Complex Needs", 2),
    H("3.1 Domestic Abuse", 3),
    T(COMPARISON_HEADER, (("Domestic abuse offences", "27,925", "24,549", "-3,376", "-12.1%"),)),
    P(
        "Domestic abuse offences numbered {24,549} in the 12 months to March 2024, compared with {27,925} "
        "in the previous 12 months (a decrease of {12.1%})."
    ),
    P(
        "In January to March 2024 there were {385} applications to the Domestic Violence Disclosure Scheme; "
        "{199} of these resulted in a disclosure, which equates to {51.7%} of applications."
    ),
    H("3.2 Drugs and Alcohol", 3),
    P(
        "There were {3,620} drug tests on arrest in the 12 months to March 2024. Of these, {1,939} ({53.6%}) "
        "were positive."
    ),
    H("3.3 Mental Health", 3),
    T(
        COMPARISON_HEADER,
        (
            ("Section 136 detentions", "667", "462", "-205", "-30.7%"),
            ("Mental health incidents", "18,019", "15,598", "-2,421", "-13.4%"),
        ),
    ),
    H("4. Vulnerabilities", 2),
    H("4.1 Burglary and Robbery", 3),
    P("Residential burglary numbered {383} in February 2024, of which {300} ({78.3%}) were burglaries of a home."),
    P("There were {407} burglaries of a home and {109} of an unconnected building in January 2024, a total of {516}."),
    H("Operation Grenadier: burglary by month", 4),
    T(
        (
            (
                "",
                "Feb 2023",
                "Jan 2024",
                "Feb 2024",
                "Diff. (month)",
                "% Diff. (month)",
                "Diff. (year)",
                "% Diff. (year)",
            ),
        ),
        (
            ("Residential burglary", "543", "516", "383", "-133", "-25.8%", "-160", "-29.5%"),
            ("Business burglary", "164", "179", "135", "-44", "-24.6%", "-29", "-17.7%"),
        ),
    ),
    H("4.2 Hate Crime", 3),
    H("Hate crimes and incidents by type, January to March 2024", 4),
    T(
        (("Type", "Jan", "Feb", "Mar", "Total"),),
        (
            ("Racial", "207", "187", "225", "619"),
            ("Homophobic", "46", "54", "36", "136"),
            ("Disability", "28", "34", "55", "117"),
            ("Multiple Types", "10", "17", "10", "37"),
            ("Transgender", "6", "10", "15", "31"),
            ("Religious - Jewish", "11", "10", "6", "27"),
            ("Religious - Muslim", "7", "6", "6", "19"),
            ("Religious - Other", "1", "1", "6", "8"),
            ("Religious - Unknown", "3", "", "2", "5"),
            ("Religious - Christian", "-", "2", "2", "4"),
            ("Age", "1", "1", "", "2"),
            ("Alternative Sub-culture", "", "", "1", "1"),
            ("Religious - No religion", "", "", "1", "1"),
            ("Total", "320", "322", "365", "1,007"),
        ),
        tabs=True,
        repeat_header_after=6,
    ),
    P("A total of {1,007} hate crimes and incidents were recorded in January to March 2024."),
    T(FLAT_HEADER, (("Hate crime offences", "4,247", "3,737", "-510", "-12.0%"),)),
)


# -- figures and perturbations -------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a figure is: ("paragraph", n) or ("table", n, row label, column number); 1-based."""

    kind: str
    index: int
    row_label: str = ""
    column: int = 0


@dataclass(frozen=True)
class FigureRef:
    block: int  # index into the spec
    item: int  # paragraph: n-th figure; table: body row
    column: int = -1  # table column (0-based)


def body_rows(table: T) -> list[tuple[str, ...]]:
    """The body as rendered, with the repeated header row where the spec puts one."""
    rows = list(table.body)
    if table.repeat_header_after is not None:
        rows.insert(table.repeat_header_after, table.header[-1])
    return rows


def figures(report: Sequence[Block]) -> Iterator[tuple[FigureRef, Place]]:
    """Every figure of the report that a perturbation test should find, with its place."""
    counts = {"paragraph": 0, "table": 0}
    for b, block in enumerate(report):
        if isinstance(block, P):
            counts["paragraph"] += 1
            for k, _ in enumerate(FIGURE.finditer(block.text)):
                yield FigureRef(b, k), Place("paragraph", counts["paragraph"])
        elif isinstance(block, T):
            counts["table"] += 1
            for r, row in enumerate(block.body):
                for c in range(1, len(row)):
                    yield FigureRef(b, r, c), Place("table", counts["table"], row[0], c + 1)


def perturb_text(text: str) -> str:
    """A realistic slip: two digits swapped, or a percentage off by half a point, or 2 for a blank."""
    if text in ("", "-"):
        return "2"
    match = re.fullmatch(r"([+-]?)([\d,]*\d)(\.\d)?(%?)", text)
    assert match, text
    sign, whole, fraction, percent = match.groups()
    if fraction:
        value = float(whole.replace(",", "") + fraction) + 0.5
        return f"{sign}{value:.1f}{percent}"
    digits = whole.replace(",", "")
    if len(digits) >= 3 and digits[-1] != digits[-2]:
        digits = digits[:-2] + digits[-1] + digits[-2]
    elif len(digits) >= 3 and digits[-2] != digits[-3]:
        digits = digits[:-3] + digits[-2] + digits[-3] + digits[-1]
    else:
        digits = str(int(digits) + 3)
    return f"{sign}{int(digits):,}" if "," in whole or int(digits) >= 1000 else f"{sign}{digits}"


def figure_texts(report: Sequence[Block]) -> list[str]:
    """The text of every figure, in the order of :func:`figures`."""
    texts: list[str] = []
    for ref, _ in figures(report):
        block = report[ref.block]
        if isinstance(block, P):
            texts.append(list(FIGURE.finditer(block.text))[ref.item].group(1))
        else:
            assert isinstance(block, T)
            texts.append(block.body[ref.item][ref.column])
    return texts


def with_figure_texts(report: Sequence[Block], texts: Sequence[str]) -> tuple[Block, ...]:
    """The report with its figures replaced by ``texts`` (in the order of :func:`figures`)."""
    blocks = list(report)
    refs = [ref for ref, _ in figures(report)]
    for ref, text in zip(refs, texts, strict=True):
        block = blocks[ref.block]
        if isinstance(block, P):
            found = list(FIGURE.finditer(block.text))[ref.item]
            blocks[ref.block] = P(block.text[: found.start()] + "{" + text + "}" + block.text[found.end() :])
        else:
            assert isinstance(block, T)
            rows = [list(r) for r in block.body]
            rows[ref.item][ref.column] = text
            blocks[ref.block] = replace(block, body=tuple(tuple(r) for r in rows))
    return tuple(blocks)


def perturbed(report: Sequence[Block], ref: FigureRef) -> tuple[Block, ...]:
    """The report with one figure changed."""
    blocks = list(report)
    block = blocks[ref.block]
    if isinstance(block, P):
        found = list(FIGURE.finditer(block.text))[ref.item]
        new = "{" + perturb_text(found.group(1)) + "}"
        blocks[ref.block] = P(block.text[: found.start()] + new + block.text[found.end() :])
    else:
        assert isinstance(block, T)
        rows = [list(r) for r in block.body]
        rows[ref.item][ref.column] = perturb_text(rows[ref.item][ref.column])
        blocks[ref.block] = replace(block, body=tuple(tuple(r) for r in rows))
    return tuple(blocks)


# -- renderers -----------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return FIGURE.sub(r"\1", text)


def _header_text(table: T, r: int, c: int) -> str:
    """The text a header cell shows when merges are written once (the first cell of the span)."""
    cell = table.header[r][c]
    return "" if cell in ("<", "^") else cell


def render_markdown(report: Sequence[Block], path: Path) -> None:
    lines: list[str] = []
    for block in report:
        if isinstance(block, H):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, P):
            first = True

            def emphasise(m: re.Match[str]) -> str:
                nonlocal first
                out = f"**{m.group(1)}**" if first else m.group(1)
                first = False
                return out

            lines += [textwrap.fill(FIGURE.sub(emphasise, block.text), 100), ""]
        else:
            header = [[_header_text(block, r, c) for c in range(len(row))] for r, row in enumerate(block.header)]
            lines.append("| " + " | ".join(header[0]) + " |")
            lines.append("|" + "|".join("---" for _ in header[0]) + "|")
            for cells in header[1:]:
                lines.append("| " + " | ".join(cells) + " |")
            for row in body_rows(block):
                cells = list(row)
                if cells[0] == "Total":
                    cells = [f"**{c}**" if c else c for c in cells]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _aligned(block: T, gap: int = 3) -> list[str]:
    """A table as aligned text: labels left, figures right, merged headers centred over their span."""
    header = [[_header_text(block, r, c) for c in range(len(row))] for r, row in enumerate(block.header)]
    rows = body_rows(block)
    width = len(block.header[0])
    widths = [
        max(
            [8]
            + [len(h[c]) for h in header if block.header[header.index(h)][c] not in ("<",)]
            + [len(r[c]) for r in rows]
        )
        for c in range(width)
    ]
    for row in block.header:  # make room for merged headers
        for c, cell in enumerate(row):
            if cell not in ("", "<", "^"):
                span = c + 1
                while span < width and row[span] == "<":
                    span += 1
                room = sum(widths[c:span]) + gap * (span - c - 1)
                if room < len(cell):
                    widths[span - 1] += len(cell) - room
    starts = [sum(widths[:c]) + gap * c for c in range(width)]
    lines: list[str] = []
    for row in block.header:
        line = [" "] * (starts[-1] + widths[-1])
        c = 0
        while c < width:
            cell = row[c]
            span = c + 1
            while span < width and row[span] == "<":
                span += 1
            if cell not in ("", "<", "^"):
                begin, end = starts[c], starts[span - 1] + widths[span - 1]
                if span - c > 1:
                    offset = begin + (end - begin - len(cell)) // 2
                elif c == 0:
                    offset = begin
                else:
                    offset = end - len(cell)
                line[offset : offset + len(cell)] = list(cell)
            c = span
        lines.append("".join(line).rstrip())
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [row[c].rjust(widths[c]) for c in range(1, width)]
        lines.append((" " * gap).join(cells).rstrip())
    return lines


def _text_lines(report: Sequence[Block], *, tabs: bool) -> list[list[str]]:
    """Each block as lines of plain text (a list per block)."""
    out: list[list[str]] = []
    for block in report:
        if isinstance(block, H):
            if block.level == 1:
                out.append([block.text, "=" * len(block.text)])
            else:
                out.append([block.text])
        elif isinstance(block, P):
            out.append(textwrap.wrap(_plain(block.text), 100))
        elif tabs and block.tabs:
            out.append(["\t".join(_header_text(block, 0, c) for c in range(len(block.header[0])))])
            out[-1] += ["\t".join(row) for row in body_rows(block)]
        else:
            out.append(_aligned(block))
    return out


def render_text(report: Sequence[Block], path: Path) -> None:
    blocks = _text_lines(report, tabs=True)
    path.write_text("\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8")


def render_pdf(report: Sequence[Block], path: Path, *, lines_per_page: int = 44) -> None:
    """Pages of text with a running head and page numbers; a table that does not fit goes on to the
    next page with its header repeated."""
    pages: list[list[str]] = [[]]
    for block, lines in zip(report, _text_lines(report, tabs=False), strict=True):
        head = len(block.header) if isinstance(block, T) else 0
        room = lines_per_page - len(pages[-1])
        if len(lines) + 1 > room and (not isinstance(block, T) or room < head + 3):
            pages.append([])
        elif len(lines) + 1 > room and isinstance(block, T):
            split = room - 1
            pages[-1] += lines[:split]
            pages.append(lines[:head] + lines[split:] + [""])
            continue
        pages[-1] += [*lines, ""]
    total = len(pages)
    framed = [["OFFICIAL", "", *page, "", f"Page {n} of {total}"] for n, page in enumerate(pages, start=1)]
    write_pdf(path, framed)


def render_html(report: Sequence[Block], path: Path) -> None:
    parts = ["<!DOCTYPE html><html><head><title>Report</title><style>td{text-align:right}</style></head><body>"]
    for block in report:
        if isinstance(block, H):
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, P):
            count = 0

            def mark(m: re.Match[str]) -> str:
                nonlocal count
                count += 1
                text = html.escape(m.group(1))
                return f"<b>{text}</b>" if count == 1 else f"{text}<sup>{count}</sup>" if count == 2 else text

            parts.append(f"<p>{FIGURE.sub(mark, html.escape(block.text, quote=False).replace('&amp;', '&'))}</p>")
        else:
            parts.append("<table><thead>")
            for r, row in enumerate(block.header):
                parts.append("<tr>")
                for c, cell in enumerate(row):
                    if cell in ("<", "^"):
                        continue
                    colspan = 1
                    while c + colspan < len(row) and row[c + colspan] == "<":
                        colspan += 1
                    rowspan = 1
                    while r + rowspan < len(block.header) and block.header[r + rowspan][c] == "^":
                        rowspan += 1
                    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
                        f' rowspan="{rowspan}"' if rowspan > 1 else ""
                    )
                    parts.append(f"<th{attrs}>{html.escape(cell)}</th>")
                parts.append("</tr>")
            parts.append("</thead><tbody>")
            for row in body_rows(block):
                tag = "th" if tuple(row) == block.header[-1] else "td"
                cells = [html.escape(c) for c in row]
                if row[0] == "Total":
                    cells = [f"<b>{c}</b>" for c in cells]
                parts.append("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def _mark_header(table: DocxTable, rows: int) -> None:
    for row in list(table.rows)[:rows]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def render_docx(report: Sequence[Block], path: Path) -> None:
    document = docx.Document()
    for block in report:
        if isinstance(block, H):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, P):
            paragraph = document.add_paragraph()
            position = 0
            for k, m in enumerate(FIGURE.finditer(block.text)):
                paragraph.add_run(block.text[position : m.start()])
                paragraph.add_run(m.group(1)).bold = k == 0
                if k == 1:
                    paragraph.add_run("1").font.superscript = True
                position = m.end()
            paragraph.add_run(block.text[position:])
        else:
            rows = [*block.header, *body_rows(block)]
            width = len(block.header[0])
            table = document.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(block.header):
                for c, cell in enumerate(row):
                    if cell in ("<", "^"):
                        continue
                    end_c = c
                    while end_c + 1 < width and row[end_c + 1] == "<":
                        end_c += 1
                    end_r = r
                    while end_r + 1 < len(block.header) and block.header[end_r + 1][c] == "^":
                        end_r += 1
                    target = table.cell(r, c)
                    if (end_r, end_c) != (r, c):
                        target = target.merge(table.cell(end_r, end_c))
                    target.text = cell
            docx_rows = list(table.rows)
            for r, row in enumerate(body_rows(block), start=len(block.header)):
                for target, cell in zip(docx_rows[r].cells, row, strict=True):
                    run = target.paragraphs[0].add_run(cell)
                    run.bold = row[0] == "Total"
            _mark_header(table, len(block.header))
    document.save(str(path))


RENDERERS: dict[str, Callable[[Sequence[Block], Path], None]] = {
    "md": render_markdown,
    "txt": render_text,
    "html": render_html,
    "docx": render_docx,
    "pdf": render_pdf,
}


def render(report: Sequence[Block], folder: Path, suffix: str, name: str = "report") -> Path:
    path = folder / f"{name}.{suffix}"
    RENDERERS[suffix](report, path)
    return path


class DocxTemplate:
    """The DOCX rendering of a report made once, with a placeholder for every figure, so that each
    perturbed variant is written by substituting figures in the XML (python-docx is slow to build a
    document; the variants are byte-for-byte what :func:`render_docx` would make)."""

    def __init__(self, report: Sequence[Block], folder: Path) -> None:
        count = len(figure_texts(report))
        path = folder / "template.docx"
        render_docx(with_figure_texts(report, [f"§{i}§" for i in range(count)]), path)
        with zipfile.ZipFile(path) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}

    def write(self, report: Sequence[Block], path: Path) -> Path:
        xml = self.parts["word/document.xml"].decode("utf-8")
        for i, text in enumerate(figure_texts(report)):
            xml = xml.replace(f"§{i}§", html.escape(text))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, xml.encode("utf-8") if name == "word/document.xml" else data)
        return path
