"""The plain-language verdict, the test it rests on, and words that never describe a non-change."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeprev.model.change import compute_change
from crimeprev.model.periods import add_months
from crimeprev.stats.overdispersion import compare_overdispersed
from crimeprev.stats.poisson_test import compare_poisson_rates
from crimeprev.stats.verdict import (
    EXACT_POISSON,
    NO_SIGNIFICANT_CHANGE,
    QUASI_POISSON,
    SIGNIFICANT_FALL,
    SIGNIFICANT_RISE,
    VERDICTS,
    ChangeQuestion,
    ChangeVerdict,
    describe_change,
    forbidden_words,
    judge_change,
    judge_changes,
)

PREVIOUS = [262, 221, 275, 230, 268, 214, 251, 226, 259, 240, 222, 242]  # 2,910
CURRENT = [244, 205, 251, 218, 240, 199, 236, 207, 239, 222, 236, 228]  # 2,725

DEMO = [
    ("knife crime", 2910, 2725, SIGNIFICANT_FALL),
    ("residential burglary", 3560, 3757, SIGNIFICANT_RISE),
    ("personal robbery", 1375, 1357, NO_SIGNIFICANT_CHANGE),
    ("fraud", 1811, 1856, NO_SIGNIFICANT_CHANGE),
]


@pytest.mark.parametrize(("name", "before", "after", "expected"), DEMO, ids=[d[0] for d in DEMO])
def test_demo_verdicts_from_totals(name: str, before: int, after: int, expected: str) -> None:
    verdict = judge_change(before, after, direction="down")
    exact = compare_poisson_rates(before, after)
    assert verdict.verdict == expected
    assert verdict.test_used == EXACT_POISSON
    assert verdict.p_value == exact.p_value and verdict.p_value_overdispersed is None
    assert (verdict.ci_low, verdict.ci_high) == (exact.pct_low, exact.pct_high)
    assert verdict.significant == (expected != NO_SIGNIFICANT_CHANGE)
    assert verdict.improved == {SIGNIFICANT_FALL: True, SIGNIFICANT_RISE: False}.get(expected)


def test_prefers_the_overdispersed_test() -> None:
    verdict = judge_change(2910, 2725, previous_months=PREVIOUS, current_months=CURRENT, direction="down")
    quasi = compare_overdispersed(PREVIOUS, CURRENT)
    assert quasi is not None
    assert verdict.test_used == QUASI_POISSON
    assert verdict.p_value_overdispersed == quasi.p_value
    assert verdict.p_value == pytest.approx(0.0142327, abs=1e-7)  # still reported
    assert (verdict.ci_low, verdict.ci_high) == (quasi.pct_low, quasi.pct_high)
    assert verdict.verdict == NO_SIGNIFICANT_CHANGE and not verdict.significant and verdict.improved is None


def test_steady_months_keep_a_significant_fall() -> None:
    previous = [242.0, 243, 242, 243, 242, 243, 242, 243, 242, 243, 242, 243]
    current = [227.0, 228, 227, 228, 227, 228, 227, 228, 227, 228, 227, 230]
    verdict = judge_change(sum(previous), sum(current), previous_months=previous, current_months=current)
    assert verdict.test_used == QUASI_POISSON
    assert verdict.verdict == SIGNIFICANT_FALL and verdict.improved is None  # direction "neither"
    assert verdict.ci_high < 0


def test_short_windows_fall_back_to_the_exact_test_with_their_lengths() -> None:
    verdict = judge_change(60, 95, previous_months=[20, 20, 20], current_months=[30, 30, 35], direction="up")
    assert verdict.test_used == EXACT_POISSON and verdict.p_value_overdispersed is None
    assert verdict.p_value == compare_poisson_rates(60, 95, exposure1=3, exposure2=3).p_value
    assert verdict.verdict == SIGNIFICANT_RISE and verdict.improved is True


def test_dated_months() -> None:
    months = [add_months(date(2022, 4, 1), i) for i in range(24)]
    verdict = judge_change(
        2910,
        2725,
        previous_months=list(zip(months[:12], PREVIOUS, strict=True)),
        current_months=list(zip(months[12:], CURRENT, strict=True)),
    )
    assert verdict == judge_change(2910, 2725, previous_months=PREVIOUS, current_months=CURRENT)


def test_alpha_sets_the_interval_too() -> None:
    strict = judge_change(2910, 2725, alpha=0.01)
    assert strict.verdict == NO_SIGNIFICANT_CHANGE  # p = 0.014
    assert strict.ci_low < 0 < strict.ci_high
    assert compare_poisson_rates(2910, 2725, confidence=0.99).pct_high == strict.ci_high


def test_no_crimes_either_side() -> None:
    verdict = judge_change(0, 0)
    assert verdict.verdict == NO_SIGNIFICANT_CHANGE and verdict.p_value == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"previous_months": PREVIOUS}, "both windows"),
        ({"previous_months": PREVIOUS, "current_months": CURRENT[:-1]}, "add up to"),
        ({"alpha": 0.0}, "alpha"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        judge_change(2910, 2725, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("verdict", "pct_text", "expected"),
    [
        (SIGNIFICANT_FALL, "-6.4%", "a significant fall of 6.4%"),
        (SIGNIFICANT_RISE, "+5.5%", "a significant rise of 5.5%"),
        (SIGNIFICANT_RISE, "n/a", "a significant rise"),
        (NO_SIGNIFICANT_CHANGE, "-1.3%", "a change of -1.3%, within normal variation"),
        (NO_SIGNIFICANT_CHANGE, "+2.5%", "a change of +2.5%, within normal variation"),
        (NO_SIGNIFICANT_CHANGE, "0.0%", "a change of 0.0%, within normal variation"),
        (NO_SIGNIFICANT_CHANGE, "n/a", "a change within normal variation"),
    ],
)
def test_describe_change(verdict: str, pct_text: str, expected: str) -> None:
    assert describe_change(verdict, pct_text) == expected


def test_describe_change_takes_a_verdict_object() -> None:
    verdict = judge_change(1375, 1357)
    assert isinstance(verdict, ChangeVerdict)
    assert describe_change(verdict, compute_change(1375, 1357).pct_text) == "a change of -1.3%, within normal variation"


def test_describe_change_rejects_unknown_verdicts_and_loaded_numbers() -> None:
    with pytest.raises(ValueError, match="unknown verdict"):
        describe_change("a big fall", "-5%")
    with pytest.raises(ValueError, match="names a direction"):
        describe_change(NO_SIGNIFICANT_CHANGE, "1.3% decrease")


FORMS = [
    "rise",
    "Rises",
    "RISING",
    "rose",
    "risen",
    "fall",
    "falls",
    "falling",
    "fell",
    "fallen",
    "increase",
    "increased",
    "Increases",
    "increasing",
    "decrease",
    "decreased",
    "decreases",
    "decreasing",
    "reduction",
    "Reductions",
    "reduce",
    "reduced",
    "reduces",
    "reducing",
]
INNOCENT = [
    "arise",
    "arisen",
    "shortfall",
    "rosette",
    "prose",
    "risk",
    "falcon",
    "fellow",
    "change",
    "normal variation",
]


@pytest.mark.parametrize("word", FORMS)
def test_forbidden_words_finds_every_form(word: str) -> None:
    assert forbidden_words(f"There was a {word}, it seems.") == [word]


@pytest.mark.parametrize("text", INNOCENT)
def test_forbidden_words_leaves_other_words_alone(text: str) -> None:
    assert forbidden_words(text) == []


def test_forbidden_words_lists_all_in_order() -> None:
    text = "Burglary fell (a reduction of 5%) while theft ROSE; hyphenated rise-and-fall too."
    assert forbidden_words(text) == ["fell", "reduction", "ROSE", "rise", "fall"]


counts = st.integers(0, 4000)


@settings(max_examples=100, deadline=None)
@given(counts, counts)
def test_a_non_significant_change_is_never_described_as_a_rise_or_fall(before: int, after: int) -> None:
    verdict = judge_change(before, after)
    assert verdict.verdict in VERDICTS
    text = describe_change(verdict, compute_change(before, after).pct_text)
    if verdict.verdict == NO_SIGNIFICANT_CHANGE:
        assert forbidden_words(text) == []
        assert not verdict.significant
    else:
        assert verdict.significant and verdict.p_value < 0.05
        assert text.startswith(verdict.verdict)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_neutral_wording_holds_for_any_clean_percentage_text(pct_text: str) -> None:
    if forbidden_words(pct_text):
        with pytest.raises(ValueError):
            describe_change(NO_SIGNIFICANT_CHANGE, pct_text)
    else:
        assert forbidden_words(describe_change(NO_SIGNIFICANT_CHANGE, pct_text)) == []


months = st.lists(st.integers(1, 400).map(float), min_size=12, max_size=12)


@settings(max_examples=40, deadline=None)
@given(months, months)
def test_verdict_follows_the_test_used(previous: list[float], current: list[float]) -> None:
    verdict = judge_change(sum(previous), sum(current), previous_months=previous, current_months=current)
    assert verdict.test_used == QUASI_POISSON and verdict.p_value_overdispersed is not None
    assert verdict.significant == (verdict.p_value_overdispersed < 0.05 and sum(previous) != sum(current))
    if verdict.significant:
        assert not verdict.ci_low < 0 < verdict.ci_high


monthly = st.lists(st.integers(0, 400), min_size=2, max_size=12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(monthly, monthly, st.sampled_from(["down", "up", "neither"]), st.booleans()), max_size=25))
def test_judging_together_is_judging_each_alone(
    cases: list[tuple[list[int], list[int], str, bool]],
) -> None:
    questions = [
        ChangeQuestion(
            sum(previous),
            sum(current),
            previous if with_months else None,
            current if with_months else None,
            direction,  # type: ignore[arg-type]
        )
        for previous, current, direction, with_months in cases
    ]
    together = judge_changes(questions)
    assert len(together) == len(questions)
    for question, verdict in zip(questions, together, strict=True):
        alone = judge_change(
            question.count1,
            question.count2,
            previous_months=question.previous_months,
            current_months=question.current_months,
            direction=question.direction,
        )
        assert verdict == alone


def test_judging_nothing_gives_nothing() -> None:
    assert judge_changes([]) == []


def test_a_bad_question_in_a_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="add up to"):
        judge_changes([ChangeQuestion(2910, 2725), ChangeQuestion(10, 12, [5, 4], [6, 6])])
