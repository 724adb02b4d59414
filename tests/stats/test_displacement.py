"""The weighted displacement difference test (Wheeler and Ratcliffe 2018), against hand-worked values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeprev.stats.displacement import weighted_displacement_difference

Z95 = 1.959963984540054


def test_hand_worked_example() -> None:
    # Treated 60 -> 40, control 50 -> 46, buffer 28 -> 32, buffer control 35 -> 33.
    test = weighted_displacement_difference((60, 40), (50, 46), (28, 32), (35, 33))
    assert (test.treated_change, test.control_change) == (-20.0, -4.0)
    assert (test.displacement_change, test.displacement_control_change) == (4.0, -2.0)
    assert test.wdd == -10.0  # -20 - (-4) + 4 - (-2)
    assert test.standard_error == 18.0  # sqrt(60 + 40 + 50 + 46 + 28 + 32 + 35 + 33) = sqrt(324)
    assert test.z == pytest.approx(-10 / 18, abs=1e-15)
    # 2 (1 - Φ(10/18)), with Φ(0.5556) = 0.71074 from a normal table
    assert test.p_value == pytest.approx(0.578515, abs=1e-6)
    assert test.low == pytest.approx(-10 - Z95 * 18, abs=1e-9)
    assert test.high == pytest.approx(-10 + Z95 * 18, abs=1e-9)


def test_large_fall_is_significant() -> None:
    # 200 -> 100 treated, controls flat: WDD = -100, SE = sqrt(300 + 200 + 150 + 150) = sqrt(800).
    test = weighted_displacement_difference((200, 100), (100, 100), (75, 75), (75, 75))
    assert test.wdd == -100.0
    assert test.standard_error == pytest.approx(math.sqrt(800), abs=1e-12)
    assert test.z == pytest.approx(-3.5355339, abs=1e-7)
    assert test.p_value == pytest.approx(4.0695e-4, abs=1e-7)
    assert test.high < 0


def test_without_displacement_areas() -> None:
    test = weighted_displacement_difference((30, 20), (40, 41))
    assert test.wdd == -11.0
    assert test.standard_error == pytest.approx(math.sqrt(131), abs=1e-12)
    assert test.displacement_change is None and test.displacement_control_change is None


def test_no_crime_at_all() -> None:
    test = weighted_displacement_difference((0, 0), (0, 0), (0, 0), (0, 0))
    assert (test.wdd, test.standard_error, test.z, test.p_value) == (0.0, 0.0, None, 1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"treated": (1, 2), "control": (1, 2), "displacement": (1, 2)}, "together"),
        ({"treated": (-1, 2), "control": (1, 2)}, "non-negative"),
        ({"treated": (1, 2), "control": (1, 2), "confidence": 1.0}, "confidence"),
    ],
)
def test_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        weighted_displacement_difference(**kwargs)  # type: ignore[arg-type]


counts = st.tuples(st.integers(0, 500), st.integers(0, 500))


@settings(max_examples=60, deadline=None)
@given(counts, counts, counts, counts)
def test_reversing_time_negates_the_difference(
    t: tuple[int, int], c: tuple[int, int], d: tuple[int, int], e: tuple[int, int]
) -> None:
    forward = weighted_displacement_difference(t, c, d, e)
    backward = weighted_displacement_difference(t[::-1], c[::-1], d[::-1], e[::-1])
    assert backward.wdd == -forward.wdd
    assert backward.standard_error == forward.standard_error
    assert backward.p_value == pytest.approx(forward.p_value, abs=1e-12)
    assert forward.low <= forward.wdd <= forward.high
