"""The store: the only package that opens DuckDB. One writer; schema versions; provenance."""
