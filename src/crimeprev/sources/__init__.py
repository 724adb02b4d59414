"""Importers: read input files, validate every row, map it to the canonical schema.

Rows that break a rule are handed back as rejects with a reason, never dropped. Importers do not
touch the store: :mod:`crimeprev.sources.ingest` hands their batches to the store's writer.
"""
