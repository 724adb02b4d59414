"""``crimeprev zones import|list|evaluate|propose``: operation zones against the force."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from crimeprev.cli.boundaries import BOUNDARIES, NAME_FIELD, map_outlines
from crimeprev.cli.engine import computing
from crimeprev.cli.harm import HARM, HARM_TABLE, chosen_table
from crimeprev.cli.ingest import JSON, REPLACE, STRICT, print_report, report_json, run_ingest
from crimeprev.cli.insights import STRATEGY, _find, month_range
from crimeprev.cli.output import check_chart_file, console, print_json
from crimeprev.indicators.harm import describe_unweighted, measure_label
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import add_months, month_label
from crimeprev.sources.registry import ImportOptions
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.operations.zones import ZoneEvaluation, ZoneResult
    from crimeprev.spatial.accuracy import PredictiveAccuracy
    from crimeprev.spatial.zones import Zone
    from crimeprev.stats.difference_in_differences import RateRatio

app = typer.Typer(help="Operation zones: import them, and compare crime inside them with the rest of the force.")
INDICATOR = typer.Option(..., "--indicator", help="Indicator id, or strand/indicator.")


@app.command("import")
def import_zones(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="GeoJSON polygons or CSV lists of H3 cells, LSOAs or districts."),
    strict: bool = STRICT,
    replace: bool = REPLACE,
    as_json: bool = JSON,
) -> None:
    """Load zones (each with active dates); a zone imported again under its id replaces the old one."""
    report = run_ingest(ctx.obj, "zones", paths, ImportOptions(), strict=strict, replace=replace, quiet=as_json)
    if as_json:
        print_json(report_json(report))
    else:
        print_report(report)


def _zones(ctx: typer.Context) -> list[Zone]:
    from crimeprev.operations.zones import load_zones

    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        return load_zones(backend)


def _km2(zone: Zone) -> float | None:
    return None if zone.area_m2 is None else round(zone.area_m2 / 1e6, 3)


@app.command("list")
def list_zones(ctx: typer.Context, as_json: bool = JSON) -> None:
    """The zones in the store: kind, size and active dates."""
    zones = _zones(ctx)
    if as_json:
        print_json([
            {"zone_id": z.zone_id, "name": z.name, "kind": z.kind, "members": list(z.members), "area_km2": _km2(z),
             "active_from": z.active_from.isoformat(), "active_to": z.active_to.isoformat() if z.active_to else None}
            for z in zones
        ])  # fmt: skip
        return
    table = Table(title="Zones", title_justify="left")
    for heading in ("id", "name", "kind", "size", "active"):
        table.add_column(heading)
    for z in zones:
        size = f"{_km2(z)} km²" if z.area_m2 is not None else f"{len(z.members)} {z.kind}"
        active = f"{z.active_from} to {z.active_to or 'now'}"
        table.add_row(z.zone_id, z.name, z.kind, size, active)
    console.print(table)
    if not zones:
        console.print("no zones: import them with crimeprev zones import FILE")


def _ids(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _buffers(text: str | None) -> list[float]:
    try:
        return [float(b) for b in _ids(text)]
    except ValueError:
        raise ConfigError(f"--buffer {text!r}: give distances in metres, e.g. 250,500") from None


@app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    indicator: str = INDICATOR,
    zone: str | None = typer.Option(None, "--zone", help="Comma-separated zone ids (default: every zone)."),
    before: str | None = typer.Option(None, "--before", help="Months before, YYYY-MM..YYYY-MM (with --after)."),
    after: str | None = typer.Option(
        None, "--after", help="Months after, YYYY-MM..YYYY-MM (default: 12 months from each zone's start)."
    ),
    buffer: str | None = typer.Option(None, "--buffer", help="Buffer ring edges in metres, e.g. 250,500."),
    control: str | None = typer.Option(
        None, "--control", help="Districts or zones to compare with (weighted displacement difference test)."
    ),
    harm: bool = HARM,
    harm_table: Path | None = HARM_TABLE,
    map_file: Path | None = typer.Option(
        None, "--map", help="Also draw the zones and their buffer rings over district outlines (.svg, .png, .html)."
    ),
    boundaries: Path | None = BOUNDARIES,
    boundary_name_field: str | None = NAME_FIELD,
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """An indicator inside each zone against the rest of the force: a rate ratio with its interval."""
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.operations.zones import choose_zones, evaluate_zones

    windows = (month_range(before, "--before"), month_range(after, "--after")) if before and after else None
    if (before is None) != (after is None):
        raise ConfigError("give --before and --after together, or neither")
    check_chart_file("--map", map_file)
    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    weights = chosen_table(harm, harm_table)
    from crimeprev.operations.zones import load_zones

    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        chosen = choose_zones(load_zones(backend), _ids(zone))
        try:
            result = evaluate_zones(
                backend, strategy, strand, found, chosen,
                before=windows[0] if windows else None, after=windows[1] if windows else None,
                buffers_m=_buffers(buffer), harm=weights, control=_ids(control),
            )  # fmt: skip
        except ValueError as e:
            raise ConfigError(str(e)) from None
    if map_file is not None:
        _draw_zone_map(map_file, result, (boundaries, boundary_name_field))
    if as_json:
        print_json({**evaluation_json(result), **({"map": str(map_file)} if map_file else {})})
    else:
        print_evaluation(result)


def _draw_zone_map(out: Path, result: ZoneEvaluation, boundaries: tuple[Path | None, str | None]) -> None:
    from crimeprev.report.chart_images import write_chart_file
    from crimeprev.report.maps import zone_map_spec
    from crimeprev.spatial.zones import outline_rings

    outlines, credit = map_outlines(*boundaries, result.outlines)
    zones = [(r.label, outline_rings(r.zone)) for r in result.results if r.zone is not None]
    buffers = [(r.label, outline_rings(r.zone, r.rings[-1].outer_m)) for r in result.results if r.zone and r.rings]
    title = f"{result.indicator.title}: zones" + (" and buffer rings" if buffers else "")
    write_chart_file(out, zone_map_spec(title, credit, outlines, [z for z in zones if z[1]], buffers))


def _window(window: tuple[Any, Any]) -> str:
    return f"{month_label(window[0])}..{month_label(window[1])}"


def _ratio_json(r: RateRatio | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "before": r.inside[0], "after": r.inside[1], "rest_before": r.outside[0], "rest_after": r.outside[1],
        "months": list(r.months), "change": r.inside_change, "rest_change": r.outside_change,
        "rate_ratio": r.ratio, "low": r.low, "high": r.high, "p_value": r.p_value,
        "dispersion": r.dispersion, "degrees_of_freedom": r.degrees_of_freedom, "confidence": r.confidence,
        "placebos": r.placebos, "drift_sd": r.drift_sd,
        "clear": r.clear,
    }  # fmt: skip


def _accuracy_json(a: PredictiveAccuracy | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"hits": a.hits, "total": a.total, "hit_rate": a.hit_rate, "zone_area_km2": a.zone_area_m2 / 1e6,
            "study_area_km2": a.study_area_m2 / 1e6, "area_share": a.area_share, "pai": a.pai}  # fmt: skip


def _result_json(r: ZoneResult) -> dict[str, Any]:
    from crimeprev.stats.difference_in_differences import describe_rate_ratio

    return {
        "zone_id": r.zone.zone_id if r.zone else None,
        "label": r.label,
        "before": _window(r.before),
        "after": _window(r.after),
        "comparison": _ratio_json(r.comparison),
        "verdict": describe_rate_ratio(r.comparison, r.label) if r.comparison else r.note,
        "note": r.note,
        "rings": [
            {"inner_m": g.inner_m, "outer_m": g.outer_m, "comparison": _ratio_json(g.comparison), "note": g.note}
            for g in r.rings
        ],
        "no_location": r.unplaced,
        "displacement": None if r.displacement is None else {
            "wdd": r.displacement.wdd, "low": r.displacement.low, "high": r.displacement.high,
            "p_value": r.displacement.p_value, "treated_change": r.displacement.treated_change,
            "control_change": r.displacement.control_change,
            "displacement_change": r.displacement.displacement_change,
        },
    }  # fmt: skip


def evaluation_json(result: ZoneEvaluation) -> dict[str, Any]:
    return {
        "indicator": result.indicator.id,
        "measure": measure_label(result.harm),
        "unweighted": result.unweighted,
        "zones": [_result_json(r) for r in result.results],
        "accuracy": _accuracy_json(result.accuracy),
        "accuracy_window": _window(result.accuracy_window) if result.accuracy_window else None,
        "outside_force": result.outside_force,
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1%}"


def print_evaluation(result: ZoneEvaluation) -> None:
    from crimeprev.stats.difference_in_differences import describe_rate_ratio

    what = measure_label(result.harm)
    table = Table(title=f"{result.indicator.title}: inside zones against the rest of the force ({what})",
                  title_justify="left")  # fmt: skip
    for heading in ("zone", "before", "after", "in zone", "change", "rest of force", "rate ratio (95%)"):
        table.add_column(heading, justify="left" if heading in ("zone", "before", "after") else "right")
    for r in result.results:
        rows = [(r.label, r.comparison)] + [
            (f"  ring {g.inner_m:.0f}-{g.outer_m:.0f} m", g.comparison) for g in r.rings
        ]
        for label, c in rows:
            if c is None:
                table.add_row(label, _window(r.before), _window(r.after), "", "", "", r.note or "")
                continue
            table.add_row(
                label, _window(r.before), _window(r.after), f"{c.inside[0]:,.0f} → {c.inside[1]:,.0f}",
                _pct(c.inside_change), _pct(c.outside_change), f"{c.ratio:.2f} ({c.low:.2f}-{c.high:.2f})",
            )  # fmt: skip
    console.print(table)
    for r in result.results:
        if r.comparison is not None:
            console.print(f"- {describe_rate_ratio(r.comparison, r.label)}")
        if r.displacement is not None:
            d = r.displacement
            console.print(
                f"  weighted displacement difference against the control: {d.wdd:,.1f} "
                f"(95% interval {d.low:,.1f} to {d.high:,.1f}; negative is crime prevented net of displacement)"
            )
    a = result.accuracy
    if a is not None and a.pai is not None and result.accuracy_window:
        console.print(
            f"Predictive Accuracy Index {a.pai:.1f} over {_window(result.accuracy_window)}: the zones hold "
            f"{a.hit_rate:.1%} of the {what} on {a.area_share:.2%} of the area where crime is recorded"
        )
    unweighted = describe_unweighted(result.unweighted)
    if unweighted:
        console.print(unweighted)
    unplaced = max((r.unplaced for r in result.results), default=0)
    if unplaced or result.outside_force:
        console.print(f"left out: {unplaced:,} record(s) with no map point, {result.outside_force:,} outside the force")


@app.command("propose")
def propose(
    ctx: typer.Context,
    indicator: str = INDICATOR,
    window: str = typer.Option(..., "--window", help="Training months, YYYY-MM..YYYY-MM."),
    count: int = typer.Option(10, "--zones", help="How many zones to propose."),
    area_km2: float = typer.Option(2.0, "--area-km2", help="The area budget of all the zones together, km²."),
    test_window: str | None = typer.Option(
        None, "--test-window", help="Months to test the zones on (default: as many months right after --window)."
    ),
    harm: bool = HARM,
    harm_table: Path | None = HARM_TABLE,
    out: Path | None = typer.Option(None, "--out", help="Write the zones as GeoJSON that zones import reads."),
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """Propose N square zones holding the most crime (or harm) within an area budget, tested out of sample."""
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.operations.proposals import propose_zones

    first, last = month_range(window, "--window")
    if test_window:
        test = month_range(test_window, "--test-window")
    else:
        n = (last.year - first.year) * 12 + last.month - first.month + 1
        test = (add_months(last, 1), add_months(last, n))
    if out is not None and not out.parent.is_dir():
        raise ConfigError(f"--out {out}: the folder {out.parent} does not exist")
    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    weights = chosen_table(harm, harm_table)
    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        try:
            proposal = propose_zones(backend, strategy, strand, found, (first, last), test,
                                     count=count, budget_m2=area_km2 * 1e6, harm=weights)  # fmt: skip
        except ValueError as e:
            raise ConfigError(str(e)) from None
    if out is not None:
        out.write_text(proposal.geojson(), encoding="utf-8")
    if as_json:
        print_json(proposal.as_json())
        return
    table = Table(title=f"{count} proposed zones for {found.title}", title_justify="left")
    for heading in ("zone", "side", "training", "test"):
        table.add_column(heading, justify="left" if heading == "zone" else "right")
    for zone in proposal.zones:
        table.add_row(zone.zone_id, f"{zone.side_m:.0f} m", f"{zone.training:,.0f}", f"{zone.test:,.0f}")
    console.print(table)
    for label, a in (("training", proposal.training), ("test (out of sample)", proposal.test)):
        if a.pai is not None:
            console.print(
                f"{label}: the zones hold {a.hit_rate:.1%} on {a.area_share:.2%} of the area: PAI {a.pai:.1f}"
            )
    if out is not None:
        console.print(f"zones written to {out} (load them with crimeprev zones import {out})")
