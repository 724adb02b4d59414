"""The whole demo data set, built in memory from the reference figures and a seed.

Pure: takes the parsed reference YAML and a seed, returns every record and figure. Each stage
draws from its own child of ``numpy.random.SeedSequence(seed)``, so the same seed gives the same
data and a change to one stage does not reshuffle the random numbers of the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from crimeprev.demo.calibration import Targets, build_targets
from crimeprev.demo.geography import Geography, build_geography
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
from crimeprev.demo.offences import OffenceRecords, expand_plan, generate_offences, stratum_flag
from crimeprev.demo.people import PERSON_ID_SPACE, PersonIndexer
from crimeprev.demo.strata import plan_offences

_STAGES = ("geography", "offence_plan", "incident_plan", "hate", "people", "offences", "incidents")


@dataclass(frozen=True)
class DemoData:
    """Everything the demo files hold, before it is rendered as text."""

    seed: int
    targets: Targets
    geography: Geography
    offences: OffenceRecords
    incidents: IncidentRecords
    hate_labels: tuple[str, ...]
    measures: tuple[MeasureRow, ...]


def build_demo_data(figures: Mapping[str, Any], geography: Mapping[str, Any], *, seed: int) -> DemoData:
    """Generate the calibrated synthetic records and the aggregate figures for ``seed``."""
    streams = dict(zip(_STAGES, np.random.SeedSequence(seed).spawn(len(_STAGES)), strict=True))
    rng = {name: np.random.default_rng(s) for name, s in streams.items()}
    targets = build_targets(figures)
    geo = build_geography(geography, rng["geography"])
    plan = plan_offences(targets, rng["offence_plan"])
    incident_plan = plan_incidents(targets, rng["incident_plan"])

    stratum, month = expand_plan(plan)
    kind, incident_month = expand_incident_plan(incident_plan)
    strands = assign_hate_strands(
        month[stratum_flag(plan, stratum, "hate")],
        incident_month[kind == INCIDENT_KINDS.index(HATE_INCIDENT)],
        targets.hate_type_months,
        targets.hate_types_q1_2024,
        rng["hate"],
    )
    indexer = PersonIndexer(offset=int(rng["people"].integers(PERSON_ID_SPACE)))
    offences = generate_offences(plan, geo, targets, strands.crime_label, indexer, rng["offences"])
    incidents = generate_incidents(
        incident_plan,
        geo,
        strands.incident_label,
        indexer,
        offences.next_person_index,
        rng["incidents"],
    )
    return DemoData(
        seed=seed,
        targets=targets,
        geography=geo,
        offences=offences,
        incidents=incidents,
        hate_labels=strands.labels,
        measures=build_measures(figures),
    )
