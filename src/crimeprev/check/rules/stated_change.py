"""Stated changes: "a decrease of 6.4%" checked against the two figures given in the same passage.

How a change is read from the text (its direction word, the figure it is from and the one it is to) is
:mod:`crimeprev.check.changes`. Where only the later figure and the difference are given ("671 victims,
33 fewer (5%)"), the difference and its percentage are checked against each other: the one to correct
is the smaller slip, and a percentage that is the difference over the later figure is called the wrong
base.

The change is then recomputed: (current - base) / base * 100 for a percentage, current - base for a
count or percentage points ("pts", "pp", "percentage points"), and the direction word must agree
with its sign. Where the two figures are rates printed rounded (18.9% to 17.4%), a change computed
before rounding is accepted (see :mod:`crimeprev.check.bounds`); a proportion in words is accepted
within a tenth of itself (see :mod:`crimeprev.check.number_words`). Direction words without a size
are :mod:`.direction`'s.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from typing import Final

from crimeprev.check.changes import StatedChange, last_sentence_figures, stated_changes
from crimeprev.check.document import Block, Document, Paragraph
from crimeprev.check.findings import Evidence, Finding, Severity, figure_finding, prose_evidence
from crimeprev.check.numbers import (
    Figure,
    Fit,
    describe_exact,
    explain_rounding,
    fit,
    format_expected,
    slip_distance,
)
from crimeprev.check.rules.rule import Rule

__all__ = ["RULE", "check_stated_changes"]

RULE_NAME: Final = "stated-change"
_MAX_OPTIONS: Final = 10_000  # differences a rounded percentage allows, beyond which none is singled out


def _wording(value: Fraction, kind: str, stated: Figure) -> str:
    magnitude = format_expected(abs(value), replace(stated, explicit_sign=False))
    unit = " percentage points" if kind == "points" and not stated.percent else ""
    if value == 0:
        return f"no change ({magnitude}{unit})"
    return f"{'an increase' if value > 0 else 'a decrease'} of {magnitude}{unit}"


def _unsigned(figure: Figure) -> Figure:
    """``figure`` without its sign (a stated change's size)."""
    return replace(figure, value=abs(figure.value))


def actual_percent(change: StatedChange) -> str:
    """The percentage the stated difference gives, in words ("3% instead")."""
    expected = change.expected()
    return "no figure" if expected is None else format_expected(abs(expected), _unsigned(change.stated))


def _slip_share(printed: Figure, correct: Fraction) -> Fraction:
    """The share of the printed digits a correction changes (1 of 3 for 170 printed as 710)."""
    digits = sum(ch.isdigit() for ch in printed.text) or 1
    return Fraction(slip_distance(printed, correct), digits)


def _wrong_base(change: StatedChange) -> bool:
    """Whether the stated percentage is the stated difference over the later figure (a percentage
    change taken on the wrong base)."""
    if change.implied_from is None:
        return False
    share = abs(change.implied_from.exact) / change.current.exact * 100
    return fit(share, _unsigned(change.stated))[0] is not Fit.WRONG


def _difference_correction(change: StatedChange) -> tuple[Fraction, int, int] | None:
    """For a stated difference and percentage that disagree (with no earlier figure given), the
    difference the percentage and the later figure call for, when correcting the difference is the
    smaller slip: "a reduction of 710 (0.4 per cent)" with 43,523 now calls for 153 to 197, and 170
    is 710 with two digits swapped."""
    difference, current, stated = change.implied_from, change.current.exact, change.signed_stated()
    expected = change.expected()
    if difference is None or expected is None:
        return None
    if _wrong_base(change):
        return None  # the percentage was taken on the later figure: the difference is right
    half = Fraction(1, 2 * 10**stated.decimals)
    x_low, x_high = (abs(stated.exact) - half) / 100, (abs(stated.exact) + half) / 100
    falling = (change.direction or (-1 if stated.value < 0 else 1)) < 0

    # Falling: x = N / (C + N), so N = x C / (1 - x); rising: x = N / (C - N), so N = x C / (1 + x).
    def bound(x: Fraction) -> Fraction:
        return x * current / (1 - x) if falling else x * current / (1 + x)

    low, high = sorted((bound(x_low), bound(x_high)))
    options = range(math.ceil(low), math.floor(high) + 1)
    if len(options) > _MAX_OPTIONS:
        return None
    best = min(options, key=lambda n: slip_distance(difference, Fraction(n)), default=None)
    if best is None or slip_distance(difference, Fraction(best)) > 1:
        return None
    if _slip_share(difference, Fraction(best)) >= _slip_share(_unsigned(stated), abs(expected)):
        return None
    return Fraction(best), options.start, options.stop - 1


def _check(paragraph: Paragraph, change: StatedChange) -> Finding | None:
    expected = change.expected()
    how = change.fits()
    if expected is None or how is None or how is Fit.ROUNDED:
        return None
    correction = _difference_correction(change) if how is Fit.WRONG else None
    if correction is not None and change.implied_from is not None:
        corrected, low, high = correction
        difference = change.implied_from
        fitting = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        return figure_finding(
            paragraph.location,
            RULE_NAME,
            difference,
            corrected,
            (
                f"“{change.word} … {difference.text} ({change.stated.text})” with {change.current.text} now do not "
                f"agree: {difference.text} would be {actual_percent(change)}, and {change.stated.text} needs a "
                f"difference of {fitting}; {format_expected(corrected, difference)} is one typing slip from "
                f"{difference.text}"
            ),
            evidence=_evidence(paragraph, change),
        )
    signed = change.signed_stated()
    between = f"from {change.base.text} to {change.current.text}"
    actual = _wording(expected, change.kind, change.stated)
    wrong_way = change.direction is not None and expected != 0 and (expected > 0) != (change.direction > 0)
    if wrong_way:
        message = f"says “{change.word}” but {between} is {actual}"
    elif how is Fit.DIRECTED:
        shown = (abs(expected), change.stated) if change.direction else (expected, signed)
        message = f"“{change.word} … {change.stated.text}” {between}: {explain_rounding(*shown)}"
    else:
        exact = describe_exact(abs(expected) if change.direction else expected)
        message = f"“{change.word} … {change.stated.text}” but {between} is {actual} ({exact} before rounding)"
    if change.implied_from is not None:
        message += f"; the earlier figure, {change.base.text}, is implied by the stated {change.implied_from.text}"
        if _wrong_base(change):
            message += f" ({change.implied_from.text} is {change.stated.text} of the later figure: the wrong base)"
    expected_text = format_expected(abs(expected) if change.direction else expected, change.stated)
    return Finding(
        location=paragraph.location,
        rule=RULE_NAME,
        severity=Severity.WARNING if how is Fit.DIRECTED else Severity.ERROR,
        stated=change.stated.text,
        expected=expected_text,
        message=message,
        evidence=_evidence(paragraph, change),
    )


def _evidence(paragraph: Paragraph, change: StatedChange) -> tuple[Evidence, ...]:
    pairs = [("earlier figure", change.base), ("later figure", change.current)]
    if change.implied_from is not None:
        pairs.append(("stated difference", change.implied_from))
    return prose_evidence(paragraph, *pairs)


def check_stated_changes(document: Document) -> Iterator[Finding]:
    """Recompute every change stated in prose from the two figures it compares."""
    previous: Block | None = None
    for block in document.blocks:
        if isinstance(block, Paragraph):
            for change in stated_changes(block, last_sentence_figures(previous)):
                finding = _check(block, change)
                if finding is not None:
                    yield finding
        previous = block


RULE: Final = Rule(
    name=RULE_NAME,
    summary="stated changes in prose ('a decrease of 6.4% compared with 2,910') recomputed from the two figures",
    check=check_stated_changes,
)
