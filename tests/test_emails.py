"""Emails as evidence: formats, decoding, layout, attachments, forwarding, authenticity."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import io
import os
import re
import shutil
from email.message import EmailMessage
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from dossier import api
from dossier.discover import fingerprint
from dossier.layout.coverage import missing_glyphs
from dossier.model import (
    BodyBlock,
    BuildOptions,
    EmailContent,
    Exhibit,
    ExhibitSettings,
    Kind,
    Rejection,
)
from dossier.model import TimestampSource as Src
from dossier.readers import read_file
from dossier.readers.email import read_message_bytes
from dossier.readers.emailbody import html_blocks
from dossier.readers.forwarded import find_forwarded, parse_loose_date
from dossier.sniff import sniff

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _squash(text: str) -> str:
    return "".join(text.replace("\x00", "").split())


def _build(folder: Path, language: str = "fr"):
    (folder / "case.toml").write_text(f'language = "{language}"\n', encoding="utf-8")
    result = api.build(BuildOptions(folder=folder, output=folder.parent / "out.pdf", now=NOW))
    reader = PdfReader(result.output)
    return result, reader, [page.extract_text() for page in reader.pages]


def _exhibit_text(result, texts: list[str], exhibit: Exhibit) -> str:
    """The text of the pages of one exhibit."""
    keys = list(result.first_pages)
    start = result.first_pages[exhibit.page_key]
    later = [result.first_pages[k] for k in keys if result.first_pages[k] > start]
    end = min(later) if later else len(texts) + 1
    return "\n".join(texts[start - 1 : end - 1])


# -- Order confirmations in four languages (invented data) ----------------------------

ORDERS = {
    "fr": {
        "subject": "Votre commande Amazon.com.be n° 402-1234567-1234567",
        "hello": "Bonjour Camille Dubois-Lefèvre,",
        "head": ("Article", "Quantité", "Prix"),
        "items": [
            ("Bouilloire électrique inox 1,7 L", "1", "34,99 €"),
            ("Filtre (lot de 3)", "2", "19,98 €"),
        ],
        "total": ("Total TTC", "", "54,97 €"),
        "link": "Détails de la commande",
        "label": "Pièce n° 1",
    },
    "nl": {
        "subject": "Uw bestelling bij Amazon.com.be 403-7654321-7654321",
        "hello": "Beste Sanne Van den Broeck,",
        "head": ("Artikel", "Aantal", "Prijs"),
        "items": [
            ("Waterkoker roestvrij staal", "1", "€ 34,99"),
            ("Koffiefilters (100 st.)", "3", "€ 8,97"),
        ],
        "total": ("Totaal", "", "€ 43,96"),
        "link": "Bestelgegevens bekijken",
        "label": "Stuk 1",
    },
    "de": {
        "subject": "Ihre Amazon.com.be Bestellung 303-1111111-2222222",
        "hello": "Guten Tag Jürgen Weiß,",
        "head": ("Artikel", "Menge", "Preis"),
        "items": [
            ("Wasserkocher Edelstahl 1,7 l", "1", "34,99 €"),
            ("Entkalker für Geräte", "2", "11,98 €"),
        ],
        "total": ("Gesamtsumme", "", "46,97 €"),
        "link": "Bestelldetails anzeigen",
        "label": "Anlage 1",
    },
    "en": {
        "subject": "Your Amazon.com.be order #111-2223334-4445556",
        "hello": "Hello Chris O'Neill,",
        "head": ("Item", "Quantity", "Price"),
        "items": [
            ("Stainless steel kettle 1.7 L", "1", "€34.99"),
            ("Water filter cartridges", "2", "€19.98"),
        ],
        "total": ("Order total", "", "€54.97"),
        "link": "View order details",
        "label": "Annex 1",
    },
}


def order_confirmation(language: str, when: dt.datetime) -> EmailMessage:
    """A retailer's confirmation: nested layout tables around a data table, a link, a logo."""
    order = ORDERS[language]
    number = re.search(r"\d{3}-\d{7}-\d{7}", str(order["subject"]))
    assert number is not None
    url = f"https://www.amazon.com.be/gp/your-account/order-details?orderID={number[0]}"
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row in [order["head"], *order["items"], order["total"]]
    )
    html = f"""<html><head><style>td {{ font-family: Arial }}</style></head><body>
    <table width="100%"><tr><td>
      <img src="https://images.example/logo.png" alt="Amazon.com.be"></td></tr>
    <tr><td><table><tr><td>
      <p>{order["hello"]}</p>
      <div style="display:none">preheader text never shown</div>
      <table class="items">{rows}</table>
      <p><a href="{url}">{order["link"]}</a></p>
      <ul><li>Amazon EU S.à r.l.</li><li>38 avenue John F. Kennedy, L-1855 Luxembourg</li></ul>
    </td></tr></table></td></tr></table></body></html>"""
    message = EmailMessage()
    message["From"] = "Amazon.com.be <confirmation-commande@amazon.com.be>"
    message["To"] = "client@example.be"
    message["Subject"] = str(order["subject"])
    message["Date"] = email.utils.format_datetime(when)
    message["Message-ID"] = f"<{number[0]}@amazon.com.be>"
    message.set_content(f"{order['hello']}\n\n(text version)\n")
    message.add_alternative(html, subtype="html")
    return message


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_order_confirmation_keeps_table_link_and_header(tmp_path, language):
    """This test ensures that an order confirmation prints like the email.

    Its items stay a table, its links keep their target, its header is in the
    dossier's language, and the body text (rows as "item  qty  price") is exposed.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    when = dt.datetime(2026, 10, 12, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    (folder / "order.eml").write_bytes(order_confirmation(language, when).as_bytes())
    result, reader, texts = _build(folder, language)
    order = ORDERS[language]
    exhibit = result.plan.exhibits[0]
    content = exhibit.content
    assert isinstance(content, EmailContent)
    assert content.html
    item, quantity, price = order["items"][0]
    assert f"{item}  {quantity}  {price}" in content.body
    assert "preheader" not in content.body
    table = next(block for block in content.blocks if block.kind == "table")
    assert table.rows[0] == order["head"]
    page = _exhibit_text(result, texts, exhibit)
    assert order["label"] in page
    assert _squash(str(order["subject"])) in _squash(page)
    for cell in (item, price, order["total"][2]):
        assert cell in page
    assert "orderID=" in _squash(page)  # the link's target is on paper
    assert "[Amazon.com.be]" in page  # the remote logo by its text, never fetched
    # Date with its zone and in the dossier's language, e.g. "12 octobre 2026, 14:05".
    assert "+0200" in page and "14:05" in page
    assert "Europe/Brussels" in page


# -- Decoding ---------------------------------------------------------------------------


MISLABELLED = [
    pytest.param(
        b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n",
        "Votre colis a été expédié : 23,99 €".encode(),
        id="utf8-declared-latin1",
    ),
    pytest.param(
        b"Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n",
        "Votre colis a été expédié : 23,99 €".encode(),
        id="utf8-declared-ascii",
    ),
    pytest.param(
        b"Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n",
        "Votre colis a été expédié : 23,99 €".encode("cp1252"),
        id="cp1252-declared-ascii",
    ),
    pytest.param(
        b"Content-Type: text/html; charset=iso-8859-1\n"
        b"Content-Transfer-Encoding: quoted-printable\n",
        b"<p>Votre colis a =C3=A9t=C3=A9 exp=C3=A9di=C3=A9 : 23,99 =E2=82=AC</p>",
        id="utf8-qp-html-declared-latin1",
    ),
]


@pytest.mark.parametrize(("headers", "body"), MISLABELLED)
def test_mislabelled_charset_gives_no_mojibake(tmp_path, headers, body):
    """This test ensures that a mislabelled charset never gives mojibake.

    Text in a charset other than the declared one still prints "é", never "Ã©",
    in the headers and in the body.
    """
    raw = (
        b"From: =?iso-8859-1?Q?Zo=C3=A9_Lemaire?= <zoe@example.be>\n"
        b"To: client@example.be\n"
        b"Subject: =?iso-8859-1?Q?Colis_exp=C3=A9di=C3=A9?=\n"
        b"Date: Mon, 12 Oct 2026 14:05:00 +0200\n"
        b"MIME-Version: 1.0\n" + headers + b"\n" + body + b"\n"
    )
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "colis.eml").write_bytes(raw)
    result, _, texts = _build(folder)
    content = result.plan.exhibits[0].content
    assert isinstance(content, EmailContent)
    assert content.subject == "Colis expédié"
    assert content.sender.startswith("Zoé Lemaire")
    assert "a été expédié : 23,99 €" in content.body
    text = "\n".join(texts)
    assert "Colis expédié" in text and "été expédié" in text
    assert "Ã" not in text


def test_html_blocks_lists_quotes_and_cid_pictures():
    """This test ensures that the HTML reader keeps the structure of the body.

    Lists, quotes, rules and ``cid:`` pictures stay in reading order, and a layout
    table never becomes a data table.
    """
    html = """<div>Intro<br>second line</div><ol><li>one</li><li>two</li></ol>
    <blockquote>quoted text</blockquote><hr>
    <table><tr><td><img src="cid:logo@x" alt="logo"></td></tr></table>
    <table><tr><td><table><tr><td>A</td><td>1</td></tr></table></td></tr></table>"""
    blocks, used = html_blocks(html, {"logo@x": b"PNG"})
    kinds = [block.kind for block in blocks]
    assert kinds == ["paragraph", "item", "item", "quote", "rule", "image", "table"]
    assert blocks[0].text == "Intro\nsecond line"
    assert [blocks[1].text, blocks[2].text] == ["1. one", "2. two"]
    assert blocks[-1].rows == (("A", "1"),)
    assert used == {"logo@x"}


@pytest.mark.corpus
def test_damaged_mime_never_crashes():
    """This test ensures that damaged MIME never crashes the reader.

    A message cut anywhere is read with a warning or reported as unreadable.
    """
    raw = (CORPUS / "emails" / "mikel-mail__attachment_pdf.eml").read_bytes()
    for cut in range(40, len(raw), 150):
        try:
            reading = read_message_bytes(raw[:cut])
        except Exception as error:
            assert type(error).__name__ == "FileUnreadable", cut
        else:
            assert isinstance(reading.content, EmailContent)


# -- Attachments become sub-exhibits -----------------------------------------------------


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _pdf_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in (1, 2):
        canvas.drawString(72, 720, f"{text} page {page}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_attachments_become_sub_exhibits(tmp_path):
    """This test ensures that attached images and PDFs become sub-exhibits.

    They become "1a" and "1b" right after their email, with their own pages, stamp,
    hash, index row and outline entry; other attachments are listed with name, size
    and SHA-256.
    """
    png, pdf, note = _png_bytes(), _pdf_bytes("Facture F-2026-0042"), b"colis n 42\n"
    message = EmailMessage()
    message["From"] = "Service client <service@shop.example>"
    message["To"] = "client@example.be"
    message["Subject"] = "Votre facture"
    message["Date"] = "Mon, 12 Oct 2026 14:05:00 +0200"
    message.set_content("Veuillez trouver la facture et la photo ci-jointes.")
    message.add_attachment(png, maintype="image", subtype="png", filename="photo colis.png")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="facture.pdf")
    message.add_attachment(note, maintype="text", subtype="plain", filename="suivi.txt")
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "facture.eml").write_bytes(message.as_bytes())
    (folder / "later.txt").write_text("Appel au service client le 20 octobre.", encoding="utf-8")
    result, reader, texts = _build(folder)

    labels = [e.label for e in result.plan.exhibits]
    assert labels == ["Pièce n° 1", "Pièce n° 1a", "Pièce n° 1b", "Pièce n° 2"]
    email_exhibit, photo, invoice, _ = result.plan.exhibits
    assert photo.kind is Kind.PNG and invoice.kind is Kind.PDF
    assert photo.source.sha256 == hashlib.sha256(png).hexdigest()
    assert invoice.source.sha256 == hashlib.sha256(pdf).hexdigest()
    # French typography: no-break spaces tie "n°" to its number and ":" to its word.
    assert invoice.caption == "Pièce jointe à la pièce n°\u00a01\u00a0: facture.pdf"
    assert invoice.timestamp is not None and invoice.timestamp.source is Src.EMAIL_HEADER

    assert result.first_pages["1a"] == result.first_pages[1] + 1
    assert result.first_pages["1b"] == result.first_pages["1a"] + 1
    assert result.first_pages[2] == result.first_pages["1b"] + 2  # the PDF's two pages
    invoice_pages = texts[result.first_pages["1b"] - 1 : result.first_pages["1b"] + 1]
    for k, text in enumerate(invoice_pages, start=1):
        assert "Pièce n° 1b" in text and f"Facture F-2026-0042 page {k}" in text
        assert invoice.source.short_hash in text
        assert f"page {k}/2 de la pièce" in text

    email_page = _exhibit_text(result, texts, email_exhibit)
    assert "suivi.txt" in email_page
    assert _squash(hashlib.sha256(note).hexdigest()) in _squash(email_page)
    assert _squash("voir Pièce n° 1b") in _squash(email_page)
    index = texts[0]
    assert re.search(r"^1a$", index, re.MULTILINE) and re.search(r"^1b$", index, re.MULTILINE)
    assert "facture.pdf" in _squash(index)
    outline = [item.title for item in reader.outline]
    assert any(title.startswith("Pièce n° 1b — ") for title in outline)
    assert len(reader.pages[0].get("/Annots", [])) == 4  # one link per index row


# -- Forwarded messages --------------------------------------------------------------------

FORWARDED = {
    "fr": (
        "Pour info.\n\n---------- Message transféré ---------\n"
        "De : Amazon.com.be <confirmation-commande@amazon.com.be>\n"
        "Date: lun. 12 oct. 2026 à 14:05\nSubject: Votre commande\nTo: <camille@example.be>\n\n"
        "Merci pour votre commande."
    ),
    "nl": (
        "Zie hieronder.\n\nBegin doorgestuurd bericht:\n\n"
        "Van: Amazon.com.be <bestelling@amazon.com.be>\n"
        "Onderwerp: Uw bestelling\nDatum: 12 oktober 2026 om 14:05:00 CEST\n"
        "Aan: sanne@example.be\n\nBedankt voor uw bestelling."
    ),
    "de": (
        "-------- Weitergeleitete Nachricht --------\n"
        "Betreff: Ihre Bestellung\nDatum: Mon, 12 Oct 2026 14:05:00 +0200\n"
        "Von: Amazon.com.be <bestellbestaetigung@amazon.com.be>\n\nVielen Dank."
    ),
    "en": (
        "FYI\n\n---------- Forwarded message ---------\n"
        "From: Amazon.com.be <auto-confirm@amazon.com.be>\n"
        "Date: Mon, Oct 12, 2026 at 2:05 PM\nSubject: Your order\nTo: <chris@example.be>\n\n"
        "Thank you for your order."
    ),
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_forwarded_message_dates_the_exhibit(tmp_path, language):
    """This test ensures that a forwarded email is dated by its original.

    It is ordered by the original's date (not the forwarding date), shows the
    original header in a box, and says so.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    forward = EmailMessage()
    forward["From"] = "client@example.be"
    forward["To"] = "client@example.be"
    forward["Subject"] = "Fwd: order"
    forward["Date"] = "Tue, 20 Oct 2026 09:00:00 +0200"
    forward.set_content(FORWARDED[language])
    (folder / "a-forward.eml").write_bytes(forward.as_bytes())
    middle = EmailMessage()
    middle["From"] = "shipping@shop.example"
    middle["Subject"] = "Shipped"
    middle["Date"] = "Thu, 15 Oct 2026 09:00:00 +0200"
    middle.set_content("Shipped.")
    (folder / "b-shipped.eml").write_bytes(middle.as_bytes())

    result, _, texts = _build(folder, language)
    first, second = result.plan.exhibits
    assert first.source.relpath == "a-forward.eml"
    assert first.timestamp is not None and first.timestamp.source is Src.FORWARDED_EMAIL
    shown = first.timestamp.instant(result.plan.case.zone)
    assert (shown.date(), shown.hour, shown.minute) == (dt.date(2026, 10, 12), 14, 5)
    content = first.content
    assert isinstance(content, EmailContent)
    assert content.forwarded[0].sender.endswith("amazon.com.be>")
    assert any(block.kind == "forwarded" for block in content.blocks)
    page = _exhibit_text(result, texts, first)
    assert "amazon.com.be" in page and "20 Oct 2026" in page
    assert second.source.relpath == "b-shipped.eml"


