"""Assembling the scrutiny report document from evaluated indicators (pure).

The structure follows the published six-monthly paper: a cover table; 1 Purpose; 2
Recommendations; 3 Executive summary; 4 Introduction; 5 Current work and performance, one
subsection per theme and strand (lead, insights tables, monthly charts, breakdowns, aggregate
figures, a sentence per indicator, delivery achieved and scheduled), then, when the store holds
other forces of the region, the comparison with them, and last Challenges by exception;
6 Implications; 7 Consultation; 8 Actions for improvement; 9 Future work.

Every sentence about a change is neutral: it states the two figures, the difference and the
percentage, and never calls a change a rise or a fall on its own authority.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from crimeprev.delivery.at_risk import StrandRisk, assess_strand
from crimeprev.delivery.plan import DeliveryPlan
from crimeprev.indicators.compare import OK, Comparison
from crimeprev.indicators.insights import Breakdown, IndicatorResult
from crimeprev.indicators.peers import PeerComparison
from crimeprev.model.change import compute_change
from crimeprev.model.strategy import Strand, Strategy
from crimeprev.model.windows import MONTH_ABBR, comparison_windows, long_date, long_month_name, month_name
from crimeprev.model.wording import plural
from crimeprev.operations.evaluate import OperationEvaluation
from crimeprev.operations.zones import ZoneEvaluation
from crimeprev.people.repeats import StrandRepeats
from crimeprev.report.charts import rolling_months_spec
from crimeprev.report.document import Block, BulletList, Chart, Document, Paragraph, Section, Table
from crimeprev.report.figures import table_diff, table_pct, table_value
from crimeprev.report.metadata import IMPLICATION_TITLES, ReportMetadata
from crimeprev.report.narrative import StrandNarrative, markdown_blocks, narrative_part
from crimeprev.report.peer_section import peer_annex, peer_blocks
from crimeprev.report.people import repeat_blocks
from crimeprev.report.spc_chart import xmr_spec
from crimeprev.report.verdicts import (
    headline_phrase,
    latest_month,
    latest_month_short,
    p_text,
    period_words,
    plain_sentence,
)
from crimeprev.report.zones import operation_map, zone_blocks, zone_map
from crimeprev.spatial.outlines import Outline
from crimeprev.stats.operation_days import YEAR
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
    delivery_given: bool = True  # False: no delivery file, so delivery is unknown (not "nothing scheduled")
    narrative: Mapping[str, StrandNarrative] = field(default_factory=dict)  # the leads' words, by strand id
    code_names: Mapping[str, str] = field(default_factory=dict)  # offence code -> name, for breakdown rows
    peers: Sequence[PeerComparison] = ()  # the force beside the other forces of its region (when the store has them)


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
            inputs.delivery.for_strand(s.id) if inputs.delivery_given else None,
            *risk_evidence(by_strand.get(s.id, [])),
        )
        for s in inputs.strategy.strands()
    }
    counter = _Counter()  # tables and figures are numbered in reading order
    cover = Section("", "Report details", (_cover(inputs, counter),), anchor="cover")
    performance = _performance(inputs, by_strand, risks, counter)
    implications = Section("6", "Implications", (), _implications(inputs, risks, counter), anchor="implications")
    consultation = Section("7", "Consultation", (_consultation(inputs),), anchor="consultation")
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
        Section(
            "8",
            "Actions for improvement",
            (BulletList(actions) if (actions := _actions(inputs, risks)) else _placeholder("actions for improvement"),),
            anchor="actions",
        ),
        Section(
            "9",
            "Future work",
            (BulletList(tuple(meta.future_work)) if meta.future_work else _placeholder("the force's future work"),),
            anchor="future-work",
        ),
        _appendix(inputs, by_strand, counter, "A"),
        _technical_annex(inputs, counter, "B"),
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
        ("Date paper written", long_date(meta.date_written) if meta.date_written else None),
        ("Date of meeting", long_date(meta.date_of_meeting) if meta.date_of_meeting else None),
        ("Author", meta.author),
        ("Chief officer approval", long_date(meta.chief_officer_approval) if meta.chief_officer_approval else None),
        ("Governance meeting", meta.governance_meeting),
        ("Strategy", meta.strategy_note or inputs.strategy.title),
        ("Figures to", f"end of {long_month_name(inputs.as_of)}"),
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
        f"12 months to {long_month_name(inputs.as_of)} against the previous 12 months, what has been delivered and "
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
            "Every figure from the records is computed by a declared definition, and figures supplied from outside "
            "the records (seizures, reports to Action Fraud) are shown as supplied; Appendix B lists each definition "
            "and how each verdict was reached. "
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
    period = f"the 12 months to {long_month_name(inputs.as_of)}"
    strands, themes = len(strategy.strands()), len(strategy.themes)
    blocks: list[Block] = [
        Paragraph(
            f"The strategy has {plural(strands, 'strand')} in {plural(themes, 'theme')}. "
            f"{plural(len(rolling), 'indicator')} {'is' if len(rolling) == 1 else 'are'} compared over {period} "
            "against the previous 12 months. "
            "A change is called real only when it is larger than the usual variation from year to year."
        )
    ]
    real = [(r, c) for r, c in rolling if c.verdict is not None and c.verdict.significant and c.change is not None]
    real.sort(key=lambda rc: -abs(rc[1].change.pct or 0.0))  # type: ignore[union-attr]
    better = [headline_phrase(r, c) for r, c in real if c.verdict.improved is True]  # type: ignore[union-attr]
    worse = [headline_phrase(r, c) for r, c in real if c.verdict.improved is False]  # type: ignore[union-attr]
    other = [headline_phrase(r, c) for r, c in real if c.verdict.improved is None]  # type: ignore[union-attr]
    noise = sum(1 for _, c in rolling if c.verdict is not None and not c.verdict.significant)
    if better:
        blocks += [Paragraph("Real changes for the better, largest first:"), BulletList(tuple(better))]
    if worse:
        blocks += [Paragraph("Real changes for the worse, largest first:"), BulletList(tuple(worse))]
    if other:
        blocks += [Paragraph("Other real changes:"), BulletList(tuple(other))]
    if noise:
        blocks.append(
            Paragraph(
                f"The other {plural(noise, 'indicator')} with a verdict changed by no more than the usual variation "
                "from year to year."
            )
        )
    at_risk = [risks[s.id] for s in strategy.strands() if risks[s.id].at_risk]
    if at_risk:
        verb = "is" if len(at_risk) == 1 else "are"
        blocks.append(Paragraph(f"{plural(len(at_risk), 'strand')} {verb} identified as at risk (see section 6):"))
        titles = {s.id: s.title for s in strategy.strands()}
        blocks.append(BulletList(tuple(f"{titles[r.strand_id]}: {'; '.join(r.reasons)}" for r in at_risk)))
    else:
        blocks.append(Paragraph("No strand is identified as at risk."))
    return tuple(blocks)


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
    if inputs.peers:
        theme_sections.append(
            Section(
                f"5.{len(theme_sections) + 1}",
                f"Compared with the {inputs.peers[0].group_label}",
                peer_blocks(inputs.peers, inputs.as_of, counter),
                anchor="peers",
            )
        )
    challenges = _challenges(inputs, risks)
    theme_sections.append(
        Section(
            f"5.{len(theme_sections) + 1}",
            "Delivery and challenges by exception",
            challenges,
            anchor="challenges",
        )
    )
    intro = Paragraph(
        f"Each strand below gives its lead, its figures (the 12 months to {long_month_name(inputs.as_of)} against the "
        "previous 12 months) with one verdict each and a chart, the lead's commentary and context, the figures "
        "supplied, weeks of action, the delivery achieved and scheduled, and what the strand will do next. Further "
        "charts and breakdowns are in Appendix A; methods and definitions in Appendix B."
    )
    return Section("5", "Current work and performance", (intro,), tuple(theme_sections), anchor="performance")


def _strand_section(
    inputs: ReportInputs, number: str, strand: Strand, results: list[IndicatorResult], counter: _Counter
) -> Section:
    """A strand's body: lead, headline tables, one plain verdict per indicator, one chart, narrative,
    places and people, supplied figures, operations and delivery (the rest goes to the appendix)."""
    blocks: list[Block] = [
        Paragraph(f"Thematic lead: {strand.lead.rank}, {strand.lead.portfolio}", style="lead"),
    ]
    if not results:
        blocks.append(Paragraph("This strand reports its delivery only: no indicator is declared for it.", "note"))
    blocks.extend(_figure_blocks(inputs, strand, results, counter))
    words = inputs.narrative.get(strand.id)
    blocks.extend(narrative_part(words, "commentary", strand.title))
    blocks.extend(narrative_part(words, "context", strand.title))
    blocks.extend(_place_and_people_blocks(inputs, strand, results, counter))
    delivery = inputs.delivery.for_strand(strand.id)
    reported = inputs.delivery.period_reported
    scheduled = inputs.delivery.period_scheduled
    blocks.append(
        Paragraph(
            "Delivery achieved" + (f" ({_period(reported.start, reported.end)})" if reported else ""),
            style="subheading",
        )
    )
    unknown = _placeholder(f"the delivery of {strand.title.lower()} (no delivery file was given)")
    blocks.append(BulletList(tuple(delivery.achieved)) if inputs.delivery_given else unknown)
    blocks.append(
        Paragraph(
            "Delivery scheduled" + (f" ({_period(scheduled.start, scheduled.end)})" if scheduled else ""),
            style="subheading",
        )
    )
    blocks.append(BulletList(tuple(delivery.scheduled)) if inputs.delivery_given else unknown)
    blocks.extend(narrative_part(words, "next_steps", strand.title))
    return Section(number, strand.title, tuple(blocks), anchor=f"strand-{strand.id}")


def _figure_blocks(
    inputs: ReportInputs, strand: Strand, results: list[IndicatorResult], counter: _Counter
) -> list[Block]:
    """The headline tables, one plain verdict per indicator and the first indicator's chart."""
    blocks: list[Block] = []
    records = [r for r in results if r.indicator.source != "measures"]
    counts = [r for r in records if r.indicator.unit != "rate" and _rolling(r)]
    rates = [r for r in records if r.indicator.unit == "rate"]
    if counts:
        blocks.append(_comparison_table(counts, counter, strand))
    if rates:
        blocks.append(_rate_table(rates, counter, strand))
    for result in records:
        blocks.append(Paragraph(plain_sentence(result, _shown(result))))
    charted = next((r for r in records if _charted(r)), None)
    if charted is not None:
        blocks.append(_rolling_chart(charted, strand, counter, inputs.as_of))
    return blocks


