"""The operations ledger: weeks of action, kept in a YAML file that the CLI adds to.

::

    operations:
      - id: op-grenadier
        name: Op Grenadier
        strand: burglary-and-robbery
        indicators: [residential_burglary_offences, business_burglary_offences]
        starts_on: 2024-02-05
        ends_on: 2024-02-11
        area: []                    # districts or zone ids; empty for force-wide
        control: []                 # districts or zones compared with the area (weighted displacement test)
        buffer: []                  # districts or zones around the area, where crime could be displaced to
        buffer_m: 250               # or: the ring this many metres around the area's zones
        breakdown: offence_code     # sub-rows of the published table ...
        labels: {28E: home, 28F: unconnected building}   # ... and what to call them
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crimeprev.model.errors import ConfigError
from crimeprev.model.strategy import Dimension, Strategy
from crimeprev.sources.yaml_documents import check_known_values, read_yaml_model


class Operation(BaseModel):
    """One week (or other span) of action."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    strand: str
    indicators: list[str] = Field(min_length=1)
    starts_on: date
    ends_on: date
    area: list[str] = Field(default_factory=list)
    control: list[str] = Field(default_factory=list)
    buffer: list[str] = Field(default_factory=list)
    buffer_m: float | None = Field(default=None, gt=0, description="a ring this many metres around the area's zones")
    breakdown: Dimension | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    notes: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Operation:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self

    @property
    def month(self) -> date:
        """The operation month: the month it started in."""
        return self.starts_on.replace(day=1)


class Ledger(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    operations: list[Operation] = Field(default_factory=list)

    def find(self, ref: str) -> Operation:
        """An operation by id or name (case-insensitive)."""
        for op in self.operations:
            if ref in (op.id, op.name) or ref.lower() == op.name.lower():
                return op
        known = ", ".join(op.name for op in self.operations) or "none"
        raise ConfigError(f"no operation {ref!r} in the ledger (known: {known})")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_ledger(path: Path, strategy: Strategy | None = None) -> Ledger:
    """The ledger at ``path`` (empty when the file does not exist yet).

    With ``strategy``, each operation's strand and indicators must be the strategy's: an error
    names the line and the valid ids.
    """
    if not path.exists():
        return Ledger()
    ledger = read_yaml_model(path, Ledger, what="operations ledger")
    if strategy is not None:
        strands = {s.id: s for s in strategy.strands()}
        for i, op in enumerate(ledger.operations):
            check_known_values(path, ["operations", i, "strand"], [op.strand], list(strands),
                               what="a strand id of the strategy")  # fmt: skip
            ids = [indicator.id for indicator in strands[op.strand].indicators]
            check_known_values(path, ["operations", i, "indicators"], op.indicators, ids,
                               what=f"an indicator of strand {op.strand}")  # fmt: skip
    return ledger


def new_operation(**values: Any) -> Operation:
    """An operation from options given on the command line; :class:`ConfigError` names what is wrong."""
    try:
        return Operation.model_validate(values)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{where + ': ' if where else ''}{first['msg'].removeprefix('Value error, ')}") from None


def add_operation(path: Path, operation: Operation) -> Ledger:
    """Add (or replace, by id) an operation and write the ledger back."""
    ledger = load_ledger(path)
    kept = [op for op in ledger.operations if op.id != operation.id]
    updated = Ledger(operations=[*kept, operation])
    doc = {"operations": [op.model_dump(mode="json", exclude_defaults=True) for op in updated.operations]}
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return updated
