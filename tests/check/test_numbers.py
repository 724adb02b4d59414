"""Figures as printed: parsing, roundings, expected values printed in the same style."""

from __future__ import annotations

import doctest
from decimal import Decimal
from fractions import Fraction

import pytest

from crimeprev.check import numbers
from crimeprev.check.markup import strip_inline_markup
from crimeprev.check.numbers import (
    BLANK,
    Figure,
    Fit,
    Rounding,
    find_figures,
    fit,
    format_expected,
    parse_cell,
    parse_figure,
    round_to,
    roundings_giving,
    slip_distance,
)


@pytest.mark.parametrize(
    ("text", "value", "decimals", "percent"),
    [
        ("27,925", "27925", 0, False),
        ("-6.4%", "-6.4", 1, True),
        ("+18.3%", "18.3", 1, True),
        ("18.3", "18.3", 1, False),
        ("(185)", "-185", 0, False),
        ("–185", "-185", 0, False),
        ("−3,376", "-3376", 0, False),
        ("**2,310**", "2310", 0, False),
        ("<b>2,310</b><sup>1</sup>", "2310", 0, False),
        ("£320,995", "320995", 0, False),
        ("12 per cent", "12", 0, True),
        ("41.60%", "41.60", 2, True),
        ("2,725*", "2725", 0, False),
    ],
)
def test_parse_figure_reads_separators_signs_percent_and_markup(
    text: str, value: str, decimals: int, percent: bool
) -> None:
    figure = parse_figure(text)
    assert figure is not None
    assert (figure.value, figure.decimals, figure.percent) == (Decimal(value), decimals, percent)


@pytest.mark.parametrize("text", ["Mar 23", "Diff.", "n/a", "<5", "*", "2,72", "1,2345", "(185"])
def test_text_is_not_a_figure(text: str) -> None:
    assert parse_figure(text) is None


@pytest.mark.parametrize("text", ["", " ", "-", "–", "—", "nil"])
def test_empty_cells_and_dashes_are_blank(text: str) -> None:
    assert parse_cell(text) is BLANK


def test_strip_inline_markup_reads_through_tags_emphasis_and_entities() -> None:
    assert strip_inline_markup("a <b>decrease</b> of **6.4%**&nbsp;(2,310<sup>1</sup>)") == "a decrease of 6.4% (2,310)"
    assert strip_inline_markup("knife_crime_offences <5 and > 3") == "knife_crime_offences <5 and > 3"


def test_find_figures_skips_codes_dates_parts_and_ranges() -> None:
    text = "s136 Q3 2023/24 Jan-24 figures: 2,725, -5 and 6.4% (507); section 2.1.3; 10–12."
    assert [f.text for f in find_figures(text)] == ["2,725", "-5", "6.4%", "507", "10"]


def test_round_to_known_values_and_ties() -> None:
    knife = Fraction(2725 - 2910, 2910) * 100  # -6.357...
    assert round_to(knife, 1) == Decimal("-6.4")
    assert round_to(knife, 1, Rounding.TRUNCATE) == Decimal("-6.3")
    assert round_to(knife, 1, Rounding.FLOOR) == Decimal("-6.4")
    assert round_to(knife, 1, Rounding.CEILING) == Decimal("-6.3")
    tie = Fraction(1225, 100)
    assert round_to(tie, 1, Rounding.HALF_UP) == Decimal("12.3")
    assert round_to(tie, 1, Rounding.HALF_EVEN) == Decimal("12.2")
    assert round_to(tie, 1, Rounding.HALF_DOWN) == Decimal("12.2")
    assert round_to(-tie, 1, Rounding.HALF_UP) == Decimal("-12.3")


def test_fit_accepts_every_ordinary_rounding_and_flags_directed_ones() -> None:
    assert fit(Fraction(1225, 100), Figure(Decimal("12.2"), "12.2", 1))[0] is Fit.ROUNDED
    assert fit(Fraction(1225, 100), Figure(Decimal("12.3"), "12.3", 1))[0] is Fit.ROUNDED
    knife = Fraction(-185, 2910) * 100
    minus_63 = parse_figure("-6.3%")
    assert minus_63 is not None
    assert fit(knife, minus_63) == (Fit.DIRECTED, (Rounding.TRUNCATE, Rounding.CEILING))
    minus_65 = parse_figure("-6.5%")
    assert minus_65 is not None
    assert fit(knife, minus_65) == (Fit.WRONG, ())
    assert roundings_giving(knife, minus_65) == ()


def test_format_expected_follows_the_stated_style() -> None:
    knife = Fraction(-185, 2910) * 100
    assert format_expected(knife, Figure(Decimal("-6.8"), "-6.8%", 1, percent=True)) == "-6.4%"
    assert format_expected(Fraction(270, 1476) * 100, Figure(Decimal("18.8"), "+18.8%", 1, True, True)) == "+18.3%"
    assert format_expected(Fraction(2725), Figure(Decimal("2752"), "2,752", 0, separators=True)) == "2,725"
    assert format_expected(Fraction(1007), Figure(Decimal("107"), "107", 0)) == "1,007"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("-1.7 pts", "-1.7", "pts"), ("+0.4pp", "0.4", "pp"), ("2.5 percentage points", "2.5", "percentage points")],
)
def test_a_difference_in_percentage_points_is_a_figure_with_its_unit(text: str, value: str, unit: str) -> None:
    figure = parse_cell(text)
    assert isinstance(figure, Figure)
    assert (figure.value, figure.points, figure.percent) == (Decimal(value), unit, False)
    assert format_expected(Fraction(-21, 10), figure) == f"-2.1 {unit}"


def test_slip_distance_counts_a_transposition_as_one_slip() -> None:
    stated = parse_figure("18,091")
    assert stated is not None
    assert slip_distance(stated, Fraction(18019)) == 1
    assert slip_distance(stated, Fraction(18091)) == 0
    assert slip_distance(stated, Fraction(15670)) == 4


def test_docstring_examples() -> None:
    assert doctest.testmod(numbers, raise_on_error=True).attempted >= 4
