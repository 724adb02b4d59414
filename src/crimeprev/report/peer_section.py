"""The paper's peer comparison: the force beside the other forces of its region, per 1,000 residents.

On only when the store holds other forces of the region (a national or regional store): each
record count the strategy compares over 12 months gets the force's rate, the group's average, the
force's rank and one plain verdict from the funnel plot; the first indicator's funnel is drawn.
The funnel's parameters go to the technical annex.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from crimeprev.indicators.peers import PER, PeerComparison, describe
from crimeprev.model.windows import long_month_name, month_name
from crimeprev.report.document import Block, Chart, Paragraph, Table
from crimeprev.report.funnel_chart import funnel_spec

VERDICT_WORDS = {
    "higher": "Higher than the group",
    "lower": "Lower than the group",
    "in line": "In line with the group",
}


class Numbering(Protocol):
    def table(self) -> int: ...

    def figure(self) -> int: ...


def peer_blocks(peers: Sequence[PeerComparison], as_of: date, counter: Numbering) -> tuple[Block, ...]:
    """The section's paragraphs, table and funnel plot (the force's row of each comparison)."""
    first = peers[0]
    own = first.force
    intro = Paragraph(
        f"How {own} compares with the {first.group_label} on each figure counted from records, per 1,000 residents "
        f"(ONS mid-year population estimates), over the 12 months to {long_month_name(as_of)}. Rank 1 is the "
        "highest rate. A force is called higher or lower than the group only when its rate lies outside the funnel "
        "plot's 95% limits, which allow for chance and for the usual spread between forces; otherwise it is in line. "
        "The method and the limits are in Appendix B."
    )
    rows = []
    for comparison in peers:
        row = comparison.own
        assert row is not None
        rows.append(
            (
                comparison.indicator.title,
                f"{row.rate:,.2f}",
                f"{comparison.group_rate:,.2f}",
                f"{row.rank} of {len(comparison.rows)}",
                VERDICT_WORDS[row.point.verdict],
            )
        )
    table = Table(
        caption=f"Table {counter.table()}: {own} against the {first.group_label}, per {PER:,} residents, 12 months to "
        f"{month_name(as_of)}",
        header=(("Indicator", own, "Group average", "Rank", "Against the group"),),
        rows=tuple(rows),
        numeric_from=1,
        kind="peers",
    )
    own_row = first.own
    assert own_row is not None
    chart = Chart(
        chart_id=f"funnel-{first.strand.id}-{first.indicator.id}",
        caption=f"Figure {counter.figure()}: {first.indicator.title} per {PER:,} residents, each force of the "
        f"{first.group_label} at its population, with the group average and the funnel's limits",
        description=describe(first, own_row),
        spec=funnel_spec(first),
        kind="funnel",
    )
    return (intro, table, chart)


def peer_annex(peers: Sequence[PeerComparison], counter: Numbering) -> Table:
    """Each comparison's funnel: how spread out the group is and the force's limits."""
    rows = []
    for comparison in peers:
        row = comparison.own
        assert row is not None
        funnel = comparison.funnel
        limits = row.point.limits
        rows.append(
            (
                comparison.indicator.title,
                str(len(comparison.rows)),
                "yes" if funnel.overdispersed else "no",
                f"{funnel.phi:,.2f}",
                f"{limits.inner_low * PER:,.2f} to {limits.inner_high * PER:,.2f}",
                f"{limits.outer_low * PER:,.2f} to {limits.outer_high * PER:,.2f}",
            )
        )
    return Table(
        caption=f"Table {counter.table()}: the peer comparison's funnel plots (Spiegelhalter 2005): the forces "
        "compared, whether they differ among themselves more than chance allows (then the usual spread between "
        f"forces is added to the limits), and the limits at {peers[0].force}'s population, per {PER:,} residents",
        header=(("Indicator", "Forces", "Over-dispersed", "Dispersion (phi)", "95% limits", "99.8% limits"),),
        rows=tuple(rows),
        numeric_from=99,
        kind="annex",
    )
