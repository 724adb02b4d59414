"""XmR charts on hand-worked series: each rule, re-baselining, missing months and the verdicts.

Most series start with the baseline 12, 10, 12, 10, 12, 10, 12, 10 (points 0 to 7): mean 11, every
moving range 2, so MR̄ = 2, limits 11 ± 5.32 = 5.68 and 16.32, and the outer third begins at
11 ± ⅔ × 5.32, that is below 7.4533 or above 14.5467. It has no signal of its own.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crimeprev.model.periods import add_months
from crimeprev.stats.xmr import (
    ASSURANCE_ICONS,
    COMMON_CAUSE,
    CONSISTENTLY_FAILING,
    CONSISTENTLY_PASSING,
    HIT_AND_MISS,
    RULES,
    SPECIAL_CAUSE_CONCERNING,
    SPECIAL_CAUSE_IMPROVING,
    SPECIAL_CAUSE_NEITHER,
    VARIATION_ICONS,
    Direction,
    Phase,
    XmRChart,
    build_xmr_chart,
)

BASE = [12.0, 10.0] * 4
FIXED = [Phase(0, 0, 7, "first eight months")]
TOL = 1e-12


def chart_of(tail: list[float | None], **kwargs: object) -> XmRChart:
    return build_xmr_chart([*BASE, *tail], phases=FIXED, **kwargs)  # type: ignore[arg-type]


def flagged(chart: XmRChart, rule: str) -> dict[int, str | None]:
    return {p.index: p.signal for p in chart.points if rule in p.rules}


def test_baseline_limits_by_hand() -> None:
    chart = chart_of([])
    limits = chart.phases[0]
    assert limits.mean == pytest.approx(11.0, abs=TOL)
    assert limits.mean_moving_range == pytest.approx(2.0, abs=TOL)
    assert limits.upper == pytest.approx(16.32, abs=TOL)
    assert limits.lower == pytest.approx(5.68, abs=TOL)
    assert limits.upper_near == pytest.approx(11 + 2 / 3 * 5.32, abs=TOL)
    assert limits.lower_near == pytest.approx(11 - 2 / 3 * 5.32, abs=TOL)
    assert all(p.rules == () and p.signal is None for p in chart.points)
    assert chart.moving_ranges == (None, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0)
    assert chart.variation == COMMON_CAUSE and chart.variation_icon == "common-cause"


def test_nine_month_baseline_by_hand() -> None:
    # 10 12 11 13 12 11 12 10 11: mean 102/9, moving ranges 2 1 2 1 1 1 2 1, MR̄ = 11/8.
    values = [10.0, 12, 11, 13, 12, 11, 12, 10, 11, 30]
    chart = build_xmr_chart(values, phases=[Phase(0, 0, 8, "first nine")])
    limits = chart.phases[0]
    assert limits.mean == pytest.approx(102 / 9, abs=TOL)
    assert limits.mean_moving_range == pytest.approx(11 / 8, abs=TOL)
    assert limits.upper == pytest.approx(102 / 9 + 2.66 * 11 / 8, abs=TOL)
    assert chart.points[9].rules == ("beyond-limit",)
    assert chart.points[9].moving_range == 19.0


def test_whole_series_is_the_default_baseline() -> None:
    chart = build_xmr_chart([*BASE, 30.0])
    assert chart.phases[0].baseline_end == 8
    assert chart.phases[0].mean == pytest.approx((88 + 30) / 9, abs=TOL)
    assert chart.phases[0].mean_moving_range == pytest.approx((7 * 2 + 20) / 8, abs=TOL)


def test_rule_beyond_a_limit() -> None:
    chart = chart_of([17, 11, 5], direction="down")
    assert flagged(chart, "beyond-limit") == {8: "high", 10: "low"}
    assert chart.points[9].rules == ()
    assert chart.variation == SPECIAL_CAUSE_IMPROVING and chart.variation_icon == "improvement-low"
    # On the limit is not beyond it.
    assert flagged(chart_of([16.32]), "beyond-limit") == {}


def test_rule_two_of_three_near_a_limit() -> None:
    chart = chart_of([15, 11, 15])
    assert flagged(chart, "two-of-three") == {8: "high", 10: "high"}  # not the point between
    assert chart.points[8].rules == ("two-of-three",)
    assert flagged(chart_of([15, 11, 11, 15]), "two-of-three") == {}  # two of four, not of three
    assert flagged(chart_of([15, 7]), "two-of-three") == {}  # opposite sides
    assert flagged(chart_of([7, 11, 7.4]), "two-of-three") == {8: "low", 10: "low"}
    beyond = chart_of([17, 15])  # a point beyond the limit counts as near it
    assert flagged(beyond, "two-of-three") == {8: "high", 9: "high"}
    assert beyond.points[8].rules == ("beyond-limit", "two-of-three")


def test_rule_run_of_seven() -> None:
    assert flagged(chart_of([12] * 6), "run") == {}
    assert flagged(chart_of([12] * 7), "run") == dict.fromkeys(range(8, 15), "high")
    # Point 7 (10) is below the mean too, so the low run is eight long.
    assert flagged(chart_of([10] * 7), "run") == dict.fromkeys(range(7, 15), "low")
    # A point on the mean breaks a run.
    assert flagged(chart_of([12, 12, 12, 11, 12, 12, 12, 12]), "run") == {}
    # The length is a parameter.
    assert flagged(chart_of([12] * 3, run_length=3), "run") == dict.fromkeys(range(8, 11), "high")
    assert flagged(chart_of([12] * 7, run_length=8), "run") == {}


def test_rule_trend_of_six() -> None:
    rising = chart_of([9, 10, 11, 12, 13, 14], direction="down")
    assert flagged(rising, "trend") == dict.fromkeys(range(8, 14), "high")
    assert all(p.rules in ((), ("trend",)) for p in rising.points)
    assert rising.variation == SPECIAL_CAUSE_CONCERNING and rising.variation_icon == "concern-high"
    assert flagged(chart_of([9, 10, 11, 12, 13]), "trend") == {}
    # Two equal points break a trend.
    assert flagged(chart_of([9, 10, 11, 11, 12, 13, 14]), "trend") == {}
    falling = chart_of([13, 12, 11, 10, 9, 8], direction="up")
    assert flagged(falling, "trend") == dict.fromkeys(range(8, 14), "low")
    assert falling.variation == SPECIAL_CAUSE_CONCERNING and falling.variation_icon == "concern-low"
    neither = chart_of([13, 12, 11, 10, 9, 8])
    assert neither.variation == SPECIAL_CAUSE_NEITHER and neither.variation_icon == "neither-low"
    # With trends of three, 12 10 9 falls and 9 10 11 rises; the turning point takes the later trend.
    short = chart_of([9, 10, 11], trend_length=3)
    assert flagged(short, "trend") == {6: "low", 7: "low", 8: "high", 9: "high", 10: "high"}
    assert flagged(chart_of([9, 10, 11], trend_length=4), "trend") == {}


def test_the_stronger_rule_decides_the_side() -> None:
    # 16 and 15 are near the upper limit (high) and start a falling trend (low).
    chart = chart_of([16, 15, 14, 13, 12, 11.5])
    assert chart.points[8].rules == ("two-of-three", "trend")
    assert chart.points[8].signal == "high"
    assert chart.points[12].rules == ("trend",) and chart.points[12].signal == "low"


def test_rebaselining_is_explicit_and_recorded() -> None:
    values = [*BASE, 6.0, 5, 6, 5, 6, 5, 6, 5]
    single = build_xmr_chart(values, phases=FIXED, direction="down")
    assert single.variation == SPECIAL_CAUSE_IMPROVING  # a run below the mean, and 5 < 5.68
    assert set(flagged(single, "run")) == set(range(7, 16))
    phases = [FIXED[0], Phase(8, 8, 15, "Operation Sceptre began in month 9")]
    chart = build_xmr_chart(values, phases=phases, direction="down")
    assert [p.phase for p in chart.phases] == phases
    second = chart.phases[1]
    assert (second.start, second.end, second.baseline_start, second.baseline_end) == (8, 15, 8, 15)
    assert second.mean == pytest.approx(5.5, abs=TOL)
    assert second.mean_moving_range == pytest.approx(1.0, abs=TOL)
    assert (second.lower, second.upper) == (pytest.approx(2.84, abs=TOL), pytest.approx(8.16, abs=TOL))
    assert chart.means == (11.0,) * 8 + (5.5,) * 8
    assert [p.phase for p in chart.points] == [0] * 8 + [1] * 8
    # The moving range across the re-baseline is shown (4) but is not in either baseline.
    assert chart.points[8].moving_range == 4.0
    assert all(p.rules == () for p in chart.points)
    assert chart.variation == COMMON_CAUSE


def test_run_does_not_cross_a_rebaseline() -> None:
    # Points 8-11 sit above phase 0's mean (11.33) and points 12-14 above phase 1's (12.5):
    # seven in a row across the re-baseline, but no run of seven within either phase.
    values = [*BASE, 12, 12, 12, 12, 14, 14, 14, 11, 11, 11]
    phases = [Phase(0, 0, 11, "before"), Phase(12, 12, 17, "after")]
    chart = build_xmr_chart(values, phases=phases)
    assert [p.value is not None and p.value > p.mean for p in chart.points[8:15]] == [True] * 7
    assert flagged(chart, "run") == {}
    assert set(flagged(build_xmr_chart(values, phases=phases, run_length=4), "run")) == {8, 9, 10, 11}


def test_phase_baseline_shorter_than_the_phase() -> None:
    values = [*BASE, 6.0, 5, 6, 5, 9, 9, 9]
    chart = build_xmr_chart(values, phases=[FIXED[0], Phase(8, 8, 11, "after the operation")])
    second = chart.phases[1]
    assert (second.baseline_start, second.baseline_end, second.end) == (8, 11, 14)
    assert [p.in_baseline for p in chart.points[8:]] == [True] * 4 + [False] * 3
    assert second.upper == pytest.approx(8.16, abs=TOL)
    assert flagged(chart, "beyond-limit") == dict.fromkeys(range(12, 15), "high")


def test_dated_series_and_dated_phases() -> None:
    months = [add_months(date(2022, 4, 1), i) for i in range(16)]
    values = [*BASE, 6.0, 5, 6, 5, 6, 5, 6, 5]
    series = list(zip(months, values, strict=True))
    phases = [Phase(date(2022, 4, 1), date(2022, 4, 1), date(2022, 11, 1), "before"), Phase(months[8], 8, 15, "after")]
    chart = build_xmr_chart(series, phases=phases)
    assert chart.points[8].month == date(2022, 12, 1)
    assert (chart.phases[1].start, chart.phases[1].baseline_end) == (8, 15)
    assert chart == build_xmr_chart(series, phases=phases)


def test_missing_months_are_flagged_and_skipped() -> None:
    values: list[float | None] = [12, None, 10, 12, 10, None, 12, 10, 12, 10]
    chart = build_xmr_chart(values)
    assert chart.missing == (1, 5)
    assert chart.points[1].missing and chart.points[1].rules == () and chart.points[1].signal is None
    # No moving range for a missing month or for the month after it.
    assert chart.moving_ranges == (None, None, None, 2.0, 2.0, None, None, 2.0, 2.0, 2.0)
    assert chart.phases[0].mean == pytest.approx(11.0, abs=TOL)
    assert chart.phases[0].mean_moving_range == pytest.approx(2.0, abs=TOL)


def test_a_gap_neither_extends_nor_breaks_a_run() -> None:
    chart = chart_of([12, None, 12, 12, None, 12, 12, 12, 12])
    assert set(flagged(chart, "run")) == {8, 10, 11, 13, 14, 15, 16}
    assert flagged(chart_of([12, None, 12, None, 12, None, 12, None, 12, 12]), "run") == {}


def test_latest_missing_month_reads_the_latest_observed_point() -> None:
    chart = chart_of([17, None], direction="up")
    assert chart.latest == 8
    assert chart.variation == SPECIAL_CAUSE_IMPROVING and chart.variation_icon == "improvement-high"


@pytest.mark.parametrize(
    ("direction", "target", "verdict"),
    [
        ("down", 20.0, CONSISTENTLY_PASSING),  # upper limit 16.32 below the target
        ("down", 3.0, CONSISTENTLY_FAILING),  # lower limit 5.68 above the target
        ("down", 11.0, HIT_AND_MISS),
        ("down", 16.32, HIT_AND_MISS),  # on a limit: inside
        ("up", 3.0, CONSISTENTLY_PASSING),
        ("up", 20.0, CONSISTENTLY_FAILING),
        ("up", 6.0, HIT_AND_MISS),
    ],
)
def test_assurance(direction: Direction, target: float, verdict: str) -> None:
    chart = build_xmr_chart(BASE, direction=direction, target=target)
    assert chart.assurance == verdict
    assert chart.assurance_icon == ASSURANCE_ICONS[verdict]


def test_assurance_reads_the_latest_phase() -> None:
    values = [*BASE, 6.0, 5, 6, 5, 6, 5, 6, 5]
    chart = build_xmr_chart(values, phases=[FIXED[0], Phase(8, 8, 15, "after")], direction="down", target=10)
    assert chart.assurance == CONSISTENTLY_PASSING  # 2.84 to 8.16, all below 10


def test_no_target_no_assurance() -> None:
    chart = build_xmr_chart(BASE, direction="down")
    assert chart.assurance is None and chart.assurance_icon is None


def test_icon_names() -> None:
    assert set(VARIATION_ICONS) == {
        "common-cause",
        "improvement-high",
        "improvement-low",
        "concern-high",
        "concern-low",
        "neither-high",
        "neither-low",
    }
    assert set(ASSURANCE_ICONS.values()) == {"assurance-pass", "assurance-fail", "assurance-hit-miss"}
    assert [rule.name for rule in RULES] == ["beyond-limit", "two-of-three", "run", "trend"]


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        (BASE, {"target": 5.0}, "direction"),
        (BASE, {"direction": "sideways"}, "direction"),
        (BASE, {"phases": [Phase(1, 1, 7, "late")]}, "first phase"),
        (BASE, {"phases": [Phase(0, 0, 3, "a"), Phase(0, 0, 7, "b")]}, "increasing"),
        (BASE, {"phases": [Phase(0, 0, 3, "a"), Phase(4, 2, 7, "b")]}, "inside the phase"),
        (BASE, {"phases": [Phase(0, 0, 9, "a")]}, "outside the series"),
        (BASE, {"phases": [Phase(date(2024, 1, 1), 0, 7, "a")]}, "dated series"),
        ([1.0, None, 2.0], {}, "two consecutive observed"),
        ([], {}, "two observed"),
        (BASE, {"run_length": 1}, "run rule"),
    ],
)
def test_rejects_bad_input(values: list[float | None], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_xmr_chart(values, **kwargs)  # type: ignore[arg-type]


def test_dated_series_must_be_consecutive() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        build_xmr_chart([(date(2024, 1, 1), 1.0), (date(2024, 3, 1), 2.0), (date(2024, 4, 1), 3.0)])


series_values = st.lists(st.one_of(st.none(), st.integers(0, 500).map(float)), min_size=2, max_size=40)


def _usable(values: list[float | None]) -> bool:
    return any(a is not None and b is not None for a, b in itertools.pairwise(values))


@settings(max_examples=80, deadline=None)
@given(series_values, st.integers(-3, 6))
def test_limits_scale_with_the_series(values: list[float | None], power: int) -> None:
    """Multiplying by a power of two is exact in floating point, so everything scales exactly."""
    assume(_usable(values))
    factor = 2.0**power
    chart = build_xmr_chart(values, direction="down")
    scaled = build_xmr_chart([None if v is None else v * factor for v in values], direction="down")
    for before, after in zip(chart.points, scaled.points, strict=True):
        assert (after.mean, after.upper, after.lower) == (
            before.mean * factor,
            before.upper * factor,
            before.lower * factor,
        )
        assert after.rules == before.rules and after.signal == before.signal
    assert scaled.variation == chart.variation


@settings(max_examples=80, deadline=None)
@given(series_values)
def test_mirroring_the_series_swaps_the_sides(values: list[float | None]) -> None:
    assume(_usable(values))
    chart = build_xmr_chart(values, direction="down")
    mirrored = build_xmr_chart([None if v is None else -v for v in values], direction="up")
    swap = {"high": "low", "low": "high", None: None}
    for before, after in zip(chart.points, mirrored.points, strict=True):
        assert after.rules == before.rules
        assert after.signal == swap[before.signal]
        assert after.moving_range == before.moving_range
    assert mirrored.variation == chart.variation  # fewer is good there, more is good here


@settings(max_examples=80, deadline=None)
@given(series_values)
def test_limits_are_symmetric_about_the_mean(values: list[float | None]) -> None:
    assume(_usable(values))
    limits = build_xmr_chart(values).phases[0]
    assert limits.upper - limits.mean == pytest.approx(2.66 * limits.mean_moving_range, rel=1e-12, abs=1e-9)
    assert limits.mean - limits.lower == pytest.approx(2.66 * limits.mean_moving_range, rel=1e-12, abs=1e-9)
    assert limits.lower <= limits.lower_near <= limits.mean <= limits.upper_near <= limits.upper