def _place_and_people_blocks(
    inputs: ReportInputs, strand: Strand, results: list[IndicatorResult], counter: _Counter
) -> list[Block]:
    """Hotspot zones against the force (with the map), repeat victims and suspects (aggregates only),
    the figures supplied and the weeks of action evaluated."""
    blocks: list[Block] = []
    measures = [r for r in results if r.indicator.source == "measures"]
    zone_evaluations = [e for s, e in inputs.zones if s.id == strand.id]
    supplied = [r.indicator.title for r in measures if "zone" in r.indicator.id]
    for zone_evaluation in zone_evaluations[:1]:  # the first zone indicator here, the others in the appendix
        blocks.extend(zone_blocks(strand, zone_evaluation, counter.table, supplied=supplied))
        zone_chart = zone_map(strand, zone_evaluation, counter.figures + 1, inputs.outlines, inputs.outlines_from)
        if zone_chart is not None:
            counter.figure()
            blocks.append(zone_chart)
    for item in (r for r in inputs.repeats if r.strand.id == strand.id):
        blocks.extend(repeat_blocks(item, counter.table, inputs.metadata.suppress_below))
    if measures:
        blocks.append(_measures_table(measures, counter, strand))
    for evaluation in (e for e in inputs.operations if e.operation.strand == strand.id):
        blocks.extend(_operation_blocks(evaluation, counter))
    return blocks


