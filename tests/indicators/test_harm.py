"""Harm weights: the shipped table is sourced and honest about its gaps; a user's table is checked."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from crimeprev.demo.catalogue import CATALOGUE
from crimeprev.indicators.harm import VERSION, describe_unweighted, load_harm_table
from crimeprev.model.errors import ConfigError


def test_shipped_table_covers_every_code_with_a_source_or_a_reason() -> None:
    table = load_harm_table()
    assert table.version == VERSION
    assert {c.code for c in CATALOGUE} <= set(table.weights) | table.unweighted
    text = (resources.files("crimeprev") / "data" / "harm-weights.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        if row["days"]:
            assert row["source"].strip() and row["starting_point"].strip(), row["code"]
        else:
            assert row["note"].startswith("Not weighted"), row["code"]
    # the CCHI method by hand: 15 years for murder, one year's custody for robbery, a Band B fine is 5 days
    assert (table.weight("1"), table.weight("34B"), table.weight("49")) == (5475, 365, 5)
    assert table.weight("8N") is None and "8N" in table.unweighted  # not read, so not guessed


def test_records_it_cannot_weigh_are_counted_and_named() -> None:
    table = load_harm_table()
    missing = table.missing(["34B", "8N", "8N", None, "105A"])
    assert missing == {"8N": 2, "": 1, "105A": 1}
    assert describe_unweighted(missing) == (
        "4 record(s) have no harm weight and count as 0 (8N 2, incidents 1, 105A 1); "
        "supply a fuller table with --harm-table"
    )
    assert describe_unweighted({}) is None


def test_a_user_table_replaces_the_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "force-cchi.csv"
    path.write_text("code,days,comment\n8N,30,ABH\n34B,365,\n99,\n")
    table = load_harm_table(path)
    assert table.weights == {"8N": 30.0, "34B": 365.0} and table.unweighted == {"99"}
    assert table.version == "force-cchi"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,weight\n8N,30\n", "needs the columns code and days"),
        ("code,days\n8N,thirty\n", "line 2: days 'thirty' is not a number"),
        ("code,days\n8N,30\n8N,31\n", "line 3: code 8N is listed twice"),
        ("code,days\n8N,-1\n", "cannot be negative"),
    ],
)
def test_bad_user_tables_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_harm_table(path)
