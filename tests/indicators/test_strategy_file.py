"""Strategy files: the bundled ones are valid and match the published ids; errors say where."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from crimeprev.indicators.strategy_file import bundled_strategy, load_strategy
from crimeprev.model.errors import InputError

REFERENCE = yaml.safe_load((resources.files("crimeprev") / "data" / "essex-2023-24.yaml").read_text())


def test_the_essex_strategy_has_the_published_themes_strands_and_ids() -> None:
    strategy = load_strategy()
    assert [(t.name, [s.id for s in t.strands]) for t in strategy.themes] == [
        (t["name"], t["strands"]) for t in REFERENCE["themes"]
    ]
    for strand_id, indicators in REFERENCE["rolling_12_months"].items():
        strand = next(s for s in strategy.strands() if s.id == strand_id)
        assert set(indicators) <= {i.id for i in strand.indicators}
    for strand in strategy.strands():
        assert strand.lead.rank and strand.lead.portfolio and strand.lead.name is None


def test_the_two_trafficking_definitions_differ_explicitly() -> None:
    strategy = load_strategy()
    _, county_lines = strategy.find("county-lines/drug_trafficking_offences")
    _, drugs = strategy.find("drugs-and-alcohol/drug_trafficking_offences")
    assert county_lines.filter.offence_codes == ["92A", "92C"] and drugs.filter.offence_codes == ["92A"]
    assert "92C" in county_lines.definition and "92A only" in drugs.definition
    with pytest.raises(KeyError, match="ambiguous"):
        strategy.find("drug_trafficking_offences")


def test_the_example_strategy_is_valid() -> None:
    strategy = load_strategy(bundled_strategy("police-uk-example.yaml"))
    assert strategy.force == "Essex Police"
    assert all(i.source in ("offences", "incidents") for s in strategy.strands() for i in s.indicators)


SMALL = """\
id: small
title: Small strategy
force: Essex Police
themes:
  - id: violence
    name: Violence
    strands:
      - id: knife-crime
        title: Knife crime
        lead: {rank: Superintendent, portfolio: Violence}
        indicators:
          - id: knife_crime_offences
            title: Knife crime offences
            source: offences
            definition: Knife-flagged offences.
            filter: {flags: {knife: true}}
"""
BAD = [
    ("filter: {flags: {knife: true}}", "filter: {flags: {sharp: true}}", 16, "unknown flag(s) ['sharp']",
     "themes.0.strands.0.indicators.0.filter"),
    ("source: offences", "source: crimes", 14, "Input should be", "themes.0.strands.0.indicators.0.source"),
    ("lead: {rank: Superintendent, portfolio: Violence}", "lead: {rank: Superintendent}", 10, "Field required",
     "themes.0.strands.0.lead.portfolio"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "message", "field"), BAD)
def test_errors_name_file_line_strand_and_field(
    tmp_path: Path, old: str, new: str, line: int, message: str, field: str
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(SMALL)
    assert load_strategy(good).strands()[0].indicators[0].id == "knife_crime_offences"
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace(old, new))
    with pytest.raises(InputError) as raised:
        load_strategy(bad)
    error = raised.value
    assert (error.path, error.line, error.field) == (str(bad), line, field)
    assert "strand knife-crime" in str(error) and message in str(error)


def test_unreadable_yaml_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\nforce: y\n")
    with pytest.raises(InputError, match="not valid YAML") as raised:
        load_strategy(bad)
    assert raised.value.line == 3


def test_a_strand_in_one_district_counts_its_records_there_only() -> None:
    places = next(s for s in load_strategy().strands() if s.id == "places")
    narrowed = places.in_district("Basildon")
    assert not any(i.source == "measures" for i in narrowed.indicators)  # supplied figures are force-wide
    assert narrowed.indicators and all(i.filter.districts == ["Basildon"] for i in narrowed.indicators)
    assert all("district" not in i.breakdowns for i in narrowed.indicators)
    kept = {i.id for i in narrowed.indicators}
    assert kept == {i.id for i in places.indicators if i.source != "measures"}
    assert set(narrowed.zone_indicators) <= kept and set(narrowed.repeat_indicators) <= kept
    # an indicator already confined to other districts is left out rather than shown as nought
    elsewhere = places.indicators[0].model_copy(
        update={"filter": places.indicators[0].filter.model_copy(update={"districts": ["Harlow"]})}
    )
    confined = places.model_copy(update={"indicators": [elsewhere]})
    assert confined.in_district("Basildon").indicators == []
    assert [i.filter.districts for i in confined.in_district("Harlow").indicators] == [["Harlow"]]


def test_a_combined_indicator_declared_before_its_parts_is_kept_in_a_district() -> None:
    strand = next(s for s in load_strategy().strands() if any(i.source == "combined" for i in s.indicators))
    combined = next(i for i in strand.indicators if i.source == "combined")
    reordered = strand.model_copy(
        update={"indicators": [combined, *(i for i in strand.indicators if i is not combined)]}
    )
    assert combined.id in {i.id for i in reordered.in_district("Basildon").indicators}
