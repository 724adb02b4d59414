"""The app store on SQLite and PostgreSQL: accounts, actions with versions and conflicts, narrative, the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from crimeprev.delivery.actions import ActionDraft, ActionStatus, ConflictError
from crimeprev.model.accounts import Role
from crimeprev.model.errors import InputError
from crimeprev.store.app_store import AppStore, open_app_store, resolve_app_db
from crimeprev.web.passwords import check_password, hash_password

NOW = datetime(2024, 4, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2024, 4, 2, 9, 45, tzinfo=UTC)
DRAFT = ActionDraft(
    strand="knife-crime", title="Weapon sweeps in the hotspots", half_year="2024-09", owner="DI Smith",
    due=date(2024, 6, 30),
)  # fmt: skip


@pytest.fixture
def store(app_db_url: str) -> Iterator[AppStore]:
    opened = open_app_store(app_db_url)  # every test below runs on SQLite and on PostgreSQL
    yield opened
    opened.close()


def test_the_default_app_store_is_a_sqlite_file_beside_the_duckdb_store(tmp_path: Path) -> None:
    url = resolve_app_db(tmp_path / "force.duckdb")
    assert url == f"sqlite:///{tmp_path / 'force-app.sqlite'}"
    open_app_store(url).close()
    assert (tmp_path / "force-app.sqlite").exists()
    again = open_app_store(url)  # reopening migrates nothing and loses nothing
    assert again.accounts() == []
    again.close()


def test_an_account_keeps_a_hash_never_the_password_and_is_audited(store: AppStore) -> None:
    password = "correct horse battery staple"
    store.add_account("lead.knife", Role.LEAD, hash_password(password), ["knife-crime"], by="admin", now=NOW)
    account = store.account("lead.knife")
    assert account is not None and account.role is Role.LEAD and account.strands == ("knife-crime",)
    assert check_password(account.password_hash, password) and not check_password(account.password_hash, "wrong")
    (entry,) = store.audit()
    assert (entry.user, entry.what, entry.key, entry.change) == ("admin", "account", "lead.knife", "create")
    assert password not in str(entry) and account.password_hash not in str(entry)
    with pytest.raises(InputError, match="already an account"):
        store.add_account("lead.knife", Role.VIEWER, hash_password(password), [], by="admin", now=NOW)
    with pytest.raises(InputError, match="--strand"):
        store.add_account("lead.none", Role.LEAD, hash_password(password), [], by="admin", now=NOW)
    with pytest.raises(InputError, match="12 characters"):
        hash_password("short")


def test_a_second_save_of_the_same_version_is_a_conflict_and_nothing_is_lost(store: AppStore) -> None:
    action = store.add_action(DRAFT, by="lead.knife", now=NOW)
    assert (action.id, action.version, action.status) == (1, 1, ActionStatus.SCHEDULED)
    first = store.update_action(
        action.id, replace(DRAFT, status=ActionStatus.IN_PROGRESS), expected_version=1, by="lead.knife", now=NOW
    )
    assert first.version == 2
    mine = replace(DRAFT, notes="Two sweeps done")
    with pytest.raises(ConflictError) as conflict:
        store.update_action(action.id, mine, expected_version=1, by="analyst", now=LATER)
    assert conflict.value.mine == mine and conflict.value.theirs == store.action(action.id)
    assert conflict.value.theirs_by == "lead.knife" and "was not saved" in str(conflict.value)
    stored = store.action(action.id)
    assert (stored.status, stored.notes, stored.version) == (ActionStatus.IN_PROGRESS, "", 2)
    # Seen the other version: saved against it, both changes are kept.
    both = store.update_action(
        action.id, replace(mine, status=ActionStatus.IN_PROGRESS), expected_version=2, by="analyst", now=LATER
    )
    assert (both.status, both.notes, both.version, both.updated_by) == (
        ActionStatus.IN_PROGRESS,
        "Two sweeps done",
        3,
        "analyst",
    )


def test_every_change_is_in_the_audit_log_with_before_and_after(store: AppStore) -> None:
    action = store.add_action(DRAFT, by="lead.knife", now=NOW)
    store.update_action(
        action.id, replace(DRAFT, status=ActionStatus.ACHIEVED), expected_version=1, by="lead.knife", now=LATER
    )
    store.update_action(
        action.id, replace(DRAFT, status=ActionStatus.ACHIEVED), expected_version=2, by="lead.knife", now=LATER
    )
    entries = store.audit(what="action", key=str(action.id))
    assert [e.change for e in entries] == ["update", "create"]  # newest first; the unchanged save made no entry
    update, create = entries
    assert create.before is None and create.after is not None and create.after["status"] == "scheduled"
    assert update.before is not None and update.after is not None
    assert (update.before["status"], update.after["status"], update.after["due"]) == (
        "scheduled",
        "achieved",
        "2024-06-30",
    )
    assert update.at == LATER and update.user == "lead.knife"


def test_narrative_parts_are_versioned_like_actions(store: AppStore) -> None:
    part = store.set_narrative("rape", "2024-03", "commentary", "First words.", expected_version=0, by="lead", now=NOW)
    assert part.version == 1
    store.set_narrative("rape", "2024-03", "commentary", "Second words.", expected_version=1, by="lead", now=LATER)
    with pytest.raises(ConflictError) as conflict:
        store.set_narrative(
            "rape", "2024-03", "commentary", "Stale words.", expected_version=1, by="analyst", now=LATER
        )
    assert (conflict.value.mine, conflict.value.theirs) == ("Stale words.", "Second words.")
    (text,) = store.narrative("rape", "2024-03")
    assert (text.text, text.version, text.updated_by) == ("Second words.", 2, "lead")
    assert [e.change for e in store.audit(what="narrative")] == ["update", "create"]


def test_bad_actions_are_refused_with_the_field_to_correct(store: AppStore) -> None:
    with pytest.raises(InputError, match="title"):
        store.add_action(replace(DRAFT, title=" "), by="x", now=NOW)
    with pytest.raises(InputError, match="2024-03 or 2024-09"):
        store.add_action(replace(DRAFT, half_year="2024-06"), by="x", now=NOW)
    store.add_action(DRAFT, by="x", now=NOW)
    with pytest.raises(InputError, match="already has an action"):
        store.add_action(DRAFT, by="x", now=NOW)
    assert len(store.audit()) == 1  # refused changes leave no trace
