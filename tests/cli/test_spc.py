"""crimeprev spc: the XmR table, verdicts, re-baselining as a recorded choice, chart files."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.stats.xmr import build_xmr_chart
from tests.conftest import cli_json


def run(store: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--store", str(store), "spc", *args])


def test_spc_json_matches_an_independent_xmr_of_the_same_series(demo_store: Path) -> None:
    chart = cli_json(run(demo_store, "rape_offences", "--as-of", "2024-03", "--json"))
    points = chart["points"]
    assert len(points) == 36 and points[0]["month"] == "2021-04" and points[-1]["month"] == "2024-03"
    values = [p["value"] for p in points]
    mean = sum(values) / len(values)
    moving = sum(abs(a - b) for a, b in zip(values[1:], values[:-1], strict=True)) / (len(values) - 1)
    assert abs(points[0]["mean"] - mean) < 1e-3
    assert abs(points[0]["upper"] - (mean + 2.66 * moving)) < 1e-3
    assert chart["variation"] == build_xmr_chart(values, direction="down").variation
    assert chart["variation_icon"]


def test_rebaselining_needs_a_reason_and_is_recorded(demo_store: Path) -> None:
    refused = run(demo_store, "rape_offences", "--as-of", "2024-03", "--rebaseline", "2023-04")
    assert refused.exit_code == 1 and "--reason" in refused.stderr  # type: ignore[attr-defined]
    chart = cli_json(run(demo_store, "rape_offences", "--as-of", "2024-03", "--rebaseline", "2023-04", "--reason",
                         "new crime recording standard", "--json"))  # fmt: skip
    assert [p["start"] for p in chart["phases"]] == ["2021-04", "2023-04"]
    assert chart["phases"][1]["reason"] == "new crime recording standard"
    assert chart["points"][-1]["mean"] == chart["phases"][1]["mean"] != chart["phases"][0]["mean"]


def test_spc_writes_chart_files(demo_store: Path, tmp_path: Path) -> None:
    for suffix in ("svg", "png", "html"):
        out = tmp_path / f"chart.{suffix}"
        result = run(demo_store, "knife_crime_offences", "--as-of", "2024-03", "--out", str(out))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        assert out.stat().st_size > 1000
    assert "<svg" in (tmp_path / "chart.svg").read_text()
    html = (tmp_path / "chart.html").read_text()
    assert "http://" not in html.split("<script", 1)[0] and "vegaEmbed" in html
    table = run(demo_store, "knife_crime_offences", "--as-of", "2024-03", "--target", "200")
    assert "variation:" in table.stdout and "assurance:" in table.stdout  # type: ignore[attr-defined]


def test_rates_are_charted_in_per_cent_and_supplied_figures_refused(demo_store: Path) -> None:
    rate = cli_json(run(demo_store, "da_solved_rate", "--as-of", "2024-03", "--json"))
    values = [p["value"] for p in rate["points"] if p["value"] is not None]
    assert values and all(1 < v < 100 for v in values)  # per cent, not fractions of one
    text = run(demo_store, "da_solved_rate", "--as-of", "2024-03")
    assert text.exit_code == 0 and "(per cent)" in text.stdout  # type: ignore[attr-defined]
    supplied = run(demo_store, "dvds_applications", "--as-of", "2024-03")
    assert supplied.exit_code == 1 and "supplied figure" in supplied.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in supplied.output  # type: ignore[attr-defined]
    insights = CliRunner().invoke(app, ["--store", str(demo_store), "insights", "--as-of", "2024-03", "--strand",
                                        "domestic-abuse"])  # fmt: skip
    assert insights.exit_code == 0
    assert re.search(r"\d\.\d%", insights.stdout) and " pts" in insights.stdout  # rates in per cent, in points
