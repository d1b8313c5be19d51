"""The forwarded-message box speaks the dossier's language, whatever the mail program wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import BuildOptions, build
from tests.conftest import NOW

FORWARDS = {
    "outlook-fr": (
        "De : Service client <service@shop.example>\n"
        "Envoyé : mardi 3 novembre 2026 14:02\n"
        "À : Anna Peeters <anna@example.org>\n"
        "Objet : Votre remboursement\n"
    ),
    "gmail-en": (
        "---------- Forwarded message ---------\n"
        "From: Service client <service@shop.example>\n"
        "Date: Tue, 3 Nov 2026 at 14:02\n"
        "Subject: Votre remboursement\n"
        "To: Anna Peeters <anna@example.org>\n"
    ),
    "thunderbird-de": (
        "-------- Weitergeleitete Nachricht --------\n"
        "Betreff: Votre remboursement\n"
        "Datum: Tue, 3 Nov 2026 14:02:00 +0100\n"
        "Von: Service client <service@shop.example>\n"
        "An: Anna Peeters <anna@example.org>\n"
    ),
}
LABELS = {
    "nl": ("Doorgestuurd bericht", "Van", "Aan", "Onderwerp"),
    "de": ("Weitergeleitete Nachricht", "Von", "An", "Betreff"),
    "fr": ("Message transféré", "De", "À", "Objet"),
    "en": ("Forwarded message", "From", "To", "Subject"),
}
FOREIGN = ("Envoyé", "Forwarded message", "Weitergeleitete Nachricht", "Objet :", "Betreff:")


def _email(forward: str) -> bytes:
    return (
        "From: Anna Peeters <anna@example.org>\r\n"
        "To: Anna Peeters <anna@example.org>\r\n"
        "Subject: TR: Votre remboursement\r\n"
        "Date: Wed, 04 Nov 2026 09:00:00 +0100\r\n"
        "Message-ID: <fw-1@example.org>\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        "Pour le dossier.\r\n\r\n"
        + forward.replace("\n", "\r\n")
        + "\r\nLe remboursement suit.\r\n"
    ).encode("utf-8")


@pytest.mark.parametrize("client", sorted(FORWARDS))
@pytest.mark.parametrize("language", sorted(LABELS))
def test_the_forwarded_box_uses_the_dossier_labels(client, language, tmp_path: Path):
    """This test ensures "Envoyé :", "From:" or "Betreff:" become the dossier's own labels."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "fw.eml").write_bytes(_email(FORWARDS[client]))
    (folder / "case.toml").write_text(f'language = "{language}"\n', encoding="utf-8")
    output = tmp_path / "d.pdf"
    build(BuildOptions(folder=folder, output=output, now=NOW))
    page = next(
        p.extract_text()
        for p in PdfReader(output).pages
        if "Votre remboursement" in p.extract_text() and "Le remboursement suit" in p.extract_text()
    )
    box = re.sub(r"\s+", " ", page.split("Pour le dossier.")[1].split("Le remboursement suit")[0])
    title, sender, recipient, subject = LABELS[language]
    assert box.strip().startswith(title), box
    for label in (sender, recipient, subject):
        assert f" {label} " in f" {box} ", (label, box)
    for foreign in FOREIGN:
        if foreign not in LABELS[language]:
            assert foreign not in box, (foreign, box)
