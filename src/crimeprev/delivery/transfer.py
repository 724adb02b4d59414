"""Delivery and narrative files to and from the tracker's records (pure: no store, no files).

The files are what crimeprev read before the tracker existed (``--delivery``, ``--narrative``) and
what a force keeps in version control; the tracker holds the same content as one action per line and
one narrative part per strand, half-year and part. A delivery file covers two half-years: what was
delivered in the half-year reported (achieved, slipped) and what is scheduled in the next one.

Mapping, both ways: ``achieved`` ↔ status achieved in the reported half-year; ``slipped`` ↔ status
slipped in the reported half-year (and, exported, every action of that half-year neither achieved nor
cancelled: it missed its half-year); ``scheduled`` ↔ status scheduled or in progress in the next
half-year. Cancelled actions are not in the file. The strand's lead is each imported action's owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from crimeprev.delivery.actions import Action, ActionDraft, ActionStatus, check_half_year
from crimeprev.delivery.plan import DeliveryPlan, Period, StrandDelivery
from crimeprev.model.windows import parse_month
from crimeprev.report.narrative import PARTS, HalfYear, Narrative, StrandNarrative

__all__ = [
    "NarrativePart",
    "drafts_of_narrative",
    "drafts_of_plan",
    "narrative_of",
    "next_half_year",
    "period_of",
    "plan_of",
]

NarrativePart = tuple[str, str, str, str]  # strand, half-year, part, text


def next_half_year(half_year: str) -> str:
    """The half-year after ``half_year`` (2024-03 → 2024-09 → 2025-03)."""
    year, month = int(check_half_year(half_year)[:4]), half_year[5:]
    return f"{year}-09" if month == "03" else f"{year + 1}-03"


def period_of(half_year: str) -> Period:
    """The dates a half-year covers: 2024-03 is 1 October 2023 to 31 March 2024."""
    year, month = int(check_half_year(half_year)[:4]), half_year[5:]
    if month == "03":
        return Period.model_validate({"from": date(year - 1, 10, 1), "to": date(year, 3, 31)})
    return Period.model_validate({"from": date(year, 4, 1), "to": date(year, 9, 30)})


def drafts_of_plan(plan: DeliveryPlan, reported: str) -> list[ActionDraft]:
    """The actions a delivery file lists, for the half-year ``reported`` and the one after."""
    scheduled = next_half_year(reported)
    drafts: list[ActionDraft] = []
    for strand, delivery in plan.strands.items():
        owner = delivery.lead or ""
        lists = (
            (delivery.achieved, reported, ActionStatus.ACHIEVED),
            (delivery.slipped, reported, ActionStatus.SLIPPED),
            (delivery.scheduled, scheduled, ActionStatus.SCHEDULED),
        )
        for titles, half_year, status in lists:
            drafts.extend(ActionDraft(strand, title, half_year, status, owner) for title in titles)
    return drafts


def plan_of(actions: Iterable[Action], reported: str, leads: Mapping[str, str] | None = None) -> DeliveryPlan:
    """The delivery file of the tracker's actions, for the half-year ``reported`` and the one after."""
    scheduled = next_half_year(reported)
    strands: dict[str, dict[str, list[str]]] = {}
    owners: dict[str, str] = {}
    for action in sorted(actions, key=lambda a: (a.strand, a.id)):
        if action.status is ActionStatus.CANCELLED:
            continue
        if action.half_year == reported:
            kind = "achieved" if action.status is ActionStatus.ACHIEVED else "slipped"
        elif action.half_year == scheduled and action.status in (ActionStatus.SCHEDULED, ActionStatus.IN_PROGRESS):
            kind = "scheduled"
        else:
            continue
        strands.setdefault(action.strand, {"achieved": [], "scheduled": [], "slipped": []})[kind].append(action.title)
        owners.setdefault(action.strand, action.owner)
    leads = leads or {}
    return DeliveryPlan(
        period_reported=period_of(reported),
        period_scheduled=period_of(scheduled),
        strands={
            strand: StrandDelivery(lead=leads.get(strand) or owners.get(strand) or None, **lists)
            for strand, lists in strands.items()
        },
    )


def drafts_of_narrative(narrative: Narrative) -> list[NarrativePart]:
    """Every written part of a narrative file as (strand, half-year, part, text)."""
    out: list[NarrativePart] = []
    for half in narrative.half_years:
        half_year = check_half_year(f"{half.to:%Y-%m}", "narrative file")
        for strand, parts in half.strands.items():
            for part in PARTS:
                text = getattr(parts, part)
                if text:
                    out.append((strand, half_year, part, text))
    return out


def narrative_of(parts: Iterable[NarrativePart]) -> Narrative:
    """The narrative file of the tracker's parts."""
    by_half: dict[str, dict[str, dict[str, str]]] = {}
    for strand, half_year, part, text in parts:
        if part in PARTS:  # the tracker also keeps the leads' notes on their status, which the paper does not print
            by_half.setdefault(half_year, {}).setdefault(strand, {})[part] = text
    return Narrative(
        half_years=[
            HalfYear(to=parse_month(half_year), strands={s: StrandNarrative(**p) for s, p in sorted(strands.items())})
            for half_year, strands in sorted(by_half.items())
        ]
    )
