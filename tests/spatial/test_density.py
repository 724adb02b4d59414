"""Quartic kernel density agrees with the formula summed by brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crimeprev.spatial.density import quartic_density


def test_quartic_density_by_brute_force() -> None:
    rng = np.random.default_rng(1)
    points = rng.uniform(0, 2_000, (500, 2))
    at = rng.uniform(0, 2_000, (60, 2))
    at[0] = points[0]  # a place exactly on a record
    h = 300.0
    d = np.hypot(at[:, None, 0] - points[None, :, 0], at[:, None, 1] - points[None, :, 1])
    brute = np.where(d < h, 3 / (math.pi * h * h) * (1 - (d / h) ** 2) ** 2, 0).sum(axis=1) * 1e6
    np.testing.assert_allclose(quartic_density(points, at, h), brute, rtol=1e-12, atol=1e-9)
    weights = rng.uniform(1, 5, 500)
    weighted = np.where(d < h, 3 / (math.pi * h * h) * (1 - (d / h) ** 2) ** 2, 0) @ weights * 1e6
    np.testing.assert_allclose(quartic_density(points, at, h, weights), weighted, rtol=1e-12, atol=1e-9)


def test_the_kernel_integrates_to_one_record() -> None:
    # One record: the density summed over a fine grid times the cell area is one record.
    step = 5.0
    axis = np.arange(-400, 400 + step, step)
    grid = np.array([(x, y) for x in axis for y in axis])
    total = quartic_density([[0.0, 0.0]], grid, 300.0).sum() * (step * step) / 1e6
    assert total == pytest.approx(1.0, rel=1e-3)
    with pytest.raises(ValueError, match="positive"):
        quartic_density([[0.0, 0.0]], grid, 0.0)
