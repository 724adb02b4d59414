"""``crimeprev compare``: one indicator for a force against its peers, per 1,000 residents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from crimeprev.cli.insights import STRATEGY, _month
from crimeprev.cli.output import check_chart_file, console, print_json
from crimeprev.model.errors import ConfigError
from crimeprev.model.forces import GROUP_KINDS
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.indicators.peers import PeerComparison


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)


def compare(
    ctx: typer.Context,
    indicator: str = typer.Option(..., "--indicator", help="Indicator id, or strand/indicator."),
    as_of: str = typer.Option(..., "--as-of", help="The last month compared, YYYY-MM (12 months ending there)."),
    group: str = typer.Option(
        "region", "--group", help="Compare with: msg (most similar group), region, or all forces."
    ),
    force: str | None = typer.Option(None, "--force", help="The force compared (default: the strategy's force)."),
    forces_file: Path | None = typer.Option(
        None, "--forces", help="Force table with populations and peer groups (default: the one shipped)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the funnel plot: .svg, .png or .html."),
    strategy_file: Path | None = STRATEGY,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """A force against its peers: counts, rates per 1,000 residents, rank, group average and funnel limits."""
    from crimeprev.cli.engine import computing
    from crimeprev.indicators.peers import compare_with_peers, describe
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.sources.force_table import load_force_table

    if group not in GROUP_KINDS:
        raise typer.BadParameter(f"{group!r}: choose {', '.join(GROUP_KINDS)}", param_hint="--group")
    check_chart_file("--out", out)
    strategy = load_strategy(strategy_file)
    table = load_force_table(forces_file)
    try:
        strategy.find(indicator)
    except KeyError as e:
        raise ConfigError(str(e.args[0])) from None
    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        result = compare_with_peers(
            backend,
            strategy,
            indicator,
            _month(as_of),
            table,
            force=force,
            group=group,
        )
    if out is not None:
        from crimeprev.report.chart_images import write_chart_file
        from crimeprev.report.funnel_chart import funnel_spec

        write_chart_file(out, funnel_spec(result))
    if as_json:
        print_json(comparison_json(result, table.population.period))
        return
    _print(result)
    own = result.own
    assert own is not None
    console.print(describe(result, own), markup=False, soft_wrap=True)
    for missing in result.not_compared:
        console.print(f"not compared: {missing.force.name}: {missing.reason}", markup=False)
    console.print(
        f"Residents: {table.population.title} ({table.population.period}); {table.population.publisher}.",
        markup=False,
        soft_wrap=True,
    )
    if out is not None:
        console.print(f"funnel plot: {out}")


def _print(result: PeerComparison) -> None:
    from crimeprev.indicators.peers import PER

    table = Table(title=f"{result.indicator.title}, {result.window_label}: {result.group_label}", title_justify="left")
    for heading in ("rank", "force", "residents", "previous", "current", "% change", f"per {PER:,}", "vs group"):
        table.add_column(heading, justify="left" if heading in ("force", "vs group") else "right")
    for r in result.rows:
        c = r.comparison
        table.add_row(
            str(r.rank),
            r.force.name,
            f"{r.force.population:,}",
            "-" if c.previous is None else f"{c.previous:,.0f}",
            f"{c.current:,.0f}",
            c.change.pct_text if c.change else "n/a",
            f"{r.rate:,.2f}",
            r.point.verdict + (" (well beyond)" if r.point.well_beyond else ""),
            style="bold" if r.force.name == result.force else None,
        )
    console.print(table)
    console.print(f"group average: {result.group_rate:,.2f} per {PER:,} residents", markup=False)


def comparison_json(result: PeerComparison, population_period: str) -> dict[str, Any]:
    from crimeprev.indicators.peers import PER

    funnel = result.funnel
    return {
        "strand": result.strand.id,
        "indicator": result.indicator.id,
        "title": result.indicator.title,
        "as_of": f"{result.as_of:%Y-%m}",
        "force": result.force,
        "group": result.group,
        "group_label": result.group_label,
        "window": result.window_label,
        "previous_window": result.previous_label,
        "per": PER,
        "population_period": population_period,
        "group_rate": round(result.group_rate, 4),
        "overdispersed": funnel.overdispersed,
        "phi": round(funnel.phi, 4),
        "tau2_per_1000": round(funnel.tau2 * PER**2, 6),
        "forces": [
            {
                "force": r.force.name,
                "region": r.force.region,
                "population": r.force.population,
                "population_period": r.force.population_period,
                "previous": r.comparison.previous,
                "current": r.comparison.current,
                "pct_change": r.comparison.pct_diff,
                "change_verdict": None if r.comparison.verdict is None else r.comparison.verdict.verdict,
                "rate": round(r.rate, 4),
                "rank": r.rank,
                "limits_95": [round(r.point.limits.inner_low * PER, 4), round(r.point.limits.inner_high * PER, 4)],
                "limits_998": [round(r.point.limits.outer_low * PER, 4), round(r.point.limits.outer_high * PER, 4)],
                "verdict": r.point.verdict,
                "well_beyond": r.point.well_beyond,
            }
            for r in result.rows
        ],
        "not_compared": [{"force": m.force.name, "reason": m.reason} for m in result.not_compared],
    }
