"""Order facts read from a retailer's order confirmation email.

Order number, order date, expected delivery, items, total and seller, from
the subject and text body of an email in French, Dutch, German or English.
Only mail whose real sender address belongs to a retailer domain counts:
the display name is never trusted (fake order confirmations are a common
phishing pattern). A confirmation the customer forwarded to themselves
counts when the forwarded original's sender is a retailer's address. What is
found fills only what the case file leaves empty, and only from the order the
case is about: with confirmations of several orders and no ``[order] number``
in the case file, nothing is filled in and the orders found are listed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from babel.dates import get_month_names

from dossier.case.facts import CaseFacts, Order, OrderItem
from dossier.i18n import M_
from dossier.model import CaseFile, EmailContent, Exhibit, PdfContent

ORDER_NUMBER = re.compile(r"\b(?:\d{3}|D\d{2})-\d{7}-\d{7}\b")
# amazon.com.be, amazon.fr, amazon.de, amazon.co.uk, marketplace.amazon.nl …
_RETAILER_DOMAIN = re.compile(r"(?:^|\.)amazon\.(?:[a-z]{2,3}|com\.[a-z]{2}|co\.[a-z]{2})$")

_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?"
_AMOUNT = re.compile(rf"(?:(?:€|EUR)\s?(?P<after>{_NUMBER}))|(?:(?P<before>{_NUMBER})\s?(?:€|EUR))")

_MAILTO = re.compile(r"\[mailto:([^\]\s]+@[^\]\s]+)\]", re.IGNORECASE)
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
    r"Gesamtbetrag|Gesamtsumme|Summe|Order total|Grand total)\b[^\n:]*?:?[ \t]*(?P<rest>.*)$",
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
_SUBTOTAL = re.compile(
    r"^\s*(?:Sous-total(?: des articles)?|Subtotaal|Subtotal|Zwischensumme|Item\(s\) subtotal|"
    r"Items? subtotal)\b[^\n:]*?:?[ \t]*(?P<rest>[^\n]*\d[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_SHIPPING = re.compile(
    r"^\s*(?:Livraison|Frais de (?:port|livraison)|Verzending|Verzendkosten|Bezorging|"
    r"Versand(?:kosten)?|Verpackung und Versand|Shipping(?: & handling)?|Postage & Packing|"
    r"Delivery)\b[^\n:]*?:?[ \t]*(?P<rest>[^\n]*\d[.,]\d\d[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_GREETING = re.compile(
    r"^\s*(?:Bonjour|Bonsoir|Cher|Chère|Beste|Geachte|Hallo|Guten Tag|Liebe|Lieber|"
    r"Sehr geehrte(?:r)?(?: Frau| Herr)?|Dear|Hello|Hi)\s+(?P<name>[^\W\d_][^,!:\n]{1,60}?)"
    r"\s*[,!:]?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Table cells in a body's text: two spaces or more (or a tab) apart.
_CELL_GAP = re.compile(r"\t+|\s{2,}")
_HEADER_CELLS = {
    "title": re.compile(
        r"(?i)articles?|produits?|description|désignation|artikel(?:en)?|producten|"
        r"omschrijving|bezeichnung|products?|items?"
    ),
    "quantity": re.compile(r"(?i)quantité|qté\.?|aantal|menge|anzahl|quantity|qty\.?"),
    "price": re.compile(
        r"(?i)prix(?: unitaire)?|prix à l'unité|prijs(?: per stuk)?|stukprijs|(?:einzel)?preis|"
        r"(?:unit )?price"
    ),
    "line": re.compile(r"(?i)total|totaal|montant|bedrag|betrag|summe|gesamt|amount"),
}
# Lines of an item table that are no item: subtotals, shipping, the total.
_NOT_ITEM = re.compile(
    r"(?i)(?:sous-total|subtota|zwischensumme|total|totaal|gesamt|summe|livraison|frais|"
    r"verzend|bezorg|versand|shipping|postage|delivery|tva|btw|mwst|vat|réduction|korting|"
    r"rabatt|discount|promotion)"
)
_END_OF_ITEMS = re.compile(r"(?i)(?:sous-total|subtota|zwischensumme|total|totaal|gesamt)")


# Any value of an order's field: what the case file says, or the evidence.
_Value = TypeVar("_Value")


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
    # The items' own subtotal ("Sous-total des articles"), to check the items against.
    subtotal: Decimal | None = None
    shipping: Decimal | None = None
    # The name the confirmation greets or is addressed to ("Bonjour Marie Dubois,").
    addressee: str | None = None
    # The sender of the outer email, when the confirmation was forwarded.
    forwarded_by: str | None = None

    @property
    def where(self) -> str:
        """The file, and who forwarded the confirmation when it was forwarded."""
        if self.forwarded_by:
            return f"{self.relpath}, forwarded by {self.forwarded_by}"
        return self.relpath


def sender_domain(sender: str) -> str:
    """The domain of the real address in a From header, lower case ('' if none)."""
    import email.utils  # loaded with the email reader; a folder of photos never needs it

    # Outlook's plain-text forwards write "Amazon.nl [mailto:x@amazon.nl]".
    mailto = _MAILTO.search(sender)
    _, address = email.utils.parseaddr(sender) if mailto is None else ("", mailto[1])
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
    """The order facts of a retailer's confirmation email, or None when it is not one.

    The email is the confirmation itself, or forwards one: the forwarded
    original's sender must then be a retailer's address, and its subject and
    date stand for the confirmation's.
    """
    origin = _confirmation_origin(content)
    if origin is None:
        return None
    subject, sent, forwarded_by = origin
    # Bodies come with CRLF or LF line ends, depending on the mail program.
    text = content.body.replace("\r\n", "\n").replace("\r", "\n")
    match = ORDER_NUMBER.search(subject) or ORDER_NUMBER.search(text)
    if match is None:
        return None
    expected = _EXPECTED.search(text)
    sellers = [m.group("seller").strip(" \t,;") for m in _SELLER.finditer(text)]
    date, from_header = _order_date(text, sent)
    items = tuple(read_items(text))
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
        subtotal=_last_amount(_SUBTOTAL, text),
        shipping=_last_amount(_SHIPPING, text),
        addressee=_addressee(text, content.to),
        forwarded_by=forwarded_by,
    )


def _confirmation_origin(content: EmailContent) -> tuple[str, dt.date | None, str | None] | None:
    """Subject, sending day and forwarder of the confirmation an email is or forwards."""
    if is_retailer_email(content):
        return content.subject, _header_day(content.date_header), None
    for original in content.forwarded:
        if original.forwarded and _RETAILER_DOMAIN.search(sender_domain(original.sender)):
            day = original.date.date() if original.date is not None else None
            return original.subject, day, content.sender or "?"
    return None


def _header_day(date_header: str) -> dt.date | None:
    import email.utils

    try:
        return email.utils.parsedate_to_datetime(date_header).date()
    except (TypeError, ValueError, IndexError):
        return None


def _order_date(text: str, sent: dt.date | None) -> tuple[dt.date | None, bool]:
    found = _ORDER_DATE.search(text)
    if found is not None:
        day = parse_date_text(found.group("date"))
        if day is not None:
            return day, False
    return sent, sent is not None


def _total(text: str) -> Decimal | None:
    # The last "Total" line is the grand total (after subtotal and shipping).
    return _last_amount(_TOTAL, text)


def _last_amount(pattern: re.Pattern[str], text: str) -> Decimal | None:
    amounts = [parse_amount_text(m.group("rest")) for m in pattern.finditer(text)]
    known = [a for a in amounts if a is not None]
    return known[-1] if known else None


def _addressee(text: str, to_header: str) -> str | None:
    greeting = _GREETING.search(text)
    if greeting is not None:
        return greeting.group("name").strip()
    import email.utils

    name, _ = email.utils.parseaddr(to_header)
    return name.strip() or None


def read_items(text: str) -> Iterator[OrderItem]:
    """The items of a confirmation's text: an item table, or labelled lines.

    A table (the text of an HTML table, cells two spaces apart, or a plain
    text one) needs a header row naming the item and price columns
    ("Article  Quantité  Prix"); rows stop at the subtotal or total line.
    Without a table, labelled lines ("Article : …", "Quantité : 2",
    "Prix : 19,99 €") and "2 × 19,99 €" under a title are read.
    """
    lines = text.splitlines()
    table = list(_table_items(lines))
    yield from table if table else _labelled_items(lines)


def _table_items(lines: list[str]) -> Iterator[OrderItem]:
    columns: dict[str, int] | None = None
    for line in lines:
        cells = [c.strip() for c in _CELL_GAP.split(line.strip()) if c.strip()]
        if columns is None:
            columns = _header_columns(cells)
            continue
        if cells and _NOT_ITEM.match(cells[0]):
            if _END_OF_ITEMS.match(cells[0]):
                columns = None
            continue
        item = _table_row(cells, columns)
        if item is not None:
            yield item


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for key, pattern in _HEADER_CELLS.items():
            if key not in found and pattern.fullmatch(cell.strip(" :")):
                found[key] = index
                break
    if "title" in found and ("price" in found or "line" in found) and len(found) == len(cells):
        return found
    return None


def _table_row(cells: list[str], columns: dict[str, int]) -> OrderItem | None:
    if len(cells) != len(columns):
        return None  # a seller line under the title, or a note
    title = cells[columns["title"]]
    quantity = 1
    if "quantity" in columns:
        counted = re.fullmatch(r"(?:[×xX]\s?)?(\d{1,3})", cells[columns["quantity"]])
        if counted is None:
            return None
        quantity = int(counted[1])
    if "price" in columns:
        price = parse_amount_text(cells[columns["price"]])
    else:
        line_total = parse_amount_text(cells[columns["line"]])
        price = None if line_total is None else (line_total / quantity).quantize(Decimal("0.01"))
    if price is None or not title or parse_amount_text(title) is not None:
        return None
    return OrderItem(title, quantity, price)


def _labelled_items(lines: list[str]) -> Iterator[OrderItem]:
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
        if stripped and not _SELLER.match(stripped):
            previous = stripped
    if title is not None:
        yield OrderItem(title, quantity)


def items_check(evidence: OrderEvidence) -> str | None:
    """A warning when the items read do not add up to the confirmation's amounts."""
    if not evidence.items:
        return None
    totals = [item.line_total for item in evidence.items]
    if any(t is None for t in totals):
        return None
    found = sum((t for t in totals if t is not None), Decimal(0))
    if evidence.subtotal is not None:
        expected, what = evidence.subtotal, M_("subtotal")
    elif evidence.total is not None:
        expected, what = evidence.total - (evidence.shipping or Decimal(0)), M_("total")
    else:
        return None
    if found == expected:
        return None
    return M_(
        "not sure of the items read from {file}: they add up to {found}, the confirmation's "
        "{what} is {expected}; check them and write them in case.toml ([order] items)",
        file=evidence.where,
        found=found,
        what=what,
        expected=expected,
    )


