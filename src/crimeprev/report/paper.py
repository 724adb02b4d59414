"""The scrutiny paper from a store: evaluate the strategy, gather what the paper shows, render it.

One entry point, :func:`produce_paper`, for every caller: the ``report`` and ``demo`` commands and
the web app's paper downloads. The paper's text inputs come from files (``--delivery``,
``--narrative``) or, already read, from the delivery tracker (:attr:`PaperSources.plan`,
:attr:`PaperSources.narrative_text`). Nothing is printed here: what a reader should know (a missing
delivery file, text still to be supplied) comes back as :attr:`Paper.warnings`, and long steps are
announced through ``progress``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from crimeprev.model.errors import ConfigError
from crimeprev.model.windows import parse_month
from crimeprev.store.engines import backend_on
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    import ibis

    from crimeprev.delivery.plan import DeliveryPlan
    from crimeprev.indicators.peers import PeerComparison
    from crimeprev.model.strategy import Strategy
    from crimeprev.report.build import ReportInputs
    from crimeprev.report.narrative import Narrative
    from crimeprev.report.render_worker import RenderWorker

__all__ = ["Paper", "PaperSources", "gather_inputs", "produce_paper"]

Progress = Callable[[str], AbstractContextManager[object]]


@dataclass(frozen=True, slots=True)
class PaperSources:
    """What a paper is made from, besides the store (None: the default, or none). ``plan`` and
    ``narrative_text``, when given, are used instead of the ``delivery`` and ``narrative`` files
    (the tracker's content)."""

    metadata: Path | None = None
    strategy: Path | None = None
    delivery: Path | None = None
    operations: Path | None = None
    narrative: Path | None = None
    boundaries: tuple[Path, str | None] | None = None  # a GeoJSON file and its name field
    forces: Path | None = None  # a force table (populations, regions) for the peer comparison
    plan: DeliveryPlan | None = None
    narrative_text: Narrative | None = None


@dataclass(frozen=True)
class Paper:
    """The files written, by format, and what the reader should be told about the paper."""

    files: dict[str, Path]
    warnings: tuple[str, ...]


def _quiet(_what: str) -> AbstractContextManager[object]:
    return nullcontext()


def produce_paper(
    store: Path,
    *,
    as_of: str,
    formats: str,
    out: Path,
    sources: PaperSources,
    parallel: bool | None = None,
    strict: bool = False,
    progress: Progress = _quiet,
    engine: str = "duckdb",
) -> Paper:
    """Evaluate the strategy on the store and render the paper.

    When the paper uses a second process (``parallel``, or by default when
    :func:`~crimeprev.report.publish.wants_worker` says so), it is started first, so that it loads
    its libraries while the indicators are computed. Without a boundary file, the maps' outlines
    are derived from the records. Text still to be supplied is listed as a warning, or with
    ``strict`` refused before anything is written.
    """
    from crimeprev.report.publish import parse_formats, wants_worker
    from crimeprev.report.render_worker import start_render_worker

    chosen = parse_formats(formats)
    if not (wants_worker(chosen) if parallel is None else parallel and "pdf" in chosen):
        return _produce(store, as_of, chosen, out, sources, None, strict, progress, engine)
    with start_render_worker() as worker:
        return _produce(store, as_of, chosen, out, sources, worker, strict, progress, engine)


def gather_inputs(
    store: Path, month: date, files: PaperSources, progress: Progress = _quiet, engine: str = "duckdb"
) -> tuple[ReportInputs, list[str]]:
    """Everything the paper shows, read and computed from the store and the files: the report's
    inputs, and what the reader should be told about them (a missing delivery file, a narrative
    without the half-year). The web app's strand pages are built from the same inputs. Every
    figure is computed on ``engine`` (DuckDB, or the same expressions on Spark)."""
    from crimeprev.delivery.plan import DeliveryPlan, load_delivery
    from crimeprev.indicators.harm import offence_names
    from crimeprev.indicators.insights import evaluate_strategy
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.model.periods import add_months
    from crimeprev.operations.areas import district_outlines
    from crimeprev.operations.evaluate import evaluate_operation
    from crimeprev.operations.ledger import load_ledger
    from crimeprev.operations.zones import strand_zone_evaluations
    from crimeprev.people.repeats import strand_repeats
    from crimeprev.report.build import ReportInputs
    from crimeprev.report.metadata import load_metadata
    from crimeprev.report.narrative import load_narrative
    from crimeprev.sources.boundaries import read_boundaries

    strategy = load_strategy(files.strategy)
    meta = load_metadata(files.metadata, strategy)
    boundaries = files.boundaries
    supplied = read_boundaries(boundaries[0], name_field=boundaries[1]) if boundaries else None
    warnings: list[str] = []
    if files.plan is not None:
        plan = files.plan
    else:
        plan = load_delivery(files.delivery, strategy) if files.delivery else DeliveryPlan()
    delivery_given = files.plan is not None or files.delivery is not None
    narrative = {}
    told = files.narrative_text
    if told is None and files.narrative is not None:
        told = load_narrative(files.narrative, strategy)
    if told is not None:
        narrative = told.for_month(month)
        if not narrative:
            held = ", ".join(told.months()) or "none"
            source = files.narrative if files.narrative_text is None else "the tracker's narrative"
            warnings.append(f"{source} has no half-year to {month:%Y-%m} (it has: {held})")
    if files.operations is not None and not files.operations.is_file():
        raise ConfigError(f"--operations {files.operations}: no such ledger file")
    if not delivery_given:
        warnings.append(
            "no --delivery file: what each strand delivered and has scheduled is unknown, so every strand "
            "is marked at risk for that reason"
        )
    with Warehouse.open(store, read_only=True) as warehouse:
        datasets = {
            r[0] for t in ("offences", "incidents") for r in warehouse.query(f"SELECT DISTINCT dataset FROM {t}")
        }
        with progress("computing the indicators..."), backend_on(warehouse, engine) as backend:
            results = evaluate_strategy(backend, strategy, month)
            ledger = load_ledger(files.operations, strategy).operations if files.operations else []
            # every operation of the 12 months reported that has ended (one still running cannot be judged yet)
            start, end = add_months(month, -11), add_months(month, 1)
            due = [op for op in ledger if op.ends_on >= start and op.ends_on < end]
            evaluated = [evaluate_operation(backend, strategy, op) for op in due]
            zones = strand_zone_evaluations(backend, strategy, month)
            repeats = strand_repeats(backend, strategy, month)
            mapped = any(e.places is not None and not e.places.area.empty for e in evaluated)
            if supplied is not None:
                outlines = supplied
            else:
                outlines = district_outlines(backend, strategy, add_months(month, -11), month) if mapped else {}
            in_store = {
                str(r[0]) for r in warehouse.query("SELECT DISTINCT force FROM partitions WHERE superseded_by IS NULL")
            }
            peers = _peers(backend, strategy, month, files.forces, in_store)
    inputs = ReportInputs(
        strategy,
        results,
        meta,
        plan,
        month,
        # Demo datasets are named *-demo-*: their reports carry the synthetic marking everywhere.
        synthetic=any("demo" in d for d in datasets),
        operations=evaluated,
        zones=zones,
        outlines=outlines,
        repeats=repeats,
        delivery_given=delivery_given,
        narrative=narrative,
        code_names=offence_names(),
        outlines_from=boundaries[0].name if boundaries else None,
        peers=peers,
    )
    return inputs, warnings


def _peers(
    backend: ibis.BaseBackend, strategy: Strategy, month: date, forces: Path | None, held: set[str]
) -> tuple[PeerComparison, ...]:
    """The strategy's record counts for its force beside the other forces of its region, when the
    store holds at least one of them (a one-force store has no peers to show)."""
    from crimeprev.indicators.peers import not_comparable, peer_comparisons
    from crimeprev.sources.force_table import load_force_table

    table = load_force_table(forces)
    if table.get(strategy.force) is None:
        return ()
    region = table.group(strategy.force, "region")
    if not any(f.name in held for f in region[1:]):
        return ()
    chosen = [
        (s, i)
        for s in strategy.strands()
        for i in s.indicators
        if i.source != "measures" and "rolling_12_months" in i.comparisons and not_comparable(s, i) is None
    ]
    found = peer_comparisons(backend, strategy, chosen, month, table, group="region")
    return tuple(c for c in found if not isinstance(c, str))


def _produce(
    store: Path,
    as_of: str,
    chosen: list[str],
    out: Path,
    files: PaperSources,
    worker: RenderWorker | None,
    strict: bool,
    progress: Progress,
    engine: str,
) -> Paper:
    from crimeprev.report.build import build_report
    from crimeprev.report.publish import write_report

    try:
        month = parse_month(as_of)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    inputs, warnings = gather_inputs(store, month, files, progress, engine)
    document = build_report(inputs)
    missing = document.placeholders()
    if missing:
        listed = "\n  ".join(missing[:8]) + (f"\n  ... and {len(missing) - 8} more" if len(missing) > 8 else "")
        if strict:
            raise ConfigError(f"--strict: {len(missing)} passages of the paper are still to be supplied:\n  {listed}")
        noun = "passage is" if len(missing) == 1 else "passages are"
        warnings.append(f"{len(missing)} {noun} still to be supplied (highlighted in the paper):\n  {listed}")
    with progress(f"rendering {', '.join(chosen)}..."):
        written = write_report(document, out, chosen, worker=worker, parallel=worker is not None)
    return Paper(written, tuple(warnings))
