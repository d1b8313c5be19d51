"""Order facts read from confirmation emails, and what they fill in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from dossier.api import plan
from dossier.case.facts import CaseFacts, Order, OrderItem, Party
from dossier.case.order_facts import (
    fill_from_evidence,
    is_retailer_email,
    parse_amount_text,
    parse_date_text,
    read_order_evidence,
)
from dossier.model import BuildOptions, EmailContent, Exhibit, Kind, SourceFile
from tests.conftest_samples import SAMPLES

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def mail(
    body: str,
    sender: str = "<confirmation-commande@amazon.fr>",
    subject: str = "",
    date: str = "Tue, 03 Nov 2026 10:00:00 +0100",
) -> EmailContent:
    return EmailContent(sender, "me@example.org", "", date, subject, "<1@x>", body)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        pytest.param("Total : EUR 23,99", "23.99", id="eur-prefix"),
        pytest.param("Total : 23,99 €", "23.99", id="fr"),
        pytest.param("Totaal: € 23,99", "23.99", id="nl"),
        pytest.param("Order total: €23.99", "23.99", id="en"),
        pytest.param("Gesamtbetrag: 1.234,50 €", "1234.50", id="de-thousands"),
        pytest.param("Total : 1\u202f234,50\u00a0€", "1234.50", id="fr-thousands"),
        pytest.param("Total: €1,234.50", "1234.50", id="en-thousands"),
        pytest.param("Total : 24 €", "24.00", id="whole"),
    ],
)
def test_amounts(text, amount):
    """This test ensures that amounts in every locale's spelling become exact Decimals."""
    assert parse_amount_text(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        pytest.param("28 octobre 2026", dt.date(2026, 10, 28), id="fr"),
        pytest.param("2 november 2026", dt.date(2026, 11, 2), id="nl"),
        pytest.param("2. November 2026", dt.date(2026, 11, 2), id="de"),
        pytest.param("3. März 2026", dt.date(2026, 3, 3), id="de-umlaut"),
        pytest.param("November 2, 2026", dt.date(2026, 11, 2), id="en-us"),
        pytest.param("2 Nov 2026", dt.date(2026, 11, 2), id="en-short"),
        pytest.param("28/10/2026", dt.date(2026, 10, 28), id="numeric"),
        pytest.param("2026-10-28", dt.date(2026, 10, 28), id="iso"),
        pytest.param("31 février 2026", None, id="impossible"),
    ],
)
def test_dates(text, day):
    """This test ensures that order dates in FR, NL, DE and EN are read."""
    assert parse_date_text(text) == day


def test_sender_is_judged_by_address_not_display_name():
    """This test ensures that a fake "Amazon" display name on another domain is not trusted."""
    assert is_retailer_email(mail("", sender='"Amazon.com.be" <order-update@amazon.com.be>'))
    assert is_retailer_email(mail("", sender="bestellbestaetigung@amazon.de"))
    assert not is_retailer_email(mail("", sender='"Amazon.fr" <confirm@amazon.fr.evil.example>'))
    assert not is_retailer_email(mail("", sender='"auto-confirm@amazon.com" <x@example.com>'))
    body = "Order #402-1234567-1234567\nItem: Kettle\nQty: 1\nPrice: €23.99\nOrder total: €23.99"
    assert read_order_evidence(mail(body, sender='"Amazon" <no@phish.example>'), "x.eml") is None


def test_german_confirmation():
    """This test ensures that a German confirmation gives number, date, items, total, seller."""
    body = (
        "Bestellnr. 303-1111111-2222222\nBestelldatum: 3. November 2026\n"
        "Artikel: Wasserkocher\nMenge: 2\nPreis: 19,99 €\nVerkauf durch: Kettle GmbH\n"
        "Zwischensumme: 39,98 €\nGesamtbetrag: 39,98 €\n"
    )
    evidence = read_order_evidence(mail(body, sender="bestellbestaetigung@amazon.de"), "b.eml")
    assert evidence is not None
    assert evidence.number == "303-1111111-2222222"
    assert evidence.date == dt.date(2026, 11, 3) and not evidence.date_from_header
    assert evidence.items == (OrderItem("Wasserkocher", 2, Decimal("19.99")),)
    assert evidence.total == Decimal("39.98")
    assert evidence.seller == "Kettle GmbH"


