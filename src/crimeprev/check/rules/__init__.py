"""The checker's rules, registered in one place.

Each rule is a :class:`~crimeprev.check.rules.rule.Rule`: a name, a summary and a pure function from
a :class:`~crimeprev.check.document.Document` to findings. :data:`RULES` lists the built-in ones in
the order they run; a caller (or a force's own package) can pass its own tuple to
:func:`crimeprev.check.checker.check_document`, the same way.
"""

from __future__ import annotations

from typing import Final

from crimeprev.check.rules import (
    comparison,
    consistency,
    direction,
    part_of_whole,
    restatement,
    shares,
    stated_change,
    stated_sums,
    totals,
)
from crimeprev.check.rules.rule import Rule

__all__ = ["RULES", "Rule", "rule_named"]

RULES: Final[tuple[Rule, ...]] = (
    comparison.RULE,
    totals.RULE,
    shares.RULE,
    part_of_whole.RULE,
    stated_sums.RULE,
    stated_change.RULE,
    direction.RULE,
    consistency.RULE,
    restatement.RULE,
)


def rule_named(name: str) -> Rule:
    """The built-in rule called ``name``."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)
