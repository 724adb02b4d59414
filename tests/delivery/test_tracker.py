"""Delivery and narrative files through the tracker: imported once, exported back the same."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.delivery.actions import ActionStatus
from crimeprev.delivery.plan import load_delivery
from crimeprev.delivery.tracker import export_narrative, export_plan, import_actions, import_narrative
from crimeprev.delivery.transfer import drafts_of_narrative, drafts_of_plan, next_half_year, period_of
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.report.narrative import load_narrative
from crimeprev.store.app_store import AppStore, open_app_store

DATA = Path(__file__).parents[2] / "src" / "crimeprev" / "data"
DELIVERY, NARRATIVE = DATA / "essex-2023-24-delivery.yaml", DATA / "essex-2023-24-narrative.yaml"
NOW = datetime(2024, 4, 2, tzinfo=UTC)


@pytest.fixture
def store(app_db_url: str) -> Iterator[AppStore]:
    opened = open_app_store(app_db_url)
    yield opened
    opened.close()


def test_half_years_are_named_by_their_last_month() -> None:
    assert (next_half_year("2024-03"), next_half_year("2024-09")) == ("2024-09", "2025-03")
    period = period_of("2024-03")
    assert (str(period.start), str(period.end)) == ("2023-10-01", "2024-03-31")


def test_a_delivery_file_goes_in_once_and_comes_back_the_same(store: AppStore) -> None:
    plan = load_delivery(DELIVERY, load_strategy(None))
    drafts = drafts_of_plan(plan, "2024-03")
    first = import_actions(store, drafts, by="analyst", now=NOW)
    assert (first.added, first.updated, first.unchanged) == (len(drafts), 0, 0)
    again = import_actions(store, drafts, by="analyst", now=NOW)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(drafts))
    assert len(store.audit(what="action")) == len(drafts)  # the second import changed nothing
    back = export_plan(store, "2024-03")
    assert back.strands == plan.strands
    achieved = sum(len(s.achieved) for s in plan.strands.values())
    assert sum(1 for a in store.actions(half_year="2024-03") if a.status is ActionStatus.ACHIEVED) == achieved


def test_a_status_changed_in_the_file_updates_the_action_with_a_new_version(store: AppStore) -> None:
    plan = load_delivery(DELIVERY, load_strategy(None))
    drafts = drafts_of_plan(plan, "2024-03")
    import_actions(store, drafts, by="analyst", now=NOW)
    moved = [replace(drafts[0], status=ActionStatus.SLIPPED), *drafts[1:]]
    done = import_actions(store, moved, by="analyst", now=NOW)
    assert (done.added, done.updated) == (0, 1)
    (entry,) = [e for e in store.audit(what="action") if e.change == "import" and e.before is not None]
    assert (entry.before or {})["status"] == "achieved" and (entry.after or {})["status"] == "slipped"
    back = export_plan(store, "2024-03")
    assert drafts[0].title in back.strands[drafts[0].strand].slipped


def test_the_narrative_goes_in_once_and_comes_back_the_same(store: AppStore) -> None:
    narrative = load_narrative(NARRATIVE, load_strategy(None))
    parts = drafts_of_narrative(narrative)
    assert import_narrative(store, parts, by="analyst", now=NOW).added == len(parts)
    assert import_narrative(store, parts, by="analyst", now=NOW).unchanged == len(parts)
    back = export_narrative(store)
    assert back.months() == narrative.months()
    assert back.half_years[0].strands == narrative.half_years[0].strands


def test_the_commands_round_trip_the_files(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--store", str(tmp_path / "crimeprev.duckdb")]
    out = runner.invoke(app, [*base, "delivery", "import", str(DELIVERY), "--reported", "2024-03"])
    assert out.exit_code == 0 and "84 actions added, 0 updated, 0 unchanged" in out.output
    out = runner.invoke(app, [*base, "delivery", "export", str(tmp_path / "d.yaml"), "--reported", "2024-03"])
    assert out.exit_code == 0, out.output
    strategy = load_strategy(None)
    assert load_delivery(tmp_path / "d.yaml", strategy).strands == load_delivery(DELIVERY, strategy).strands
    runner.invoke(app, [*base, "narrative", "import", str(NARRATIVE)])
    out = runner.invoke(app, [*base, "narrative", "export", str(tmp_path / "n.yaml")])
    assert out.exit_code == 0 and "42 narrative parts" in out.output
    exported = load_narrative(tmp_path / "n.yaml", strategy)
    assert exported.half_years == load_narrative(NARRATIVE, strategy).half_years
    out = runner.invoke(app, [*base, "delivery", "import", str(DELIVERY), "--reported", "2024-06"])
    assert out.exit_code == 1 and "2024-03 or 2024-09" in out.output
