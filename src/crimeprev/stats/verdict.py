"""A plain-language verdict on a change between two windows, and words to describe it.

The verdict is exactly one of "a significant rise", "a significant fall" or "no significant
change". It prefers the quasi-Poisson test (:mod:`crimeprev.stats.overdispersion`), which allows
for the month-to-month variation recorded crime really has, and falls back on the exact Poisson
test (:mod:`crimeprev.stats.poisson_test`) when the windows' monthly counts are not given or are
too short to estimate that variation. The interval reported is the test's own, at the confidence
1 - alpha, so it agrees with the verdict (exactly for the quasi-Poisson test; for the exact test the
central interval can disagree with the p-value right at the boundary).

:func:`judge_changes` judges every change of a strategy at once, its tests computed over arrays
(:func:`~crimeprev.stats.poisson_test.compare_many_poisson_rates`,
:func:`~crimeprev.stats.overdispersion.compare_many_overdispersed`); :func:`judge_change` is the
same for one change.

A change that is not significant must not be written up as a rise or a fall: a reader takes
"a 1.3% reduction" as a result. :func:`describe_change` words such a change neutrally, and
:func:`forbidden_words` lets any renderer check its own text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crimeprev.stats.monthly import MonthlyValues, split_months
from crimeprev.stats.overdispersion import compare_many_overdispersed
from crimeprev.stats.poisson_test import compare_many_poisson_rates
from crimeprev.stats.xmr import Direction

SIGNIFICANT_RISE = "a significant rise"
SIGNIFICANT_FALL = "a significant fall"
NO_SIGNIFICANT_CHANGE = "no significant change"
VERDICTS = (SIGNIFICANT_RISE, SIGNIFICANT_FALL, NO_SIGNIFICANT_CHANGE)

QUASI_POISSON = "quasi-Poisson (overdispersed)"
EXACT_POISSON = "exact Poisson"

FORBIDDEN_PATTERN = re.compile(
    r"\b(?:ris(?:e[sn]?|ing)|rose|fall(?:s|en|ing)?|fell|increas(?:e[sd]?|ing)|decreas(?:e[sd]?|ing)"
    r"|reduc(?:tions?|e[sd]?|ing))\b",
    re.IGNORECASE,
)
"""Words that claim a direction of change: rise, fall, increase, decrease, reduce, reduction, any form."""


@dataclass(frozen=True, slots=True)
class ChangeVerdict:
    """Whether a change between two windows is significant, and which test says so."""

    count1: float
    count2: float
    p_value: float  # the exact Poisson test's, always computed
    p_value_overdispersed: float | None  # the quasi-Poisson test's, when the series allows it
    ci_low: float  # the interval of the percentage change, from the test used
    ci_high: float
    test_used: str  # QUASI_POISSON or EXACT_POISSON
    significant: bool
    verdict: str  # one of VERDICTS
    direction: Direction
    improved: bool | None  # significant and the good way (True) or the bad way (False); else None
    alpha: float


@dataclass(frozen=True, slots=True)
class ChangeQuestion:
    """One change to judge: the two windows' totals, their months when known, the good direction."""

    count1: float
    count2: float
    previous_months: MonthlyValues | None = None
    current_months: MonthlyValues | None = None
    direction: Direction = "neither"


def forbidden_words(text: str) -> list[str]:
    """The words in ``text`` that describe a direction of change, as written, in order.

    >>> forbidden_words("Burglary Increased, then saw REDUCTIONS; arisen and shortfall are fine")
    ['Increased', 'REDUCTIONS']
    """
    return [match.group(0) for match in FORBIDDEN_PATTERN.finditer(text)]


def judge_change(
    count1: float,
    count2: float,
    *,
    previous_months: MonthlyValues | None = None,
    current_months: MonthlyValues | None = None,
    direction: Direction = "neither",
    alpha: float = 0.05,
) -> ChangeVerdict:
    """The verdict on a change from ``count1`` (earlier window) to ``count2`` (later window).

    Parameters
    ----------
    count1, count2
        The two windows' totals (whole numbers of crimes).
    previous_months, current_months
        The windows' monthly counts, when known; they must add up to the totals. They give the
        windows' lengths (the exposures) and allow the overdispersion-aware test.
    direction
        The indicator's good direction, for ``improved``.
    alpha
        The significance level; the interval has confidence 1 - alpha.

    Returns
    -------
    ChangeVerdict

    Examples
    --------
    >>> judge_change(2910, 2725).verdict
    'a significant fall'
    >>> previous = [262, 221, 275, 230, 268, 214, 251, 226, 259, 240, 222, 242]
    >>> current = [244, 205, 251, 218, 240, 199, 236, 207, 239, 222, 236, 228]
    >>> verdict = judge_change(2910, 2725, previous_months=previous, current_months=current, direction="down")
    >>> verdict.test_used, verdict.verdict, verdict.improved
    ('quasi-Poisson (overdispersed)', 'no significant change', None)
    >>> round(verdict.p_value, 3), round(verdict.p_value_overdispersed, 3)
    (0.014, 0.119)
    """
    question = ChangeQuestion(count1, count2, previous_months, current_months, direction)
    return judge_changes([question], alpha=alpha)[0]


