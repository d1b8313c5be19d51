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
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel import Locale

from dossier.case.facts import CaseFacts, Order
from dossier.case.order_facts import about_other_order, read_order_evidence
from dossier.errors import CaseFileError
from dossier.i18n import M_
from dossier.layout.formats import long_date, money
from dossier.layout.style import PageStyle, Strings, layouts_dir, strings
from dossier.letters.claim import (
    COMPLAINT_MAX_AGE,
    CONFORMITY_PROBLEMS,
    CONFORMITY_REASONS,
    DELIVERY_PROBLEMS,
    DELIVERY_REASONS,
    ECC_COUNTRIES,
    LUXEMBOURG_MEDIATION_LANGUAGES,
    Step,
    claim_steps,
    decide_claim,
    first_complaint,
)
from dossier.letters.signature import check_signature
from dossier.model import (
    CaseFile,
    Direction,
    EmailContent,
    Exhibit,
    Finding,
    FindingKind,
    Kind,
    PdfContent,
    Plan,
)

CASE_FILE = "case.toml"
# The mediators' postal addresses (see the domain notes): the Luxembourg one
# comes from a 2016 source, so the build asks the user to check it.
MEDIATOR_ADDRESSES: dict[str, dict[str, tuple[str, ...]]] = {
    "mediation_be": {
        "fr": ("North Gate II", "Boulevard du Roi Albert II 8 boîte 1", "1000 Bruxelles"),
        "nl": ("North Gate II", "Koning Albert II-laan 8 bus 1", "1000 Brussel"),
        "de": ("North Gate II", "Boulevard du Roi Albert II 8 boîte 1", "1000 Bruxelles"),
        "en": ("North Gate II", "Boulevard du Roi Albert II 8 boîte 1", "1000 Bruxelles"),
    },
    "mediation_lu": {
        language: ("6, rue du Palais de Justice", "L-1841 Luxembourg")
        for language in ("fr", "nl", "de", "en")
    },
}
MEDIATOR_COUNTRY = {"mediation_be": "BE", "mediation_lu": "LU"}

if TYPE_CHECKING:
    import jinja2

    from dossier.layout.letter import LeadPages, SummaryTables


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
        cited = tuple(e for e in exhibits_of(charge.exhibit, exhibits) if e.number not in used)
        used.update(e.number for e in cited)
        events.append(Event(charge.date, "charge", text + note, cited))
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
        text = words.format(key, channel=channel, summary=contact.summary).rstrip(" :.")
        events.append(Event(contact.date, "contact", text, cited))
    for exhibit in exhibits:
        day = exhibit_day(exhibit, zone)
        if exhibit.number in used or day is None:
            continue
        text = words.format("events.exhibit", caption=exhibit.caption)
        events.append(Event(day, "exhibit", text, (exhibit,)))
    return tuple(sorted(events, key=lambda e: e.date))


def exhibits_of(relpath: str | None, exhibits: Iterable[Exhibit]) -> tuple[Exhibit, ...]:
    """The exhibit made from the file ``relpath`` (not its attachments)."""
    if relpath is None:
        return ()
    return tuple(e for e in exhibits if e.source.relpath == relpath and not e.sub_label)


def payment_exhibits(
    facts: CaseFacts, exhibits: Sequence[Exhibit], findings: Sequence[Finding] = ()
) -> tuple[Exhibit, ...]:
    """The exhibits that prove a payment: those the charges name, and statements read by OCR."""
    named = {charge.exhibit for charge in facts.order.charges if charge.exhibit}
    cited = {number for finding in findings for number in finding.exhibits}
    return tuple(
        exhibit
        for exhibit in exhibits
        if (exhibit.source.relpath in named and not exhibit.sub_label)
        or exhibit.number in cited
        or any(read.direction is Direction.DEBIT for read in exhibit.amounts)
    )


