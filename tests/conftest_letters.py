"""Case facts and exhibits for the letter tests, built in memory (no photos, fast)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from dossier.case.facts import (
    CaseFacts,
    Charge,
    Contact,
    Demand,
    LetterSettings,
    Order,
    OrderItem,
    Party,
)
from dossier.layout.style import strings
from dossier.model import (
    EmailContent,
    Exhibit,
    ImageContent,
    Kind,
    NoteContent,
    SourceFile,
    Timestamp,
    TimestampSource,
)

ORDER_NUMBER = "402-1234567-1234567"
LETTER_DATE = dt.date(2026, 11, 20)


def make_exhibits(language: str) -> tuple[Exhibit, ...]:
    """Four numbered exhibits: the confirmation, a photo, a chat note and a reply."""
    words = strings(language)
    confirmation = EmailContent(
        sender='"Amazon.com.be" <confirmation-commande@amazon.com.be>',
        to="claimant@example.org",
        cc="",
        date_header="Wed, 28 Oct 2026 14:02:11 +0100",
        subject=f"Votre commande Amazon.com.be n° {ORDER_NUMBER}",
        message_id="<1@example.org>",
        body=f"Commande n° {ORDER_NUMBER}\nArticle : Bouilloire\nQuantité : 1\n"
        "Prix : 23,99 €\nTotal : 23,99 €\n",
    )
    specs = [
        ("confirmation.eml", Kind.EMAIL, confirmation, dt.datetime(2026, 10, 28, 14, 2)),
        (
            "IMG_20261030_101500.jpg",
            Kind.JPEG,
            ImageContent(10, 10, 1, 1, None),
            dt.datetime(2026, 10, 30, 10, 15),
        ),
        ("chat.txt", Kind.NOTE, NoteContent("Chat"), dt.datetime(2026, 11, 4, 9, 0)),
        ("reply.txt", Kind.NOTE, NoteContent("Reply"), dt.datetime(2026, 11, 6, 9, 0)),
    ]
    exhibits = []
    for number, (name, kind, content, when) in enumerate(specs, start=1):
        source = SourceFile(Path("/nonexistent") / name, name, 1, "0" * 64, 0.0)
        exhibits.append(
            Exhibit(
                source=source,
                kind=kind,
                content=content,
                timestamp=Timestamp(when, TimestampSource.FILENAME),
                number=number,
                label=words.format("exhibit_label", number=number),
                caption=f"Caption {number} of {name}",
            )
        )
    return tuple(exhibits)


def make_facts(kind: str, problems: tuple[str, ...], **order_changes: object) -> CaseFacts:
    """Complete facts for a letter of ``kind`` about ``problems``."""
    order = Order(
        number=ORDER_NUMBER,
        date=dt.date(2026, 10, 28),
        items=(OrderItem("Bouilloire électrique 1,7 L", 2, Decimal("1234.50")),),
        total=Decimal("2469.00"),
        expected_delivery=dt.date(2026, 10, 30),
        seller="Amazon EU S.à r.l.",
        charges=(Charge(dt.date(2026, 10, 29), Decimal("2469.00")),),
    )
    for key, value in order_changes.items():
        order = Order(**{**{f: getattr(order, f) for f in Order.__dataclass_fields__}, key: value})
    return CaseFacts(
        problems=problems,
        claimant=Party(
            name="Łukasz Dvořák-Müller",
            address=("Rue de la Station 12", "1000 Bruxelles", "Belgique"),
            country="BE",
            email="lukasz@example.org",
            account_email="lukasz.orders@example.org",
        ),
        order=order,
        contacts=(
            Contact(dt.date(2026, 11, 4), "chat", "Refund promised within 5 days."),
            Contact(dt.date(2026, 11, 10), "letter", "First letter.", reference="R-77"),
        ),
        demand=Demand(
            remedy="refund", amount=Decimal("1234.50"), iban="BE68539007547034", bic="GKCCBEBB"
        ),
        letter=LetterSettings(kind=kind, place="Bruxelles", date=LETTER_DATE),
    )


def email_only_case(text: str) -> str:
    """A sample's case file for a folder holding only its email: no other file named."""
    text = text.split("[exhibits.")[0]
    text = re.sub(r"charges = \[.*?\n\]\n", "", text, flags=re.DOTALL)
    return re.sub(r'^exhibit = ".*"\n', "", text, flags=re.MULTILINE)
