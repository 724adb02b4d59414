"""The Vega-Lite spec of a peer comparison's funnel plot.

Each force is a point at its population (log scale: forces run from thirteen thousand residents
to nine million) and its rate per 1,000; the group average is a line, and the 95% and 99.8%
limits are the funnel narrowing as the population grows. The force the comparison is for is
drawn larger and named; every point carries its force in a tooltip. A force whose rate is more
than :data:`OFF_SCALE` times the group's (the City of London, whose records are mostly of
visitors and workers) would flatten everyone else into a line, so it is named under the title
instead of drawn.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np

from crimeprev.indicators.peers import PER, PeerComparison
from crimeprev.report.charts import CURRENT_COLOUR, FONT

VERDICT_COLOURS = {"higher": "#e66101", "lower": "#1f78b4", "in line": "#7f7f7f"}
CURVE_POINTS = 80
OFF_SCALE = 3.0


def funnel_spec(comparison: PeerComparison) -> dict[str, Any]:
    """Points, group average and the 95% and 99.8% limits over the group's populations."""
    drawn = [r for r in comparison.rows if r.rate <= OFF_SCALE * comparison.group_rate]
    off = [r for r in comparison.rows if r not in drawn]
    populations = [r.force.population for r in drawn or comparison.rows]
    low, high = min(populations) * 0.8, max(populations) * 1.25
    curve = []
    for n in np.geomspace(low, high, CURVE_POINTS):
        limits = comparison.funnel.limits_at(float(n))
        curve.append(
            {
                "population": float(n),
                "average": comparison.group_rate,
                "inner_low": max(0.0, limits.inner_low * PER),
                "inner_high": limits.inner_high * PER,
                "outer_low": max(0.0, limits.outer_low * PER),
                "outer_high": limits.outer_high * PER,
            }
        )
    top = 1.1 * max([c["outer_high"] for c in curve] + [r.rate for r in drawn])
    points = [
        {
            "force": r.force.name,
            "population": r.force.population,
            "rate": r.rate,
            "count": r.comparison.current,
            "rank": r.rank,
            "verdict": r.point.verdict,
            "own": r.force.name == comparison.force,
        }
        for r in drawn
    ]
    x = alt.X(
        "population:Q",
        title="Residents",
        scale=alt.Scale(type="log", domain=[low, high], nice=False),
        axis=alt.Axis(format="~s"),
    )
    y = alt.Y("average:Q", title=f"Per {PER:,} residents", scale=alt.Scale(domain=[0, top], nice=False))
    base = alt.Chart(alt.Data(values=curve)).encode(x=x)  # type: ignore[no-untyped-call]
    lines = [base.mark_line(color=CURRENT_COLOUR, strokeWidth=1.5, clip=True).encode(y=y)]
    for field, dash in (("inner_low", [4, 3]), ("inner_high", [4, 3]), ("outer_low", [1, 2]), ("outer_high", [1, 2])):
        lines.append(base.mark_line(color="#555555", strokeDash=dash, clip=True).encode(y=f"{field}:Q"))
    dots = (
        alt.Chart(alt.Data(values=points))  # type: ignore[no-untyped-call]
        .mark_point(filled=True)
        .encode(
            x=x,
            y="rate:Q",
            size=alt.Size("own:N", scale=alt.Scale(domain=[False, True], range=[45, 160]), legend=None),
            color=alt.Color(
                "verdict:N",
                scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
                legend=alt.Legend(title="Against the group average", orient="top"),
            ),
            tooltip=[
                alt.Tooltip("force:N", title="Force"),
                alt.Tooltip("population:Q", title="Residents", format=","),
                alt.Tooltip("count:Q", title="Number", format=","),
                alt.Tooltip("rate:Q", title=f"Per {PER:,}", format=",.2f"),
                alt.Tooltip("rank:Q", title="Rank"),
                alt.Tooltip("verdict:N", title="Verdict"),
            ],
        )
    )
    label = (
        alt.Chart(alt.Data(values=[p for p in points if p["own"]]))  # type: ignore[no-untyped-call]
        .mark_text(align="left", dx=8, dy=-8, fontWeight="bold")
        .encode(x=x, y="rate:Q", text="force:N")
    )
    title = f"{comparison.indicator.title} per {PER:,} residents, {comparison.window_label}"
    group = comparison.group_label
    subtitle = [f"{group[:1].upper()}{group[1:]}: their average (solid line), 95% (dashed) and 99.8% (dotted) limits"]
    if off:
        subtitle.append(
            "Off the scale: " + "; ".join(f"{r.force.name} ({r.rate:,.2f}, {r.point.verdict})" for r in off)
        )
    layered = (
        alt.layer(*lines, dots, label)
        .properties(title=alt.TitleParams(title, subtitle=subtitle, anchor="start"), width=520, height=260)
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
    return dict(layered.to_dict(validate=False))
