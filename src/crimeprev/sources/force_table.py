"""Reading the table of police forces (``data/police-forces.yaml`` or a user's own file).

The shipped table cites where its populations and peer groups come from; a force with newer
figures points ``--forces`` at its own copy in the same layout (see ``docs/peers.md``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from crimeprev.model.errors import InputError
from crimeprev.model.forces import Citation, ForceTable, PoliceForce

FORCE_TABLE = "police-forces.yaml"


def bundled_force_table() -> Path:
    return Path(str(resources.files("crimeprev") / "data" / FORCE_TABLE))


@cache
def _bundled() -> ForceTable:
    return _parse(bundled_force_table())


def load_force_table(path: Path | None = None) -> ForceTable:
    """The force table in ``path``, or the one shipped with crimeprev."""
    return _bundled() if path is None else _parse(path)


def _parse(path: Path) -> ForceTable:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(str(path), f"cannot read the force table: {e.strerror}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise InputError(str(path), f"not a YAML force table: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("forces"), list):
        raise InputError(str(path), "a force table is a YAML mapping with population, peers and forces")
    try:
        population = _citation(doc["population"])
        peers = _citation(doc["peers"]) if doc.get("peers") else None
        forces = tuple(_force(f, population.period) for f in doc["forces"])
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(str(path), f"malformed force table: {e!r}") from None
    names = [f.name for f in forces]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(str(path), f"forces listed twice: {', '.join(repeated)}")
    odd = [f.name for f in forces if f.name in f.most_similar or len(set(f.most_similar)) < len(f.most_similar)]
    if odd:
        raise InputError(str(path), f"most_similar names the force itself or a force twice: {', '.join(odd)}")
    unknown = sorted({p for f in forces for p in f.most_similar if p not in names})
    if unknown:
        raise InputError(str(path), f"most_similar names forces not in the table: {', '.join(unknown)}")
    return ForceTable(forces, population, peers)


def _citation(node: dict[str, Any]) -> Citation:
    return Citation(str(node["title"]), str(node["publisher"]), str(node["period"]), str(node.get("note", "")))


def _force(node: dict[str, Any], period: str) -> PoliceForce:
    lat, lon = (float(v) for v in node["centre"])
    population = int(node["population"])
    if population <= 0:
        raise ValueError(f"{node['name']}: population must be positive")
    return PoliceForce(
        name=str(node["name"]),
        area=str(node.get("area") or node["name"]),
        code=str(node.get("code") or ""),
        slug=str(node["slug"]),
        region=str(node["region"]),
        population=population,
        population_period=str(node.get("population_period", period)),
        centre=(lat, lon),
        radius_km=float(node["radius_km"]),
        most_similar=tuple(str(p) for p in node.get("most_similar") or ()),
    )
