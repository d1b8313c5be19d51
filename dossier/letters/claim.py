"""What a letter claims, decided once for every language.

The legal steps of a letter follow from the problem, the letter kind and
what the case file says (``[demand] remedy`` and ``reason``), not from the
wording of a template:

* **Non-delivery** (Directive 2011/83 art. 18, CDE art. VI.43): a formal
  notice sets an additional period *to deliver* and announces termination
  and refund if it passes; it terminates straight away only when the seller
  refused to deliver or the date was essential. A reminder, sent after that
  period, declares the contract terminated and claims the refund.
* **Lack of conformity** (old Civil Code arts. 1649bis–1649octies,
  Directive 2019/771 art. 13): repair or replacement first, announcing price
  reduction or termination; price reduction or termination at once only
  for a reason the directive accepts, stated in ``[demand] reason``. A minor
  defect never supports termination.
* **Promotion not applied**: the price difference, on the price announced
  before the purchase.
* **Billing error**: what was paid without being due is returned.

The templates in ``layouts/letters/<lang>/`` only put these decisions into
words; the tests check the decisions on the text of every letter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
from collections.abc import Sequence
from decimal import Decimal

from dossier.case.facts import CaseFacts, Contact

DELIVERY_PROBLEMS = frozenset({"not_delivered", "late_delivery"})
CONFORMITY_PROBLEMS = frozenset({"damaged", "missing_part", "not_as_described"})
MONEY_REMEDIES = frozenset({"refund", "price_reduction", "refund_of_double_charge"})

# Why termination (or price reduction) may come straight away.
DELIVERY_REASONS = ("seller_refused", "essential_date")
CONFORMITY_REASONS = (
    "seller_refused",
    "not_remedied",
    "defect_reappeared",
    "serious_defect",
    "will_not_remedy",
)

# EU member states; ECC-Net also covers traders in Norway and Iceland.
# fmt: off
EU = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# fmt: on
ECC_COUNTRIES = EU | {"NO", "IS"}
# Regulation 861/2007: cross-border claims up to this amount (interest and
# costs excluded). Denmark does not take part in it.
SMALL_CLAIMS_LIMIT = Decimal(5000)
SMALL_CLAIMS_COUNTRIES = EU - {"DK"}
# The Luxembourg mediator takes applications in these languages only (and Luxembourgish).
LUXEMBOURG_MEDIATION_LANGUAGES = ("fr", "de", "en")
# A mediator may refuse a complaint made to the trader more than a year earlier.
COMPLAINT_MAX_AGE = dt.timedelta(days=365)
WITHDRAWAL_DAYS = 14


class Step(enum.StrEnum):
    """What the letter asks for, or declares, about one problem."""

    # Deliver within the additional period; else termination and refund.
    DELIVER = "deliver"
    # The contract is terminated for non-delivery: refund all sums paid.
    TERMINATE_UNDELIVERED = "terminate_undelivered"
    # Repair or replacement by the date; else price reduction or termination.
    CONFORM = "conform"
    # The contract is terminated for lack of conformity: goods back, refund.
    TERMINATE = "terminate"
    # A proportionate reduction of the price.
    REDUCE = "reduce"
    # The price difference of a promotion that was not applied.
    PRICE_DIFFERENCE = "price_difference"
    # What was paid without being due (a double or wrong charge).
    UNDUE = "undue"


@dataclasses.dataclass(frozen=True, slots=True)
class ClaimStep:
    """One demand of the letter."""

    step: Step
    # For CONFORM: "repair", "replacement" or "repair_or_replacement".
    remedy: str | None = None
    # The sum claimed (money steps), or refunded if the period passes (DELIVER, CONFORM).
    amount: Decimal | None = None
    # The reason, for a termination or reduction that comes straight away.
    reason: str | None = None

    @property
    def money(self) -> bool:
        """Whether this step asks for money now (amount, bank account, interest)."""
        return self.step in (
            Step.TERMINATE_UNDELIVERED,
            Step.TERMINATE,
            Step.REDUCE,
            Step.PRICE_DIFFERENCE,
            Step.UNDUE,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Claim:
    """Everything a letter decides, in no language."""

    steps: tuple[ClaimStep, ...]
    # Keys of the legal bases, in the order the letter gives them.
    bases: tuple[str, ...]
    # The date the seller must act by; None in a letter to a mediator or ECC.
    due_date: dt.date | None
    # The customer-service contacts (never an earlier letter).
    contacts: tuple[Contact, ...]
    # The earlier formal notice a reminder refers to (the latest letter).
    earlier_letter: Contact | None
    # The first complaint to the seller, which mediators ask for.
    complaint: Contact | None
    # Where to turn if the seller does not answer: "mediation_be",
    # "ecc", "mediation_lu", "own_court", "small_claims".
    next_bodies: tuple[str, ...]
    courts: tuple[str, ...]
    # The right of withdrawal is still open (within 14 days of delivery).
    withdrawal_open: bool
    # The reference of the seller's own case file ("Vos réf.").
    seller_reference: str | None

    @property
    def money(self) -> bool:
        """Whether any demand is for money (then the bank account and interest are given)."""
        return any(step.money for step in self.steps)

    @property
    def claimed(self) -> Decimal | None:
        """The sum asked for now: the money demands' amounts; None without any."""
        amounts = [step.amount for step in self.steps if step.money and step.amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None


def paid(facts: CaseFacts) -> Decimal | None:
    """What the customer paid: the sum of the charges, else the order total."""
    order = facts.order
    if order.charges:
        return sum((charge.amount for charge in order.charges), Decimal(0))
    return order.total


def overcharge(facts: CaseFacts) -> Decimal | None:
    """What was charged beyond the order total, when the charges show it."""
    order = facts.order
    if facts.demand.amount is not None:
        return facts.demand.amount
    if order.charges and order.total is not None:
        extra = sum((c.amount for c in order.charges), Decimal(0)) - order.total
        return extra if extra > 0 else None
    return None


def _delivery_step(facts: CaseFacts, kind: str, after_notice: bool) -> ClaimStep:
    reason = facts.demand.reason if facts.demand.reason in DELIVERY_REASONS else None
    refund = facts.demand.amount if facts.demand.amount is not None else paid(facts)
    if reason is not None or after_notice or kind == "reminder":
        return ClaimStep(Step.TERMINATE_UNDELIVERED, amount=refund, reason=reason)
    return ClaimStep(Step.DELIVER, amount=refund)


def _conformity_step(facts: CaseFacts, kind: str, after_notice: bool) -> ClaimStep:
    demand = facts.demand
    reason = demand.reason if demand.reason in CONFORMITY_REASONS else None
    if reason is None and (kind == "reminder" or after_notice):
        # The seller let the period of the formal notice pass: art. 13(4)(a).
        reason = "not_remedied"
    refund = demand.amount if demand.amount is not None else paid(facts)
    if demand.remedy == "refund" and reason is not None:
        return ClaimStep(Step.TERMINATE, amount=refund, reason=reason)
    if demand.remedy == "price_reduction" and reason is not None:
        return ClaimStep(Step.REDUCE, amount=demand.amount, reason=reason)
    remedy = demand.remedy if demand.remedy in ("repair", "replacement") else None
    return ClaimStep(Step.CONFORM, remedy=remedy or "repair_or_replacement", amount=refund)


def claim_steps(facts: CaseFacts, kind: str) -> tuple[ClaimStep, ...]:
    """The demands of a letter of ``kind``, one per kind of problem, in a fixed order.

    A mediation request or an ECC complaint proposes what a reminder would
    demand when a formal notice was sent before, else what a formal notice
    would.
    """
    problems = set(facts.problems)
    after_notice = kind in ("mediation", "ecc_complaint") and earlier_letter(facts) is not None
    steps = []
    if problems & DELIVERY_PROBLEMS:
        steps.append(_delivery_step(facts, kind, after_notice))
    if problems & CONFORMITY_PROBLEMS:
        steps.append(_conformity_step(facts, kind, after_notice))
    if "promotion_not_applied" in problems:
        steps.append(ClaimStep(Step.PRICE_DIFFERENCE, amount=facts.demand.amount))
    if "billing_error" in problems:
        steps.append(ClaimStep(Step.UNDUE, amount=overcharge(facts)))
    return tuple(steps)


def legal_bases(facts: CaseFacts, steps: Sequence[ClaimStep]) -> tuple[str, ...]:
    """The keys of the legal bases, Belgian rules before the directives they transpose."""
    problems = set(facts.problems)
    names = {step.step for step in steps}
    bases = []
    if problems & DELIVERY_PROBLEMS:
        bases.append("delivery")
    if problems & {"not_delivered", "damaged"}:
        # A parcel lost or damaged before the consumer holds it is the seller's risk.
        bases.append("risk")
    if problems & CONFORMITY_PROBLEMS:
        bases += ["guarantee", "conformity"]
    if Step.TERMINATE in names:
        bases.append("termination")
    if "promotion_not_applied" in problems:
        bases.append("announced_price")
    if "billing_error" in problems:
        bases.append("undue_payment")
    if cross_border(facts):
        bases.append("rome_i")
    return tuple(bases)


def cross_border(facts: CaseFacts) -> bool:
    """A Belgian consumer against a trader established in another country (Rome I art. 6)."""
    return facts.claimant.country == "BE" and facts.recipient.country not in (None, "BE")


@functools.cache
def _belgian_holidays(year: int) -> frozenset[dt.date]:
    import holidays  # a maintained calendar of the Belgian public holidays

    return frozenset(holidays.country_holidays("BE", years=year))


def next_working_day(day: dt.date) -> dt.date:
    """``day``, or the next day that is neither a weekend nor a Belgian public holiday.

    A time limit that ends on such a day runs to the next working day, as
    art. 53 of the Judicial Code has it for legal time limits.
    """
    while day.weekday() >= 5 or day in _belgian_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def due_date(facts: CaseFacts, letter_date: dt.date) -> dt.date | None:
    """The date the seller must act by; None for a letter to a mediator or to ECC Belgium."""
    if facts.letter.kind not in ("formal_notice", "reminder"):
        return None
    return next_working_day(letter_date + dt.timedelta(days=facts.demand.deadline_days))


def earlier_letter(facts: CaseFacts) -> Contact | None:
    """The latest letter sent to the seller (a contact with channel ``letter``)."""
    letters = [contact for contact in facts.contacts if contact.channel == "letter"]
    return letters[-1] if letters else None


def first_complaint(facts: CaseFacts) -> Contact | None:
    """The first complaint to the seller: its first letter, else its first contact."""
    letters = [contact for contact in facts.contacts if contact.channel == "letter"]
    if letters:
        return letters[0]
    return facts.contacts[0] if facts.contacts else None


def next_bodies(facts: CaseFacts) -> tuple[str, ...]:
    """Which out-of-court body the seller's country leads to."""
    country = facts.recipient.country
    if country == "BE":
        return ("mediation_be",)
    if country == "LU":
        return ("ecc", "mediation_lu")
    if country in ECC_COUNTRIES:
        return ("ecc",)
    return ()


def courts(facts: CaseFacts, amount: Decimal | None) -> tuple[str, ...]:
    """The court routes a letter may announce to a trader in another country."""
    country = facts.recipient.country
    if not cross_border(facts):
        return ()
    routes = ["own_court"]
    if country in SMALL_CLAIMS_COUNTRIES and amount is not None and amount <= SMALL_CLAIMS_LIMIT:
        routes.append("small_claims")
    return tuple(routes)


def withdrawal_open(facts: CaseFacts, letter_date: dt.date) -> bool:
    """Whether the 14 days to withdraw after delivery have not yet run out."""
    delivered = facts.order.delivered
    if delivered is None or facts.problems and set(facts.problems) <= DELIVERY_PROBLEMS:
        return False
    return delivered <= letter_date <= delivered + dt.timedelta(days=WITHDRAWAL_DAYS)


def decide_claim(facts: CaseFacts, letter_date: dt.date) -> Claim:
    """What the letter of ``facts.letter.kind`` demands, cites and announces."""
    kind = facts.letter.kind
    steps = claim_steps(facts, kind)
    money_sum = sum((step.amount for step in steps if step.money and step.amount), Decimal(0))
    contacts = tuple(contact for contact in facts.contacts if contact.channel != "letter")
    references = [contact.reference for contact in contacts if contact.reference]
    return Claim(
        steps=steps,
        bases=legal_bases(facts, steps),
        due_date=due_date(facts, letter_date),
        contacts=contacts,
        earlier_letter=earlier_letter(facts),
        complaint=first_complaint(facts),
        next_bodies=next_bodies(facts),
        courts=courts(facts, money_sum or paid(facts)),
        withdrawal_open=withdrawal_open(facts, letter_date),
        seller_reference=references[-1] if references else None,
    )
