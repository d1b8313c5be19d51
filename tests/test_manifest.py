"""The manifest beside and inside the PDF, the integrity appendix, and embedded originals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import api
from dossier.model import BuildOptions
from dossier.pdf.manifest import SCHEMA_VERSION, manifest_path
from tests.conftest_trust import copy_case


@pytest.fixture(scope="module")
def attached(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, api.BuildResult]:
    folder = copy_case("damaged-parcel", tmp_path_factory.mktemp("attached"))
    # A file no reader accepts, to see the "not included" side of the manifest.
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really a document")
    result = api.build(BuildOptions(folder=folder, skip_unreadable=True, attach_originals=True))
    return folder, result


def test_manifest_beside_and_inside_are_identical(attached):
    """This test ensures that the JSON beside the PDF is byte for byte the one embedded in it."""
    folder, result = attached
    beside = folder / "dossier.manifest.json"
    assert result.manifest == beside == manifest_path(result.output)
    embedded = PdfReader(result.output).attachments["dossier.manifest.json"]
    assert embedded == [beside.read_bytes()]


def test_manifest_lists_every_file_with_hash_type_date_pages_and_status(attached):
    """This test ensures that every input file is in the manifest, included or not."""
    folder, result = attached
    manifest = json.loads((folder / "dossier.manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == "dossier-manifest"
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["build"]["options"]["skip_unreadable"] is True
    assert manifest["build"]["options"]["attach_originals"] is True
    assert manifest["build"]["pages"] == result.page_count
    files = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = sorted(
        p.name for p in folder.iterdir() if p.name not in ("case.toml",) and "dossier" not in p.name
    )
    assert sorted(files) == on_disk
    rejected = files["notes.docx"]
    assert rejected["status"] == "not_included"
    assert "ZIP archive or Office document" in rejected["reason_detail"]
    assert rejected["reason"] == "type de fichier que le dossier ne peut pas reproduire"
    assert rejected["size"] == (folder / "notes.docx").stat().st_size
    reader = PdfReader(result.output)
    for exhibit in result.plan.exhibits:
        entry = files[exhibit.source.relpath]
        data = exhibit.source.path.read_bytes()
        assert entry["status"] == "included"
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
        assert entry["kind"] == exhibit.kind.value
        assert entry["exhibit"] == exhibit.number
        assert entry["timestamp_source"] == exhibit.timestamp.source.value
        first, last = entry["pages"]["first"], entry["pages"]["last"]
        assert first == result.first_pages[exhibit.number]
        # The stamp with this exhibit's label is on exactly its pages.
        for number in range(first, last + 1):
            assert exhibit.label in reader.pages[number - 1].extract_text()
        assert exhibit.label not in reader.pages[last].extract_text().split("\n")[0]
    photo = files["IMG_20261030_101500.jpg"]
    assert photo["timestamp"] == "2026-10-30T10:15:00+01:00"
    assert photo["timestamp_source"] == "exif"


def test_integrity_appendix_is_the_last_section_with_full_hashes(attached):
    """This test ensures that a printed copy carries every exhibit's full SHA-256 and size."""
    _, result = attached
    reader = PdfReader(result.output)
    last = reader.pages[-1].extract_text()
    assert "Intégrité des pièces" in last
    assert "sha256sum" in last
    compact = last.replace(" ", "").replace("\n", "")
    for exhibit in result.plan.exhibits:
        assert exhibit.source.sha256 in compact
        assert f"{exhibit.source.size}octets" in compact
    outline = reader.outline
    assert outline[-1].title == "Intégrité des pièces"
    assert reader.get_destination_page_number(outline[-1]) == len(reader.pages) - 1
    assert f"page {len(reader.pages)} / {len(reader.pages)}" in last


def test_originals_are_embedded_and_linked_from_every_stamp(attached):
    """This test ensures that each original travels in the PDF, opened from its exhibit's stamp."""
    _, result = attached
    reader = PdfReader(result.output)
    attachments = reader.attachments
    for exhibit in result.plan.exhibits:
        relpath = exhibit.source.relpath
        assert attachments[relpath] == [exhibit.source.path.read_bytes()]
        first = result.first_pages[exhibit.number]
        pages = range(first - 1, first - 1 + _page_count(result, exhibit.number))
        for index in pages:
            links = [
                a.get_object()
                for a in reader.pages[index].get("/Annots", [])
                if a.get_object()["/Subtype"] == "/FileAttachment"
            ]
            assert len(links) == 1, (relpath, index)
            spec = links[0]["/FS"].get_object()
            assert spec["/UF"] == relpath
            assert spec["/EF"]["/F"].get_object().get_data() == exhibit.source.path.read_bytes()
            # Over the "SHA-256 …" text of the stamp, near the top right of the page.
            x1, y1, x2, y2 = (float(v) for v in links[0]["/Rect"])
            assert 400 < x2 < 560 and 780 < y1 < y2 < 815


def test_without_attach_originals_only_the_manifest_is_embedded(tmp_path):
    """This test ensures that originals are embedded only when asked for."""
    folder = copy_case("double-charge", tmp_path)
    result = api.build(BuildOptions(folder=folder))
    assert list(PdfReader(result.output).attachments) == ["dossier.manifest.json"]
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert all(entry["attachment"] is None for entry in manifest["files"])


def _page_count(result: api.BuildResult, number: int) -> int:
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    entry = next(e for e in manifest["files"] if e["exhibit"] == number)
    return entry["pages"]["last"] - entry["pages"]["first"] + 1


def test_a_mailbox_is_attached_once_for_all_its_messages(tmp_path):
    """This test ensures that --attach-originals embeds a mailbox once, not once per message."""
    from email.message import EmailMessage

    folder = tmp_path / "case"
    folder.mkdir()
    messages = []
    for day in (3, 4, 5, 6):
        message = EmailMessage()
        message["From"] = "Shop <shop@example.org>"
        message["To"] = "Alex Martin <alex@example.org>"
        message["Subject"] = f"Reply of the {day}th"
        message["Date"] = f"Tue, {day:02d} Nov 2026 10:00:00 +0100"
        message.set_content("We are looking into it.")
        messages.append(b"From shop@example.org Tue Nov  3 10:00:00 2026\n" + bytes(message))
    (folder / "replies.mbox").write_bytes(b"\n".join(messages) + b"\n")
    output = tmp_path / "d.pdf"
    result = api.build(BuildOptions(folder=folder, output=output, attach_originals=True))
    assert len(result.plan.exhibits) == 4
    # One copy of the file (pypdf lists every embedded file of that name).
    attachments = PdfReader(output).attachments
    assert attachments["replies.mbox"] == [(folder / "replies.mbox").read_bytes()]
