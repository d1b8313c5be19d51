"""Long values from the evidence never stop a build, nor make it crawl."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from dossier.cli import main
from dossier.layout.fonts import REGULAR, fit_text, register_fonts


def test_email_with_huge_headers_is_laid_out_in_full(tmp_path: Path) -> None:
    """This test ensures that 150 Cc, a 50 KB subject and a 20 KB attachment name build."""
    message = EmailMessage()
    message["From"] = "Shop <shop@example.org>"
    message["To"] = "Alex Martin <alex@example.org>"
    message["Cc"] = ", ".join(f"Person {n} <person{n}@example.org>" for n in range(150))
    message["Subject"] = "Order " + "with a very long subject " * 2000 + "THE END"
    message["Date"] = "Tue, 03 Nov 2026 10:00:00 +0100"
    message.set_content("Body.")
    message.add_attachment(
        b"plain", maintype="text", subtype="plain", filename="n" * 20_000 + ".txt"
    )
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "mail.eml").write_bytes(bytes(message))
    output = tmp_path / "d.pdf"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 60
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    flat = "".join(text.split())
    # Every recipient and the whole subject are there, over as many pages as they need.
    assert "person149@example.org" in flat
    assert "THEEND" in flat
    assert "(+19704characters)" in flat  # the name shortened in its cell


def test_fitting_a_long_caption_is_fast_and_exact(monkeypatch) -> None:
    """This test ensures that fitting 100 KB of text takes bisection, not one step per character."""
    register_fonts()
    text = "Colis écrasé, carton déchiré " * 4000
    measured = []

    def counted_width(*args: object) -> float:
        measured.append(args)
        return stringWidth(*args)

    monkeypatch.setattr(pdfmetrics, "stringWidth", counted_width)
    fitted = fit_text(text, REGULAR, 9, 300)
    monkeypatch.undo()
    # Bisection over 116,000 characters: about log2(116,000) = 17 measurements.
    assert len(measured) <= 20
    assert fitted.endswith("…")
    assert stringWidth(fitted, REGULAR, 9) <= 300
    # One more character would not fit.
    longer = text[: len(fitted)] + "…"
    assert stringWidth(longer, REGULAR, 9) > 300


def test_a_huge_attachment_name_is_shortened_in_warnings(tmp_path: Path) -> None:
    """This test ensures that a warning names a 20 KB attachment by its first 120 characters."""
    message = EmailMessage()
    message["From"] = "Shop <shop@example.org>"
    message["To"] = "Alex Martin <alex@example.org>"
    message["Subject"] = "Your invoice"
    message["Date"] = "Tue, 03 Nov 2026 10:00:00 +0100"
    message.set_content("See the invoice.")
    message.add_attachment(
        b"%PDF-1.4 cut", maintype="application", subtype="pdf", filename="f" * 20_000 + ".pdf"
    )
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "mail.eml").write_bytes(bytes(message))
    result = CliRunner().invoke(main, ["list", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"the attachment '{'f' * 120}… (+19884 characters)' is not shown" in result.output
    assert "f" * 200 not in result.output


def test_forwarded_header_with_hundreds_of_recipients_is_laid_out(tmp_path: Path) -> None:
    """This test ensures that a forwarded message's long To: line flows over pages in full."""
    recipients = ", ".join(f"Person {n} <p{n}@example.org>" for n in range(300))
    message = EmailMessage()
    message["From"] = "Alex Martin <alex@example.org>"
    message["To"] = "Claims <claims@example.org>"
    message["Subject"] = "Fwd: Your order"
    message["Date"] = "Tue, 03 Nov 2026 10:00:00 +0100"
    message.set_content(
        "See below.\n\n---------- Forwarded message ---------\n"
        "From: Shop <shop@example.org>\nDate: Mon, 2 Nov 2026 at 09:00\n"
        f"Subject: Your order\nTo: {recipients}\n\nYour order shipped.\n"
    )
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "fwd.eml").write_bytes(bytes(message))
    output = tmp_path / "d.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    assert "p299@example.org" in "".join(text.split())
    assert "Your order shipped" in text
