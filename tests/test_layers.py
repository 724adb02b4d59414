"""The direction of imports: the data flow shows in what may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "crimeprev"
DB_DRIVERS = {"duckdb", "sqlite3", "sqlalchemy", "psycopg", "pyspark"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_import_direction(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0]
    if layer == "__main__.py":
        layer = "cli"  # `python -m crimeprev`: the command line's own entry point
    imports = imports_of(path)
    ours = {i for i in imports if i.startswith("crimeprev.")}
    if layer == "model":
        assert all(i.startswith("crimeprev.model") for i in ours), "model imports nothing else of ours"
    if layer != "store":
        assert not {i.split(".")[0] for i in imports} & DB_DRIVERS, "only store/ opens databases"
    if layer not in ("cli", "web"):
        assert not any(i.startswith(("crimeprev.cli", "crimeprev.web")) for i in ours)
    if layer == "store":
        assert not any(i.startswith("crimeprev.sources") for i in ours), "the store does not know importers"
    assert path.name not in {"utils.py", "helpers.py", "common.py"}
