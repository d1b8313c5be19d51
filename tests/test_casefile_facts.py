"""The case file's facts: the public example is valid, and each bad value names its key."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from dossier.case.facts import AMAZON_EU
from dossier.case.load import load_case_file, parse_case_data
from dossier.errors import CaseFileError
from tests.conftest_samples import SAMPLES

# The example of the specification, as written: these names and meanings stay.
EXAMPLE = """\
language = "fr"
problem = ["damaged"]

[claimant]
name = "Łukasz Dvořák-Müller"
address = ["Rue de la Station 12", "1000 Bruxelles", "Belgique"]
email = "lukasz@example.org"

[recipient]
preset = "amazon-eu"

[order]
number = "402-1234567-1234567"
date = 2026-10-28
total = "23.99"
currency = "EUR"
items = [{ title = "Bouilloire électrique 1,7 L", quantity = 1, unit_price = "23.99" }]

[[contacts]]
date = 2026-11-04
channel = "chat"
summary = "Refund promised within 5 days; nothing received."

[demand]
remedy = "refund"
amount = "23.99"
deadline_days = 15

[letter]
kind = "formal_notice"
place = "Bruxelles"
date = 2026-11-20

[exhibits."IMG_20261030_101500.jpg"]
caption = "Colis écrasé à la livraison"
"""


def parse(text: str):
    return parse_case_data(tomllib.loads(text), Path("case.toml"))


def test_the_public_example_is_valid():
    """This test ensures that the example of the documentation validates as written."""
    case = parse(EXAMPLE)
    facts = case.facts
    assert facts is not None
    assert case.reference == "402-1234567-1234567"
    assert case.claimant_name == "Łukasz Dvořák-Müller"
    assert facts.problems == ("damaged",)
    assert facts.recipient == AMAZON_EU
    # The country line is the letter's to write, in capitals and in its language.
    assert facts.recipient.address == ("38 avenue John F. Kennedy", "L-1855 Luxembourg")
    assert facts.recipient.country == "LU"
    assert facts.order.date == dt.date(2026, 10, 28)
    assert facts.order.total == Decimal("23.99") and isinstance(facts.order.total, Decimal)
    assert facts.order.items[0].unit_price == Decimal("23.99")
    assert facts.contacts[0].channel == "chat"
    assert facts.demand.deadline_days == 15
    # 20 November + 15 days is Saturday 5 December: the deadline runs to Monday.
    from dossier.letters.claim import due_date

    assert facts.letter.date is not None
    assert due_date(facts, facts.letter.date) == dt.date(2026, 12, 7)
    assert case.exhibits["IMG_20261030_101500.jpg"].caption == "Colis écrasé à la livraison"


@pytest.mark.parametrize("sample", ["damaged-parcel", "double-charge"])
def test_samples_stay_valid(sample):
    """This test ensures that the sample case files are valid and carry their facts."""
    case = load_case_file(SAMPLES / sample / "case.toml")
    assert case.facts is not None and case.facts.claimant.name


def test_without_facts_there_are_none():
    """This test ensures that a case file with only exhibits has no facts (no letter)."""
    assert parse('language = "nl"\n').facts is None


def test_defaults():
    """This test ensures the defaults: Amazon EU, 15 days, formal notice, Belgium, EUR."""
    facts = parse('problem = "not_delivered"\n').facts
    assert facts.recipient.preset == "amazon-eu"
    assert facts.demand.deadline_days == 15
    assert facts.letter.kind == "formal_notice"
    assert facts.claimant.country == "BE"
    assert facts.order.currency == "EUR"
    assert facts.problems == ("not_delivered",)


def test_amounts_in_other_spellings():
    """This test ensures that "23,99", 23.99 and 24 are read as exact Decimals."""
    facts = parse('[order]\ntotal = "23,99"\n[demand]\namount = 23.99\n').facts
    assert facts.order.total == Decimal("23.99")
    assert facts.demand.amount == Decimal("23.99")
    assert parse("[order]\ntotal = 24\n").facts.order.total == Decimal("24.00")


def test_a_free_recipient_and_free_order_number():
    """This test ensures that another seller takes a free-form order number."""
    facts = parse(
        '[recipient]\nname = "Shop BV"\naddress = ["Markt 1", "2000 Antwerpen"]\ncountry = "be"\n'
        '[order]\nnumber = "WEB-42"\n'
    ).facts
    assert facts.recipient.name == "Shop BV" and facts.recipient.country == "BE"
    assert facts.order.number == "WEB-42"


BAD = [
    pytest.param(
        '[recipient]\nname = "Amazon EU S.à r.l."\naddress = ["5, rue Plaetis", "L-2338 Luxembourg"]\n',
        "recipient.address: '5 rue Plaetis, L-2338 Luxembourg' is Amazon EU's former address",
        id="former-address",
    ),
    pytest.param(
        '[order]\ndate = "31/02/2025"\n', "order.date: '31/02/2025' is not a date", id="date"
    ),
    pytest.param(
        '[order]\nnumber = "12345"\n',
        "order.number: '12345' is not an Amazon order number",
        id="number",
    ),
    pytest.param('[order]\ntotal = "abc"\n', "order.total: 'abc' is not an amount", id="amount"),
    pytest.param('[order]\ntotal = "-3"\n', "order.total: '-3' is negative", id="negative"),
    pytest.param(
        '[order]\ncurrency = "euro"\n',
        "order.currency: 'euro' is not a currency code",
        id="currency",
    ),
    pytest.param('[order]\ncolour = "red"\n', "order.colour: unknown key", id="unknown-key"),
    pytest.param(
        "[order]\nitems = [{ quantity = 1 }]\n", "order.items[1].title: is missing", id="item-title"
    ),
    pytest.param(
        '[order]\nitems = [{ title = "x", quantity = 0 }]\n',
        "order.items[1].quantity: 0 is not a whole number",
        id="quantity",
    ),
    pytest.param(
        '[order]\nitems = [{ title = "x", unit_price = "1.2.3" }]\n',
        "order.items[1].unit_price: '1.2.3' is not an amount",
        id="unit-price",
    ),
    pytest.param(
        "[order]\ncharges = [{ date = 2026-11-03 }]\n",
        "order.charges[1]: needs a date and an amount",
        id="charge",
    ),
    pytest.param(
        '[order]\nexpected_delivery = "soon"\n',
        "order.expected_delivery: 'soon' is not a date",
        id="expected",
    ),
    pytest.param(
        '[order]\nbilling_country = "Belgium"\n',
        "order.billing_country: 'Belgium' is not a two-letter country code",
        id="country",
    ),
    pytest.param('problem = ["broken"]\n', "problem: 'broken' is not one of", id="problem"),
    pytest.param("problem = 3\n", "problem: must be a list", id="problem-type"),
    pytest.param("[claimant]\nname = 3\n", "claimant.name: 3 is not text", id="name"),
    pytest.param(
        '[claimant]\nemail = "nobody"\n',
        "claimant.email: 'nobody' is not an email address",
        id="email",
    ),
    pytest.param(
        "[claimant]\naddress = 12\n", "claimant.address: must be a list of lines", id="address"
    ),
    pytest.param(
        '[recipient]\npreset = "amazon-us"\n',
        "recipient.preset: 'amazon-us' is not a known preset",
        id="preset",
    ),
    pytest.param(
        '[recipient]\npreset = "amazon-eu"\nname = "X"\n',
        "recipient.name: cannot be combined with preset",
        id="preset-and-name",
    ),
    pytest.param(
        '[recipient]\nname = "Shop"\n', "recipient.address: is missing", id="recipient-address"
    ),
    pytest.param(
        '[[contacts]]\nchannel = "chat"\n', "contacts[1].date: is missing", id="contact-date"
    ),
    pytest.param(
        '[[contacts]]\ndate = 2026-11-04\nchannel = "pigeon"\n',
        "contacts[1].channel: 'pigeon' is not one of",
        id="channel",
    ),
    pytest.param(
        '[demand]\nremedy = "apology"\n', "demand.remedy: 'apology' is not one of", id="remedy"
    ),
    pytest.param(
        "[demand]\ndeadline_days = 0\n",
        "demand.deadline_days: 0 is not a number of days",
        id="deadline",
    ),
    pytest.param(
        '[demand]\niban = "BE00 0000 0000 0000"\n',
        "demand.iban: 'BE00 0000 0000 0000' is not a valid IBAN",
        id="iban",
    ),
    pytest.param('[demand]\nbic = "12"\n', "demand.bic: '12' is not a BIC", id="bic"),
    pytest.param(
        '[letter]\nkind = "love_letter"\n', "letter.kind: 'love_letter' is not one of", id="kind"
    ),
    pytest.param(
        '[letter]\ndate = "tomorrow"\n', "letter.date: 'tomorrow' is not a date", id="letter-date"
    ),
    pytest.param('letter = "formal_notice"\n', "letter: must be a table", id="letter-table"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_values_name_their_key(text, message):
    """This test ensures that each kind of bad value is rejected with the key in the message."""
    with pytest.raises(CaseFileError) as caught:
        parse(text)
    assert str(caught.value).startswith("case.toml: ")
    assert message in str(caught.value)


def test_a_good_iban_and_bic_are_kept():
    """This test ensures that a valid IBAN (checksum) and BIC are accepted, normalised."""
    facts = parse('[demand]\niban = "be68 5390 0754 7034"\nbic = "gkccbebb"\n').facts
    assert facts.demand.iban == "BE68539007547034"
    assert facts.demand.bic == "GKCCBEBB"
