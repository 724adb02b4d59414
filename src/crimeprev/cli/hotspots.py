"""``crimeprev hotspots``: where an indicator's records concentrate beyond chance."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from crimeprev.cli.boundaries import BOUNDARIES, NAME_FIELD, map_outlines
from crimeprev.cli.engine import computing
from crimeprev.cli.harm import HARM, HARM_TABLE, chosen_table
from crimeprev.cli.insights import JSON, STRATEGY, _find, month_range
from crimeprev.cli.output import check_chart_file, console, print_json
from crimeprev.indicators.harm import describe_unweighted, measure_label
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import add_months
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.indicators.harm import HarmTable
    from crimeprev.indicators.records import RecordPlaces
    from crimeprev.spatial.hotspots import HotspotMap
    from crimeprev.spatial.units import Cells


def register(app: typer.Typer) -> None:
    app.command("hotspots")(hotspots)


def hotspots(
    ctx: typer.Context,
    indicator: str = typer.Option(..., "--indicator", help="Indicator id, or strand/indicator."),
    window: str = typer.Option(..., "--window", help="Months, YYYY-MM..YYYY-MM (or one month YYYY-MM)."),
    unit: str = typer.Option("grid:250", "--unit", help="Cells: grid:METRES (British National Grid), h3:RES or lsoa."),
    fdr: float = typer.Option(0.05, "--fdr", help="False discovery rate of the hot and cold cells."),
    top: int = typer.Option(20, "--top", help="Show this many hot cells (JSON lists every cell)."),
    periods: int = typer.Option(
        0, "--periods", help="Split the window into N equal periods and class each cell's trend (emerging hotspots)."
    ),
    kde: float = typer.Option(
        0.0, "--kde", help="Also estimate kernel density (quartic kernel of this radius in metres) at each cell."
    ),
    map_file: Path | None = typer.Option(
        None, "--map", help="Also draw the map: hot and cold cells over district outlines (.svg, .png or .html)."
    ),
    harm: bool = HARM,
    harm_table: Path | None = HARM_TABLE,
    boundaries: Path | None = BOUNDARIES,
    boundary_name_field: str | None = NAME_FIELD,
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """Getis-Ord Gi* hotspots of an indicator's records, with false-discovery-rate control."""
    import numpy as np

    from crimeprev.indicators.records import record_places, source_places
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.spatial.emerging import CLASSES, classify_emerging
    from crimeprev.spatial.units import SpatialUnit, build_cells, cell_ids

    try:
        spatial_unit = SpatialUnit.parse(unit)
    except ValueError as e:
        raise ConfigError(f"--unit: {e}") from None
    if not 0 < fdr < 1:
        raise ConfigError(f"--fdr {fdr}: give a rate between 0 and 1, e.g. 0.05")
    if kde < 0 or (0 < kde < 10):
        raise ConfigError(f"--kde {kde}: give a kernel radius in metres, e.g. 500")
    first, last = month_range(window, "--window")
    check_chart_file("--map", map_file)
    if periods:
        _split(first, last, periods)  # refuse a bad split before reading the store
    table = chosen_table(harm, harm_table)
    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    with Warehouse.open(ctx.obj, read_only=True) as warehouse, computing(ctx, warehouse) as backend:
        try:
            chosen = record_places(backend, strategy, strand, found, first, last)
            every = source_places(backend, strategy, strand, found, first, last)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        placed = [s == "ok" for s in every.location_status]
        if not any(placed):
            raise ConfigError(f"no located records between {window}: nothing to map")
        universe = cell_ids(spatial_unit, every.lat[placed], every.lon[placed], _kept(every.lsoa_code, placed))
        cells = build_cells(spatial_unit, universe, every.lat[placed], every.lon[placed])
        result = _hotspot_map(cells, chosen, fdr, f"{strand.id}/{found.id}, {window}", table)
        emerging: list[str] | None = None
        by_period: list[HotspotMap] = []
        if periods:
            for start, end in _split(first, last, periods):
                in_period = record_places(backend, strategy, strand, found, start, end)
                by_period.append(_hotspot_map(cells, in_period, fdr, f"{strand.id}/{found.id}, {start:%Y-%m}", table))
            per_period = np.array([[c.records for c in m.cells] for m in by_period], dtype=np.float64).T
            local = per_period + cells.neighbours @ per_period  # the records each cell's Gi* sums, per period
            emerging = classify_emerging(
                [[m.cells[i].category == "hot" for m in by_period] for i in range(len(cells))],
                [[m.cells[i].z for m in by_period] for i in range(len(cells))],
                local,
                fdr=fdr,
            )
    summary: dict[str, Any] = {
        "indicator": f"{strand.id}/{found.id}",
        "window": f"{first:%Y-%m}..{last:%Y-%m}",
        "unit": result.unit,
        "measure": measure_label(table),
        "fdr": result.fdr,
        "records": result.records,
        "placed": result.placed,
        "no_location": result.no_location,
        "outside_force": result.outside_force,
        "cells": len(result.cells),
        "hot_cells": len(result.hot),
        "cold_cells": len(result.cold),
        "neighbourhood": _neighbourhood(result.unit),
    }
    if table is not None:
        summary["harm_table"] = table.source
        summary["unweighted"] = table.missing(chosen.offence_code)
    if map_file is not None:
        _draw_map(map_file, found.title, summary, result, every, placed, (boundaries, boundary_name_field))
        summary["map"] = str(map_file)
    cell_list = [c.__dict__ for c in result.cells]
    density = _densities(result, chosen, kde) if kde else None
    if density is not None:
        summary["kde_radius_m"] = kde
        for row, value in zip(cell_list, density, strict=True):
            row["density_per_km2"] = round(float(value), 3)
    if emerging is not None:
        summary["periods"] = _period_labels(first, last, periods)
        summary["emerging"] = {c: emerging.count(c) for c in CLASSES}
        for i, row in enumerate(cell_list):
            row["emerging"] = emerging[i]
            row["z_by_period"] = [round(m.cells[i].z, 4) for m in by_period]
    if as_json:
        print_json({**summary, "cell_list": cell_list})
        return
    listing = Table(
        title=f"{found.title}, {summary['window']}: hot cells ({result.unit}, false discovery rate {fdr:g})",
        title_justify="left",
    )
    value = "harm (days)" if table is not None else "records"
    headings = ("cell", "lat", "lon", value, "Gi* z", "adjusted p", *(("trend over periods",) if emerging else ()))
    for heading in headings:
        listing.add_column(heading, justify="right" if heading in (value, "Gi* z", "adjusted p") else "left")
    position = {c.cell: i for i, c in enumerate(result.cells)}
    for c in result.hot[: max(top, 0)]:
        p_text = "< 0.001" if c.adjusted_p < 0.001 else f"{c.adjusted_p:.3f}"
        trend = (emerging[position[c.cell]],) if emerging else ()
        listing.add_row(c.cell, f"{c.lat:.5f}", f"{c.lon:.5f}", f"{c.value:,.0f}", f"{c.z:.2f}", p_text, *trend)
    console.print(listing)
    console.print(
        f"{result.records:,} records: {result.placed:,} placed on {len(result.cells):,} cells, "
        f"{result.no_location:,} without a location, {result.outside_force:,} outside the force area (not mapped). "
        f"{len(result.hot):,} hot and {len(result.cold):,} cold cells; {summary['neighbourhood']}."
    )
    unweighted = describe_unweighted(summary.get("unweighted", {}))
    if unweighted:
        console.print(unweighted)
    if density is not None:
        peaks = sorted(range(len(result.cells)), key=lambda i: -density[i])[:5]
        console.print(
            f"Kernel density (quartic, {kde:g} m), highest at: "
            + "; ".join(f"{result.cells[i].cell} ({density[i]:,.0f} a km²)" for i in peaks)
        )
    if emerging is not None:
        counts = ", ".join(f"{n:,} {c}" for c, n in summary["emerging"].items() if n and c != "not a hotspot")
        console.print(f"Over {periods} periods ({', '.join(summary['periods'])}): {counts or 'no hotspot'}.")


