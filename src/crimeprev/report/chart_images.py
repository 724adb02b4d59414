"""Static chart images, each chart drawn once, and the offline Vega bundle for HTML.

vl-convert renders Vega-Lite without a browser and bundles the Vega libraries from its own
package, so no chart ever needs the network. Laying a chart out (Vega-Lite → Vega → SVG) is the
costly step, about 50 ms a chart; the SVG is then shared: inline in the PDF's source, and turned
into the DOCX's PNG by rasterising that same SVG (resvg, the same pixels as rendering the spec to
PNG directly, at well under half the cost). The interactive HTML draws from the same spec in the
reader's browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import vl_convert as vlc

from crimeprev.report.document import Chart

PNG_SCALE = 2.0
"""Pixels per CSS pixel of the DOCX images (sharp when printed at 16.5 cm wide)."""


def write_chart_file(out: Path, spec: dict[str, Any]) -> None:
    """Write a chart (or map) spec as ``.svg``, ``.png`` or self-contained ``.html`` by the file's suffix.

    Raises ``ValueError`` for any other suffix.
    """
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    elif suffix == ".png":
        out.write_bytes(vlc.vegalite_to_png(spec, scale=PNG_SCALE))
    elif suffix == ".html":
        out.write_text(vlc.vegalite_to_html(spec, bundle=True), encoding="utf-8")
    else:
        raise ValueError(f"{out}: write .svg, .png or .html")


@dataclass(frozen=True, slots=True)
class ChartImage:
    """One chart drawn: its SVG, and the PNG rasterised from that SVG when a renderer needs it."""

    svg: str
    png: bytes | None = None


ChartImages = Mapping[str, ChartImage]
"""Chart id → its drawing, shared between the renderers of one report."""


def draw_chart(spec: dict[str, Any], *, png: bool) -> ChartImage:
    """Lay the chart out once as SVG; rasterise that SVG when ``png`` is asked for."""
    svg = str(vlc.vegalite_to_svg(spec))
    return ChartImage(svg, rasterise(svg) if png else None)


def rasterise(svg: str) -> bytes:
    """The PNG of a drawn chart, at :data:`PNG_SCALE`."""
    return bytes(vlc.svg_to_png(svg, scale=PNG_SCALE))


def draw_charts(charts: Iterable[tuple[str, dict[str, Any]]], *, png: bool) -> dict[str, ChartImage]:
    """Draw every ``(chart id, spec)``; module-level and picklable so a worker process can run it."""
    return {chart_id: draw_chart(spec, png=png) for chart_id, spec in charts}


def image_of(chart: Chart, images: ChartImages | None, *, png: bool) -> ChartImage:
    """The chart's drawing from ``images``, or drawn now when a renderer is used on its own."""
    found = images.get(chart.chart_id) if images is not None else None
    if found is None or (png and found.png is None):
        return draw_chart(chart.spec, png=png)
    return found


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, defining ``vegaEmbed`` globally."""
    return str(vlc.javascript_bundle(None))  # type: ignore[arg-type]  # None: the default snippet
