"""One verdict per figure, in words a councillor understands; the methods behind it for the annex.

Each indicator gets one sentence in the body of the paper: the two figures, the difference, and
whether the change is real or within the usual variation. It never names a test or a p-value, and
never calls a change a rise or a fall when it is within noise. Two questions are asked of a count,
and the paper keeps them apart so they can never read as contradicting each other:

- **the year's total** (the body's verdict): is the total of the last 12 months different from
  the previous 12 months' by more than chance? (quasi-Poisson or exact Poisson test);
- **the latest month** (the technical annex, with the XmR chart): is the latest month unusual
  against the last 24 months? (statistical process control).

A real change in a year's total can sit beside an ordinary latest month, and the other way round:
they answer different questions. The body states only the first; the annex gives both, with the
test, its p-value and the interval.
"""

from __future__ import annotations

from datetime import datetime

from crimeprev.indicators.compare import OK, Comparison
from crimeprev.indicators.insights import IndicatorResult
from crimeprev.report.figures import prose_value
from crimeprev.stats.verdict import SIGNIFICANT_FALL, SIGNIFICANT_RISE, ChangeVerdict
from crimeprev.stats.xmr import COMMON_CAUSE, SPECIAL_CAUSE_CONCERNING, SPECIAL_CAUSE_IMPROVING, XmRChart


def _magnitude(comparison: Comparison, unit: str) -> tuple[str, str]:
    """The difference without its sign, and the percentage without its sign."""
    change = comparison.change
    assert change is not None
    diff = abs(change.diff)
    amount = f"{diff * 100:.1f} percentage points" if unit == "rate" else prose_value(diff, unit)
    pct = change.pct_text.lstrip("+-−")
    return amount, pct


def _real_change(verdict: ChangeVerdict, usual: str) -> str:
    if verdict.improved is True:
        return f"This is more than the usual variation {usual}: a real change, for the better."
    if verdict.improved is False:
        return f"This is more than the usual variation {usual}: a real change, for the worse."
    return f"This is more than the usual variation {usual}: a real change."


def period_words(comparison: Comparison) -> tuple[str, str, str]:
    """The current and previous windows in words, and what "the usual variation" is measured over.

    ``12 months ending Mar 24`` reads "the 12 months to March 2024" against "the previous 12 months";
    any other window keeps its own label ("the 3 months ending Mar 24" against "the 3 months ending
    Mar 23").
    """
    if comparison.kind == "rolling_12_months":
        label = comparison.current_label.removeprefix("12 months ending ").strip()
        try:
            month = datetime.strptime(label, "%b %y")
        except ValueError:
            return f"the {comparison.current_label}", "the previous 12 months", "from year to year"
        return f"the 12 months to {month:%B %Y}", "the previous 12 months", "from year to year"
    return f"the {comparison.current_label}", f"the {comparison.previous_label}", "between such periods"


def plain_sentence(result: IndicatorResult, comparison: Comparison) -> str:
    """The body's sentence for one indicator: its figures and one plain verdict, in the comparison's own periods."""
    unit = result.indicator.unit
    title = result.indicator.title
    c = comparison
    period, before, usual = period_words(c)
    if c.status != OK:
        return f"{title} cannot be reported for {period}: {c.reason}."
    current = prose_value(c.current, unit)
    if c.change is None or c.previous is None:
        return f"{title}: {current} in {period}."
    previous = prose_value(c.previous, unit)
    verdict = c.verdict
    if verdict is not None and verdict.significant and verdict.verdict in (SIGNIFICANT_RISE, SIGNIFICANT_FALL):
        moved = "rose" if verdict.verdict == SIGNIFICANT_RISE else "fell"  # the test's own direction
        amount, pct = _magnitude(c, unit)
        share = "" if unit == "rate" or c.change.pct is None else f" ({pct})"
        return f"{title} {moved} by {amount}{share} to {current} in {period}, from {previous} in {before}. " + (
            _real_change(verdict, usual)
        )
    if c.change.diff == 0:
        return f"{title}: {current} in {period}, the same as in {before}."
    if unit == "rate":
        difference = f"{c.change.diff * 100:+.1f} percentage points"
    elif c.change.pct is None:
        difference = f"a difference of {c.change.diff:+,.0f}"
    else:
        difference = f"a difference of {c.change.diff:+,.0f}, or {c.change.pct_text}"
    sentence = f"{title}: {current} in {period}, against {previous} in {before} ({difference})."
    return (
        f"{sentence} This is within the usual variation {usual}: not evidence of a real change."
        if verdict
        else (sentence)
    )


def headline_phrase(result: IndicatorResult, comparison: Comparison) -> str:
    """A real change in a few words, for the executive summary: "Rape offences: 2,267, down 291 (11.4%)"."""
    c = comparison
    assert c.change is not None
    unit = result.indicator.unit
    amount, pct = _magnitude(c, unit)
    moved = "up" if c.verdict is not None and c.verdict.verdict == SIGNIFICANT_RISE else "down"
    share = "" if unit == "rate" or c.change.pct is None else f" ({pct})"
    return f"{result.indicator.title}: {prose_value(c.current, unit)}, {moved} {amount}{share}"


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def latest_month(chart: XmRChart) -> str:
    """What the XmR chart says of the latest month, in words."""
    latest = chart.points[chart.latest]
    where = f"against a mean of {latest.mean:,.1f} and limits of {latest.lower:,.1f} to {latest.upper:,.1f}"
    if chart.variation == COMMON_CAUSE:
        return f"the latest month is within its usual range ({where})"
    if chart.variation == SPECIAL_CAUSE_IMPROVING:
        return f"the latest month is unusual, in the better direction ({where})"
    if chart.variation == SPECIAL_CAUSE_CONCERNING:
        return f"the latest month is unusual, in the worse direction ({where})"
    return f"the latest month is unusual ({where})"


def latest_month_short(chart: XmRChart) -> str:
    """The XmR verdict on the latest month in a few words, for a table cell."""
    return {
        COMMON_CAUSE: "usual range",
        SPECIAL_CAUSE_IMPROVING: "unusual, better",
        SPECIAL_CAUSE_CONCERNING: "unusual, worse",
    }.get(chart.variation, "unusual")
