"""Progress of a build, as a person at a terminal wants to see it.

On a terminal, a bar with the current file appears once the work has taken
more than a moment (a quick build shows no flicker). With ``-v`` each step is
a line of its own. When the output goes to a file or another program, or with
``-q``, nothing is shown.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

from dossier.i18n.steps import step_text
from dossier.printable import printable, say

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# How much a command prints: -q, the default, -v.
QUIET, NORMAL, VERBOSE = -1, 0, 1

# Seconds of work before the bar appears.
SHOW_AFTER = 0.5


class ProgressReport:
    """A ``progress(what, done, total)`` callback for ``api.build``; use it as a context.

    Args:
        verbosity: QUIET, NORMAL or VERBOSE.
        terminal: whether a person is watching a terminal.
        show_after: seconds of work before the bar appears.
    """

    def __init__(self, verbosity: int, terminal: bool, show_after: float = SHOW_AFTER) -> None:
        self.verbosity = verbosity
        self.terminal = terminal
        self.show_after = show_after
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressReport:
        self._started = time.monotonic()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __call__(self, what: str, done: int, total: int) -> None:
        """Show one step: ``what`` is being done, ``done`` of ``total`` are finished."""
        what = step_text(what)
        if self.verbosity >= VERBOSE:
            say(f"[{done + 1 if done < total else done}/{total}] {what}", err=True)
            return
        if self.verbosity <= QUIET or not self.terminal:
            return
        if self._bar is None:
            if time.monotonic() - self._started < self.show_after:
                return
            # Loaded only when a bar is shown: rich takes a tenth of a second to import.
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("{task.description}", style="bold"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task(_shown(what), total=total)
            self._bar.start()
        if self._task is not None:
            self._bar.update(self._task, description=_shown(what), completed=done, total=total)


def _shown(what: str) -> str:
    """A step's description for the bar: printable, and not read as rich markup."""
    from rich.markup import escape

    return escape(printable(what))
