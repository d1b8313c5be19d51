"""Email bodies sent in several parts: text, an attachment, more text.

Apple Mail sends a picture placed in the middle of a message as
multipart/alternative(text, multipart/mixed(html, picture, html)); other
mailers send multipart/mixed(text, attachment, text). Every text part is
body, in order, and real attachments stay attachments. Invented people.
"""

from __future__ import annotations

import pytest

from dossier.model import EmailContent
from dossier.readers.email import read_message_bytes

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def head(content_type: str) -> str:
    return (
        "From: Eva Janssens <eva@example.org>\nTo: service@shop.example\nSubject: Foto's\n"
        f"Date: Mon, 02 Nov 2026 08:00:05 +0100\nMIME-Version: 1.0\nContent-Type: {content_type}\n\n"
    )


def part(content_type: str, body: str, disposition: str = "") -> str:
    extra = f"Content-Disposition: {disposition}\n" if disposition else ""
    return f"Content-Type: {content_type}\n{extra}\n{body}\n"


def multipart(boundary: str, *parts: str) -> str:
    return "".join(f"--{boundary}\n{p}" for p in parts) + f"--{boundary}--\n"


APPLE = head('multipart/alternative; boundary="ALT"') + multipart(
    "ALT",
    part("text/plain; charset=utf-8", "Hier de foto.\n\n[foto]\n\nMet vriendelijke groet, Eva"),
    'Content-Type: multipart/mixed; boundary="MIX"\n\n'
    + multipart(
        "MIX",
        part("text/html; charset=utf-8", "<html><body><div>Hier de foto.</div></body></html>"),
        'Content-Type: image/png; name="foto.png"\nContent-Disposition: inline; '
        f'filename="foto.png"\nContent-Transfer-Encoding: base64\n\n{PNG}\n',
        part(
            "text/html; charset=utf-8",
            "<html><body><div>Met vriendelijke groet, Eva</div></body></html>",
        ),
    ),
)
MIXED_TEXT = head('multipart/mixed; boundary="M"') + multipart(
    "M",
    part("text/plain; charset=utf-8", "Bonjour, voici la facture :"),
    'Content-Type: application/pdf; name="facture.pdf"\nContent-Disposition: attachment; '
    'filename="facture.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n',
    part("text/plain; charset=utf-8", "Et la suite du message.", "inline"),
    part("text/html; charset=utf-8", "<p>Cordialement, Eva</p>", 'inline; filename="p.html"'),
)
MIXED_ALTERNATIVES = head('multipart/mixed; boundary="M"') + multipart(
    "M",
    'Content-Type: multipart/alternative; boundary="A1"\n\n'
    + multipart(
        "A1",
        part("text/plain; charset=utf-8", "Sehr geehrte Damen und Herren,"),
        part("text/html; charset=utf-8", "<p>Sehr geehrte Damen und Herren,</p>"),
    ),
    'Content-Type: image/png; name="schaden.png"\nContent-Disposition: attachment; '
    f'filename="schaden.png"\nContent-Transfer-Encoding: base64\n\n{PNG}\n',
    'Content-Type: multipart/alternative; boundary="A2"\n\n'
    + multipart(
        "A2",
        part("text/plain; charset=utf-8", "Mit freundlichen Grüßen"),
        part("text/html; charset=utf-8", "<p>Mit freundlichen Grüßen</p>"),
    ),
    part("text/plain; charset=utf-8", "notizen", 'attachment; filename="notizen.txt"'),
)


@pytest.mark.parametrize(
    ("raw", "texts", "attachments"),
    [
        pytest.param(
            APPLE, ["Hier de foto.", "Met vriendelijke groet, Eva"], ["foto.png"], id="apple-mail"
        ),
        pytest.param(
            MIXED_TEXT,
            ["Bonjour, voici la facture :", "Et la suite du message.", "Cordialement, Eva"],
            ["facture.pdf"],
            id="mixed-text-and-html",
        ),
        pytest.param(
            MIXED_ALTERNATIVES,
            ["Sehr geehrte Damen und Herren,", "Mit freundlichen Grüßen"],
            ["schaden.png", "notizen.txt"],
            id="mixed-alternatives",
        ),
    ],
)
def test_every_text_part_of_a_body_is_shown_in_order(raw, texts, attachments):
    """This test ensures that a body split around an attachment shows all its text, in order.

    Its text parts are not listed as attachments; real attachments still are.
    """
    content = read_message_bytes(raw.encode()).content
    assert isinstance(content, EmailContent)
    assert [b.text for b in content.blocks if b.kind == "paragraph"] == texts
    assert [a.name for a in content.attachments] == attachments
