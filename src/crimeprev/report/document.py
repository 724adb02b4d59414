"""The format-neutral report document: sections of paragraphs, tables, charts and lists.

Renderers (DOCX, HTML, PDF) consume this model and nothing else, so every format shows the same
figures in the same order; a figure is formatted to text once, here, when the document is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str = "body"  # body | lead | note | marking | subheading | placeholder (text still to be supplied)


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]
    empty: str = "None recorded."


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text cells. ``header`` rows repeat on every page; ``total_rows`` are emphasised."""

    caption: str
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    total_rows: int = 0  # the last n rows are totals
    numeric_from: int = 1  # columns from this index on are right-aligned numbers
    kind: str = "data"  # data | cover | comparison | breakdown | consultation


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: a Vega-Lite spec, rendered interactive in HTML and static elsewhere."""

    chart_id: str
    caption: str
    description: str  # the text alternative
    spec: dict[str, Any]
    kind: str = "rolling"  # rolling | breakdown | spc


Block = Paragraph | BulletList | Table | Chart


@dataclass(frozen=True, slots=True)
class Section:
    number: str  # "5.1.2", or "" for unnumbered
    title: str
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()
    anchor: str = ""

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def level(self) -> int:
        return self.number.count(".") + 1 if self.number else 1


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str
    classification: str
    marking: str | None  # e.g. "SYNTHETIC DEMO DATA"
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def walk(self) -> list[Section]:
        """Every section in reading order."""
        out: list[Section] = []

        def visit(section: Section) -> None:
            out.append(section)
            for child in section.children:
                visit(child)

        for section in self.sections:
            visit(section)
        return out

    def charts(self) -> list[Chart]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Chart)]

    def placeholders(self) -> list[str]:
        """The text still to be supplied (paragraphs of style ``placeholder``), in reading order."""
        return [
            f"{s.heading}: {b.text}"
            for s in self.walk()
            for b in s.blocks
            if isinstance(b, Paragraph) and b.style == "placeholder"
        ]

    @property
    def header_text(self) -> str:
        """The marking printed at the top and bottom of every page."""
        return f"{self.classification} | {self.marking}" if self.marking else self.classification
