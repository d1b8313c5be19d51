"""The manifest: what was included, what was not and why, with every file's SHA-256.

Written as JSON beside the PDF (``dossier.manifest.json`` for ``dossier.pdf``)
and embedded in the PDF as an attachment of the same name, so that
``dossier verify`` can check a dossier on its own. The schema is documented
in the README ("The manifest"); ``schema_version`` changes whenever a field
changes meaning or disappears (adding a field keeps the version).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dossier.attachments import PATH_SEPARATOR
from dossier.discover import MANIFEST_ATTACHMENT, MANIFEST_SCHEMA
from dossier.i18n import M_
from dossier.layout.style import Strings, strings
from dossier.model import BuildOptions, CaseFile, Exhibit, PdfContent, Plan, Rejection
from dossier.pdf.reproducible import BuildDate
from dossier.rejections import reason_detail, shown_reason

SCHEMA = MANIFEST_SCHEMA
SCHEMA_VERSION = 1
# The name of the manifest inside the PDF.
ATTACHMENT_NAME = MANIFEST_ATTACHMENT


def manifest_path(pdf: Path) -> Path:
    """Where the manifest of ``pdf`` goes: ``claim.pdf`` -> ``claim.manifest.json``."""
    return pdf.with_name(f"{pdf.stem}.manifest.json")


def make_manifest(
    plan: Plan,
    folder: Path,
    page_ranges: Mapping[int | str, tuple[int, int]],
    total_pages: int,
    options: BuildOptions,
    build_date: BuildDate,
    document_id: bytes,
    version: str,
) -> dict[str, Any]:
    """The manifest of one build, as plain data.

    Args:
        plan: the timeline that was built.
        folder: the case folder (to measure files that were left out).
        page_ranges: first and last page (1-based) of each exhibit, by page key.
        total_pages: the number of pages of the whole PDF.
        options: the build options.
        build_date: the date written into the PDF.
        document_id: the PDF's /ID.
        version: the tool's version.
    """
    attach = options.attach_originals
    files = [_exhibit_entry(e, page_ranges, attach) for e in plan.exhibits]
    words = strings(plan.case.language)
    files += [_rejection_entry(r, folder, words) for r in plan.rejections]
    files.sort(key=lambda entry: entry["path"])
    manifest: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "dossier", "version": version},
        "build": {
            "date": build_date.value.isoformat(),
            "date_source": build_date.source.value,
            "document_id": document_id.hex(),
            "pages": total_pages,
            "options": {
                "skip_unreadable": options.skip_unreadable,
                "attach_originals": options.attach_originals,
                "flatten_forms": options.flatten_forms,
                "keep_metadata": options.keep_metadata,
                "photos_per_page": options.photos_per_page,
                "max_size": options.max_size,
                "split": options.split,
                "duplex": options.duplex,
            },
        },
        "case": _case_entry(plan.case),
        "files": files,
    }
    if options.pdfa:
        # Only when set, so that the manifest of any other build keeps its bytes.
        manifest["build"]["options"]["pdfa"] = True
    return manifest


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as UTF-8 JSON, always written the same way."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_manifest(data: bytes) -> dict[str, Any]:
    """Read a manifest and check its schema.

    Raises:
        ValueError: not a manifest, or of a schema version this tool does not know.
    """
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        # The parser's words are technical: kept as the cause, for --debug.
        raise ValueError(
            M_("the manifest is not valid JSON; the PDF was changed or damaged")
        ) from error
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA:
        raise ValueError(M_("the attachment is not a dossier manifest"))
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(
            M_(
                "manifest schema version {version!r} is not known to this version of dossier "
                "(it reads version {known}); use the dossier version that built it",
                version=version,
                known=SCHEMA_VERSION,
            )
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("path"), str) for f in files
    ):
        raise ValueError(M_("the manifest has no valid list of files"))
    return manifest


def _case_entry(case: CaseFile) -> dict[str, Any] | None:
    if case.path is None:
        return None
    try:
        data = case.path.read_bytes()
    except OSError:
        data = b""
    return {
        "path": case.path.name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "language": case.language,
        "timezone": case.timezone,
        "reference": case.reference,
        "signature": _signature_entry(case),
    }


def _signature_entry(case: CaseFile) -> dict[str, Any] | None:
    # The letter's signature image is printed but is not an exhibit: recorded
    # here so that verify neither misses it nor calls it an added file.
    if case.facts is None or case.facts.letter.signature is None or case.path is None:
        return None
    try:
        data = (case.path.parent / case.facts.letter.signature).read_bytes()
    except OSError:
        return None
    return {
        "path": case.facts.letter.signature,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _exhibit_entry(
    exhibit: Exhibit, page_ranges: Mapping[int | str, tuple[int, int]], attach: bool
) -> dict[str, Any]:
    stamp = exhibit.timestamp
    first, last = page_ranges[exhibit.page_key]
    # An email's attachment ("3a") is inside the email's file, not in the folder.
    inside = exhibit.source.relpath.split(PATH_SEPARATOR, 1)[0] if exhibit.parent else None
    return {
        "path": exhibit.source.relpath,
        "size": exhibit.source.size,
        "sha256": exhibit.source.sha256,
        "kind": exhibit.kind.value,
        "status": "included",
        "exhibit": exhibit.page_key,
        "part_of": inside,
        "label": exhibit.label,
        "caption": exhibit.caption,
        "timestamp": stamp.value.isoformat() if stamp else None,
        "timestamp_source": stamp.source.value if stamp else None,
        "timestamp_detail": stamp.detail if stamp else None,
        "pages": {"first": first, "last": last},
        "attachment": exhibit.source.relpath if attach and inside is None else None,
        "reason": None,
        "reason_detail": None,
        "warnings": list(exhibit.warnings),
        "fonts_not_embedded": (
            list(exhibit.content.fonts_not_embedded)
            if isinstance(exhibit.content, PdfContent)
            else None
        ),
    }


def _rejection_entry(rejection: Rejection, folder: Path, words: Strings) -> dict[str, Any]:
    try:
        size: int | None = (folder / rejection.relpath).stat().st_size
    except OSError:
        size = None
    return {
        "path": rejection.relpath,
        "size": size,
        "sha256": rejection.sha256,
        "kind": rejection.kind.value if rejection.kind else None,
        "status": "not_included",
        "exhibit": None,
        "part_of": None,
        "label": None,
        "caption": None,
        "timestamp": None,
        "timestamp_source": None,
        "timestamp_detail": None,
        "pages": None,
        "attachment": None,
        # As the "not included" page gives it; the reader's own words beside.
        "reason": shown_reason(rejection, words),
        "reason_detail": reason_detail(rejection),
        "warnings": [],
        "fonts_not_embedded": None,
    }
