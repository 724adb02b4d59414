"""Assembling the scrutiny report document from evaluated indicators (pure).

The structure follows the published six-monthly paper: a cover table; 1 Purpose; 2
Recommendations; 3 Executive summary; 4 Introduction; 5 Current work and performance, one
subsection per theme and strand (lead, insights tables, monthly charts, breakdowns, aggregate
figures, a sentence per indicator, delivery achieved and scheduled) and 5.5 Challenges by
exception; 6 Implications; 7 Consultation; 8 Actions for improvement; 9 Future work.

Every sentence about a change is neutral: it states the two figures, the difference and the
percentage, and never calls a change a rise or a fall on its own authority.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from crimeprev.delivery.at_risk import StrandRisk, assess_strand
from crimeprev.delivery.plan import DeliveryPlan
from crimeprev.indicators.compare import OK, Comparison
from crimeprev.indicators.insights import Breakdown, IndicatorResult
from crimeprev.model.strategy import Strand, Strategy
from crimeprev.model.windows import MONTH_ABBR, comparison_windows, month_name
from crimeprev.operations.evaluate import OperationEvaluation
from crimeprev.operations.zones import ZoneEvaluation
from crimeprev.people.repeats import StrandRepeats
from crimeprev.report.charts import rolling_months_spec
from crimeprev.report.document import Block, BulletList, Chart, Document, Paragraph, Section, Table
from crimeprev.report.figures import prose_value, table_diff, table_pct, table_value
from crimeprev.report.metadata import ReportMetadata
from crimeprev.report.people import repeat_blocks
from crimeprev.report.spc_chart import xmr_spec
from crimeprev.report.zones import operation_map, zone_blocks, zone_map
from crimeprev.spatial.outlines import Outline
from crimeprev.stats.verdict import describe_change
from crimeprev.stats.xmr import SPECIAL_CAUSE_CONCERNING, XmRChart, build_xmr_chart

SYNTHETIC_MARKING = "SYNTHETIC DEMO DATA"
DIMENSION_TITLES = {
    "district": "Community Safety Partnership area",
    "lpa": "Local policing area",
    "offence_code": "Home Office offence code",
    "offence_group": "Offence group",
    "police_uk_category": "Crime type",
    "da_risk": "Risk level",
    "hate_type": "Hate type",
    "incident_type": "Incident type",
    "outcome": "Outcome",
    "location_status": "Location",
}


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """Everything a report is built from."""

    strategy: Strategy
    results: Sequence[IndicatorResult]
    metadata: ReportMetadata
    delivery: DeliveryPlan
    as_of: date
    synthetic: bool = False
    operations: Sequence[OperationEvaluation] = ()
    zones: Sequence[tuple[Strand, ZoneEvaluation]] = ()  # each strand's zone indicators against the force
    outlines: Mapping[str, Outline] = field(default_factory=dict)  # area outlines for the maps
    outlines_from: str | None = None  # the boundary file they came from (None: the records' own points)
    repeats: Sequence[StrandRepeats] = ()  # each strand's repeat victims and suspects (aggregates)


class _Counter:
    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0

    def figure(self) -> int:
        self.figures += 1
        return self.figures

    def table(self) -> int:
        self.tables += 1
        return self.tables


def build_report(inputs: ReportInputs) -> Document:
    """The whole report document."""
    meta = inputs.metadata
    by_strand: dict[str, list[IndicatorResult]] = {}
    for result in inputs.results:
        by_strand.setdefault(result.strand.id, []).append(result)
    risks = {
        s.id: assess_strand(
            s,
            inputs.delivery.for_strand(s.id),
            _data_gaps(by_strand.get(s.id, [])),
            _deteriorations(by_strand.get(s.id, [])),
        )
        for s in inputs.strategy.strands()
    }
    counter = _Counter()  # tables and figures are numbered in reading order
    cover = Section("", "Report details", (_cover(inputs, counter),), anchor="cover")
    performance = _performance(inputs, by_strand, risks, counter)
    implications = Section("6", "Implications", (), _implications(inputs, risks, counter), anchor="implications")
    consultation = Section("7", "Consultation", (_consultation(inputs, counter),), anchor="consultation")
    sections = (
        cover,
        Section("1", "Purpose of report", (Paragraph(meta.purpose or _default_purpose(inputs)),), anchor="purpose"),
        Section(
            "2",
            "Recommendations",
            (BulletList(tuple(meta.recommendations or _default_recommendations())),),
            anchor="recommendations",
        ),
        Section("3", "Executive summary", _summary(inputs, risks), anchor="summary"),
        Section("4", "Introduction", _introduction(inputs), anchor="introduction"),
        performance,
        implications,
        consultation,
        Section("8", "Actions for improvement", (BulletList(_actions(inputs, risks)),), anchor="actions"),
        Section("9", "Future work", (BulletList(tuple(meta.future_work)),), anchor="future-work"),
    )
    subtitle = " | ".join(
        part for part in (meta.programme, f"Agenda item {meta.agenda_number}" if meta.agenda_number else None) if part
    )
    return Document(
        title=meta.title,
        subtitle=subtitle,
        classification=meta.classification,
        marking=SYNTHETIC_MARKING if inputs.synthetic else None,
        sections=sections,
    )


# --- fixed sections ---------------------------------------------------------------------------------


def _cover(inputs: ReportInputs, counter: _Counter) -> Table:
    meta = inputs.metadata
    rows = [
        ("Title", meta.title),
        ("Programme", meta.programme),
        ("Report to", meta.report_to),
        ("Classification", meta.classification),
        ("Agenda number", meta.agenda_number),
        ("Chief officer", meta.chief_officer),
        ("Report from", meta.report_from),
        ("Version", meta.version),
        ("Date paper written", meta.date_written.isoformat() if meta.date_written else None),
        ("Date of meeting", meta.date_of_meeting.isoformat() if meta.date_of_meeting else None),
        ("Author", meta.author),
        ("Chief officer approval", meta.chief_officer_approval.isoformat() if meta.chief_officer_approval else None),
        ("Governance meeting", meta.governance_meeting),
        ("Strategy", meta.strategy_note or inputs.strategy.title),
        ("Figures to", f"end of {MONTH_ABBR[inputs.as_of.month - 1]} {inputs.as_of.year}"),
    ]
    if inputs.synthetic:
        rows.append(("Data", "SYNTHETIC DEMO DATA: calibrated to published totals; not real records"))
    return Table(
        caption=f"Table {counter.table()}: Report details",
        header=(("Item", "Detail"),),
        rows=tuple((k, v) for k, v in rows if v),
        numeric_from=99,
        kind="cover",
    )


def _default_purpose(inputs: ReportInputs) -> str:
    return (
        f"This paper reports the delivery of the {inputs.strategy.title}: each strand's performance over the "
        f"12 months to {month_name(inputs.as_of)} against the previous 12 months, what has been delivered and "
        "what is scheduled."
    )


def _default_recommendations() -> list[str]:
    return [
        "The meeting notes the performance of each strand and the delivery reported.",
        "The meeting notes the strands identified as at risk and the actions proposed for them.",
    ]


def _introduction(inputs: ReportInputs) -> tuple[Block, ...]:
    strategy = inputs.strategy
    text = inputs.metadata.introduction or (
        f"The strategy is organised in {len(strategy.themes)} themes and {len(strategy.strands())} strands, each "
        "owned by a thematic lead."
    )
    blocks: list[Block] = [Paragraph(text)]
    blocks.append(
        Paragraph(
            "Every figure is computed from the records by a declared definition, shown beside the figure. "
            "A figure that the data cannot support (a month missing from the window, or a field the records do not "
            "hold) is marked as such and not shown as zero.",
            style="note",
        )
    )
    if inputs.synthetic:
        blocks.append(
            Paragraph(
                "This report is produced from SYNTHETIC DEMO DATA, generated to reproduce published totals. "
                "It contains no real records and must not be read as a statement about any real force.",
                style="marking",
            )
        )
    return tuple(blocks)


def _summary(inputs: ReportInputs, risks: dict[str, StrandRisk]) -> tuple[Block, ...]:
    strategy = inputs.strategy
    rolling = [
        (r, c) for r in inputs.results for c in r.comparisons if c.kind == "rolling_12_months" and c.status == OK
    ]
    blocks: list[Block] = [
        Paragraph(
            f"The strategy has {len(strategy.strands())} strands in {len(strategy.themes)} themes. "
            f"{len(rolling)} indicators are compared over the 12 months to {month_name(inputs.as_of)} "
            "against the previous 12 months."
        )
    ]
    ranked = sorted(
        (rc for rc in rolling if rc[1].change and rc[1].change.pct is not None and rc[0].indicator.unit == "count"),
        key=lambda rc: rc[1].change.pct or 0.0,  # type: ignore[union-attr]
    )
    if ranked:
        items = [_headline(r, c) for r, c in (ranked[:3] + ranked[-3:] if len(ranked) > 6 else ranked)]
        blocks.append(Paragraph("The largest differences between the two periods, in either direction:"))
        blocks.append(BulletList(tuple(dict.fromkeys(items))))
    at_risk = [risks[s.id] for s in strategy.strands() if risks[s.id].at_risk]
    if at_risk:
        blocks.append(Paragraph(f"{len(at_risk)} strand(s) are identified as at risk (see section 6):"))
        titles = {s.id: s.title for s in strategy.strands()}
        blocks.append(BulletList(tuple(f"{titles[r.strand_id]}: {'; '.join(r.reasons)}" for r in at_risk)))
    else:
        blocks.append(Paragraph("No strand is identified as at risk."))
    return tuple(blocks)


def _headline(result: IndicatorResult, c: Comparison) -> str:
    unit = result.indicator.unit
    verdict = f", {describe_change(c.verdict, table_pct(c.change))}" if c.verdict else ""
    return (
        f"{result.indicator.title}: {prose_value(c.current, unit)} against {prose_value(c.previous, unit)} "
        f"({table_pct(c.change)}){verdict}"
    )


# --- section 5 ----------------------------------------------------------------------------------------


def _performance(
    inputs: ReportInputs, by_strand: dict[str, list[IndicatorResult]], risks: dict[str, StrandRisk], counter: _Counter
) -> Section:
    theme_sections: list[Section] = []
    for t, theme in enumerate(inputs.strategy.themes, start=1):
        strand_sections = tuple(
            _strand_section(inputs, f"5.{t}.{n}", strand, by_strand.get(strand.id, []), counter)
            for n, strand in enumerate(theme.strands, start=1)
        )
        theme_sections.append(Section(f"5.{t}", theme.name, (), strand_sections, anchor=f"theme-{theme.id}"))
    challenges = _challenges(inputs, risks)
    theme_sections.append(
        Section(
            f"5.{len(inputs.strategy.themes) + 1}",
            "Delivery and challenges by exception",
            challenges,
            anchor="challenges",
        )
    )
    intro = Paragraph(
        f"Each strand below gives its lead, its insights (the 12 months to {month_name(inputs.as_of)} against the "
        "previous 12 months), a monthly chart, breakdowns, aggregate figures, the delivery achieved in the period "
        "reported and the delivery scheduled for the next."
    )
    return Section("5", "Current work and performance", (intro,), tuple(theme_sections), anchor="performance")


def _strand_section(
    inputs: ReportInputs, number: str, strand: Strand, results: list[IndicatorResult], counter: _Counter
) -> Section:
    blocks: list[Block] = [
        Paragraph(f"Thematic lead: {strand.lead.rank}, {strand.lead.portfolio}", style="lead"),
    ]
    records = [r for r in results if r.indicator.source != "measures"]
    measures = [r for r in results if r.indicator.source == "measures"]
    counts = [r for r in records if r.indicator.unit != "rate" and _rolling(r)]
    rates = [r for r in records if r.indicator.unit == "rate"]
    if not results:
        blocks.append(Paragraph("This strand reports its delivery only: no indicator is declared for it.", "note"))
    if counts:
        blocks.append(_comparison_table(counts, counter, strand))
    if rates:
        blocks.append(_rate_table(rates, counter, strand))
    for result in records:
        comparison = _rolling(result) or result.headline
        blocks.append(Paragraph(_sentence(result, comparison)))
        blocks.append(Paragraph(f"Definition: {result.indicator.definition}", style="note"))
        rolling = _rolling(result)
        if rolling and rolling.status == OK and result.indicator.chart != "none":
            n = counter.figure()
            title = result.indicator.title
            blocks.append(
                Chart(
                    chart_id=f"chart-{strand.id}-{result.indicator.id}",
                    caption=f"Figure {n}: {title}, each month of the 12 months to {month_name(inputs.as_of)} "
                    "against the same month of the previous 12",
                    description=_chart_description(result, rolling),
                    spec=rolling_months_spec(title, list(result.series), result.indicator.unit),
                )
            )
            xmr = spc_chart(result)
            if xmr is not None:
                blocks.append(
                    Chart(
                        chart_id=f"spc-{strand.id}-{result.indicator.id}",
                        caption=f"Figure {counter.figure()}: {title}, statistical process control (XmR) chart of the "
                        f"24 months to {month_name(inputs.as_of)}: {xmr.variation}",
                        description=f"XmR chart of {title}: mean {xmr.phases[0].mean:.1f}, process limits "
                        f"{xmr.phases[0].lower:.1f} to {xmr.phases[0].upper:.1f}; latest month: {xmr.variation}.",
                        spec=xmr_spec(title, xmr),
                        kind="spc",
                    )
                )
                blocks.append(Paragraph(_spc_sentence(title, xmr), style="note"))
        for breakdown in result.breakdowns[:1]:
            blocks.append(_breakdown_table(result, breakdown, counter))
    zone_evaluations = [e for s, e in inputs.zones if s.id == strand.id]
    supplied = [r.indicator.title for r in measures if "zone" in r.indicator.id]
    for i, zone_evaluation in enumerate(zone_evaluations):
        blocks.extend(zone_blocks(strand, zone_evaluation, counter.table, supplied=supplied))
        zone_chart = zone_map(strand, zone_evaluation, counter.figures + 1, inputs.outlines, inputs.outlines_from)
        zone_chart = zone_chart if i == 0 else None
        if zone_chart is not None:
            counter.figure()
            blocks.append(zone_chart)
    for item in (r for r in inputs.repeats if r.strand.id == strand.id):
        blocks.extend(repeat_blocks(item, counter.table, inputs.metadata.suppress_below))
    if measures:
        blocks.append(_measures_table(measures, counter, strand))
    for evaluation in (e for e in inputs.operations if e.operation.strand == strand.id):
        blocks.extend(_operation_blocks(evaluation, counter))
        where = operation_map(evaluation, inputs.outlines, counter.figures + 1, inputs.outlines_from)
        if where is not None:
            counter.figure()
            blocks.append(where)
    delivery = inputs.delivery.for_strand(strand.id)
    reported = inputs.delivery.period_reported
    scheduled = inputs.delivery.period_scheduled
    blocks.append(
        Paragraph(
            "Delivery achieved" + (f" ({_period(reported.start, reported.end)})" if reported else ""),
            style="subheading",
        )
    )
    blocks.append(BulletList(tuple(delivery.achieved)))
    blocks.append(
        Paragraph(
            "Delivery scheduled" + (f" ({_period(scheduled.start, scheduled.end)})" if scheduled else ""),
            style="subheading",
        )
    )
    blocks.append(BulletList(tuple(delivery.scheduled)))
    return Section(number, strand.title, tuple(blocks), anchor=f"strand-{strand.id}")


def _operation_blocks(evaluation: OperationEvaluation, counter: _Counter) -> list[Block]:
    op = evaluation.operation
    year, previous, now = (month_name(m) for m in evaluation.months)
    rows = []
    for e in evaluation.indicators:
        for r in e.rows:
            rows.append(
                (("- " if r.sub_row else "") + r.label, *(table_value(v, "count") for v in r.counts),
                 table_pct(r.vs_previous_month), table_pct(r.vs_year_before))
            )  # fmt: skip
    blocks: list[Block] = [
        Paragraph(f"Operation: {op.name} ({op.starts_on.isoformat()} to {op.ends_on.isoformat()})", style="subheading"),
        Table(
            caption=f"Table {counter.table()}: {op.name}, {now} against {previous} and {year}",
            header=(("Offences", year, previous, now, f"% vs {previous}", f"% vs {year}"),),
            rows=tuple(rows),
            kind="operation",
        ),
    ]
    for e in evaluation.indicators:
        c = e.counterfactual
        if c is None:
            blocks.append(Paragraph(f"{e.indicator.title}: {e.counterfactual_note}.", style="note"))
            continue
        inside = c.expected_low <= c.observed <= c.expected_high
        judgement = (
            "within the range expected without the operation"
            if inside
            else ("below" if c.observed < c.expected_low else "above") + " the range expected without the operation"
        )
        blocks.append(
            Paragraph(
                f"{e.indicator.title}: from the trend and seasonal pattern of the months before, {now} would be "
                f"expected to have {c.expected:.0f} (95% interval {c.expected_low:.0f} to {c.expected_high:.0f}); "
                f"{c.observed:.0f} were recorded, {judgement} (difference {c.prevented:.0f}, 95% interval "
                f"{c.prevented_low:.0f} to {c.prevented_high:.0f})."
            )
        )
    if evaluation.displacement is not None:
        d = evaluation.displacement
        blocks.append(
            Paragraph(
                f"Weighted displacement difference (Wheeler and Ratcliffe, 2018): {d.wdd:.1f} "
                f"(95% interval {d.low:.1f} to {d.high:.1f}, p = {d.p_value:.3f})."
            )
        )
    return blocks


def _period(start: date, end: date) -> str:
    return f"{MONTH_ABBR[start.month - 1]} {start.year} to {MONTH_ABBR[end.month - 1]} {end.year}"


def _rolling(result: IndicatorResult) -> Comparison | None:
    return next((c for c in result.comparisons if c.kind == "rolling_12_months"), None)


def _header(c: Comparison) -> tuple[str, str]:
    return c.previous_label.replace("12 months ending", "12 Month ending"), c.current_label.replace(
        "12 months ending", "12 Month ending"
    )


def _comparison_table(results: list[IndicatorResult], counter: _Counter, strand: Strand) -> Table:
    first = _rolling(results[0])
    assert first is not None
    previous_label, current_label = _header(first)
    rows = []
    for r in results:
        c = _rolling(r)
        assert c is not None
        unit = r.indicator.unit
        if c.status == OK:
            rows.append(
                (
                    r.indicator.title,
                    table_value(c.previous, unit),
                    table_value(c.current, unit),
                    table_diff(c.change, unit),
                    table_pct(c.change),
                )
            )
        else:
            rows.append((r.indicator.title, c.status, c.status, "n/a", "n/a"))
    return Table(
        caption=f"Table {counter.table()}: {strand.title}, insights",
        header=(("Indicator", previous_label, current_label, "Diff.", "% Diff."),),
        rows=tuple(rows),
        kind="comparison",
    )


def _rate_table(results: list[IndicatorResult], counter: _Counter, strand: Strand) -> Table:
    rows = []
    for r in results:
        c = r.headline
        change = table_diff(c.change, "rate") if c.status == OK else c.status
        previous, current = table_value(c.previous, "rate"), table_value(c.current, "rate")
        rows.append((r.indicator.title, c.previous_label, previous, c.current_label, current, change))
    return Table(
        caption=f"Table {counter.table()}: {strand.title}, rates",
        header=(("Indicator", "Earlier period", "Rate", "Later period", "Rate", "Change"),),
        rows=tuple(rows),
        numeric_from=2,
        kind="rates",
    )


def _sentence(result: IndicatorResult, c: Comparison) -> str:
    """One neutral sentence: the two figures, the difference and the percentage, no verdict words."""
    unit = result.indicator.unit
    title = result.indicator.title
    if c.status != OK:
        return f"{title}: the figure cannot be reported ({c.status}: {c.reason})."
    if c.change is None:
        return f"{title}: {prose_value(c.current, unit)} in the {c.current_label}."
    if unit == "rate":
        return (
            f"{title}: {prose_value(c.current, unit)} in the {c.current_label}, against "
            f"{prose_value(c.previous, unit)} in the {c.previous_label}, a difference of {table_diff(c.change, unit)}."
        )
    sentence = (
        f"{title} numbered {prose_value(c.current, unit)} in the {c.current_label}, against "
        f"{prose_value(c.previous, unit)} in the {c.previous_label}: a difference of "
        f"{table_diff(c.change, unit)} ({table_pct(c.change)})."
    )
    if c.verdict is not None:
        sentence += f" This is {_verdict_phrase(c)}."
    return sentence


def _verdict_phrase(c: Comparison) -> str:
    """The verdict in words, with the test it rests on: never a direction for noise."""
    assert c.verdict is not None
    p = c.verdict.p_value_overdispersed if c.verdict.p_value_overdispersed is not None else c.verdict.p_value
    return f"{describe_change(c.verdict, table_pct(c.change))} ({c.verdict.test_used} test, {_p_text(p)})"


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _chart_description(result: IndicatorResult, c: Comparison) -> str:
    values = [
        f"{m.strftime('%b %Y')}: {'no figure' if v is None else table_value(v, result.indicator.unit)}"
        for m, v in result.series
    ]
    return (
        f"Bar chart of {result.indicator.title} for each month, {c.current_label} beside {c.previous_label}. "
        f"Values: {'; '.join(values)}."
    )


def _breakdown_table(result: IndicatorResult, breakdown: Breakdown, counter: _Counter) -> Table:
    unit = result.indicator.unit
    dimension = DIMENSION_TITLES.get(breakdown.dimension, breakdown.dimension)
    headline = result.headline
    months = comparison_windows(headline.kind, result.as_of).current.months() if headline.kind != "periods" else []
    caption = f"Table {counter.table()}: {result.indicator.title} by {dimension.lower()}"
    if len(months) <= 3 and unit == "count":
        # A quarter is shown month by month, as published (e.g. hate crime by type).
        header = (dimension, *(month_name(m) for m in months), "Total")
        numbers = []
        for row in breakdown.rows:
            monthly = dict(row.monthly)
            cells = [monthly.get(m) or 0.0 for m in months]
            numbers.append((row.value, [*cells, sum(cells)]))
        totals = [sum(cells[i] for _, cells in numbers) for i in range(len(months) + 1)]
        rows = [(value, *(table_value(v, unit) for v in cells)) for value, cells in numbers]
        rows.append(("Total", *(table_value(v, unit) for v in totals)))
        return Table(caption + f", {headline.current_label}", (header,), tuple(rows), total_rows=1, kind="breakdown")
    previous_label, current_label = _header(headline)
    rows = [
        (
            row.value,
            table_value(row.comparison.previous, unit),
            table_value(row.comparison.current, unit),
            table_diff(row.comparison.change, unit),
            table_pct(row.comparison.change),
        )
        for row in breakdown.rows
    ]
    t = breakdown.total
    rows.append(
        (
            "Total",
            table_value(t.previous, unit),
            table_value(t.current, unit),
            table_diff(t.change, unit),
            table_pct(t.change),
        )
    )
    header = (dimension, previous_label, current_label, "Diff.", "% Diff.")
    return Table(caption, (header,), tuple(rows), total_rows=1, kind="comparison")


def _measures_table(results: list[IndicatorResult], counter: _Counter, strand: Strand) -> Table:
    rows = []
    for r in results:
        c = r.headline
        unit = r.indicator.unit
        rows.append(
            (
                r.indicator.title,
                c.previous_label or "-",
                table_value(c.previous, unit) if c.previous_label else "-",
                c.current_label or "-",
                table_value(c.current, unit),
            )
        )
    return Table(
        caption=f"Table {counter.table()}: {strand.title}, aggregate figures supplied",
        header=(("Measure", "Earlier period", "Figure", "Latest period", "Figure"),),
        rows=tuple(rows),
        numeric_from=2,
        kind="measures",
    )


def spc_chart(result: IndicatorResult) -> XmRChart | None:
    """The XmR chart of an indicator's 24-month series (the whole series as the baseline)."""
    if result.indicator.unit != "count" or sum(v is not None for _, v in result.series) < 12:
        return None
    direction = result.indicator.good if result.indicator.good in ("down", "up") else "neither"
    return build_xmr_chart(list(result.series), direction=direction)


