"""Static maps as Vega-Lite specs: hotspot cells over area outlines, drawn offline like the charts.

Coordinates are British National Grid metres, plotted on equal x and y scales (the plot's width and
height follow the map's extent), so no projection, tile server or network is needed: vl-convert
draws the SVG or PNG. Hot cells are red, cold cells blue; cells that are not significant are not
drawn; outlines are grey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

HOT: Final = "#b2182b"
COLD: Final = "#2166ac"
OUTLINE: Final = "#6b6b6b"
WIDTH: Final = 640
REPORT_MAP_WIDTH: Final = 420  # px: in the paper a map shares its page with the table it illustrates


def _axes(x0: float, x1: float, y0: float, y1: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """The x and y encodings of a map: BNG metres over the map's extent, no axes drawn."""
    x = {"field": "east", "type": "quantitative", "scale": {"domain": [x0, x1], "nice": False, "zero": False}}
    y = {"field": "north", "type": "quantitative", "scale": {"domain": [y0, y1], "nice": False, "zero": False}}
    return {**x, "axis": None}, {**y, "axis": None}


def hotspot_map_spec(
    title: str,
    subtitle: str,
    cells: Sequence[Mapping[str, Any]],
    outlines: Mapping[str, Sequence[tuple[float, float]]],
    cell_metres: float,
) -> dict[str, Any]:
    """The map: ``cells`` rows need ``east``, ``north``, ``category`` ("hot" / "cold") and ``value``."""
    xs = [x for ring in outlines.values() for x, _ in ring] + [float(c["east"]) for c in cells]
    ys = [y for ring in outlines.values() for _, y in ring] + [float(c["north"]) for c in cells]
    if not xs:
        raise ValueError("nothing to map: no outline and no cell")
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, cell_metres)
    height = round(WIDTH * max(y1 - y0, cell_metres) / max(x1 - x0, cell_metres))
    size = max(4.0, (WIDTH * cell_metres / span) ** 2)
    outline_rows = [
        {"area": name, "order": i, "east": x, "north": y}
        for name, ring in outlines.items()
        for i, (x, y) in enumerate(ring)
    ]
    x, y = _axes(x0, x1, y0, y1)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": subtitle, "anchor": "start"},
        "width": WIDTH,
        "height": height,
        "layer": [
            {
                "data": {"values": outline_rows},
                "mark": {"type": "line", "color": OUTLINE, "strokeWidth": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "detail": {"field": "area"},
                    "order": {"field": "order"},
                },
            },
            {
                "data": {"values": [dict(c) for c in cells]},
                "mark": {"type": "square", "opacity": 0.85},
                "encoding": {
                    "x": x,
                    "y": y,
                    "size": {"value": size},
                    "color": {
                        "field": "category",
                        "type": "nominal",
                        "scale": {"domain": ["hot", "cold"], "range": [HOT, COLD]},
                        "legend": {"title": None, "orient": "bottom"},
                    },
                    "tooltip": [
                        {"field": "cell"},
                        {"field": "value", "title": "records"},
                        {"field": "z", "format": ".1f", "title": "Gi* z"},
                    ],
                },
            },
        ],
        "config": {"view": {"stroke": None}},
    }


ZONE: Final = "#7b3294"
BUFFER: Final = "#c2a5cf"
CONTROL: Final = "#2166ac"
Ring = Sequence[tuple[float, float]]


def _ring_rows(kind: str, shapes: Sequence[tuple[str, Sequence[Ring]]]) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "shape": f"{kind}:{name}:{k}", "order": i, "east": x, "north": y}
        for name, rings in shapes
        for k, ring in enumerate(rings)
        for i, (x, y) in enumerate(ring)
    ]


def zone_map_spec(
    title: str,
    subtitle: str,
    outlines: Mapping[str, Ring],
    zones: Sequence[tuple[str, Sequence[Ring]]],
    buffers: Sequence[tuple[str, Sequence[Ring]]] = (),
    controls: Sequence[tuple[str, Sequence[Ring]]] = (),
) -> dict[str, Any]:
    """Zones (purple outline and a labelled marker, visible at force scale), their buffer rings
    (light purple, dashed) and control areas (blue) over area outlines, in British National Grid metres."""
    outline_rows = _ring_rows("area", [(name, [ring]) for name, ring in outlines.items()])
    shape_rows = _ring_rows("zone", zones) + _ring_rows("buffer", buffers) + _ring_rows("control", controls)
    every = outline_rows + shape_rows
    if not every:
        raise ValueError("nothing to map: no outline and no zone")
    xs, ys = [r["east"] for r in every], [r["north"] for r in every]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    height = round(REPORT_MAP_WIDTH * max(y1 - y0, 1.0) / max(x1 - x0, 1.0))
    labels = []
    for name, rings in zones:
        points = [p for ring in rings for p in ring]
        if points:
            labels.append({"zone": name, "east": sum(p[0] for p in points) / len(points),
                           "north": sum(p[1] for p in points) / len(points)})  # fmt: skip
    x, y = _axes(x0, x1, y0, y1)
    line = {"x": x, "y": y, "detail": {"field": "shape"}, "order": {"field": "order"}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": subtitle, "anchor": "start"},
        "width": REPORT_MAP_WIDTH,
        "height": height,
        "layer": [
            {"data": {"values": outline_rows}, "mark": {"type": "line", "color": OUTLINE, "strokeWidth": 1},
             "encoding": line},
            {"data": {"values": [r for r in shape_rows if r["kind"] == "control"]},
             "mark": {"type": "line", "color": CONTROL, "strokeWidth": 2}, "encoding": line},
            {"data": {"values": [r for r in shape_rows if r["kind"] == "buffer"]},
             "mark": {"type": "line", "color": BUFFER, "strokeWidth": 1.5, "strokeDash": [3, 2]}, "encoding": line},
            {"data": {"values": [r for r in shape_rows if r["kind"] == "zone"]},
             "mark": {"type": "line", "color": ZONE, "strokeWidth": 2}, "encoding": line},
            {"data": {"values": labels}, "mark": {"type": "point", "color": ZONE, "filled": True, "size": 60},
             "encoding": {"x": x, "y": y, "tooltip": [{"field": "zone"}]}},
            {"data": {"values": labels}, "mark": {"type": "text", "align": "left", "dx": 7, "fontSize": 10},
             "encoding": {"x": x, "y": y, "text": {"field": "zone"}}},
        ],
        "config": {"view": {"stroke": None}},
    }  # fmt: skip
