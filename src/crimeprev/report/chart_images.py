"""Static chart images (PNG for DOCX, SVG for PDF) and the offline Vega bundle for HTML.

vl-convert renders Vega-Lite without a browser and bundles the Vega libraries from its own
package, so no chart ever needs the network.
"""

from __future__ import annotations

from functools import cache

import vl_convert as vlc

from crimeprev.report.document import Chart


def chart_png(chart: Chart, *, scale: float = 2.0) -> bytes:
    """The chart as a PNG image."""
    return bytes(vlc.vegalite_to_png(chart.spec, scale=scale))


def chart_svg(chart: Chart) -> str:
    """The chart as SVG markup."""
    return str(vlc.vegalite_to_svg(chart.spec))


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, defining ``vegaEmbed`` globally."""
    return str(vlc.javascript_bundle(None))  # type: ignore[arg-type]  # None: the default snippet