def _exposures(question: ChangeQuestion) -> tuple[float, float]:
    """The windows' lengths in months (1 and 1 when the months are not given), checked against the totals."""
    if question.direction not in ("down", "up", "neither"):
        raise ValueError(f"direction must be 'down', 'up' or 'neither', not {question.direction!r}")
    if (question.previous_months is None) != (question.current_months is None):
        raise ValueError("give the monthly counts of both windows or of neither")
    if question.previous_months is None or question.current_months is None:
        return 1.0, 1.0
    lengths = []
    for name, count, series in (
        ("previous", question.count1, question.previous_months),
        ("current", question.count2, question.current_months),
    ):
        _, values = split_months(series)
        known = sum(v for v in values if v is not None)
        if None not in values and abs(known - count) > 1e-9 * max(1.0, abs(count)):
            raise ValueError(f"the {name} window's months add up to {known:g}, not its total {count:g}")
        lengths.append(float(len(values)))
    return (lengths[0], lengths[1]) if min(lengths) > 0 else (1.0, 1.0)


def judge_changes(questions: Sequence[ChangeQuestion], *, alpha: float = 0.05) -> list[ChangeVerdict]:
    """The verdict on every change in ``questions``, in order, with all the tests run at once.

    Each verdict is what :func:`judge_change` gives for that change alone.

    >>> [v.verdict for v in judge_changes([ChangeQuestion(2910, 2725), ChangeQuestion(1375, 1357)])]
    ['a significant fall', 'no significant change']
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie between 0 and 1")
    exposures = [_exposures(q) for q in questions]
    with_months = [i for i, q in enumerate(questions) if q.previous_months is not None]
    overdispersed_found = compare_many_overdispersed(
        [(questions[i].previous_months, questions[i].current_months) for i in with_months],  # type: ignore[misc]
        confidence=1 - alpha,
    )
    overdispersed = dict(zip(with_months, overdispersed_found, strict=True))
    exact = compare_many_poisson_rates(
        [q.count1 for q in questions],
        [q.count2 for q in questions],
        exposure1=[e[0] for e in exposures],
        exposure2=[e[1] for e in exposures],
        confidence=1 - alpha,
    )
    verdicts = []
    for i, question in enumerate(questions):
        quasi = overdispersed.get(i)
        exact_p = float(exact.p_value[i])
        if quasi is not None:
            p, low, high, test_used = quasi.p_value, quasi.pct_low, quasi.pct_high, QUASI_POISSON
        else:
            low, high = (float(exact.ratio_low[i]) - 1) * 100, (float(exact.ratio_high[i]) - 1) * 100
            p, test_used = exact_p, EXACT_POISSON
        rate1, rate2 = question.count1 / exposures[i][0], question.count2 / exposures[i][1]
        significant = p < alpha and rate1 != rate2
        verdict = NO_SIGNIFICANT_CHANGE
        improved = None
        if significant:
            verdict = SIGNIFICANT_RISE if rate2 > rate1 else SIGNIFICANT_FALL
            if question.direction != "neither":
                improved = (rate2 > rate1) == (question.direction == "up")
        verdicts.append(
            ChangeVerdict(
                count1=question.count1,
                count2=question.count2,
                p_value=exact_p,
                p_value_overdispersed=None if quasi is None else quasi.p_value,
                ci_low=low,
                ci_high=high,
                test_used=test_used,
                significant=significant,
                verdict=verdict,
                direction=question.direction,
                improved=improved,
                alpha=alpha,
            )
        )
    return verdicts


def describe_change(verdict: ChangeVerdict | str, pct_text: str) -> str:
    """A neutral phrase for the change, given its verdict and its percentage as printed (``-6.4%``).

    A significant change is named as a rise or a fall with its size; any other change is given
    as "a change of" its percentage "within normal variation", never with a word of direction.

    >>> describe_change("a significant fall", "-6.4%")
    'a significant fall of 6.4%'
    >>> describe_change("no significant change", "-1.3%")
    'a change of -1.3%, within normal variation'
    >>> describe_change("no significant change", "n/a")
    'a change within normal variation'
    """
    name = verdict.verdict if isinstance(verdict, ChangeVerdict) else verdict
    if name not in VERDICTS:
        raise ValueError(f"unknown verdict {name!r}; expected one of {', '.join(VERDICTS)}")
    if forbidden_words(pct_text):
        raise ValueError(f"the percentage text {pct_text!r} itself names a direction of change")
    text = pct_text.strip()
    has_number = any(ch.isdigit() for ch in text)
    if name == NO_SIGNIFICANT_CHANGE:
        return f"a change of {text}, within normal variation" if has_number else "a change within normal variation"
    return f"{name} of {text.lstrip('+-−')}" if has_number else name
