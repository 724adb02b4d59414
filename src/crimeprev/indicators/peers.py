"""One indicator for a force and its peers: counts, rates per 1,000 people, ranks and a funnel.

The same declared definition is applied to every force in the group from one scan of the store
(:func:`~crimeprev.indicators.insights.evaluate_forces`), over the 12 months ending ``as_of`` and
the 12 before them. Rates divide by the force table's resident population; the funnel
(:mod:`crimeprev.stats.funnel`) says whether each force differs from the group beyond noise. A
force of the group with no complete figure in the store is listed as not compared, with the
reason, rather than dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import ibis

from crimeprev.indicators.compare import OK, Comparison
from crimeprev.indicators.insights import IndicatorResult, evaluate_forces
from crimeprev.model.errors import ConfigError
from crimeprev.model.forces import ForceTable, GroupKind, PoliceForce
from crimeprev.model.strategy import Indicator, Strand, Strategy, Theme
from crimeprev.model.wording import ordinal
from crimeprev.stats.funnel import Funnel, FunnelPoint, build_funnel

PER = 1000
"""Rates are per this many residents."""
WINDOW = "rolling_12_months"


@dataclass(frozen=True, slots=True)
class PeerRow:
    """One force of the group: its 12-month comparison, rate, rank and place on the funnel."""

    force: PoliceForce
    comparison: Comparison
    rate: float
    """Per :data:`PER` residents, the 12 months ending ``as_of``."""
    rank: int
    """1 is the highest rate in the group; forces with equal rates share a rank."""
    point: FunnelPoint


@dataclass(frozen=True, slots=True)
class NotCompared:
    force: PoliceForce
    reason: str


@dataclass(frozen=True, slots=True)
class PeerComparison:
    strand: Strand
    indicator: Indicator
    as_of: date
    force: str
    group: GroupKind
    group_label: str
    window_label: str
    previous_label: str
    rows: tuple[PeerRow, ...]
    """The compared forces, highest rate first."""
    not_compared: tuple[NotCompared, ...]
    funnel: Funnel

    @property
    def group_rate(self) -> float:
        """The group's pooled rate per :data:`PER` residents (all its records over all its residents)."""
        return self.funnel.target * PER

    @property
    def own(self) -> PeerRow | None:
        return next((r for r in self.rows if r.force.name == self.force), None)


def group_label(kind: GroupKind, own: PoliceForce) -> str:
    if kind == "msg":
        return f"{own.name} and its most similar forces"
    if kind == "region":
        return f"forces of {own.region}"
    return "all forces of England and Wales"


def not_comparable(strand: Strand, indicator: Indicator) -> str | None:
    """Why ``indicator`` cannot be compared per 1,000 residents, or None when it can."""
    names = indicator.measure.indicators if indicator.source == "combined" else [indicator.id]
    parts = [i for i in strand.indicators if i.id in names]
    if any(i.source == "measures" for i in parts):
        return f"{indicator.id} is a supplied figure of one force: there is nothing to compare per force"
    if indicator.unit == "rate" or any(i.measure.kind == "rate" for i in [indicator, *parts]):
        return f"{indicator.id} is a rate of records, not a count: a comparison per 1,000 residents needs a count"
    if any(i.filter.districts for i in [indicator, *parts]):
        return f"{indicator.id} counts named districts of one force only: other forces would count nought"
    return None


def compare_with_peers(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    ref: str,
    as_of: date,
    table: ForceTable,
    *,
    force: str | None = None,
    group: GroupKind = "region",
) -> PeerComparison:
    """Compare ``ref`` (``strand/indicator`` or an indicator id) across ``force``'s group at ``as_of``."""
    strand, indicator = strategy.find(ref)
    reason = not_comparable(strand, indicator)
    if reason:
        raise ConfigError(reason)
    (found,) = peer_comparisons(backend, strategy, [(strand, indicator)], as_of, table, force=force, group=group)
    if isinstance(found, str):
        raise ConfigError(found)
    return found


def peer_comparisons(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    indicators: Sequence[tuple[Strand, Indicator]],
    as_of: date,
    table: ForceTable,
    *,
    force: str | None = None,
    group: GroupKind = "region",
) -> list[PeerComparison | str]:
    """Each of ``indicators`` compared across the group, from one scan of the store; in place of an
    indicator the force itself has no complete figure for, the reason why."""
    name = force or strategy.force
    members = table.group(name, group)
    wanted = {(s.id, i.id) for s, i in indicators}
    strands = []
    for strand in strategy.strands():
        if any(s == strand.id for s, _ in wanted):
            rolling = [
                i.model_copy(update={"comparisons": [WINDOW], "breakdowns": []}) if (strand.id, i.id) in wanted else i
                for i in strand.indicators
            ]
            strands.append(strand.model_copy(update={"indicators": rolling}))
    only = strategy.model_copy(update={"themes": [Theme(id="peers", name="peers", strands=strands)]})
    by_force = evaluate_forces(backend, only, as_of)
    return [_compared(strand, indicator, by_force, members, name, group, as_of) for strand, indicator in indicators]


def _compared(
    strand: Strand,
    indicator: Indicator,
    by_force: Mapping[str, Sequence[IndicatorResult]],
    members: Sequence[PoliceForce],
    name: str,
    group: GroupKind,
    as_of: date,
) -> PeerComparison | str:
    compared: list[tuple[PoliceForce, Comparison]] = []
    missing: list[NotCompared] = []
    for member in members:
        results = [
            r for r in by_force.get(member.name, []) if r.strand.id == strand.id and r.indicator.id == indicator.id
        ]
        if not results:
            missing.append(NotCompared(member, "no records of this force in the store"))
            continue
        comparison = results[0].headline
        if comparison.status != OK or comparison.current is None:
            missing.append(NotCompared(member, f"{comparison.status}: {comparison.reason}"))
            continue
        compared.append((member, comparison))
    if not compared or compared[0][0].name != name:
        reason = missing[0].reason if missing and missing[0].force.name == name else "no figure"
        return f"{name}: {indicator.id} cannot be compared at {as_of:%Y-%m} ({reason})"
    funnel = build_funnel([c.current or 0.0 for _, c in compared], [f.population for f, _ in compared])
    rates = [p.rate * PER for p in funnel.points]
    rows = [
        PeerRow(f, c, rate, 1 + sum(other > rate for other in rates), point)
        for (f, c), rate, point in zip(compared, rates, funnel.points, strict=True)
    ]
    rows.sort(key=lambda r: (r.rank, r.force.name))
    headline = compared[0][1]
    return PeerComparison(
        strand=strand,
        indicator=indicator,
        as_of=as_of,
        force=name,
        group=group,
        group_label=group_label(group, members[0]),
        window_label=headline.current_label,
        previous_label=headline.previous_label,
        rows=tuple(rows),
        not_compared=tuple(missing),
        funnel=funnel,
    )


def describe(comparison: PeerComparison, row: PeerRow) -> str:
    """One plain sentence on a force against its group: rate, rank, average, verdict."""
    place = "highest" if row.rank == 1 else f"{ordinal(row.rank)} highest"
    own = (
        f"{row.force.name}: {row.rate:,.2f} per {PER:,} residents in the {comparison.window_label}, "
        f"{place} of {len(comparison.rows)} ({comparison.group_label}; their average {comparison.group_rate:,.2f})."
    )
    noise = "chance and the usual spread between forces" if comparison.funnel.overdispersed else "chance"
    if row.point.verdict == "in line":
        return f"{own} In line with the group: the gap is within what {noise} explain."
    return f"{own} {row.point.verdict.capitalize()} than the group, beyond what {noise} explain."
