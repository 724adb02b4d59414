"""Aggregate measures CSV: figures that no crime record can give (seizures, NFIB reports, DVDS).

Header: ``measure,period_start,period_end,value,unit`` then, optionally, ``dimension``,
``dimension_value`` and ``source_note`` (in any order). Dates are ISO (``YYYY-MM-DD``). A new file
that gives the same measure, period and dimension again replaces the earlier figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crimeprev.model.errors import InputError
from crimeprev.model.rejects import RejectedLine
from crimeprev.sources import fields
from crimeprev.sources.csv_blocks import iter_csv_blocks, read_header
from crimeprev.sources.input_files import find_input_files
from crimeprev.sources.registry import ImportBatch, ImportOptions, SourceFile, as_read
from crimeprev.sources.row_checks import RowChecks

DATASET = "measures"
REQUIRED_COLUMNS = ("measure", "period_start", "period_end", "value", "unit")
OPTIONAL_COLUMNS = ("dimension", "dimension_value", "source_note")


class MeasuresImporter:
    """Importer for aggregate measures CSV files."""

    name = "measures"
    description = "aggregate figures CSV (measure, period_start, period_end, value, unit, dimension)"
    tables = ("measures",)

    def plan(self, paths: Sequence[Path], options: ImportOptions) -> list[SourceFile]:
        files = find_input_files(
            paths,
            wanted=lambda name: name.lower().endswith(".csv"),
            recursive=False,
            none_found="no .csv files in this folder",
        )
        return [SourceFile(path=p, dataset=DATASET) for p in files]

    def quarantine_text(self, source: SourceFile, options: ImportOptions) -> Callable[[str], str]:
        return as_read  # these files hold no personal data

    def read(self, source: SourceFile, options: ImportOptions) -> Iterator[ImportBatch]:
        header = read_header(source.path)
        names = [n.lower() for n in header.names]
        if len(set(names)) != len(names):
            raise InputError(str(source.path), "the header repeats a column (names are read case-insensitively)", row=1)
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        unexpected = [n for n in header.names if n.lower() not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
        if missing or unexpected:
            problem = []
            if missing:
                problem.append(f"missing column(s): {', '.join(missing)}")
            if unexpected:
                problem.append(f"unexpected column(s): {', '.join(unexpected)}")
            raise InputError(
                str(source.path),
                "not a measures header (" + "; ".join(problem) + f"); expected {', '.join(REQUIRED_COLUMNS)} "
                f"and optionally {', '.join(OPTIONAL_COLUMNS)}",
                row=1,
            )
        for block in iter_csv_blocks(source.path, header):
            raw = block.table.rename_columns(names)
            table, rejected = _convert(raw, block.lines)
            yield ImportBatch({"measures": table}, (*block.rejected, *rejected), block.end_offset)


def _convert(raw: pa.Table, lines: np.ndarray) -> tuple[pa.Table, list[RejectedLine]]:
    checks = RowChecks(raw, lines)
    measure = fields.trimmed(raw["measure"])
    checks.add(fields.blank(measure), "measure", "blank: the measure id is required")
    start = fields.parse_date(raw["period_start"], "%Y-%m-%d")
    end = fields.parse_date(raw["period_end"], "%Y-%m-%d")
    for name, parsed in (("period_start", start), ("period_end", end)):
        checks.add(parsed.bad, name, lambda v: f"not a date in the form YYYY-MM-DD: {v!r}")
        checks.add(fields.blank(raw[name]), name, f"blank: {name} is required")
    backwards = np.asarray(pc.fill_null(pc.less(end.values, start.values), False), dtype=bool)
    checks.add(backwards, "period_end", "the period ends before it starts")
    value = fields.parse_float(raw["value"])
    checks.add(value.bad, "value", lambda v: f"not a number: {v!r}")
    checks.add(fields.blank(raw["value"]), "value", "blank: the value is required")
    unit = fields.trimmed(raw["unit"])
    checks.add(fields.blank(unit), "unit", "blank: the unit is required")
    out: dict[str, pa.Array] = {
        "measure": measure,
        "period_start": start.values,
        "period_end": end.values,
        "value": value.values,
        "unit": unit,
    }
    for name in OPTIONAL_COLUMNS:
        if name in raw.column_names:
            out[name] = fields.trimmed(raw[name])
    out["source_row"] = pa.array(lines, type=pa.int64())
    return pa.table(out).filter(pa.array(checks.keep)), checks.rejected()


IMPORTER = MeasuresImporter()