LOOSE_DATES = [
    pytest.param("Mon, 12 Oct 2026 14:05:00 +0200", (2026, 10, 12, 14, 5), 120, id="rfc5322"),
    pytest.param("Mon, Oct 12, 2026 at 2:05 PM", (2026, 10, 12, 14, 5), None, id="gmail-en"),
    pytest.param("lun. 12 oct. 2026 à 14:05", (2026, 10, 12, 14, 5), None, id="gmail-fr"),
    pytest.param("ma 12 okt. 2026 om 14:05", (2026, 10, 12, 14, 5), None, id="gmail-nl"),
    pytest.param("Mo., 12. Okt. 2026 um 14:05 Uhr", (2026, 10, 12, 14, 5), None, id="gmail-de"),
    pytest.param("12 octobre 2026 à 14:05:33 UTC+2", (2026, 10, 12, 14, 5), 120, id="apple-fr"),
    pytest.param("Montag, 12. Oktober 2026 14:05", (2026, 10, 12, 14, 5), None, id="outlook-de"),
    pytest.param("12/10/2026 14:05", (2026, 10, 12, 14, 5), None, id="numeric"),
    pytest.param("maandag 12 oktober 2026 12:05 +0000", (2026, 10, 12, 12, 5), 0, id="nl-offset"),
]


