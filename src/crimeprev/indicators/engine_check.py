"""Whether a strategy's definitions can run on Spark, found out before anything runs.

Every record-based indicator becomes an Ibis expression: its monthly aggregate and, for each
breakdown, a grouped aggregate. Compiling those expressions to Spark SQL needs no Spark session,
only the PySpark compiler, so ``strategy check`` compiles every one of them against the store's
table schemas and names each indicator whose filter, measure or breakdown Spark cannot compute,
with the reason. Compiling is a necessary check, not a proof: the parity tests are what hold the
figures equal to DuckDB's, for every feature of the strategy language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import ibis
import ibis.expr.types as ir
from ibis.common.exceptions import IbisError

from crimeprev.indicators.query import Metric, breakdown_expr, monthly_expr
from crimeprev.model.schema import TABLES_BY_NAME
from crimeprev.model.strategy import Strategy
from crimeprev.store.layout import arrow_schema

Compile = Callable[[ir.Table], str]
SOME_MONTHS = (date(2023, 4, 1), date(2024, 3, 1))  # any window: the expressions' shape does not depend on it


def spark_compiler() -> Compile | None:
    """Compile an expression to Spark SQL; ``None`` when pyspark (the ``[spark]`` extra) is not installed."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark on pandas 3, as in store/spark.py
            _ = ibis.pyspark  # registers the PySpark backend's compiler options
    except ImportError:
        return None
    return lambda expr: str(ibis.to_sql(expr, dialect="pyspark"))


def engine_problems(strategy: Strategy, compile_expr: Compile) -> list[str]:
    """One line per indicator expression ``compile_expr`` refuses: ``strand/indicator (part): reason``."""
    tables = {
        name: ibis.table(ibis.Schema.from_pyarrow(arrow_schema(TABLES_BY_NAME[name])), name=name)
        for name in ("offences", "incidents")
    }
    first, last = SOME_MONTHS
    problems: list[str] = []
    for strand in strategy.strands():
        for indicator in strand.indicators:
            if indicator.source not in tables:
                continue  # supplied measures are read as they are; combined ones add up their parts
            table = tables[indicator.source]
            metric = Metric(indicator.filter, indicator.measure)
            expressions: list[tuple[str, Callable[[], ir.Table]]] = [
                ("monthly figures", partial(monthly_expr, table, strategy.force, first, last, {"x": metric}, set()))
            ]
            for dimension in indicator.breakdowns:
                build = partial(breakdown_expr, table, strategy.force, first, last, metric, dimension)
                expressions.append((f"breakdown by {dimension}", build))
            for part, expression in expressions:
                try:
                    compile_expr(expression())
                except (IbisError, NotImplementedError) as e:  # the compiler's refusal is the answer sought
                    problems.append(f"{strand.id}/{indicator.id} ({part}): {type(e).__name__}: {e}")
    return problems
