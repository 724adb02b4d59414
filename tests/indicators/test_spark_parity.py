"""The same definitions on Spark give the same figures as on DuckDB (issue 15's parity suite).

Run on the demo store: every indicator of the default strategy, with its windows, comparisons,
verdicts and breakdowns, evaluated on both engines; and ``crimeprev --engine spark insights --json``
byte for byte against the DuckDB run. Spark runs locally (``local[*]``), as ``make test`` installs it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.indicators.insights import evaluate_strategy
from crimeprev.indicators.strategy_file import bundled_strategy, load_strategy
from crimeprev.store.spark import spark_backend
from crimeprev.store.warehouse import Warehouse

AS_OF = date(2024, 3, 1)


def test_every_indicator_window_and_breakdown_is_the_same_on_spark(demo_store: Path) -> None:
    strategy = load_strategy()
    with Warehouse.open(demo_store, read_only=True) as warehouse:
        on_duckdb = evaluate_strategy(warehouse.ibis(), strategy, AS_OF)
        with spark_backend(warehouse) as spark:
            on_spark = evaluate_strategy(spark, strategy, AS_OF)
    assert len(on_duckdb) == len(on_spark) == sum(len(s.indicators) for s in strategy.strands())
    assert any(r.breakdowns for r in on_duckdb)  # the breakdowns are compared too, not only headlines
    differing = [f"{a.strand.id}/{a.indicator.id}" for a, b in zip(on_duckdb, on_spark, strict=True) if a != b]
    assert differing == []


def test_insights_on_spark_print_exactly_what_duckdb_prints(demo_store: Path) -> None:
    command = ["--store", str(demo_store), "insights", "--as-of", "2024-03", "--json"]
    duckdb = CliRunner().invoke(app, command)
    spark = CliRunner().invoke(app, ["--engine", "spark", *command])
    assert duckdb.exit_code == 0 and spark.exit_code == 0, spark.output
    assert spark.stdout == duckdb.stdout and '"knife_crime_offences"' in duckdb.stdout


def test_a_peer_comparison_on_spark_is_exactly_the_duckdb_one(national_store: Path) -> None:
    strategy = str(bundled_strategy("police-uk-example.yaml"))
    command = ["--store", str(national_store), "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
               "--strategy", strategy, "--group", "all", "--json"]  # fmt: skip
    duckdb = CliRunner().invoke(app, command)
    spark = CliRunner().invoke(app, ["--engine", "spark", *command])
    assert duckdb.exit_code == 0 and spark.exit_code == 0, spark.output
    assert spark.stdout == duckdb.stdout and '"Essex Police"' in duckdb.stdout


def test_a_command_not_yet_on_spark_refuses_rather_than_computing_elsewhere(demo_store: Path) -> None:
    refused = CliRunner().invoke(app, ["--store", str(demo_store), "--engine", "spark", "report", "--as-of", "2024-03"])
    assert refused.exit_code != 0
    assert "--engine spark: report does not run on Spark yet (these do: insights, compare)" in refused.output
    unknown = CliRunner().invoke(app, ["--store", str(demo_store), "--engine", "polars", "insights"])
    assert unknown.exit_code != 0 and "choose duckdb or spark" in unknown.output
