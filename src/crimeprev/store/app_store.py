"""The app store: accounts, delivery actions, the leads' narrative and the audit log.

SQLite beside the DuckDB store by default (WAL, so the dashboard's readers never wait for a writer),
PostgreSQL by URL for a shared deployment (``--app-db postgresql+psycopg://…``). The schema is
migrated by Alembic to its latest version whenever the store is opened. Every change is written in
the same transaction as its audit entry (who, when, what it was before and after), so the log holds
every change and nothing else; a change saved against an older version than the stored one is a
:class:`~crimeprev.delivery.actions.ConflictError` and changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    RowMapping,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from crimeprev.delivery.actions import Action, ActionDraft, ActionStatus, ConflictError
from crimeprev.model.accounts import Role
from crimeprev.model.errors import ConfigError, InputError, StoreError
from crimeprev.store.app_schema import (
    ACTIONS,
    AUDIT,
    NARRATIVE,
    PAPER_JOBS,
    SESSIONS,
    SIGN_IN_ATTEMPTS,
    USER_STRANDS,
    USERS,
)

__all__ = ["Account", "AppStore", "AuditEntry", "NarrativeText", "PaperJob", "open_app_store", "resolve_app_db"]

ENV_VAR = "CRIMEPREV_APP_DB"
_ADDRESS = 64  # characters of a client address kept (the column's width)


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    strands: tuple[str, ...]
    password_hash: str
    failed_logins: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class NarrativeText:
    strand: str
    half_year: str
    part: str
    text: str
    version: int
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class PaperJob:
    """A paper asked for in the app: who asked, for which month and formats, and how it went."""

    id: str
    user: str
    as_of: str
    formats: str
    started: datetime
    stage: str
    finished: datetime | None = None
    error: str | None = None
    files: Mapping[str, str] | None = None  # format -> path, once made
    warnings: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return self.finished is not None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: str
    what: str
    key: str
    change: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def resolve_app_db(store_path: Path, app_db: str | None = None) -> str:
    """The app store's URL: ``app_db``, else ``$CRIMEPREV_APP_DB``, else a SQLite file beside the
    DuckDB store (``crimeprev.duckdb`` → ``crimeprev-app.sqlite``)."""
    chosen = app_db or os.environ.get(ENV_VAR)
    if chosen:
        if "://" not in chosen:  # a plain path is a SQLite file
            return f"sqlite:///{Path(chosen).resolve()}"
        return chosen
    return f"sqlite:///{store_path.resolve().with_name(store_path.stem + '-app.sqlite')}"


def _as_dict(value: Any) -> dict[str, Any]:
    """A JSON-ready copy of a record for the audit log (dates as ISO text)."""
    out: dict[str, Any] = {}
    for key, item in asdict(value).items():
        out[key] = (
            item.isoformat()
            if isinstance(item, date | datetime)
            else str(item)
            if isinstance(item, Role | ActionStatus)
            else item
        )
    return out


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


class AppStore:
    """An open app store. Use :func:`open_app_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def _audit(
        self,
        connection: Connection,
        now: datetime,
        by: str,
        what: str,
        key: str,
        change: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> None:
        connection.execute(
            insert(AUDIT).values(at=now, user=by, what=what, key=key, change=change, before=before, after=after)
        )

    # --- accounts ---------------------------------------------------------------------------

    def add_account(
        self, name: str, role: Role, password_hash: str, strands: Sequence[str], *, by: str, now: datetime
    ) -> Account:
        """Create an account; an existing name is an error (accounts are not silently replaced)."""
        if not name.strip():
            raise InputError("account", "an account needs a name", field="name")
        if role is Role.LEAD and not strands:
            raise InputError("account", f"a lead is bound to their strands: give --strand for {name}", field="strand")
        with self._writing() as connection:
            if connection.execute(select(USERS.c.id).where(USERS.c.name == name)).first() is not None:
                raise InputError("account", f"there is already an account called {name!r}", field="name")
            user_id = _new_id(
                connection.execute(
                    insert(USERS).values(
                        name=name, role=role.value, password_hash=password_hash, failed_logins=0, created_at=now
                    )
                )
            )
            for strand in dict.fromkeys(strands):
                connection.execute(insert(USER_STRANDS).values(user_id=user_id, strand=strand))
            account = Account(name, role, tuple(dict.fromkeys(strands)), password_hash)
            shown = {"name": name, "role": role.value, "strands": list(account.strands)}  # never the hash
            self._audit(connection, now, by, "account", name, "create", None, shown)
        return account

    def account(self, name: str) -> Account | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(USERS).where(USERS.c.name == name)).mappings().first()
            if row is None:
                return None
            strands = connection.execute(
                select(USER_STRANDS.c.strand).where(USER_STRANDS.c.user_id == row["id"]).order_by(USER_STRANDS.c.strand)
            ).scalars()
            return Account(
                row["name"],
                Role(row["role"]),
                tuple(strands),
                row["password_hash"],
                row["failed_logins"],
                _aware(row["locked_until"]),
            )

    def accounts(self) -> list[Account]:
        with self.engine.connect() as connection:
            names = connection.execute(select(USERS.c.name).order_by(USERS.c.name)).scalars().all()
        return [a for n in names if (a := self.account(n)) is not None]

    # --- sign-in ----------------------------------------------------------------------------

    def failed_login(self, name: str, *, now: datetime, limit: int, lock: timedelta) -> datetime | None:
        """Count a failed sign-in; after ``limit`` in a row the account is locked for ``lock``.
        Returns when the lock ends (None: not locked)."""
        with self._writing() as connection:
            row = connection.execute(select(USERS.c.failed_logins).where(USERS.c.name == name)).first()
            if row is None:
                return None
            failures = row[0] + 1
            locked = now + lock if failures >= limit else None
            values: dict[str, Any] = {"failed_logins": 0 if locked else failures}
            if locked is not None:
                values["locked_until"] = locked
                self._audit(connection, now, name, "account", name, "lock", None, {"until": locked.isoformat()})
            connection.execute(update(USERS).where(USERS.c.name == name).values(**values))
        return locked

    def start_session(self, name: str, *, now: datetime, lasts: timedelta) -> tuple[str, str]:
        """A new session for ``name`` after a good sign-in: (cookie token, form token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._writing() as connection:
            connection.execute(update(USERS).where(USERS.c.name == name).values(failed_logins=0, locked_until=None))
            connection.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < now))
            connection.execute(
                insert(SESSIONS).values(
                    token_hash=_digest(token), user=name, csrf=csrf, created_at=now, expires_at=now + lasts
                )
            )
        return token, csrf

    def session(self, token: str, *, now: datetime) -> tuple[Account, str] | None:
        """The account and form token of a live session, else None."""
        with self.engine.connect() as connection:
            row = connection.execute(select(SESSIONS).where(SESSIONS.c.token_hash == _digest(token))).mappings().first()
        if row is None or (_aware(row["expires_at"]) or now) <= now:
            return None
        account = self.account(row["user"])
        return (account, row["csrf"]) if account is not None else None

    def end_session(self, token: str) -> None:
        with self._writing() as connection:
            connection.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)))

    # --- actions ----------------------------------------------------------------------------

    @staticmethod
    def _action(row: RowMapping) -> Action:
        return Action(
            strand=row["strand"],
            title=row["title"],
            half_year=row["half_year"],
            status=ActionStatus(row["status"]),
            owner=row["owner"],
            description=row["description"],
            due=row["due"],
            notes=row["notes"],
            id=row["id"],
            version=row["version"],
            updated_at=_aware(row["updated_at"]),
            updated_by=row["updated_by"],
        )

    def actions(self, strand: str | None = None, half_year: str | None = None) -> list[Action]:
        """The actions, by strand, half-year and id."""
        query = select(ACTIONS).order_by(ACTIONS.c.strand, ACTIONS.c.half_year, ACTIONS.c.id)
        if strand is not None:
            query = query.where(ACTIONS.c.strand == strand)
        if half_year is not None:
            query = query.where(ACTIONS.c.half_year == half_year)
        with self.engine.connect() as connection:
            return [self._action(row) for row in connection.execute(query).mappings()]

    def action(self, action_id: int) -> Action:
        with self.engine.connect() as connection:
            row = connection.execute(select(ACTIONS).where(ACTIONS.c.id == action_id)).mappings().first()
        if row is None:
            raise InputError("action", f"there is no action {action_id}", field="id")
        return self._action(row)

    def add_action(self, draft: ActionDraft, *, by: str, now: datetime, change: str = "create") -> Action:
        draft = draft.checked()
        values = {**_as_dict(draft), "status": draft.status.value, "due": draft.due}
        with self._writing() as connection:
            clash = connection.execute(
                select(ACTIONS.c.id).where(
                    ACTIONS.c.strand == draft.strand,
                    ACTIONS.c.half_year == draft.half_year,
                    ACTIONS.c.title == draft.title,
                )
            ).first()
            if clash is not None:
                raise InputError("action", f"{draft.strand} already has an action {draft.title!r} in {draft.half_year}")
            new_id = _new_id(
                connection.execute(insert(ACTIONS).values(**values, version=1, updated_at=now, updated_by=by))
            )
            action = Action(**asdict(draft), id=new_id, version=1, updated_at=now, updated_by=by)
            self._audit(connection, now, by, "action", str(new_id), change, None, _as_dict(action.draft()))
        return action

    def update_action(
        self,
        action_id: int,
        draft: ActionDraft,
        *,
        expected_version: int,
        by: str,
        now: datetime,
        change: str = "update",
    ) -> Action:
        """Save ``draft`` over action ``action_id`` if it still is at ``expected_version``."""
        draft = draft.checked()
        with self._writing() as connection:
            row = connection.execute(select(ACTIONS).where(ACTIONS.c.id == action_id)).mappings().first()
            if row is None:
                raise InputError("action", f"there is no action {action_id}", field="id")
            stored = self._action(row)
            if stored.version != expected_version:
                raise ConflictError(f"action {action_id} ({stored.title})", draft, stored, stored.updated_by)
            if stored.draft() == draft:
                return stored  # nothing changed: no new version, nothing to audit
            values = {**_as_dict(draft), "status": draft.status.value, "due": draft.due}
            done = connection.execute(
                update(ACTIONS)
                .where(ACTIONS.c.id == action_id, ACTIONS.c.version == expected_version)
                .values(**values, version=expected_version + 1, updated_at=now, updated_by=by)
            )
            if done.rowcount != 1:  # another writer got in between the read and the write
                raise ConflictError(f"action {action_id} ({stored.title})", draft, self.action(action_id), "")
            self._audit(
                connection, now, by, "action", str(action_id), change, _as_dict(stored.draft()), _as_dict(draft)
            )
        return Action(**asdict(draft), id=action_id, version=expected_version + 1, updated_at=now, updated_by=by)

    # --- narrative --------------------------------------------------------------------------

    def narrative(self, strand: str | None = None, half_year: str | None = None) -> list[NarrativeText]:
        query = select(NARRATIVE).order_by(NARRATIVE.c.half_year, NARRATIVE.c.strand, NARRATIVE.c.part)
        if strand is not None:
            query = query.where(NARRATIVE.c.strand == strand)
        if half_year is not None:
            query = query.where(NARRATIVE.c.half_year == half_year)
        with self.engine.connect() as connection:
            return [
                NarrativeText(
                    r["strand"],
                    r["half_year"],
                    r["part"],
                    r["text"],
                    r["version"],
                    _aware(r["updated_at"]) or datetime.min,
                    r["updated_by"],
                )
                for r in connection.execute(query).mappings()
            ]

    def set_narrative(
        self,
        strand: str,
        half_year: str,
        part: str,
        text: str,
        *,
        expected_version: int,
        by: str,
        now: datetime,
        change: str = "update",
    ) -> NarrativeText:
        """Save one part of a strand's narrative; ``expected_version`` 0 for a part not written yet."""
        key = f"{strand}/{half_year}/{part}"
        with self._writing() as connection:
            where = (NARRATIVE.c.strand == strand, NARRATIVE.c.half_year == half_year, NARRATIVE.c.part == part)
            row = connection.execute(select(NARRATIVE).where(*where)).mappings().first()
            version = row["version"] if row is not None else 0
            if version != expected_version:
                assert row is not None
                raise ConflictError(f"the {part} of {strand} for {half_year}", text, row["text"], row["updated_by"])
            if row is not None and row["text"] == text:
                return NarrativeText(
                    strand, half_year, part, text, version, _aware(row["updated_at"]) or now, row["updated_by"]
                )
            values = {"text": text, "version": version + 1, "updated_at": now, "updated_by": by}
            if row is None:
                connection.execute(insert(NARRATIVE).values(strand=strand, half_year=half_year, part=part, **values))
            else:
                connection.execute(update(NARRATIVE).where(*where, NARRATIVE.c.version == version).values(**values))
            before = {"text": row["text"]} if row is not None else None
            self._audit(
                connection, now, by, "narrative", key, change if row is not None else "create", before, {"text": text}
            )
        return NarrativeText(strand, half_year, part, text, version + 1, now, by)

    # --- state the app's workers share -----------------------------------------------------

    def sign_in_blocked(self, address: str, *, now: datetime, attempts: int, window: timedelta) -> bool:
        """Whether ``address`` has had ``attempts`` failed sign-ins in the last ``window``, counted
        across every worker process (older ones are dropped). Successful sign-ins do not count, so a
        shift change behind one proxy does not lock everyone out."""
        with self._writing() as connection:
            connection.execute(delete(SIGN_IN_ATTEMPTS).where(SIGN_IN_ATTEMPTS.c.at <= now - window))
            failed = connection.execute(
                select(func.count())
                .select_from(SIGN_IN_ATTEMPTS)
                .where(SIGN_IN_ATTEMPTS.c.address == address[:_ADDRESS])
            ).scalar_one()
        return bool(failed >= attempts)

    def failed_sign_in(self, address: str, *, now: datetime) -> None:
        """Count a failed sign-in from ``address`` (see :meth:`sign_in_blocked`)."""
        with self._writing() as connection:
            connection.execute(insert(SIGN_IN_ATTEMPTS).values(address=address[:_ADDRESS], at=now))

    def add_paper_job(self, job: PaperJob) -> None:
        with self._writing() as connection:
            connection.execute(
                insert(PAPER_JOBS).values(
                    id=job.id, user=job.user, as_of=job.as_of, formats=job.formats, started=job.started, stage=job.stage
                )
            )

    def update_paper_job(self, job: PaperJob) -> None:
        """Save how a paper job went (its stage, and when it ends its files, warnings or error)."""
        with self._writing() as connection:
            connection.execute(
                update(PAPER_JOBS)
                .where(PAPER_JOBS.c.id == job.id)
                .values(
                    stage=job.stage,
                    finished=job.finished,
                    error=job.error,
                    files=dict(job.files) if job.files is not None else None,
                    warnings=list(job.warnings),
                )
            )

    def paper_job(self, job_id: str) -> PaperJob | None:
        with self.engine.connect() as connection:
            r = connection.execute(select(PAPER_JOBS).where(PAPER_JOBS.c.id == job_id)).mappings().first()
        if r is None:
            return None
        return PaperJob(
            r["id"],
            r["user"],
            r["as_of"],
            r["formats"],
            _aware(r["started"]) or datetime.min,
            r["stage"],
            _aware(r["finished"]),
            r["error"],
            r["files"],
            tuple(r["warnings"] or ()),
        )

    # --- the audit log ----------------------------------------------------------------------

    def log_view(self, what: str, key: str, detail: Mapping[str, Any], *, by: str, now: datetime) -> None:
        """Record that ``by`` opened a person-level page (before it is shown: a view whose entry cannot
        be written is not shown). ``detail`` says what was asked and how many people it showed; never
        who they are."""
        with self._writing() as connection:
            self._audit(connection, now, by, what, key, "view", None, detail)

    def audit(self, *, what: str | None = None, key: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """The audit log, newest first."""
        query = select(AUDIT).order_by(AUDIT.c.id.desc())
        if what is not None:
            query = query.where(AUDIT.c.what == what)
        if key is not None:
            query = query.where(AUDIT.c.key == key)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [
                AuditEntry(
                    _aware(r["at"]) or datetime.min,
                    r["user"],
                    r["what"],
                    r["key"],
                    r["change"],
                    r["before"],
                    r["after"],
                )
                for r in connection.execute(query).mappings()
            ]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row just inserted."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _sqlite_wal(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration; a store from a newer crimeprev is refused."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("crimeprev.store") / "app_migrations"))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.begin() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
        if current - heads and current:
            raise StoreError(f"the app store is of a newer crimeprev (schema {sorted(current)}); upgrade crimeprev")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_app_store(url: str) -> AppStore:
    """Open (creating and migrating if need be) the app store at ``url``."""
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise ConfigError(f"--app-db {url!r} is not a database URL ({e})") from e
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_wal(engine)
    try:
        _migrate(engine)
    except OperationalError as e:
        engine.dispose()
        raise StoreError(f"cannot open the app store {parsed.render_as_string(hide_password=True)}: {e.orig}") from e
    return AppStore(engine)