def charged_by_findings(findings: Sequence[Finding]) -> Decimal | None:
    """What the statements show was debited, when a billing finding says so."""
    for finding in findings:
        if finding.kind is FindingKind.DOUBLE_CHARGE:
            return finding.amount * len(finding.dates)
        if finding.kind is FindingKind.AMOUNT_DIFFERS:
            return finding.amount
    return None


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
    # German goes on in lower case after the salutation's comma.
    environment.filters["lower_first"] = lambda text: text[:1].lower() + text[1:]
    return environment


def letter_language(facts: CaseFacts, case_language: str) -> str:
    """The letter's language: ``[letter] language``, else the case's.

    The Luxembourg mediator reads French, German, English and Luxembourgish
    only: a request to it in another language is written in French.
    """
    chosen = facts.letter.language or case_language
    luxembourg = facts.letter.kind == "mediation" and mediator(facts) == "mediation_lu"
    if luxembourg and chosen not in LUXEMBOURG_MEDIATION_LANGUAGES:
        return "fr"
    return chosen


def mediator(facts: CaseFacts) -> str | None:
    """Which mediator a mediation request goes to: the seller's country decides."""
    return {"BE": "mediation_be", "LU": "mediation_lu"}.get(facts.recipient.country or "")


def country_name(code: str, language: str) -> str:
    """The name of a country in ``language``, e.g. "Luxembourg", "Luxemburg"."""
    name: str = Locale.parse(language).territories.get(code, code)
    return name


def postal_lines(
    address: Sequence[str], country: str | None, sender_country: str | None, language: str
) -> tuple[str, ...]:
    """An address for the envelope window: the country last, in capitals, when it is abroad.

    A last line that already names the country (in any of the four
    languages) is replaced by the capitalised name.
    """
    lines = list(address)
    if country is None:
        return tuple(lines)
    names = {country_name(country, lang).casefold() for lang in ("fr", "nl", "de", "en")}
    if lines and lines[-1].strip().casefold() in names:
        lines.pop()
    # A claimant's country defaults to Belgium (see dossier.case.check_facts).
    if country != (sender_country or "BE"):
        lines.append(country_name(country, language).upper())
    return tuple(lines)


def _keep_together(text: str) -> str:
    """Spaces that must not break a line: inside a date, after "n°", "nr.", "Nr.", "no."."""
    return text.replace(" ", "\u00a0")


def typeset(text: str, language: str) -> str:
    """The typography of ``language`` on a rendered letter.

    French puts a no-break space before ":", ";", "?", "!" and inside
    « guillemets »; every language ties "n°"/"nr."/"Nr."/"no." to the
    number that follows.
    """
    # A sentence ending on an abbreviation ("S.à r.l.") takes no second full stop.
    text = re.sub(r"(\w)\.\.(?!\.)", r"\1.", text)
    if language == "fr":
        text = re.sub(r"[ \u00a0\u202f]+([:;?!»])", "\u00a0\\1", text)
        text = re.sub(r"«[ \u00a0\u202f]*", "«\u00a0", text)
        text = re.sub(r"\b(n°|nos) (?=\w)", "\\1\u00a0", text)
    else:
        text = re.sub(r"\b(nr\.|Nr\.|no\.) (?=\d)", "\\1\u00a0", text)
    return text


def cite(exhibits: Sequence[Exhibit], words: Strings) -> str:
    """A reference to exhibits: " (voir pièce n° 2)", " (voir pièces nos 2 et 3)"; or ""."""
    refs = [exhibit.ref for exhibit in exhibits]
    if not refs:
        return ""
    if len(refs) == 1:
        return " (" + words.format("cite.one", ref=refs[0]) + ")"
    listed = ", ".join(refs[:-1]) + words["cite.and"] + refs[-1]
    return " (" + words.format("cite.many", refs=listed) + ")"


