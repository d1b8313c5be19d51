"""Readings of emails, Outlook messages and PDFs kept in the cache: the same as read anew."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dossier import api, cache
from dossier.discover import fingerprint
from dossier.i18n import said_in
from dossier.model import EmailContent, ExhibitSettings, Kind
from dossier.readers import read_source, reader_for
from dossier.readers.reading_data import reading_from_data, reading_to_data
from dossier.sniff import sniff
from tests.conftest_images import build_folder

# Emails and PDFs of the corpus that build (the others are refused, which is not kept).
CORPUS_FILES = (
    "emails/cpython__msg_15.eml",
    "emails/mail-parser__mail_test_10.eml",
    "emails/mikel-mail__attachment_pdf.eml",
    "emails/mikel-mail__raw_email_with_bad_date.eml",
    "emails/paperless-ngx__html.eml",
    "emails/php-mime-mail-parser__m0027.eml",
    "emails/bbottema__HTML_mail_with_replyto_and_attachment_and_embedded_image.msg",
    "emails/msgreader__nonUnicodeCP932.msg",
    "pdfs/ocrmypdf__c02-22.pdf",
    "pdfs/sample-files__habibi-rotated.pdf",
    "pdfs/sample-files__libreoffice-form.pdf",
)


def readable(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in (".eml", ".msg", ".pdf") and path.is_file()
    )


@pytest.mark.corpus
def test_every_reading_comes_back_the_same_from_its_data(corpus_dir: Path, samples_dir: Path):
    """This test ensures that a reading written for the cache reads back equal, field by field.

    ``repr`` compares what equality does not: time zones by name, the types
    of the values (an enumeration stays one, text stays text).
    """
    kept = 0
    for path in [*readable(corpus_dir), *readable(samples_dir)]:
        source = fingerprint(path, path.parent)
        kind = sniff(path)
        if kind is None or kind.is_image:
            continue
        try:
            reading = reader_for(kind)(source, kind, ExhibitSettings())
        except Exception:  # refused files are never kept
            continue
        data = json.loads(json.dumps(reading_to_data(reading)))
        again = reading_from_data(data)
        assert again == reading, path.name
        assert repr(again) == repr(reading), path.name
        for language in ("fr", "nl"):
            assert [said_in(w, language) for w in again.warnings] == [
                said_in(w, language) for w in reading.warnings
            ]
        kept += 1
    assert kept >= 25


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"class": "SourceFile", "fields": {}}, id="missing-fields"),
        pytest.param({"class": "Path", "fields": {}}, id="not-a-model-class"),
        pytest.param({"enum": "Kind", "value": "spreadsheet"}, id="unknown-enum-value"),
        pytest.param({"class": "ImageContent", "fields": {"width": 1}}, id="not-a-reading"),
        pytest.param(["list"], id="not-an-object"),
    ],
)
def test_data_that_is_not_a_reading_is_refused(data: object):
    """This test ensures that what the cache cannot have written raises, so it is read again."""
    with pytest.raises((KeyError, TypeError, ValueError)):
        reading_from_data(data)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The analyses each build stores rather than takes from the cache."""
    done: list[tuple[str, str]] = []

    def opening(enabled: bool) -> cache.Cache | None:
        if not enabled:
            return None
        opened = cache.Cache(cache.default_folder())
        opened.computed = done
        return opened

    monkeypatch.setattr(api, "open_cache", opening)
    return done


