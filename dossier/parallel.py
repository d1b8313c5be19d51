"""Work done side by side on several cores.

Hashing a file and decoding a JPEG run in C without holding the interpreter
lock, so plain threads use every core for them, with none of the start-up
cost or pickling of worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# More threads than this only queue up behind the disk.
_MAX_THREADS = 8


def map_in_threads(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``[function(item) for item in items]``, computed by one thread per core.

    Results keep the order of ``items``; the first exception raised by
    ``function`` is raised here. ``function`` must be safe to run in
    threads: it may not change shared state (such as the warnings filters).
    """
    todo = list(items)
    threads = min(thread_count(), len(todo))
    if threads <= 1:
        return [function(item) for item in todo]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(function, todo))


def thread_count() -> int:
    """How many threads to run such work in: one per core."""
    return min(_MAX_THREADS, os.cpu_count() or 1)
