"""Operations: the ledger through the CLI, Op Grenadier's published table, the counterfactual."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from crimeprev.cli.app import app
from tests.conftest import cli_json

REFERENCE = yaml.safe_load((resources.files("crimeprev") / "data" / "essex-2023-24.yaml").read_text())
LEDGER = str(resources.files("crimeprev") / "data" / "operations-essex.yaml")


def run(store: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", str(store), "operations", *args])


def test_op_grenadier_reproduces_the_published_table(demo_store: Path) -> None:
    result = cli_json(run(demo_store, "evaluate", "Op Grenadier", "--ledger", LEDGER, "--json"))
    published = REFERENCE["op_grenadier"]
    assert result["months"] == published["months"]
    residential, business = result["indicators"]
    rows = {r["label"]: [r[m] for m in published["months"]] for r in residential["rows"]}
    assert rows["Residential burglary offences"] == published["residential_burglary"]
    for label, key in (("Burglary of a home", "residential_home"),
                       ("Burglary of an unconnected building", "residential_unconnected")):  # fmt: skip
        assert [v for v, p in zip(rows[label], published[key], strict=True) if p is not None] == [
            p for p in published[key] if p is not None
        ]
    assert [business["rows"][0][m] for m in published["months"]] == published["business_burglary"]
    assert residential["rows"][0]["vs_previous_month_pct"] == round((383 - 516) / 516 * 100, 1)
    counterfactual = residential["counterfactual"]
    assert counterfactual["observed"] == 383
    assert counterfactual["expected_low"] <= counterfactual["expected"] <= counterfactual["expected_high"]
    assert counterfactual["prevented"] == round(counterfactual["expected"] - 383, 1)


def test_add_list_and_evaluate_with_areas(demo_store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ops.yaml"
    added = run(demo_store, "add", "--name", "Op Sceptre", "--strand", "knife-crime", "--indicators",
                "knife_crime_offences", "--start", "2023-10-16", "--end", "2023-10-22", "--area", "Southend-on-Sea",
                "--control", "Colchester", "--buffer", "Rochford", "--ledger", str(ledger))  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = cli_json(run(demo_store, "list", "--ledger", str(ledger), "--json"))
    assert [op["name"] for op in listed] == ["Op Sceptre"] and listed[0]["area"] == ["Southend-on-Sea"]
    result = cli_json(run(demo_store, "evaluate", "op-sceptre", "--ledger", str(ledger), "--json"))
    assert result["months"] == ["2022-10", "2023-09", "2023-10"]
    assert result["displacement"] is not None and 0 <= result["displacement"]["p_value"] <= 1
    table = run(demo_store, "evaluate", "Op Sceptre", "--ledger", str(ledger))
    assert "weighted displacement difference" in table.stdout and "expected" in table.stdout


def test_bad_operations_are_refused(demo_store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ops.yaml"
    unknown = run(demo_store, "add", "--name", "X", "--strand", "knife-crime", "--indicators", "nope", "--start",
                  "2024-01-01", "--end", "2024-01-02", "--ledger", str(ledger))  # fmt: skip
    assert unknown.exit_code == 1 and "no indicator" in unknown.stderr
    missing = run(demo_store, "evaluate", "Op Nothing", "--ledger", LEDGER)
    assert missing.exit_code == 1 and "no operation 'Op Nothing'" in missing.stderr
