"""Whether a strand is at risk, computed from evidence, with the reasons shown.

A strand is at risk when any of these holds: an indicator cannot be reported (missing or
unrecorded data), an action has slipped or is overdue, nothing is scheduled for the next period, or
the strand has no lead. Each reason is a sentence a scrutiny officer can check. Statistical deterioration
(a special-cause signal in the concerning direction) is added by the indicator evidence passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crimeprev.delivery.plan import StrandDelivery
from crimeprev.model.strategy import Strand

STATUS_NOTE = "status-note"
"""The tracker's key for a lead's note beside the computed status. Kept with the narrative parts
(versioned, audited, conflicts shown like theirs), but not a part of the paper's narrative: the note
is read beside the status and never changes it (nobody sets a strand's status by hand)."""


@dataclass(frozen=True, slots=True)
class StrandRisk:
    strand_id: str
    reasons: tuple[str, ...]

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)


def assess_strand(
    strand: Strand,
    delivery: StrandDelivery | None,
    data_gaps: Sequence[str],
    deteriorations: Sequence[str] = (),
    overdue: Sequence[str] = (),
) -> StrandRisk:
    """The strand's risk from its data gaps, statistical deteriorations and delivery record.

    ``delivery`` is None when no delivery file was given: the reason then says so, instead of
    claiming that nothing is scheduled. ``overdue``: actions past their due date and not achieved
    (the tracker knows due dates; a delivery file does not).
    """
    reasons: list[str] = [*deteriorations]
    reasons.extend(data_gaps)
    if delivery is None:
        reasons.append("no delivery record was supplied for this report (no delivery file)")
        delivery = StrandDelivery()
    elif not delivery.scheduled:
        reasons.append("no delivery is scheduled for the next period")
    reasons.extend(f"action slipped: {action}" for action in delivery.slipped)
    reasons.extend(f"action overdue: {action}" for action in overdue)
    if not strand.lead.rank.strip() or not strand.lead.portfolio.strip():
        reasons.append("the strand has no named lead role")
    return StrandRisk(strand.id, tuple(reasons))
