"""Find the files of a case folder."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from dossier.model import FileState, SourceFile

CASE_FILE_NAME = "case.toml"

# Files the operating system leaves behind; never evidence.
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})


def is_own_output(name: str) -> bool:
    """Whether a file name is one that ``dossier build`` writes."""
    lower = name.lower()
    if lower.endswith(".manifest.json"):
        return True
    return lower.endswith(".pdf") and (lower == "dossier.pdf" or lower.startswith("dossier-"))


# ``dossier preview`` leaves this empty file in the folders it fills with page
# pictures, so that they are never taken as evidence, whatever their name.
PREVIEW_MARKER = ".dossier-preview"


def is_own_output_folder(folder: Path) -> bool:
    """Whether a folder holds the page pictures of ``dossier preview``."""
    return (folder / PREVIEW_MARKER).is_file()


def find_files(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """List the candidate evidence files below ``folder``, in a stable order.

    Hidden files and folders (name starting with a dot), the case file, the
    tool's own outputs and operating-system litter are skipped. Symbolic links
    are followed only when they point inside the folder, so a link cannot
    pull in a file from elsewhere or loop forever.
    """
    root = folder.resolve()
    excluded = {p.resolve() for p in exclude}
    found = [
        path
        for path in _walk(root, root)
        if path.resolve() not in excluded
        and not (path.parent == root and path.name == CASE_FILE_NAME)
        and not is_own_output(path.name)
        and path.name.lower() not in _SYSTEM_FILES
    ]
    return sorted(found, key=lambda p: relative_key(p, root))


def _walk(directory: Path, root: Path) -> Iterator[Path]:
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not entry.resolve().is_relative_to(root):
            continue
        if entry.is_dir():
            if entry.is_symlink():
                continue  # a linked folder could loop back on itself
            if is_own_output_folder(entry):
                continue  # page pictures of a dossier are not evidence
            yield from _walk(entry, root)
        elif entry.is_file():
            yield entry


def relative_key(path: Path, root: Path) -> str:
    """The path relative to the case folder, with forward slashes."""
    return path.relative_to(root).as_posix()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks so a large video never fills memory.

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_state(path: Path) -> FileState:
    """Size, times and identity of a file, to tell later whether it was written.

    Raises:
        OSError: the file cannot be read.
    """
    seen_ns = time.time_ns()
    stat = path.stat()
    return FileState(
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        ctime_ns=stat.st_ctime_ns,
        inode=stat.st_ino,
        device=stat.st_dev,
        seen_ns=seen_ns,
    )


def fingerprint(path: Path, root: Path) -> SourceFile:
    """Stat and hash one file.

    It is stat'ed first: a write while it is being hashed changes its state,
    so the final re-check (``is_unchanged``) hashes it again.

    Raises:
        OSError: the file cannot be read.
    """
    state = file_state(path)
    return SourceFile(
        path=path,
        relpath=relative_key(path, root),
        size=state.size,
        sha256=file_sha256(path),
        mtime=state.mtime_ns / 1e9,
        state=state,
    )


def is_unchanged(source: SourceFile) -> bool:
    """Whether the file still holds what was hashed.

    Files not written since they were hashed are not read again; the others
    (and those written just before hashing) are hashed again, so a file only
    touched, or saved with the same content, still counts as unchanged.

    Raises:
        OSError: the file cannot be read any more.
    """
    if source.state is not None and source.state.unchanged_in(file_state(source.path)):
        return True
    return file_sha256(source.path) == source.sha256
