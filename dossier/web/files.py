"""Files of the case folder as the page reaches them: safe paths and uploads.

Nothing outside the folder can be named: a path from the page is checked
part by part, and what it resolves to (symbolic links followed) must still
be inside the folder. An upload is written beside its final place under a
hidden name while it arrives, so a half-received file is never evidence, and
it never replaces a file: a same-named file gets a new name, and a file
already in the folder (same SHA-256) is not copied again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

from dossier.discover import CASE_FILE_NAME, find_files

# Larger files are refused while they arrive: no evidence file of a consumer
# dispute needs more, and a full disk would stop every other program.
MAX_UPLOAD = 200 * 1000 * 1000
_UPLOAD_PREFIX = ".dossier-upload-"
_NAME_LIMIT = 120


class OutsideFolderError(ValueError):
    """A path from the page names something outside the case folder (or nothing)."""


class UploadTooLargeError(ValueError):
    """An upload went over the size limit; nothing was kept."""


def safe_path(folder: Path, relpath: str) -> Path:
    """The file ``relpath`` (relative, with /) inside ``folder``, symbolic links resolved.

    Raises:
        OutsideFolderError: the path is absolute, climbs out (``..``), is hidden,
            or resolves outside the folder.
    """
    root = folder.resolve()
    parts = relpath.split("/")
    if (
        not relpath
        or "\\" in relpath
        or "\0" in relpath
        or relpath.startswith("/")
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise OutsideFolderError(relpath)
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root) or target == root:
        raise OutsideFolderError(relpath)
    return target


def clean_name(name: str) -> str:
    """A file name for an upload: its last part, printable, not hidden, not one of ours."""
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if not name:
        name = "file"
    if len(name) > _NAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        name = (
            stem[: _NAME_LIMIT - len(suffix) - 1] + dot + suffix
            if dot and len(suffix) < 10
            else name[:_NAME_LIMIT]
        )
    if name.lower() in (CASE_FILE_NAME, "dossier.pdf", "dossier.manifest.json"):
        # The build would read it as the case file, or write its dossier over
        # it (the default output): keep it as evidence under another name.
        name = f"evidence-{name}"
    return name


@dataclasses.dataclass(frozen=True, slots=True)
class SavedUpload:
    """Where an upload ended up."""

    relpath: str
    # False: the same content was already in the folder, under ``relpath``.
    added: bool
    renamed: bool = False


async def save_upload(
    folder: Path,
    name: str,
    chunks: AsyncIterator[bytes],
    limit: int = MAX_UPLOAD,
    mtime: float | None = None,
) -> SavedUpload:
    """Write an upload into ``folder`` as it arrives, without replacing any file.

    Args:
        folder: the case folder.
        name: the name the browser gave (cleaned here).
        chunks: the body, piece by piece.
        limit: bytes accepted at most.
        mtime: the file's modification time on the user's computer, kept on the copy.

    Raises:
        UploadTooLargeError: more than ``limit`` bytes arrived.
    """
    root = folder.resolve()
    wanted = clean_name(name)
    digest = hashlib.sha256()
    descriptor, temporary = _temporary(root)
    size = 0
    try:
        with os.fdopen(descriptor, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadTooLargeError(wanted)
                digest.update(chunk)
                out.write(chunk)
        existing = same_content(root, digest.hexdigest(), size)
        if existing is not None:
            return SavedUpload(existing, added=False)
        if mtime is not None:
            os.utime(temporary, (mtime, mtime))
        target = _link_unique(temporary, root, wanted)
        return SavedUpload(target.name, added=True, renamed=target.name != wanted)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _temporary(root: Path) -> tuple[int, Path]:
    while True:
        path = root / f"{_UPLOAD_PREFIX}{os.urandom(6).hex()}"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), path
        except FileExistsError:
            continue


def _link_unique(temporary: Path, root: Path, name: str) -> Path:
    """Give the file its name, or ``name (2).ext``, ... when taken: a link never replaces."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, dot, suffix = name, "", ""
    number = 1
    while True:
        candidate = name if number == 1 else f"{stem} ({number}){dot}{suffix}"
        target = root / candidate
        try:
            os.link(temporary, target)
            return target
        except FileExistsError:
            number += 1


# The SHA-256 of each file, kept while its size and modification time stay the same.
_digests: dict[tuple[str, int, int], str] = {}


def same_content(root: Path, sha256: str, size: int) -> str | None:
    """The path (relative) of a file of the folder with this content, if any."""
    for path in find_files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_size != size:
            continue
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in _digests:
            _digests[key] = file_sha256(path)
        if _digests[key] == sha256:
            return path.relative_to(root).as_posix()
    return None


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# Files the user leaves out of the dossier are moved here, never deleted: the
# build skips hidden folders, and the page can put them back.
LEFT_OUT = ".left-out"


def left_out(folder: Path) -> list[str]:
    """The files left out of the dossier, by the path they had in the folder."""
    root = folder.resolve() / LEFT_OUT
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file()
        and not path.is_symlink()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def leave_out(folder: Path, relpath: str) -> None:
    """Move an evidence file into ``.left-out/``, at the same relative path.

    Raises:
        OutsideFolderError: the path is not a file of the folder.
    """
    source = safe_path(folder, relpath)
    if not source.is_file():
        raise OutsideFolderError(relpath)
    target = _free_place(folder.resolve() / LEFT_OUT, relpath)
    target.parent.mkdir(parents=True, exist_ok=True)
    source.rename(target)


def put_back(folder: Path, relpath: str) -> str:
    """Move a left-out file back to its place (or beside it, when that name is taken).

    Returns:
        The path it has again in the folder.

    Raises:
        OutsideFolderError: no such left-out file.
    """
    if relpath not in left_out(folder):
        raise OutsideFolderError(relpath)
    root = folder.resolve()
    source = root / LEFT_OUT / relpath
    target = _free_place(root, relpath)
    target.parent.mkdir(parents=True, exist_ok=True)
    source.rename(target)
    return target.relative_to(root).as_posix()


def _free_place(root: Path, relpath: str) -> Path:
    """``root/relpath``, or ``name (2).ext`` beside it when taken: a move never replaces."""
    wanted = root / relpath
    stem, suffix = wanted.stem, wanted.suffix
    number = 1
    candidate = wanted
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = wanted.with_name(f"{stem} ({number}){suffix}")
    return candidate
