"""A build started from the page: it runs in the background and reports its progress.

One build at a time per folder; the page asks for the state while it runs and
stays usable. When it is done, the pages are rendered as pictures (as
``dossier preview`` does) into the cache, outside the case folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from pathlib import Path
from typing import Any

from dossier import api
from dossier.errors import DossierError, error_lines, error_message
from dossier.i18n import said_in
from dossier.i18n.steps import step_text
from dossier.model import BuildOptions, BuildResult
from dossier.pdf.preview import render_pages


@dataclasses.dataclass(frozen=True, slots=True)
class BuildState:
    """What the page shows of the current or last build."""

    # idle, running, done or failed
    status: str = "idle"
    step: str = ""
    done: int = 0
    total: int = 0
    # What stopped the build: said in the page's language when the page asks.
    failure: Exception | None = None
    result: BuildResult | None = None
    pages: tuple[Path, ...] = ()
    finished_at: float = 0.0

    def as_json(self, language: str = "en") -> dict[str, Any]:
        """The state as the page's script reads it, its error in ``language``."""
        result = self.result
        return {
            "status": self.status,
            "step": step_text(self.step, language),
            "done": self.done,
            "total": self.total,
            "error": _failure_lines(self.failure, language),
            "pages": len(self.pages),
            "page_count": result.page_count if result else 0,
            "size": result.size if result else 0,
            "notes": [said_in(note, language) for note in result.notes] if result else [],
            "manifest": bool(result and result.manifest),
            "finished_at": self.finished_at,
        }


def _failure_lines(failure: Exception | None, language: str) -> list[str]:
    """What the page says of what stopped the build: the message itself, or an internal error."""
    if failure is None:
        return []
    if isinstance(failure, DossierError):
        return error_lines(failure, language)
    return error_message(failure, language)


class Builder:
    """Runs ``api.build`` for one folder in a thread.

    Args:
        folder: the case folder; the PDF is written where ``dossier build`` writes it.
        cache: where the page pictures go.
        use_cache: keep what is read from each file for the next build (``--no-cache``: off).
    """

    def __init__(self, folder: Path, cache: Path, use_cache: bool = True) -> None:
        self.folder = folder
        self.use_cache = use_cache
        key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
        self.pages_folder = cache / "pages" / key
        self._lock = threading.Lock()
        self._state = BuildState()
        self._thread: threading.Thread | None = None
        self._built_from = ""
        self._pdfa = False
        self._output_mtime = 0

    @property
    def state(self) -> BuildState:
        """The current state (a frozen value)."""
        with self._lock:
            return self._state

    def start(self, signature: str = "", pdfa: bool = False) -> bool:
        """Start a build; False when one is running, or when the folder is as last built.

        Args:
            signature: what the folder looks like now (``Site.signature``); when
                it is that of the last good build and its PDF is still there,
                that build is kept instead of made again.
            pdfa: write PDF/A-2b (``dossier build --pdfa``).
        """
        if signature:
            signature = f"{signature}\0pdfa={pdfa}"
        with self._lock:
            if self._state.status == "running":
                return False
            last = self._state.result
            if (
                signature
                and self._state.status == "done"
                and self._built_from == signature
                and last is not None
                and last.output.is_file()
                and last.output.stat().st_mtime_ns == self._output_mtime
            ):
                return False
            self._built_from = signature
            self._pdfa = pdfa
            self._state = BuildState(status="running")
            self._thread = threading.Thread(target=self._run, name="dossier-build", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> BuildState:
        """Wait for the running build (tests; the page asks instead)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.state

    def _progress(self, what: str, done: int, total: int) -> None:
        with self._lock:
            self._state = dataclasses.replace(self._state, step=what, done=done, total=total)

    def _run(self) -> None:
        try:
            options = BuildOptions(
                folder=self.folder, skip_unreadable=True, cache=self.use_cache, pdfa=self._pdfa
            )
            result = api.build(options, self._progress)
            self._progress("Drawing the pages", 0, result.page_count)
            pages = render_pages(result.output, self.pages_folder, dpi=72)
        except Exception as error:  # the page must say it, not hang
            self._finish(BuildState(status="failed", failure=error))
        else:
            self._output_mtime = result.output.stat().st_mtime_ns
            self._finish(BuildState(status="done", result=result, pages=tuple(pages)))

    def _finish(self, state: BuildState) -> None:
        with self._lock:
            self._state = dataclasses.replace(state, finished_at=time.time())
