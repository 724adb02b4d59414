"""``crimeprev spc``: an indicator's XmR chart (file) and table, with its Making Data Count verdicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from crimeprev.cli.engine import computing
from crimeprev.cli.insights import STRATEGY, _find, _month
from crimeprev.cli.output import check_chart_file, console, print_json
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import add_months, month_label
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.stats.xmr import Phase, XmRChart


def register(app: typer.Typer) -> None:
    app.command("spc")(spc)


def _range(text: str) -> tuple[date, date]:
    start, _, end = text.partition("..")
    return _month(start), _month(end or start)


def spc(
    ctx: typer.Context,
    indicator: str = typer.Argument(..., help="Indicator id, or strand/indicator."),
    as_of: str = typer.Option(..., "--as-of", help="The last month charted, YYYY-MM."),
    months: int = typer.Option(36, "--months", help="How many months to chart, ending at --as-of."),
    baseline: str | None = typer.Option(
        None, "--baseline", help="Baseline months YYYY-MM..YYYY-MM (default: the whole first phase)."
    ),
    rebaseline: str | None = typer.Option(
        None, "--rebaseline", help="Start a new phase: YYYY-MM (its baseline: up to 12 months from there)."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why the chart is re-baselined (recorded, required)."),
    target: float | None = typer.Option(None, "--target", help="A target, for the assurance verdict."),
    out: Path | None = typer.Option(None, "--out", help="Write the chart: .svg, .png or .html."),
    strategy_file: Path | None = STRATEGY,
    as_json: bool = typer.Option(False, "--json", help="Print the chart's points and verdicts as JSON."),
) -> None:
    """An XmR (statistical process control) chart of an indicator's monthly series."""
    from crimeprev.indicators.insights import indicator_series
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.stats.xmr import build_xmr_chart

    check_chart_file("--out", out)
    from crimeprev.indicators.records import indicator_parts

    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    if any(p.source == "measures" for p in indicator_parts(strand, found)):
        raise ConfigError(
            f"{found.id} is a supplied figure (a measures file's value per period), not a monthly series from "
            "records: an XmR chart needs a figure for every month"
        )
    last = _month(as_of)
    first = add_months(last, -(months - 1))
    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        series = indicator_series(backend, strategy, strand, found, first, last)
    if found.unit == "rate":  # charted and printed in per cent, as the paper shows rates
        series = [(m, None if v is None else v * 100) for m, v in series]
    phases = _phases(first, last, baseline, rebaseline, reason)
    direction = found.good if found.good in ("down", "up") else "neither"
    chart = build_xmr_chart(series, phases=phases, direction=direction, target=target)  # type: ignore[arg-type]
    title = f"{found.title} (per cent)" if found.unit == "rate" else found.title
    if out is not None:
        _write_chart(out, title, chart, "Per cent" if found.unit == "rate" else "Number")
    if as_json:
        print_json(chart_json(strand.id, found.id, chart))
        return
    _print(title, chart)
    if out is not None:
        console.print(f"chart: {out}")


def _phases(first: date, last: date, baseline: str | None, rebaseline: str | None, reason: str | None) -> list[Phase]:
    from crimeprev.stats.xmr import Phase

    base_start, base_end = _range(baseline) if baseline else (first, last)
    phases = [Phase(first, base_start, base_end, "baseline" if baseline else "whole series as baseline")]
    if rebaseline:
        if not reason:
            raise ConfigError("--rebaseline needs --reason: a re-baseline is always a recorded choice")
        start = _month(rebaseline)
        if not first < start <= last:
            raise ConfigError(f"--rebaseline {rebaseline} is outside the charted months")
        if not baseline:
            phases[0] = Phase(first, first, add_months(start, -1), "baseline before the re-baseline")
        phases.append(Phase(start, start, min(add_months(start, 11), last), reason))
    return phases


def chart_json(strand: str, indicator: str, chart: XmRChart) -> dict[str, Any]:
    return {
        "strand": strand,
        "indicator": indicator,
        "variation": chart.variation,
        "variation_icon": chart.variation_icon,
        "assurance": chart.assurance,
        "assurance_icon": chart.assurance_icon,
        "phases": [
            {
                "start": month_label(p.phase.start) if isinstance(p.phase.start, date) else p.phase.start,
                "reason": p.phase.reason,
                "mean": round(p.mean, 3),
                "lower": round(p.lower, 3),
                "upper": round(p.upper, 3),
            }
            for p in chart.phases
        ],
        "points": [
            {
                "month": month_label(p.month) if p.month else None,
                "value": p.value,
                "mean": round(p.mean, 3),
                "lower": round(p.lower, 3),
                "upper": round(p.upper, 3),
                "rules": list(p.rules),
                "signal": p.signal,
            }
            for p in chart.points
        ],
    }


def _write_chart(out: Path, title: str, chart: XmRChart, value_title: str) -> None:
    from crimeprev.report.chart_images import write_chart_file
    from crimeprev.report.spc_chart import xmr_spec

    try:
        write_chart_file(out, xmr_spec(title, chart, value_title=value_title))
    except ValueError as e:
        raise ConfigError(f"--out {e}") from None


def _print(title: str, chart: XmRChart) -> None:
    table = Table(title=f"{title}: XmR chart", title_justify="left")
    for heading in ("month", "value", "mean", "lower", "upper", "rules"):
        table.add_column(heading, justify="left" if heading in ("month", "rules") else "right")
    for p in chart.points:
        table.add_row(
            month_label(p.month) if p.month else str(p.index), "-" if p.value is None else f"{p.value:g}",
            f"{p.mean:.1f}", f"{p.lower:.1f}", f"{p.upper:.1f}", ", ".join(p.rules),
        )  # fmt: skip
    console.print(table)
    for limits in chart.phases:
        console.print(
            f"phase from point {limits.start}: {limits.phase.reason}; mean {limits.mean:.1f}, "
            f"limits {limits.lower:.1f} to {limits.upper:.1f}"
        )
    console.print(f"variation: {chart.variation} ({chart.variation_icon})")
    if chart.assurance:
        console.print(f"assurance: {chart.assurance} ({chart.assurance_icon})")
