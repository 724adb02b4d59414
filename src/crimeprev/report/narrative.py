"""The leads' narrative: commentary, context and next steps per strand and half-year, as data.

The substance of a scrutiny paper is each lead's account of why a figure moved, what else was
going on, and what the force will do next. Written into a generated DOCX it would be lost at the
next regeneration, so it lives in its own file, which a lead can edit (YAML whose values are
Markdown) and the report reads every time::

    half_years:
      - to: 2024-03                  # the month the paper reports to (crimeprev report --as-of)
        strands:
          knife-crime:
            commentary: |
              Why the figures moved, in the lead's words. Markdown: paragraphs, "- " bullets.
            context: |
              National trends, events, data changes.
            next_steps: |
              What the strand will do in the next half-year.

Misspelt keys and strand ids that are not the strategy's are errors naming the line and the
valid choices; a strand or part with no text gets a placeholder the report flags.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crimeprev.model.strategy import Strategy
from crimeprev.model.windows import parse_month
from crimeprev.report.document import Block, BulletList, Paragraph
from crimeprev.sources.yaml_documents import check_known_keys, read_yaml_model

PARTS = {
    "commentary": "Lead's commentary",
    "context": "Context",
    "next_steps": "What we will do next",
}


class StrandNarrative(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    commentary: str | None = None
    context: str | None = None
    next_steps: str | None = None


class HalfYear(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    to: date
    strands: dict[str, StrandNarrative] = Field(default_factory=dict)

    @field_validator("to", mode="before")
    @classmethod
    def _month(cls, value: object) -> date:
        if isinstance(value, date):
            return value.replace(day=1)
        try:
            return parse_month(str(value))
        except ValueError as e:
            raise ValueError(f"'to' is the month the paper reports to, YYYY-MM: {e}") from None


class Narrative(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    half_years: list[HalfYear] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_per_month(self) -> Narrative:
        months = [h.to for h in self.half_years]
        repeated = sorted({f"{m:%Y-%m}" for m in months if months.count(m) > 1})
        if repeated:
            raise ValueError(f"half-year {', '.join(repeated)} is given twice: one of them would be ignored")
        return self

    def months(self) -> list[str]:
        return [f"{h.to:%Y-%m}" for h in self.half_years]

    def for_month(self, as_of: date) -> dict[str, StrandNarrative]:
        """The strands' narrative of the half-year reported to ``as_of`` (empty when there is none)."""
        for half in self.half_years:
            if half.to == as_of.replace(day=1):
                return dict(half.strands)
        return {}


def load_narrative(path: Path, strategy: Strategy) -> Narrative:
    """Read a narrative file; strand ids must be the strategy's (errors name the line)."""
    narrative = read_yaml_model(path, Narrative, what="narrative file")
    ids = [s.id for s in strategy.strands()]
    for i, half in enumerate(narrative.half_years):
        check_known_keys(path, ["half_years", i, "strands"], half.strands, ids, what="a strand id of the strategy")
    return narrative


# Emphasis markers around words, not inside them ("s_136" and "crime_type_x" keep their underscores).
_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _plain(text: str) -> str:
    """Inline Markdown as plain text: emphasis markers and link targets dropped."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return _EMPHASIS.sub(r"\2", text).strip()


def markdown_blocks(text: str) -> list[Block]:
    """Paragraphs, bullet lists and "#" headings of a Markdown text, as report blocks."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        first_item = next((i for i, line in enumerate(lines) if _BULLET.match(line)), None)
        if first_item:  # text, then a list without a blank line between
            blocks.extend(markdown_blocks("\n".join(lines[:first_item])))
            lines = lines[first_item:]
        if all(_BULLET.match(line) for line in lines):
            numbered = [re.match(r"^\s*(\d+)[.)]", line) for line in lines]
            blocks.append(BulletList(tuple(
                (f"{m.group(1)}. " if m else "") + _plain(_BULLET.sub("", line)) for m, line in zip(numbered, lines,
                                                                                                   strict=True)
            )))  # fmt: skip
        elif lines[0].lstrip().startswith("#"):
            blocks.append(Paragraph(_plain(lines[0].lstrip("# ")), style="subheading"))
            if lines[1:]:
                blocks.append(Paragraph(_plain(" ".join(line.strip() for line in lines[1:]))))
        else:
            blocks.append(Paragraph(_plain(" ".join(line.strip() for line in lines))))
    return blocks


def narrative_part(narrative: StrandNarrative | None, part: str, strand_title: str) -> list[Block]:
    """One part of a strand's narrative under its heading, or a flagged placeholder."""
    heading = Paragraph(PARTS[part], style="subheading")
    text = getattr(narrative, part) if narrative is not None else None
    if text and text.strip():
        return [heading, *markdown_blocks(text)]
    return [heading, Paragraph(f"[To be supplied: {PARTS[part].lower()} for {strand_title.lower()}]", "placeholder")]