@pytest.mark.parametrize(("text", "expected", "offset_minutes"), LOOSE_DATES)
def test_parse_loose_date(text, expected, offset_minutes):
    """This test ensures that forwarded-header dates are read in four languages.

    The offset is kept only when one is printed.
    """
    value = parse_loose_date(text)
    assert value is not None
    assert (value.year, value.month, value.day, value.hour, value.minute) == expected
    if offset_minutes is None:
        assert value.tzinfo is None
    else:
        offset = value.utcoffset()
        assert offset is not None and offset.total_seconds() == offset_minutes * 60


@pytest.mark.parametrize("text", ["", "hier", "Pn, 29 paX 2007 21:13:00 +0100", "31/02/2026"])
def test_parse_loose_date_rejects_nonsense(text):
    """This test ensures that an unreadable or impossible date gives None, not a guess."""
    assert parse_loose_date(text) is None


def test_forwarded_header_in_a_table_thunderbird():
    """This test ensures that a forwarded header laid out as a table (Thunderbird) is read."""
    blocks = [
        BodyBlock("paragraph", "-------- Message transféré --------"),
        BodyBlock(
            "table",
            rows=(("Sujet :", "Commande"), ("Date :", "12/10/2026 14:05"), ("De :", "x@y.be")),
        ),
        BodyBlock("paragraph", "Corps"),
    ]
    out, found = find_forwarded(blocks)
    assert [b.kind for b in out] == ["forwarded", "paragraph"]
    assert found[0].sender == "x@y.be"
    assert found[0].date == dt.datetime(2026, 10, 12, 14, 5)


