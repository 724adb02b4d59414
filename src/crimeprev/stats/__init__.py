"""Statistics for the strategy's figures: SPC charts, significance tests, operation evaluation.

Pure computation on numbers (numpy and scipy): no I/O, no clock, random seeds passed in.

- :mod:`~crimeprev.stats.xmr`: XmR charts read the NHS England "Making Data Count" way;
- :mod:`~crimeprev.stats.poisson_test`: the exact test for the ratio of two Poisson counts;
- :mod:`~crimeprev.stats.overdispersion`: a quasi-Poisson comparison that allows for the series'
  own month-to-month variation;
- :mod:`~crimeprev.stats.verdict`: the plain-language verdict on a change and neutral wording;
- :mod:`~crimeprev.stats.counterfactual`: the seasonal counterfactual for an operation;
- :mod:`~crimeprev.stats.displacement`: the weighted displacement difference test.
"""

from crimeprev.stats.counterfactual import Counterfactual, PoissonGlmFit, estimate_counterfactual, fit_poisson_glm
from crimeprev.stats.displacement import DisplacementTest, weighted_displacement_difference
from crimeprev.stats.monthly import MonthlyValues, split_months
from crimeprev.stats.overdispersion import (
    QuasiPoissonComparison,
    compare_many_overdispersed,
    compare_overdispersed,
    estimate_dispersion,
)
from crimeprev.stats.poisson_test import (
    PoissonRateComparison,
    PoissonRateComparisons,
    compare_many_poisson_rates,
    compare_poisson_rates,
)
from crimeprev.stats.verdict import (
    ChangeQuestion,
    ChangeVerdict,
    describe_change,
    forbidden_words,
    judge_change,
    judge_changes,
)
from crimeprev.stats.xmr import (
    RULES,
    Direction,
    Phase,
    PhaseLimits,
    Rule,
    RuleSettings,
    XmRChart,
    XmRPoint,
    assess_assurance,
    build_xmr_chart,
)

__all__ = [
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
]
