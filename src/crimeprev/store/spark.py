"""The store on Apache Spark: the same tables, for the same Ibis expressions, on a Spark session.

The indicator definitions compile to Ibis expressions, so they run unchanged on Spark once Spark
sees the store's tables under their names. The records (offences, incidents) are the active Parquet
partition files the catalog lists, read by Spark itself (on a cluster, the data folder must be
reachable at the same path from every executor); the small tables kept inside the DuckDB file
(measures, zones, operations) are handed over as Arrow. The DuckDB file stays the catalog and the
embedded default: Spark reads what it says is current, and writes nothing.

Where Spark runs comes from the environment (issue 15): ``CRIMEPREV_SPARK_REMOTE`` (a Spark
Connect URL, ``sc://host:15002``), else ``CRIMEPREV_SPARK_MASTER`` (a master URL, default
``local[*]``: every core of this machine). pyspark is an optional extra (``pip install
crimeprev[spark]``) and needs a Java runtime.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from crimeprev.model.errors import ConfigError
from crimeprev.store.layout import FILE_BACKED
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    import ibis

__all__ = ["ENGINES", "MASTER_ENV", "REMOTE_ENV", "spark_backend"]

ENGINES = ("duckdb", "spark")
MASTER_ENV = "CRIMEPREV_SPARK_MASTER"
REMOTE_ENV = "CRIMEPREV_SPARK_REMOTE"
IN_DUCKDB = ("measures", "zones", "operations")  # the tables kept inside the DuckDB file
# pyspark 4.3 warns on import that pandas 3 is not fully supported; what crimeprev uses works
# (the parity tests compare every indicator with DuckDB's).
PANDAS_WARNING = "PySpark does not yet fully support pandas"


def _session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError("--engine spark needs pyspark: pip install 'crimeprev[spark]' (and a Java runtime)") from None
    builder = SparkSession.builder.appName("crimeprev")
    remote = os.environ.get(REMOTE_ENV, "").strip()
    if remote:
        return builder.remote(remote).getOrCreate()
    master = os.environ.get(MASTER_ENV, "").strip() or "local[*]"
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # this machine only, whatever its host name
    session = (
        builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")  # dates read as written, whatever the machine's zone
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextmanager
def spark_backend(warehouse: Warehouse) -> Iterator[ibis.BaseBackend]:
    """An Ibis backend on a Spark session that sees ``warehouse``'s tables as they are now (the
    session is stopped after, unless it is a Spark Connect server's)."""
    from pandas.errors import Pandas4Warning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=PANDAS_WARNING, category=FutureWarning)
        warnings.filterwarnings("ignore", category=Pandas4Warning)  # pyspark's pandas calls pandas 4 will drop
        session = _session()
        try:
            yield _registered(session, warehouse)
        finally:
            if not os.environ.get(REMOTE_ENV):
                session.stop()


def _registered(session: Any, warehouse: Warehouse) -> ibis.BaseBackend:
    """The Ibis backend on ``session`` once it sees the store's tables by their names."""
    import ibis

    for name in FILE_BACKED:
        files = [
            str(warehouse.data_dir / r[0])
            for r in warehouse.query(
                "SELECT path FROM partitions WHERE table_name = ? AND superseded_by IS NULL ORDER BY path", [name]
            )
        ]
        if files:
            session.read.parquet(*files).createOrReplaceTempView(name)
        else:  # an empty table with the store's columns
            session.createDataFrame(warehouse.arrow(f"SELECT * FROM {name} LIMIT 0")).createOrReplaceTempView(name)
    for name in IN_DUCKDB:
        session.createDataFrame(warehouse.arrow(f"SELECT * FROM {name}")).createOrReplaceTempView(name)
    return ibis.pyspark.connect(session)
