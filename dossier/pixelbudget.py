"""One budget of decoded pixels for the whole process, whatever runs in threads.

Pictures are decoded in threads by several stages: the near-duplicate
check, OCR, the preparation of pages. Each alone is bounded, but a folder of
tiny files that decode to 100-megapixel pictures (a 36-byte WebP can) would
multiply their memory by the number of threads, and by the stages running
side by side. Every decoding takes its pixels from this budget first: once
it is spent, the next decoding waits until one finishes. A picture larger
than the whole budget waits until it can run alone. Peak memory then stays
near ``PIXELS_AT_ONCE`` times four bytes, plus one picture, on any machine.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

# About 200 MB of decoded pixels (Pillow keeps 4 bytes a pixel for RGBA).
PIXELS_AT_ONCE = 48_000_000


class PixelBudget:
    """Pixels that decodings running at the same time may hold between them."""

    def __init__(self, pixels: int = PIXELS_AT_ONCE) -> None:
        self.total = pixels
        self._free = pixels
        self._changed = threading.Condition()
        # The most pixels held at once, for tests and measurements.
        self.peak = 0

    @contextlib.contextmanager
    def holding(self, pixels: int) -> Iterator[None]:
        """Hold ``pixels`` of the budget while the block runs (all of it for a bigger picture)."""
        needed = min(max(0, pixels), self.total)
        with self._changed:
            self._changed.wait_for(lambda: self._free >= needed)
            self._free -= needed
            self.peak = max(self.peak, self.total - self._free)
        try:
            yield
        finally:
            with self._changed:
                self._free += needed
                self._changed.notify_all()


# The process's budget: every stage that decodes pictures in threads uses it.
BUDGET = PixelBudget()