def _densities(result: HotspotMap, chosen: RecordPlaces, radius: float) -> Any:
    """Kernel density of the indicator's located records at every cell centre (records a km²)."""
    import numpy as np

    from crimeprev.spatial.density import quartic_density
    from crimeprev.spatial.units import to_bng

    mine = np.array([s == "ok" for s in chosen.location_status], dtype=bool)
    east, north = to_bng(chosen.lat[mine], chosen.lon[mine])
    c_east, c_north = to_bng([c.lat for c in result.cells], [c.lon for c in result.cells])
    return quartic_density(np.column_stack([east, north]), np.column_stack([c_east, c_north]), radius)


def _draw_map(
    out: Path,
    title: str,
    summary: dict[str, Any],
    result: HotspotMap,
    every: RecordPlaces,
    placed: list[bool],
    boundaries: tuple[Path | None, str | None],
) -> None:
    """Hot and cold cells over the boundary file's outlines, or outlines derived from the map's own records."""
    from crimeprev.report.chart_images import write_chart_file
    from crimeprev.report.maps import hotspot_map_spec
    from crimeprev.spatial.outlines import hull_outlines
    from crimeprev.spatial.units import SpatialUnit, to_bng

    east, north = to_bng(every.lat[placed], every.lon[placed])
    outlines, credit = map_outlines(*boundaries, hull_outlines(east, north, _kept(every.district, placed)))
    shown = [c for c in result.cells if c.category != "not significant"]
    c_east, c_north = to_bng([c.lat for c in shown], [c.lon for c in shown])
    rows = [
        {"cell": c.cell, "east": float(e), "north": float(n), "category": c.category, "value": c.value, "z": c.z}
        for c, e, n in zip(shown, c_east, c_north, strict=True)
    ]
    unit = SpatialUnit.parse(result.unit)
    metres = float(unit.size) if unit.kind == "grid" else 250.0
    subtitle = (
        f"{summary['window']}, {result.unit} cells, false discovery rate {result.fdr:g}: {len(result.hot):,} hot, "
        f"{len(result.cold):,} cold; {result.no_location + result.outside_force:,} records not mapped. {credit}"
    )
    write_chart_file(out, hotspot_map_spec(f"{title}: hotspots", subtitle, rows, outlines, metres))


