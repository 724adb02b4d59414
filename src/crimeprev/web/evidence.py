"""What the pages show from the store: each strand's figures, verdicts, charts, places and people.

Built as the paper builds them (:func:`crimeprev.report.paper.gather_inputs`,
:func:`crimeprev.report.build.strand_evidence`), so a page and the paper never disagree. Computing
them takes seconds, so they are kept per release of the store: a load rewrites the store's file, its
modification time changes, and they are computed again from a fresh read connection in the
background while the pages keep showing the previous load's (see :meth:`StoreEvidence.release`). A
request takes one release and builds its whole page from it. A district's figures are computed on
the first request for them, and kept with the release.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crimeprev.indicators.insights import IndicatorResult, evaluate_strategy
from crimeprev.model.strategy import Strand, Strategy
from crimeprev.people.repeats import StrandRepeats, strand_repeats
from crimeprev.report.build import ReportInputs, StrandEvidence, risk_evidence, strand_evidence
from crimeprev.report.document import Block
from crimeprev.report.figures import table_value
from crimeprev.report.paper import PaperSources, gather_inputs
from crimeprev.report.render_html import render_fragment
from crimeprev.report.verdicts import plain_sentence
from crimeprev.store.warehouse import Warehouse

__all__ = ["Release", "StoreEvidence", "StrandPage"]


@dataclass(frozen=True)
class StrandPage:
    """A strand's evidence as page fragments (HTML from the report's own blocks)."""

    figures: str
    places_and_people: str
    detail: str
    district: str | None = None
    left_out: tuple[str, ...] = ()  # indicators not counted by district (supplied, or confined elsewhere)


@dataclass
class Release:
    """What was computed from one release of the store, for one as-of month."""

    inputs: ReportInputs | None
    districts: tuple[str, ...]
    rows: dict[str, list[dict[str, str]]]
    risk: dict[str, tuple[list[str], list[str]]]
    key: tuple[date, float] | None = None  # the month and the store file's modification time it was computed at
    pages: dict[tuple[str, str | None], StrandPage] = field(default_factory=dict)

    def figure_rows(self, strand_id: str) -> list[dict[str, str]]:
        return self.rows.get(strand_id, [])

    def risk_evidence(self, strand_id: str) -> tuple[list[str], list[str]]:
        return self.risk.get(strand_id, ([], []))


class StoreEvidence:
    """The strands' evidence from ``store`` (``None`` or missing: no figures, said so on the pages)."""

    def __init__(self, store: Path | None, sources: PaperSources, strategy: Strategy) -> None:
        self._store = store
        self._sources = sources
        self._strategy = strategy
        self._lock = threading.Lock()  # guards the fields below (held only for moments)
        self._computing = threading.Lock()  # one computation at a time
        self._page_locks: dict[tuple[str, str | None], threading.Lock] = {}  # one page computed once
        self._key: tuple[date, float] | None = None
        self._release: Release | None = None
        self._refresh: threading.Thread | None = None
        self._failed: tuple[date, float] | None = None  # a load whose figures could not be computed
        self.failure: str | None = None  # why, for the pages to say (the previous load's figures stay)

    def release(self, as_of: date) -> Release:
        """The evidence for ``as_of`` from the store as last loaded. A request takes it once and
        builds the whole page from it, so a page never mixes two loads.

        The first time, it is computed now (requests wait for that one computation). After a new
        load, the pages keep the previous release's figures, whole and consistent, while the new
        ones are computed in the background, and switch to them when they are complete. A load whose
        figures cannot be computed is tried once: the previous figures stay, and :attr:`failure`
        says why.
        """
        key = self._store_key(as_of)
        if key is None:
            return Release(None, (), {}, {})
        with self._lock:
            current = self._release
            if current is not None and self._key == key:
                return current
            if current is not None and self._key is not None and self._key[0] == as_of:
                if key != self._failed and (self._refresh is None or not self._refresh.is_alive()):
                    self._refresh = threading.Thread(target=self._refresh_quietly, args=(key,), daemon=True)
                    self._refresh.start()
                return current
        return self._replace(key)

    def settle(self, timeout: float) -> None:
        """Wait for a background computation to finish (for tests and scripts)."""
        refresh = self._refresh
        if refresh is not None:
            refresh.join(timeout)

    def _store_key(self, as_of: date) -> tuple[date, float] | None:
        if self._store is None or not self._store.exists():
            return None
        return (as_of, self._store.stat().st_mtime)

    def _refresh_quietly(self, key: tuple[date, float]) -> None:
        try:
            self._replace(key)
        except Exception as e:  # the pages keep the previous load's figures and say why
            with self._lock:
                self._failed, self.failure = key, f"the latest load's figures could not be computed ({e})"

    def _replace(self, key: tuple[date, float]) -> Release:
        with self._computing:
            with self._lock:
                if self._key == key and self._release is not None:
                    return self._release  # computed meanwhile by another request
            release = self._compute(key)
            with self._lock:
                self._release, self._key = release, key
                self._failed = self.failure = None
            return release

    def strand_page(
        self, as_of: date, strand: Strand, district: str | None = None
    ) -> tuple[Release, StrandPage | None]:
        """``strand``'s evidence, in one district if given, with the release it belongs to (the page
        takes everything else from that release). ``None``: no store, or an unknown district.

        A district's figures are computed from the store as it is now, so when a load has come since
        the release in hand, the new load's release is computed first and used for the whole page.
        """
        release = self.release(as_of)
        if district is not None and release.inputs is not None:
            now = self._store_key(as_of)
            if now is not None and now != release.key and now != self._failed:
                release = self._replace(now)
        if release.inputs is None or (district is not None and district not in release.districts):
            return release, None
        found = release.pages.get((strand.id, district))
        if found is not None:
            return release, found
        with self._lock:
            lock = self._page_locks.setdefault((strand.id, district), threading.Lock())
        with lock:  # computed once, while the other pages go on
            found = release.pages.get((strand.id, district))
            if found is None:
                found = self._page(release.inputs, strand, district)
                release.pages[(strand.id, district)] = found
            return release, found

    def top_people(self, as_of: date, strand: Strand, top: int) -> list[StrandRepeats]:
        """``strand``'s repeat indicators with their ``top`` people by pseudonym (person-level: not
        kept, read afresh each time, and the caller logs the view)."""
        if self._store is None or not self._store.exists():
            return []
        with Warehouse.open(self._store, read_only=True) as warehouse:
            return strand_repeats(warehouse.ibis(), self._strategy, as_of, strand_id=strand.id, top=top)

    def _compute(self, key: tuple[date, float]) -> Release:
        assert self._store is not None
        inputs, _ = gather_inputs(self._store, key[0], self._sources)
        with Warehouse.open(self._store, read_only=True) as warehouse:
            districts = tuple(
                str(r[0])
                for r in warehouse.query(
                    "SELECT DISTINCT district FROM offences WHERE force = ? AND district IS NOT NULL ORDER BY 1",
                    [self._strategy.force],
                )
            )
        by_strand: dict[str, list[IndicatorResult]] = {}
        for result in inputs.results:
            by_strand.setdefault(result.strand.id, []).append(result)
        rows = {s: [_figure_row(r) for r in rs] for s, rs in by_strand.items()}
        risk = {s: risk_evidence(rs) for s, rs in by_strand.items()}
        return Release(inputs, districts, rows, risk, key)

    def _page(self, inputs: ReportInputs, strand: Strand, district: str | None) -> StrandPage:
        if district is None:
            return _fragments(strand_evidence(inputs, strand))
        narrowed = strand.in_district(district)
        strategy = _with_strand(self._strategy, narrowed)
        assert self._store is not None
        with Warehouse.open(self._store, read_only=True) as warehouse:
            results = evaluate_strategy(warehouse.ibis(), strategy, inputs.as_of, strand=strand.id)
        local = ReportInputs(strategy, results, inputs.metadata, inputs.delivery, inputs.as_of,
                             synthetic=inputs.synthetic, code_names=inputs.code_names)  # fmt: skip
        kept = {i.id for i in narrowed.indicators}
        left_out = tuple(i.title for i in strand.indicators if i.id not in kept)
        evidence = strand_evidence(local, narrowed)
        page = _fragments(evidence)
        return StrandPage(page.figures, "", page.detail, district, left_out)


def _fragments(evidence: StrandEvidence) -> StrandPage:
    def html(blocks: tuple[Block, ...]) -> str:
        return render_fragment(blocks) if blocks else ""

    return StrandPage(html(evidence.figures), html(evidence.places_and_people), html(evidence.detail))


def _with_strand(strategy: Strategy, strand: Strand) -> Strategy:
    themes = [
        t.model_copy(update={"strands": [strand if s.id == strand.id else s for s in t.strands]})
        for t in strategy.themes
    ]
    return strategy.model_copy(update={"themes": themes})


def _figure_row(result: IndicatorResult) -> dict[str, str]:
    """One indicator's headline comparison as a table row, with the paper's plain sentence."""
    c, unit = result.headline, result.indicator.unit
    if c.change is None:
        change = ""
    elif unit == "rate":
        change = f"{c.change.diff * 100:+.1f} points"
    else:
        change = f"{c.change.diff:+,.0f} ({c.change.pct_text})"
    return {
        "title": result.indicator.title,
        "current": table_value(c.current, unit),
        "previous": table_value(c.previous, unit),
        "change": change,
        "current_label": c.current_label,
        "previous_label": c.previous_label,
        "sentence": plain_sentence(result, c),
    }
