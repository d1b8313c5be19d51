"""Long tokens (MIME types, hashes) go on the next line at sensible places, never mid-word."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import BuildOptions, build
from dossier.layout import breakable
from dossier.layout.fonts import REGULAR, register_fonts
from tests.conftest import NOW

# An Excel workbook with macros: a long type whose parts each fit the column.
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"


@pytest.mark.parametrize(
    ("token", "width", "lines"),
    [
        pytest.param("message/delivery-status", 60, ["message/", "delivery-status"], id="mime"),
        pytest.param("message/delivery-status", 200, ["message/delivery-status"], id="fits"),
        pytest.param(
            "anna.peeters@example.org", 70, ["anna.peeters@", "example.org"], id="address"
        ),
    ],
)
def test_a_long_token_breaks_after_a_separator(token, width, lines):
    """This test ensures a token too wide is cut after "/", "-", "." or "@", not inside a word."""
    register_fonts()
    assert breakable(token, REGULAR, 8, width).split("<br/>") == lines


def test_a_hash_is_cut_only_where_it_must():
    """This test ensures a token with no separator is cut into pieces that each fit."""
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces = breakable("0123456789abcdef" * 4, REGULAR, 8, 120).split("<br/>")
    assert "".join(pieces) == "0123456789abcdef" * 4
    assert len(pieces) > 1 and all(stringWidth(p, REGULAR, 8) <= 120 for p in pieces)


def test_an_attachment_s_mime_type_is_not_split_inside_a_word(tmp_path: Path):
    """This test ensures the attachments table prints a long MIME type in whole parts."""
    message = EmailMessage()
    message["From"] = "Anna Peeters <anna@example.org>"
    message["To"] = "service@shop.example"
    message["Subject"] = "Facture corrigée"
    message["Date"] = "Wed, 04 Nov 2026 09:00:00 +0100"
    message.set_content("Voir la pièce jointe.")
    message.add_attachment(
        b"PK\x03\x04" + b"\x00" * 200,
        maintype="application",
        subtype=XLSM.split("/")[1],
        filename="decompte.xlsm",
    )
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "mail.eml").write_bytes(bytes(message))
    output = tmp_path / "d.pdf"
    build(BuildOptions(folder=folder, output=output, now=NOW, skip_unreadable=True))
    text = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    # Between the size and the hash: the type, as the mail library keeps it (lower case).
    printed = text.split(" octets\n", 1)[1].split("\nSHA-256", 1)[0].splitlines()
    assert "".join(printed) == XLSM.lower()
    assert len(printed) > 1  # too wide for its column
    for line in printed[:-1]:
        assert line[-1] in "/-.", printed  # each line ends where the type may break
