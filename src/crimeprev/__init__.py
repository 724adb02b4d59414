"""crimeprev: evidence for a police crime prevention strategy.

The package's folders follow the data flow: ``sources`` (importers) → ``store`` (the DuckDB
warehouse) → indicators and analysis → outputs, with ``model`` (schema and codes) underneath
everything and ``cli`` on top.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