def find_order_evidence(exhibits: Iterable[Exhibit]) -> list[OrderEvidence]:
    """Every retailer order confirmation among the exhibits, in exhibit order."""
    found = []
    for exhibit in exhibits:
        if isinstance(exhibit.content, EmailContent):
            evidence = read_order_evidence(exhibit.content, exhibit.source.relpath)
            if evidence is not None:
                found.append(evidence)
    return found


def orders_found(exhibits: Iterable[Exhibit]) -> dict[str, list[OrderEvidence]]:
    """The confirmations among the exhibits, grouped by order number, in exhibit order."""
    groups: dict[str, list[OrderEvidence]] = {}
    for evidence in find_order_evidence(exhibits):
        groups.setdefault(evidence.number, []).append(evidence)
    return groups


def order_line(confirmations: Sequence[OrderEvidence]) -> str:
    """One order found: number, date, total and files ("402-… of 2026-10-28, 23.99, in a.eml")."""
    first = confirmations[0]
    date = next((str(c.date) for c in confirmations if c.date is not None), "no date")
    total = next((str(c.total) for c in confirmations if c.total is not None), "no total")
    files = ", ".join(dict.fromkeys(c.where for c in confirmations))
    return f"order {first.number} of {date}, total {total}, in {files}"


def several_orders_notices(groups: Mapping[str, Sequence[OrderEvidence]]) -> tuple[str, ...]:
    """Why no order is picked: the orders found, and what to write in the case file."""
    if len(groups) < 2:
        return ()
    first = next(iter(groups))
    return (
        f"the folder holds confirmations of {len(groups)} different orders: no letter, and "
        "no order fact is taken from them, until case.toml says which order the case is "
        f'about: set [order] number (e.g. number = "{first}")',
        *(f"found {order_line(confirmations)}" for confirmations in groups.values()),
    )


