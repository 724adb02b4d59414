"""Small-number suppression for figures marked for publication.

A count of one to four people in a published table can identify them (ONS, *Statistical
Disclosure Control* guidance; the Home Office's police-recorded-crime publications suppress small
cells the same way). Counts from 1 to ``threshold - 1`` are shown as ``<threshold``; zero is
shown, since an empty cell discloses nobody.

Suppressing a cell is not enough when the published figures are tied by arithmetic (people =
one-off people + repeat people; records = records with a person + records without): the hidden
cell could be worked back from the others. So a group of tied figures is published whole or
withheld whole (``publishable``), and a distribution's small bins are merged into their neighbour
until every published bin is large enough (``merge_small_bins``). The report checker reads ``<5``
and ``*`` as unknown values, not zeros.
"""

from __future__ import annotations

from collections.abc import Iterable

WITHHELD = "*"


def suppress_count(count: int, threshold: int) -> int | str:
    """``count``, or ``<threshold`` when it is small but not zero."""
    return f"<{threshold}" if 0 < count < threshold else count


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def publishable(counts: Iterable[int], threshold: int) -> bool:
    """Whether a group of tied counts may be published: none of them is small."""
    return not any(is_small(n, threshold) for n in counts)


def merge_small_bins(bins: list[tuple[str, int]], threshold: int) -> list[tuple[str, int]]:
    """Bins (label "1", "2", ..., "10+", count) in ascending order, small ones merged.

    Groups are closed from the top down once they hold ``threshold`` or more; a small remainder
    at the bottom joins the group above it. A group is labelled "k" (one bin), "k-m" (several) or
    "k+" (the top group: the largest counts are never shown exactly). Every published bin is at
    least ``threshold``, and the bins add up to the same total, so no hidden bin can be worked back.
    """
    groups: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    for item in reversed(bins):
        current.append(item)
        if not is_small(sum(n for _, n in current), threshold):
            groups.append(current)
            current = []
    if current:
        if not groups:
            return []  # the whole distribution is small: nothing of it can be published
        groups[-1].extend(current)
    out = []
    for i, group in enumerate(groups):
        numbers = [int(label.rstrip("+")) for label, _ in group]
        low, high = min(numbers), max(numbers)
        if i == 0 and (len(group) > 1 or group[0][0].endswith("+")):
            label = f"{low}+"
        else:
            label = str(low) if low == high else f"{low}-{high}"
        out.append((label, sum(n for _, n in group)))
    return list(reversed(out))
