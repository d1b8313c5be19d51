"""Identical fonts of typeset pages go into the PDF once, however many emails use them."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from pypdf import PdfReader

from dossier import api
from dossier.model import BuildOptions


def font_files(pdf: Path) -> set[int]:
    """The object numbers of every embedded font program the pages use."""
    found = set()
    for page in PdfReader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for reference in (fonts.get_object() if fonts else {}).values():
            font = reference.get_object()
            for descendant in font.get("/DescendantFonts", [reference]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    found.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    return found


def test_a_mailbox_carries_each_font_once(tmp_path: Path) -> None:
    """This test ensures that 30 messages typeset alike share their fonts in the PDF."""
    messages = []
    for number in range(30):
        message = EmailMessage()
        message["From"] = "Shop <shop@example.org>"
        message["To"] = "Alex Martin <alex@example.org>"
        message["Subject"] = f"Reply {number}"
        message["Date"] = f"Tue, 03 Nov 2026 10:{number:02d}:00 +0100"
        message.set_content(f"We are looking into it ({number}).")
        messages.append(b"From shop@example.org Tue Nov  3 10:00:00 2026\n" + bytes(message))
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "replies.mbox").write_bytes(b"\n".join(messages) + b"\n")
    output = tmp_path / "d.pdf"
    result = api.build(BuildOptions(folder=folder, output=output))
    assert len(result.plan.exhibits) == 30
    # The fonts of the index, appendix and stamps, and one set for the 30 messages.
    assert len(font_files(output)) <= 8
    texts = [page.extract_text() for page in PdfReader(output).pages]
    assert sum("We are looking into it (" in text for text in texts) == 30
