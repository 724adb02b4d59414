"""``crimeprev operations add|list|evaluate``: the ledger of weeks of action."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from crimeprev.cli.engine import computing
from crimeprev.cli.insights import STRATEGY
from crimeprev.cli.output import console, print_json
from crimeprev.model.errors import ConfigError
from crimeprev.report.figures import table_pct
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.operations.evaluate import OperationEvaluation

LEDGER = typer.Option(Path("operations.yaml"), "--ledger", help="The operations ledger YAML file.")
app = typer.Typer(help="Register operations (weeks of action) and evaluate them.")


def _list(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} {text!r}: write the date as YYYY-MM-DD") from None


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="Operation name, e.g. 'Op Grenadier'."),
    strand: str = typer.Option(..., "--strand", help="The strategy strand it serves."),
    indicators: str = typer.Option(..., "--indicators", help="Comma-separated indicator ids of that strand."),
    start: str = typer.Option(..., "--start", help="First day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--end", help="Last day, YYYY-MM-DD."),
    area: str | None = typer.Option(
        None, "--area", help="Comma-separated districts or zone ids (default: force-wide)."
    ),
    control: str | None = typer.Option(None, "--control", help="Comma-separated control districts or zones."),
    buffer: str | None = typer.Option(
        None, "--buffer", help="Comma-separated buffer districts or zones (displacement)."
    ),
    buffer_m: float | None = typer.Option(
        None, "--buffer-m", help="Or a buffer ring this many metres around the area's zones."
    ),
    breakdown: str | None = typer.Option(None, "--breakdown", help="Dimension of the table's sub-rows."),
    label: list[str] = typer.Option([], "--label", help="A sub-row label, VALUE=LABEL (repeatable)."),
    ledger: Path = LEDGER,
    strategy_file: Path | None = STRATEGY,
) -> None:
    """Register an operation in the ledger (replacing one with the same name).

    Area, control and buffer names must be districts the store holds records for or zones in its zones table.
    """
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.operations.ledger import add_operation, new_operation, slug

    strategy = load_strategy(strategy_file)
    for indicator in _list(indicators):
        try:
            strategy.find(f"{strand}/{indicator}")
        except KeyError as e:
            raise ConfigError(str(e.args[0])) from None
    labels = dict(item.split("=", 1) for item in label if "=" in item)
    operation = new_operation(
        id=slug(name), name=name, strand=strand, indicators=_list(indicators), starts_on=_date(start, "--start"),
        ends_on=_date(end, "--end"), area=_list(area), control=_list(control), buffer=_list(buffer), buffer_m=buffer_m,
        breakdown=breakdown, labels=labels,
    )  # fmt: skip
    if operation.area or operation.control or operation.buffer or operation.buffer_m:
        if not Path(ctx.obj).exists():
            raise ConfigError(
                f"{ctx.obj}: no store to check the districts against; ingest data first (crimeprev ingest ...)"
            )
        from crimeprev.operations.evaluate import check_areas

        with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
            check_areas(backend, strategy, operation)
    add_operation(ledger, operation)
    console.print(f"{name} registered in {ledger}")


@app.command("list")
def list_operations(
    ledger: Path = LEDGER, as_json: bool = typer.Option(False, "--json", help="Print as JSON.")
) -> None:
    """The operations in the ledger."""
    from crimeprev.operations.ledger import load_ledger

    operations = load_ledger(ledger).operations
    if as_json:
        print_json([op.model_dump(mode="json") for op in operations])
        return
    table = Table(title=f"Operations ({ledger})", title_justify="left")
    for heading in ("name", "strand", "from", "to", "indicators", "area"):
        table.add_column(heading)
    for op in operations:
        table.add_row(op.name, op.strand, op.starts_on.isoformat(), op.ends_on.isoformat(), ", ".join(op.indicators),
                      ", ".join(op.area) or "force-wide")  # fmt: skip
    console.print(table)


@app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Operation name or id."),
    ledger: Path = LEDGER,
    strategy_file: Path | None = STRATEGY,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The published table, the seasonal counterfactual and (with areas) the displacement test."""
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.operations.evaluate import evaluate_operation
    from crimeprev.operations.ledger import load_ledger

    if not ledger.is_file():
        raise ConfigError(f"--ledger {ledger}: no such ledger file (operations add creates it)")
    strategy = load_strategy(strategy_file)
    operation = load_ledger(ledger, strategy).find(name)
    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        result = evaluate_operation(backend, strategy, operation)
    if as_json:
        print_json(evaluation_json(result))
        return
    print_evaluation(result)


