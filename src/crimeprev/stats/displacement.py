"""The weighted displacement difference (WDD) test for a place-based intervention.

Wheeler and Ratcliffe (2018) compare the change in the treated area with the change in a control
area, and the change in a displacement (buffer) area around it with the change in a control for
the buffer:

    WDD = (T₁ - T₀) - (C₁ - C₀) + (D₁ - D₀) - (E₁ - E₀),

with T the treated area, C its control, D the displacement area and E the control for the
displacement area, 0 before and 1 after. A negative WDD is crime prevented, net of the general
movement seen in the controls and of any crime displaced into the buffer (a positive change
there adds back); diffusion of benefits into the buffer makes it more negative.

Taking the eight counts as independent Poisson counts, Var(WDD) is their sum, so the standard
error is sqrt(T₀ + T₁ + C₀ + C₁ + D₀ + D₁ + E₀ + E₁), z = WDD / SE with a two-sided normal
p-value, and the interval is WDD ± z₁₋α/₂ SE. Without a displacement area the test reduces to
the treated and control terms alone. Like any Poisson test it understates the variance of
overdispersed counts, so a borderline result deserves caution.

References
----------
Wheeler, A. P. and Ratcliffe, J. H. (2018). A simple weighted displacement difference test to
evaluate place based crime interventions. *Crime Science* 7, 11.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats  # type: ignore[import-untyped]

BeforeAfter = tuple[float, float]
"""An area's count before and after the intervention."""


@dataclass(frozen=True, slots=True)
class DisplacementTest:
    """The weighted displacement difference with its Poisson standard error."""

    treated_change: float
    control_change: float
    displacement_change: float | None  # None without a displacement area
    displacement_control_change: float | None
    wdd: float
    standard_error: float
    z: float | None  # None when every count is zero
    p_value: float  # two-sided
    low: float
    high: float
    confidence: float


def _change(area: BeforeAfter, name: str) -> tuple[float, float]:
    before, after = float(area[0]), float(area[1])
    if before < 0 or after < 0 or not math.isfinite(before + after):
        raise ValueError(f"the {name} counts must be non-negative numbers")
    return after - before, before + after


def weighted_displacement_difference(
    treated: BeforeAfter,
    control: BeforeAfter,
    displacement: BeforeAfter | None = None,
    displacement_control: BeforeAfter | None = None,
    *,
    confidence: float = 0.95,
) -> DisplacementTest:
    """The WDD test of Wheeler and Ratcliffe (2018).

    Parameters
    ----------
    treated, control
        ``(before, after)`` counts of the treated area and of its control area.
    displacement, displacement_control
        ``(before, after)`` counts of the displacement (buffer) area and of its control; both or
        neither.
    confidence
        Coverage of the interval for the WDD.

    Returns
    -------
    DisplacementTest
        The four changes, the WDD, its standard error, z, the two-sided p-value and the interval.

    References
    ----------
    Wheeler and Ratcliffe (2018), *Crime Science* 7, 11.

    Examples
    --------
    >>> test = weighted_displacement_difference((60, 40), (50, 46), (28, 32), (35, 33))
    >>> test.wdd, test.standard_error  # -20 - (-4) + 4 - (-2); sqrt(324)
    (-10.0, 18.0)
    >>> round(test.z, 4), round(test.p_value, 4), round(test.low, 2), round(test.high, 2)
    (-0.5556, 0.5785, -45.28, 25.28)
    """
    if (displacement is None) != (displacement_control is None):
        raise ValueError("give the displacement area and its control together, or neither")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    treated_change, treated_total = _change(treated, "treated")
    control_change, control_total = _change(control, "control")
    wdd = treated_change - control_change
    variance = treated_total + control_total
    displacement_change = displacement_control_change = None
    if displacement is not None and displacement_control is not None:
        displacement_change, displacement_total = _change(displacement, "displacement")
        displacement_control_change, displacement_control_total = _change(displacement_control, "displacement control")
        wdd += displacement_change - displacement_control_change
        variance += displacement_total + displacement_control_total
    se = math.sqrt(variance)
    half = float(stats.norm.ppf(0.5 + confidence / 2)) * se
    z = wdd / se if se > 0 else None
    p_value = 1.0 if z is None else float(2 * stats.norm.sf(abs(z)))
    return DisplacementTest(
        treated_change=treated_change,
        control_change=control_change,
        displacement_change=displacement_change,
        displacement_control_change=displacement_control_change,
        wdd=wdd,
        standard_error=se,
        z=z,
        p_value=p_value,
        low=wdd - half,
        high=wdd + half,
        confidence=confidence,
    )
