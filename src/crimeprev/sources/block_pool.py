"""Working on independent blocks of a file in parallel, results in file order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_order(work: Callable[[T], R], items: Iterable[T], *, workers: int = 2) -> Iterator[R]:
    """``map(work, items)`` on ``workers`` threads, at most ``workers + 1`` items in flight.

    Arrow's CSV parser and compute kernels release the GIL, so threads parse blocks truly in
    parallel; bounding the items in flight bounds the memory.
    """
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crimeprev-block") as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(work, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
