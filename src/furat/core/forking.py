"""A function mapped over items on forked processes that inherit the caller's state instead of receiving it pickled.

The caller passes what the workers need as ``state``; a worker function reads it with ``inherited()``.
With fewer than two workers or items, or inside one of its workers already (or any daemonic process, which
may not start processes), the items are mapped in this process, with the same state. Any other child
process (``furat bench`` runs each stage in one) maps on workers of its own.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["collector_for_a_pass", "fork_map", "inherited"]

T = TypeVar("T")
R = TypeVar("R")

YOUNG = 20_000  # allocations between two collections of young objects during a pass (Python's default: 700)

_STATE: dict[str, Any] = {}  # what forked workers read instead of receiving it pickled
_IN_WORKER = False  # set in fork_map's workers: a worker maps in its own process


def inherited() -> dict[str, Any]:
    """The state ``fork_map`` was given, in a worker (or in this process when it maps here)."""
    return _STATE


def _enter_worker() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def fork_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    meanwhile: Callable[[], None] | None = None,
    **state: Any,
) -> Iterator[R]:
    """``fn`` of each item, in order, on ``workers`` forked processes; ``state`` is theirs to read
    (``inherited``) until the results are all given. ``meanwhile`` is work of this process, done while
    the workers run, before the first result is given (when the items are mapped here: before the first)."""
    outer = dict(_STATE)  # a map inside a map (in one process) gives the outer one its state back
    _STATE.update(state)
    try:
        if workers < 2 or len(items) < 2 or _IN_WORKER or multiprocessing.current_process().daemon:
            if meanwhile is not None:
                meanwhile()
            for item in items:
                yield fn(item)
        else:
            with ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork"), initializer=_enter_worker
            ) as pool:
                results = pool.map(fn, items)  # every item is handed out now, and the workers started
                if meanwhile is not None:
                    meanwhile()
                yield from results
    finally:
        _STATE.clear()
        _STATE.update(outer)


@contextmanager
def collector_for_a_pass() -> Iterator[None]:
    """Python's cyclic garbage collector set for a pass over many files, and reset after it.

    What is alive before the pass (modules, schemas, the work to hand out) is frozen: full collections
    never walk it again, and forked workers, which inherit the setting, do not write to its pages. Young
    objects are collected every ``YOUNG`` allocations instead of 700: a file's objects (its parsed JSON,
    and what is made of it) are then mostly freed by reference counting before a collection walks them.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