def _spc_sentence(title: str, chart: XmRChart) -> str:
    latest = chart.points[chart.latest]
    return (
        f"Statistical process control: the latest month of {title.lower()} shows {chart.variation} "
        f"(Making Data Count icon: {chart.variation_icon}); mean {latest.mean:.1f}, process limits "
        f"{latest.lower:.1f} to {latest.upper:.1f}."
    )


def _deteriorations(results: Sequence[IndicatorResult]) -> list[str]:
    """Headline changes that are significant in the concerning direction, and concerning SPC signals."""
    out = []
    for r in results:
        c = r.headline
        if c.verdict is not None and c.verdict.improved is False:
            out.append(f"{r.indicator.title}: {_verdict_phrase(c)}, the concerning direction")
        chart = spc_chart(r)
        if chart is not None and chart.variation == SPECIAL_CAUSE_CONCERNING:
            out.append(f"{r.indicator.title}: statistical process control shows {chart.variation} in the latest month")
    return out


def _data_gaps(results: Sequence[IndicatorResult]) -> list[str]:
    gaps = []
    for r in results:
        c = r.headline
        if c.status != OK:
            gaps.append(f"{r.indicator.title} cannot be reported ({c.status})")
    return gaps


def _challenges(inputs: ReportInputs, risks: dict[str, StrandRisk]) -> tuple[Block, ...]:
    items = []
    for strand in inputs.strategy.strands():
        delivery = inputs.delivery.for_strand(strand.id)
        for action in delivery.slipped:
            items.append(f"{strand.title}: {action}")
        if risks[strand.id].at_risk and not delivery.slipped:
            items.append(f"{strand.title}: {'; '.join(risks[strand.id].reasons)}")
    if not items:
        return (Paragraph("No delivery has slipped and no strand reports an exception in this period."),)
    return (Paragraph("By exception, the following delivery has slipped or is challenged:"), BulletList(tuple(items)))


