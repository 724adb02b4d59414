"""Shared fixtures: a store path, the CLI, real data.police.uk excerpts, store snapshots."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.store.layout import data_dir
from crimeprev.store.warehouse import Warehouse

DATA = Path(__file__).parent / "data"
POLICE_UK = DATA / "police_uk"
SNAPSHOT_TABLES = ("offences", "incidents", "measures", "quarantine", "releases")
# Columns that legitimately differ between two equivalent ingests.
VOLATILE = {"ingested_at", "quarantined_at", "release_id", "superseded_by", "source_file"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def police_uk_dir(tmp_path: Path) -> Path:
    """A private copy of the real excerpts (tests may modify or add files)."""
    target = tmp_path / "police_uk"
    shutil.copytree(POLICE_UK, target)
    return target


@pytest.fixture
def cli(store: Path) -> Callable[..., Any]:
    """Run ``crimeprev --store STORE ARGS``; returns the result (``.exit_code``, ``.stdout``, ``.stderr``)."""
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, ["--store", str(store), *args])

    return invoke


def cli_json(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every record table, sorted, without the columns that depend on when or where."""
    if not path.exists():
        return {}
    with Warehouse.open(path, read_only=True) as warehouse:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in SNAPSHOT_TABLES:
            columns = [r[0] for r in warehouse.query(f"DESCRIBE {table}") if r[0] not in VOLATILE]
            rows = warehouse.query(f"SELECT {', '.join(columns)} FROM {table}")
            out[table] = sorted(rows, key=repr)
    files = data_dir(path)
    parquet = sorted(files.rglob("*.parquet")) if files.exists() else []
    out["files"] = sorted((p.parent.parent.name, p.name) for p in parquet)  # table, force-month
    return out


def query(store: Path, sql: str) -> list[tuple[Any, ...]]:
    """Run a read query on the store, through the warehouse (which sets up the table views)."""
    with Warehouse.open(store, read_only=True) as warehouse:
        return warehouse.query(sql)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the synthetic demo data (generated and ingested once per test session)."""
    base = tmp_path_factory.mktemp("demo")
    store = base / "demo.duckdb"
    args = ["--store", str(store), "demo", "--data-dir", str(base / "data"), "--out", str(base / "out")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="session")
def demo_report(demo_store: Path) -> dict[str, Path]:
    """The report files ``crimeprev demo`` wrote, by format."""
    out = demo_store.parent / "out"
    return {path.suffix[1:]: path for path in out.iterdir()}


@pytest.fixture(scope="session")
def police_uk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the real data.police.uk excerpts (2018-01 and 2019-01)."""
    store = tmp_path_factory.mktemp("police-uk") / "s.duckdb"
    result = CliRunner().invoke(app, ["--store", str(store), "ingest", "police-uk", str(POLICE_UK)])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for this test session (see tests/postgres.py)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty app store's URL, on SQLite and on PostgreSQL (a fresh database for each test)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.sqlite'}"
    import uuid

    from sqlalchemy import create_engine, text

    server: str = request.getfixturevalue("postgres_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.replace("/postgres?", f"/{name}?")


NATIONAL_FORCES = "essex,bedfordshire,cambridgeshire,hertfordshire,norfolk,suffolk,kent"
"""The national demo's forces in tests: the East of England region, and Kent from outside it."""


@pytest.fixture(scope="session")
def national_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding a small synthetic national archive (seven forces, 24 months), ingested by the CLI."""
    base = tmp_path_factory.mktemp("national")
    runner = CliRunner()
    made = runner.invoke(
        app,
        ["demo-data", "--national", "--scale", "0.01", "--months", "24", "--forces", NATIONAL_FORCES,
         "--data-dir", str(base)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    store = base / "national.duckdb"
    loaded = runner.invoke(app, ["--store", str(store), "ingest", "police-uk", str(base / "national"), "--json"])
    assert loaded.exit_code == 0, loaded.output
    return store
