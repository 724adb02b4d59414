"""Each reader gives the same document model: headings with section paths, paragraphs, tables with
their header, merged cells and positions. Real files are written (python-docx, a minimal PDF) and
read back."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from crimeprev.check.checker import check_document
from crimeprev.check.document import Cell, Document, Heading, Paragraph, Table
from crimeprev.check.read_docx import read_docx
from crimeprev.check.read_html import read_html
from crimeprev.check.read_markdown import read_markdown
from crimeprev.check.read_pdf import read_pdf
from crimeprev.check.read_text import read_text
from crimeprev.check.readers import READERS, read_document
from crimeprev.check.tables import read_table
from crimeprev.model.errors import InputError
from tests.check.pdf_writer import write_pdf

DATA = Path(__file__).parent / "data"
KNIFE_LABELS = ("", "12 Month ending Mar 23", "12 Month ending Mar 24", "Diff.", "% Diff.")
KNIFE_ROW = ("Knife crime offences", "2,910", "2,725", "-185", "-6.4%")


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def kinds(doc: Document) -> list[str]:
    return [type(b).__name__ for b in doc.blocks]


def test_markdown_headings_paragraphs_pipe_tables_and_markup(tmp_path: Path) -> None:
    path = tmp_path / "paper.md"
    path.write_text(
        "Crime Prevention Strategy\n=========================\n\n## 2. Serious Violence\n\n### 2.1 Knife Crime\n\n"
        "Knife crime offences numbered **2,725**<sup>1</sup> in the\n12 months to March 2024.\n\n"
        "| | 12 Month ending | | | |\n|---|---:|---:|---:|---:|\n| | Mar 23 | Mar 24 | Diff. | % Diff. |\n"
        "| Knife crime offences | <b>2,910</b> | 2,725 | -185 | -6.4% |\n\n- first point\n- second point\n",
        encoding="utf-8",
    )
    doc = read_markdown(path)
    assert kinds(doc) == ["Heading", "Heading", "Heading", "Paragraph", "Table", "Paragraph", "Paragraph"]
    heading = doc.blocks[2]
    assert isinstance(heading, Heading)
    assert (heading.level, heading.location.section) == (
        3,
        ("Crime Prevention Strategy", "2. Serious Violence", "2.1 Knife Crime"),
    )
    paragraph = doc.blocks[3]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == "Knife crime offences numbered 2,725 in the 12 months to March 2024."
    assert paragraph.location.line == 8
    table = doc.tables[0]
    view = read_table(table)
    assert view.column_labels == KNIFE_LABELS
    assert [c.text for c in table.rows[view.body[0]]] == list(KNIFE_ROW)
    assert table.cell_location(2, 1).line == 14
    assert [p.text for p in doc.paragraphs[1:]] == ["first point", "second point"]


def test_plain_text_aligned_table_with_label_column_and_centred_merged_header(tmp_path: Path) -> None:
    path = tmp_path / "paper.txt"
    path.write_text(
        "2.1 Knife Crime\n\n"
        "                          12 Month ending\n"
        "                         Mar 23     Mar 24     Diff.   % Diff.\n"
        "Knife crime offences      2,910      2,725      -185     -6.4%\n"
        "Rape offences             2,558      2,267      -291    -11.4%\n\n"
        "Type\tJan\tFeb\tTotal\nRacial\t207\t187\t394\nAge\t1\t\t1\n",
        encoding="utf-8",
    )
    doc = read_text(path)
    assert kinds(doc) == ["Heading", "Table", "Table"]
    comparison, hate = doc.tables
    view = read_table(comparison)
    assert view.column_labels == KNIFE_LABELS
    assert view.label_column == 0
    assert texts(comparison)[2] == list(KNIFE_ROW)
    assert comparison.rows[0][2] == Cell("12 Month ending", merged=True)
    assert texts(hate) == [["Type", "Jan", "Feb", "Total"], ["Racial", "207", "187", "394"], ["Age", "1", "", "1"]]
    assert hate.location.section == ("2.1 Knife Crime",)


def test_html_spans_header_rows_superscripts_and_scripts(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(
        "<html><head><script>var x = '<p>1</p>';</script></head><body><h1>Report</h1><h2>2.1 Knife Crime</h2>"
        "<p>Offences numbered <b>2,725</b><sup>1</sup>.</p>\n<table><caption><b>Knife</b> crime</caption><thead>"
        '<tr><th rowspan="2"></th><th colspan="2">12 Month ending</th><th rowspan="2">Diff.</th>'
        '<th rowspan="2">% Diff.</th></tr><tr><th>Mar 23</th><th>Mar 24</th></tr></thead>\n<tbody>'
        "<tr><td>Knife crime offences</td><td>2,910</td><td>2,725</td><td>-185</td><td>-6.4%</td></tr>"
        "</tbody></table></body></html>",
        encoding="utf-8",
    )
    doc = read_html(path)
    assert kinds(doc) == ["Heading", "Heading", "Paragraph", "Table"]
    assert doc.paragraphs[0].text == "Offences numbered 2,725."
    table = doc.tables[0]
    assert (table.header_rows, table.caption) == (2, "Knife crime")
    assert table.rows[0][2] == Cell("12 Month ending", merged=True)
    assert table.rows[1][3] == Cell("Diff.", merged=True)
    assert read_table(table).column_labels == KNIFE_LABELS
    assert table.cell_location(2, 4).line == 3


def _header(row: object) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # type: ignore[attr-defined]


def test_docx_merged_header_cells_repeated_header_rows_and_superscripts(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    document = docx.Document()
    document.add_heading("2.1 Knife Crime", level=2)
    paragraph = document.add_paragraph("Knife crime offences numbered ")
    paragraph.add_run("2,725").bold = True
    paragraph.add_run("1").font.superscript = True
    paragraph.add_run(" in the 12 months to March 2024.")
    table = document.add_table(rows=5, cols=5)
    table.cell(0, 1).merge(table.cell(0, 2)).text = "12 Month ending"
    table.cell(0, 3).merge(table.cell(1, 3)).text = "Diff."
    table.cell(0, 4).merge(table.cell(1, 4)).text = "% Diff."
    table.cell(1, 1).text, table.cell(1, 2).text = "Mar 23", "Mar 24"
    for r, row in ((2, KNIFE_ROW), (4, ("Rape offences", "2,558", "2,267", "-291", "-11.4%"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for c, text in enumerate(("", "Mar 23", "Mar 24")):  # the second header row repeated inside the body
        table.cell(3, c).text = text
    table.cell(3, 3).text, table.cell(3, 4).text = "Diff.", "% Diff."
    _header(table.rows[0])
    _header(table.rows[1])
    document.save(str(path))

    doc = read_docx(path)
    assert kinds(doc) == ["Heading", "Paragraph", "Table"]
    assert doc.paragraphs[0].text == "Knife crime offences numbered 2,725 in the 12 months to March 2024."
    read = doc.tables[0]
    assert read.header_rows == 2
    assert read.rows[0][2] == Cell("12 Month ending", merged=True)
    assert read.rows[1][3] == Cell("Diff.", merged=True)
    view = read_table(read)
    assert view.column_labels == KNIFE_LABELS
    assert view.body == (2, 4)  # the repeated header row is skipped
    assert read.location.section == ("2.1 Knife Crime",)


def test_pdf_pages_running_heads_and_a_table_continued_over_a_page_break(tmp_path: Path) -> None:
    header = ["                          Mar 23     Mar 24     Diff.   % Diff."]
    rows = [
        "Knife crime offences      2,910      2,725      -185     -6.4%",
        "Rape offences             2,558      2,267      -291    -11.4%",
    ]
    pages = [
        [
            "OFFICIAL",
            "",
            "2.1 Knife Crime",
            "",
            "Knife crime offences numbered 2,725.",
            "",
            *header,
            rows[0],
            "",
            "Page 1 of 3",
        ],
        ["OFFICIAL", "", *header, rows[1], "", "Page 2 of 3"],
        ["OFFICIAL", "", "3. Complex Needs", "", "Nothing to add.", "", "Page 3 of 3"],
    ]
    path = tmp_path / "report.pdf"
    write_pdf(path, pages)
    doc = read_pdf(path)
    assert kinds(doc) == ["Heading", "Paragraph", "Table", "Heading", "Paragraph"]
    assert all("OFFICIAL" not in b.text and "Page" not in b.text for b in doc.blocks if not isinstance(b, Table))
    (table,) = doc.tables
    assert texts(table) == [
        ["", "Mar 23", "Mar 24", "Diff.", "% Diff."],
        ["Knife crime offences", "2,910", "2,725", "-185", "-6.4%"],
        ["Rape offences", "2,558", "2,267", "-291", "-11.4%"],
    ]
    assert [table.cell_location(r, 1).page for r in range(3)] == [1, 1, 2]
    assert doc.blocks[3].location.page == 3
    assert doc.blocks[3].location.section == ("3. Complex Needs",)


def test_registry_covers_every_format_and_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    assert set(READERS) >= {".docx", ".pdf", ".md", ".txt", ".html"}
    with pytest.raises(InputError, match=r"cannot check a \.xlsx file"):
        read_document(tmp_path / "figures.xlsx")
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.docx")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable Word document"):
        read_document(broken)
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4 nothing here")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_document(broken_pdf)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="binary file"):
        read_document(binary)


def test_committed_papers_read_the_same_tables_as_markdown_and_text() -> None:
    md = read_document(DATA / "essex-paper.md")
    txt = read_document(DATA / "essex-paper.txt")
    assert [texts(t)[-1] for t in md.tables] == [texts(t)[-1] for t in txt.tables]
    assert [read_table(t).column_labels for t in md.tables] == [read_table(t).column_labels for t in txt.tables]


def test_pdf_as_an_html_to_pdf_typesetter_lays_it_out(tmp_path: Path) -> None:
    """Rows spaced by cell padding, headers centred over right-aligned figures, a numbered heading set
    directly above its text (the layout WeasyPrint gives crimeprev's own HTML report)."""
    page = [
        "1.1 Knife Crime",
        "Knife crime offences numbered 2,725 in the 12 months to March 2024, compared with 2,910 in",
        "the previous 12 months (a decrease of 6.4%).",
        "",
        "                        12 Month ending Mar 23           12 Month ending Mar 24      Diff.   % Diff.",
        "",
        " Knife crime offences                         2,910                         2,725     -185    -6.4%",
        "",
        " Rape offences                                2,558                         2,267     -291   -11.4%",
        "",
        " Type                             Jan 2024              Feb 2024            Mar 2024          Total",
        "",
        " Racial                                207                     187                  225         619",
        "",
        " Total                                 207                     187                  225         619",
    ]
    path = tmp_path / "typeset.pdf"
    write_pdf(path, [page])
    doc = read_pdf(path)
    assert kinds(doc) == ["Heading", "Paragraph", "Table", "Table"]
    comparison, hate = (read_table(t) for t in doc.tables)
    assert comparison.column_labels == KNIFE_LABELS
    assert [comparison.table.rows[r][0].text for r in comparison.body] == ["Knife crime offences", "Rape offences"]
    assert hate.column_labels == ("Type", "Jan 2024", "Feb 2024", "Mar 2024", "Total")
    assert [c.text for c in hate.table.rows[2]] == ["Total", "207", "187", "225", "619"]


def _typeset_row(label: str, *cells: str, ends: tuple[int, ...] = (48, 76, 86, 96)) -> str:
    """A table row as a typesetter lays it out: the label left, figures right-aligned at ``ends``."""
    line = " " + label
    for text, end in zip(cells, ends, strict=True):
        line = line.ljust(end - len(text)) + text
    return line


def test_pdf_running_lines_with_page_numbers_wrapped_cells_and_a_table_broken_over_pages(tmp_path: Path) -> None:
    """crimeprev's own PDF: a running head and a footer with the page number on every page, a two-line
    header left-aligned over right-aligned figures, a label wrapped onto a second line, columns that
    drift by a few places, and the table going on over a page break under its repeated header."""
    header = [
        " Community Safety          12 Month ending Mar 23   12 Month ending Mar 24   Diff.   % Diff.",
        " Partnership area",
    ]
    first = [
        "              OFFICIAL | SYNTHETIC DEMO DATA",
        "",
        "Table 3: Knife crime offences by community safety partnership area",
        "",
        *header,
        "",
        _typeset_row("Thurrock", "415", "391", "-24", "-5.8%"),
        "",
        _typeset_row("Castle Point", "117", "69", "-48", "-41.0%"),
        "",
        "              OFFICIAL | SYNTHETIC DEMO DATA | Page 1 of 2",
    ]
    second = [
        "                OFFICIAL | SYNTHETIC DEMO DATA",
        "",
        header[0].replace("Safety ", "Safety  "),
        header[1],
        "",
        _typeset_row("Rochford", "78", "72", "-6", "-7.7%", ends=(48, 76, 89, 98)),
        "",
        _typeset_row("Uttlesford and", "136", "127", "-9", "-6.6%"),
        " Maldon",
        "",
        _typeset_row("Total", "746", "659", "-87", "-11.7%"),
        "",
        "Knife crime offences fell.",
        "",
        "                OFFICIAL | SYNTHETIC DEMO DATA | Page 2 of 2",
    ]
    path = tmp_path / "report.pdf"
    write_pdf(path, [first, second])
    doc = read_pdf(path)
    assert kinds(doc) == ["Heading", "Table", "Paragraph"]
    assert all("OFFICIAL" not in b.text for b in doc.blocks if not isinstance(b, Table))
    (table,) = doc.tables
    view = read_table(table)
    assert view.column_labels == (
        "Community Safety Partnership area",
        "12 Month ending Mar 23",
        "12 Month ending Mar 24",
        "Diff.",
        "% Diff.",
    )
    assert [texts(table)[r] for r in view.body] == [
        ["Thurrock", "415", "391", "-24", "-5.8%"],
        ["Castle Point", "117", "69", "-48", "-41.0%"],
        ["Rochford", "78", "72", "-6", "-7.7%"],
        ["Uttlesford and Maldon", "136", "127", "-9", "-6.6%"],
        ["Total", "746", "659", "-87", "-11.7%"],
    ]
    assert [table.cell_location(r, 1).page for r in view.body] == [1, 1, 2, 2, 2]
    assert check_document(doc) == ()


def test_plain_text_cells_wrapped_under_their_row_but_not_a_row_with_a_blank_cell(tmp_path: Path) -> None:
    path = tmp_path / "rates.txt"
    path.write_text(
        "Hate crime, rates\n\n"
        " Indicator               Earlier period        Rate   Later period              Rate     Change\n\n"
        " Hate crime solved       3 months ending Dec  18.9%   3 months ending Mar 24   17.4%   -1.5 pts\n"
        " rate                    23\n\n"
        " Domestic abuse solved   12                    8.8%   12 months ending Mar 24   7.1%   -1.7 pts\n"
        " rate                    months ending\n"
        "                         Mar 23\n\n"
        "Hate crime by type\n\n"
        " Type         Jan     Feb\n\n"
        " Racial       207     187\n"
        " Age                  1\n\n",  # under the first digit of 187: a row with a blank cell, not a wrap
        encoding="utf-8",
    )
    rates, hate = read_text(path).tables
    assert texts(rates)[1:] == [
        ["Hate crime solved rate", "3 months ending Dec 23", "18.9%", "3 months ending Mar 24", "17.4%", "-1.5 pts"],
        [
            "Domestic abuse solved rate",
            "12 months ending Mar 23",
            "8.8%",
            "12 months ending Mar 24",
            "7.1%",
            "-1.7 pts",
        ],
    ]
    assert texts(hate)[1:] == [["Racial", "207", "187"], ["Age", "", "1"]]


def test_pdf_a_line_recurring_at_page_ends_is_running_only_if_its_numbers_count_pages(tmp_path: Path) -> None:
    sections = [("1. Knife crime", "320", "90"), ("2. Rape", "210", "95"), ("3. Hate crime", "330", "80")]
    pages = [
        ["OFFICIAL", "", title, "", f"Total of the month   {a}   {b}", "", f"OFFICIAL | Page {n} of 3"]
        for n, (title, a, b) in enumerate(sections, start=1)
    ]
    path = tmp_path / "report.pdf"
    write_pdf(path, pages)
    doc = read_pdf(path)
    assert [b.text for b in doc.blocks] == [
        text for title, a, b in sections for text in (title, f"Total of the month {a} {b}")
    ]
