"""Harm weights: days per offence code, from the shipped table or the user's own.

Counting treats a murder and a shoplifting alike; weighing each offence by the days of custody its
sentencing guideline starts at (the Cambridge Crime Harm Index method; see
``crimeprev/data/harm-weights.md``) shows where *harm* concentrates. The shipped table is
versioned and incomplete by design: a code whose weight has not been read from its guideline has
none, and every harm figure reports the records it could not weigh rather than counting them as 0.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from crimeprev.model.errors import ConfigError

if TYPE_CHECKING:  # the command line reads harm tables without loading the analysis stack
    from crimeprev.indicators.records import RecordPlaces

SHIPPED: Final = "harm-weights.csv"
VERSION: Final = "crimeprev-cchi-method 2026.1"


@dataclass(frozen=True)
class HarmTable:
    """Days per offence code, with where they came from and the codes without a weight."""

    version: str
    source: str
    weights: dict[str, float]
    unweighted: frozenset[str]  # codes listed in the table with no days
    names: dict[str, str] = field(default_factory=dict)  # code -> offence name, where the table gives one

    def weight(self, code: str | None) -> float | None:
        """The code's days (None when it has none: an incident, or an unweighted code)."""
        return None if code is None else self.weights.get(code)

    def missing(self, codes: Iterable[str | None]) -> dict[str, int]:
        """How many of ``codes`` have no weight, per code (incidents, with no code, under '')."""
        out: dict[str, int] = {}
        for code in codes:
            if code is None or code not in self.weights:
                key = code or ""
                out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def load_harm_table(path: Path | None = None) -> HarmTable:
    """The user's table at ``path`` (CSV with ``code`` and ``days``), or the shipped one."""
    if path is None:
        text = (resources.files("crimeprev") / "data" / SHIPPED).read_text(encoding="utf-8")
        version, source = VERSION, "crimeprev/data/harm-weights.csv"
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise ConfigError(f"--harm-table {path}: {e.strerror or e}") from None
        version, source = path.stem, str(path)
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or not {"code", "days"} <= set(rows[0]):
        raise ConfigError(f"harm table {source}: needs the columns code and days (days of custody per code)")
    weights: dict[str, float] = {}
    unweighted: set[str] = set()
    for number, row in enumerate(rows, start=2):
        code, days = (row["code"] or "").strip(), (row["days"] or "").strip()
        if not code:
            raise ConfigError(f"harm table {source}, line {number}: the code is blank")
        if code in weights or code in unweighted:
            raise ConfigError(f"harm table {source}, line {number}: code {code} is listed twice")
        if not days:
            unweighted.add(code)
            continue
        try:
            value = float(days)
        except ValueError:
            raise ConfigError(f"harm table {source}, line {number}: days {days!r} is not a number") from None
        if value < 0:
            raise ConfigError(f"harm table {source}, line {number}: days cannot be negative")
        weights[code] = value
    names = {(row["code"] or "").strip(): row["offence"].strip() for row in rows if (row.get("offence") or "").strip()}
    return HarmTable(version, source, weights, frozenset(unweighted), names)


def record_weights(places: RecordPlaces, table: HarmTable | None) -> Any:
    """1 per record, or its harm in days (0 where the table has no weight for it), as a float array."""
    import numpy as np

    if table is None:
        return np.ones(len(places), dtype=np.float64)
    return np.array([table.weight(c) or 0.0 for c in places.offence_code], dtype=np.float64)


def measure_label(table: HarmTable | None) -> str:
    """What a figure measures: records, or harm in days by which table."""
    return "records" if table is None else f"harm (days, {table.version})"


def describe_unweighted(missing: dict[str, int], *, shown: int = 6) -> str | None:
    """One sentence on the records a harm figure could not weigh (None when there were none)."""
    if not missing:
        return None
    total = sum(missing.values())
    parts = [f"{'incidents' if code == '' else code} {n:,}" for code, n in list(missing.items())[:shown]]
    more = f" and {len(missing) - shown} more code(s)" if len(missing) > shown else ""
    return (
        f"{total:,} record(s) have no harm weight and count as 0 ({', '.join(parts)}{more}); "
        "supply a fuller table with --harm-table"
    )


def offence_names() -> dict[str, str]:
    """Home Office offence code -> offence name, from the shipped table (which lists every code it
    knows, weighted or not): the labels of offence-code breakdowns."""
    return load_harm_table().names
