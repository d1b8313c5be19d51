"""Order facts read from confirmations written by mail programs, and several orders in a folder.

The messages are made here in the forms people send: a retailer's HTML or
text confirmation in French, Dutch, German or English, forwarded from a
phone by Gmail, Apple Mail, Thunderbird or Outlook (inline or as an attached
message). People and addresses are invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.api import plan
from dossier.case.facts import CaseFacts, Order, OrderItem, Party
from dossier.case.order_facts import (
    about_other_order,
    fill_from_evidence,
    orders_found,
    read_items,
    read_order_evidence,
)
from dossier.letters.letter import build_events, letter_words
from dossier.model import BuildOptions, EmailContent, Exhibit, Kind, SourceFile
from dossier.readers.email import read_message_bytes

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)

FR_TEXT = """Bonjour Marie Dubois,

Commande n° 402-1111111-2222222
Date de commande : 28 octobre 2026

Article  Quantité  Prix
Bouilloire électrique 1,7 L  1  23,99 €
Vendu par Amazon EU S.à r.l.
Filtre anticalcaire  2  4,50 €
Sous-total des articles  32,99 €
Livraison  0,00 €
Total  32,99 €
"""
NL_HTML = """<html><body><p>Hallo Jan Peeters,</p>
<p>Bestelnummer 403-3333333-4444444<br>Besteldatum: 2 november 2026</p>
<table><tr><th>Artikel</th><th>Aantal</th><th>Prijs</th></tr>
<tr><td>Stofzuiger X200<br>Verkocht door Stofzuigers BV</td><td>1</td><td>€ 149,00</td></tr>
<tr><td>Stofzakken (10 stuks)</td><td>3</td><td>€ 7,99</td></tr>
<tr><td>Subtotaal</td><td></td><td>€ 172,97</td></tr>
<tr><td>Verzendkosten</td><td></td><td>€ 0,00</td></tr>
<tr><td>Totaal</td><td></td><td>€ 172,97</td></tr></table></body></html>"""
DE_TEXT = """Hallo Hans Becker,

Bestellnr. 303-5555555-6666666
Bestelldatum: 3. November 2026

