"""The person columns of an indicator's records: who, what, when and where, by pseudonym."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np

from crimeprev.indicators.records import indicator_parts, selected_records
from crimeprev.model.strategy import Indicator, Strand, Strategy

# The person column of each role, per source (incidents record one person, in no role).
ROLE_COLUMNS = {
    "offences": {"victim": "victim_key", "offender": "suspect_key"},
    "incidents": {"victim": "person_key"},
}


@dataclass(frozen=True, slots=True)
class PersonRecords:
    """One element per record of each array; keys are pseudonyms (None where none is recorded).

    ``day`` is when the offence was committed (the start of the committed window; the recorded
    date where that is missing; NaT where the source has neither, as data.police.uk files do):
    near repeats and repeat victimisation are about when offences happen, and recording can lag
    by days. ``month`` is the recorded month's first day (the month the indicator counts it in).
    """

    ref: list[str | None]
    victim: list[str | None]
    offender: list[str | None]
    code: list[str | None]  # offence code, or the incident type of an incident
    month: Any  # datetime64[D]
    day: Any  # datetime64[D]
    lat: Any  # float64, NaN where not located (or outside the force)
    lon: Any
    place: list[str | None]  # the location description ("On or near ...") or LSOA

    def __len__(self) -> int:
        return len(self.ref)

    def keys(self, role: str) -> list[str | None]:
        """The key of each record for ``role``: victim, offender or location."""
        if role == "victim":
            return self.victim
        if role == "offender":
            return self.offender
        if role == "location":
            return [
                None if np.isnan(a) or np.isnan(b) else f"{a:.5f},{b:.5f}"
                for a, b in zip(self.lat, self.lon, strict=True)
            ]
        raise ValueError(f"no role {role!r}: choose victim, offender or location")

    def select(self, rows: Any) -> PersonRecords:
        """The records at ``rows`` (indices or a mask)."""
        index = np.arange(len(self))[rows]
        return PersonRecords(
            [self.ref[i] for i in index],
            [self.victim[i] for i in index],
            [self.offender[i] for i in index],
            [self.code[i] for i in index],
            self.month[index],
            self.day[index],
            self.lat[index],
            self.lon[index],
            [self.place[i] for i in index],
        )


def _read(backend: ibis.BaseBackend, table: ir.Table, source: str) -> PersonRecords:
    roles = ROLE_COLUMNS[source]
    null = ibis.literal(None, "string")
    ref = table["crime_ref"] if source == "offences" else table["incident_ref"]
    code = table["offence_code"] if source == "offences" else table["incident_type"]
    committed = table["committed_from"].cast("date") if source == "offences" else ibis.literal(None, "date")
    located = table["location_status"] == "ok"
    columns = backend.to_pyarrow(
        table.select(
            ref=ref,
            victim=table[roles["victim"]] if "victim" in roles else null,
            offender=table[roles["offender"]] if "offender" in roles else null,
            code=code,
            month=table["recorded_month"],
            day=ibis.coalesce(committed, table["recorded_on"]),
            lat=located.ifelse(table["lat"], ibis.literal(None, "float64")),
            lon=located.ifelse(table["lon"], ibis.literal(None, "float64")),
            place=ibis.coalesce(table["location_desc"], table["lsoa_code"]),
        )
    )
    return PersonRecords(
        columns["ref"].to_pylist(),
        columns["victim"].to_pylist(),
        columns["offender"].to_pylist(),
        columns["code"].to_pylist(),
        columns["month"].to_numpy(zero_copy_only=False).astype("datetime64[D]"),
        columns["day"].to_numpy(zero_copy_only=False).astype("datetime64[D]"),
        columns["lat"].to_numpy(zero_copy_only=False).astype("float64"),
        columns["lon"].to_numpy(zero_copy_only=False).astype("float64"),
        columns["place"].to_pylist(),
    )


def person_records(
    backend: ibis.BaseBackend, strategy: Strategy, strand: Strand, indicator: Indicator, first: date, last: date
) -> PersonRecords:
    """The records an indicator counts from ``first`` to ``last``, with their people, in date order."""
    parts = indicator_parts(strand, indicator)
    if any(p.source not in ROLE_COLUMNS for p in parts):
        raise ValueError(f"{indicator.id} is not counted from records, so it has no people")
    read = [
        _read(backend, selected_records(backend.table(p.source), strategy, p, first, last), p.source) for p in parts
    ]
    joined = PersonRecords(
        [v for r in read for v in r.ref],
        [v for r in read for v in r.victim],
        [v for r in read for v in r.offender],
        [v for r in read for v in r.code],
        np.concatenate([r.month for r in read]),
        np.concatenate([r.day for r in read]),
        np.concatenate([r.lat for r in read]),
        np.concatenate([r.lon for r in read]),
        [v for r in read for v in r.place],
    )
    when = np.where(np.isnat(joined.day), joined.month, joined.day)
    order = np.lexsort((np.array([r or "" for r in joined.ref], dtype=object), when))
    return joined.select(order)
