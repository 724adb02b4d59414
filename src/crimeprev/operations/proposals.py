"""``zones propose``: N square zones that would have held the most crime, tested on the months after.

The zones are chosen on a training window (:func:`crimeprev.spatial.accuracy.propose_cells`) and
judged on a test window that follows it, which they never saw: a hotspot map's worth is how much of
*next* period's crime its zones hold, not last period's (Chainey, Tompson and Uhlig 2008). The
study area of both PAIs is the 250 m cells holding any of the indicator's records in the two
windows together, so the two are on the same footing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import numpy as np

from crimeprev.indicators.harm import HarmTable, measure_label, record_weights
from crimeprev.indicators.records import record_places
from crimeprev.model.periods import add_months, month_label
from crimeprev.model.strategy import Indicator, Strand, Strategy
from crimeprev.spatial.accuracy import (
    PredictiveAccuracy,
    grid_cells,
    populated_area_m2,
    predictive_accuracy,
    propose_cells,
)
from crimeprev.spatial.units import from_bng, to_bng

Window = tuple[date, date]


@dataclass(frozen=True, slots=True)
class ProposedZone:
    zone_id: str
    east: float  # south-west corner, BNG metres
    north: float
    side_m: float
    training: float
    test: float

    def ring(self) -> list[list[float]]:
        """The square's outline as GeoJSON [longitude, latitude] positions (closed, anticlockwise)."""
        e, n, s = self.east, self.north, self.side_m
        lat, lon = from_bng([e, e + s, e + s, e, e], [n, n, n + s, n + s, n])
        return [[round(float(x), 7), round(float(y), 7)] for x, y in zip(lon, lat, strict=True)]


@dataclass(frozen=True, slots=True)
class Proposal:
    indicator: Indicator
    harm: HarmTable | None
    training_window: Window
    test_window: Window
    zones: tuple[ProposedZone, ...]
    training: PredictiveAccuracy
    test: PredictiveAccuracy

    def geojson(self) -> str:
        """The zones as a FeatureCollection that ``crimeprev zones import`` reads, active over the test window."""
        features = [
            {
                "type": "Feature",
                "properties": {
                    "zone_id": z.zone_id,
                    "name": f"Proposed zone {i} for {self.indicator.title}",
                    "active_from": self.test_window[0].isoformat(),
                    "active_to": (add_months(self.test_window[1], 1) - timedelta(days=1)).isoformat(),
                },
                "geometry": {"type": "Polygon", "coordinates": [z.ring()]},
            }
            for i, z in enumerate(self.zones, start=1)
        ]  # fmt: skip
        return json.dumps({"type": "FeatureCollection", "features": features}, indent=1)

    def as_json(self) -> dict[str, object]:
        def accuracy(a: PredictiveAccuracy) -> dict[str, object]:
            return {"hits": a.hits, "total": a.total, "hit_rate": a.hit_rate, "area_share": a.area_share, "pai": a.pai}

        return {
            "indicator": self.indicator.id,
            "measure": measure_label(self.harm),
            "training_window": f"{month_label(self.training_window[0])}..{month_label(self.training_window[1])}",
            "test_window": f"{month_label(self.test_window[0])}..{month_label(self.test_window[1])}",
            "zones": [
                {
                    "zone_id": z.zone_id,
                    "east": z.east,
                    "north": z.north,
                    "side_m": z.side_m,
                    "training": z.training,
                    "test": z.test,
                }
                for z in self.zones
            ],
            "training": accuracy(self.training),
            "test": accuracy(self.test),
        }


def propose_zones(
    backend: ibis.BaseBackend,
    strategy: Strategy,
    strand: Strand,
    indicator: Indicator,
    training: Window,
    test: Window,
    *,
    count: int,
    budget_m2: float,
    harm: HarmTable | None = None,
) -> Proposal:
    """Choose ``count`` zones on ``training`` and evaluate them on ``test``; ``ValueError`` if impossible."""
    if test[0] <= training[1]:
        raise ValueError("the test window must start after the training window ends (out of sample)")
    periods = []
    for first, last in (training, test):
        places = record_places(backend, strategy, strand, indicator, first, last)
        located = np.asarray([s == "ok" for s in places.location_status], dtype=bool)
        if not np.any(located):
            raise ValueError(f"no located records from {month_label(first)} to {month_label(last)}")
        east, north = to_bng(places.lat[located], places.lon[located])
        weights = record_weights(places, harm)[located]
        periods.append((east, north, weights))
    (e0, n0, w0), (e1, n1, w1) = periods
    cells = propose_cells(e0, n0, w0, n=count, budget_m2=budget_m2)
    side = cells[0].side_m
    study = populated_area_m2(np.r_[e0, e1], np.r_[n0, n1])
    test_cells = grid_cells(e1, n1, side)
    zones = []
    for i, cell in enumerate(cells, start=1):
        column, row = round(cell.east / side), round(cell.north / side)
        held = (test_cells[:, 0] == column) & (test_cells[:, 1] == row)
        zones.append(ProposedZone(f"proposed-{i:02d}", cell.east, cell.north, side, cell.weight, float(w1[held].sum())))
    area = min(count * side * side, study)
    return Proposal(
        indicator,
        harm,
        training,
        test,
        tuple(zones),
        predictive_accuracy(sum(z.training for z in zones), float(w0.sum()), area, study),
        predictive_accuracy(sum(z.test for z in zones), float(w1.sum()), area, study),
    )
