"""Alembic migrations of the app store (applied by :func:`crimeprev.store.app_store.open_app_store`)."""
