"""insights, explain, records and strategy check, through the CLI, on the demo and real stores."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.indicators.strategy_file import bundled_strategy
from tests.conftest import cli_json

REFERENCE = yaml.safe_load((resources.files("crimeprev") / "data" / "essex-2023-24.yaml").read_text())
EXAMPLE = str(bundled_strategy("police-uk-example.yaml"))


def run(store: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", str(store), *args])


def test_insights_reproduce_every_published_12_month_figure(demo_store: Path) -> None:
    rows = cli_json(run(demo_store, "insights", "--as-of", "2024-03", "--json"))
    by_ref = {(r["strand"], r["indicator"]): r for r in rows}
    checked = 0
    for strand, indicators in REFERENCE["rolling_12_months"].items():
        for indicator, (previous, current) in indicators.items():
            row = by_ref[(strand, indicator)]
            assert row["comparison"] == "rolling_12_months"
            assert (row["previous"], row["current"]) == (previous, current), (strand, indicator)
            assert row["diff"] == current - previous
            assert row["pct_diff"] == round((current - previous) / previous * 100 + 1e-9, 1)
            assert row["status"] == "ok"
            checked += 1
    assert checked == 15
    nte = by_ref[("night-time-economy", "nte_offences")]
    assert (nte["previous"], nte["current"], nte["diff"], nte["pct_diff"]) == (1738, 1463, -275, -15.8)
    assert nte["previous_label"] == "12 months ending Mar 23" and nte["current_label"] == "12 months ending Mar 24"


def test_insights_table_and_strand_filter(demo_store: Path) -> None:
    result = run(demo_store, "insights", "--as-of", "2024-03", "--strand", "knife-crime", "--comparison", "all")
    assert result.exit_code == 0
    assert "knife_crime_offences" in result.stdout and "-6.4%" in result.stdout
    assert "rape_offences" not in result.stdout
    rows = cli_json(run(demo_store, "insights", "--as-of", "2024-03", "--strand", "hate-crime", "--json",
                        "--comparison", "all"))  # fmt: skip
    combined = [r for r in rows if r["indicator"] == "hate_crimes_and_incidents"]
    quarter = next(r for r in combined if r["comparison"] == "quarter")
    assert (quarter["previous"], quarter["current"]) == (1036, 824 + 183)  # published quarter totals
    year_on_year = next(r for r in combined if r["comparison"] == "quarter_year_on_year")
    assert year_on_year["previous"] == 892 + 187


def test_unknown_strand_and_bad_month_are_clear_errors(demo_store: Path) -> None:
    result = run(demo_store, "insights", "--as-of", "2024-13")
    assert result.exit_code == 1 and "'2024-13' is not a month in the form YYYY-MM" in result.stderr
    result = run(demo_store, "insights", "--as-of", "2024-03", "--strand", "nope")
    assert result.exit_code == 1 and "no strand 'nope'" in result.stderr


def test_explain_shows_definition_sql_windows_and_counts(demo_store: Path) -> None:
    result = run(demo_store, "explain", "nte_offences", "--as-of", "2024-03")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "night-time-economy/nte_offences" in out and "NTE flag" in out
    assert "SELECT" in out and "GROUP BY" in out and '"nte"' in out
    assert "12 months ending Mar 23 = 1,738; 12 months ending Mar 24 = 1,463; diff -275 (-15.8%)" in out
    assert "months 2023-04 to 2024-03" in out
    ambiguous = run(demo_store, "explain", "drug_trafficking_offences", "--as-of", "2024-03")
    assert ambiguous.exit_code == 1 and "county-lines/drug_trafficking_offences" in ambiguous.stderr


def test_records_behind_a_figure_add_up_and_are_pseudonymised(demo_store: Path) -> None:
    lists = cli_json(
        run(demo_store, "records", "county-lines/drug_trafficking_offences", "--period", "2023-04..2024-03", "--json",
            "--limit", "0")
    )  # fmt: skip
    (offences,) = lists
    assert offences["total"] == 1746 == len(offences["records"])
    assert {r["offence_code"] for r in offences["records"]} == {"92A", "92C"}
    assert not {"victim_key", "suspect_key"} & set(offences["records"][0])  # people only with --person-level
    table = run(demo_store, "records", "rape_offences", "--period", "2024-03")
    assert table.exit_code == 0 and "rape/rape_offences" in table.stdout and "showing 50 of" in table.stdout


def test_the_police_uk_strategy_reports_gaps_and_unrecorded_flags(police_uk_store: Path, tmp_path: Path) -> None:
    rows = cli_json(run(police_uk_store, "insights", "--as-of", "2019-01", "--strategy", EXAMPLE, "--json",
                        "--comparison", "all"))  # fmt: skip
    assert rows and all(r["previous"] is None or r["status"] == "ok" for r in rows)
    knife = [r for r in rows if r["indicator"] == "knife_crime_offences"]
    assert {r["status"] for r in knife} == {"not available"}
    assert all("do not record knife" in r["reason"] for r in knife)
    violence = next(r for r in rows if r["indicator"] == "violence_offences" and r["comparison"] == "rolling_12_months")
    assert violence["status"] == "incomplete window" and violence["current"] is None
    assert "2018-02" in violence["reason"] and "2018-12" in violence["reason"]


def test_strategy_check(tmp_path: Path) -> None:
    ok = CliRunner().invoke(app, ["strategy", "check", str(bundled_strategy())])
    assert ok.exit_code == 0
    assert "valid" in ok.stdout and "4 themes, 14 strands" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nforce: f\nthemes: []\nextra: 1\n")
    result = CliRunner().invoke(app, ["strategy", "check", str(bad)])
    assert result.exit_code == 1 and "line 5" in result.stderr and "unknown key 'extra'" in result.stderr