def letter_context(
    facts: CaseFacts,
    exhibits: Sequence[Exhibit],
    language: str,
    today: dt.date,
    zone: ZoneInfo,
    findings: Sequence[Finding] = (),
) -> dict[str, Any]:
    """The values a letter template may use."""
    words = letter_words(language)
    letter_date = facts.letter.date or today
    claim = decide_claim(facts, letter_date)
    currency = facts.order.currency

    def show_money(amount: Decimal | None) -> str:
        return "—" if amount is None else money(amount, words, currency)

    def show_date(day: dt.date | None) -> str:
        return "—" if day is None else _keep_together(_long_date(day, words))

    body = mediator(facts) if facts.letter.kind == "mediation" else None
    earlier = claim.earlier_letter
    return {
        "kind": facts.letter.kind,
        "language": language,
        "claimant": facts.claimant,
        "recipient": facts.recipient,
        "recipient_lines": postal_lines(
            facts.recipient.address, facts.recipient.country, facts.claimant.country, language
        ),
        "seller_country": country_name(facts.recipient.country, language)
        if facts.recipient.country
        else None,
        "mediator": body,
        "mediator_lines": postal_lines(
            MEDIATOR_ADDRESSES[body][language],
            MEDIATOR_COUNTRY[body],
            facts.claimant.country,
            language,
        )
        if body
        else (),
        "order": facts.order,
        "order_exhibits": order_exhibits(facts.order, exhibits),
        "payment_exhibits": payment_exhibits(facts, exhibits, findings),
        "claim": claim,
        "steps": claim.steps,
        "bases": claim.bases,
        "contacts": claim.contacts,
        "earlier_letter": earlier,
        "earlier_letter_exhibits": exhibits_of(earlier.exhibit, exhibits) if earlier else (),
        "earlier_letter_proof": exhibits_of(earlier.proof, exhibits) if earlier else (),
        "complaint": claim.complaint,
        "complaint_exhibits": exhibits_of(claim.complaint.exhibit, exhibits)
        if claim.complaint
        else (),
        "demand": facts.demand,
        "problems": facts.problems,
        "problem_names": [words[f"problems.{p}"] for p in facts.problems],
        "place": facts.letter.place,
        "letter_date": show_date(letter_date),
        "due_date": show_date(claim.due_date),
        "amount": show_money(claim.claimed),
        "total": show_money(facts.order.total),
        "events": build_events(facts, exhibits, words, zone),
        # The enclosures: every exhibit but those about another order.
        "exhibits": tuple(e for e in exhibits if not about_other_order(e, facts.order.number)),
        "title": words[f"titles.{facts.letter.kind}"],
        "long_date": show_date,
        "money": show_money,
        "cite": lambda found: cite(found, words),
        "channel": lambda name: words[f"channels.{name}"],
        "by_channel": lambda name: words[f"by_channel.{name}"],
    }


def _long_date(day: dt.date, words: Strings) -> str:
    """A long date; French writes the first of the month "1er"."""
    text = long_date(day, words)
    if words.language == "fr" and day.day == 1:
        text = "1er" + text[1:]
    return text


def render_letter_text(
    facts: CaseFacts,
    exhibits: Sequence[Exhibit],
    language: str,
    today: dt.date,
    zone: ZoneInfo,
    findings: Sequence[Finding] = (),
) -> LetterText:
    """Fill the template of the case's letter kind in ``language``.

    Raises:
        jinja2.TemplateError: the template is missing or uses an unknown name (a bug).
    """
    context = letter_context(facts, exhibits, language, today, zone, findings)
    template = template_environment().get_template(f"{language}/{facts.letter.kind}.j2")
    text = typeset(template.render(context), language)
    return LetterText(title=context["title"], text=text)