def test_english_confirmation_uses_the_date_header_without_a_date_in_the_text():
    """This test ensures that the Date header gives the order date when the body has none."""
    body = (
        "Order #D01-1234567-7654321\nE-book\n1 x €4.99\n"
        "Sold by Amazon EU S.à r.l.\nGrand total: €4.99"
    )
    evidence = read_order_evidence(mail(body, sender="auto-confirm@amazon.co.uk"), "e.eml")
    assert evidence is not None
    assert evidence.number == "D01-1234567-7654321"
    assert evidence.date == dt.date(2026, 11, 3) and evidence.date_from_header
    assert evidence.items == (OrderItem("E-book", 1, Decimal("4.99")),)
    assert evidence.seller == "Amazon EU S.à r.l."


def test_a_customer_service_reply_is_not_a_confirmation():
    """This test ensures that a reply quoting the order number confirms no order."""
    body = "Votre demande concernant la commande 402-1234567-1234567.\nNous vous rembourserons."
    assert read_order_evidence(mail(body), "r.eml") is None


def _exhibit(content: EmailContent, name: str = "c.eml") -> Exhibit:
    source = SourceFile(Path(name), name, 1, "0" * 64, 0.0)
    return Exhibit(source=source, kind=Kind.EMAIL, content=content, number=1)


def test_evidence_fills_only_what_is_empty_and_warns_about_another_seller():
    """This test ensures that the case file wins and the rest is inferred.

    A marketplace seller gives a warning when the letter goes to Amazon.
    """
    body = (
        "Commande n° 402-1234567-1234567\nDate de commande : 28 octobre 2026\n"
        "Article : Bouilloire\nQuantité : 1\nPrix : 23,99 €\nVendu par Bouilloires SPRL\n"
        "Total : 23,99 €\n"
    )
    facts = CaseFacts(order=Order(total=Decimal("20.00")))
    filled, inferred, warnings = fill_from_evidence(facts, [_exhibit(mail(body))])
    assert filled.order.total == Decimal("20.00")  # the case file corrects the evidence
    assert filled.order.number == "402-1234567-1234567"
    assert filled.order.date == dt.date(2026, 10, 28)
    assert filled.order.seller == "Bouilloires SPRL"
    assert any(
        line.startswith("order.number = 402-1234567-1234567 (from c.eml)") for line in inferred
    )
    assert not any(line.startswith("order.total") for line in inferred)
    assert len(warnings) == 1 and "Bouilloires SPRL" in warnings[0] and "recipient" in warnings[0]

    other = dataclasses.replace(facts, recipient=Party(name="Bouilloires SPRL", address=("x",)))
    assert fill_from_evidence(other, [_exhibit(mail(body))])[2] == ()


def test_an_email_about_another_order_fills_nothing():
    """This test ensures that a confirmation of another order is not used."""
    body = "Commande n° 402-9999999-9999999\nArticle : X\nPrix : 1,00 €\nTotal : 1,00 €"
    facts = CaseFacts(order=Order(number="402-1234567-1234567"))
    filled, inferred, _ = fill_from_evidence(facts, [_exhibit(mail(body))])
    assert filled == facts and inferred == ()


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("damaged-parcel", "order.expected_delivery = 2026-10-30 (from confirmation-commande.eml)"),
        ("double-charge", "order.seller = Amazon EU S.à r.l. (from bestelbevestiging.eml)"),
    ],
)
def test_samples_infer_from_their_confirmation(sample, expected):
    """This test ensures that the samples' confirmations fill the facts their case files omit."""
    timeline = plan(BuildOptions(folder=SAMPLES / sample, now=NOW))
    assert expected in timeline.inferred
    assert not any("not by Amazon" in notice for notice in timeline.notices)


@pytest.mark.corpus
def test_no_corpus_email_passes_for_an_order_confirmation(corpus_dir):
    """This test ensures that real-world mails are never taken for an order confirmation.

    Spam, bounces and odd MIME are read for order data without failing.
    """
    from dossier.discover import fingerprint
    from dossier.model import ExhibitSettings
    from dossier.readers import read_source

    checked = 0
    for path in sorted((corpus_dir / "emails").glob("*.eml")):
        exhibit = read_source(fingerprint(path, corpus_dir), ExhibitSettings())
        if isinstance(exhibit, Exhibit) and isinstance(exhibit.content, EmailContent):
            checked += 1
            assert read_order_evidence(exhibit.content, path.name) is None, path.name
    assert checked >= 8


@given(
    cents=st.integers(min_value=1, max_value=99_999_999),
    locale=st.sampled_from(["fr_BE", "nl_BE", "de_BE", "en_IE", "en_BE", "fr_FR", "de_DE"]),
)
def test_amounts_written_by_any_locale_read_back_exactly(cents, locale):
    """This test ensures that an amount as CLDR writes it in any of our locales reads back."""
    amount = Decimal(cents) / 100
    assert parse_amount_text(f"Total : {format_currency(amount, 'EUR', locale=locale)}") == amount