# -- Authenticity ----------------------------------------------------------------------------


def _signed_message(canonicalisation: bytes) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    message = order_confirmation("fr", dt.datetime(2026, 10, 12, 14, 5, tzinfo=dt.UTC))
    del message["From"]
    message["From"] = "Boutique <commandes@shop.example>"
    raw = message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    signature = dkim.sign(
        raw,
        b"sel2026",
        b"shop.example",
        pem,
        include_headers=[b"from", b"to", b"subject", b"date"],
        canonicalize=(canonicalisation, canonicalisation),
    )
    received = (
        b"Received: from mx.shop.example by mx.example.be; Mon, 12 Oct 2026 14:05:09 +0000\r\n"
        b"Received: from app.shop.example by mx.shop.example; Mon, 12 Oct 2026 14:05:02 +0000\r\n"
    )
    return received + signature + raw


@pytest.mark.parametrize("canonicalisation", [b"relaxed", b"simple"])
def test_dkim_body_hash_checked_both_ways(tmp_path, canonicalisation):
    """This test ensures that the DKIM body hash is checked offline, both ways.

    "Unchanged" for the message as signed, "does not match" once the text is edited;
    the header signature is reported as not checked offline.
    """
    signed = _signed_message(canonicalisation)
    edited = signed.replace(b"(text version)", b"(text edition)")
    assert edited != signed
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "signed.eml").write_bytes(signed)
    (folder / "edited.eml").write_bytes(edited)
    result, _, texts = _build(folder, "en")
    by_path = {e.source.relpath: e for e in result.plan.exhibits}
    for name, expected in (("signed.eml", True), ("edited.eml", False)):
        content = by_path[name].content
        assert isinstance(content, EmailContent) and content.authenticity is not None
        (signature,) = content.authenticity.signatures
        assert (signature.domain, signature.selector, signature.body_ok) == (
            "shop.example",
            "sel2026",
            expected,
        )
        assert content.authenticity.hops == 2
        page = _exhibit_text(result, texts, by_path[name])
        page = _squash(page)
        assert _squash("header signature: not checked offline") in page
        if expected:
            assert _squash("body unchanged since signed by shop.example") in page
        else:
            assert _squash("body hash does not match") in page
        assert _squash("First relay: 12 October 2026 16:05:02") in page


