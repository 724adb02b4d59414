"""The police forces of England and Wales as reference data: population, region and peers.

A rate needs a population and a comparison needs a group. Both are published figures, not
something crimeprev computes, so they are data with a citation (``data/police-forces.yaml``,
read by :mod:`crimeprev.sources.force_table`). A force is known by the name its records carry
(data.police.uk's "Falls within"), which is also the ``force`` of a strategy file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from crimeprev.model.errors import ConfigError

GroupKind = Literal["msg", "region", "all"]
GROUP_KINDS: tuple[GroupKind, ...] = ("msg", "region", "all")


@dataclass(frozen=True, slots=True)
class PoliceForce:
    """One force: its name in the records, the data.police.uk file slug, region, population, area."""

    name: str
    area: str
    """The ONS police force area's name ("Devon and Cornwall"), as boundary files name it."""
    code: str
    """The ONS police force area code (E23000035), or "" when not given."""
    slug: str
    region: str
    population: int
    population_period: str
    """The mid-year estimate the population is (the table's, unless this force's differs)."""
    centre: tuple[float, float]
    """(latitude, longitude) of the force area's middle, to a few kilometres."""
    radius_km: float
    """Half the force area's longest extent, rounded up: a coarse area for catching stray points."""
    most_similar: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a column of the table comes from."""

    title: str
    publisher: str
    period: str
    note: str


@dataclass(frozen=True, slots=True)
class ForceTable:
    """Every force, with the citations of its populations and peer groups."""

    forces: tuple[PoliceForce, ...]
    population: Citation
    peers: Citation | None

    def get(self, name: str) -> PoliceForce | None:
        return next((f for f in self.forces if f.name == name), None)

    def by_slug(self, slug: str) -> PoliceForce | None:
        return next((f for f in self.forces if f.slug == slug), None)

    def group(self, force: str, kind: GroupKind) -> tuple[PoliceForce, ...]:
        """``force`` and the forces it is compared with, ``force`` first.

        ``msg``: its most similar group as published (up to seven forces, chosen for ``force`` and not
        necessarily the other way round); ``region``: the forces of its region; ``all``: every force.
        """
        own = self.get(force)
        if own is None:
            raise ConfigError(f"{force!r} is not a police force crimeprev knows ({_known(self.forces)})")
        if kind == "msg":
            if self.peers is None:
                raise ConfigError("no most similar groups are loaded: use --group region or all")
            if not own.most_similar:
                raise ConfigError(f"{force} has no published most similar group: use --group region or all")
            others = [self._named(n) for n in own.most_similar]
        elif kind == "region":
            others = [f for f in self.forces if f.region == own.region and f.name != force]
        elif kind == "all":
            others = [f for f in self.forces if f.name != force]
        else:
            raise ConfigError(f"--group {kind}: choose {', '.join(GROUP_KINDS)}")
        return (own, *others)

    def _named(self, name: str) -> PoliceForce:
        found = self.get(name)
        if found is None:
            raise ConfigError(f"peer {name!r} is not in the force table")
        return found


def _known(forces: Sequence[PoliceForce]) -> str:
    names = [f.name for f in forces]
    return f"{len(names)} forces, e.g. {', '.join(names[:3])}"