def summary_rows(facts: CaseFacts, words: Strings, today: dt.date) -> list[tuple[str, str]]:
    """The order facts of the summary page, as (label, value) rows."""
    order = facts.order
    letter_date = facts.letter.date or today
    claim = decide_claim(facts, letter_date)
    rows: list[tuple[str, str | None]] = [
        (words["summary.order_number"], order.number),
        (words["summary.order_date"], _long_date(order.date, words) if order.date else None),
        (words["summary.seller"], order.seller),
        (words["summary.payment_method"], order.payment_method),
        (
            words["summary.billing_country"],
            country_name(order.billing_country, words.language) if order.billing_country else None,
        ),
        (
            words["summary.expected_delivery"],
            _long_date(order.expected_delivery, words) if order.expected_delivery else None,
        ),
        (
            words["summary.delivered"],
            _long_date(order.delivered, words)
            if order.delivered
            else (words["summary.not_delivered"] if "not_delivered" in facts.problems else None),
        ),
        (
            words["summary.problems"],
            "; ".join(words[f"problems.{p}"] for p in facts.problems) or None,
        ),
    ]
    if facts.letter.kind != "none":
        rows.append(
            (words["summary.demand"], "; ".join(words[f"steps.{s.step}"] for s in claim.steps))
        )
        claimed = claim.claimed
        if claimed is not None:
            rows.append((words["summary.claimed"], money(claimed, words, order.currency)))
        if claim.due_date is not None:
            rows.append((words["summary.due_date"], _long_date(claim.due_date, words)))
    return [(label, value) for label, value in rows if value]


def amounts_rows(
    facts: CaseFacts,
    words: Strings,
    exhibits: Sequence[Exhibit] = (),
    findings: Sequence[Finding] = (),
) -> list[tuple[str, str]]:
    """Charged against due: what was debited, what was owed, and the difference.

    The amount charged comes from ``[order] charges`` or from the statements
    read by OCR, never from the order total; without a proof of payment
    among the exhibits, the row says so.
    """
    order = facts.order
    if order.total is None:
        return []
    rows = [(words["summary.due"], money(order.total, words, order.currency))]
    charged = order.charged if order.charges else charged_by_findings(findings)
    proofs = payment_exhibits(facts, exhibits, findings)
    if charged is None:
        rows.insert(0, (words["summary.charged"], words["summary.no_payment_proof"]))
        return rows
    shown = money(charged, words, order.currency)
    if proofs:
        shown += " (" + ", ".join(exhibit.label for exhibit in proofs) + ")"
    else:
        shown += " — " + words["summary.no_payment_proof"]
    rows.insert(0, (words["summary.charged"], shown))
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
    findings: Sequence[Finding] = (),
) -> SummaryTables:
    """The order summary page's cells, in the case's language."""
    # reportlab, through the page layout: loaded only when pages are laid out.
    from dossier.layout.letter import SummaryTables

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
            _long_date(event.date, words),
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
        amounts=amounts_rows(facts, words, exhibits, findings),
        timeline_title=words["summary.timeline"],
        timeline_header=[words["summary.date"], words["summary.event"], words["summary.exhibit"]],
        timeline=timeline,
    )


def lay_out_lead(plan: Plan, today: dt.date, style: PageStyle, out: Path) -> LeadPages:
    """Draw the cover letter and the order summary of ``plan`` into ``out``.

    Nothing is drawn (zero pages) without case facts; the letter is left out
    when its kind is ``none`` or the case file lacks what it needs.
    """
    from dossier.layout.billing import findings_flowables
    from dossier.layout.letter import LeadPages, render_lead

    case = plan.case
    facts = case.facts
    if facts is None:
        return LeadPages(0, None, None)
    text = None
    if writes_letter(facts):
        language = letter_language(facts, case.language)
        text = render_letter_text(
            facts, plan.exhibits, language, today, case.zone, plan.findings
        ).text
    summary = None
    if not facts.order.is_empty:
        summary = summary_tables(
            facts, plan.exhibits, case.language, today, case.zone, plan.findings
        )
    signature = None
    if facts.letter.signature and case.path is not None:
        signature = case.path.parent / facts.letter.signature
    words = strings(case.language)
    billing = findings_flowables(plan.findings, style, words) if summary else []
    return render_lead(text, summary, style, words, out, signature, billing)