# -- Formats: mbox and .msg ---------------------------------------------------------------


def test_mbox_gives_one_exhibit_per_message_in_date_order(tmp_path):
    """This test ensures that a mailbox gives one exhibit per message.

    Whatever the file's name, in date order.
    """
    days = [(14, "Troisième"), (2, "Premier"), (9, "Deuxième")]
    chunks = []
    for day, subject in days:
        message = EmailMessage()
        message["From"] = "shop@shop.example"
        message["Subject"] = subject
        message["Date"] = f"Mon, {day:02d} Nov 2026 10:00:00 +0100"
        message.set_content(f"Message: {subject}.\n")
        chunks.append(b"From shop@shop.example Mon Nov  2 10:00:00 2026\n" + message.as_bytes())
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "Inbox export").write_bytes(b"\n".join(chunks))
    assert sniff(folder / "Inbox export") is Kind.MBOX
    result, _, texts = _build(folder)
    subjects = [e.content.subject for e in result.plan.exhibits]  # type: ignore[union-attr]
    assert subjects == ["Premier", "Deuxième", "Troisième"]
    assert [e.label for e in result.plan.exhibits] == ["Pièce n° 1", "Pièce n° 2", "Pièce n° 3"]
    assert "Deuxième" in _exhibit_text(result, texts, result.plan.exhibits[1])


