"""Force areas known to crimeprev, used to flag points that fall outside a force.

Only a bounding box is kept: it is a coarse test (a point just over the border but inside the box
counts as inside), enough to catch the far-away points that location anonymisation produces.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from crimeprev.sources.fields import BoundingBox

_GEOGRAPHY_FILES = ("essex-geography.yaml",)


@cache
def force_areas() -> dict[str, BoundingBox]:
    """Bounding boxes by force name, from the geography files shipped with crimeprev."""
    areas: dict[str, BoundingBox] = {}
    for name in _GEOGRAPHY_FILES:
        text = (resources.files("crimeprev") / "data" / name).read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
        areas[doc["force"]] = BoundingBox(**{k: float(v) for k, v in doc["bbox"].items()})
    return areas


def force_area(force: str) -> BoundingBox | None:
    """The bounding box of ``force``, or ``None`` when crimeprev does not know its area."""
    return force_areas().get(force)
