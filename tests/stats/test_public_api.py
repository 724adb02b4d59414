"""The public surface of crimeprev.stats, pinned, and every docstring example run."""

from __future__ import annotations

import doctest
import importlib
from types import ModuleType

import pytest

import crimeprev.stats

MODULES = ["monthly", "xmr", "poisson_test", "overdispersion", "verdict", "counterfactual", "displacement"]

PUBLIC = {
    "RULES",
    "ChangeQuestion",
    "ChangeVerdict",
    "Counterfactual",
    "Direction",
    "DisplacementTest",
    "MonthlyValues",
    "Phase",
    "PhaseLimits",
    "PoissonGlmFit",
    "PoissonRateComparison",
    "PoissonRateComparisons",
    "QuasiPoissonComparison",
    "Rule",
    "RuleSettings",
    "XmRChart",
    "XmRPoint",
    "assess_assurance",
    "build_xmr_chart",
    "compare_many_overdispersed",
    "compare_many_poisson_rates",
    "compare_overdispersed",
    "compare_poisson_rates",
    "describe_change",
    "estimate_counterfactual",
    "estimate_dispersion",
    "fit_poisson_glm",
    "forbidden_words",
    "judge_change",
    "judge_changes",
    "split_months",
    "weighted_displacement_difference",
}


def test_all_is_pinned() -> None:
    assert set(crimeprev.stats.__all__) == PUBLIC
    assert len(crimeprev.stats.__all__) == len(PUBLIC)
    for name in PUBLIC:
        assert getattr(crimeprev.stats, name) is not None


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"crimeprev.stats.{name}")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    module = _module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_modules_cite_their_method(name: str) -> None:
    doc = _module(name).__doc__ or ""
    if name != "monthly":
        assert "References" in doc or "Making Data Count" in doc or ":mod:" in doc