def test_long_email_flows_over_pages_with_a_stamp_on_each(tmp_path):
    """This test ensures that a long email takes several pages, each stamped."""
    message = EmailMessage()
    message["From"] = "shop@shop.example"
    message["Subject"] = "Conditions générales"
    message["Date"] = "Mon, 02 Nov 2026 10:00:00 +0100"
    message.set_content(
        "\n\n".join(f"Article {n}. " + "Texte des conditions. " * 12 for n in range(90))
    )
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "cgv.eml").write_bytes(message.as_bytes())
    result, _, texts = _build(folder)
    pages = texts[result.first_pages[1] - 1 : -1]  # the last page is the integrity appendix
    assert len(pages) >= 3
    for k, text in enumerate(pages, start=1):
        assert "Pièce n° 1" in text and f"page {k}/{len(pages)} de la pièce" in text
    assert "Article 89." in pages[-1]


@pytest.mark.corpus
def test_msg_is_recognised_by_content(tmp_path):
    """This test ensures that an Outlook message is recognised by its content.

    Whatever its name; a truncated one is reported with a reason.
    """
    copy = tmp_path / "message.dat"
    shutil.copyfile(CORPUS / "emails" / "msgreader__nonUnicodeCP932.msg", copy)
    assert sniff(copy) is Kind.MSG
    (found,) = read_file(fingerprint(copy, tmp_path), ExhibitSettings())
    assert isinstance(found, Exhibit)
    assert isinstance(found.content, EmailContent)
    assert found.content.subject == "日本語 Non Unicode タイトル"  # code page 932, not Latin-9
    truncated = CORPUS / "bad" / "derived_truncated-4096B__bbottema__simple_sent.msg"
    (rejected,) = read_file(fingerprint(truncated, CORPUS), ExhibitSettings())
    assert isinstance(rejected, Rejection)
    assert "Outlook message is damaged" in rejected.reason


