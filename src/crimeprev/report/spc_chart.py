"""The Vega-Lite spec of an XmR (statistical process control) chart.

Points are the monthly figures; the mean and the natural process limits are drawn per phase (a
re-baseline starts a new phase); points that trigger a Making Data Count rule are coloured by
what they signal, so the chart reads the same way as the verdict beside it.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from crimeprev.report.charts import CURRENT_COLOUR, FONT
from crimeprev.stats.xmr import XmRChart

SIGNAL_COLOURS = {"improving": "#1f78b4", "concerning": "#e66101", "neither": "#7b3294", "none": "#7f7f7f"}


def _signal(chart: XmRChart, side: str | None) -> str:
    if side is None:
        return "none"
    if chart.direction == "neither":
        return "neither"
    improving = (side == "low") == (chart.direction == "down")
    return "improving" if improving else "concerning"


def xmr_spec(title: str, chart: XmRChart, *, value_title: str = "Number") -> dict[str, Any]:
    """An XmR chart: points, mean and limits, with special-cause points coloured."""
    rows = [
        {
            "month": p.month.isoformat() if p.month else str(p.index),
            "value": p.value,
            "mean": p.mean,
            "upper": p.upper,
            "lower": p.lower,
            "signal": _signal(chart, p.signal),
            "rules": ", ".join(p.rules) or "none",
        }
        for p in chart.points
        if p.value is not None
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(  # type: ignore[no-untyped-call]
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0))
    )
    line = base.mark_line(color="#9db7d5").encode(y=alt.Y("value:Q", title=value_title))
    mean = base.mark_line(color=CURRENT_COLOUR, strokeWidth=1.5).encode(y="mean:Q")
    upper = base.mark_line(color="#555555", strokeDash=[4, 3]).encode(y="upper:Q")
    lower = base.mark_line(color="#555555", strokeDash=[4, 3]).encode(y="lower:Q")
    points = base.mark_point(filled=True, size=45).encode(
        y="value:Q",
        color=alt.Color(
            "signal:N",
            scale=alt.Scale(domain=list(SIGNAL_COLOURS), range=list(SIGNAL_COLOURS.values())),
            legend=alt.Legend(title="Special cause", orient="top"),
        ),
        tooltip=[
            alt.Tooltip("month:T", format="%b %Y", title="Month"),
            alt.Tooltip("value:Q", title="Value", format=",d"),
            alt.Tooltip("mean:Q", title="Mean", format=",.1f"),
            alt.Tooltip("lower:Q", title="Lower limit", format=",.1f"),
            alt.Tooltip("upper:Q", title="Upper limit", format=",.1f"),
            alt.Tooltip("rules:N", title="Rules"),
        ],
    )
    layered = (
        alt.layer(line, mean, upper, lower, points)
        .properties(
            title=alt.TitleParams(f"{title}: XmR chart, mean and process limits", anchor="start"),
            width=520,
            height=125,
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
    return dict(layered.to_dict(validate=False))  # validated against the schema in tests, not on every report
