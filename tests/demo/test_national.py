"""The national demo: deterministic per force, whichever forces are chosen."""

from __future__ import annotations

from datetime import date

from crimeprev.demo.national import generate
from crimeprev.sources.force_table import load_force_table


def test_a_forces_rows_do_not_depend_on_which_others_are_chosen() -> None:
    forces = load_force_table().forces
    alone = {f.slug: t for f, _, t in generate(forces, date(2024, 3, 1), 1, 0.01, 7, only={"suffolk"})}
    together = {f.slug: t for f, _, t in generate(forces, date(2024, 3, 1), 1, 0.01, 7, only={"essex", "suffolk"})}
    assert set(alone) == {"suffolk"} and set(together) == {"essex", "suffolk"}
    assert alone["suffolk"].equals(together["suffolk"]) and alone["suffolk"].num_rows > 30
    codes = {c for t in together.values() for c in t["LSOA code"].drop_null().to_pylist()}
    essex = set(together["essex"]["LSOA code"].drop_null().to_pylist())
    assert essex and not essex & set(alone["suffolk"]["LSOA code"].drop_null().to_pylist()) and len(codes) > len(essex)
    rows = together["essex"].to_pylist()
    assert all((r["Crime ID"] is None) == (r["Crime type"] == "Anti-social behaviour") for r in rows)
    assert {r["Month"] for r in rows} == {"2024-03"} and {r["Falls within"] for r in rows} == {"Essex Police"}
