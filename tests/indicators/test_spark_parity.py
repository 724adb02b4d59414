"""The same definitions on Spark give the same figures as on DuckDB (issue 15's parity suite).

Run on the demo store: every indicator of the default strategy, with its windows, comparisons,
verdicts and breakdowns, evaluated on both engines; and ``crimeprev --engine spark insights --json``
byte for byte against the DuckDB run. Spark runs locally (``local[*]``), as ``make test`` installs it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
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


OPERATIONS = str(bundled_strategy().parent.parent / "data" / "operations-essex.yaml")
EVERY_COMMAND = {
    "explain": ["explain", "knife_crime_offences", "--as-of", "2024-03"],
    "records": ["records", "knife_crime_offences", "--period", "2024-01..2024-03", "--json"],
    "spc": ["spc", "knife_crime_offences", "--as-of", "2024-03", "--json"],
    "hotspots": ["hotspots", "--indicator", "knife_crime_offences", "--window", "2023-04..2024-03", "--json"],
    "zones": ["zones", "evaluate", "--indicator", "high_harm_offences", "--json"],
    "operations": ["operations", "evaluate", "Op Grenadier", "--ledger", OPERATIONS, "--json"],
    "repeats": ["repeats", "--indicator", "domestic_abuse_offences", "--as-of", "2024-03", "--json"],
    "cohort": ["cohort", "da", "--as-of", "2024-03", "--summary", "--json"],
}


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_every_command_that_computes_prints_on_spark_what_it_prints_on_duckdb(demo_store: Path, command: str) -> None:
    args = ["--store", str(demo_store), *EVERY_COMMAND[command]]
    duckdb = CliRunner().invoke(app, args)
    spark = CliRunner().invoke(app, ["--engine", "spark", *args])
    assert duckdb.exit_code == 0 and spark.exit_code == 0, spark.output
    assert len(duckdb.stdout) > 200 and spark.stdout == duckdb.stdout


def test_the_whole_paper_on_spark_is_byte_for_byte_the_duckdb_paper(demo_store: Path, tmp_path: Path) -> None:
    data = bundled_strategy().parent.parent / "data"
    args = ["report", "--as-of", "2024-03", "--format", "html", "--metadata", str(data / "report-metadata-essex.yaml"),
            "--delivery", str(data / "essex-2023-24-delivery.yaml"), "--operations", OPERATIONS,
            "--narrative", str(data / "essex-2023-24-narrative.yaml")]  # fmt: skip
    for engine in ("duckdb", "spark"):
        result = CliRunner().invoke(
            app, ["--store", str(demo_store), "--engine", engine, *args, "--out", str(tmp_path / engine)]
        )
        assert result.exit_code == 0, result.output
    (duckdb,) = (tmp_path / "duckdb").glob("*.html")
    (spark,) = (tmp_path / "spark").glob("*.html")
    assert duckdb.read_bytes() == spark.read_bytes() and b"Knife crime" in duckdb.read_bytes()


def test_a_command_that_computes_nothing_refuses_spark_rather_than_pretending(demo_store: Path) -> None:
    refused = CliRunner().invoke(app, ["--store", str(demo_store), "--engine", "spark", "status"])
    assert refused.exit_code != 0
    assert "--engine spark: status does not run on Spark: it works on the store itself" in " ".join(
        refused.output.split()
    )
    unknown = CliRunner().invoke(app, ["--store", str(demo_store), "--engine", "polars", "insights"])
    assert unknown.exit_code != 0 and "choose duckdb or spark" in unknown.output


def test_strategy_check_compiles_every_indicator_for_spark() -> None:
    for name in ("essex-2021-25.yaml", "police-uk-example.yaml"):
        result = CliRunner().invoke(app, ["strategy", "check", str(bundled_strategy(name))])
        assert result.exit_code == 0, result.output
        assert "Spark: every indicator's figures and breakdowns compile for --engine spark" in result.stdout


def test_an_expression_spark_cannot_compile_is_named_with_its_indicator() -> None:
    from ibis.common.exceptions import OperationNotDefinedError

    from crimeprev.indicators.engine_check import engine_problems, spark_compiler

    compile_spark = spark_compiler()
    assert compile_spark is not None
    seen: list[str] = []

    def refusing_breakdowns(expr: Any) -> str:  # Spark's compiler, refusing every breakdown
        sql = compile_spark(expr)
        seen.append(sql)
        if "__value" in expr.columns:
            raise OperationNotDefinedError("Compilation rule for 'Breakdown' operation is not defined")
        return sql

    strategy = load_strategy()
    problems = engine_problems(strategy, refusing_breakdowns)
    declared = [
        f"{s.id}/{i.id} (breakdown by {d})"
        for s in strategy.strands()
        for i in s.indicators
        if i.source in ("offences", "incidents")
        for d in i.breakdowns
    ]
    assert declared and len(seen) > len(declared)  # the monthly figures compiled too
    assert problems == [f"{d}: OperationNotDefinedError: Compilation rule for 'Breakdown' operation is not defined"
                        for d in declared]  # fmt: skip