@dataclass(frozen=True)
class StrandEvidence:
    """A strand's evidence in the paper's own blocks, for the dashboard's strand page (where the
    delivery and narrative come live from the tracker instead): the same tables, verdicts and
    charts as the paper, numbered from 1 on the page."""

    figures: tuple[Block, ...]  # headline tables, one verdict each, the chart
    places_and_people: tuple[Block, ...]  # zones and map, repeats (aggregates), supplied figures, operations
    detail: tuple[Block, ...]  # the appendix's: further charts, XmR charts, breakdowns


def strand_evidence(inputs: ReportInputs, strand: Strand) -> StrandEvidence:
    """``strand``'s evidence from ``inputs``, built as the paper builds it."""
    results = [r for r in inputs.results if r.strand.id == strand.id]
    counter = _Counter()
    return StrandEvidence(
        tuple(_figure_blocks(inputs, strand, results, counter)),
        tuple(_place_and_people_blocks(inputs, strand, results, counter)),
        _appendix_blocks(inputs, strand, results, counter),
    )


def _shown(result: IndicatorResult) -> Comparison:
    """The comparison the body shows for an indicator, in its table and its sentence alike."""
    return _rolling(result) or result.headline


def _charted(result: IndicatorResult) -> bool:
    rolling = _rolling(result)
    return rolling is not None and rolling.status == OK and result.indicator.chart != "none"


