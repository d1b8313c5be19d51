"""Work spread over threads: same results, same order, same errors as a plain loop."""

from __future__ import annotations

import threading
import time

import pytest

from dossier.parallel import map_in_threads


def test_results_keep_the_order_of_the_items(monkeypatch):
    """This test ensures that results come back in input order even when later items finish first."""
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    names: set[str] = set()

    def slow_for_small(n: int) -> int:
        names.add(threading.current_thread().name)
        time.sleep(0.02 * (5 - n))
        return n * n

    assert map_in_threads(slow_for_small, range(5)) == [0, 1, 4, 9, 16]
    assert len(names) > 1, "the work did not run in several threads"


def test_one_core_runs_in_the_calling_thread(monkeypatch):
    """This test ensures that with one core no thread is started."""
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    names = map_in_threads(lambda _: threading.current_thread().name, range(3))
    assert names == [threading.current_thread().name] * 3


def test_an_error_reaches_the_caller(monkeypatch):
    """This test ensures that an exception in a worker is raised by map_in_threads."""
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    def fail_on_two(n: int) -> int:
        if n == 2:
            raise OSError(f"item {n}")
        return n

    with pytest.raises(OSError, match="item 2"):
        map_in_threads(fail_on_two, range(4))
