"""Find the files of a case folder, and say which ones are left out and why."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import logging
import re
import time
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from dossier.i18n import M_, Message
from dossier.model import FileState, Skipped, SourceFile
from dossier.printable import printable

CASE_FILE_NAME = "case.toml"
# What makes a file one of the tool's own outputs: a manifest of this schema,
# on its own or embedded in a PDF under this name.
MANIFEST_SCHEMA = "dossier-manifest"
MANIFEST_ATTACHMENT = "dossier.manifest.json"
# A manifest is a few kilobytes a file; anything larger is not one.
_MAX_MANIFEST_BYTES = 64 << 20

# Files the operating system leaves behind; never evidence.
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})


def own_output_reason(path: Path, root: Path) -> str | None:
    """Why ``path`` is an output of a build of the folder ``root``, or None when it is not one.

    Told by content, never by name: a dossier PDF holds its manifest, a
    manifest is JSON of the manifest's schema, and the manifest lists files
    of this folder. Evidence called ``Dossier-remboursement.pdf`` is
    evidence; a dossier of this folder written as ``claim.pdf`` is not; a
    dossier of another case, copied in as what was sent then, is evidence.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return None  # the reader reports it
    if b"%PDF-" in head:
        if _holds_manifest(path, root):
            return M_("a dossier made from this folder by dossier build (it holds its manifest)")
        if _has_manifest_beside(path, root):
            return M_(
                "a PDF/A dossier made from this folder by dossier build (its manifest is beside it)"
            )
        return None
    if head.lstrip().startswith(b"{") and _is_manifest(path, root):
        return M_("the manifest of a dossier made from this folder")
    return None


def _is_manifest(path: Path, root: Path) -> bool:
    try:
        if path.stat().st_size > _MAX_MANIFEST_BYTES:
            return False
        return _manifest_of(path.read_bytes(), root)
    except OSError:
        return False


def _manifest_of(data: bytes, root: Path) -> bool:
    """Whether ``data`` is a manifest that lists a file of the folder ``root``."""
    try:
        parsed = json.loads(data)
    except ValueError:
        return False
    if not isinstance(parsed, dict) or parsed.get("schema") != MANIFEST_SCHEMA:
        return False
    files = parsed.get("files")
    listed = (
        [entry.get("path") for entry in files if isinstance(entry, dict)]
        if isinstance(files, list)
        else []
    )
    return any(_is_file_of(name, root) for name in listed if isinstance(name, str))


def _is_file_of(name: str, root: Path) -> bool:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        return False
    try:
        return (root / relative).is_file()
    except (OSError, ValueError):
        return False


def _holds_manifest(path: Path, root: Path) -> bool:
    if not _may_hold_attachments(path):
        return False
    # pypdf loads only for PDFs; it logs and warns about damage the PDF reader reports later.
    from pypdf import PdfReader

    with warnings.catch_warnings(), _quiet_pypdf():
        warnings.simplefilter("ignore")
        try:
            attachments = PdfReader(path).attachments
            if MANIFEST_ATTACHMENT not in attachments:
                return False
            return any(_manifest_of(data, root) for data in attachments[MANIFEST_ATTACHMENT])
        except Exception:  # a damaged PDF is not a dossier; its reader says why
            return False


def manifests_beside(pdf: Path) -> list[Path]:
    """Where the manifest of a PDF/A dossier (which holds none) can be: beside it, by name.

    ``NAME.manifest.json`` for ``NAME.pdf``, and also for the volume ``NAME-2.pdf``.
    """
    candidates = [pdf.with_name(f"{pdf.stem}.manifest.json")]
    volume = re.fullmatch(r"(.+)-\d+", pdf.stem)
    if volume is not None:
        candidates.append(pdf.with_name(f"{volume.group(1)}.manifest.json"))
    return candidates


def document_ids(manifest: object) -> set[str]:
    """The /ID (hex) of each PDF a parsed manifest was written for: the dossier or its volumes."""
    build = manifest.get("build") if isinstance(manifest, dict) else None
    if not isinstance(build, dict):
        return set()
    volumes = build.get("volume_document_ids")
    ids = [build.get("document_id"), *(volumes if isinstance(volumes, list) else [])]
    return {value for value in ids if isinstance(value, str)}


def document_id(pdf: Path) -> str | None:
    """The PDF's /ID (its first part, in hex), as a manifest records it; None when it has none.

    Raises:
        Exception: whatever pypdf raises on a file it cannot read.
    """
    from pypdf import PdfReader

    with warnings.catch_warnings(), _quiet_pypdf():
        warnings.simplefilter("ignore")
        identity = PdfReader(pdf, strict=False).trailer.get("/ID")
    first = identity[0].get_object() if identity else None
    return bytes(first.original_bytes).hex() if first is not None else None


def _has_manifest_beside(path: Path, root: Path) -> bool:
    """Whether a manifest beside the PDF lists files of this folder and names the PDF's /ID."""
    for candidate in manifests_beside(path):
        try:
            if not candidate.is_file() or candidate.stat().st_size > _MAX_MANIFEST_BYTES:
                continue
            data = candidate.read_bytes()
            # Only a PDF with a manifest beside it is opened (pypdf loads slowly: dossier list).
            found = document_id(path)
            if found in document_ids(json.loads(data)) and _manifest_of(data, root):
                return True
        except Exception:  # a damaged PDF or manifest is not a dossier's
            continue
    return False