def writes_letter(facts: CaseFacts) -> bool:
    """Whether the dossier opens with a letter: one is asked for and can be written."""
    kind = facts.letter.kind
    if kind == "none" or missing_for_letter(facts):
        return False
    return not (kind == "mediation" and mediator(facts) is None)


def lead_outline(plan: Plan, lead: LeadPages) -> list[tuple[str, int]]:
    """Outline entries for the letter and the summary: (title, 0-based page)."""
    facts = plan.case.facts
    if facts is None:
        return []
    words = letter_words(plan.case.language)
    entries = []
    if lead.letter_page is not None and facts.letter.kind != "none":
        title = letter_words(letter_language(facts, plan.case.language))[
            f"titles.{facts.letter.kind}"
        ]
        entries.append((title, lead.letter_page))
    if lead.summary_page is not None:
        entries.append((words["summary.title"], lead.summary_page))
    return entries


def check_letter(facts: CaseFacts) -> None:
    """Refuse a letter that its addressee would refuse, naming the key to change.

    Raises:
        CaseFileError: an ECC complaint against a Belgian seller, by a consumer
            billed or living outside Belgium, or against a seller ECC-Net does
            not cover; a mediation request in a language its mediator does not read.
    """
    kind = facts.letter.kind
    seller = facts.recipient.country
    if kind == "ecc_complaint":
        if seller == "BE":
            raise CaseFileError(
                M_(
                    "{file}: letter.kind: ECC Belgium handles only sellers established in "
                    "another EU country, Norway or Iceland; against a Belgian seller, set "
                    'letter.kind = "mediation" (Consumer Mediation Service)',
                    file=CASE_FILE,
                )
            )
        if seller is not None and seller not in ECC_COUNTRIES:
            raise CaseFileError(
                M_(
                    "{file}: letter.kind: ECC Belgium handles only sellers established in "
                    "an EU country, Norway or Iceland, and recipient.country is {country!r}; "
                    'set letter.kind = "formal_notice", or correct recipient.country',
                    file=CASE_FILE,
                    country=seller,
                )
            )
        for key, country in (
            ("order.billing_country", facts.order.billing_country),
            ("claimant.country", facts.claimant.country),
        ):
            if country not in (None, "BE"):
                raise CaseFileError(
                    M_(
                        "{file}: {key}: ECC Belgium takes only consumers living and billed "
                        "in Belgium, and this is {country!r}; contact the European Consumer "
                        'Centre of your own country, or set letter.kind = "formal_notice"',
                        file=CASE_FILE,
                        key=key,
                        country=country,
                    )
                )
    if (
        kind == "mediation"
        and mediator(facts) == "mediation_lu"
        and facts.letter.language not in (None, *LUXEMBOURG_MEDIATION_LANGUAGES)
    ):
        raise CaseFileError(
            M_(
                "{file}: letter.language: the Luxembourg mediator reads French, German, "
                "English and Luxembourgish only, not {language!r}; "
                'set letter.language = "fr", "de" or "en"',
                file=CASE_FILE,
                language=facts.letter.language,
            )
        )