def evaluation_json(result: OperationEvaluation) -> dict[str, Any]:
    months = result.month_labels
    return {
        "operation": result.operation.name,
        "months": list(months),
        "indicators": [
            {
                "indicator": e.indicator.id,
                "rows": [
                    {"label": r.label, "sub_row": r.sub_row, **dict(zip(months, r.counts, strict=True)),
                     "vs_previous_month_pct": r.vs_previous_month.pct if r.vs_previous_month else None,
                     "vs_year_before_pct": r.vs_year_before.pct if r.vs_year_before else None}
                    for r in e.rows
                ],
                "counterfactual": None if e.counterfactual is None else {
                    "expected": round(e.counterfactual.expected, 1),
                    "expected_low": round(e.counterfactual.expected_low, 1),
                    "expected_high": round(e.counterfactual.expected_high, 1),
                    "observed": e.counterfactual.observed,
                    "prevented": round(e.counterfactual.prevented, 1),
                    "prevented_low": round(e.counterfactual.prevented_low, 1),
                    "prevented_high": round(e.counterfactual.prevented_high, 1),
                },
                "counterfactual_note": e.counterfactual_note,
                "days": None if e.days is None else {
                    "first": e.days.first.isoformat(), "last": e.days.last.isoformat(),
                    "observed": e.days.observed, "expected": round(e.days.expected, 1),
                    "expected_low": round(e.days.low, 1), "expected_high": round(e.days.high, 1),
                    "baseline": list(e.days.baseline), "seasonal_factor": e.days.seasonal_factor,
                    "dispersion": round(e.days.dispersion, 3), "verdict": e.days.verdict,
                },
                "days_note": e.days_note,
            }
            for e in result.indicators
        ],
        "displacement": None if result.displacement is None else {
            "wdd": result.displacement.wdd, "z": result.displacement.z, "p_value": result.displacement.p_value,
            "low": result.displacement.low, "high": result.displacement.high,
            "treated_change": result.displacement.treated_change,
            "control_change": result.displacement.control_change,
            "displacement_change": result.displacement.displacement_change,
        },
        "displacement_note": result.displacement_note,
    }  # fmt: skip


def print_evaluation(result: OperationEvaluation) -> None:
    year, previous, now = result.month_labels
    table = Table(title=f"{result.operation.name}: {now} against {previous} and {year}", title_justify="left")
    for heading in ("", year, previous, now, f"vs {previous}", f"vs {year}"):
        table.add_column(heading, justify="left" if not heading else "right")
    for e in result.indicators:
        for r in e.rows:
            table.add_row(("  " if r.sub_row else "") + r.label, *("-" if v is None else f"{v:.0f}" for v in r.counts),
                          table_pct(r.vs_previous_month), table_pct(r.vs_year_before))  # fmt: skip
    console.print(table)
    for e in result.indicators:
        c = e.counterfactual
        if c is None:
            console.print(f"{e.indicator.title}: {e.counterfactual_note}")
        else:
            console.print(
                f"{e.indicator.title}: expected {c.expected:.0f} (95% interval {c.expected_low:.0f} to "
                f"{c.expected_high:.0f}) from the seasonal pattern of the months before; observed {c.observed:.0f}; "
                f"crimes prevented {c.prevented:.0f} ({c.prevented_low:.0f} to {c.prevented_high:.0f})"
            )
    for e in result.indicators:
        if e.days is not None:
            on = e.days
            season = "" if on.seasonal_factor is None else ", adjusted for the same days a year before"
            console.print(
                f"{e.indicator.title} on its days ({on.first:%d %b %Y} to {on.last:%d %b %Y}): {on.observed:.0f} "
                f"recorded against {on.expected:.0f} expected from the same weekdays of the {len(on.baseline)} weeks "
                f"before{season} (expected range {on.low:.0f} to {on.high:.0f}): {on.verdict}"
            )
        elif e.days_note:
            console.print(f"{e.indicator.title}: {e.days_note}")
    if result.displacement is not None:
        d = result.displacement
        console.print(f"weighted displacement difference {d.wdd:.1f} (95% interval {d.low:.1f} to {d.high:.1f}), "
                      f"p = {d.p_value:.3f}")  # fmt: skip
    elif result.displacement_note:
        console.print(result.displacement_note)
