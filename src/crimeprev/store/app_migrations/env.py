"""Alembic's environment: run the migrations on the connection the app store hands over."""

from __future__ import annotations

from alembic import context

from crimeprev.store.app_schema import METADATA

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
