"""Report metadata: what the cover table and the fixed sections of the paper say.

Read from YAML; every field is optional except the classification, which defaults to OFFICIAL.
People are named by role (the chief officer, the author), never by name, unless a force chooses
to write names in its own metadata file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from crimeprev.sources.yaml_documents import read_yaml_model


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
    suppress_below: int = Field(default=5, ge=1, description="published counts below this are shown as <N")


def load_metadata(path: Path | None) -> ReportMetadata:
    """Read report metadata (defaults when ``path`` is None)."""
    if path is None:
        return ReportMetadata()
    return read_yaml_model(path, ReportMetadata, what="metadata file")
