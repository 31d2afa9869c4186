"""``fork_map``: on worker processes of its own wherever a process may start them, in order, with its state."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

import pytest

from furat.core.forking import fork_map, inherited


def _pid_and_offset(item: int) -> tuple[int, int]:
    return os.getpid(), item + inherited()["offset"]


def _pids_of_a_map(_: int) -> set[int]:
    return {pid for pid, _value in fork_map(_pid_and_offset, range(8), 2, offset=0)}


def _in_child(queue: Any) -> None:
    results = list(fork_map(_pid_and_offset, range(8), 2, offset=10))
    queue.put((os.getpid(), results))


def test_a_map_runs_on_workers_in_order_with_its_state() -> None:
    results = list(fork_map(_pid_and_offset, range(8), 2, offset=100))
    assert [value for _pid, value in results] == list(range(100, 108))
    assert os.getpid() not in {pid for pid, _value in results}
    assert inherited() == {}  # the state is the workers' only until the results are given


def test_a_child_process_maps_on_workers_of_its_own() -> None:
    """``furat bench`` runs each stage in a child process: its validation must still use every core."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_in_child, args=(queue,))
    child.start()
    child_pid, results = queue.get(timeout=120)
    child.join()
    assert [value for _pid, value in results] == list(range(10, 18))
    assert child_pid not in {pid for pid, _value in results}


def test_a_map_inside_a_worker_runs_in_that_worker() -> None:
    inner_pids = list(fork_map(_pids_of_a_map, range(2), 2))
    assert all(len(pids) == 1 for pids in inner_pids)  # a worker never starts workers of its own
    assert os.getpid() not in set.union(*inner_pids)


def test_a_map_in_this_process_gives_the_outer_map_its_state_back() -> None:
    def outer(item: int) -> tuple[int, int]:
        inner = list(fork_map(_pid_and_offset, range(2), 1, offset=1000))
        return inner[-1][1], item + inherited()["offset"]

    assert list(fork_map(outer, range(3), 1, offset=5)) == [(1001, 5), (1001, 6), (1001, 7)]


@pytest.mark.parametrize("workers", [1, 2])
def test_meanwhile_runs_once_in_this_process_while_the_workers_run(workers: int) -> None:
    calls: list[int] = []
    results = fork_map(_pid_and_offset, range(4), workers, lambda: calls.append(os.getpid()), offset=0)
    assert not calls  # nothing runs before the results are asked for
    assert [value for _pid, value in results] == [0, 1, 2, 3]
    assert calls == [os.getpid()]