def _rolling_chart(result: IndicatorResult, strand: Strand, counter: _Counter, as_of: date) -> Chart:
    rolling = _rolling(result)
    assert rolling is not None
    title = result.indicator.title
    return Chart(
        chart_id=f"chart-{strand.id}-{result.indicator.id}",
        caption=f"Figure {counter.figure()}: {title}, each month of the 12 months to {month_name(as_of)} against "
        "the same month of the previous 12",
        description=_chart_description(result, rolling),
        spec=rolling_months_spec(title, list(result.series), result.indicator.unit),
    )


def _appendix_blocks(
    inputs: ReportInputs, strand: Strand, results: list[IndicatorResult], counter: _Counter
) -> tuple[Block, ...]:
    """A strand's detail for the appendix: the charts not in the body, XmR charts, breakdowns."""
    records = [r for r in results if r.indicator.source != "measures"]
    body_chart = next((r for r in records if _charted(r)), None)
    blocks: list[Block] = []
    for zone_evaluation in [e for s, e in inputs.zones if s.id == strand.id][1:]:
        blocks.extend(zone_blocks(strand, zone_evaluation, counter.table))
    for result in records:
        title = result.indicator.title
        if _charted(result) and result is not body_chart:
            blocks.append(_rolling_chart(result, strand, counter, inputs.as_of))
        xmr = spc_chart(result)
        if xmr is not None:
            blocks.append(
                Chart(
                    chart_id=f"spc-{strand.id}-{result.indicator.id}",
                    caption=f"Figure {counter.figure()}: {title}, is the latest month unusual? XmR chart of the 24 "
                    f"months to {month_name(inputs.as_of)}",
                    description=f"XmR chart of {title}: {latest_month(xmr)}.",
                    spec=xmr_spec(title, xmr),
                    kind="spc",
                )
            )
            blocks.append(Paragraph(f"{title}: {latest_month(xmr)}.", style="note"))
        for breakdown in result.breakdowns[:1]:
            blocks.append(_breakdown_table(result, breakdown, counter, inputs.code_names))
    for evaluation in (e for e in inputs.operations if e.operation.strand == strand.id):
        where = operation_map(evaluation, inputs.outlines, counter.figures + 1, inputs.outlines_from)
        if where is not None:
            counter.figure()
            blocks.append(where)
    return tuple(blocks)


