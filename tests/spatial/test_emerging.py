"""Mann-Kendall trends and emerging-hotspot classes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from crimeprev.spatial.emerging import classify_emerging
from crimeprev.stats.trend import mann_kendall


def test_mann_kendall_by_hand_and_against_kendalls_tau() -> None:
    series = [3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.6, 6.0]
    n = len(series)
    s = sum(np.sign(series[j] - series[i]) for i in range(n) for j in range(i + 1, n))
    result = mann_kendall(series)
    assert result.s == s
    # Kendall's tau between the values and time is S over the number of pairs (no ties here).
    tau = stats.kendalltau(np.arange(n), series).statistic
    assert tau == pytest.approx(s / (n * (n - 1) / 2))
    var = n * (n - 1) * (2 * n + 5) / 18
    assert result.z == pytest.approx((s - np.sign(s)) / np.sqrt(var))
    assert mann_kendall(list(range(10))).direction == "up"
    assert mann_kendall(list(range(10, 0, -1))).direction == "down"
    assert mann_kendall([1.0, 1.0, 1.0]).direction == "none"
    with pytest.raises(ValueError, match="three"):
        mann_kendall([1.0, 2.0])


def test_emerging_classes() -> None:
    rising = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
    cases = {
        "new": ([False] * 6 + [True, True], [0.1] * 6 + [3.0, 4.0]),
        "intensifying": ([False, False, False, True, True, True, True, True], rising),
        "persistent": ([True] * 8, [3.0, 3.2, 2.9, 3.1, 3.0, 3.3, 2.8, 3.0]),
        "diminishing": ([True, True, True, True, False, False, False, False], rising[::-1]),
        "sporadic": ([False, True, False, False, True, False, False, False], [0.1, 3, 0.2, 0.1, 3, 0.2, 0.1, 0.3]),
        "not a hotspot": ([False] * 8, [0.1] * 8),
    }
    got = classify_emerging([h for h, _ in cases.values()], [z for _, z in cases.values()])
    assert got == list(cases)
    with pytest.raises(ValueError, match="three periods"):
        classify_emerging([[True, False]], [[1.0, 2.0]])


def test_a_new_hotspot_needs_a_rise_beyond_chance() -> None:
    from crimeprev.spatial.emerging import classify_emerging

    hot = [[False, False, False, True], [False, False, False, True]]
    z = [[0.1, 0.2, 0.0, 3.5], [0.1, 0.2, 0.0, 3.5]]
    # cell 0: 2 records a period, then 30 (a real rise); cell 1: 4, 5, 3, then 6 (chance); the map: 1,000 a period
    local = [[2, 2, 2, 30], [4, 5, 3, 6], *[[1000, 1000, 1000, 1000]] * 2]
    hot_all = [*hot, [False] * 4, [False] * 4]
    z_all = [*z, [0.0] * 4, [0.0] * 4]
    assert classify_emerging(hot_all, z_all, local) == ["new", "sporadic", "not a hotspot", "not a hotspot"]
    assert classify_emerging(hot_all, z_all)[:2] == ["new", "new"]  # without counts, the flags alone
