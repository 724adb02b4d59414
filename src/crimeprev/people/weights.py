"""The Recency-Frequency-Gravity weights: the shipped defaults or a user's file, validated."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crimeprev.model.errors import ConfigError

SHIPPED = "rfg-weights.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecencyBand(_Strict):
    under_months: int = Field(gt=0)
    points: float = Field(ge=0)


class Frequency(_Strict):
    points_per_offence: float = Field(ge=0)
    cap: float = Field(ge=0)


class Victims(_Strict):
    points_per_extra_victim: float = Field(ge=0)


class Tier(_Strict):
    name: str
    points: float = Field(ge=0)
    codes: list[str]


class Gravity(_Strict):
    harm_days_per_point: float | None = Field(default=None, gt=0)
    default_points: float = Field(ge=0)
    tiers: list[Tier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _each_code_once(self) -> Gravity:
        seen: dict[str, str] = {}
        for tier in self.tiers:
            for code in tier.codes:
                if code in seen:
                    raise ValueError(f"offence code {code} is in two tiers: {seen[code]!r} and {tier.name!r}")
                seen[code] = tier.name
        return self


class RfgWeights(_Strict):
    """Every number the cohort score uses (see ``data/rfg-weights.yaml`` for why each is what it is)."""

    version: str
    lookback_months: int = Field(gt=0)
    recent_months: int = Field(gt=0)
    older_weight: float = Field(ge=0, le=1)
    recency: list[RecencyBand]
    frequency: Frequency
    victims: Victims
    gravity: Gravity

    @model_validator(mode="after")
    def _consistent(self) -> RfgWeights:
        if self.recent_months > self.lookback_months:
            raise ValueError("recent_months cannot exceed lookback_months")
        bounds = [b.under_months for b in self.recency]
        if bounds != sorted(set(bounds)):
            raise ValueError("recency bands must have increasing under_months")
        return self

    def tier_of(self, code: str | None) -> Tier | None:
        for tier in self.gravity.tiers:
            if code in tier.codes:
                return tier
        return None


def load_weights(path: Path | None = None) -> RfgWeights:
    """The weights in ``path``, or the shipped defaults; a clear error for a bad file."""
    where = str(path) if path is not None else f"crimeprev/data/{SHIPPED}"
    try:
        if path is None:
            text = (resources.files("crimeprev") / "data" / SHIPPED).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
    except OSError as e:
        raise ConfigError(f"--weights {path}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{where} is not valid YAML: {e}") from None
    try:
        return RfgWeights.model_validate(doc)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"{where}: {problems}") from None
