"""The cover letter and the order summary: facts, timeline and template text.

The words of the letters live in ``layouts/letters/<lang>/``: one Jinja2
template per letter kind (text, not code; each names its legal sources in a
comment) and ``words.toml`` for the order summary and the names of problems,
remedies and channels. Templates are rendered with ``StrictUndefined``, so a
missing word or placeholder is an error in the test suite, never a blank in
a user's letter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dossier.case_model import CaseFacts, Order
from dossier.errors import CaseFileError
from dossier.formats import long_date, money
from dossier.layout.billing import findings_flowables
from dossier.layout.letter import LeadPages, SummaryTables, render_lead
from dossier.layouts import PageStyle, Strings, layouts_dir, strings
from dossier.model import CaseFile, EmailContent, Exhibit, Kind, PdfContent, Plan
from dossier.orderdata import about_other_order, read_order_evidence

if TYPE_CHECKING:
    import jinja2


@dataclasses.dataclass(frozen=True, slots=True)
class Event:
    """One line of the timeline: what happened on a day, and the exhibits that show it."""

    date: dt.date
    kind: str
    text: str
    exhibits: tuple[Exhibit, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class LetterText:
    """A rendered letter: its title (for the outline) and its marked-up text."""

    title: str
    text: str


@functools.cache
def letter_words(language: str) -> Strings:
    """The words of ``layouts/letters/<language>/words.toml``."""
    path = layouts_dir() / "letters" / language / "words.toml"
    return Strings(language, tomllib.loads(path.read_text(encoding="utf-8")))


def exhibit_day(exhibit: Exhibit, zone: ZoneInfo) -> dt.date | None:
    """The day of an exhibit, in the case's time zone; None when it has no real date.

    A file modification time says when a copy was made, not when the event
    was: such exhibits stay out of the timeline (they are still enclosed).
    """
    stamp = exhibit.timestamp
    if stamp is None or stamp.weak:
        return None
    return stamp.shown(zone).date()


def order_exhibits(order: Order, exhibits: Iterable[Exhibit]) -> tuple[Exhibit, ...]:
    """The exhibits about the order itself: its confirmation email and invoices with its number."""
    if not order.number:
        return ()
    found = []
    for exhibit in exhibits:
        content = exhibit.content
        if isinstance(content, EmailContent):
            # A reply from customer service quotes the number too: only a
            # confirmation from the retailer is about the order itself.
            evidence = read_order_evidence(content, exhibit.source.relpath)
            if evidence is not None and evidence.number == order.number:
                found.append(exhibit)
        elif isinstance(content, PdfContent) and order.number in (
            exhibit.source.relpath + (content.title or "")
        ):
            found.append(exhibit)
    return tuple(found)


def build_events(
    facts: CaseFacts, exhibits: Sequence[Exhibit], words: Strings, zone: ZoneInfo
) -> tuple[Event, ...]:
    """The chronological timeline of the case, each event with its exhibits."""
    order = facts.order
    # Confirmations and replies about the folder's other orders are no facts of this claim.
    exhibits = [e for e in exhibits if not about_other_order(e, order.number)]
    used: set[int] = set()
    events: list[Event] = []
    if order.date is not None:
        cited = order_exhibits(order, exhibits)
        used.update(e.number for e in cited)
        text = words.format("events.order", number=order.number or "—")
        events.append(Event(order.date, "order", text, cited))
    for charge in order.charges:
        amount = money(charge.amount, words, order.currency)
        text = words.format("events.charge", amount=amount)
        note = f" ({charge.note})" if charge.note else ""
        events.append(Event(charge.date, "charge", text + note))
    if order.expected_delivery is not None:
        events.append(
            Event(order.expected_delivery, "expected_delivery", words["events.expected_delivery"])
        )
    if order.delivered is not None:
        events.append(Event(order.delivered, "delivered", words["events.delivered"]))
    for contact in facts.contacts:
        cited = tuple(
            e
            for e in exhibits
            if e.number not in used
            and (
                e.source.relpath == contact.exhibit
                or (
                    contact.exhibit is None
                    and e.kind in (Kind.EMAIL, Kind.NOTE)
                    and exhibit_day(e, zone) == contact.date
                )
            )
        )
        used.update(e.number for e in cited)
        key = "events.letter" if contact.channel == "letter" else "events.contact"
        channel = words[f"channels.{contact.channel}"]
        text = words.format(key, channel=channel, summary=contact.summary).rstrip(" :")
        events.append(Event(contact.date, "contact", text, cited))
    for exhibit in exhibits:
        day = exhibit_day(exhibit, zone)
        if exhibit.number in used or day is None:
            continue
        text = words.format("events.exhibit", caption=exhibit.caption)
        events.append(Event(day, "exhibit", text, (exhibit,)))
    return tuple(sorted(events, key=lambda e: e.date))


def claimed_amount(facts: CaseFacts) -> Decimal | None:
    """The amount the letter claims: the demand's, else what the order implies."""
    order = facts.order
    if facts.demand.amount is not None:
        return facts.demand.amount
    if facts.demand.remedy == "refund_of_double_charge" and order.charges and order.total:
        return max((order.charged or Decimal(0)) - order.total, Decimal(0))
    return order.total


