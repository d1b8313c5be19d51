"""Check the facts of the case file: claimant, recipient, order, contacts, demand, letter.

Called by ``dossier.case.load``; every message names the key and says what is
wrong, e.g. ``case.toml: order.date: '31/02/2025' is not a date; …``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from dossier.case.facts import (
    CHANNELS,
    LANGUAGES,
    LETTER_KINDS,
    PROBLEMS,
    REASONS,
    RECIPIENT_PRESETS,
    REMEDIES,
    CaseFacts,
    Charge,
    Contact,
    Demand,
    LetterSettings,
    Order,
    OrderItem,
    Party,
)
from dossier.case.limits import MAX_QUANTITY, amount_problem, count_problem, day_problem
from dossier.errors import CaseFileError
from dossier.i18n import M_, Message

Fail = Callable[[str, str], CaseFileError]

AMAZON_ORDER_NUMBER = re.compile(r"\b(?:\d{3}|D\d{2})-\d{7}-\d{7}\b")
_FACT_TABLES = ("claimant", "recipient", "order", "contacts", "demand", "letter", "problem")
_KEYS = {
    "claimant": ("name", "address", "country", "email", "phone", "account_email"),
    "recipient": ("preset", "name", "address", "country", "register", "attention", "email"),
    "order": (
        "number",
        "date",
        "items",
        "total",
        "currency",
        "payment_method",
        "billing_country",
        "expected_delivery",
        "delivered",
        "seller",
        "charges",
    ),
    "item": ("title", "quantity", "unit_price"),
    "charge": ("date", "amount", "note", "exhibit"),
    "contact": ("date", "channel", "summary", "reference", "agent", "exhibit", "proof"),
    "demand": ("remedy", "reason", "amount", "deadline_days", "iban", "bic"),
    "letter": ("kind", "place", "date", "signature", "language"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def has_facts(data: Mapping[str, Any]) -> bool:
    """Whether the case file says anything beyond language, time zone and exhibits."""
    return any(key in data for key in _FACT_TABLES)


def parse_case_facts(data: Mapping[str, Any], fail: Fail) -> CaseFacts:
    """Check the fact tables of the parsed case file.

    Raises:
        CaseFileError: a value is wrong; the message names the key.
    """
    recipient = _recipient(_table(data, "recipient", fail), fail)
    facts = CaseFacts(
        problems=_problems(data.get("problem", []), fail),
        claimant=_claimant(_table(data, "claimant", fail), fail),
        recipient=recipient,
        order=_order(_table(data, "order", fail), recipient, fail),
        contacts=_contacts(data.get("contacts", []), fail),
        demand=_demand(_table(data, "demand", fail), fail),
        letter=_letter(_table(data, "letter", fail), fail),
    )
    return facts


def _table(data: Mapping[str, Any], key: str, fail: Fail) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise fail(key, M_("must be a table, e.g. [{key}]", key=key))
    allowed = _KEYS[key]
    for name in value:
        if name not in allowed:
            raise fail(
                f"{key}.{name}", M_("unknown key; expected one of {keys}", keys=", ".join(allowed))
            )
    return value


def _problems(value: Any, fail: Fail) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        raise fail("problem", M_('must be a list, e.g. problem = ["damaged"]'))
    for problem in values:
        if problem not in PROBLEMS:
            raise fail("problem", _one_of(problem, PROBLEMS))
    return tuple(dict.fromkeys(values))


def _text(value: Any, key: str, fail: Fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(key, M_("{value!r} is not text; write it in quotes", value=value))
    return value.strip() or None


def _email(value: Any, key: str, fail: Fail) -> str | None:
    text = _text(value, key, fail)
    if text is not None and not _EMAIL.match(text):
        raise fail(key, M_("{value!r} is not an email address", value=text))
    return text


def _country(value: Any, key: str, fail: Fail) -> str | None:
    text = _text(value, key, fail)
    if text is not None and not re.fullmatch(r"[A-Za-z]{2}", text):
        raise fail(
            key, M_("{value!r} is not a two-letter country code such as 'BE' or 'LU'", value=text)
        )
    return text.upper() if text else None


def _address(value: Any, key: str, fail: Fail) -> tuple[str, ...]:
    if value is None:
        return ()
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise fail(
            key, M_('must be a list of lines, e.g. ["Rue de la Station 12", "1000 Bruxelles"]')
        )
    return tuple(line.strip() for line in lines if line.strip())


def _claimant(table: Mapping[str, Any], fail: Fail) -> Party:
    return Party(
        name=_text(table.get("name"), "claimant.name", fail),
        address=_address(table.get("address"), "claimant.address", fail),
        country=_country(table.get("country", "BE"), "claimant.country", fail),
        email=_email(table.get("email"), "claimant.email", fail),
        phone=_text(table.get("phone"), "claimant.phone", fail),
        account_email=_email(table.get("account_email"), "claimant.account_email", fail),
    )


def _recipient(table: Mapping[str, Any], fail: Fail) -> Party:
    preset = table.get("preset")
    if preset is None and not table:
        preset = "amazon-eu"
    if preset is not None:
        if preset not in RECIPIENT_PRESETS:
            raise fail(
                "recipient.preset",
                M_(
                    "{value!r} is not a known preset; use {choices} or give name and address",
                    value=preset,
                    choices=", ".join(RECIPIENT_PRESETS),
                ),
            )
        others = [k for k in table if k not in ("preset", "attention")]
        if others:
            raise fail(
                f"recipient.{others[0]}",
                M_("cannot be combined with preset; remove preset to write your own recipient"),
            )
        party = RECIPIENT_PRESETS[preset]
        attention = _text(table.get("attention"), "recipient.attention", fail)
        return Party(**{**_fields(party), "attention": attention or party.attention})
    name = _text(table.get("name"), "recipient.name", fail)
    address = _address(table.get("address"), "recipient.address", fail)
    if not name:
        raise fail(
            "recipient.name", M_('is missing; give name and address, or preset = "amazon-eu"')
        )
    if not address:
        raise fail(
            "recipient.address", M_("is missing; give the postal address as a list of lines")
        )
    if any("plaetis" in line.lower() for line in address):
        # Seen in older Amazon footers; a letter sent there may never arrive.
        raise fail(
            "recipient.address",
            M_(
                "'5 rue Plaetis, L-2338 Luxembourg' is Amazon EU's former address; "
                'use preset = "amazon-eu" (38 avenue John F. Kennedy, L-1855 Luxembourg)'
            ),
        )
    return Party(
        name=name,
        address=address,
        country=_country(table.get("country"), "recipient.country", fail),
        register=_text(table.get("register"), "recipient.register", fail),
        attention=_text(table.get("attention"), "recipient.attention", fail),
        email=_email(table.get("email"), "recipient.email", fail),
    )


def _fields(party: Party) -> dict[str, Any]:
    return {name: getattr(party, name) for name in Party.__dataclass_fields__}


def parse_amount(value: Any, key: str, fail: Fail) -> Decimal:
    """An amount as a Decimal, from "23.99", "23,99", 23.99 or 24.

    Raises:
        CaseFileError: the value is not an amount of money.
    """
    if isinstance(value, bool):
        raise fail(key, M_('{value!r} is not an amount; write it as "23.99"', value=value))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # A TOML float keeps the digits the user typed in its shortest repr.
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            raise fail(key, M_('{value!r} is not an amount; write it as "23.99"', value=value))
        amount = Decimal(text)
    else:
        raise fail(key, M_('{value!r} is not an amount; write it as "23.99"', value=value))
    problem = amount_problem(value, amount)
    if problem is not None:
        raise fail(key, problem)
    try:
        amount = amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise fail(key, M_("{value!r} is too large to be an amount", value=value)) from None
    if amount < 0:
        raise fail(key, M_("{value!r} is negative; write the amount without a sign", value=value))
    return amount


def parse_day(value: Any, key: str, fail: Fail) -> dt.date:
    """A TOML date (2026-11-03) or an ISO 8601 string.

    Raises:
        CaseFileError: the value is not a date.
    """
    day = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value.strip()[:10])
    if day is None:
        raise fail(key, M_("{value!r} is not a date; write it as 2026-11-03", value=value))
    problem = day_problem(value, day)
    if problem is not None:
        raise fail(key, problem)
    return day


def _optional_day(table: Mapping[str, Any], name: str, key: str, fail: Fail) -> dt.date | None:
    return parse_day(table[name], f"{key}.{name}", fail) if name in table else None


def _order(table: Mapping[str, Any], recipient: Party, fail: Fail) -> Order:
    number = _text(table.get("number"), "order.number", fail)
    if number and recipient.preset == "amazon-eu" and not AMAZON_ORDER_NUMBER.fullmatch(number):
        raise fail(
            "order.number",
            M_(
                "{value!r} is not an Amazon order number (3-7-7 digits such as "
                "402-1234567-1234567, or D01-1234567-1234567); for another retailer, "
                "give its name and address in [recipient]",
                value=number,
            ),
        )
    currency = _text(table.get("currency", "EUR"), "order.currency", fail) or "EUR"
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise fail(
            "order.currency", M_("{value!r} is not a currency code such as 'EUR'", value=currency)
        )
    items_value = table.get("items", [])
    if not isinstance(items_value, list):
        raise fail(
            "order.items",
            M_("must be a list, e.g. items = {example}", example='[{ title = "…", quantity = 1 }]'),
        )
    items = tuple(_item(i, value, fail) for i, value in enumerate(items_value, start=1))
    charges_value = table.get("charges", [])
    if not isinstance(charges_value, list):
        raise fail(
            "order.charges",
            M_(
                "must be a list, e.g. charges = {example}",
                example='[{ date = …, amount = "…" }]',
            ),
        )
    charges = tuple(_charge(i, value, fail) for i, value in enumerate(charges_value, start=1))
    total = parse_amount(table["total"], "order.total", fail) if "total" in table else None
    return Order(
        number=number,
        date=_optional_day(table, "date", "order", fail),
        items=items,
        total=total,
        currency=currency,
        payment_method=_text(table.get("payment_method"), "order.payment_method", fail),
        billing_country=_country(table.get("billing_country"), "order.billing_country", fail),
        expected_delivery=_optional_day(table, "expected_delivery", "order", fail),
        delivered=_optional_day(table, "delivered", "order", fail),
        seller=_text(table.get("seller"), "order.seller", fail),
        charges=charges,
    )


def _entry(value: Any, key: str, kind: str, fail: Fail) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        example = "{ " + ", ".join(_KEYS[kind][:2]) + " }"
        raise fail(key, M_("must be a table, e.g. {example}", example=example))
    for name in value:
        if name not in _KEYS[kind]:
            raise fail(
                f"{key}.{name}",
                M_("unknown key; expected one of {keys}", keys=", ".join(_KEYS[kind])),
            )
    return value


def _item(index: int, value: Any, fail: Fail) -> OrderItem:
    key = f"order.items[{index}]"
    entry = _entry(value, key, "item", fail)
    title = _text(entry.get("title"), f"{key}.title", fail)
    if not title:
        raise fail(f"{key}.title", M_("is missing; give the item's name"))
    quantity = entry.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise fail(
            f"{key}.quantity", M_("{value!r} is not a whole number of 1 or more", value=quantity)
        )
    problem = count_problem(quantity, MAX_QUANTITY)
    if problem is not None:
        raise fail(f"{key}.quantity", problem)
    price = entry.get("unit_price")
    return OrderItem(
        title=title,
        quantity=quantity,
        unit_price=None if price is None else parse_amount(price, f"{key}.unit_price", fail),
    )


def _charge(index: int, value: Any, fail: Fail) -> Charge:
    key = f"order.charges[{index}]"
    entry = _entry(value, key, "charge", fail)
    if "date" not in entry or "amount" not in entry:
        raise fail(key, M_("needs a date and an amount"))
    return Charge(
        date=parse_day(entry["date"], f"{key}.date", fail),
        amount=parse_amount(entry["amount"], f"{key}.amount", fail),
        note=_text(entry.get("note"), f"{key}.note", fail),
        exhibit=_text(entry.get("exhibit"), f"{key}.exhibit", fail),
    )


def _contacts(value: Any, fail: Fail) -> tuple[Contact, ...]:
    if not isinstance(value, list):
        raise fail("contacts", M_("must be a list of [[contacts]] tables"))
    contacts = []
    for index, raw in enumerate(value, start=1):
        key = f"contacts[{index}]"
        entry = _entry(raw, key, "contact", fail)
        if "date" not in entry:
            raise fail(f"{key}.date", M_("is missing; give the day of the contact"))
        channel = entry.get("channel", "chat")
        if channel not in CHANNELS:
            raise fail(f"{key}.channel", _one_of(channel, CHANNELS))
        contacts.append(
            Contact(
                date=parse_day(entry["date"], f"{key}.date", fail),
                channel=channel,
                summary=_text(entry.get("summary"), f"{key}.summary", fail) or "",
                reference=_text(entry.get("reference"), f"{key}.reference", fail),
                agent=_text(entry.get("agent"), f"{key}.agent", fail),
                exhibit=_text(entry.get("exhibit"), f"{key}.exhibit", fail),
                proof=_text(entry.get("proof"), f"{key}.proof", fail),
            )
        )
    return tuple(sorted(contacts, key=lambda c: c.date))


def _demand(table: Mapping[str, Any], fail: Fail) -> Demand:
    remedy = table.get("remedy", "refund")
    if remedy not in REMEDIES:
        raise fail("demand.remedy", _one_of(remedy, REMEDIES))
    days = table.get("deadline_days", Demand().deadline_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 90:
        raise fail(
            "demand.deadline_days", M_("{value!r} is not a number of days from 1 to 90", value=days)
        )
    iban = _text(table.get("iban"), "demand.iban", fail)
    if iban is not None:
        iban = iban.replace(" ", "").upper()
        if not _valid_iban(iban):
            raise fail(
                "demand.iban",
                M_("{value!r} is not a valid IBAN; check its digits", value=table["iban"]),
            )
    bic = _text(table.get("bic"), "demand.bic", fail)
    if bic is not None:
        bic = bic.replace(" ", "").upper()
        if not _BIC.match(bic):
            raise fail(
                "demand.bic",
                M_("{value!r} is not a BIC (8 or 11 letters and digits)", value=table["bic"]),
            )
    reason = table.get("reason")
    if reason is not None and reason not in REASONS:
        raise fail("demand.reason", _one_of(reason, REASONS))
    amount = table.get("amount")
    return Demand(
        remedy=remedy,
        reason=reason,
        amount=None if amount is None else parse_amount(amount, "demand.amount", fail),
        deadline_days=days,
        iban=iban,
        bic=bic,
    )


def _valid_iban(iban: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def _letter(table: Mapping[str, Any], fail: Fail) -> LetterSettings:
    kind = table.get("kind", "formal_notice")
    if kind not in LETTER_KINDS:
        raise fail("letter.kind", _one_of(kind, LETTER_KINDS))
    language = table.get("language")
    if language is not None and language not in LANGUAGES:
        raise fail("letter.language", _one_of(language, LANGUAGES))
    return LetterSettings(
        kind=kind,
        language=language,
        place=_text(table.get("place"), "letter.place", fail),
        date=_optional_day(table, "date", "letter", fail),
        signature=_text(table.get("signature"), "letter.signature", fail),
    )


def _one_of(value: Any, choices: tuple[str, ...]) -> Message:
    return M_("{value!r} is not one of {choices}", value=value, choices=", ".join(choices))
