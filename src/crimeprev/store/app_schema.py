"""The app store's tables (SQLAlchemy Core): accounts, delivery actions, narrative, the audit log.

Declared once, here; the Alembic migrations in ``app_migrations`` create them, and every query
uses these objects, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "ACTIONS",
    "AUDIT",
    "METADATA",
    "NARRATIVE",
    "PAPER_JOBS",
    "SESSIONS",
    "SIGN_IN_ATTEMPTS",
    "USERS",
    "USER_STRANDS",
]

METADATA = MetaData()

USERS = Table(
    "users",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

USER_STRANDS = Table(
    "user_strands",
    METADATA,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("strand", String(80), primary_key=True),
)

ACTIONS = Table(
    "actions",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("strand", String(80), nullable=False, index=True),
    Column("half_year", String(7), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("owner", String(200), nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("due", Date),
    Column("notes", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(80), nullable=False),
    UniqueConstraint("strand", "half_year", "title", name="one_title_per_strand_and_half_year"),
)

NARRATIVE = Table(
    "narrative",
    METADATA,
    Column("strand", String(80), primary_key=True),
    Column("half_year", String(7), primary_key=True),
    Column("part", String(16), primary_key=True),
    Column("text", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(80), nullable=False),
)

AUDIT = Table(
    "audit",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("user", String(80), nullable=False),
    Column("what", String(16), nullable=False),  # action, narrative, account
    Column("key", String(200), nullable=False, index=True),  # the action's id, "strand/half-year/part", a name
    Column("change", String(16), nullable=False),  # create, update, delete, import
    Column("before", JSON),
    Column("after", JSON),
)

SESSIONS = Table(
    "sessions",
    METADATA,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie's token, never the token
    Column("user", String(80), ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

PAPER_JOBS = Table(
    "paper_jobs",
    METADATA,
    Column("id", String(32), primary_key=True),
    Column("user", String(80), nullable=False),
    Column("as_of", String(7), nullable=False),
    Column("formats", String(40), nullable=False),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("stage", String(80), nullable=False),
    Column("finished", DateTime(timezone=True)),  # None while it is being made
    Column("error", Text),
    Column("files", JSON),  # format -> the file's path, once made
    Column("warnings", JSON),  # what the reader should be told about the paper
)

SIGN_IN_ATTEMPTS = Table(
    "sign_in_attempts",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
)