def _may_hold_attachments(path: Path) -> bool:
    """Whether the PDF names embedded files, or has objects in compressed streams that may.

    A scan of the bytes, much quicker than loading pypdf and parsing the PDF
    (``dossier list`` of an invoice): names are never encrypted, and a PDF
    with neither token holds no attached file, hence no manifest.
    """
    import mmap

    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
        ):
            return data.find(b"/EmbeddedFiles") >= 0 or data.find(b"/ObjStm") >= 0
    except (OSError, ValueError):  # cannot be mapped (empty, a pipe): let pypdf say
        return True


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


# ``dossier preview`` leaves this file in the folders it fills with page
# pictures, with the name of each picture it wrote, one a line: those (and
# only those) are never taken as evidence.
PREVIEW_MARKER = ".dossier-preview"
PAGE_PICTURE = re.compile(r"^page-\d+\.png$")


def preview_pictures(folder: Path) -> frozenset[str] | None:
    """The page pictures ``dossier preview`` wrote in ``folder``; None when it wrote none there.

    An empty marker was left by an earlier version, which did not list them:
    its pictures are those named like one.
    """
    marker = folder / PREVIEW_MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        names = marker.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        names = []
    return frozenset(name for name in names if PAGE_PICTURE.match(name))


def is_preview_picture(path: Path) -> bool:
    """Whether ``dossier preview`` wrote ``path`` (its folder's marker lists it)."""
    pictures = preview_pictures(path.parent)
    if pictures is None:
        return False
    try:
        legacy = not pictures and (path.parent / PREVIEW_MARKER).stat().st_size == 0
    except OSError:
        return False
    return path.name in pictures or (legacy and PAGE_PICTURE.match(path.name) is not None)


@dataclasses.dataclass(frozen=True, slots=True)
class Discovery:
    """The candidate evidence files of a folder, and the files left out with the reason."""

    paths: tuple[Path, ...]
    skipped: tuple[Skipped, ...]


def discover(folder: Path, exclude: Iterable[Path] = ()) -> Discovery:
    """List the candidate evidence files below ``folder``, in a stable order.

    Hidden files and folders (name starting with a dot), the case file and
    operating-system litter are passed over silently; the tool's own outputs
    (told by content) are left out with the reason.
    Symbolic links are followed only when they point inside the folder, so a
    link cannot pull in a file from elsewhere or loop forever.
    """
    root = folder.resolve()
    excluded = {p.resolve() for p in exclude}
    paths: list[Path] = []
    skipped: list[Skipped] = []
    for path in _walk(root, root):
        if isinstance(path, Skipped):
            skipped.append(path)
            continue
        if (
            path.resolve() in excluded
            or (path.parent == root and path.name == CASE_FILE_NAME)
            or path.name.lower() in _SYSTEM_FILES
        ):
            continue
        reason = (
            M_("a page picture written by dossier preview")
            if is_preview_picture(path)
            else own_output_reason(path, root)
        )
        if reason is None:
            paths.append(path)
        else:
            skipped.append(Skipped(relative_key(path, root), reason))
    return Discovery(
        tuple(sorted(paths, key=lambda p: relative_key(p, root))),
        tuple(sorted(skipped, key=lambda s: s.relpath)),
    )


def left_out_lines(skipped: Iterable[Skipped]) -> Message:
    """The files and links left out, one ``file: reason`` line each, in the reader's language.

    A ``Message`` of messages: the command line or the page says each reason
    in its own language when it prints it.
    """
    lines = {
        f"line{index}": M_("{file}: {reason}", file=printable(s.relpath), reason=s.reason)
        for index, s in enumerate(skipped)
    }
    # The template only joins the lines: there is nothing in it to translate.
    return Message("\n".join(f"  {{{key}}}" for key in lines), **lines)


def find_files(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """The candidate evidence files below ``folder`` (see ``discover``)."""
    return list(discover(folder, exclude).paths)


def _walk(directory: Path, root: Path) -> Iterator[Path | Skipped]:
    """Every file below ``directory``, and every entry left out with the reason."""
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as error:
        if directory != root:
            yield Skipped(relative_key(directory, root), _unreadable_folder(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        reason = _link_reason(entry, root) if entry.is_symlink() else None
        if reason is not None:
            yield Skipped(relative_key(entry, root), reason)
        elif entry.is_dir():
            yield from _walk(entry, root)
        elif entry.is_file():
            yield entry


def _link_reason(link: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed, or None for a link to a file inside the folder."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return M_("a link to nothing (what it pointed to is gone, or it loops); not followed")
    if not target.is_relative_to(root):
        return M_(
            "a link to {target}, outside the folder; not followed: copy the file "
            "itself into the folder to include it",
            target=str(target),
        )
    if target.is_dir():
        return M_("a link to a folder; not followed (it could loop): the folder itself is read")
    return None


def _unreadable_folder(error: OSError) -> str:
    # The system's own words (strerror) are English: the kind of failure is said instead.
    if isinstance(error, PermissionError):
        return M_("a folder you are not allowed to read; check its permissions")
    return M_(
        "a folder that cannot be read (error {code}); check that the disk is still there",
        code=errno.errorcode.get(error.errno or 0, str(error.errno)),
    )


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
