"""HTML renderer: one self-contained file (styles, charts and the Vega libraries inline).

Two variants of the same markup: ``interactive`` (the HTML report: charts drawn by Vega-Embed
from their specs, with tooltips) and static (the source of the PDF: charts as inline SVG, no
scripts). Neither makes any external request.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from html import escape
from importlib import resources

from crimeprev.report.chart_images import ChartImages, image_of, vega_bundle
from crimeprev.report.document import Block, BulletList, Chart, Document, Paragraph, Section, Table


def stylesheet() -> str:
    return (resources.files("crimeprev") / "report" / "static" / "report.css").read_text(encoding="utf-8")


def render_html(
    document: Document, *, interactive: bool = True, images: ChartImages | None = None, bundle: str | None = None
) -> str:
    """The document as one HTML page.

    The static variant's charts come from ``images`` when given (else they are drawn); the
    interactive variant inlines ``bundle`` (the Vega libraries) when given, else builds it.
    """
    body: list[str] = [f'<div class="marking-band">{escape(document.header_text)}</div>']
    body.append(f'<h1 class="title">{escape(document.title)}</h1>')
    if document.subtitle:
        body.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    if document.marking:
        body.append(
            f'<p class="synthetic">{escape(document.marking)}: figures in this report are generated to reproduce '
            "published totals. It contains no real records.</p>"
        )
    body.append(_toc(document))
    scripts: list[str] = []
    for section in document.sections:
        body.append(_section(section, interactive, scripts, images))
    body.append(f'<div class="marking-band">{escape(document.header_text)}</div>')
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{stylesheet()}\n{_page_marking(document)}</style>",
    ]
    tail = ""
    if interactive and scripts:
        tail = f"<script>{bundle or vega_bundle()}</script>\n<script>\n{''.join(scripts)}</script>"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n{tail}\n</body>\n</html>\n"
    )


def render_fragment(blocks: Sequence[Block]) -> str:
    """Blocks as HTML for a page that loads the Vega libraries itself and allows no inline script
    (the dashboard): each chart's spec is placed beside its container as JSON data, which the page's
    own script draws; tables, verdicts and text alternatives are as in the report."""
    return "\n".join(_block(block, True, None, None) for block in blocks)


def _page_marking(document: Document) -> str:
    """The classification marking and page numbers in every printed page's margins."""
    marking = json.dumps(document.header_text)
    return (
        f"@page {{ @top-center {{ content: {marking}; }} "
        f'@bottom-center {{ content: {marking} "  |  Page " counter(page) " of " counter(pages); }} }}'
    )


def _toc(document: Document) -> str:
    def items(sections: tuple[Section, ...], depth: int) -> str:
        out = []
        for s in sections:
            # strands are listed under their themes; the appendices' per-strand parts are not
            listed = s.children and depth < 2 and s.anchor not in ("appendix", "annex")
            children = items(s.children, depth + 1) if listed else ""
            out.append(f'<li><a href="#{escape(s.anchor)}">{escape(s.heading)}</a>{children}</li>')
        return f"<ul>{''.join(out)}</ul>"

    return f'<nav class="toc" aria-label="Contents"><strong>Contents</strong>{items(document.sections, 0)}</nav>'


def _section(section: Section, interactive: bool, scripts: list[str], images: ChartImages | None) -> str:
    level = min(section.level, 4)
    parts = [f'<section id="{escape(section.anchor)}">', f"<h{level}>{escape(section.heading)}</h{level}>"]
    parts.extend(_block(block, interactive, scripts, images) for block in section.blocks)
    parts.extend(_section(child, interactive, scripts, images) for child in section.children)
    parts.append("</section>")
    return "\n".join(parts)


def _block(block: Block, interactive: bool, scripts: list[str] | None, images: ChartImages | None) -> str:
    if isinstance(block, Paragraph):
        if block.style == "subheading":
            return f"<h4>{escape(block.text)}</h4>"
        return f'<p class="{escape(block.style)}">{escape(block.text)}</p>'
    if isinstance(block, BulletList):
        if not block.items:
            return f'<p class="empty">{escape(block.empty)}</p>'
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    return _chart(block, interactive, scripts, images)


def _table(table: Table) -> str:
    cls = f' class="{escape(table.kind)}"'
    html = [f"<table{cls}>", f"<caption>{escape(table.caption)}</caption>", "<thead>"]
    for header in table.header:
        cells = "".join(f'<th scope="col"{_num(i, table)}>{escape(cell)}</th>' for i, cell in enumerate(header))
        html.append(f"<tr>{cells}</tr>")
    html.append("</thead><tbody>")
    first_total = len(table.rows) - table.total_rows
    for r, row in enumerate(table.rows):
        row_cells = []
        for i, cell in enumerate(row):
            if table.kind == "cover" and i == 0:
                row_cells.append(f'<th scope="row">{escape(cell)}</th>')
            else:
                row_cells.append(f"<td{_num(i, table)}>{escape(cell)}</td>")
        total = ' class="total"' if r >= first_total else ""
        html.append(f"<tr{total}>{''.join(row_cells)}</tr>")
    html.append("</tbody></table>")
    return "\n".join(html)


MAP_SHARE = 62  # per cent of the text width: a map is read at that size, and leaves room for its table
CHART_SHARE = 85  # a chart's bars and labels read well at this size, and it fits beside more text on a page


def _script_json(value: object) -> str:
    """``value`` as JSON safe inside an inline ``<script>``: a ``</script>`` (or ``<!--``) in a name
    taken from the data (an area, a zone, an operation) would otherwise end the script early."""
    return json.dumps(value).replace("<", "\\u003c")


def _num(index: int, table: Table) -> str:
    return ' class="num"' if index >= table.numeric_from else ""


def _chart(chart: Chart, interactive: bool, scripts: list[str] | None, images: ChartImages | None) -> str:
    caption = f"<figcaption>{escape(chart.caption)}</figcaption>"
    if interactive and scripts is None:
        # The spec as data on its container, not a script: a page whose policy allows no inline script
        # draws it itself, and survives a part of the page being replaced (scripts are not carried over).
        # The text alternative is on a wrapper, as Vega-Embed takes over the chart's own container.
        return (
            f'<figure><div role="img" aria-label="{escape(chart.description)}">'
            f'<div class="vega-chart {escape(chart.kind)}" id="{escape(chart.chart_id)}" '
            f'data-spec="{escape(json.dumps(chart.spec))}"></div></div>{caption}</figure>'
        )
    if interactive and scripts is not None:
        scripts.append(
            f"vegaEmbed({_script_json('#' + chart.chart_id)}, {_script_json(chart.spec)}, "
            '{"actions": false, "renderer": "svg"});\n'
        )
        return (
            f'<figure><div class="vega-chart {escape(chart.kind)}" id="{escape(chart.chart_id)}" role="img" '
            f'aria-label="{escape(chart.description)}"></div>{caption}</figure>'
        )
    svg = base64.b64encode(image_of(chart, images, png=False).svg.encode("utf-8")).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{svg}" alt="{escape(chart.description)}" '
        f'style="width:{MAP_SHARE if chart.kind == "map" else CHART_SHARE}%">{caption}</figure>'
    )
