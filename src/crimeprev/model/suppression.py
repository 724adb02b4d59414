"""Small-number suppression for figures marked for publication.

A count of one to four people in a published table can identify them (ONS, *Statistical
Disclosure Control* guidance; the Home Office's police-recorded-crime publications suppress small
cells the same way). Counts from 1 to ``threshold - 1`` are shown as ``<threshold``; zero is
shown, since an empty cell discloses nobody. A share is withheld ("*") when its numerator or
denominator is suppressed, or when the people it leaves out are (so it cannot be worked back).
The report checker reads ``<5`` and ``*`` as unknown values, not zeros.
"""

from __future__ import annotations

WITHHELD = "*"


def suppress_count(count: int, threshold: int) -> int | str:
    """``count``, or ``<threshold`` when it is small but not zero."""
    return f"<{threshold}" if 0 < count < threshold else count


def suppress_share(share: float | None, part: int, whole: int, threshold: int) -> float | str | None:
    """``share`` (of ``part`` in ``whole``), or ``*`` when it would disclose a small number."""
    if share is None:
        return None
    small = (0 < n < threshold for n in (part, whole, whole - part))
    return WITHHELD if any(small) else share
