"""Order facts read from a retailer's order confirmation email.

Order number, order date, expected delivery, items, total and seller, from
the subject and text body of an email in French, Dutch, German or English.
Only mail whose real sender address belongs to a retailer domain counts:
the display name is never trusted (fake order confirmations are a common
phishing pattern). What is found fills only what the case file leaves empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from babel.dates import get_month_names

from dossier.case_model import CaseFacts, Order, OrderItem
from dossier.model import CaseFile, EmailContent, Exhibit

ORDER_NUMBER = re.compile(r"\b(?:\d{3}|D\d{2})-\d{7}-\d{7}\b")
# amazon.com.be, amazon.fr, amazon.de, amazon.co.uk, marketplace.amazon.nl …
_RETAILER_DOMAIN = re.compile(r"(?:^|\.)amazon\.(?:[a-z]{2,3}|com\.[a-z]{2}|co\.[a-z]{2})$")

_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?"
_AMOUNT = re.compile(rf"(?:(?:€|EUR)\s?(?P<after>{_NUMBER}))|(?:(?P<before>{_NUMBER})\s?(?:€|EUR))")

_SELLER = re.compile(
    r"\b(?:Sold by|Vendu par|Verkocht door|Verkauf durch|Verkauft von)\s*:?\s*(?P<seller>.+)",
    re.IGNORECASE,
)
_ORDER_DATE = re.compile(
    r"^\s*(?:Date de (?:la )?commande|Commandé le|Commande passée le|Besteldatum|"
    r"Besteld op|Bestelldatum|Bestellt am|Order date|Order placed|Ordered on)\s*:?\s*(?P<date>.+)",
    re.IGNORECASE | re.MULTILINE,
)
_EXPECTED = re.compile(
    r"^\s*(?:Livraison prévue|Livraison estimée|Date de livraison prévue|Verwachte levering|"
    r"Verwachte bezorgdatum|Voraussichtliche Lieferung|Lieferung voraussichtlich|"
    r"Estimated delivery|Expected delivery|Arriving)\s*:?\s*(?P<date>.+)",
    re.IGNORECASE | re.MULTILINE,
)
_TOTAL = re.compile(
    r"^\s*(?:Total de la commande|Montant total|Total TTC|Total|Totaal|Totaalbedrag|"
    r"Gesamtbetrag|Gesamtsumme|Summe|Order total|Grand total)\b[^\n:]*:?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_ITEM_LABEL = re.compile(
    r"^\s*(?:Article|Produit|Artikel|Product|Item)\s*:\s*(?P<title>.+)$", re.IGNORECASE
)
_QUANTITY_LABEL = re.compile(
    r"^\s*(?:Quantité|Aantal|Menge|Anzahl|Quantity|Qty)\s*:\s*(?P<quantity>\d+)", re.IGNORECASE
)
_PRICE_LABEL = re.compile(r"^\s*(?:Prix|Prijs|Preis|Price)\s*:\s*(?P<rest>.+)$", re.IGNORECASE)
_TIMES = re.compile(r"^\s*(?P<quantity>\d+)\s*[×xX]\s*(?P<rest>.+)$")


@dataclasses.dataclass(frozen=True, slots=True)
class OrderEvidence:
    """What one order confirmation email says about the order."""

    relpath: str
    number: str
    date: dt.date | None = None
    # True when the date is the email's Date header, not a date in the text.
    date_from_header: bool = False
    expected_delivery: dt.date | None = None
    items: tuple[OrderItem, ...] = ()
    total: Decimal | None = None
    seller: str | None = None


def sender_domain(sender: str) -> str:
    """The domain of the real address in a From header, lower case ('' if none)."""
    import email.utils  # loaded with the email reader; a folder of photos never needs it

    _, address = email.utils.parseaddr(sender)
    return address.rpartition("@")[2].lower().strip(">") if "@" in address else ""


def is_retailer_email(content: EmailContent) -> bool:
    """Whether the sender's real address belongs to a retailer we read confirmations from."""
    return bool(_RETAILER_DOMAIN.search(sender_domain(content.sender)))


