"""A force's strategy as data: themes → strands → lead → indicators.

An analyst writes the strategy in YAML (see ``docs/strategy.md``); these models validate it.
Every figure crimeprev reports is an :class:`Indicator`: a declared definition of which records
count (``source`` and ``filter``), how they are measured, over which windows they are compared
and broken down, how they are charted and which direction is good. Nothing about an indicator is
coded in Python, so a force changes its strategy without touching code, and ``crimeprev explain``
can show exactly how each figure is made.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crimeprev.model.schema import FLAGS, INCIDENTS, OFFENCES

Source = Literal["offences", "incidents", "measures", "combined"]
WindowKind = Literal[
    "rolling_12_months", "quarter", "quarter_year_on_year", "half_year", "financial_year_to_date", "periods"
]
Direction = Literal["down", "up", "neither"]
ChartKind = Literal["monthly_bars", "monthly_lines", "breakdown_bars", "none"]
Dimension = Literal[
    "district", "lpa", "offence_code", "offence_group", "police_uk_category", "da_risk", "hate_type",
    "incident_type", "outcome", "location_status",
]  # fmt: skip
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Filter(_Strict):
    """Which records count. Every condition given must hold (they are combined with AND)."""

    flags: dict[str, bool] = Field(default_factory=dict, description="flag: required value")
    any_flags: list[str] = Field(default_factory=list, description="at least one of these flags is true")
    offence_codes: list[str] = Field(default_factory=list)
    offence_groups: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list, description="police.uk categories")
    incident_types: list[str] = Field(default_factory=list)
    da_risk: list[Literal["standard", "medium", "high"]] = Field(default_factory=list)
    districts: list[str] = Field(default_factory=list, description="Community Safety Partnership areas")
    solved: bool | None = None
    arrest_made: bool | None = None
    attended: bool | None = None
    measure: str | None = Field(default=None, description="measures source: the measure id")
    dimension_value: str | None = Field(default=None, description="measures source: the dimension value")

    @model_validator(mode="after")
    def _known_flags(self) -> Filter:
        unknown = sorted((set(self.flags) | set(self.any_flags)) - set(FLAGS))
        if unknown:
            raise ValueError(f"unknown flag(s) {unknown}; flags are {', '.join(FLAGS)}")
        return self

    def columns(self) -> set[str]:
        """Record columns this filter reads (to tell whether a store can support it)."""
        used = set(self.flags) | set(self.any_flags)
        for name, column in (
            ("offence_codes", "offence_code"),
            ("offence_groups", "offence_group"),
            ("categories", "police_uk_category"),
            ("incident_types", "incident_type"),
            ("da_risk", "da_risk"),
            ("districts", "district"),
        ):
            if getattr(self, name):
                used.add(column)
        for name in ("solved", "arrest_made", "attended"):
            if getattr(self, name) is not None:
                used.add(name)
        return used


class Measure(_Strict):
    """How the counted records become a figure.

    ``count``: records; ``distinct``: distinct values of ``column`` (e.g. victims); ``sum``: the
    sum of measure values; ``rate``: records meeting ``numerator`` (on top of the indicator's
    filter) as a share of the indicator's records; ``sum_of``: the sum of other indicators.
    """

    kind: Literal["count", "distinct", "sum", "rate", "sum_of"] = "count"
    column: str | None = None
    numerator: Filter | None = None
    indicators: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Measure:
        if self.kind == "distinct" and not self.column:
            raise ValueError("a distinct measure needs column")
        if self.kind == "rate" and self.numerator is None:
            raise ValueError("a rate needs numerator (the extra conditions of the records on top)")
        if self.kind == "sum_of" and len(self.indicators) < 2:
            raise ValueError("sum_of needs at least two indicators")
        return self


class Indicator(_Strict):
    """One declared figure of a strand."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    source: Source
    definition: str = Field(description="plain-language definition, listed in the paper's technical annex")
    filter: Filter = Field(default_factory=Filter)
    measure: Measure = Field(default_factory=Measure)
    comparisons: list[WindowKind] = Field(default_factory=lambda: list[WindowKind](["rolling_12_months"]))
    breakdowns: list[Dimension] = Field(default_factory=list)
    chart: ChartKind = "monthly_bars"
    good: Direction = "down"
    unit: Literal["count", "rate", "gbp", "kg", "percent_change"] = "count"

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.source == "measures":
            if not self.filter.measure:
                raise ValueError("an indicator on measures needs filter.measure")
            if self.comparisons != ["periods"] and "periods" in self.comparisons:
                raise ValueError("measures are compared by periods only")
        elif self.filter.measure or self.filter.dimension_value:
            raise ValueError("filter.measure and filter.dimension_value apply to source: measures only")
        if self.source == "combined" and self.measure.kind != "sum_of":
            raise ValueError("source: combined needs measure kind sum_of")
        if self.measure.kind == "sum_of" and self.source != "combined":
            raise ValueError("measure kind sum_of needs source: combined")
        if self.source == "incidents" and self.filter.columns() & (set(FLAGS) | {"offence_code", "solved"}):
            raise ValueError("incidents have no offence flags, codes or outcomes")
        table = {"offences": OFFENCES, "incidents": INCIDENTS}.get(self.source)
        if table is not None and self.measure.column is not None and self.measure.column not in table.column_names:
            raise ValueError(
                f"measure.column {self.measure.column!r} is not a column of {self.source} "
                f"(for people: victim_key, suspect_key; see docs/strategy.md)"
            )
        return self


