"""The delivery plan: actions per strand and half-year, read from a YAML file.

A later web tracker replaces where the actions are stored, not their shape::

    period_reported: {from: 2023-10-01, to: 2024-03-31}
    period_scheduled: {from: 2024-04-01, to: 2024-09-30}
    strands:
      knife-crime:
        lead: Detective Superintendent, Serious Violence Unit
        achieved: [...]
        scheduled: [...]
        slipped: [...]          # optional: actions that missed their date, with why
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from crimeprev.model.strategy import Strategy
from crimeprev.sources.yaml_documents import check_known_keys, read_yaml_model


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: date = Field(alias="from")
    end: date = Field(alias="to")


class StrandDelivery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lead: str | None = None
    achieved: list[str] = Field(default_factory=list)
    scheduled: list[str] = Field(default_factory=list)
    slipped: list[str] = Field(default_factory=list)


class DeliveryPlan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    period_reported: Period | None = None
    period_scheduled: Period | None = None
    strands: dict[str, StrandDelivery] = Field(default_factory=dict)

    def for_strand(self, strand_id: str) -> StrandDelivery:
        return self.strands.get(strand_id, StrandDelivery())


def load_delivery(path: Path, strategy: Strategy | None = None) -> DeliveryPlan:
    """Read a delivery plan; errors name the file, the line and the field.

    With ``strategy``, a strand id that is not one of its strands is an error listing the valid
    ones: a misspelt key would otherwise leave that strand with no delivery, and at risk.
    """
    plan = read_yaml_model(path, DeliveryPlan, what="delivery file")
    if strategy is not None:
        ids = [s.id for s in strategy.strands()]
        check_known_keys(path, ["strands"], plan.strands, ids, what="a strand id of the strategy")
    return plan