Artikel\tMenge\tGesamt
Wasserkocher Edelstahl\t2\t39,98 €
Teekanne 1 l\t1\t12,00 €
Zwischensumme: 51,98 €
Versandkosten: 3,99 €
Gesamtbetrag: 55,97 €
"""
EN_HTML = """<html><body><p>Hello Jane Smith,</p><p>Order #111-7777777-8888888</p>
<p>Order placed: November 4, 2026</p>
<table><tr><td>Item</td><td>Qty</td><td>Price</td></tr>
<tr><td>USB-C charger 65 W</td><td>1</td><td>€29.99</td></tr>
<tr><td>Cable 2 m</td><td>2</td><td>€9.99</td></tr>
<tr><td>Order total:</td><td></td><td>€49.97</td></tr></table></body></html>"""


def message(
    sender: str, subject: str, body: str, html: bool = False, to: str = "me@example.org"
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = "Wed, 04 Nov 2026 09:15:00 +0100"
    mail.set_content(body, subtype="html" if html else "plain")
    return mail


def read(mail: EmailMessage) -> EmailContent:
    content = read_message_bytes(bytes(mail)).content
    assert isinstance(content, EmailContent)
    return content


@pytest.mark.parametrize(
    ("body", "html", "items", "total"),
    [
        pytest.param(
            FR_TEXT,
            False,
            (
                OrderItem("Bouilloire électrique 1,7 L", 1, Decimal("23.99")),
                OrderItem("Filtre anticalcaire", 2, Decimal("4.50")),
            ),
            "32.99",
            id="fr-text-table",
        ),
        pytest.param(
            NL_HTML,
            True,
            (
                OrderItem("Stofzuiger X200", 1, Decimal("149.00")),
                OrderItem("Stofzakken (10 stuks)", 3, Decimal("7.99")),
            ),
            "172.97",
            id="nl-html-table",
        ),
        pytest.param(
            DE_TEXT,
            False,
            (
                OrderItem("Wasserkocher Edelstahl", 2, Decimal("19.99")),
                OrderItem("Teekanne 1 l", 1, Decimal("12.00")),
            ),
            "55.97",
            id="de-tab-table-line-totals",
        ),
        pytest.param(
            EN_HTML,
            True,
            (
                OrderItem("USB-C charger 65 W", 1, Decimal("29.99")),
                OrderItem("Cable 2 m", 2, Decimal("9.99")),
            ),
            "49.97",
            id="en-html-table",
        ),
    ],
)
def test_items_are_read_from_item_tables(body, html, items, total):
    """This test ensures that an item table gives title, quantity and unit price of each item."""
    content = read(message("auto-confirm@amazon.com.be", "Votre commande", body, html))
    evidence = read_order_evidence(content, "c.eml")
    assert evidence is not None
    assert evidence.items == items
    assert evidence.total == Decimal(total)
    facts, inferred, warnings = fill_from_evidence(CaseFacts(), [_exhibit(content)])
    assert facts.order.items == items
    assert any(line.startswith("order.items = ") for line in inferred)
    assert not any("not sure of the items" in w for w in warnings)


def test_items_that_do_not_add_up_give_a_warning():
    """This test ensures that items whose sum differs from the subtotal are flagged as unsure."""
    body = FR_TEXT.replace("Filtre anticalcaire  2  4,50 €", "Filtre anticalcaire  2  5,50 €")
    content = read(message("auto-confirm@amazon.com.be", "Commande", body))
    _, _, warnings = fill_from_evidence(CaseFacts(), [_exhibit(content)])
    assert any("not sure of the items" in w and "34.99" in w and "32.99" in w for w in warnings)


def test_a_table_without_an_item_header_gives_no_items():
    """This test ensures that a layout table of amounts is not taken for an item list."""
    text = "Montant  23,99 €\nRéférence  ABC\nTotal  23,99 €"
    assert list(read_items(text)) == []


ORIGINAL_FR = ("Amazon.fr <confirmation-commande@amazon.fr>", "Votre commande Amazon.fr")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "Regarde ça\n\n---------- Forwarded message ---------\n"
            f"From: {ORIGINAL_FR[0]}\nDate: Wed, Oct 28, 2026 at 9:12 AM\n"
            f"Subject: {ORIGINAL_FR[1]}\nTo: <marie@example.org>\n\n{FR_TEXT}",
            id="gmail-en",
        ),
        pytest.param(
            "\n\n---------- Message transféré ---------\n"
            f"De : {ORIGINAL_FR[0]}\nDate : mer. 28 oct. 2026 à 09:12\n"
            f"Objet : {ORIGINAL_FR[1]}\nÀ : <marie@example.org>\n\n{FR_TEXT}",
            id="gmail-fr",
        ),
        pytest.param(
            "Envoyé de mon iPhone\n\nDébut du message réexpédié :\n\n"
            f"De: {ORIGINAL_FR[0]}\nObjet: {ORIGINAL_FR[1]}\n"
            "Date: 28 octobre 2026 à 09:12:00 UTC+1\nÀ: marie@example.org\n\n" + FR_TEXT,
            id="apple-mail-fr",
        ),
        pytest.param(
            "\n\n-------- Doorgestuurd bericht --------\n"
            f"Onderwerp: \t{ORIGINAL_FR[1]}\nDatum: \tWed, 28 Oct 2026 09:12:00 +0100\n"
            f"Van: \t{ORIGINAL_FR[0]}\nAan: \tmarie@example.org\n\n{FR_TEXT}",
            id="thunderbird-nl",
        ),
        pytest.param(
            "\n\n________________________________\n"
            f"Von: {ORIGINAL_FR[0]}\nGesendet: Mittwoch, 28. Oktober 2026 09:12\n"
            f"An: marie@example.org\nBetreff: {ORIGINAL_FR[1]}\n\n{FR_TEXT}",
            id="outlook-de",
        ),
        pytest.param(
            "\n\n-----Message d'origine-----\n"
            "De : Amazon.fr [mailto:confirmation-commande@amazon.fr]\n"
            "Envoyé : mercredi 28 octobre 2026 09:12\nÀ : Marie Dubois\n"
            f"Objet : {ORIGINAL_FR[1]}\n\n{FR_TEXT}",
            id="outlook-fr-mailto",
        ),
    ],
)
def test_a_confirmation_forwarded_inline_is_read(body):
    """This test ensures that a retailer's confirmation forwarded from the user's own address counts.

    The output says who forwarded it.
    """
    content = read(message("Marie Dubois <marie@example.org>", "Fwd: commande", body))
    evidence = read_order_evidence(content, "fwd.eml")
    assert evidence is not None
    assert evidence.number == "402-1111111-2222222"
    assert evidence.date == dt.date(2026, 10, 28)
    assert evidence.forwarded_by == "Marie Dubois <marie@example.org>"
    facts, inferred, _ = fill_from_evidence(CaseFacts(), [_exhibit(content, "fwd.eml")])
    assert facts.order.total == Decimal("32.99")
    assert (
        "order.number = 402-1111111-2222222 (from fwd.eml, forwarded by "
        "Marie Dubois <marie@example.org>)" in inferred
    )


def test_a_confirmation_forwarded_as_an_attached_message_is_read():
    """This test ensures that a confirmation attached as a message (message/rfc822) is read."""
    original = message("bestelbevestiging@amazon.nl", "Je bestelling", NL_HTML, html=True)
    outer = message("jan@example.org", "Doorst: Je bestelling", "Zie bijlage.")
    outer.add_attachment(original)
    content = read(outer)
    evidence = read_order_evidence(content, "doorst.eml")
    assert evidence is not None
    assert evidence.number == "403-3333333-4444444"
    assert evidence.forwarded_by == "jan@example.org"
    assert evidence.seller == "Stofzuigers BV"


def test_a_forward_from_a_fake_retailer_is_not_read():
    """This test ensures that a forwarded "Amazon" with another address domain is not trusted."""
    body = (
        "---------- Forwarded message ---------\n"
        'From: "Amazon.fr" <confirmation-commande@amazon.fr.example.net>\n'
        "Date: Wed, Oct 28, 2026 at 9:12 AM\nSubject: Votre commande\n\n" + FR_TEXT
    )
    content = read(message("marie@example.org", "Fwd: commande", body))
    assert content.forwarded and content.forwarded[0].forwarded
    assert read_order_evidence(content, "x.eml") is None


def test_a_forwarded_marketplace_seller_gives_the_recipient_note():
    """This test ensures that a seller found in a forwarded confirmation gives the recipient note."""
    original = message("bestelbevestiging@amazon.nl", "Je bestelling", NL_HTML, html=True)
    outer = message("jan@example.org", "Fwd: Je bestelling", "")
    outer.add_attachment(original)
    _, _, warnings = fill_from_evidence(CaseFacts(), [_exhibit(read(outer))])
    assert any("'Stofzuigers BV', not by Amazon" in w and "forwarded by" in w for w in warnings)


def _exhibit(content: EmailContent, name: str = "c.eml", number: int = 1) -> Exhibit:
    source = SourceFile(Path(name), name, 1, "0" * 64, 0.0)
    return Exhibit(source=source, kind=Kind.EMAIL, content=content, number=number)


def _two_orders() -> list[Exhibit]:
    first = read(message("confirmation-commande@amazon.fr", "Commande", FR_TEXT))
    second = read(message("auto-confirm@amazon.com", "Order", EN_HTML, html=True))
    reply = read(
        message(
            "cs-reply@amazon.com",
            "Your order 111-7777777-8888888",
            "We are sorry about order 111-7777777-8888888.",
        )
    )
    return [
        _exhibit(first, "a.eml", 1),
        _exhibit(second, "b.eml", 2),
        _exhibit(reply, "c.eml", 3),
    ]


def test_several_orders_fill_nothing_and_list_the_orders():
    """This test ensures that with several orders and no number in the case file nothing is picked.

    The notices list each order (number, date, total, file) and name the key to set.
    """
    facts = CaseFacts(claimant=Party(name="Marie Dubois"))
    filled, inferred, notices = fill_from_evidence(facts, _two_orders())
    assert filled == facts and inferred == ()
    assert "set [order] number" in notices[0]
    assert notices[1:] == (
        "found order 402-1111111-2222222 of 2026-10-28, total 32.99, in a.eml",
        "found order 111-7777777-8888888 of 2026-11-04, total 49.97, in b.eml",
    )
    assert list(orders_found(_two_orders())) == ["402-1111111-2222222", "111-7777777-8888888"]


def test_the_named_order_is_used_and_the_others_stay_out_of_the_timeline():
    """This test ensures that only the named order's facts are used and its timeline skips the rest.

    A confirmation addressed to another person than the claimant gives a warning.
    """
    exhibits = _two_orders()
    facts = CaseFacts(
        claimant=Party(name="Marie Dubois"), order=Order(number="111-7777777-8888888")
    )
    filled, _, warnings = fill_from_evidence(facts, exhibits)
    assert filled.order.total == Decimal("49.97")
    assert filled.order.date == dt.date(2026, 11, 4)
    assert any("addressed to 'Jane Smith'" in w and "not sure" in w for w in warnings)
    assert about_other_order(exhibits[0], "111-7777777-8888888")
    assert not about_other_order(exhibits[2], "111-7777777-8888888")
    dated = [
        _dated(e, dt.datetime(2026, 10, 28 + i, 10, 0, tzinfo=dt.UTC))
        for i, e in enumerate(exhibits)
    ]
    events = build_events(filled, dated, letter_words("en"), dt.UTC)
    cited = {e.source.relpath for event in events for e in event.exhibits}
    assert "a.eml" not in cited
    assert {"b.eml", "c.eml"} <= cited


def _dated(exhibit: Exhibit, when: dt.datetime) -> Exhibit:
    import dataclasses

    from dossier.model import Timestamp, TimestampSource

    return dataclasses.replace(
        exhibit, timestamp=Timestamp(when, TimestampSource.EMAIL_HEADER, "Date")
    )


@pytest.mark.parametrize(
    ("greeting", "warned"),
    [
        pytest.param("Bonjour Marie,", False, id="fr-first-name"),
        pytest.param("Beste mevrouw Dubois,", False, id="nl-surname"),
        pytest.param("Guten Tag Hans Becker,", True, id="de-other"),
        pytest.param("Dear Jane Smith,", True, id="en-other"),
    ],
)
def test_a_confirmation_to_another_name_is_flagged(greeting, warned):
    """This test ensures that the greeting's name is compared with the claimant's."""
    body = FR_TEXT.replace("Bonjour Marie Dubois,", greeting)
    content = read(message("confirmation-commande@amazon.fr", "Commande", body))
    facts = CaseFacts(claimant=Party(name="Marie Dubois"))
    _, _, warnings = fill_from_evidence(facts, [_exhibit(content)])
    assert any("addressed to" in w for w in warnings) is warned


def test_several_orders_build_no_letter_and_the_inferred_number_goes_in_the_footer(tmp_path):
    """This test ensures the plan of a folder with two orders writes no letter and lists them.

    With one order, the number found becomes the footer's reference.
    """
    (tmp_path / "case.toml").write_text(
        'language = "en"\nproblem = ["not_delivered"]\n[claimant]\nname = "Marie Dubois"\n'
        'address = ["Rue X 1", "1000 Bruxelles"]\n',
        encoding="utf-8",
    )
    (tmp_path / "a.eml").write_bytes(
        bytes(message("confirmation-commande@amazon.fr", "Commande", FR_TEXT))
    )
    single = plan(BuildOptions(folder=tmp_path, now=NOW))
    assert single.case.reference == "402-1111111-2222222"
    assert not any("no formal notice letter" in n for n in single.notices)
    (tmp_path / "b.eml").write_bytes(
        bytes(message("auto-confirm@amazon.com", "Order", EN_HTML, html=True))
    )
    several = plan(BuildOptions(folder=tmp_path, now=NOW))
    assert several.case.reference is None and several.inferred == ()
    assert any("2 different orders" in n for n in several.notices)
    assert any("no formal notice letter" in n and "order.number" in n for n in several.notices)
    assert sum(n.startswith("found order ") for n in several.notices) == 2


def test_a_forwarded_original_without_an_address_is_not_read():
    """This test ensures that a forwarded sender shown by name only ("Amazon.nl") is not trusted.

    Without the address the sender cannot be told from a phishing mail: not sure, not read.
    """
    body = (
        "\n\n________________________________\nVan: Amazon.nl\n"
        "Verzonden: woensdag 28 oktober 2026 09:12\nAan: Jan Peeters\n"
        f"Onderwerp: Je bestelling\n\n{FR_TEXT}"
    )
    content = read(message("jan@example.org", "Doorst: Je bestelling", body))
    assert content.forwarded and content.forwarded[0].sender == "Amazon.nl"
    assert read_order_evidence(content, "d.eml") is None
