"""Rebuild the dossier whenever files are added to, changed in or removed from the folder.

For people who collect evidence by dragging files into a folder: the dossier
follows. Changes are gathered until the folder has been quiet for a moment
(copying a large photo makes many events), then one build runs. A file that
cannot be read is reported and the folder is still watched; the previous PDF
stays in place until a build succeeds.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from dossier import api
from dossier.discover import is_preview_picture, own_output_reason
from dossier.errors import DossierError
from dossier.model import BuildOptions, BuildResult

# Seconds the folder must be quiet before a rebuild.
DEFAULT_DELAY = 1.0


@dataclasses.dataclass(frozen=True, slots=True)
class Rebuild:
    """One build made while watching: its result, or the error that stopped it."""

    # Paths (relative to the folder) whose change caused it; empty for the first build.
    changed: tuple[str, ...]
    result: BuildResult | None = None
    # What stopped it: a problem the user can fix, or a bug (the watch goes on either way).
    error: Exception | None = None


class _Changes(FileSystemEventHandler):
    """Collects the relevant paths that changed, and when the last change was."""

    def __init__(self, folder: Path, output: Path) -> None:
        self.folder = folder
        self.output = output
        self.lock = threading.Lock()
        self.paths: set[str] = set()
        self.last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        if event.is_directory and event.event_type == "modified":
            return  # the file inside has its own event
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            relpath = self.relevant(raw if isinstance(raw, str) else raw.decode())
            if relpath is not None:
                with self.lock:
                    self.paths.add(relpath)
                    self.last = time.monotonic()

    def relevant(self, raw: str) -> str | None:
        """The path relative to the folder, or None for a change the build does not see."""
        if not raw:
            return None
        path = Path(raw)
        if path == self.output:
            return None
        try:
            parts = path.relative_to(self.folder).parts
        except ValueError:
            return None
        if not parts or any(part.startswith(".") for part in parts):
            return None  # hidden files, editors' and our own temporary files
        if path.is_file() and own_output_reason(path, self.folder) is not None:
            return None  # a dossier written here (this one's manifest, a volume)
        if is_preview_picture(path):
            return None  # a page picture of dossier preview
        return "/".join(parts)

    def take(self, delay: float) -> tuple[str, ...] | None:
        """The changed paths once the folder has been quiet for ``delay`` seconds."""
        with self.lock:
            if not self.paths or time.monotonic() - self.last < delay:
                return None
            paths, self.paths = tuple(sorted(self.paths)), set()
            return paths


def watch_folder(
    options: BuildOptions,
    report: Callable[[Rebuild], None],
    stop: threading.Event,
    delay: float = DEFAULT_DELAY,
    progress: api.Progress | None = None,
    catch_all: bool = True,
) -> None:
    """Build once, then again after each change, until ``stop`` is set.

    Args:
        options: what to build, as for ``api.build``.
        report: told about every build, successful or not.
        stop: set it (from another thread, or a signal handler) to stop watching.
        delay: seconds the folder must be quiet before a rebuild.
        progress: passed on to ``api.build``.
        catch_all: report unexpected errors too, instead of stopping (off for ``--debug``).

    Raises:
        InputFolderError: the folder does not exist.
    """
    folder = options.folder.resolve()
    if not folder.is_dir():
        api.plan(options)  # raises the usual "no such folder" error
    changes = _Changes(folder, options.output_path.resolve())
    observer = Observer()
    observer.schedule(changes, str(folder), recursive=True)
    observer.start()
    try:
        report(_build(options, (), progress, catch_all))
        while not stop.wait(0.1):
            changed = changes.take(delay)
            if changed:
                report(_build(options, changed, progress, catch_all))
    finally:
        observer.stop()
        observer.join()


def _build(
    options: BuildOptions,
    changed: tuple[str, ...],
    progress: api.Progress | None,
    catch_all: bool,
) -> Rebuild:
    try:
        return Rebuild(changed, result=api.build(options, progress))
    except DossierError as error:
        return Rebuild(changed, error=error)
    except Exception as error:
        if not catch_all:
            raise
        # A bug must not end the watch: the next change may build fine.
        return Rebuild(changed, error=error)