def _hotspot_map(cells: Cells, chosen: RecordPlaces, fdr: float, what: str, harm: HarmTable | None) -> HotspotMap:
    """The hotspot map of ``chosen`` records (``RecordPlaces``) over ``cells``, counted or weighed by harm."""
    from crimeprev.indicators.harm import record_weights
    from crimeprev.spatial.hotspots import find_hotspots
    from crimeprev.spatial.units import cell_ids

    mine = [s == "ok" for s in chosen.location_status]
    weights = record_weights(chosen, harm)[mine] if harm is not None else None
    record_cells = cell_ids(cells.unit, chosen.lat[mine], chosen.lon[mine], _kept(chosen.lsoa_code, mine))
    try:
        return find_hotspots(
            cells,
            record_cells,
            no_location=sum(1 for s in chosen.location_status if s == "no_location"),
            outside_force=sum(1 for s in chosen.location_status if s == "outside_force"),
            fdr=fdr,
            weights=weights,
        )
    except ValueError as e:
        raise ConfigError(f"{what}: {e}") from None


def _split(first: date, last: date, periods: int) -> list[tuple[date, date]]:
    """``periods`` consecutive periods of equal length covering first..last (months)."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if periods < 3 or months % periods:
        raise ConfigError(
            f"--periods {periods}: give at least 3 periods that divide the window's {months} months evenly"
        )
    size = months // periods
    return [(add_months(first, k * size), add_months(first, (k + 1) * size - 1)) for k in range(periods)]


def _period_labels(first: date, last: date, periods: int) -> list[str]:
    return [f"{a:%Y-%m}..{b:%Y-%m}" for a, b in _split(first, last, periods)]


def _kept(values: list[Any], keep: list[bool]) -> list[Any]:
    return [v for v, k in zip(values, keep, strict=True) if k]


def _neighbourhood(unit: str) -> str:
    if unit.startswith("grid"):
        return "each cell with its eight surrounding squares (queen contiguity)"
    if unit.startswith("h3"):
        return "each hexagon with its six neighbours"
    return "each LSOA with its six nearest LSOAs"
