"""What the store holds: rows, months covered, gaps, vintages, releases and quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crimeprev.model.periods import missing_months, month_label
from crimeprev.model.schema import INCIDENTS, MEASURES, OFFENCES
from crimeprev.store.warehouse import Warehouse

_MONTHLY = (OFFENCES, INCIDENTS)


@dataclass(frozen=True, slots=True)
class TableStatus:
    name: str
    rows: int
    first_month: str | None
    last_month: str | None
    months: int
    gaps: tuple[str, ...]
    datasets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReleaseStatus:
    release_id: int
    dataset: str
    source_file: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    ingested_at: datetime
    active: bool


@dataclass(frozen=True, slots=True)
class StoreStatus:
    path: str
    schema_version: int
    tables: tuple[TableStatus, ...]
    gaps: tuple[str, ...]
    vintages: dict[str, dict[int, int]]
    releases: tuple[ReleaseStatus, ...]
    quarantined: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``tables`` keyed by name)."""
        return {
            "store": self.path,
            "schema_version": self.schema_version,
            "tables": {
                t.name: {
                    "rows": t.rows,
                    "first_month": t.first_month,
                    "last_month": t.last_month,
                    "months": t.months,
                    "gaps": list(t.gaps),
                    "datasets": list(t.datasets),
                }
                for t in self.tables
            },
            "gaps": list(self.gaps),
            "vintages": {ds: {str(v): n for v, n in sorted(vs.items())} for ds, vs in self.vintages.items()},
            "releases": [
                {
                    "release_id": r.release_id,
                    "dataset": r.dataset,
                    "source_file": r.source_file,
                    "rows_read": r.rows_read,
                    "rows_loaded": r.rows_loaded,
                    "rows_quarantined": r.rows_quarantined,
                    "ingested_at": r.ingested_at.isoformat(timespec="seconds"),
                    "active": r.active,
                }
                for r in self.releases
            ],
            "quarantined": self.quarantined,
        }


def read_status(warehouse: Warehouse) -> StoreStatus:
    """Summarise the store."""
    tables: list[TableStatus] = []
    all_months: set[date] = set()
    vintages: dict[str, dict[int, int]] = {}
    for table in (*_MONTHLY, MEASURES):
        (rows,) = warehouse.query(f"SELECT count(*) FROM {table.name}")[0]
        datasets = tuple(r[0] for r in warehouse.query(f"SELECT DISTINCT dataset FROM {table.name} ORDER BY 1"))
        for dataset, vintage, partitions in warehouse.query(
            f"SELECT dataset, vintage, count(*) FROM (SELECT DISTINCT dataset, vintage, "
            f"{', '.join(table.partition)} FROM {table.name}) GROUP BY ALL ORDER BY ALL"
        ):
            vintages.setdefault(dataset, {})[int(vintage)] = vintages.get(dataset, {}).get(int(vintage), 0) + int(
                partitions
            )
        if table in _MONTHLY:
            months = [r[0] for r in warehouse.query(f"SELECT DISTINCT recorded_month FROM {table.name} ORDER BY 1")]
            all_months.update(months)
            tables.append(
                TableStatus(
                    name=table.name,
                    rows=int(rows),
                    first_month=month_label(months[0]) if months else None,
                    last_month=month_label(months[-1]) if months else None,
                    months=len(months),
                    gaps=tuple(month_label(m) for m in missing_months(months)),
                    datasets=datasets,
                )
            )
        else:
            tables.append(TableStatus(table.name, int(rows), None, None, 0, (), datasets))
    releases = tuple(
        ReleaseStatus(int(r[0]), r[1], r[2], int(r[3]), int(r[4]), int(r[5]), r[6], r[7] is None)
        for r in warehouse.query(
            "SELECT release_id, dataset, source_file, rows_read, rows_loaded, rows_quarantined, ingested_at, "
            "superseded_by FROM releases ORDER BY release_id"
        )
    )
    (quarantined,) = warehouse.query(
        "SELECT count(*) FROM quarantine q JOIN releases r USING (release_id) WHERE r.superseded_by IS NULL"
    )[0]
    return StoreStatus(
        path=str(warehouse.path),
        schema_version=warehouse.schema_version,
        tables=tuple(tables),
        gaps=tuple(month_label(m) for m in missing_months(all_months)),
        vintages=vintages,
        releases=releases,
        quarantined=int(quarantined),
    )