def about_other_order(exhibit: Exhibit, number: str | None) -> bool:
    """Whether an exhibit is about another order than ``number``: it names orders, not that one.

    Such exhibits stay in the dossier as evidence, but the letter and its
    timeline leave them out.
    """
    if not number:
        return False
    content = exhibit.content
    if isinstance(content, EmailContent):
        text = f"{content.subject}\n{content.body}"
    elif isinstance(content, PdfContent):
        text = f"{exhibit.source.relpath}\n{content.title or ''}"
    else:
        return False
    named = set(ORDER_NUMBER.findall(text))
    return bool(named) and number not in named


def is_amazon_seller(seller: str) -> bool:
    """Whether a "Sold by" name is Amazon itself (any of its EU entities)."""
    return "amazon" in seller.lower()


def fill_from_evidence(
    facts: CaseFacts, exhibits: Iterable[Exhibit]
) -> tuple[CaseFacts, tuple[str, ...], tuple[str, ...]]:
    """Fill what the case file leaves empty from the order confirmation emails.

    Only the order the case file names is used. Without a number in the case
    file, the folder's only order is; with several orders, none is (the
    letter cannot know which one the claim is about).

    Returns:
        The completed facts, a line per inferred fact, and warnings (e.g. a
        letter to Amazon for an item another seller sold, several orders).
    """
    order = facts.order
    groups = orders_found(exhibits)
    if order.number:
        candidates = groups.get(order.number, [])
    elif len(groups) == 1:
        candidates = next(iter(groups.values()))
    else:
        return facts, (), several_orders_notices(groups)
    inferred: list[str] = []
    for evidence in candidates:
        order, more = _fill_order(order, evidence)
        inferred += more
    # A seller written in the case file is named as such; one found is named by its file.
    warnings = [*_seller_warnings(facts, candidates), *_addressee_warnings(facts, candidates)]
    facts = dataclasses.replace(facts, order=order)
    warnings += [w for w in map(items_check, candidates) if w]
    return facts, tuple(inferred), tuple(warnings)


