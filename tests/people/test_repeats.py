"""Repeat measures on a hand-built set of records, every figure worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from crimeprev.model.suppression import merge_small_bins, publishable, suppress_count
from crimeprev.people.repeats import repeat_summary
from tests.people.records import make_records

# Victim A: three offences (days 0, 10, 40 from 1 Jan); B: two (1 Jan, 1 Mar); C and D: one each;
# one offence with no victim. Offenders: X did A's three and C's; Y did B's two; D's and the
# unknown-victim offence have no suspect.
ROWS = [
    ("A", "X", "105A", "2024-01-01"),
    ("A", "X", "8N", "2024-01-11"),
    ("B", "Y", "105A", "2024-01-01"),
    ("A", "X", "105A", "2024-02-10"),
    ("C", "X", "8N", "2024-01-20"),
    ("B", "Y", "8N", "2024-03-01"),
    ("D", None, "58A", "2024-02-02"),
    (None, None, "58A", "2024-02-03"),
]


def test_repeat_victims_counts_shares_distribution_and_days_to_next() -> None:
    s = repeat_summary(make_records(ROWS), "victim", top=5)
    assert (s.records, s.without_person, s.with_person) == (8, 1, 7)
    assert (s.people, s.repeat_people, s.repeat_records) == (4, 2, 5)  # A and B; 3 + 2 records
    assert s.repeat_people_pct == pytest.approx(50.0)
    assert s.repeat_records_pct == pytest.approx(100 * 5 / 7)
    assert s.distribution == {"1": 2, "2": 1, "3": 1}
    # gaps: A 10 and 30 days, B 60 days (1 Jan to 1 Mar 2024, a leap year)
    assert s.gaps == 3 and s.median_days_to_next == 30.0
    assert s.next_within[7] == 0.0 and s.next_within[28] == pytest.approx(100 / 3)
    assert s.next_within[91] == 100.0
    assert [(p.key, p.records) for p in s.top] == [("A", 3), ("B", 2)]
    assert s.top[0].refs == ("r1", "r2", "r4") and s.top[0].codes == ("105A", "8N", "105A")


def test_repeat_offenders_and_same_type_repeats() -> None:
    offenders = repeat_summary(make_records(ROWS), "offender")
    assert (offenders.without_person, offenders.people, offenders.repeat_people) == (2, 2, 2)  # X: 4, Y: 2
    assert offenders.repeat_records == 6 and offenders.repeat_records_pct == 100.0
    same = repeat_summary(make_records(ROWS), "victim", same_type=True)
    # A|105A twice is the only same-type repeat; A|8N, B|105A, B|8N, C|8N, D|58A once each
    assert (same.people, same.repeat_people, same.repeat_records) == (6, 1, 2)


def test_repeat_locations_use_the_map_point() -> None:
    places = [(51.5, 0.1), (51.5, 0.1), (51.6, 0.2), (51.5, 0.1), (51.6, 0.2), (51.7, 0.3), (np.nan, np.nan),
              (51.7, 0.3)]  # fmt: skip
    s = repeat_summary(make_records(ROWS, places=places), "location", top=1)
    assert (s.without_person, s.people, s.repeat_people, s.repeat_records) == (1, 3, 3, 7)
    assert s.top[0].records == 3 and s.top[0].place == "place 0"


def test_no_person_level_detail_in_the_aggregate_dictionary() -> None:
    s = repeat_summary(make_records(ROWS), "victim", top=5)
    assert "top" not in s.as_dict(person_level=False)
    assert s.as_dict(person_level=True)["top"][0]["key"] == "A"
    with pytest.raises(ValueError, match="no role"):
        repeat_summary(make_records(ROWS), "household")


def test_small_numbers_are_suppressed_for_publication() -> None:
    assert [suppress_count(n, 5) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert publishable([0, 5, 120], 5) and not publishable([7, 3], 5)
    # small bins merge upwards into a "k+" bin; a small remainder at the bottom joins the bin above
    assert merge_small_bins([("1", 2608), ("2", 54), ("3", 3)], 5) == [("1", 2608), ("2+", 57)]
    assert merge_small_bins([("1", 9), ("2", 6), ("3", 1), ("5", 2), ("10+", 3)], 5) == [
        ("1", 9),
        ("2-3", 7),
        ("5+", 5),
    ]
    assert merge_small_bins([("1", 3), ("2", 40)], 5) == [("1+", 43)]
    assert merge_small_bins([("1", 3)], 5) == []


def test_published_figures_cannot_be_worked_back() -> None:
    # 12 one-off victims and one repeat victim with two offences: the repeat figures are small, and
    # people - one-off people or the distribution's "1" bin would give them back, so all are withheld.
    rows = [(f"V{i}", None, "105A", "2024-01-01") for i in range(12)] + [("R", None, "8N", "2024-01-02")] * 2
    shown = repeat_summary(make_records(rows), "victim").published(5)
    assert shown["publication"] == {"suppressed_below": 5, "withheld": True}
    assert shown["records"] == 14 and shown["without_person"] == 0
    assert {shown[k] for k in ("people", "repeat_people", "repeat_records", "repeat_people_pct")} == {"*"}
    assert shown["distribution"] == "*" and shown["days_to_next"] == "*"
    # forty one-off victims and five with two offences each: everything can be shown
    rows = [(f"V{i}", None, "105A", "2024-01-01") for i in range(40)]
    rows += [(f"R{i}", None, "8N", f"2024-01-{d:02d}") for i in range(5) for d in (3, 20)]
    shown = repeat_summary(make_records(rows), "victim").published(5)
    assert shown["publication"]["withheld"] is False
    assert (shown["people"], shown["repeat_people"], shown["repeat_records"]) == (45, 5, 10)
    assert shown["distribution"] == {"1": 40, "2": 5} and shown["days_to_next"]["median"] == 17.0
