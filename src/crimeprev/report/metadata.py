"""Report metadata: what the cover table and the fixed sections of the paper say.

Read from YAML; every field is optional except the classification, which defaults to OFFICIAL.
People are named by role (the chief officer, the author), never by name, unless a force chooses
to write names in its own metadata file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from crimeprev.model.strategy import Strategy
from crimeprev.sources.yaml_documents import check_known_keys, read_yaml_model


class Implications(BaseModel):
    """The template's implications, in the force's words (a flagged placeholder where missing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    demand: str | None = None
    equality_and_human_rights: str | None = None
    health_and_safety: str | None = None
    finance: str | None = None
    risk: str | None = None


IMPLICATION_TITLES = {
    "demand": "Demand",
    "equality_and_human_rights": "Equality and human rights",
    "health_and_safety": "Health and safety",
    "finance": "Finance",
    "risk": "Risk",
}


class ReportMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Crime Prevention Strategy Report"
    programme: str | None = None
    report_to: str | None = None
    classification: str = "OFFICIAL"
    agenda_number: str | None = None
    chief_officer: str | None = None
    report_from: str | None = None
    version: str = "1"
    date_written: date | None = None
    date_of_meeting: date | None = None
    author: str | None = None
    chief_officer_approval: date | None = None
    governance_meeting: str | None = None
    strategy_note: str | None = None
    purpose: str | None = None
    recommendations: list[str] = Field(default_factory=list)
    introduction: str | None = None
    plan_priorities: dict[str, list[str]] = Field(default_factory=dict)
    risks: list[str] = Field(default_factory=list)
    actions_for_improvement: list[str] = Field(default_factory=list)
    future_work: list[str] = Field(default_factory=list)
    implications: Implications = Field(default_factory=Implications)
    suppress_below: int = Field(default=5, ge=1, description="published counts below this are shown as <N")


def load_metadata(path: Path | None, strategy: Strategy | None = None) -> ReportMetadata:
    """Read report metadata (defaults when ``path`` is None); with ``strategy``, the strand ids of
    ``plan_priorities`` must be its strands'."""
    if path is None:
        return ReportMetadata()
    meta = read_yaml_model(path, ReportMetadata, what="metadata file")
    if strategy is not None:
        ids = [s.id for s in strategy.strands()]
        check_known_keys(path, ["plan_priorities"], meta.plan_priorities, ids, what="a strand id of the strategy")
    return meta