def _appendix(
    inputs: ReportInputs, by_strand: dict[str, list[IndicatorResult]], counter: _Counter, letter: str
) -> Section:
    children: list[Section] = []
    for strand in inputs.strategy.strands():
        blocks = _appendix_blocks(inputs, strand, by_strand.get(strand.id, []), counter)
        if blocks:
            children.append(Section(f"{letter}.{len(children) + 1}", strand.title, blocks,
                                    anchor=f"appendix-{strand.id}"))  # fmt: skip
    intro = Paragraph(
        "For each strand: the monthly charts of the indicators not charted in the body, a statistical process "
        "control (XmR) chart of each count, which asks whether the latest month is unusual, and the first "
        "breakdown of each indicator."
    )
    return Section(letter, "Appendix A: charts and breakdowns", (intro,), tuple(children), anchor="appendix")


METHODS = (
    "Two questions are asked of each count, and they answer different things. The verdict in the body of "
    "the paper asks whether the total of the last 12 months differs from the previous 12 months' by more "
    "than chance: a quasi-Poisson test, which allows for counts varying more from month to month than pure "
    "chance would (overdispersion), or an exact Poisson test where the months cannot show that; a change is "
    "called real when the test's p-value is below 0.05. The XmR chart of the appendix asks whether the latest "
    "month is unusual against the last 24 months (statistical process control, as in NHS England's Making Data "
    "Count). A real change in a year's total can sit beside an ordinary latest month, and the other way round, "
    "without contradiction. Rates are compared in percentage points without a test."
)


def _technical_annex(inputs: ReportInputs, counter: _Counter, letter: str) -> Section:
    rows = []
    for result in inputs.results:
        rolling = _rolling(result)
        if rolling is None or rolling.status != OK or rolling.verdict is None:
            continue
        xmr = spc_chart(result)
        rows.append(
            (
                result.indicator.title,
                rolling.verdict.test_used,
                p_text(rolling.verdict.p_value_overdispersed if rolling.verdict.p_value_overdispersed is not None
                       else rolling.verdict.p_value),
                f"{rolling.verdict.ci_low:+.1f}% to {rolling.verdict.ci_high:+.1f}%",
                "real change" if rolling.verdict.significant else "usual variation",
                latest_month_short(xmr) if xmr is not None else "-",
            )
        )  # fmt: skip
    table = Table(
        caption=f"Table {counter.table()}: the tests behind each verdict, 12 months to {month_name(inputs.as_of)} "
        "against the previous 12",
        header=(("Indicator", "Test", "p-value", "95% interval of the change", "Verdict", "Latest month (XmR)"),),
        rows=tuple(rows),
        numeric_from=99,
        kind="annex",
    )
    definitions = Table(
        caption=f"Table {counter.table()}: how each figure is made",
        header=(("Strand", "Indicator", "Definition"),),
        rows=tuple(
            (strand.title, indicator.title, indicator.definition)
            for strand in inputs.strategy.strands()
            for indicator in strand.indicators
        ),
        numeric_from=99,
        kind="definitions",
    )
    blocks: tuple[Block, ...] = (Paragraph(METHODS), table, definitions)
    if inputs.peers:
        blocks += (peer_annex(inputs.peers, counter),)
    return Section(letter, "Appendix B: technical annex", blocks, anchor="annex")


def _span(first: date, last: date) -> str:
    """``5 to 11 February 2024``: a run of days in words."""
    if first.year == last.year and first.month == last.month:
        return f"{first.day} to {long_date(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {long_date(last)}"
    return f"{long_date(first)} to {long_date(last)}"


def _diff_cells(before: float | None, after: float | None) -> tuple[str, str]:
    if before is None or after is None:
        return "n/a", "n/a"
    change = compute_change(before, after)
    return table_diff(change, "count"), table_pct(change)


