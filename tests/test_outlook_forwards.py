"""Outlook forwards whose quoted header block is in Dutch, French, German or English.

Outlook writes no "Forwarded message" line: its .eml text has the header
block alone (sometimes under a line of underscores), its HTML puts it in a
box with a top border, and a .msg keeps the same body. The dates are written
the way each language's Outlook writes them. People and addresses are invented.
"""

from __future__ import annotations

import datetime as dt
import types

import pytest

from dossier.model import EmailContent
from dossier.model import TimestampSource as Src
from dossier.readers.email import read_message_bytes
from dossier.readers.msg import _content

HEADERS = {
    "nl": (
        "Doorst: Je bestelling",
        ("Van", "Verzonden", "Aan", "Onderwerp"),
        "woensdag 4 november 2026 14:02",
    ),
    "fr": (
        "TR: Votre commande",
        ("De ", "Envoyé ", "À ", "Objet "),
        "vendredi 6 novembre 2026 14:02",
    ),
    "de": (
        "WG: Ihre Bestellung",
        ("Von", "Gesendet", "An", "Betreff"),
        "Freitag, 6. November 2026 14:02",
    ),
    "en": ("FW: Your order", ("From", "Sent", "To", "Subject"), "11 April 2016 19:11"),
}
EXPECTED = {
    "nl": dt.datetime(2026, 11, 4, 14, 2),
    "fr": dt.datetime(2026, 11, 6, 14, 2),
    "de": dt.datetime(2026, 11, 6, 14, 2),
    "en": dt.datetime(2016, 4, 11, 19, 11),
}


def header_lines(language: str) -> list[str]:
    _, (sender, sent, to, subject), date = HEADERS[language]
    return [
        f"{sender}: Shop Service <service@shop.example>",
        f"{sent}: {date}",
        f"{to}: Eva Janssens <eva@example.org>",
        f"{subject}: {HEADERS[language][0].split(': ', 1)[1]}",
    ]


def text_body(language: str, underscores: bool) -> str:
    line = "________________________________\n" if underscores else ""
    return "Zie onder.\n\n" + line + "\n".join(header_lines(language)) + "\n\nOriginal text.\n"


def html_body(language: str) -> str:
    fields = "<br>".join(
        f"<b>{name}:</b> {value}"
        for name, value in (line.split(": ", 1) for line in header_lines(language))
    ).replace("<service@shop.example>", "&lt;service@shop.example&gt;")
    fields = fields.replace("<eva@example.org>", "&lt;eva@example.org&gt;")
    return (
        '<html><body><div class="WordSection1"><p class="MsoNormal">Zie onder.</p>'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        f'<p class="MsoNormal">{fields}</p></div>'
        '<p class="MsoNormal">Original text.</p></div></body></html>'
    )


def eml(language: str, kind: str, body: str) -> bytes:
    subject = HEADERS[language][0]
    return (
        f"From: eva@example.org\nSubject: {subject}\nDate: Mon, 23 Nov 2026 09:00:00 +0100\n"
        f"MIME-Version: 1.0\nContent-Type: {kind}; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize(
    "form", ["text", "text-underscores", "html-border"], ids=["text", "underscores", "html"]
)
def test_outlook_eml_forward_is_dated_by_the_original(language, form):
    """This test ensures that an Outlook forward in any of four languages is dated by its original.

    The quoted header becomes a forwarded box; the text before and after it stays.
    """
    if form == "html-border":
        raw = eml(language, "text/html", html_body(language))
    else:
        raw = eml(language, "text/plain", text_body(language, form == "text-underscores"))
    reading = read_message_bytes(raw)
    assert reading.timestamps[0].source is Src.FORWARDED_EMAIL
    assert reading.timestamps[0].value == EXPECTED[language]
    content = reading.content
    assert isinstance(content, EmailContent)
    assert content.forwarded[0].sender == "Shop Service <service@shop.example>"
    kinds = [b.kind for b in content.blocks if b.kind != "rule"]
    assert kinds == ["paragraph", "forwarded", "paragraph"]
    assert content.blocks[0].text == "Zie onder."


def _msg(language: str, html: bool, sent: dt.datetime | None) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        date=sent,
        attachments=[],
        htmlBody=html_body(language).encode() if html else None,
        body=text_body(language, underscores=False),
        subject=HEADERS[language][0],
        sender="Eva Janssens <eva@example.org>",
        to="Eva Janssens <eva@example.org>",
        cc="",
        messageId="<1@example.org>",
        header=None,
        classType="IPM.Note",
    )


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("html", [True, False], ids=["html", "text"])
def test_outlook_msg_forward_is_dated_by_the_original(language, html):
    """This test ensures that a .msg forward (an unsent draft too) is dated by its original.

    Without a sent time, the file's modification time would be the only date
    left: the original's date is better evidence.
    """
    notes: list[str] = []
    content, stamps = _content(_msg(language, html, None), notes, 0)
    assert [s.source for s in stamps] == [Src.FORWARDED_EMAIL]
    assert stamps[0].value == EXPECTED[language]
    assert content.forwarded[0].sender == "Shop Service <service@shop.example>"
    sent = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    _, stamps = _content(_msg(language, html, sent), [], 0)
    assert [s.source for s in stamps] == [Src.FORWARDED_EMAIL, Src.EMAIL_HEADER]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("De : Bruxelles, nous partons\nÀ : Namur demain", id="fr-prose"),
        pytest.param("Van: Gent\nAan: Brugge, zonder datum", id="nl-route"),
    ],
)
def test_field_like_prose_is_not_a_forward(text):
    """This test ensures that lines that look like fields but give no date are left as text."""
    raw = eml("fr", "text/plain", f"Bonjour,\n\n{text}\n\nCordialement")
    content = read_message_bytes(raw).content
    assert isinstance(content, EmailContent)
    assert content.forwarded == ()
    assert all(b.kind == "paragraph" for b in content.blocks)