# --- sections 6 to 8 -------------------------------------------------------------------------------


def _implications(inputs: ReportInputs, risks: dict[str, StrandRisk], counter: _Counter) -> tuple[Section, ...]:
    titles = {s.id: s.title for s in inputs.strategy.strands()}
    at_risk = [r for r in risks.values() if r.at_risk]
    at_risk_blocks: tuple[Block, ...] = (
        (
            Table(
                f"Table {counter.table()}: Strands at risk",
                (("Strand", "Reasons"),),
                tuple((titles[r.strand_id], "; ".join(r.reasons)) for r in at_risk),
                numeric_from=99,
            ),
        )
        if at_risk
        else (Paragraph("No strand is at risk on the evidence of this period."),)
    )
    priorities = inputs.metadata.plan_priorities
    links: tuple[Block, ...] = (
        (
            Table(
                f"Table {counter.table()}: Links to the Police and Crime Plan",
                (("Strand", "Plan priorities"),),
                tuple((titles[s.id], "; ".join(priorities.get(s.id, [])) or "-") for s in inputs.strategy.strands()),
                numeric_from=99,
            ),
        )
        if priorities
        else (Paragraph("No links to plan priorities are recorded in the report metadata."),)
    )
    return (
        Section("6.1", "Strands at risk", at_risk_blocks, anchor="at-risk"),
        Section("6.2", "Links to plan priorities", links, anchor="priorities"),
        Section("6.3", "Risks", (BulletList(tuple(inputs.metadata.risks)),), anchor="risks"),
    )


def _consultation(inputs: ReportInputs, counter: _Counter) -> Table:
    rows = tuple((s.title, f"{s.lead.rank}, {s.lead.portfolio}") for s in inputs.strategy.strands())
    return Table(
        f"Table {counter.table()}: Consultation with strand leads",
        (("Strand", "Lead"),),
        rows,
        numeric_from=99,
        kind="consultation",
    )


def _actions(inputs: ReportInputs, risks: dict[str, StrandRisk]) -> tuple[str, ...]:
    actions = list(inputs.metadata.actions_for_improvement)
    for strand in inputs.strategy.strands():
        if risks[strand.id].at_risk:
            actions.append(
                f"{strand.lead.rank}, {strand.lead.portfolio}: a recovery plan for {strand.title.lower()} "
                "to the next strategy board."
            )
    return tuple(actions)
