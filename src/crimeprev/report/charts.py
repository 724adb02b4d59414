"""Chart specifications: one declarative Vega-Lite spec per chart (built with Altair).

The same spec is drawn interactive in the HTML report and the dashboard (Vega-Embed) and static
in DOCX and PDF (PNG or SVG through vl-convert), so every format shows the same chart. Colours
are a colour-blind-safe pair with enough contrast in greyscale; titles say what the chart shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt

from crimeprev.model.windows import MONTH_ABBR, month_name

CURRENT_COLOUR = "#1b4f8a"  # dark blue
PREVIOUS_COLOUR = "#9db7d5"  # light blue: distinct from the current in greyscale too
FONT = "DejaVu Sans"


def rolling_months_spec(title: str, series: list[tuple[date, float | None]], unit: str = "count") -> dict[str, Any]:
    """Monthly figures of the current 12 months beside the same months of the previous 12.

    ``series`` is the indicator's 24-month series (oldest first); months with no figure are left
    out rather than drawn as zero.
    """
    previous, current = series[:12], series[12:]
    last = current[-1][0] if current else date.today().replace(day=1)
    current_label = f"12 months to {month_name(last)}"
    previous_label = f"12 months to {month_name(previous[-1][0])}" if previous else "previous 12 months"
    order = [MONTH_ABBR[m.month - 1] for m, _ in current]
    rows = [
        {"month": MONTH_ABBR[m.month - 1], "period": label, "value": v, "date": m.isoformat()}
        for label, part in ((previous_label, previous), (current_label, current))
        for m, v in part
        if v is not None
    ]
    value_title = "Rate" if unit == "rate" else "Number"
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("month:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("period:N", sort=[previous_label, current_label]),
            y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format="%" if unit == "rate" else ",d")),
            color=alt.Color(
                "period:N",
                sort=[previous_label, current_label],
                scale=alt.Scale(range=[PREVIOUS_COLOUR, CURRENT_COLOUR]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("month:N", title="Month"),
                alt.Tooltip("value:Q", title=value_title, format=".1%" if unit == "rate" else ",d"),
            ],
        )
        .properties(
            title=alt.TitleParams(f"{title}: each month, {current_label} against the previous 12", anchor="start"),
            width=520,
            height=125,
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
    return dict(chart.to_dict(validate=False))  # validated against the schema in tests, not on every report
