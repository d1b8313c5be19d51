"""The facts of a case, as the letters and the order summary need them.

Read from the case file (``case.toml``) by ``dossier.case.check_facts`` and completed
from the evidence by ``dossier.case.order_facts``. Every class is frozen: filling in
a fact gives a new value (``dataclasses.replace``), so a test can tell what
the user wrote from what was inferred.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

# The languages of the dossier and of its letters.
LANGUAGES = ("fr", "nl", "de", "en")
PROBLEMS = (
    "not_delivered",
    "late_delivery",
    "damaged",
    "missing_part",
    "not_as_described",
    "promotion_not_applied",
    "billing_error",
)
REMEDIES = (
    "refund",
    "replacement",
    "repair",
    "price_reduction",
    "refund_of_double_charge",
    "delivery",
)
LETTER_KINDS = ("formal_notice", "reminder", "ecc_complaint", "mediation", "none")
# Why the claimant may terminate (or reduce the price) at once instead of
# first asking for delivery, repair or replacement (see dossier.letters.claim).
REASONS = (
    "seller_refused",
    "essential_date",
    "not_remedied",
    "defect_reappeared",
    "serious_defect",
    "will_not_remedy",
)
CHANNELS = ("chat", "phone", "email", "letter", "contact_form")
DEFAULT_DEADLINE_DAYS = 15


@dataclasses.dataclass(frozen=True, slots=True)
class Party:
    """A person or company: the claimant or the recipient of a letter."""

    name: str | None = None
    # Postal address, one line per item, without the name.
    address: tuple[str, ...] = ()
    # ISO 3166 code of the country of the address ("BE", "LU"), when known.
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    # The email address of the customer account the order was placed with.
    account_email: str | None = None
    # Company register and number, e.g. "RCS Luxembourg B101818".
    register: str | None = None
    # Department the letter goes to, e.g. "Département juridique".
    attention: str | None = None
    # The preset this party came from ("amazon-eu"), if any.
    preset: str | None = None


AMAZON_EU = Party(
    name="Amazon EU S.à r.l.",
    # Source: Amazon's conditions of use (see DOMAIN notes). "5 rue Plaetis,
    # L-2338 Luxembourg" is a former address: never use it.
    # The country line is added by the letter, in capitals, in its language.
    address=("38 avenue John F. Kennedy", "L-1855 Luxembourg"),
    country="LU",
    register="RCS Luxembourg B101818",
    preset="amazon-eu",
)
RECIPIENT_PRESETS = {"amazon-eu": AMAZON_EU}


@dataclasses.dataclass(frozen=True, slots=True)
class OrderItem:
    """One line of an order."""

    title: str
    quantity: int = 1
    unit_price: Decimal | None = None

    @property
    def line_total(self) -> Decimal | None:
        """Quantity times unit price, when the price is known."""
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclasses.dataclass(frozen=True, slots=True)
class Charge:
    """One debit seen on a bank or card statement."""

    date: dt.date
    amount: Decimal
    note: str | None = None
    # The exhibit (path relative to the folder) that shows this debit.
    exhibit: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Order:
    """The order in dispute."""

    number: str | None = None
    date: dt.date | None = None
    items: tuple[OrderItem, ...] = ()
    total: Decimal | None = None
    currency: str = "EUR"
    payment_method: str | None = None
    billing_country: str | None = None
    expected_delivery: dt.date | None = None
    delivered: dt.date | None = None
    seller: str | None = None
    # What was actually debited, when it differs from the total (double charge).
    charges: tuple[Charge, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is known about the order."""
        return self == Order(currency=self.currency)

    @property
    def charged(self) -> Decimal | None:
        """The sum of the debits the case file lists; None without any (never the total)."""
        if self.charges:
            return sum((c.amount for c in self.charges), Decimal(0))
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class Contact:
    """One contact with customer service, from the user's log."""

    date: dt.date
    channel: str
    summary: str = ""
    reference: str | None = None
    agent: str | None = None
    # An exhibit (path relative to the folder) that records this contact.
    exhibit: str | None = None
    # For a letter: the exhibit proving it was posted or received.
    proof: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Demand:
    """What the claimant asks for, and by when."""

    remedy: str = "refund"
    # Why termination or price reduction comes straight away (one of REASONS).
    reason: str | None = None
    amount: Decimal | None = None
    deadline_days: int = DEFAULT_DEADLINE_DAYS
    iban: str | None = None
    bic: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class LetterSettings:
    """Which letter to write, where and when."""

    kind: str = "formal_notice"
    place: str | None = None
    date: dt.date | None = None
    # A signature image, relative to the folder; left out of the exhibits.
    signature: str | None = None
    # The letter's language, when it must differ from the dossier's (a
    # mediator that does not read it); None: the case's language.
    language: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything the case file says about the dispute, beyond the exhibits."""

    problems: tuple[str, ...] = ()
    claimant: Party = Party(country="BE")
    recipient: Party = AMAZON_EU
    order: Order = Order()
    contacts: tuple[Contact, ...] = ()
    demand: Demand = Demand()
    letter: LetterSettings = LetterSettings()
