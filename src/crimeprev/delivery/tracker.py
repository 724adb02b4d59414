"""The delivery tracker's imports and exports: files in, files out, through the app store.

An import is idempotent: an action already in the tracker (same strand, half-year and title) with
the same status and owner is left alone, one whose status or owner differs is updated (a new version,
audited as an import), a new one is added; importing the same file twice changes nothing the second
time. Narrative parts likewise. Exports give back the files crimeprev's report reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from crimeprev.delivery.actions import ActionDraft
from crimeprev.delivery.plan import DeliveryPlan
from crimeprev.delivery.transfer import NarrativePart, narrative_of, next_half_year, plan_of
from crimeprev.report.narrative import Narrative
from crimeprev.store.app_store import AppStore

__all__ = ["Imported", "export_narrative", "export_plan", "import_actions", "import_narrative"]


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def describe(self, noun: str) -> str:
        return f"{self.added} {noun} added, {self.updated} updated, {self.unchanged} unchanged"


def import_actions(store: AppStore, drafts: Iterable[ActionDraft], *, by: str, now: datetime) -> Imported:
    """Bring the tracker's actions in line with ``drafts`` (see the module docstring)."""
    added = updated = unchanged = 0
    existing = {(a.strand, a.half_year, a.title): a for a in store.actions()}
    for draft in drafts:
        stored = existing.get((draft.strand, draft.half_year, draft.title))
        if stored is None:
            store.add_action(draft, by=by, now=now, change="import")
            added += 1
        elif (stored.status, stored.owner) == (draft.status, draft.owner):
            unchanged += 1
        else:
            kept = replace(stored.draft(), status=draft.status, owner=draft.owner)
            store.update_action(stored.id, kept, expected_version=stored.version, by=by, now=now, change="import")
            updated += 1
    return Imported(added, updated, unchanged)


def import_narrative(store: AppStore, parts: Iterable[NarrativePart], *, by: str, now: datetime) -> Imported:
    """Bring the tracker's narrative in line with ``parts``."""
    added = updated = unchanged = 0
    stored = {(t.strand, t.half_year, t.part): t for t in store.narrative()}
    for strand, half_year, part, text in parts:
        current = stored.get((strand, half_year, part))
        if current is not None and current.text == text:
            unchanged += 1
            continue
        version = current.version if current is not None else 0
        store.set_narrative(strand, half_year, part, text, expected_version=version, by=by, now=now, change="import")
        if current is None:
            added += 1
        else:
            updated += 1
    return Imported(added, updated, unchanged)


def export_plan(store: AppStore, reported: str, leads: Mapping[str, str] | None = None) -> DeliveryPlan:
    """The delivery file for the half-year ``reported`` (and the scheduled one after it)."""
    actions = [*store.actions(half_year=reported), *store.actions(half_year=next_half_year(reported))]
    return plan_of(actions, reported, leads)


def export_narrative(store: AppStore) -> Narrative:
    return narrative_of((t.strand, t.half_year, t.part, t.text) for t in store.narrative())
