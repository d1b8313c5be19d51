"""Files are classified by content, not by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.model import Kind
from dossier.sniff import describe_unsupported, sniff, sniff_bytes


@pytest.mark.parametrize(
    ("head", "suffix", "kind"),
    [
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", ".pdf", Kind.JPEG, id="jpeg-named-pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", ".jpg", Kind.PNG, id="png"),
        pytest.param(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "", Kind.WEBP, id="webp"),
        pytest.param(b"II*\x00\x08\x00\x00\x00", "", Kind.TIFF, id="tiff-le"),
        pytest.param(b"MM\x00*\x00\x00\x00\x08", "", Kind.TIFF, id="tiff-be"),
        pytest.param(b"GIF89a\x01\x00", "", Kind.GIF, id="gif"),
        pytest.param(b"BM" + b"\x00" * 30, "", Kind.BMP, id="bmp"),
        pytest.param(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "", Kind.HEIF, id="heic"),
        pytest.param(b"\xef\xbb\xbf%PDF-1.4\n", ".txt", Kind.PDF, id="pdf-with-bom"),
        pytest.param(
            b"From: a@example.org\nTo: b@example.org\nSubject: x\n\nhi",
            ".txt",
            Kind.EMAIL,
            id="email",
        ),
        pytest.param(
            b"From a@b Sat Jan  3 01:05:34 1996\nFrom: a@b\nDate: x\n",
            "",
            Kind.EMAIL,
            id="mbox-line",
        ),
        pytest.param(b"Notes du 4 novembre : appel", ".txt", Kind.NOTE, id="note"),
        pytest.param(b"# Chronologie\n", ".md", Kind.NOTE, id="markdown"),
        pytest.param(b"plain words", ".docx", None, id="unknown"),
        pytest.param(b"", ".txt", None, id="empty"),
    ],
)
def test_sniff_bytes(head: bytes, suffix: str, kind: Kind | None) -> None:
    """This test ensures that the magic bytes decide, and the suffix only matters for text."""
    assert sniff_bytes(head, suffix) is kind


@pytest.mark.corpus
def test_pdf_named_jpg_is_read_as_pdf(corpus_dir: Path) -> None:
    """This test ensures that a PDF with a .jpg extension is recognised as a PDF."""
    assert sniff(corpus_dir / "bad" / "derived_wrong-ext__ocrmypdf__trivial-pdf.jpg") is Kind.PDF


@pytest.mark.corpus
def test_outlook_message_is_named_in_the_reason(corpus_dir: Path) -> None:
    """This test ensures that an unsupported Outlook file is named as such, with a way out."""
    path = corpus_dir / "emails" / "msgreader__msgInMsg.msg"
    reason, advice = describe_unsupported(path.read_bytes()[:16])
    assert "Outlook" in reason
    assert "PDF" in advice
