"""Recency-Frequency-Gravity scores worked out by hand, with the shipped default weights."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crimeprev.indicators.harm import HarmTable, load_harm_table
from crimeprev.model.errors import ConfigError
from crimeprev.people.cohort import count_ranks, harm_around_entry, movement, rfg_scores
from crimeprev.people.weights import load_weights
from tests.people.records import make_records

AS_OF = date(2024, 3, 1)
ROWS = [
    ("V1", "X", "19C", "2024-03-05"),  # 0 months before: recency 10; rape tier 50
    ("V1", "X", "105A", "2023-10-01"),  # 5 months: in the recent 12; no tier, default 1
    ("V2", "X", "8N", "2022-12-01"),  # 15 months: older, 5 x 0.5
    *[("V3", "Y", "105A", f"2024-01-{d:02d}") for d in range(1, 7)],  # six common assaults 2 months before
    ("V4", "Z", "8U", "2021-12-01"),  # 27 months: outside the 24-month lookback
    ("V5", None, "8N", "2024-03-01"),  # no suspect: nobody to score
]


def test_scores_term_by_term() -> None:
    weights = load_weights()
    scored = rfg_scores(make_records(ROWS), AS_OF, weights)
    assert [s.key for s in scored] == ["X", "Y"]
    x, y = scored
    assert (x.recency, x.frequency, x.gravity, x.victims) == (10, 2, 50 + 1 + 2.5, 5)
    assert x.score == 70.5 and x.distinct_victims == 2 and x.months_since == 0 and x.recent_offences == 2
    assert (y.recency, y.frequency, y.gravity, y.victims, y.score) == (7, 6, 6, 0, 19)
    assert [(i.code, i.points, i.weight) for i in x.items] == [("8N", 5, 0.5), ("105A", 1, 1.0), ("19C", 50, 1.0)]
    assert (
        x.items[0].basis == "tier: violence with injury, threats to kill, sexual assault, coercive control or stalking"
    )
    assert x.items[1].basis == "default: no tier lists this code"
    text = x.explanation()
    assert text.startswith("70.5 = recency 10 (last offence 2024-03, 0 months before) + frequency 2 ")
    assert "gravity 53.5 (19C 2024-03 50; 8N 2022-12 5 x 0.5; 105A 2023-10 1)" in text
    assert text.endswith("+ victims 5 (2 victims)")


def test_the_plain_count_ranking_beside_it() -> None:
    scored = rfg_scores(make_records(ROWS), AS_OF, load_weights())
    assert count_ranks(scored) == {"Y": 1, "X": 2}  # six offences against two in the recent months


def test_gravity_from_the_harm_table_where_it_weights_the_code() -> None:
    weights = load_weights()
    shipped = rfg_scores(make_records(ROWS), AS_OF, weights, load_harm_table())
    rape = next(i for i in shipped[0].items if i.code == "19C")
    assert rape.points == 50 and rape.basis == "harm table: 1825 days"  # 1,825 days / 36.5
    own = HarmTable("own", "own.csv", {"105A": 73.0}, frozenset())
    y = next(s for s in rfg_scores(make_records(ROWS), AS_OF, weights, own) if s.key == "Y")
    assert y.gravity == 6 * 2.0  # 73 days / 36.5 each


def test_entry_exit_and_harm_around_entry() -> None:
    moved = movement(["a", "b"], ["b", "c"])
    assert (moved.entered, moved.left, moved.stayed) == (("c",), ("a",), ("b",))
    change = harm_around_entry(make_records(ROWS), ["X"], date(2023, 12, 1), AS_OF, load_weights())
    # before: Jan-Dec 2023 holds the 105A (1 point); the 8N of Dec 2022 is thirteen months back
    assert (change.offences_before, change.harm_before) == (1, 1.0)
    assert (change.offences_after, change.harm_after, change.months_after) == (1, 50.0, 3)
    assert change.as_dict()["harm_per_month_after"] == pytest.approx(16.67)


def test_weights_files_are_validated(tmp_path: Path) -> None:
    shipped = (Path(__file__).parents[2] / "src" / "crimeprev" / "data" / "rfg-weights.yaml").read_text()
    twice = tmp_path / "twice.yaml"
    twice.write_text(shipped.replace('codes: ["8N",', 'codes: ["19C", "8N",'))
    with pytest.raises(ConfigError, match="19C is in two tiers"):
        load_weights(twice)
    typo = tmp_path / "typo.yaml"
    typo.write_text(shipped.replace("older_weight:", "older_wieght:"))
    with pytest.raises(ConfigError, match="older_wieght"):
        load_weights(typo)
    with pytest.raises(ConfigError, match="No such file"):
        load_weights(tmp_path / "missing.yaml")