def lead_notices(case: CaseFile, exhibits: Sequence[Exhibit] = ()) -> tuple[str, ...]:
    """What the user should know about the letter before sending it.

    Raises:
        CaseFileError: the letter would be refused by its addressee (``check_letter``).
    """
    facts = case.facts
    if facts is None or facts.letter.kind == "none":
        return ()
    check_letter(facts)
    missing = missing_for_letter(facts)
    kind = facts.letter.kind
    if missing:
        kinds = {
            "formal_notice": M_("formal notice"),
            "reminder": M_("reminder"),
            "ecc_complaint": M_("ecc complaint"),
            "mediation": M_("mediation"),
        }
        values = {
            "kind": kinds.get(kind, kind.replace("_", " ")),
            "file": CASE_FILE,
            "keys": ", ".join(missing),
        }
        if len(missing) == 1:
            return (
                M_(
                    'no {kind} letter: {file} has no {keys}; add it, or set letter.kind = "none"',
                    **values,
                ),
            )
        return (
            M_(
                'no {kind} letter: {file} has no {keys}; add them, or set letter.kind = "none"',
                **values,
            ),
        )
    if kind == "mediation" and mediator(facts) is None:
        return (
            M_(
                "no mediation letter: the Belgian and Luxembourg mediators handle only sellers "
                "established in their country (recipient.country); for a seller in another EU "
                'country, set letter.kind = "ecc_complaint" (European Consumer Centre Belgium)'
            ),
        )
    return (
        *_language_notices(facts, case.language),
        *_step_notices(facts),
        *_evidence_notices(facts, exhibits),
    )


def _language_notices(facts: CaseFacts, case_language: str) -> tuple[str, ...]:
    notices = []
    if facts.letter.kind == "mediation" and mediator(facts) == "mediation_lu":
        notices.append(
            M_(
                "the Luxembourg mediator's address (6, rue du Palais de Justice, L-1841 "
                "Luxembourg) comes from a 2016 source: check it on mediateurconsommation.lu "
                "before posting"
            )
        )
        if letter_language(facts, case_language) != (facts.letter.language or case_language):
            notices.append(
                M_(
                    "the mediation request is written in French: the Luxembourg mediator reads "
                    'French, German, English and Luxembourgish only (set letter.language = "de" '
                    'or "en" to choose another)'
                )
            )
    return tuple(notices)