def _fill_order(order: Order, evidence: OrderEvidence) -> tuple[Order, list[str]]:
    """The order with what the evidence says where the case file says nothing."""
    source = evidence.where
    inferred: list[str] = []

    def take(key: str, current: _Value, value: _Value, shown: str, where: str = source) -> _Value:
        if value in (None, ()) or current not in (None, ()):
            return current
        inferred.append(
            M_("{fact} = {value} (from {file})", fact=f"order.{key}", value=shown, file=where)
        )
        return value

    date_where = M_("{file}, Date header", file=source) if evidence.date_from_header else source
    # No word of any language: the line is said as it is in each of them.
    items_text = "; ".join(
        f"{i.quantity} × {i.title}" + (f" ({i.unit_price})" if i.unit_price is not None else "")
        for i in evidence.items
    )
    number = take("number", order.number, evidence.number, evidence.number)
    date = take("date", order.date, evidence.date, str(evidence.date), date_where)
    expected = evidence.expected_delivery
    delivery = take("expected_delivery", order.expected_delivery, expected, str(expected))
    items = take("items", order.items, evidence.items, items_text)
    total = take("total", order.total, evidence.total, str(evidence.total))
    seller = take("seller", order.seller, evidence.seller, str(evidence.seller))
    filled = dataclasses.replace(
        order,
        number=number,
        date=date,
        expected_delivery=delivery,
        items=items,
        total=total,
        seller=seller,
    )
    return filled, inferred


def _seller_warnings(facts: CaseFacts, evidence: list[OrderEvidence]) -> Iterator[str]:
    if facts.recipient.preset != "amazon-eu":
        return
    sellers = [(facts.order.seller, "case.toml order.seller")] if facts.order.seller else []
    sellers += [(e.seller, e.where) for e in evidence if e.seller]
    for seller, where in sellers:
        if seller and not is_amazon_seller(seller):
            yield M_(
                "{file} says the item was sold by {seller!r}, not by Amazon: a letter to "
                "Amazon EU S.à r.l. is not the right one; in case.toml replace "
                '[recipient] preset = "amazon-eu" with that seller\'s name and address '
                '(name = "{name}", address = [...])',
                file=where,
                seller=seller,
                name=seller,
            )
            return


def _addressee_warnings(facts: CaseFacts, evidence: list[OrderEvidence]) -> Iterator[str]:
    claimant = facts.claimant.name
    if not claimant:
        return
    for item in evidence:
        if item.addressee and not _same_person(item.addressee, claimant):
            yield M_(
                "{file} is addressed to {addressee!r}, not to the claimant {claimant!r}: "
                "not sure the order is the claimant's; check [claimant] name "
                "and [order] number in case.toml",
                file=item.where,
                addressee=item.addressee,
                claimant=claimant,
            )


def _same_person(one: str, other: str) -> bool:
    """Whether two names share a word ("Marie" and "Marie Dubois-Leclercq")."""
    return bool(_name_words(one) & _name_words(other))


def _name_words(name: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return {w for w in re.split(r"[^\w]+", plain) if len(w) > 1}


def complete_case(
    case: CaseFile, exhibits: Iterable[Exhibit]
) -> tuple[CaseFile, tuple[str, ...], tuple[str, ...]]:
    """The case file with its order filled in from the evidence.

    The order number found becomes the reference printed in every footer
    when the case file gives none.

    Returns:
        The case, the inferred facts (one line each) and warnings.
    """
    if case.facts is None:
        return case, (), ()
    facts, inferred, warnings = fill_from_evidence(case.facts, exhibits)
    reference = case.reference or facts.order.number
    return dataclasses.replace(case, facts=facts, reference=reference), inferred, warnings
