"""Operations: the ledger through the CLI, Op Grenadier's published table, the counterfactual."""

from __future__ import annotations

import csv
import json
from collections import Counter
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


def _robbery_week(store: Path, ledger: Path, name: str, *area: str) -> Any:
    added = run(store, "add", "--name", name, "--strand", "burglary-and-robbery", "--indicators",
                "personal_robbery_offences", "--start", "2024-02-05", "--end", "2024-02-11", *area,
                "--ledger", str(ledger))  # fmt: skip
    assert added.exit_code == 0, added.output
    return cli_json(run(store, "evaluate", name, "--ledger", str(ledger), "--json"))


def test_an_area_operation_counts_the_area_only(demo_store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ops.yaml"
    area = _robbery_week(demo_store, ledger, "Area week", "--area", "Thurrock", "--control", "Basildon,Southend-on-Sea")
    force = _robbery_week(demo_store, ledger, "Force week")
    # Counted independently from the demo's offences.csv: personal robbery by district and month.
    counts: Counter[tuple[str, str]] = Counter()
    with (demo_store.parent / "data" / "offences.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["HOCode"] == "34B":
                counts[(row["CSP"], row["DateRecorded"][:7])] += 1
                counts[("force", row["DateRecorded"][:7])] += 1
    months = area["months"]
    assert months == ["2023-02", "2024-01", "2024-02"]
    area_row, force_row = area["indicators"][0]["rows"][0], force["indicators"][0]["rows"][0]
    assert [area_row[m] for m in months] == [counts[("Thurrock", m)] for m in months]
    assert [force_row[m] for m in months] == [counts[("force", m)] for m in months]
    assert area_row[months[2]] < force_row[months[2]] / 3
    # The displacement test compares the area with its control districts, month before and after.
    control = [counts[("Basildon", m)] + counts[("Southend-on-Sea", m)] for m in months[1:]]
    treated = [counts[("Thurrock", m)] for m in months[1:]]
    assert area["displacement"]["wdd"] == (treated[1] - treated[0]) - (control[1] - control[0])
    assert force["displacement"] is None


def test_a_week_of_action_is_judged_on_its_days(demo_store: Path, tmp_path: Path) -> None:
    # The demo plants a force-wide burglary week of action, 13-19 November 2023 (ground-truth.json).
    ledger = tmp_path / "ops.yaml"
    added = run(demo_store, "add", "--name", "Burglary week", "--strand", "burglary-and-robbery", "--indicators",
                "residential_burglary_offences", "--start", "2023-11-13", "--end", "2023-11-19",
                "--ledger", str(ledger))  # fmt: skip
    assert added.exit_code == 0, added.output
    result = cli_json(run(demo_store, "evaluate", "Burglary week", "--ledger", str(ledger), "--json"))
    days = result["indicators"][0]["days"]
    planted = {w["key"]: w for w in json.loads((demo_store.parent / "data" / "ground-truth.json").read_text(
        encoding="utf-8"))["weeks_of_action"]}  # fmt: skip
    assert days["observed"] == planted["burglary_week"]["records_in_week"]
    assert days["verdict"] == "below the expected range" and days["observed"] < days["expected_low"]
    assert len(days["baseline"]) == 8 and days["seasonal_factor"] is not None
    table = run(demo_store, "evaluate", "Burglary week", "--ledger", str(ledger))
    assert "on its days (13 Nov 2023 to 19 Nov 2023)" in table.stdout and "below the expected range" in table.stdout


def test_bad_operations_are_refused(demo_store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ops.yaml"
    unknown = run(demo_store, "add", "--name", "X", "--strand", "knife-crime", "--indicators", "nope", "--start",
                  "2024-01-01", "--end", "2024-01-02", "--ledger", str(ledger))  # fmt: skip
    assert unknown.exit_code == 1 and "no indicator" in unknown.stderr
    missing = run(demo_store, "evaluate", "Op Nothing", "--ledger", LEDGER)
    assert missing.exit_code == 1 and "no operation 'Op Nothing'" in missing.stderr
    nowhere = run(demo_store, "add", "--name", "X", "--strand", "knife-crime", "--indicators", "knife_crime_offences",
                  "--start", "2024-01-01", "--end", "2024-01-02", "--area", "Nowhere", "--control", "Thurrock",
                  "--ledger", str(ledger))  # fmt: skip
    assert nowhere.exit_code == 1 and "unknown area(s) Nowhere" in nowhere.stderr
    assert "Southend-on-Sea" in nowhere.stderr and not ledger.exists()
    # A ledger edited by hand is checked when it is evaluated.
    ledger.write_text(
        "operations:\n  - {id: x, name: X, strand: knife-crime, indicators: [knife_crime_offences],\n"
        "     starts_on: 2024-01-01, ends_on: 2024-01-02, area: [Nowhere]}\n",
        encoding="utf-8",
    )
    evaluated = run(demo_store, "evaluate", "X", "--ledger", str(ledger))
    assert evaluated.exit_code == 1 and "unknown area(s) Nowhere" in evaluated.stderr


def test_operations_in_zones_count_the_zones_records(demo_store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ops.yaml"
    common = ("--strand", "places", "--indicators", "high_harm_offences", "--start", "2023-10-01", "--end",
              "2023-10-31", "--ledger", str(ledger))  # fmt: skip
    added = run(demo_store, "add", "--name", "Grays patrols", *common, "--area", "grays-violence-zone",
                "--control", "Colchester", "--buffer-m", "300")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert run(demo_store, "add", "--name", "Force patrols", *common).exit_code == 0
    zone = cli_json(run(demo_store, "evaluate", "Grays patrols", "--ledger", str(ledger), "--json"))
    force = cli_json(run(demo_store, "evaluate", "Force patrols", "--ledger", str(ledger), "--json"))
    zone_row, force_row = zone["indicators"][0]["rows"][0], force["indicators"][0]["rows"][0]
    assert zone_row["2023-10"] < force_row["2023-10"] / 20  # the zone's records, not the force's
    # the same records as zones evaluate counts inside the zone (another code path): Aug-Sep and Oct-Nov 2023
    for name, start, end in (("Grays Sep", "2023-09-01", "2023-09-30"), ("Grays Nov", "2023-11-01", "2023-11-30")):
        assert run(demo_store, "add", "--name", name, "--strand", "places", "--indicators", "high_harm_offences",
                   "--start", start, "--end", end, "--area", "grays-violence-zone",
                   "--ledger", str(ledger)).exit_code == 0  # fmt: skip
    sep, nov = (cli_json(run(demo_store, "evaluate", n, "--ledger", str(ledger), "--json"))["indicators"][0]["rows"][0]
                for n in ("Grays Sep", "Grays Nov"))  # fmt: skip
    inside = cli_json(CliRunner().invoke(app, ["--store", str(demo_store), "zones", "evaluate", "--indicator",
                                               "places/high_harm_offences", "--zone", "grays-violence-zone",
                                               "--before", "2023-08..2023-09", "--after", "2023-10..2023-11",
                                               "--json"]))["zones"][0]["comparison"]  # fmt: skip
    assert (sep["2023-08"] + sep["2023-09"], nov["2023-10"] + nov["2023-11"]) == (inside["before"], inside["after"])
    assert nov["2023-10"] == zone_row["2023-10"]
    assert zone["displacement"] is not None and zone["displacement"]["displacement_change"] is not None
    unknown = run(demo_store, "add", "--name", "Y", *common, "--area", "grays-zone")
    assert unknown.exit_code == 1 and "unknown area(s) grays-zone" in unknown.stderr
    assert "its zones: basildon-asb-zone, grays-violence-zone" in unknown.stderr


def test_every_area_operation_gets_a_map_in_the_report(demo_store: Path, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    ledger = tmp_path / "ops.yaml"
    for args in (("--name", "Grays patrols", "--area", "grays-violence-zone", "--control", "Colchester",
                  "--buffer-m", "300"),
                 ("--name", "Thurrock week", "--area", "Thurrock", "--control", "Basildon")):  # fmt: skip
        added = run(demo_store, "add", *args, "--strand", "places", "--indicators", "high_harm_offences", "--start",
                    "2023-10-01", "--end", "2023-10-07", "--ledger", str(ledger))  # fmt: skip
        assert added.exit_code == 0, added.output
    out = tmp_path / "out"
    boundary = tmp_path / "lad.geojson"
    features = [
        {"type": "Feature", "properties": {"LAD23NM": name},
         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1],
                                                          [x, y]]]}}
        for name, x, y in (("Thurrock", 0.3, 51.45), ("Basildon", 0.42, 51.55), ("Colchester", 0.85, 51.85))
    ]  # fmt: skip
    boundary.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = CliRunner().invoke(app, ["--store", str(demo_store), "report", "--as-of", "2024-03", "--format", "html",
                                      "--operations", str(ledger), "--boundaries", str(boundary),
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = next(out.iterdir()).read_text(encoding="utf-8")

    class Captions(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.texts = False, []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.inside = tag == "figcaption"

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.texts.append(data)

    parser = Captions()
    parser.feed(html)
    captions = " ".join(parser.texts)
    assert "Grays patrols: where it acted (Grays serious violence zone), its control area and buffer" in captions
    assert "Thurrock week: where it acted (Thurrock), its control area" in captions
    assert 'id="map-operation-grays-patrols"' in html and 'id="map-operation-thurrock-week"' in html
    assert "Outlines from lad.geojson" in html  # the supplied boundary file, not the records' hulls
