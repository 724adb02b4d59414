"""Hand-built person records for the known-value tests."""

from __future__ import annotations

import numpy as np

from crimeprev.people.records import PersonRecords


def make_records(rows: list[tuple[str | None, str | None, str, str]], *, places: list[tuple[float, float]] | None = None
                 ) -> PersonRecords:  # fmt: skip
    """Records from (victim, offender, code, day YYYY-MM-DD) rows; refs are r1, r2, ..."""
    days = np.array([r[3] for r in rows], dtype="datetime64[D]")
    months = days.astype("datetime64[M]").astype("datetime64[D]")
    lat = np.array([p[0] for p in places], dtype=np.float64) if places else np.full(len(rows), np.nan)
    lon = np.array([p[1] for p in places], dtype=np.float64) if places else np.full(len(rows), np.nan)
    return PersonRecords(
        ref=[f"r{i + 1}" for i in range(len(rows))],
        victim=[r[0] for r in rows],
        offender=[r[1] for r in rows],
        code=[r[2] for r in rows],
        month=months,
        day=days,
        lat=lat,
        lon=lon,
        place=[f"place {i}" for i in range(len(rows))],
    )
