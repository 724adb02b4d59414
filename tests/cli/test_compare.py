"""``crimeprev compare``: rates, ranks and funnel limits recomputed by hand from the files."""

from __future__ import annotations

import csv
import math
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from scipy import stats  # type: ignore[import-untyped]
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.indicators.strategy_file import bundled_strategy
from crimeprev.sources.force_table import bundled_force_table

STRATEGY = str(bundled_strategy("police-uk-example.yaml"))  # force: Essex Police
EAST = ["Bedfordshire Police", "Cambridgeshire Constabulary", "Essex Police", "Hertfordshire Constabulary",
        "Norfolk Constabulary", "Suffolk Constabulary"]  # fmt: skip


def run(store: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", str(store), *args])


def burglaries(folder: Path, first: str, last: str) -> Counter[str]:
    """Burglary rows per force ("Falls within") in months first..last, read with the csv module."""
    counts: Counter[str] = Counter()
    for path in folder.rglob("*-street.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if first <= row["Month"] <= last and row["Crime type"] == "Burglary":
                    counts[row["Falls within"]] += 1
    return counts


def poisson_quantile(mean: float, p: float) -> float:
    """Spiegelhalter's interpolated Poisson quantile, by walking the cumulative probabilities."""
    y = 0
    while stats.poisson.cdf(y, mean) < p:
        y += 1
    at, below = stats.poisson.cdf(y, mean), stats.poisson.cdf(y - 1, mean) if y else 0.0
    return y - (at - p) / (at - below)


def test_rates_ranks_and_funnel_limits_match_a_hand_calculation(national_store: Path) -> None:
    result = run(national_store, "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
                 "--strategy", STRATEGY, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = __import__("json").loads(result.stdout)
    files = national_store.parent / "national"
    current = burglaries(files, "2023-04", "2024-03")
    previous = burglaries(files, "2022-04", "2023-03")
    people = {f["name"]: f["population"] for f in yaml.safe_load(bundled_force_table().read_text())["forces"]}
    assert sorted(f["force"] for f in got["forces"]) == sorted(EAST)  # Kent is in the store, not in the region
    assert got["group"] == "region" and got["group_label"] == "forces of East of England"

    target = sum(current[f] for f in EAST) / sum(people[f] for f in EAST)
    assert got["group_rate"] == pytest.approx(target * 1000, abs=1e-4)
    z = {f: (current[f] / people[f] - target) / math.sqrt(target / people[f]) for f in EAST}
    ordered = sorted(z.values())  # six forces: the 10th percentile is half way from the 1st to the 2nd
    low = ordered[0] + 0.5 * (ordered[1] - ordered[0])
    high = ordered[4] + 0.5 * (ordered[5] - ordered[4])
    phi = sum(min(max(v, low), high) ** 2 for v in z.values()) / 6
    overdispersed = 6 * phi > stats.chi2.ppf(0.95, 5)
    assert got["overdispersed"] == overdispersed and got["phi"] == pytest.approx(phi, abs=1e-4)
    w = [people[f] / target for f in EAST]
    tau2 = (6 * phi - 5) / (sum(w) - sum(x * x for x in w) / sum(w)) if overdispersed else 0.0
    rates = {f: current[f] / people[f] * 1000 for f in EAST}
    for row in got["forces"]:
        force, n = row["force"], people[row["force"]]
        assert (row["previous"], row["current"]) == (previous[force], current[force])
        assert row["rate"] == pytest.approx(rates[force], abs=1e-4)
        assert row["rank"] == 1 + sum(r > rates[force] for r in rates.values())
        if overdispersed:
            sd = math.sqrt(target / n + tau2)
            inner = (target - 1.959964 * sd, target + 1.959964 * sd)
        else:
            inner = (poisson_quantile(target * n, 0.025) / n, poisson_quantile(target * n, 0.975) / n)
        assert row["limits_95"] == pytest.approx([inner[0] * 1000, inner[1] * 1000], abs=1e-3)
        expected = (
            "higher" if rates[force] > inner[1] * 1000 else "lower" if rates[force] < inner[0] * 1000 else "in line"
        )
        assert row["verdict"] == expected
    assert [r["rank"] for r in got["forces"]] == sorted(r["rank"] for r in got["forces"])  # highest rate first


def test_the_table_names_the_force_rank_and_verdict_in_words(national_store: Path) -> None:
    result = run(national_store, "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
                 "--strategy", STRATEGY)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Essex Police: " in text and " of 6 (forces of East of England; their average " in text
    assert "Residents: Mid-year population estimates" in text and "(mid-2023)" in text
    assert ("In line with the group" in text) != ("than the group, beyond what" in text)  # one verdict, not two


def test_all_forces_and_a_force_named_on_the_command_line(national_store: Path) -> None:
    result = run(national_store, "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
                 "--strategy", STRATEGY, "--group", "all", "--force", "Kent Police", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = __import__("json").loads(result.stdout)
    assert got["force"] == "Kent Police" and len(got["forces"]) == 7
    missing = {m["force"]: m["reason"] for m in got["not_compared"]}
    assert len(missing) == 43 - 7 and missing["Surrey Police"] == "no records of this force in the store"


def test_the_funnel_plot_renders_every_force(national_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "funnel.svg"
    result = run(national_store, "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
                 "--strategy", STRATEGY, "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    svg = ET.parse(out).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    texts = "".join(t.text or "" for t in svg.iter(f"{ns}text"))
    assert "Burglary per 1,000 residents, 12 months ending Mar 24" in texts and "Essex Police" in texts
    symbols = [g for g in svg.iter(f"{ns}g") if "mark-symbol" in (g.get("class") or "")]
    assert sum(len(list(g.iter(f"{ns}path"))) for g in symbols) == 6 + 3  # 6 forces; 3 legend swatches
    png = tmp_path / "funnel.png"
    assert run(national_store, "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
               "--strategy", STRATEGY, "--out", str(png)).exit_code == 0  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_most_similar_groups_come_from_a_force_table_that_has_them(national_store: Path, tmp_path: Path) -> None:
    args = ["compare", "--indicator", "burglary_offences", "--as-of", "2024-03", "--strategy", STRATEGY]
    refused = run(national_store, *args, "--group", "msg")
    assert refused.exit_code != 0 and "no most similar groups are loaded" in refused.output
    table = yaml.safe_load(bundled_force_table().read_text())
    table["peers"] = {"title": "A test group", "publisher": "tests", "period": "2026"}
    for force in table["forces"]:
        if force["name"] == "Essex Police":
            force["most_similar"] = ["Kent Police", "Hertfordshire Constabulary"]
    own = tmp_path / "forces.yaml"
    own.write_text(yaml.safe_dump(table))
    result = run(national_store, *args, "--group", "msg", "--forces", str(own), "--json")
    assert result.exit_code == 0, result.output
    got = __import__("json").loads(result.stdout)
    assert sorted(f["force"] for f in got["forces"]) == ["Essex Police", "Hertfordshire Constabulary", "Kent Police"]
    assert got["group_label"] == "Essex Police and its most similar forces"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "county"], "choose msg, region, all"),
        (["--force", "Gotham Police"], "'Gotham Police' is not a police force crimeprev knows"),
        (["--out", "chart.gif"], "write .svg, .png or .html"),
    ],
)
def test_bad_options_are_explained(national_store: Path, args: list[str], message: str) -> None:
    result = run(national_store, "compare", "--indicator", "burglary_offences", "--as-of", "2024-03",
                 "--strategy", STRATEGY, *args)  # fmt: skip
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())


def test_a_rate_indicator_is_refused_with_the_reason(national_store: Path) -> None:
    result = run(national_store, "compare", "--indicator", "burglary_solved_rate", "--as-of", "2024-03",
                 "--strategy", STRATEGY)  # fmt: skip
    assert result.exit_code != 0 and "is a rate of records, not a count" in " ".join(result.output.split())


def test_a_district_count_or_a_rate_measure_cannot_be_compared_between_forces() -> None:
    from crimeprev.indicators.peers import not_comparable
    from crimeprev.indicators.strategy_file import load_strategy

    strategy = load_strategy(Path(STRATEGY))
    strand, burglary = strategy.find("burglary_offences")
    assert not_comparable(strand, burglary) is None
    basildon = burglary.model_copy(update={"filter": burglary.filter.model_copy(update={"districts": ["Basildon"]})})
    assert "counts named districts of one force only" in (not_comparable(strand, basildon) or "")
    _, solved = strategy.find("burglary_solved_rate")
    as_count = burglary.model_copy(update={"measure": solved.measure})  # a rate measure left with unit: count
    assert "is a rate of records, not a count" in (not_comparable(strand, as_count) or "")