# -- The real-world corpus --------------------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_email_renders_or_is_reported(tmp_path):
    """This test ensures that every corpus email renders or is reported.

    Each file is in the dossier with its subject and the start of its body
    extractable from the PDF, or is left out with a reason, or carries a warning
    naming the characters the font lacks.
    """
    folder = CORPUS / "emails"  # read in place; the PDF goes to tmp_path
    result = api.build(
        BuildOptions(folder=folder, output=tmp_path / "out.pdf", skip_unreadable=True, now=NOW)
    )
    texts = [page.extract_text() for page in PdfReader(result.output).pages]
    names = {path.name for path in folder.iterdir()}
    emails = [e for e in result.plan.exhibits if e.parent is None]
    shown = {e.source.relpath for e in emails}
    rejected = {r.relpath: r.reason for r in result.plan.rejections}
    assert shown | set(rejected) == names
    assert all(rejected.values())
    for exhibit in emails:
        content = exhibit.content
        assert isinstance(content, EmailContent)
        page = _squash(_exhibit_text(result, texts, exhibit))
        lacking = missing_glyphs(content.subject + content.body)
        if lacking:
            assert any("not in the dossier's font" in w for w in exhibit.warnings)
        drawable = "".join(c for c in content.subject if c not in lacking)
        assert _squash(drawable) in page, exhibit.source.relpath
        first = next((b.text for b in content.blocks if b.text and b.kind != "image"), "")
        start = "".join(c for c in first[:200] if c not in lacking)
        assert _squash(start)[:60] in page, exhibit.source.relpath
    # The corpus's edge cases, one by one.
    by_name = {e.source.relpath: e for e in emails}
    assert "cannot be read" in " ".join(by_name["mikel-mail__raw_email_with_bad_date.eml"].warnings)
    assert "no Date header" in " ".join(by_name["cpython__msg_15.eml"].warnings)
    assert by_name["mikel-mail__invalid_subject_characters.eml"].content.subject.startswith(  # type: ignore[union-attr]
        "Formação FrenetikPolis"
    )
    bad_date = by_name["mikel-mail__raw_email_with_bad_date.eml"]
    assert "Pn, 29 paX 2007" in _exhibit_text(result, texts, bad_date)  # the note, on paper
    html = by_name["paperless-ngx__html.eml"]
    page = PdfReader(result.output).pages[result.first_pages[html.number] - 1]
    pictures = [
        name
        for name, obj in page["/Resources"]["/XObject"].items()
        if obj.get_object()["/Subtype"] == "/Image"
    ]
    assert pictures  # the cid: picture is drawn
    signed = by_name["bbottema__S_MIME_test_message_signed.msg"]
    assert signed.content.authenticity.smime  # type: ignore[union-attr]
    assert "S/MIME" in _exhibit_text(result, texts, signed)
    subs = [e for e in result.plan.exhibits if e.parent is not None]
    assert any(e.kind is Kind.PDF and e.ref.endswith("a") for e in subs)


@pytest.mark.parametrize(
    ("subject", "dated_by_original"),
    [("RE: Votre commande", False), ("TR: Votre commande", True), ("WG: Bestellung", True)],
)
def test_original_message_marker_dates_forwards_not_replies(subject, dated_by_original):
    """This test ensures that an "Original Message" quote dates a forward, never a reply.

    Outlook writes the same marker above both; the subject tells them apart.
    """
    raw = (
        f"From: client@example.be\nSubject: {subject}\n"
        "Date: Tue, 20 Oct 2026 09:00:00 +0200\nContent-Type: text/plain; charset=utf-8\n\n"
        "Merci.\n\n-----Message d'origine-----\nDe : service@shop.example\n"
        "Envoyé : lundi 12 octobre 2026 14:05\nObjet : Votre commande\n\nBonjour.\n"
    ).encode()
    reading = read_message_bytes(raw)
    sources = [stamp.source for stamp in reading.timestamps]
    assert (Src.FORWARDED_EMAIL in sources) is dated_by_original
    content = reading.content
    assert isinstance(content, EmailContent)
    assert content.forwarded[0].date == dt.datetime(2026, 10, 12, 14, 5)


def test_rfc2231_attachment_name():
    """This test ensures that an RFC 2231 attachment name is decoded ("été", not "%C3%A9")."""
    raw = (
        b"From: shop@shop.example\nSubject: Facture\nDate: Mon, 12 Oct 2026 14:05:00 +0200\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nVoir la pi\xc3\xa8ce jointe.\n"
        b"--b\nContent-Type: text/plain\n"
        b"Content-Disposition: attachment; filename*=utf-8''facture%20%C3%A9t%C3%A9.txt\n\n"
        b"x\n--b--\n"
    )
    content = read_message_bytes(raw).content
    assert isinstance(content, EmailContent)
    assert [a.name for a in content.attachments] == ["facture été.txt"]
    assert content.body == "Voir la pièce jointe."


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abtdrpliuolmgcs:#&;x\n")), max_size=300))
def test_html_reader_never_crashes(html):
    """This test ensures that any markup, however broken, reads as blocks without error."""
    blocks, _ = html_blocks(html, {})
    assert all(isinstance(block, BodyBlock) for block in blocks)


