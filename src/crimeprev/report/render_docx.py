"""DOCX renderer (python-docx): the format forces circulate.

Real Word heading styles (so the navigation pane works), numbered section headings, tables whose
header rows repeat on every page, charts as images with captions and alternative text, the
classification marking in every page's header and footer, and page numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from crimeprev.report.chart_images import ChartImages, image_of
from crimeprev.report.document import Block, BulletList, Chart, Document, Paragraph, Section, Table

ACCENT = RGBColor(0x1B, 0x4F, 0x8A)
MUTED = RGBColor(0x55, 0x55, 0x55)
ALERT = RGBColor(0x9B, 0x1C, 0x1C)
HEADER_FILL = "1B4F8A"
TOTAL_FILL = "EEF3F9"


def render_docx(document: Document, path: Path, *, images: ChartImages | None = None) -> Path:
    """Write the document as a Word file at ``path`` (charts from ``images`` when given, else drawn)."""
    doc = docx.Document()
    _page_setup(doc, document)
    _styles(doc)
    title = doc.add_heading(document.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if document.subtitle:
        doc.add_paragraph(document.subtitle).runs[0].font.color.rgb = MUTED
    if document.marking:
        run = doc.add_paragraph().add_run(
            f"{document.marking}: figures in this report are generated to reproduce published totals. "
            "It contains no real records."
        )
        run.bold = True
        run.font.color.rgb = ALERT
    for section in document.sections:
        _section(doc, section, images)
    doc.save(str(path))
    return path


def _page_setup(doc: DocxDocument, document: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(document.header_text)
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = ACCENT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (f"{document.header_text}  |  Page ", None, " of ", "NUMPAGES"):
        if text is None:
            _field(footer, "PAGE")
        elif text == "NUMPAGES":
            _field(footer, "NUMPAGES")
        else:
            footer.add_run(text).font.size = Pt(8)


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A Word field (page number, page count) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, placeholder, end):
        run._r.append(element)


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11.5), ("Heading 4", 10.5)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT if name != "Heading 4" else RGBColor(0x1A, 0x1A, 0x1A)


def _section(doc: DocxDocument, section: Section, images: ChartImages | None) -> None:
    doc.add_heading(section.heading, level=min(section.level, 3))
    for block in section.blocks:
        _block(doc, block, images)
    for child in section.children:
        _section(doc, child, images)


def _block(doc: DocxDocument, block: Block, images: ChartImages | None) -> None:
    if isinstance(block, Paragraph):
        if block.style == "subheading":
            doc.add_heading(block.text, level=4)
            return
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(block.text)
        if block.style == "lead":
            run.bold = True
        elif block.style == "note":
            run.italic = True
            run.font.size = Pt(9)
            run.font.color.rgb = MUTED
        elif block.style == "marking":
            run.bold = True
            run.font.color.rgb = ALERT
        elif block.style == "placeholder":  # text the force has still to supply: impossible to miss
            run.italic = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    elif isinstance(block, BulletList):
        if not block.items:
            doc.add_paragraph().add_run(block.empty).italic = True
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(doc, block)
    else:
        _chart(doc, block, images)


def _shade(cell: object, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _table(doc: DocxDocument, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption").paragraph_format.keep_with_next = True  # never stranded
    columns = max(len(r) for r in (*table.header, *table.rows))
    grid = doc.add_table(rows=0, cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for header in table.header:
        row = grid.add_row()
        row_properties = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeat this row at the top of every page
        repeat.set(qn("w:val"), "true")
        row_properties.append(repeat)
        for i, text in enumerate(header):
            cell = row.cells[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            run.font.size = Pt(9)
            _shade(cell, HEADER_FILL)
            if i >= table.numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    first_total = len(table.rows) - table.total_rows
    for r, values in enumerate(table.rows):
        row = grid.add_row()
        for i, text in enumerate(values):
            cell = row.cells[i]
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(9)
            if r >= first_total or (table.kind == "cover" and i == 0):
                run.bold = True
                _shade(cell, TOTAL_FILL)
            if i >= table.numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _chart(doc: DocxDocument, chart: Chart, images: ChartImages | None) -> None:
    png = image_of(chart, images, png=True).png
    assert png is not None
    doc.add_picture(io.BytesIO(png), width=Cm(10.5 if chart.kind == "map" else 16.5))
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True  # the caption follows the picture onto its page
    for properties in picture._p.iter(qn("wp:docPr")):  # the picture's alternative text
        properties.set("descr", chart.description)
        properties.set("title", chart.caption)
    doc.add_paragraph(chart.caption, style="Caption")
