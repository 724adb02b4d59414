"""Reading the quarantine: rows that were read but not loaded, with their reasons."""

from __future__ import annotations

from dataclasses import dataclass

from crimeprev.store.warehouse import Warehouse


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    release_id: int
    dataset: str
    source_file: str
    source_row: int | None
    field: str | None
    reason: str
    raw_line: str | None


def read_quarantine(
    warehouse: Warehouse, *, limit: int | None = None, include_superseded: bool = False
) -> list[QuarantinedRow]:
    """Quarantined rows of the active releases (or all releases), in file and row order."""
    where = "" if include_superseded else "WHERE r.superseded_by IS NULL"
    sql = (
        "SELECT q.release_id, q.dataset, q.source_file, q.source_row, q.field, q.reason, q.raw_line "
        f"FROM quarantine q JOIN releases r USING (release_id) {where} ORDER BY q.release_id, q.source_row"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [QuarantinedRow(*row) for row in warehouse.query(sql)]