def missing_for_letter(facts: CaseFacts) -> list[str]:
    """The case-file keys a letter needs and does not have."""
    missing = []
    if not facts.claimant.name:
        missing.append("claimant.name")
    if not facts.claimant.address:
        missing.append("claimant.address")
    if not facts.problems:
        missing.append("problem")
    if not facts.order.number:
        missing.append("order.number")
    return missing


@functools.cache
def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of ``layouts/letters``: strict, plain text, no autoescape."""
    import jinja2  # only a case with a letter needs it

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts_dir() / "letters"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return environment


def letter_context(
    facts: CaseFacts,
    exhibits: Sequence[Exhibit],
    language: str,
    today: dt.date,
    zone: ZoneInfo,
) -> dict[str, Any]:
    """The values a letter template may use."""
    words = letter_words(language)
    letter_date = facts.letter.date or today
    currency = facts.order.currency

    def show_money(amount: Decimal | None) -> str:
        return "—" if amount is None else money(amount, words, currency)

    def show_date(day: dt.date | None) -> str:
        return "—" if day is None else long_date(day, words)

    return {
        "kind": facts.letter.kind,
        "language": language,
        "claimant": facts.claimant,
        "recipient": facts.recipient,
        "order": facts.order,
        "order_exhibits": order_exhibits(facts.order, exhibits),
        "contacts": facts.contacts,
        "earlier_letters": tuple(c for c in facts.contacts if c.channel == "letter"),
        "demand": facts.demand,
        "problems": facts.problems,
        "problem_names": [words[f"problems.{p}"] for p in facts.problems],
        "remedy": words[f"remedies.{facts.demand.remedy}"],
        "place": facts.letter.place,
        "letter_date": show_date(letter_date),
        "due_date": show_date(facts.due_date(letter_date)),
        "amount": show_money(claimed_amount(facts)),
        "total": show_money(facts.order.total),
        "charged": show_money(facts.order.charged),
        "events": build_events(facts, exhibits, words, zone),
        "exhibits": tuple(exhibits),
        "title": words[f"titles.{facts.letter.kind}"],
        # Rome I art. 6: a Belgian consumer keeps Belgian mandatory protection
        # against a trader established in another country.
        "cross_border": facts.claimant.country == "BE"
        and facts.recipient.country not in (None, "BE"),
        "belgian_trader": facts.recipient.country == "BE",
        "long_date": show_date,
        "money": show_money,
        "channel": lambda name: words[f"channels.{name}"],
        "has_signature": facts.letter.signature is not None,
    }


def render_letter_text(
    facts: CaseFacts,
    exhibits: Sequence[Exhibit],
    language: str,
    today: dt.date,
    zone: ZoneInfo,
) -> LetterText:
    """Fill the template of the case's letter kind in the case's language.

    Raises:
        jinja2.TemplateError: the template is missing or uses an unknown name (a bug).
    """
    context = letter_context(facts, exhibits, language, today, zone)
    template = template_environment().get_template(f"{language}/{facts.letter.kind}.j2")
    return LetterText(title=context["title"], text=template.render(context))


def summary_rows(facts: CaseFacts, words: Strings, today: dt.date) -> list[tuple[str, str]]:
    """The order facts of the summary page, as (label, value) rows."""
    order = facts.order
    letter_date = facts.letter.date or today
    rows: list[tuple[str, str | None]] = [
        (words["summary.order_number"], order.number),
        (words["summary.order_date"], long_date(order.date, words) if order.date else None),
        (words["summary.seller"], order.seller),
        (words["summary.payment_method"], order.payment_method),
        (words["summary.billing_country"], order.billing_country),
        (
            words["summary.expected_delivery"],
            long_date(order.expected_delivery, words) if order.expected_delivery else None,
        ),
        (
            words["summary.delivered"],
            long_date(order.delivered, words)
            if order.delivered
            else (words["summary.not_delivered"] if "not_delivered" in facts.problems else None),
        ),
        (
            words["summary.problems"],
            "; ".join(words[f"problems.{p}"] for p in facts.problems) or None,
        ),
    ]
    claimed = claimed_amount(facts)
    if claimed is not None and facts.letter.kind != "none":
        rows.append(
            (
                words["summary.claimed"],
                f"{money(claimed, words, order.currency)} — {words['summary.due_date']} "
                f"{long_date(facts.due_date(letter_date), words)}",
            )
        )
    return [(label, value) for label, value in rows if value]


def amounts_rows(facts: CaseFacts, words: Strings) -> list[tuple[str, str]]:
    """Charged against due: what was debited, what was owed, and the difference."""
    order = facts.order
    if order.total is None:
        return []
    rows = [(words["summary.due"], money(order.total, words, order.currency))]
    charged = order.charged
    if charged is not None:
        rows.insert(0, (words["summary.charged"], money(charged, words, order.currency)))
        if charged > order.total:
            rows.append(
                (words["summary.difference"], money(charged - order.total, words, order.currency))
            )
    return rows


def words_keys(data: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Every dotted key of a words table, for checking that each language has them all."""
    keys = set()
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            keys |= words_keys(value, name + ".")
        else:
            keys.add(name)
    return keys