def parse_amount_text(text: str) -> Decimal | None:
    """The first amount in ``text``: "EUR 23,99", "23,99 €", "€ 23,99", "€23.99", "1.234,50 €"."""
    match = _AMOUNT.search(text)
    if match is None:
        return None
    number = (match.group("after") or match.group("before")).replace("\u00a0", "")
    number = number.replace("\u202f", "").replace(" ", "")
    if re.search(r"[.,]\d{2}$", number):
        whole, cents = number[:-3], number[-2:]
    else:
        whole, cents = number, "00"
    return Decimal(re.sub(r"[.,]", "", whole) + "." + cents)


@functools.cache
def _month_numbers() -> dict[str, int]:
    # Loaded when first needed: the locale data takes a while to load.
    months: dict[str, int] = {}
    for locale in ("fr", "nl", "de", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                months[name.lower().rstrip(".")] = number
    return months


_WORD_DATE = re.compile(r"(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4})")
_ENGLISH_DATE = re.compile(r"(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")
_NUMERIC_DATE = re.compile(r"(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4})")
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def parse_date_text(text: str) -> dt.date | None:
    """The first date written out in FR, NL, DE or EN in ``text``, or None.

    E.g. "28 octobre 2026", "2. November 2026", "November 2, 2026",
    "28/10/2026", "2026-10-28".
    """
    for pattern in (_ISO_DATE, _WORD_DATE, _ENGLISH_DATE, _NUMERIC_DATE):
        match = pattern.search(text)
        if match is None:
            continue
        month_text = match.group("month")
        month = (
            int(month_text) if month_text.isdigit() else _month_numbers().get(month_text.lower())
        )
        if month is None:
            continue
        try:
            return dt.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            continue
    return None


def read_order_evidence(content: EmailContent, relpath: str) -> OrderEvidence | None:
    """The order facts of a retailer's confirmation email, or None when it is not one."""
    if not is_retailer_email(content):
        return None
    # Bodies come with CRLF or LF line ends, depending on the mail program.
    text = content.body.replace("\r\n", "\n").replace("\r", "\n")
    match = ORDER_NUMBER.search(content.subject) or ORDER_NUMBER.search(text)
    if match is None:
        return None
    expected = _EXPECTED.search(text)
    sellers = [m.group("seller").strip(" \t,;") for m in _SELLER.finditer(text)]
    date, from_header = _order_date(content)
    items = tuple(_items(text.splitlines()))
    total = _total(text)
    if not items and total is None and (date is None or from_header):
        return None  # mentions an order (a reply from customer service) but confirms none
    return OrderEvidence(
        relpath=relpath,
        number=match.group(0),
        date=date,
        date_from_header=from_header,
        expected_delivery=parse_date_text(expected.group("date")) if expected else None,
        items=items,
        total=total,
        seller=sellers[0] if sellers else None,
    )


def _order_date(content: EmailContent) -> tuple[dt.date | None, bool]:
    found = _ORDER_DATE.search(content.body.replace("\r", "\n"))
    if found is not None:
        day = parse_date_text(found.group("date"))
        if day is not None:
            return day, False
    import email.utils

    try:
        sent = email.utils.parsedate_to_datetime(content.date_header)
    except (TypeError, ValueError, IndexError):
        return None, False
    return sent.date(), True


def _total(text: str) -> Decimal | None:
    # The last "Total" line is the grand total (after subtotal and shipping).
    amounts = [parse_amount_text(m.group("rest")) for m in _TOTAL.finditer(text)]
    known = [a for a in amounts if a is not None]
    return known[-1] if known else None


def _items(lines: list[str]) -> Iterator[OrderItem]:
    title: str | None = None
    quantity = 1
    previous = ""
    for line in lines:
        stripped = line.strip()
        if labelled := _ITEM_LABEL.match(stripped):
            if title is not None:
                yield OrderItem(title, quantity)
            title, quantity = labelled.group("title").strip(), 1
        elif (counted := _QUANTITY_LABEL.match(stripped)) and title is not None:
            quantity = int(counted.group("quantity"))
        elif (priced := _PRICE_LABEL.match(stripped)) and title is not None:
            yield OrderItem(title, quantity, parse_amount_text(priced.group("rest")))
            title, quantity = None, 1
        elif (times := _TIMES.match(stripped)) and previous:
            price = parse_amount_text(times.group("rest"))
            if price is not None:
                yield OrderItem(previous, int(times.group("quantity")), price)
        if stripped:
            previous = stripped
    if title is not None:
        yield OrderItem(title, quantity)


def find_order_evidence(exhibits: Iterable[Exhibit]) -> list[OrderEvidence]:
    """Every retailer order confirmation among the exhibits, in exhibit order."""
    found = []
    for exhibit in exhibits:
        if isinstance(exhibit.content, EmailContent):
            evidence = read_order_evidence(exhibit.content, exhibit.source.relpath)
            if evidence is not None:
                found.append(evidence)
    return found


def is_amazon_seller(seller: str) -> bool:
    """Whether a "Sold by" name is Amazon itself (any of its EU entities)."""
    return "amazon" in seller.lower()


def fill_from_evidence(
    facts: CaseFacts, exhibits: Iterable[Exhibit]
) -> tuple[CaseFacts, tuple[str, ...], tuple[str, ...]]:
    """Fill what the case file leaves empty from the order confirmation emails.

    Returns:
        The completed facts, a line per inferred fact, and warnings (e.g. a
        letter to Amazon for an item another seller sold).
    """
    order = facts.order
    candidates = find_order_evidence(exhibits)
    if order.number:
        candidates = [c for c in candidates if c.number == order.number]
    inferred: list[str] = []
    if candidates:
        evidence = candidates[0]
        order, inferred = _fill_order(order, evidence)
        facts = dataclasses.replace(facts, order=order)
    return facts, tuple(inferred), tuple(_seller_warnings(facts, candidates))


def _fill_order(order: Order, evidence: OrderEvidence) -> tuple[Order, list[str]]:
    changes: dict[str, object] = {}
    source = evidence.relpath
    inferred: list[str] = []

    def take(key: str, value: object, shown: str, where: str = source) -> None:
        if value in (None, ()) or getattr(order, key) not in (None, ()):
            return
        changes[key] = value
        inferred.append(f"order.{key} = {shown} (from {where})")

    take("number", evidence.number, evidence.number)
    date_where = f"{source}, Date header" if evidence.date_from_header else source
    take("date", evidence.date, str(evidence.date), date_where)
    take("expected_delivery", evidence.expected_delivery, str(evidence.expected_delivery))
    items_text = "; ".join(
        f"{i.quantity} × {i.title}" + (f" at {i.unit_price}" if i.unit_price is not None else "")
        for i in evidence.items
    )
    take("items", evidence.items, items_text)
    take("total", evidence.total, str(evidence.total))
    take("seller", evidence.seller, str(evidence.seller))
    return dataclasses.replace(order, **changes), inferred  # type: ignore[arg-type]


def _seller_warnings(facts: CaseFacts, evidence: list[OrderEvidence]) -> Iterator[str]:
    if facts.recipient.preset != "amazon-eu":
        return
    sellers = [(facts.order.seller, "case.toml order.seller")] if facts.order.seller else []
    sellers += [(e.seller, e.relpath) for e in evidence if e.seller]
    for seller, where in sellers:
        if seller and not is_amazon_seller(seller):
            yield (
                f"{where} says the item was sold by {seller!r}, not by Amazon: a letter to "
                f"Amazon EU S.à r.l. is not the right one; in case.toml replace "
                f'[recipient] preset = "amazon-eu" with that seller\'s name and address '
                f'(name = "{seller}", address = [...])'
            )
            return


def complete_case(
    case: CaseFile, exhibits: Iterable[Exhibit]
) -> tuple[CaseFile, tuple[str, ...], tuple[str, ...]]:
    """The case file with its order filled in from the evidence.

    Returns:
        The case, the inferred facts (one line each) and warnings.
    """
    if case.facts is None:
        return case, (), ()
    facts, inferred, warnings = fill_from_evidence(case.facts, exhibits)
    return dataclasses.replace(case, facts=facts), inferred, warnings
