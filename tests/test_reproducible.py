"""Equal inputs give a byte-identical dossier, whatever the day, the clock or the folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import api
from dossier.model import BuildOptions, CaseFile
from dossier.pdf.reproducible import BuildDateError, DateSource, resolve_build_date
from tests.conftest_trust import SAMPLES, copy_case


def build_copy(name: str, where: Path, now: dt.datetime, **options) -> bytes:
    folder = where / "case"
    shutil.copytree(SAMPLES / name, folder, copy_function=shutil.copy)  # fresh file times
    result = api.build(BuildOptions(folder=folder, now=now, **options))
    return result.output.read_bytes()


def test_two_builds_in_different_folders_at_different_times_are_identical(tmp_path, monkeypatch):
    """This test ensures that a rebuild months later, elsewhere, gives the very same bytes."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build_copy(
        "damaged-parcel",
        tmp_path / "a",
        dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC),
        attach_originals=True,
    )
    second = build_copy(
        "damaged-parcel",
        tmp_path / "elsewhere" / "b",
        dt.datetime(2027, 3, 2, 17, 45, tzinfo=dt.UTC),
        attach_originals=True,
    )
    assert first == second
    reader = PdfReader(tmp_path / "a" / "case" / "dossier.pdf")
    # The letter date of case.toml, not the clock, on the index and in the metadata.
    assert "Établi le 20 novembre 2026" in full_text(reader)
    assert reader.metadata["/CreationDate"] == "D:20261119230000+00'00'"
    assert reader.metadata["/ModDate"] == reader.metadata["/CreationDate"]
    manifest = json.loads((tmp_path / "a" / "case" / "dossier.manifest.json").read_text())
    assert id_bytes(reader).hex() == manifest["build"]["document_id"]


def test_document_id_changes_with_the_content(tmp_path, monkeypatch):
    """This test ensures that the fixed /ID still tells two different dossiers apart."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    now = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    folder = copy_case("double-charge", tmp_path)
    one = api.build(BuildOptions(folder=folder, now=now, output=tmp_path / "one.pdf"))
    two = api.build(
        BuildOptions(folder=folder, now=now, output=tmp_path / "two.pdf", attach_originals=True)
    )
    id_one = id_bytes(PdfReader(one.output))
    id_two = id_bytes(PdfReader(two.output))
    assert len(id_one) == 16
    assert id_one != id_two


def test_source_date_epoch_wins(tmp_path, monkeypatch):
    """This test ensures that SOURCE_DATE_EPOCH sets the printed and recorded date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    folder = copy_case("double-charge", tmp_path)
    result = api.build(BuildOptions(folder=folder))
    reader = PdfReader(result.output)
    assert reader.metadata["/CreationDate"] == "D:20260101000000+00'00'"
    # On the index ("prepared on"); the letter keeps its own date from case.toml.
    assert "Opgesteld op 1 januari 2026" in full_text(reader)
    manifest = json.loads(result.manifest.read_text())
    assert manifest["build"]["date_source"] == "SOURCE_DATE_EPOCH"


def test_a_wrong_source_date_epoch_is_an_error():
    """This test ensures that a malformed SOURCE_DATE_EPOCH is reported, not ignored."""
    with pytest.raises(BuildDateError, match="SOURCE_DATE_EPOCH='yesterday' is not a number"):
        resolve_build_date(CaseFile(), [], {"SOURCE_DATE_EPOCH": "yesterday"})


def test_without_letter_date_the_newest_input_gives_the_date(tmp_path, monkeypatch):
    """This test ensures that, with no other source, the date is when the folder last changed."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = tmp_path / "case"
    folder.mkdir()
    note = folder / "note.txt"
    note.write_text("Le colis est arrivé ouvert.", encoding="utf-8")
    moment = dt.datetime(2026, 5, 17, 12, 30, 15, tzinfo=dt.UTC).timestamp()
    os.utime(note, (moment, moment))
    result = api.build(BuildOptions(folder=folder))
    reader = PdfReader(result.output)
    assert reader.metadata["/CreationDate"] == "D:20260517123015+00'00'"
    assert "Établi le 17 mai 2026" in full_text(reader)
    assert json.loads(result.manifest.read_text())["build"]["date_source"] == (
        DateSource.NEWEST_INPUT.value
    )


def id_bytes(reader: PdfReader) -> bytes:
    """The first half of the trailer /ID, as bytes (pypdf may decode it as text)."""
    value = reader.trailer["/ID"][0]
    return value.original_bytes if hasattr(value, "original_bytes") else bytes(value)


def full_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)
