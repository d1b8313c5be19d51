"""Check a dossier against its manifest, its embedded originals and, optionally, a folder.

``verify`` answers the recipient's question "are these the files the
consumer had, unchanged?" and the consumer's "has my folder changed since I
built this?". It checks consistency, not authorship: whoever can rebuild the
PDF can also rewrite its manifest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from dossier.discover import (
    CASE_FILE_NAME,
    document_id,
    document_ids,
    find_files,
    fingerprint,
    manifests_beside,
)
from dossier.errors import ManifestUnreadableError
from dossier.i18n import M_
from dossier.pdf.manifest import ATTACHMENT_NAME, parse_manifest


@dataclasses.dataclass(frozen=True, slots=True)
class Verification:
    """What ``verify`` found: one line per check that passed, one per problem."""

    dossier: Path
    manifest: dict[str, Any]
    passed: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return not self.problems


def verify(dossier: Path, folder: Path | None = None) -> Verification:
    """Check the embedded originals against the manifest, and the folder if given.

    A PDF/A dossier (``--pdfa``) holds no file inside: its manifest is read
    from beside it.

    Raises:
        ManifestUnreadableError: the PDF cannot be read, or has no valid manifest.
    """
    attachments = read_attachments(dossier)
    passed: list[str] = []
    problems: list[str] = []
    data = attachments.get(ATTACHMENT_NAME)
    beside = None
    if data is None:
        beside, data = _manifest_beside(dossier)
    if data is None:
        raise ManifestUnreadableError(
            M_(
                "{file}: no {name} inside; this PDF was not built by dossier "
                "(or by a version without manifests), so it cannot be verified",
                file=str(dossier),
                name=ATTACHMENT_NAME,
            )
        )
    try:
        manifest = parse_manifest(data)
    except ValueError as error:
        raise ManifestUnreadableError(
            M_("{file}: {problem}", file=str(beside or dossier), problem=error.args[0])
        ) from error
    if beside is not None:
        _check_beside(manifest, dossier, beside, passed, problems)
    _check_attachments(manifest, attachments, passed, problems)
    if folder is not None:
        _check_folder(manifest, folder, dossier, passed, problems)
    return Verification(dossier, manifest, tuple(passed), tuple(problems))


def read_attachments(dossier: Path) -> dict[str, bytes]:
    """Every embedded file of a PDF, by name (the first one when a name repeats).

    Raises:
        ManifestUnreadableError: the file is missing or not a readable PDF.
    """
    if not dossier.is_file():
        raise ManifestUnreadableError(
            M_("{file}: no such file; give the dossier PDF to check", file=str(dossier))
        )
    # pypdf reports recoverable damage through logging; verify judges by the result.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(dossier, strict=False)
        return {name: contents[0] for name, contents in reader.attachments.items() if contents}
    except Exception as error:  # any parser failure means "not a readable dossier"
        # The parser's words are technical: kept as the cause, for --debug.
        raise ManifestUnreadableError(
            M_(
                "{file}: not a readable PDF; "
                "check that it is the dossier PDF and that it was copied completely",
                file=str(dossier),
            )
        ) from error
    finally:
        pypdf_log.setLevel(level)


def _manifest_beside(dossier: Path) -> tuple[Path | None, bytes | None]:
    """The manifest written beside a PDF/A dossier (see ``discover.manifests_beside``)."""
    for path in manifests_beside(dossier):
        try:
            return path, path.read_bytes()
        except OSError:
            continue
    return None, None


def _check_beside(
    manifest: dict[str, Any], dossier: Path, beside: Path, passed: list[str], problems: list[str]
) -> None:
    """A manifest beside a PDF must be that PDF's: it names the PDF's document ID."""
    try:
        found = document_id(dossier)
    except Exception:  # an unreadable trailer leaves the ID unknown: it does not match
        found = None
    if found is not None and found in document_ids(manifest):
        passed.append(
            M_(
                "{file}: the manifest beside the PDF is this PDF's (same document ID)",
                file=beside.name,
            )
        )
    else:
        problems.append(
            M_(
                "{file}: the manifest beside the PDF is not this PDF's (their document IDs differ)",
                file=beside.name,
            )
        )


def _check_attachments(
    manifest: dict[str, Any], attachments: dict[str, bytes], passed: list[str], problems: list[str]
) -> None:
    for entry in manifest["files"]:
        name = entry.get("attachment")
        if not name:
            continue
        data = attachments.get(name)
        if data is None:
            problems.append(
                M_("{file}: the embedded original is missing from the PDF", file=entry["path"])
            )
        elif hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            problems.append(
                M_(
                    "{file}: the embedded original does not match its SHA-256 in the manifest",
                    file=entry["path"],
                )
            )
        else:
            passed.append(M_("{file}: embedded original matches its SHA-256", file=entry["path"]))


def _check_folder(
    manifest: dict[str, Any], folder: Path, dossier: Path, passed: list[str], problems: list[str]
) -> None:
    if not folder.is_dir():
        raise ManifestUnreadableError(
            M_("{file}: no such folder; give the case folder to compare", file=str(folder))
        )
    root = folder.resolve()
    # An email's attachment ("3a") lives inside the email's file, not in the folder.
    recorded = {entry["path"]: entry for entry in manifest["files"] if not entry.get("part_of")}
    case = manifest.get("case")
    signature = case.get("signature") if isinstance(case, dict) else None
    if isinstance(signature, dict) and isinstance(signature.get("path"), str):
        recorded[signature["path"]] = signature
    present = {}
    for path in find_files(root, exclude=[dossier]):
        relpath = path.relative_to(root).as_posix()
        try:
            present[relpath] = fingerprint(path, root).sha256
        except OSError as error:
            present[relpath] = f"unreadable ({error.strerror})"
    for relpath in sorted(recorded.keys() | present.keys()):
        entry = recorded.get(relpath)
        if entry is None:
            problems.append(M_("{file}: added to the folder since the build", file=relpath))
        elif relpath not in present:
            problems.append(
                M_("{file}: missing from the folder (it was there at the build)", file=relpath)
            )
        elif entry.get("sha256") and present[relpath] != entry["sha256"]:
            problems.append(M_("{file}: changed since the build (SHA-256 differs)", file=relpath))
        else:
            passed.append(M_("{file}: unchanged in the folder", file=relpath))
    _check_case_file(manifest, root, passed, problems)


def _check_case_file(
    manifest: dict[str, Any], root: Path, passed: list[str], problems: list[str]
) -> None:
    case = manifest.get("case")
    path = root / CASE_FILE_NAME
    if not isinstance(case, dict):
        if path.is_file():
            problems.append(M_("{file}: added to the folder since the build", file=CASE_FILE_NAME))
        return
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        problems.append(
            M_("{file}: missing from the folder (it was there at the build)", file=CASE_FILE_NAME)
        )
        return
    if digest != case.get("sha256"):
        problems.append(
            M_("{file}: changed since the build (SHA-256 differs)", file=CASE_FILE_NAME)
        )
    else:
        passed.append(M_("{file}: unchanged in the folder", file=CASE_FILE_NAME))
