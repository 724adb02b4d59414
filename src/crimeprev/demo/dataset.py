"""The whole demo data set, built in memory from the reference figures and a seed.

Pure: takes the parsed reference YAML and a seed, returns every record and figure. Each stage
draws from its own child of ``numpy.random.SeedSequence(seed)``, so the same seed gives the same
data and a change to one stage does not reshuffle the random numbers of the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crimeprev.demo.calibration import Targets, build_targets
from crimeprev.demo.catalogue import CATALOGUE
from crimeprev.demo.hate import assign_hate_strands
from crimeprev.demo.incidents import (
    HATE_INCIDENT,
    INCIDENT_KINDS,
    IncidentRecords,
    expand_incident_plan,
    generate_incidents,
    plan_incidents,
)
from crimeprev.demo.measures import MeasureRow, build_measures
from crimeprev.demo.offences import OffenceRecords, draw_codes, expand_plan, generate_offences, stratum_flag
from crimeprev.demo.people import PERSON_ID_SPACE, PersonIndexer
from crimeprev.demo.placement import draw_local_rates
from crimeprev.demo.places import PlaceFrame, build_place_frame, surfaces
from crimeprev.demo.strata import AGGRAVATED_CODES, plan_offences

_STAGES = ("places", "offence_plan", "incident_plan", "hate", "people", "offences", "incidents", "codes")


@dataclass(frozen=True)
class DemoData:
    """Everything the demo files hold, before it is rendered as text."""

    seed: int
    targets: Targets
    frame: PlaceFrame
    offences: OffenceRecords
    incidents: IncidentRecords
    hate_labels: tuple[str, ...]
    measures: tuple[MeasureRow, ...]


def build_demo_data(
    figures: Mapping[str, Any],
    geography: Mapping[str, Any],
    places: Mapping[str, Sequence[Any]],
    *,
    seed: int,
) -> DemoData:
    """Generate the calibrated synthetic records and the aggregate figures for ``seed``.

    ``places`` holds the columns of the package's place frame (``reference.load_place_columns``).
    """
    streams = dict(zip(_STAGES, np.random.SeedSequence(seed).spawn(len(_STAGES)), strict=True))
    rng = {name: np.random.default_rng(s) for name, s in streams.items()}
    targets = build_targets(figures)
    frame = build_place_frame(places, geography["districts"])
    surface = surfaces(frame)
    rates = draw_local_rates(frame, rng["places"])
    plan = plan_offences(targets, rng["offence_plan"])
    incident_plan = plan_incidents(targets, rng["incident_plan"])

    stratum, month = expand_plan(plan)
    code = draw_codes(plan, stratum, rng["codes"])
    hate = stratum_flag(plan, stratum, "hate")
    aggravated = np.isin(np.array([c.code for c in CATALOGUE])[code], list(AGGRAVATED_CODES))
    kind, incident_month = expand_incident_plan(incident_plan)
    strands = assign_hate_strands(
        month[hate],
        aggravated[hate],
        incident_month[kind == INCIDENT_KINDS.index(HATE_INCIDENT)],
        targets.hate_type_months,
        targets.hate_types_q1_2024,
        rng["hate"],
    )
    indexer = PersonIndexer(offset=int(rng["people"].integers(PERSON_ID_SPACE)))
    offences = generate_offences(
        plan, code, frame, surface, rates, targets, strands.crime_label, indexer, rng["offences"]
    )
    incidents = generate_incidents(
        incident_plan,
        frame,
        surface,
        rates,
        strands.incident_label,
        indexer,
        offences.next_person_index,
        rng["incidents"],
    )
    return DemoData(
        seed=seed,
        targets=targets,
        frame=frame,
        offences=offences,
        incidents=incidents,
        hate_labels=strands.labels,
        measures=build_measures(figures),
    )
