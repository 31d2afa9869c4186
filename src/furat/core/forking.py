"""A function mapped over items on forked processes that inherit the caller's state instead of receiving it pickled.

The caller passes what the workers need as ``state``; a worker function reads it with ``inherited()``.
With fewer than two workers or items, or inside a worker already (a pool's worker cannot start its own),
the items are mapped in this process, with the same state.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["fork_map", "inherited"]

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}  # what forked workers read instead of receiving it pickled


def inherited() -> dict[str, Any]:
    """The state ``fork_map`` was given, in a worker (or in this process when it maps here)."""
    return _STATE


def fork_map(fn: Callable[[T], R], items: Sequence[T], workers: int, **state: Any) -> Iterator[R]:
    """``fn`` of each item, in order, on ``workers`` forked processes; ``state`` is theirs to read
    (``inherited``) until the results are all given."""
    _STATE.update(state)
    try:
        if workers < 2 or len(items) < 2 or multiprocessing.parent_process() is not None:
            for item in items:
                yield fn(item)
        else:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                yield from pool.map(fn, items)
    finally:
        _STATE.clear()