class Lead(_Strict):
    """Who owns a strand: rank and portfolio (a name is optional and never printed by default)."""

    rank: str
    portfolio: str
    name: str | None = None


class Strand(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    lead: Lead
    indicators: list[Indicator] = Field(default_factory=list)
    zone_indicators: list[str] = Field(
        default_factory=list,
        description="record-based indicators of this strand the report compares inside the store's zones "
        "against the rest of the force",
    )
    zone_buffer_m: float = Field(default=250.0, gt=0, description="width of the buffer ring drawn around each zone")
    repeat_indicators: list[str] = Field(
        default_factory=list,
        description="record-based indicators of this strand whose repeat victims and offenders the report shows "
        "(aggregate figures only, small numbers suppressed)",
    )

    def in_district(self, district: str) -> Strand:
        """The strand's record-based indicators counted in one district only (the dashboard's district
        filter). Supplied measures are force-wide, so they are left out; so is an indicator already
        confined to other districts (and a combined one that adds it up), rather than shown as nought."""

        def counted_here(indicator: Indicator) -> bool:
            confined = indicator.filter.districts
            return indicator.source != "measures" and not (confined and district not in confined)

        # a combined indicator adds up parts declared anywhere in the strand: it stays if they all do
        parts = {i.id for i in self.indicators if i.source != "combined" and counted_here(i)}
        kept: list[Indicator] = []
        for indicator in self.indicators:
            if not counted_here(indicator):
                continue
            if indicator.source == "combined" and not set(indicator.measure.indicators) <= parts:
                continue
            narrowed = indicator.filter.model_copy(update={"districts": [district]})
            by = [b for b in indicator.breakdowns if b != "district"]  # one district: no breakdown by district
            kept.append(indicator.model_copy(update={"filter": narrowed, "breakdowns": by}))
        ids = {i.id for i in kept}
        return self.model_copy(
            update={
                "indicators": kept,
                "zone_indicators": [i for i in self.zone_indicators if i in ids],
                "repeat_indicators": [i for i in self.repeat_indicators if i in ids],
            }
        )


def _sources(strand: Strand, indicator_id: str) -> set[str]:
    """The sources an indicator counts from (a combined indicator's parts' sources)."""
    by_id = {i.id: i for i in strand.indicators}
    found = by_id[indicator_id]
    if found.source != "combined":
        return {found.source}
    return {by_id[i].source for i in found.measure.indicators if i in by_id}


class Theme(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    strands: list[Strand]


class Strategy(_Strict):
    """A whole strategy, validated: ids unique, references resolved."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    force: str
    themes: list[Theme]

    @model_validator(mode="after")
    def _references(self) -> Strategy:
        strand_ids = [s.id for t in self.themes for s in t.strands]
        repeated = sorted({s for s in strand_ids if strand_ids.count(s) > 1})
        if repeated:
            raise ValueError(f"strand ids must be unique: {repeated}")
        for strand in self.strands():
            ids = [i.id for i in strand.indicators]
            for indicator in strand.indicators:
                if ids.count(indicator.id) > 1:
                    raise ValueError(f"strand {strand.id}: indicator id {indicator.id} is repeated")
                missing = [i for i in indicator.measure.indicators if i not in ids]
                if missing:
                    raise ValueError(
                        f"strand {strand.id}: indicator {indicator.id} sums {missing}, not indicators of this strand"
                    )
            for field_name in ("zone_indicators", "repeat_indicators"):
                unknown = [i for i in getattr(strand, field_name) if i not in ids]
                if unknown:
                    raise ValueError(f"strand {strand.id}: {field_name} {unknown} are not indicators of this strand")
            counted = [i for i in strand.repeat_indicators if "measures" in _sources(strand, i)]
            if counted:
                raise ValueError(
                    f"strand {strand.id}: repeat_indicators {counted} are or include supplied figures, which have no "
                    "people"
                )
        return self

    def strands(self) -> list[Strand]:
        """Every strand, in report order."""
        return [s for t in self.themes for s in t.strands]

    def find(self, ref: str) -> tuple[Strand, Indicator]:
        """An indicator by ``strand/indicator`` or, when unambiguous, by indicator id alone."""
        strand_id, _, indicator_id = ref.rpartition("/")
        found = [
            (s, i)
            for s in self.strands()
            for i in s.indicators
            if i.id == indicator_id and (not strand_id or s.id == strand_id)
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            raise KeyError(f"no indicator {ref!r} in strategy {self.id}")
        strands = ", ".join(f"{s.id}/{i.id}" for s, i in found)
        raise KeyError(f"{ref!r} is ambiguous: name the strand ({strands})")
