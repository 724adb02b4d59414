"""Attendance, arrests, identified suspects and last outcomes of offences.

Each record first draws attendance, arrest and a solved outcome from its conduct profile. The
published rates are then imposed as exact counts (the nearest whole count to the rate) on their
cohorts, one after another, without disturbing records an earlier constraint settled:

* attendance of residential burglaries recorded January-March 2024;
* arrests, then solved outcomes, of standard-risk domestic abuse recorded in FY2023/24 (solved
  outcomes favour arrested records);
* solved outcomes of hate crimes recorded October-December 2023 and January-March 2024.

"Solved" means the last outcome is one of ``crimeprev.model.codes.SOLVED_OUTCOMES``. A solved or
arrested record always has an identified suspect. Outcomes later than March 2024 (the extract's
end) are not known yet: such unsolved records are "Under investigation".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from crimeprev.demo.allocation import BoolArray, FloatArray, IntArray, impose_exact_count
from crimeprev.demo.calibration import RateTarget
from crimeprev.demo.months import N_MONTHS
from crimeprev.model.codes import SOLVED_OUTCOMES

SOLVED_LABELS: Final = (
    "Suspect charged",
    "Offender given a caution",
    "Local resolution",
    "Awaiting court outcome",
    "Offender given penalty notice",
    "Offender given a drugs possession warning",
)
SOLVED_P: Final = (0.55, 0.15, 0.12, 0.1, 0.08, 0.0)
SOLVED_POSSESSION_P: Final = (0.3, 0.15, 0.1, 0.0, 0.0, 0.45)
NO_SUSPECT: Final = "Investigation complete; no suspect identified"
UNABLE: Final = "Unable to prosecute suspect"
NOT_PUBLIC_INTEREST: Final = "Formal action is not in the public interest"
UNDER_INVESTIGATION: Final = "Under investigation"
OUTCOME_LABELS: Final = (*SOLVED_LABELS, NO_SUSPECT, UNABLE, NOT_PUBLIC_INTEREST, UNDER_INVESTIGATION)
LAST_MONTH: Final = N_MONTHS - 1
ARRESTED_SOLVE_WEIGHT: Final = 4.0

if not set(SOLVED_LABELS) <= SOLVED_OUTCOMES or {NO_SUSPECT, UNABLE} & SOLVED_OUTCOMES:
    raise AssertionError("outcome labels disagree with crimeprev.model.codes.SOLVED_OUTCOMES")


@dataclass(frozen=True)
class Chances:
    """Per-record probabilities from the conduct profiles (after flag adjustments)."""

    attend: FloatArray
    arrest: FloatArray
    solved: FloatArray
    suspect: FloatArray
    possession: BoolArray  # drug possession: its own disposals


@dataclass(frozen=True)
class Cohort:
    """Records a published rate applies to, and the rate."""

    members: BoolArray
    target: RateTarget


@dataclass(frozen=True)
class Outcomes:
    attended: BoolArray
    arrested: BoolArray
    has_suspect: BoolArray
    solved: BoolArray
    outcome: IntArray  # index into OUTCOME_LABELS
    outcome_month: IntArray


def _exact(
    values: BoolArray,
    cohorts: Sequence[Cohort],
    rng: np.random.Generator,
    weights: FloatArray | None = None,
) -> BoolArray:
    fixed = np.zeros(values.size, dtype=np.bool_)
    for cohort in cohorts:
        target = cohort.target.count(int(cohort.members.sum()))
        values, fixed = impose_exact_count(values, fixed, cohort.members, target, rng, weights=weights)
    return values


def decide_outcomes(
    months: IntArray,
    chances: Chances,
    *,
    attendance: Sequence[Cohort],
    arrests: Sequence[Cohort],
    solved: Sequence[Cohort],
    rng: np.random.Generator,
) -> Outcomes:
    """Draw attendance, arrests, suspects and outcomes; impose the published cohort rates."""
    n = months.size
    attended = _exact(rng.random(n) < chances.attend, attendance, rng)
    arrested = _exact(rng.random(n) < chances.arrest, arrests, rng)
    # Recent crimes have had less time to reach a solved outcome.
    recency = np.where(months >= LAST_MONTH - 2, 0.6, np.where(months >= LAST_MONTH - 5, 0.85, 1.0))
    weights = np.where(arrested, ARRESTED_SOLVE_WEIGHT, 1.0)
    is_solved = _exact(rng.random(n) < chances.solved * recency, solved, rng, weights)
    # ``chances.suspect`` is the overall share with a suspect; arrests and solved outcomes already
    # imply one, so the rest are drawn with the conditional probability.
    implied = 1.0 - (1.0 - chances.arrest) * (1.0 - chances.solved)
    otherwise = np.clip((chances.suspect - implied) / np.maximum(1.0 - implied, 1e-9), 0.0, 1.0)
    has_suspect = is_solved | arrested | (rng.random(n) < otherwise)

    outcome = np.full(n, OUTCOME_LABELS.index(NO_SUSPECT), dtype=np.int64)
    general = rng.choice(len(SOLVED_LABELS), size=n, p=SOLVED_P)
    possession = rng.choice(len(SOLVED_LABELS), size=n, p=SOLVED_POSSESSION_P)
    outcome[is_solved] = np.where(chances.possession, possession, general)[is_solved]
    with_suspect = has_suspect & ~is_solved
    declined = rng.random(n) < 0.2
    outcome[with_suspect] = np.where(declined, OUTCOME_LABELS.index(NOT_PUBLIC_INTEREST), OUTCOME_LABELS.index(UNABLE))[
        with_suspect
    ]
    delay = np.where(
        is_solved,
        rng.geometric(0.35, n) - 1,
        np.where(has_suspect, rng.geometric(0.25, n) - 1, rng.choice(2, size=n, p=[0.7, 0.3])),
    )
    outcome_month = months + delay
    pending = ~is_solved & (outcome_month > LAST_MONTH)
    outcome[pending] = OUTCOME_LABELS.index(UNDER_INVESTIGATION)
    outcome_month = np.minimum(outcome_month, LAST_MONTH)
    return Outcomes(
        attended=attended,
        arrested=arrested,
        has_suspect=has_suspect,
        solved=is_solved,
        outcome=outcome,
        outcome_month=outcome_month.astype(np.int64),
    )