def test_notes_on_the_page_are_in_the_dossier_language(tmp_path):
    """This test ensures that the reader's notes print in the dossier's language.

    A missing Date header, and the weak date that replaces it, are said in Dutch on a
    Dutch dossier (the command line keeps them in English).
    """
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "zonder-datum.eml").write_bytes(
        b"From: winkel@shop.example\nSubject: Retour\n\nUw retour is ontvangen.\n"
    )
    stamp = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC).timestamp()
    os.utime(folder / "zonder-datum.eml", (stamp, stamp))
    result, _, texts = _build(folder, "nl")
    (exhibit,) = result.plan.exhibits
    assert "the message has no Date header" in exhibit.warnings
    page = _exhibit_text(result, texts, exhibit)
    assert "Het bericht heeft geen Date-kop." in page
    assert _squash("de wijzigingsdatum van het bestand wordt gebruikt") in _squash(page)
    assert "(geen Date-kop)" in page


def test_unreadable_message_of_a_mailbox_is_reported_alone(tmp_path):
    """This test ensures that a message without headers costs that message only."""
    good = b"From: shop@shop.example\nSubject: Bon\nDate: Mon, 02 Nov 2026 10:00:00 +0100\n\nOk.\n"
    box = (
        b"From a@b Mon Nov  2 10:00:00 2026\n" + good + b"\n"
        b"From a@b Mon Nov  2 11:00:00 2026\n\njust text, no headers\n\n"
        b"From a@b Mon Nov  2 12:00:00 2026\n" + good.replace(b"Bon", b"Encore")
    )
    (tmp_path / "box.mbox").write_bytes(box)
    found = read_file(fingerprint(tmp_path / "box.mbox", tmp_path), ExhibitSettings())
    assert [type(f).__name__ for f in found] == ["Exhibit", "Rejection", "Exhibit"]
    rejection = found[1]
    assert isinstance(rejection, Rejection)
    assert rejection.relpath == "box.mbox (message 2 of 3)"
    assert "no email headers" in rejection.reason


OUTLOOK_FORWARDS = [
    pytest.param(
        "TR: Votre commande",
        "text/plain",
        "Pour info\n\n________________________________\n"
        "De : Amazon.com.be <confirmation-commande@amazon.com.be>\n"
        "Envoyé : lundi 12 octobre 2026 14:05\nÀ : camille@example.be\n"
        "Objet : Votre commande\n\nMerci pour votre commande.\n",
        id="outlook-text-fr",
    ),
    pytest.param(
        "FW: Your order",
        "text/html",
        "<p>FYI</p><hr><p><b>From:</b> Amazon.com.be &lt;auto-confirm@amazon.com.be&gt;<br>"
        "<b>Sent:</b> Monday, October 12, 2026 2:05 PM<br><b>To:</b> chris@example.be<br>"
        "<b>Subject:</b> Your order</p><p>Thank you for your order.</p>",
        id="outlook-html-en",
    ),
]


@pytest.mark.parametrize(("subject", "kind", "body"), OUTLOOK_FORWARDS)
def test_outlook_forward_without_marker_words(subject, kind, body):
    """This test ensures that Outlook's forwards (a line or rule, then the header) are read."""
    raw = (
        f"From: client@example.be\nSubject: {subject}\nDate: Tue, 20 Oct 2026 09:00:00 +0200\n"
        f"Content-Type: {kind}; charset=utf-8\n\n{body}"
    ).encode()
    reading = read_message_bytes(raw)
    assert reading.timestamps[0].source is Src.FORWARDED_EMAIL
    assert reading.timestamps[0].value == dt.datetime(2026, 10, 12, 14, 5)
    content = reading.content
    assert isinstance(content, EmailContent)
    assert content.forwarded[0].sender.startswith("Amazon.com.be <")
    assert [b.kind for b in content.blocks][-2:] == ["forwarded", "paragraph"]


def test_a_line_of_underscores_alone_is_not_a_forward():
    """This test ensures that a signature separator is not taken for a forwarded header."""
    blocks = [BodyBlock("paragraph", "Merci\n____________\nCamille"), BodyBlock("rule")]
    blocks += [BodyBlock("paragraph", "Bonne journée")]
    out, found = find_forwarded(blocks, "TR: x")
    assert out == blocks and found == []