def summary_tables(
    facts: CaseFacts,
    exhibits: Sequence[Exhibit],
    language: str,
    today: dt.date,
    zone: ZoneInfo,
) -> SummaryTables:
    """The order summary page's cells, in the case's language."""
    words = letter_words(language)
    order = facts.order
    currency = order.currency

    def show(amount: Decimal | None) -> str:
        return "" if amount is None else money(amount, words, currency)

    items = [
        [item.title, str(item.quantity), show(item.unit_price), show(item.line_total)]
        for item in order.items
    ]
    timeline = [
        (
            long_date(event.date, words),
            event.text,
            ", ".join(exhibit.label for exhibit in event.exhibits),
        )
        for event in build_events(facts, exhibits, words, zone)
    ]
    return SummaryTables(
        title=words["summary.title"],
        facts=summary_rows(facts, words, today),
        items_header=[
            words["summary.item"],
            words["summary.quantity"],
            words["summary.unit_price"],
            words["summary.line_total"],
        ],
        items=items,
        total=(words["summary.total"], show(order.total)) if order.total is not None else None,
        amounts=amounts_rows(facts, words),
        timeline_title=words["summary.timeline"],
        timeline_header=[words["summary.date"], words["summary.event"], words["summary.exhibit"]],
        timeline=timeline,
    )


def lay_out_lead(plan: Plan, today: dt.date, style: PageStyle, out: Path) -> LeadPages:
    """Draw the cover letter and the order summary of ``plan`` into ``out``.

    Nothing is drawn (zero pages) without case facts; the letter is left out
    when its kind is ``none`` or the case file lacks what it needs.
    """
    case = plan.case
    facts = case.facts
    if facts is None:
        return LeadPages(0, None, None)
    text = None
    if facts.letter.kind != "none" and not missing_for_letter(facts):
        text = render_letter_text(facts, plan.exhibits, case.language, today, case.zone).text
    summary = None
    if not facts.order.is_empty:
        summary = summary_tables(facts, plan.exhibits, case.language, today, case.zone)
    signature = None
    if facts.letter.signature and case.path is not None:
        signature = case.path.parent / facts.letter.signature
    words = strings(case.language)
    billing = findings_flowables(plan.findings, style, words) if summary else []
    return render_lead(text, summary, style, words, out, signature, billing)


def lead_outline(plan: Plan, lead: LeadPages) -> list[tuple[str, int]]:
    """Outline entries for the letter and the summary: (title, 0-based page)."""
    facts = plan.case.facts
    if facts is None:
        return []
    words = letter_words(plan.case.language)
    entries = []
    if lead.letter_page is not None and facts.letter.kind != "none":
        entries.append((words[f"titles.{facts.letter.kind}"], lead.letter_page))
    if lead.summary_page is not None:
        entries.append((words["summary.title"], lead.summary_page))
    return entries


def lead_notices(case: CaseFile) -> tuple[str, ...]:
    """Why no letter is written, when the case file asks for one but lacks facts."""
    facts = case.facts
    if facts is None or facts.letter.kind == "none":
        return ()
    missing = missing_for_letter(facts)
    if missing:
        return (
            f"no {facts.letter.kind.replace('_', ' ')} letter: case.toml has no "
            f'{", ".join(missing)}; add them, or set letter.kind = "none"',
        )
    notices = []
    kind = facts.letter.kind
    if kind == "ecc_complaint" and facts.order.billing_country not in (None, "BE"):
        notices.append(
            "ECC Belgium does not take cases where the billing address of the order is not "
            "in Belgium (order.billing_country); check before you send the complaint"
        )
    if kind == "ecc_complaint" and facts.recipient.country == "BE":
        notices.append(
            "ECC Belgium handles sellers in other EU countries; for a Belgian seller, "
            'set letter.kind = "mediation" (Consumer Mediation Service)'
        )
    if kind in ("ecc_complaint", "mediation") and not facts.contacts:
        notices.append(
            "mediators and ECC Belgium expect an earlier complaint to the seller: "
            "record it in [[contacts]] (a formal notice is one)"
        )
    return tuple(notices)


def signature_paths(case: CaseFile) -> list[Path]:
    """The signature image of the letter, which is not evidence and stays out of the exhibits.

    Raises:
        CaseFileError: ``letter.signature`` names no file of the folder.
    """
    if case.facts is None or case.facts.letter.signature is None or case.path is None:
        return []
    name = case.facts.letter.signature
    path = case.path.parent / name
    if not path.is_file():
        raise CaseFileError(
            f"{case.path.name}: letter.signature: {name!r} is not a file in the folder; "
            "give the path of a PNG or JPEG image relative to the folder, or remove the key"
        )
    return [path]
