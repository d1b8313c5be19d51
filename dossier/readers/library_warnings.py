"""What third-party parsers warn about, kept for the exhibit instead of printed."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


@contextlib.contextmanager
def library_warnings(sink: list[str], *loggers: str) -> Iterator[None]:
    """Collect what third-party parsers warn about instead of printing it.

    pypdf and Pillow report recoverable damage through ``logging`` and
    ``warnings``; the user should see it as a warning on the exhibit, not as
    stray lines on the terminal.
    """
    handler = _ListHandler(sink)
    targets = [logging.getLogger(name) for name in loggers]
    saved = [(log.propagate, log.level) for log in targets]
    for log in targets:
        log.addHandler(handler)
        log.propagate = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for log, (propagate, _level) in zip(targets, saved, strict=True):
                log.removeHandler(handler)
                log.propagate = propagate
            sink.extend(str(w.message) for w in caught)
