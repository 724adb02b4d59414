"""``crimeprev insights``, ``explain``, ``records`` and ``strategy check``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from crimeprev.cli.engine import computing
from crimeprev.cli.output import console, print_json
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import month_label
from crimeprev.model.windows import comparison_windows, parse_month
from crimeprev.store.warehouse import Warehouse

# Commands import the computation they run inside their bodies: `crimeprev --help`, `status` and
# `quarantine` start without loading Ibis, SciPy or pydantic (see tests/cli/test_startup.py).
if TYPE_CHECKING:
    from crimeprev.indicators.compare import Comparison
    from crimeprev.indicators.insights import IndicatorResult
    from crimeprev.model.strategy import Strategy

AS_OF = typer.Option(..., "--as-of", help="The last month reported, YYYY-MM.")
STRATEGY = typer.Option(None, "--strategy", help="Strategy file (default: the bundled Essex 2021-25 strategy).")
JSON = typer.Option(False, "--json", help="Print as JSON.")

strategy_app = typer.Typer(help="Work with strategy files.")


def register(app: typer.Typer) -> None:
    app.command("insights")(insights)
    app.command("explain")(explain)
    app.command("records")(records)
    app.add_typer(strategy_app, name="strategy")


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError as e:
        raise ConfigError(str(e)) from None


def month_range(text: str, option: str) -> tuple[date, date]:
    """``YYYY-MM..YYYY-MM`` (or one month ``YYYY-MM``) as its first and last month."""
    start_text, _, end_text = text.partition("..")
    first, last = _month(start_text), _month(end_text or start_text)
    if last < first:
        raise ConfigError(f"{option} {text}: the end is before the start")
    return first, last


def _number(value: float | None, unit: str) -> Any:
    if value is None:
        return None
    if unit == "rate":
        return round(value, 4)
    return int(value) if float(value).is_integer() else round(value, 3)


def comparison_json(result: IndicatorResult, c: Comparison) -> dict[str, Any]:
    unit = result.indicator.unit
    return {
        "strand": result.strand.id,
        "indicator": result.indicator.id,
        "title": result.indicator.title,
        "comparison": c.kind,
        "previous_label": c.previous_label,
        "current_label": c.current_label,
        "previous": _number(c.previous, unit),
        "current": _number(c.current, unit),
        "diff": _number(c.diff, unit),
        "pct_diff": c.pct_diff,
        "pct_diff_text": c.change.pct_text if c.change else "n/a",
        "unit": unit,
        "status": c.status,
        "reason": c.reason,
        "p_value": None if c.verdict is None else round(c.verdict.p_value, 6),
        "p_value_overdispersed": None
        if c.verdict is None or c.verdict.p_value_overdispersed is None
        else round(c.verdict.p_value_overdispersed, 6),
        "ci_low": None if c.verdict is None else round(c.verdict.ci_low, 1),
        "ci_high": None if c.verdict is None else round(c.verdict.ci_high, 1),
        "verdict": None if c.verdict is None else c.verdict.verdict,
        "test": None if c.verdict is None else c.verdict.test_used,
    }


def insights(
    ctx: typer.Context,
    as_of: str = AS_OF,
    strand: str | None = typer.Option(None, "--strand", help="Only this strand."),
    comparison: str = typer.Option(
        "headline", "--comparison", help="headline (each indicator's first comparison), all, or a comparison kind."
    ),
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """Every indicator: previous, current, difference, % difference and status."""
    from crimeprev.indicators.insights import evaluate_strategy
    from crimeprev.indicators.strategy_file import load_strategy

    strategy = load_strategy(strategy_file)
    with Warehouse.open(ctx.obj, read_only=True) as warehouse:
        datasets = {t: [r[0] for r in warehouse.query(f"SELECT DISTINCT dataset FROM {t} ORDER BY 1")]
                    for t in ("offences", "incidents")}  # fmt: skip
        try:
            with computing(ctx, warehouse) as backend:
                results = evaluate_strategy(
                    backend, strategy, _month(as_of), strand=strand, breakdowns=False, datasets=datasets
                )
        except KeyError as e:
            raise ConfigError(str(e.args[0])) from None
    rows = [
        (r, c)
        for r in results
        for c in r.comparisons
        if comparison == "all" or (comparison == "headline" and c is r.headline) or c.kind == comparison
    ]
    if as_json:
        print_json([comparison_json(r, c) for r, c in rows])
        return
    table = Table(title=f"{strategy.title}: insights to {as_of}", title_justify="left")
    for heading in ("strand", "indicator", "comparison", "previous", "current", "diff", "% diff", "verdict", "status"):
        table.add_column(heading, justify="right" if heading in ("previous", "current", "diff", "% diff") else "left")
    from crimeprev.report.figures import table_diff, table_value

    for r, c in rows:
        j = comparison_json(r, c)
        unit = r.indicator.unit
        shown = [table_value(v, unit) if v is not None else "-" for v in (c.previous, c.current)]  # rates in per cent
        diff = table_diff(c.change, unit) if c.change is not None else "-"
        table.add_row(r.strand.id, r.indicator.id, c.kind, *shown, diff, j["pct_diff_text"], j["verdict"] or "",
                      c.status)  # fmt: skip
    console.print(table)
    for r, c in rows:
        if c.reason:
            console.print(f"{r.strand.id}/{r.indicator.id} ({c.kind}): {c.status}: {c.reason}")


def explain(
    ctx: typer.Context,
    indicator: str = typer.Argument(..., help="Indicator id, or strand/indicator when the id is in two strands."),
    as_of: str = AS_OF,
    strategy_file: Path | None = STRATEGY,
) -> None:
    """How a figure is made: its definition, the SQL, the windows and the counts behind them."""
    import yaml

    from crimeprev.indicators.insights import evaluate_strategy
    from crimeprev.indicators.records import indicator_sql
    from crimeprev.indicators.strategy_file import load_strategy

    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    month = _month(as_of)
    console.print(
        f"[bold]{escape(strand.id)}/{escape(found.id)}[/]: {escape(found.title)}  "
        f"(lead: {escape(strand.lead.rank)}, {escape(strand.lead.portfolio)})",
        markup=True,
    )
    console.print(f"definition: {found.definition}")
    console.print("declared as:")
    console.print(yaml.safe_dump(found.model_dump(exclude_defaults=True), sort_keys=False).rstrip(), markup=False)
    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        (result,) = [
            r for r in evaluate_strategy(backend, strategy, month, strand=strand.id, breakdowns=False)
            if r.indicator.id == found.id
        ]  # fmt: skip
        pairs = [comparison_windows(k, month) for k in found.comparisons if k != "periods"]
        first = min((p.previous.first for p in pairs), default=month)
        console.print("SQL (monthly figures; the windows sum these months):")
        for statement in indicator_sql(backend, strategy, strand, found, first, month):
            console.print(statement, markup=False)
    console.print("windows and figures:")
    from crimeprev.report.figures import table_diff, table_value

    def shown(value: float | None) -> str:  # as the paper shows it: rates in per cent
        return "-" if value is None else table_value(value, found.unit)

    for c in result.comparisons:
        line = f"  {c.kind}: {c.previous_label or '-'} = {shown(c.previous)}; "
        line += f"{c.current_label or '-'} = {shown(c.current)}"
        if c.change:
            line += f"; diff {table_diff(c.change, found.unit)} ({c.change.pct_text})"
        console.print(line + (f"  [{c.status}: {c.reason}]" if c.reason else ""), markup=False)
    for pair in pairs:
        for window in (pair.previous, pair.current):
            console.print(f"  {window.label}: months {month_label(window.first)} to {month_label(window.last)}")
    if result.periods:
        for p in result.periods:
            console.print(f"  period {p.start} to {p.end}: {p.value:g} {p.unit}")
    console.print(f"records behind a figure: crimeprev records {strand.id}/{found.id} --period YYYY-MM..YYYY-MM")


def _find(strategy: Strategy, ref: str) -> tuple[Any, Any]:
    try:
        return strategy.find(ref)
    except KeyError as e:
        raise ConfigError(str(e.args[0])) from None


def records(
    ctx: typer.Context,
    indicator: str = typer.Argument(..., help="Indicator id, or strand/indicator."),
    period: str = typer.Option(..., "--period", help="Months, YYYY-MM..YYYY-MM (or one month YYYY-MM)."),
    limit: int = typer.Option(50, "--limit", help="Show at most this many records (0: all)."),
    person_level: bool = typer.Option(
        False,
        "--person-level",
        help="Include the people's pseudonyms (the query is written to the access log).",
    ),
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """The records behind a figure, for audit (the people's pseudonyms with --person-level)."""
    from crimeprev.indicators.records import PERSON_COLUMNS, list_records
    from crimeprev.indicators.strategy_file import load_strategy

    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    if limit < 0:
        raise ConfigError(f"--limit {limit}: give 0 (every record) or a positive number")
    first, last = month_range(period, "--period")
    with Warehouse.open(ctx.obj, read_only=not person_level) as warehouse:
        with computing(ctx, warehouse) as backend:
            lists = list_records(
                backend, strategy, strand, found, first, last, limit=limit or None, person_level=person_level
            )
        if person_level:
            from crimeprev.cli.people import logged

            people = {v for rl in lists for row in rl.rows for c, v in zip(rl.columns, row, strict=True)
                      if c in PERSON_COLUMNS and v is not None}  # fmt: skip
            logged(warehouse, ctx, len(people))
    if as_json:
        print_json(
            [{"source": rl.source, "total": rl.total, "records": [dict(zip(rl.columns, row, strict=True)) for row in
                                                                     rl.rows]} for rl in lists]
        )  # fmt: skip
        return
    for rl in lists:
        table = Table(title=f"{strand.id}/{found.id}: {rl.total:,} {rl.source} records, {period}", title_justify="left")
        for column in rl.columns:
            table.add_column(column)
        for row in rl.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
        if rl.total > len(rl.rows):
            console.print(f"showing {len(rl.rows):,} of {rl.total:,} (use --limit 0 for all)")


@strategy_app.command("check")
def strategy_check(file: Path = typer.Argument(..., help="The strategy YAML file.")) -> None:
    """Validate a strategy file; errors name the file, line, strand and field."""
    from crimeprev.indicators.strategy_file import load_strategy

    strategy = load_strategy(file)
    strands = strategy.strands()
    indicators = sum(len(s.indicators) for s in strands)
    console.print(
        f"{file}: valid. {strategy.title} ({strategy.force}): {len(strategy.themes)} themes, {len(strands)} strands, "
        f"{indicators} indicators"
    )
    for theme in strategy.themes:
        console.print(f"  {theme.name}: " + ", ".join(f"{s.id} ({len(s.indicators)})" for s in theme.strands))
    from crimeprev.indicators.engine_check import engine_problems, spark_compiler

    compile_spark = spark_compiler()
    if compile_spark is None:
        console.print("Spark: not checked (pyspark is not installed: pip install 'crimeprev[spark]')")
        return
    problems = engine_problems(strategy, compile_spark)
    if not problems:
        console.print("Spark: every indicator's figures and breakdowns compile for --engine spark")
        return
    for problem in problems:
        console.print(f"Spark cannot run {problem}", markup=False)
    raise ConfigError(
        f"{file}: {len(problems)} indicator expression(s) cannot run on Spark (they run on DuckDB, the default)"
    )