@pytest.mark.corpus
def test_emails_and_pdfs_build_the_same_from_the_cache(
    corpus_dir: Path, tmp_path: Path, own_cache: Path, computed: list[tuple[str, str]]
):
    """This test ensures that a warm build of emails and PDFs writes the bytes of a cold one.

    The warm build reads none of them again. The attachments the first
    build decoded to its own temporary files, gone since, are put back from
    the cache's copies and are still exhibits of the second.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    for name in CORPUS_FILES:
        shutil.copy(corpus_dir / name, folder / Path(name).name)
    cold = build_folder(folder, tmp_path / "cold.pdf")
    read = {sha for kind, sha in computed if kind == "reading"}
    with_files = {
        e.source.sha256
        for e in cold.plan.exhibits
        if isinstance(e.content, EmailContent) and any(a.path for a in e.content.attachments)
    }
    assert len(with_files) >= 2
    assert read == {e.source.sha256 for e in cold.plan.exhibits if e.parent is None}
    kept = list((own_cache / "attachment").rglob("*.bin"))
    assert kept
    # As in another run of dossier: the attachments decoded by this one are gone.
    decoded = [
        a.path
        for e in cold.plan.exhibits
        if isinstance(e.content, EmailContent)
        for a in e.content.attachments
        if a.path is not None
    ]
    for path in decoded:
        path.unlink(missing_ok=True)

    computed.clear()
    warm = build_folder(folder, tmp_path / "warm.pdf")
    assert all(path.is_file() for path in decoded)  # put back from the cache's copies
    assert [kind for kind, _ in computed if kind == "reading"] == []
    without = build_folder(folder, tmp_path / "without.pdf", cache=False)
    assert cold.output.read_bytes() == warm.output.read_bytes() == without.output.read_bytes()
    assert [e.ref for e in warm.plan.exhibits] == [e.ref for e in cold.plan.exhibits]
    assert any(e.parent is not None for e in warm.plan.exhibits)


@pytest.mark.corpus
@pytest.mark.parametrize("damage", ["removed", "changed"])
def test_a_missing_or_damaged_copy_of_an_attachment_reads_the_email_again(
    corpus_dir: Path, tmp_path: Path, own_cache: Path, computed: list[tuple[str, str]], damage: str
):
    """This test ensures that an attachment is never taken from a copy that is not its content."""
    folder = tmp_path / "case"
    folder.mkdir()
    email = folder / "attachment.eml"
    shutil.copy(corpus_dir / "emails" / "mikel-mail__attachment_pdf.eml", email)
    cold = build_folder(folder, tmp_path / "cold.pdf")
    kept = list((own_cache / "attachment").rglob("*.bin"))
    assert len(kept) == 1
    if damage == "removed":
        kept[0].unlink()
    else:
        kept[0].write_bytes(kept[0].read_bytes()[:-1] + b"!")
    # As in another run of dossier: the attachments decoded by this one are gone.
    content = cold.plan.exhibits[0].content
    assert isinstance(content, EmailContent)
    for attachment in content.attachments:
        if attachment.path is not None:
            attachment.path.unlink()
    computed.clear()
    again = build_folder(folder, tmp_path / "again.pdf")
    email_sha = cold.plan.exhibits[0].source.sha256
    assert [entry for entry in computed if entry[0] == "reading"] == [("reading", email_sha)]
    assert again.output.read_bytes() == cold.output.read_bytes()
    # Read again, the email's attachment is kept anew, whole.
    content = again.plan.exhibits[0].content
    assert isinstance(content, EmailContent)
    (attachment,) = [a for a in content.attachments if a.path is not None]
    assert kept[0].name == f"{attachment.sha256}.bin"
    assert hashlib.sha256(kept[0].read_bytes()).hexdigest() == attachment.sha256


def test_a_pdf_opened_with_a_password_is_not_kept(
    corpus_dir: Path, tmp_path: Path, own_cache: Path
):
    """This test ensures that a reading that depends on the case file's password is read anew."""
    path = corpus_dir / "pdfs" / "sample-files__libreoffice-writer-password.pdf"
    if not path.exists():
        pytest.skip("no corpus")
    source = fingerprint(path, path.parent)
    store = cache.Cache(own_cache)
    rejected = read_source(source, ExhibitSettings(), store)
    opened = read_source(source, ExhibitSettings(password="openpassword"), store)
    assert sniff(path) is Kind.PDF
    assert store.computed == []
    assert type(rejected).__name__ == "Rejection"
    assert type(opened).__name__ == "Exhibit"