def _step_notices(facts: CaseFacts) -> tuple[str, ...]:
    """Where the letter asks for less, or for something else, than the case file says."""
    demand = facts.demand
    problems = set(facts.problems)
    # The steps alone: the whole claim's due date would load the calendar of holidays.
    steps = {step.step: step for step in claim_steps(facts, facts.letter.kind)}
    notices = []
    if Step.DELIVER in steps and demand.remedy == "refund":
        notices.append(
            M_(
                "the formal notice first asks for delivery within the deadline and announces "
                "termination and refund if it passes (Directive 2011/83 art. 18); to terminate "
                'at once, set demand.reason = "seller_refused" or "essential_date"'
            )
        )
    if Step.CONFORM in steps and demand.remedy in ("refund", "price_reduction"):
        notices.append(
            M_(
                "the letter asks for repair or replacement first and announces price reduction "
                "or termination if it does not come (Directive 2019/771 art. 13); to claim "
                "{remedy} at once, set demand.reason to one of {reasons} (a minor defect never "
                "justifies termination)",
                remedy=M_("a refund") if demand.remedy == "refund" else M_("a price reduction"),
                reasons=", ".join(CONFORMITY_REASONS),
            )
        )
    if demand.reason is not None:
        fits = (problems & DELIVERY_PROBLEMS and demand.reason in DELIVERY_REASONS) or (
            problems & CONFORMITY_PROBLEMS and demand.reason in CONFORMITY_REASONS
        )
        if not fits:
            notices.append(
                M_(
                    "demand.reason = {reason!r} does not apply to the problem ({problems}): "
                    "the letter does not use it",
                    reason=demand.reason,
                    problems=", ".join(facts.problems),
                )
            )
    for step, key, what in (
        (Step.REDUCE, "demand.amount", M_("the price reduction you ask for")),
        (Step.PRICE_DIFFERENCE, "demand.amount", M_("the price difference you ask for")),
        (Step.UNDUE, "order.charges or demand.amount", M_("what was charged too much")),
    ):
        if step in steps and steps[step].amount is None:
            notices.append(
                M_("the letter names no amount: give {key} ({what})", key=key, what=what)
            )
    if "promotion_not_applied" in problems:
        notices.append(
            M_(
                "add screenshots of the product page and of the checkout showing the announced "
                "price or promotion: they prove the price the seller is bound by"
            )
        )
    if "billing_error" in problems:
        first = min((charge.date for charge in facts.order.charges), default=None)
        bank = M_(
            "you can also ask your bank to correct an unauthorised or incorrectly executed "
            "payment, without undue delay and within 13 months of the debit (Directive "
            "2015/2366 art. 71)"
        )
        if first is not None:
            bank = M_(
                "{advice} (for the debit of {debit}: until {until})",
                advice=bank,
                debit=first.isoformat(),
                until=_add_months(first, 13).isoformat(),
            )
        notices.append(bank)
    return tuple(notices)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _evidence_notices(facts: CaseFacts, exhibits: Sequence[Exhibit]) -> tuple[str, ...]:
    """Evidence a letter refers to and the folder lacks."""
    kind = facts.letter.kind
    notices = []
    earlier = next((c for c in reversed(facts.contacts) if c.channel == "letter"), None)
    if kind == "reminder":
        if earlier is None:
            notices.append(
                M_(
                    "a reminder follows a formal notice: record it in [[contacts]] with "
                    'channel = "letter", its date, exhibit = its file and proof = the proof of '
                    "posting or receipt"
                )
            )
        else:
            for key, value, what in (
                ("exhibit", earlier.exhibit, M_("the earlier letter")),
                ("proof", earlier.proof, M_("its proof of posting or receipt")),
            ):
                if not exhibits_of(value, exhibits):
                    notices.append(
                        M_(
                            "the reminder encloses no copy of {what}: add the file to the "
                            'folder and name it in the letter\'s [[contacts]] entry ({key} = "…")',
                            what=what,
                            key=key,
                        )
                    )
    if kind in ("ecc_complaint", "mediation") and not facts.contacts:
        notices.append(
            M_(
                "mediators and ECC Belgium expect an earlier complaint to the seller: "
                "record it in [[contacts]] (a formal notice is one)"
            )
        )
    if kind == "ecc_complaint" and not payment_exhibits(facts, exhibits):
        notices.append(
            M_(
                "ECC Belgium asks for a proof of payment: add a bank statement or a screenshot "
                'of it, and name it in [order] charges (exhibit = "…")'
            )
        )
    complaint = first_complaint(facts)
    letter_date = facts.letter.date or dt.date.today()
    if kind == "mediation" and complaint and letter_date - complaint.date > COMPLAINT_MAX_AGE:
        notices.append(
            M_(
                "the complaint to the seller is more than a year old: the mediator may refuse "
                "the request"
            )
        )
    return tuple(notices)


def check_fact_files(case: CaseFile, present: set[str]) -> None:
    """Check that the files the facts name (contacts, proofs, charges) are in the folder.

    Raises:
        CaseFileError: a named file is not in the folder; the message names the key.
    """
    facts = case.facts
    if facts is None:
        return
    named = [
        (f"contacts[{i}].{key}", value)
        for i, contact in enumerate(facts.contacts, start=1)
        for key, value in (("exhibit", contact.exhibit), ("proof", contact.proof))
    ] + [
        (f"order.charges[{i}].exhibit", charge.exhibit)
        for i, charge in enumerate(facts.order.charges, start=1)
    ]
    for key, value in named:
        if value is not None and value not in present:
            raise CaseFileError(
                M_(
                    "{file}: {key}: {value!r} is not a file in the folder; give its path "
                    "relative to the folder (with /), or remove the key",
                    file=CASE_FILE,
                    key=key,
                    value=value,
                )
            )


def signature_paths(case: CaseFile) -> list[Path]:
    """The signature image of the letter, which is not evidence and stays out of the exhibits.

    Raises:
        CaseFileError: ``letter.signature`` names no picture inside the folder.
    """
    if case.facts is None or case.facts.letter.signature is None or case.path is None:
        return []
    return [check_signature(case.path, case.facts.letter.signature)]
