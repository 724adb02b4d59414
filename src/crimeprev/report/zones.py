"""The report's zones-against-the-force blocks: a table per zone indicator, one verdict per zone, a map.

Every figure comes from the records (:mod:`crimeprev.operations.zones`); a figure for the zones that
a strand also supplies in its measures file is a cross-check, and the note says which is which.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from crimeprev.model.strategy import Strand
from crimeprev.model.windows import month_name
from crimeprev.operations.areas import area_rings
from crimeprev.operations.evaluate import OperationEvaluation
from crimeprev.operations.zones import ZoneEvaluation
from crimeprev.report.document import Block, Chart, Paragraph, Table
from crimeprev.report.maps import zone_map_spec
from crimeprev.spatial.outlines import Outline
from crimeprev.spatial.zones import outline_rings
from crimeprev.stats.difference_in_differences import RateRatio, describe_rate_ratio


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1%}"


def compared(r: RateRatio | None) -> str:
    """The table cell: the difference from the force when it is beyond chance, else 'no clear difference'."""
    if r is None:
        return "-"
    level = f"{r.confidence:.0%}"
    if r.high < 1:
        return f"{1 - r.ratio:.0%} lower ({level}: {1 - r.high:.0%} to {1 - r.low:.0%})"
    if r.low > 1:
        return f"{r.ratio - 1:.0%} higher ({level}: {r.low - 1:.0%} to {r.high - 1:.0%})"
    return "no clear difference"


def _row(label: str, totals: tuple[float, float] | None, ratio: RateRatio | None) -> tuple[str, ...]:
    """A row: before, after, their % change (checkable from the two), and the comparison with the force."""
    if totals is None:
        return (label, "-", "-", "-", compared(ratio))
    before, after = totals
    change = None if before == 0 else after / before - 1
    return (label, f"{before:,.0f}", f"{after:,.0f}", _pct(change), compared(ratio) if ratio else "")


def zone_blocks(
    strand: Strand,
    evaluation: ZoneEvaluation,
    next_table: Callable[[], int],
    *,
    supplied: Sequence[str] = (),
) -> list[Block]:
    """The table and verdicts of one zone indicator; ``supplied`` names measures that cover the same ground."""
    title = evaluation.indicator.title
    rows: list[tuple[str, ...]] = []
    sentences: list[str] = []
    for result in evaluation.results:
        c = result.comparison
        label = f"{result.label} (from {month_name(result.after[0])})" if result.zone else result.label
        rows.append(_row(label, c.inside if c else None, c))
        for ring in result.rings:
            g = ring.comparison
            rows.append(_row(f"- within {ring.outer_m:.0f} m around", g.inside if g else None, g))
        if c is not None:
            rows.append(_row("- rest of the force, same months", c.outside, None))
            sentences.append(describe_rate_ratio(c, result.label if result.zone else "The zones together") + ".")
    blocks: list[Block] = [
        Paragraph(f"Zones against the rest of the force: {title.lower()}", style="subheading"),
        Table(
            caption=f"Table {next_table()}: {title} inside each zone against the rest of the force: the months from "
            f"the zone's start to {month_name(evaluation.results[0].after[1])} against as many months before",
            header=(("Zone", "Before", "After", "% change", "Relative to the force"),),
            rows=tuple(rows),
            numeric_from=1,
            kind="zones",
        ),
        *(Paragraph(s) for s in sentences),
    ]
    notes = [
        "Compared with the force: how the zone's change differs from what the rest of the force's own change "
        "predicts, with the interval that chance and local drift allow; see the annex on methods."
    ]
    a = evaluation.accuracy
    if a is not None and a.pai is not None and evaluation.accuracy_window:
        first, last = evaluation.accuracy_window
        notes.append(
            f"From {month_name(first)} to {month_name(last)} the zones held {a.hit_rate:.1%} of the force's "
            f"{title.lower()} on {a.area_share:.2%} of the area where crime is recorded (Predictive Accuracy "
            f"Index {a.pai:.1f})."
        )
    if supplied:
        notes.append(
            "These figures are computed from the records; the figures supplied for the same zones "
            f"({', '.join(supplied)}) are shown with the aggregate figures as a cross-check."
        )
    blocks.extend(Paragraph(n, style="note") for n in notes)
    return blocks


def _credit(outlines_from: str | None) -> str:
    return f"outlines from {outlines_from}" if outlines_from else "district outlines drawn from the records' own points"


def zone_map(
    strand: Strand,
    evaluation: ZoneEvaluation,
    figure: int,
    outlines: Mapping[str, Outline] | None = None,
    outlines_from: str | None = None,
) -> Chart | None:
    """The zones and their buffer rings over area outlines: a boundary file's when given
    (``outlines_from`` names it), else the districts' outlines from the records (None when no zone
    has a boundary)."""
    zones = [(r.zone.name, outline_rings(r.zone)) for r in evaluation.results if r.zone is not None]
    zones = [(name, rings) for name, rings in zones if rings]
    if not zones:
        return None
    buffers = [
        (r.zone.name, outline_rings(r.zone, r.rings[-1].outer_m))
        for r in evaluation.results
        if r.zone is not None and r.rings
    ]
    ring_text = f", with their {strand.zone_buffer_m:.0f} m buffer rings" if buffers else ""
    return Chart(
        chart_id=f"map-{strand.id}-zones",
        caption=f"Figure {figure}: {strand.title}: the operation zones{ring_text}",
        description=f"Map of {len(zones)} zone{'' if len(zones) == 1 else 's'} ({', '.join(n for n, _ in zones)}) over "
        f"{_credit(outlines_from if outlines_from and outlines else None)}.",
        spec=zone_map_spec(
            f"{strand.title}: operation zones",
            _credit(outlines_from if outlines_from and outlines else None).capitalize(),
            outlines if outlines_from and outlines else evaluation.outlines,
            zones,
            buffers,
        ),
        kind="map",
    )


def operation_map(
    evaluation: OperationEvaluation, outlines: Mapping[str, Outline], figure: int, outlines_from: str | None = None
) -> Chart | None:
    """Where an area operation acted: its area (purple), control (blue) and buffer (dashed)."""
    places = evaluation.places
    if places is None or places.area.empty:
        return None
    op = evaluation.operation
    area = area_rings(places.area, dict(outlines))
    if not area:
        return None
    buffers = area_rings(places.buffer, dict(outlines))
    if op.buffer_m:
        buffers += [(f"{z.name} + {op.buffer_m:.0f} m", outline_rings(z, op.buffer_m)) for z in places.area.zones]
    controls = area_rings(places.control, dict(outlines))
    named = ", ".join(name for name, _ in area)
    return Chart(
        chart_id=f"map-operation-{op.id}",
        caption=f"Figure {figure}: {op.name}: where it acted ({named})"
        + (", its control area" if controls else "")
        + (" and buffer" if buffers else ""),
        description=f"Map of {op.name}'s area ({named})"
        + (f", control ({', '.join(n for n, _ in controls)})" if controls else "")
        + f" over {_credit(outlines_from)}.",
        spec=zone_map_spec(
            f"{op.name}: area, control and buffer",
            f"Purple: area; blue: control; dashed: buffer. {_credit(outlines_from).capitalize()}.",
            outlines,
            area,
            buffers,
            controls,
        ),
        kind="map",
    )