def _days_blocks(evaluation: OperationEvaluation, counter: _Counter) -> list[Block] | None:
    """A week of action judged on its own days: the table as forces publish it, and one verdict each."""
    judged = [e for e in evaluation.indicators if e.days is not None]
    if not judged:
        return None
    op = evaluation.operation
    length = (op.ends_on - op.starts_on).days + 1
    weeks = -(-length // 7)
    step = timedelta(days=7 * weeks)
    before = (op.starts_on - step, op.ends_on - step)
    year = (op.starts_on - YEAR, op.ends_on - YEAR)
    earlier = "the week before" if weeks == 1 else f"the same days {weeks} weeks before"
    rows = []
    sentences = []
    for e in judged:
        d = e.days
        assert d is not None
        # one comparison per row, so every difference sits beside the two figures it is taken from
        for i, (what, window, count) in enumerate(
            ((earlier, before, d.previous), ("the same days a year before", year, d.year_before))
        ):
            label = e.indicator.title if i == 0 else ""
            counts = (table_value(count, "count"), table_value(d.observed, "count"))
            rows.append((label, f"{what} ({_short_span(*window)})", *counts, *_diff_cells(count, d.observed)))
        expected = f"{d.expected:,.0f} expected (usual range {d.low:,.0f} to {d.high:,.0f})"
        if d.observed < d.low:
            verdict = "below the usual range: fewer than expected, beyond chance"
        elif d.observed > d.high:
            verdict = "above the usual range: more than expected, beyond chance"
        else:
            verdict = "within the usual range, so no change can be claimed"
        season = ", adjusted for the season" if d.seasonal_factor is not None else ""
        sentences.append(
            f"{e.indicator.title}: {d.observed:,.0f} in the operation's {plural(length, 'day')}, against {expected} "
            f"from the same weekdays of the {plural(len(d.baseline), 'earlier window')}{season}: {verdict}."
        )
    sentences += [
        f"{e.indicator.title}: {e.days_note or e.counterfactual_note or 'not judged on its days'}."
        for e in evaluation.indicators
        if e.days is None
    ]
    table = Table(
        caption=f"Table {counter.table()}: {op.name}, its {plural(length, 'day')} against {earlier} and the same "
        "days of the year before",
        header=(("Offences", "Compared with", "Then", f"Operation ({_short_span(op.starts_on, op.ends_on)})", "Diff.",
                 "% Diff."),),
        rows=tuple(rows),
        numeric_from=2,
        kind="operation",
    )  # fmt: skip
    return [table, *(Paragraph(text) for text in sentences)]


def _short_span(first: date, last: date) -> str:
    """``5-11 Feb 24``: a column heading for a run of days."""
    if first.month == last.month:
        return f"{first.day}-{last.day} {month_name(last)}"
    return f"{first.day} {MONTH_ABBR[first.month - 1]}-{last.day} {month_name(last)}"


def _operation_blocks(evaluation: OperationEvaluation, counter: _Counter) -> list[Block]:
    op = evaluation.operation
    where = ", ".join(op.area) if op.area else "force-wide"
    blocks: list[Block] = [
        Paragraph(f"Operation: {op.name}, {_span(op.starts_on, op.ends_on)} ({where})", style="subheading"),
    ]
    if op.notes:
        blocks.append(Paragraph(op.notes))
    days = _days_blocks(evaluation, counter)
    if days is not None:
        blocks.extend(days)
    else:
        blocks.extend(_month_blocks(evaluation, counter))
    if evaluation.displacement is not None:
        d = evaluation.displacement
        if d.high < 0:
            plain = "crime in the area went down relative to the control area, beyond chance"
        elif d.low > 0:
            plain = "crime in the area went up relative to the control area, beyond chance"
        else:
            plain = "no clear difference between the area and the control area"
        blocks.append(
            Paragraph(
                f"Against its control area (weighted displacement difference, Wheeler and Ratcliffe, 2018): {plain} "
                f"({d.wdd:,.1f}; {d.confidence:.0%} interval {d.low:,.1f} to {d.high:,.1f})."
            )
        )
    return blocks


def _month_blocks(evaluation: OperationEvaluation, counter: _Counter) -> list[Block]:
    """An operation of more than a month: its month against the month before and a year before."""
    op = evaluation.operation
    year, previous, now = (month_name(m) for m in evaluation.months)
    rows = []
    for e in evaluation.indicators:
        for r in e.rows:
            year_n, previous_n, now_n = r.counts
            rows.append(
                (("- " if r.sub_row else "") + r.label, *(table_value(v, "count") for v in r.counts),
                 *_diff_cells(previous_n, now_n), *_diff_cells(year_n, now_n))
            )  # fmt: skip
    header = ("Offences", year, previous, now, f"Diff. vs {previous}", f"% vs {previous}", f"Diff. vs {year}",
              f"% vs {year}")  # fmt: skip
    caption = f"Table {counter.table()}: {op.name}, {now} against {previous} and {year}"
    blocks: list[Block] = [Table(caption=caption, header=(header,), rows=tuple(rows), kind="operation")]
    for e in evaluation.indicators:
        c = e.counterfactual
        if c is None:
            blocks.append(Paragraph(f"{e.indicator.title}: {e.counterfactual_note}.", style="note"))
            continue
        if c.expected_low <= c.observed <= c.expected_high:
            judgement = "within the range expected without the operation, so no change can be claimed"
        elif c.observed < c.expected_low:
            judgement = "below the range expected without the operation: fewer than expected, beyond chance"
        else:
            judgement = "above the range expected without the operation: more than expected, beyond chance"
        blocks.append(
            Paragraph(
                f"{e.indicator.title}: {c.observed:,.0f} in {now}, against {c.expected:,.0f} expected from the trend "
                f"and seasonal pattern of the months before (usual range {c.expected_low:,.0f} to "
                f"{c.expected_high:,.0f}): {judgement}."
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
    """Rates with their two periods in the header (one line per rate), grouped when periods differ."""
    groups: dict[tuple[str, str], list[IndicatorResult]] = {}
    for r in results:
        groups.setdefault((_shown(r).previous_label, _shown(r).current_label), []).append(r)
    previous_label, current_label = next(iter(groups))
    rows = []
    for (earlier, later), members in groups.items():
        for r in members:
            c = _shown(r)
            label = r.indicator.title if (earlier, later) == (previous_label, current_label) else (
                f"{r.indicator.title} ({_short_label(earlier)} against {_short_label(later)})")  # fmt: skip
            change = table_diff(c.change, "rate") if c.status == OK else c.status
            rows.append((label, table_value(c.previous, "rate"), table_value(c.current, "rate"), change))
    return Table(
        caption=f"Table {counter.table()}: {strand.title}, rates",
        header=(("Indicator", _short_label(previous_label), _short_label(current_label), "Change"),),
        rows=tuple(rows),
        numeric_from=1,
        kind="rates",
    )


def _short_label(label: str) -> str:
    """``12 months to Mar 24`` for ``12 months ending Mar 24``: a header that fits on one line."""
    return label.replace("months ending", "months to").replace("month ending", "months to")


def _chart_description(result: IndicatorResult, c: Comparison) -> str:
    values = [
        f"{m.strftime('%b %Y')}: {'no figure' if v is None else table_value(v, result.indicator.unit)}"
        for m, v in result.series
    ]
    return (
        f"Bar chart of {result.indicator.title} for each month, {c.current_label} beside {c.previous_label}. "
        f"Values: {'; '.join(values)}."
    )


def _breakdown_table(
    result: IndicatorResult, breakdown: Breakdown, counter: _Counter, code_names: Mapping[str, str]
) -> Table:
    unit = result.indicator.unit
    # an offence code is shown with its name ("28E Burglary of a home"), as readers do not know the codes
    labels = {c: f"{c} {n}" for c, n in code_names.items()} if breakdown.dimension == "offence_code" else {}
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
            numbers.append((labels.get(row.value, row.value), [*cells, sum(cells)]))
        totals = [sum(cells[i] for _, cells in numbers) for i in range(len(months) + 1)]
        rows = [(value, *(table_value(v, unit) for v in cells)) for value, cells in numbers]
        rows.append(("Total", *(table_value(v, unit) for v in totals)))
        return Table(caption + f", {headline.current_label}", (header,), tuple(rows), total_rows=1, kind="breakdown")
    previous_label, current_label = _header(headline)
    rows = [
        (
            labels.get(row.value, row.value),
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
    """Supplied figures: the latest period and figure, and the earlier ones only where some measure has them."""
    earlier = any(r.headline.previous_label and r.headline.previous is not None for r in results)
    rows: list[tuple[str, ...]] = []
    for r in results:
        c = r.headline
        unit = r.indicator.unit
        latest = (c.current_label or "-", table_value(c.current, unit))
        if earlier:
            had = c.previous_label and c.previous is not None
            rows.append((r.indicator.title, c.previous_label if had else "-",
                         table_value(c.previous, unit) if had else "-", *latest))  # fmt: skip
        else:
            rows.append((r.indicator.title, *latest))
    header = ("Measure", "Earlier period", "Figure", "Latest period", "Figure") if earlier else (
        "Measure", "Period", "Figure")  # fmt: skip
    return Table(
        caption=f"Table {counter.table()}: {strand.title}, aggregate figures supplied",
        header=(header,),
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


def risk_evidence(results: Sequence[IndicatorResult]) -> tuple[list[str], list[str]]:
    """A strand's evidence of risk from its figures: (figures that cannot be reported, real changes or
    unusual months in the worse direction). The paper and the web app judge strands by it alike."""
    return _data_gaps(results), _deteriorations(results)


def _deteriorations(results: Sequence[IndicatorResult]) -> list[str]:
    """Headline changes that are significant in the concerning direction, and concerning SPC signals."""
    out = []
    for r in results:
        c = _shown(r)
        if c.verdict is not None and c.verdict.improved is False:
            out.append(f"{r.indicator.title}: {period_words(c)[0]} against {period_words(c)[1]} show a real "
                       "change, in the worse direction")  # fmt: skip
        chart = spc_chart(r)
        if chart is not None and chart.variation == SPECIAL_CAUSE_CONCERNING:
            out.append(f"{r.indicator.title}: the latest month is unusual, in the worse direction")
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
    written = inputs.metadata.implications
    sections = [
        Section("6.1", "Strands at risk", at_risk_blocks, anchor="at-risk"),
        Section("6.2", "Links to plan priorities", links, anchor="priorities"),
    ]
    for n, (key, title) in enumerate(IMPLICATION_TITLES.items(), start=3):
        text = (getattr(written, key) or "").strip()
        listed = inputs.metadata.risks if key == "risk" else []
        blocks: list[Block] = list(markdown_blocks(text)) if text else ([] if listed else [_placeholder(title)])
        if listed:
            blocks.append(BulletList(tuple(listed)))
        sections.append(Section(f"6.{n}", title, tuple(blocks), anchor=f"implications-{key.replace('_', '-')}"))
    return tuple(sections)


def _placeholder(what: str) -> Paragraph:
    return Paragraph(f"[To be supplied: {what.lower()}]", style="placeholder")


def _consultation(inputs: ReportInputs) -> Paragraph:
    strands = inputs.strategy.strands()
    return Paragraph(
        f"This paper was prepared with the thematic leads of the {plural(len(strands), 'strand')}, each named at the "
        "head of its strand's section in section 5, who supply their strand's commentary, context and next steps."
    )


def _actions(inputs: ReportInputs, risks: dict[str, StrandRisk]) -> tuple[str, ...]:
    actions = list(inputs.metadata.actions_for_improvement)
    for strand in inputs.strategy.strands():
        # a missing delivery file is the report's gap, not the strand's: no recovery plan for it alone
        if [r for r in risks[strand.id].reasons if not r.startswith("no delivery record was supplied")]:
            actions.append(
                f"{strand.lead.rank}, {strand.lead.portfolio}: a recovery plan for {strand.title.lower()} "
                "to the next strategy board."
            )
    return tuple(actions)
