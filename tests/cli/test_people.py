"""People on the demo store: the planted perpetrators found, repeat figures as planted, access logged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.sources.pseudonym import PUBLIC_DEMO_KEY, Pseudonymiser
from tests.conftest import cli_json


def run(store: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, ["--store", str(store), *args], env=env)


def truth(store: Path) -> dict[str, Any]:
    ground: dict[str, Any] = json.loads((store.parent / "data" / "ground-truth.json").read_text(encoding="utf-8"))
    return ground


def pseudonym(raw: str) -> str:
    return Pseudonymiser(PUBLIC_DEMO_KEY.encode("utf-8")).pseudonym(raw)


def test_the_cohort_finds_the_planted_perpetrators_where_a_count_does_not(demo_store: Path) -> None:
    planted = truth(demo_store)["high_risk_da_perpetrators"]
    keys = {pseudonym(p["suspect_id"]): p for p in planted}
    result = cli_json(run(demo_store, "cohort", "da", "--as-of", "2024-03", "--person-level", "--json"))
    assert result["size"] == 20 and result["weights"] == "crimeprev-rfg 2026.1"
    cohort = {c["key"]: c for c in result["cohort"]}
    recall = len(keys.keys() & cohort.keys()) / len(keys)
    by_count = {c["key"] for c in result["count_ranking"]}
    assert recall >= 0.9
    assert len(keys.keys() & by_count) / len(keys) < 0.5  # the plain count ranking misses them
    # the overlap counts ties at the cut: every cohort member ranked within the size by count
    assert result["also_in_count_top"] == sum(1 for c in result["cohort"] if c["count_rank"] <= 20)
    assert all(c["count_rank"] <= 20 for c in result["count_ranking"]) and len(by_count) >= 20
    for key, person in keys.items():
        if key not in cohort:
            continue
        entry = cohort[key]
        assert entry["count_rank"] == person["plain_count_rank"]  # the same ranking as the ground truth's
        serious = {h["code"] for h in person["history"] if h["gravity"] == 2}
        named = {o["code"] for o in entry["gravity"]["offences"] if o["points"] >= 50}
        assert named and named <= serious  # the serious offences of the history drove the gravity
        assert any(code in entry["explanation"] for code in serious)
        # successive partners: the later two or three fall in the 24-month lookback
        assert 2 <= entry["victims"]["distinct"] <= len(person["victim_ids"])
        total = sum(entry[t]["points"] for t in ("recency", "frequency", "gravity", "victims"))
        assert total == pytest.approx(entry["score"])


def test_cohort_movement_and_harm_around_entry(demo_store: Path) -> None:
    summary = cli_json(run(demo_store, "cohort", "da", "--as-of", "2024-03", "--since", "2023-09", "--summary",
                           "--json"))  # fmt: skip
    assert "cohort" not in summary and "movement" not in summary  # no person is listed
    assert summary["entered"] == summary["left"] and summary["entered"] + summary["stayed"] == 20
    change = summary["harm_around_entry"]
    assert change["people"] == 20 and change["months_before"] == 12 and change["months_after"] == 6
    assert change["offences_before"] > 0 and change["harm_before"] > 0
    text = run(demo_store, "cohort", "da", "--as-of", "2024-03", "--summary")
    assert text.exit_code == 0 and "of the 20 are also in the top 20 by count" in text.stdout
    assert "p_" not in text.stdout
    late = run(demo_store, "cohort", "da", "--as-of", "2024-03", "--since", "2024-05", "--summary")
    assert late.exit_code == 1 and "must be before --as-of" in late.stderr


def test_repeat_figures_match_the_planted_concentration(demo_store: Path) -> None:
    for stated in truth(demo_store)["repeat_victimisation"]:
        result = cli_json(run(demo_store, "repeats", "--indicator", stated["indicator"], "--as-of", "2024-03",
                              "--by", stated["role"], "--json"))  # fmt: skip
        (role,) = result["roles"]
        for measure in ("records", "without_person", "people", "repeat_people", "repeat_people_pct", "repeat_records",
                        "repeat_records_pct"):  # fmt: skip
            assert role[measure] == stated[measure], (stated["indicator"], stated["role"], measure)


def test_person_level_commands_refuse_without_the_flag_and_log_with_it(demo_store: Path) -> None:
    refused = run(demo_store, "cohort", "da", "--as-of", "2024-03")
    assert refused.exit_code == 1 and "add --person-level" in refused.stderr and "--summary" in refused.stderr
    top = run(demo_store, "repeats", "--indicator", "domestic_abuse_offences", "--top", "5")
    assert top.exit_code == 1 and "add --person-level" in top.stderr
    before = cli_json(run(demo_store, "access-log", "--limit", "0", "--json"))
    env = {"CRIMEPREV_USER": "analyst.jones"}
    listed = cli_json(run(demo_store, "repeats", "--indicator", "domestic_abuse_offences", "--as-of", "2024-03",
                          "--by", "victim", "--top", "3", "--person-level", "--json", env=env))  # fmt: skip
    top_list = listed["roles"][0]["top"]
    assert len(top_list) == 3 and all(p["key"].startswith("p_") for p in top_list)
    assert top_list[0]["records"] >= top_list[1]["records"] >= top_list[2]["records"] >= 2
    log = cli_json(run(demo_store, "access-log", "--limit", "0", "--json"))
    assert len(log) == len(before) + 1
    newest = log[0]
    assert newest["user"] == "analyst.jones" and newest["command"] == "repeats" and newest["people"] == 3
    assert "p_" not in json.dumps(log)
    # every option the query was given, so it can be repeated exactly
    for option in ("--indicator domestic_abuse_offences", "--as-of 2024-03", "--by victim", "--top 3",
                   "--person-level", "--json"):  # fmt: skip
        assert option in newest["arguments"]
    cli_json(run(demo_store, "repeats", "--indicator", "domestic_abuse_offences", "--as-of", "2024-03",
                 "--same-type", "--person-level", "--json", env=env))  # fmt: skip
    assert "--same-type" in cli_json(run(demo_store, "access-log", "--json"))[0]["arguments"]
    records = cli_json(run(demo_store, "records", "domestic_abuse_offences", "--period", "2024-03", "--limit", "5",
                           "--person-level", "--json", env=env))  # fmt: skip
    assert records[0]["records"][0]["victim_key"].startswith("p_")
    assert cli_json(run(demo_store, "access-log", "--json"))[0]["command"] == "records"


def test_publication_suppresses_small_numbers(demo_store: Path) -> None:
    args = ("repeats", "--indicator", "knife_crime_offences", "--by", "victim")
    plain = cli_json(run(demo_store, *args, "--as-of", "2024-03", "--json"))["roles"][0]
    assert plain["distribution"] == {"1": 2608, "2": 54, "3": 3}
    shown = cli_json(run(demo_store, *args, "--as-of", "2024-03", "--publish", "--json"))["roles"][0]
    assert shown["publication"] == {"suppressed_below": 5, "withheld": False}
    assert shown["distribution"] == {"1": 2608, "2+": 57}  # the three with three records merged upwards
    assert (shown["people"], shown["repeat_people"]) == (plain["people"], plain["repeat_people"])
    # One month: a single repeat victim. Its count, and everything tied to it, is withheld.
    month = cli_json(run(demo_store, *args, "--window", "2024-03", "--json"))["roles"][0]
    assert month["repeat_people"] < 5
    published = cli_json(run(demo_store, *args, "--window", "2024-03", "--publish", "--json"))["roles"][0]
    assert published["publication"]["withheld"] is True
    assert published["records"] == month["records"]
    assert {published[k] for k in ("people", "repeat_people", "repeat_records", "distribution", "days_to_next")} == {
        "*"
    }
    text = run(demo_store, *args, "--window", "2024-03", "--publish")
    assert text.exit_code == 0 and "withheld" in text.stdout
    both = run(demo_store, *args, "--publish", "--person-level")
    assert both.exit_code == 1 and "never for publication" in both.stderr
    knox = run(demo_store, *args, "--publish", "--near-repeat")
    assert knox.exit_code == 1 and "not for publication" in knox.stderr


def test_empty_windows_and_wrong_indicators_are_clear_errors(demo_store: Path) -> None:
    late = run(demo_store, "repeats", "--indicator", "knife_crime_offences", "--as-of", "2030-01")
    assert late.exit_code == 1 and "records run to 2024-03" in late.stderr
    cohort = run(demo_store, "cohort", "da", "--as-of", "2030-01", "--summary")
    assert cohort.exit_code == 1 and "records run to 2024-03" in cohort.stderr
    incidents = run(demo_store, "cohort", "da", "--as-of", "2024-03", "--summary", "--indicator", "asb_incidents")
    assert incidents.exit_code == 1 and "needs offences" in incidents.stderr


def test_near_repeats_of_burglary(demo_store: Path) -> None:
    result = cli_json(run(demo_store, "repeats", "--indicator", "residential_burglary_offences", "--as-of", "2024-03",
                          "--by", "location", "--near-repeat", "--json"))  # fmt: skip
    knox = result["near_repeat"]
    assert knox["records"] > 1000 and len(knox["cells"]) == 25
    assert "999 shuffles" in knox["method"]
    same_week = next(c for c in knox["cells"] if c["distance"] == "same place" and c["time"] == "0-7 days")
    assert same_week["observed"] > same_week["expected"]
    text = run(demo_store, "repeats", "--indicator", "residential_burglary_offences", "--as-of", "2024-03",
               "--by", "location", "--near-repeat", "--permutations", "99")  # fmt: skip
    assert text.exit_code == 1 and "use at least 499" in text.stderr


def test_months_only_records_cannot_be_tested_for_near_repeats(police_uk_store: Path) -> None:
    strategy = str(Path(__file__).parents[2] / "src" / "crimeprev" / "strategies" / "police-uk-example.yaml")
    result = run(police_uk_store, "repeats", "--indicator", "burglary_offences", "--window", "2018-01..2019-01",
                 "--by", "location", "--near-repeat", "--strategy", strategy)  # fmt: skip
    assert result.exit_code == 1 and "months only" in result.stderr
    # data.police.uk files hold no person identifiers: the places that repeat are counted instead
    places = cli_json(run(police_uk_store, "repeats", "--indicator", "burglary_offences", "--window",
                          "2018-01..2019-01", "--strategy", strategy, "--json"))  # fmt: skip
    assert [r["role"] for r in places["roles"]] == ["location"]
    assert places["notes"][-1] == "The records hold no person identifiers: repeat locations are shown instead."
    (role,) = places["roles"]
    assert role["records"] == role["without_person"] + sum(int(k) * v for k, v in role["distribution"].items())
