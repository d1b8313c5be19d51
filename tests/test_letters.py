"""The letters and the order summary in every language, kind and problem."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from pypdf import PdfReader

from dossier.case.facts import LANGUAGES, LETTER_KINDS, PROBLEMS
from dossier.layout.letter import render_lead, split_blocks
from dossier.layout.style import layouts_dir, page_style, strings
from dossier.letters.letter import (
    build_events,
    letter_words,
    render_letter_text,
    summary_tables,
    template_environment,
    words_keys,
)
from tests.conftest_letters import LETTER_DATE, ORDER_NUMBER, make_exhibits, make_facts

ZONE = ZoneInfo("Europe/Brussels")
KINDS = [kind for kind in LETTER_KINDS if kind != "none"]
# 20 November 2026 + 15 days is Saturday 5 December: the deadline moves to Monday 7.
DUE = {
    "fr": "7 décembre 2026",
    "nl": "7 december 2026",
    "de": "7. Dezember 2026",
    "en": "7 December 2026",
}
AMOUNT = {"fr": "1 234,50 €", "nl": "€ 1.234,50", "de": "1.234,50 €", "en": "€1,234.50"}
CITE = {"fr": "voir pièce n° 2", "nl": "zie stuk 2", "de": "siehe Anlage 2", "en": "see Annex 2"}
SENDING = {
    "fr": "Envoi recommandé avec accusé de réception",
    "nl": "Aangetekende zending met ontvangstbewijs",
    "de": "Einschreiben mit Rückschein",
    "en": "Registered letter with acknowledgement of receipt",
}
SUBJECT = {
    "fr": f"Objet : Mise en demeure — commande n° {ORDER_NUMBER}",
    "nl": f"Betreft: Ingebrekestelling — bestelling nr. {ORDER_NUMBER}",
    "de": f"Betreff: Inverzugsetzung — Bestellung Nr. {ORDER_NUMBER}",
    "en": f"Subject: Formal notice — order no. {ORDER_NUMBER}",
}


def flat(text: str) -> str:
    """Text with every run of white space (no-break spaces too) as one space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def render_pdf_text(
    language: str, kind: str, problems: tuple[str, ...], tmp_path: Path, summary: bool = False
) -> str:
    facts = make_facts(kind, problems)
    exhibits = make_exhibits(language)
    letter = render_letter_text(facts, exhibits, language, LETTER_DATE, ZONE)
    tables = summary_tables(facts, exhibits, language, LETTER_DATE, ZONE) if summary else None
    out = tmp_path / f"{language}-{kind}.pdf"
    lead = render_lead(letter.text, tables, page_style(), strings(language), out)
    reader = PdfReader(out)
    assert len(reader.pages) == lead.page_count
    assert lead.letter_page == 0
    if summary:
        assert lead.summary_page is not None and 0 < lead.summary_page < lead.page_count
    return flat(" ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_letter_renders_with_its_facts(language, kind, problem, tmp_path):
    """This test ensures that every language, letter kind and problem renders.

    The PDF text holds the order number, the claimant, every exhibit
    reference, and a due date only in letters to the seller (a mediator or
    ECC Belgium is given none).
    """
    text = render_pdf_text(language, kind, (problem,), tmp_path)
    assert ORDER_NUMBER in text
    assert (DUE[language] in text) == (kind in ("formal_notice", "reminder"))
    for exhibit in make_exhibits(language):
        assert exhibit.label in text
    assert CITE[language] in text
    assert "Łukasz Dvořák-Müller" in text
    assert "lukasz.orders@example.org" in text
    assert "ODR" not in text and "odr" not in text.lower().split()


@pytest.mark.parametrize("language", LANGUAGES)
def test_formal_notice_has_sending_mode_subject_and_legal_basis(language, tmp_path):
    """This test ensures that a formal notice names its sending mode, subject and legal bases.

    Rome I is cited too, since the seller is in Luxembourg.
    """
    text = render_pdf_text(
        language, "formal_notice", ("not_delivered", "damaged", "billing_error"), tmp_path, True
    )
    assert SENDING[language] in text
    assert SUBJECT[language] in text
    for source in ("2011/83", "VI.43", "2019/771", "1649bis", "593/2008", "1215/2012"):
        assert source in text, source
    # The bank's duty (PSD2) is not the seller's: never a basis of the letter.
    assert "2015/2366" not in text
    assert "38 avenue John F. Kennedy" in text and "L-1855 Luxembourg" in text
    assert "Plaetis" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_legal_bases_follow_the_problem(language):
    """This test ensures that a letter cites only the sources for its problem."""
    facts = make_facts("formal_notice", ("late_delivery",))
    text = render_letter_text(facts, make_exhibits(language), language, LETTER_DATE, ZONE).text
    assert "VI.43" in text and "2011/83" in text
    assert "2019/771" not in text and "2015/2366" not in text


def test_words_have_the_same_keys_in_every_language():
    """This test ensures that no language misses a word of the letters or the summary."""
    keys = {
        language: words_keys(
            tomllib.loads((layouts_dir() / "letters" / language / "words.toml").read_text())
        )
        for language in LANGUAGES
    }
    for language in LANGUAGES:
        assert keys[language] == keys["fr"], language
    for problem in PROBLEMS:
        assert f"problems.{problem}" in keys["fr"]
    for kind in KINDS:
        assert f"titles.{kind}" in keys["fr"]


def test_every_kind_has_a_template_in_every_language():
    """This test ensures that each language has a template for each letter kind."""
    for language in LANGUAGES:
        for kind in KINDS:
            assert (layouts_dir() / "letters" / language / f"{kind}.j2").is_file()


def test_a_template_with_an_unknown_placeholder_fails(tmp_path):
    """This test ensures that a misspelt placeholder is an error, never a blank in a letter."""
    template = template_environment().from_string("Commande {{ order.numbr }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render(order=make_facts("formal_notice", ("damaged",)).order)


def test_templates_use_only_known_names():
    """This test ensures that every name a template uses is one the context provides."""
    from jinja2 import meta

    from dossier.letters.letter import letter_context

    environment = template_environment()
    facts = make_facts("formal_notice", ("damaged",))
    known = set(letter_context(facts, (), "fr", LETTER_DATE, ZONE)) | {"p"}
    for path in sorted((layouts_dir() / "letters").glob("*/*.j2")):
        source = path.read_text(encoding="utf-8")
        names = meta.find_undeclared_variables(environment.parse(source))
        assert names <= known, (path, names - known)


def test_markup_blocks():
    """This test ensures that the letter markup splits into blocks at blank lines."""
    assert split_blocks("a\nb\n\n\n<< c\nd\n") == [["a", "b"], ["<< c", "d"]]


def test_english_format_is_chosen_once():
    """This test ensures that English letters keep one locale for dates and amounts."""
    assert letter_words("en").locale == "en_IE"


def test_letter_date_defaults_to_today(tmp_path):
    """This test ensures that a letter without a date is dated the day it is built."""
    facts = make_facts("formal_notice", ("damaged",))
    facts = type(facts)(**{**{f: getattr(facts, f) for f in type(facts).__dataclass_fields__}})
    from dataclasses import replace

    facts = replace(facts, letter=replace(facts.letter, date=None))
    text = render_letter_text(facts, (), "fr", dt.date(2026, 12, 1), ZONE).text
    assert "Bruxelles, le 1er\u00a0décembre\u00a02026" in text
    assert "16\u00a0décembre\u00a02026" in text  # 15 days later, a Wednesday


SUMMARY = {
    "fr": ("Récapitulatif de la commande", "Montant débité", "2 469,00 €", "Chronologie"),
    "nl": ("Overzicht van de bestelling", "Afgeschreven bedrag", "€ 2.469,00", "Chronologie"),
    "de": ("Bestellübersicht", "Abgebuchter Betrag", "2.469,00 €", "Chronologie"),
    "en": ("Order summary", "Amount charged", "€2,469.00", "Timeline"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_summary_page(language, tmp_path):
    """This test ensures that the summary has the facts, items, amounts and the timeline."""
    facts = make_facts("formal_notice", ("billing_error",))
    exhibits = make_exhibits(language)
    tables = summary_tables(facts, exhibits, language, LETTER_DATE, ZONE)
    out = tmp_path / "summary.pdf"
    lead = render_lead(None, tables, page_style(), strings(language), out)
    assert (lead.page_count, lead.letter_page, lead.summary_page) == (1, None, 0)
    text = flat(PdfReader(out).pages[0].extract_text())
    title, charged, total, timeline = SUMMARY[language]
    assert text.startswith(title)
    assert charged in text and total in text and timeline in text
    assert "Bouilloire électrique 1,7 L" in text and ORDER_NUMBER in text
    assert DUE[language] in text
    for exhibit in exhibits:
        assert exhibit.label in text
    events = build_events(facts, exhibits, letter_words(language), ZONE)
    assert [event.date for event in events] == sorted(event.date for event in events)
    assert [event.kind for event in events][:3] == ["order", "charge", "expected_delivery"]


def test_notice_for_a_complaint_without_an_earlier_contact():
    """This test ensures that the build warns before a complaint a body would refuse."""
    from dataclasses import replace

    from dossier.letters.letter import lead_notices
    from dossier.model import CaseFile

    facts = replace(make_facts("mediation", ("damaged",)), contacts=())
    notices = lead_notices(CaseFile(facts=facts))
    assert any("earlier complaint" in notice for notice in notices)
    assert not any(
        "earlier complaint" in notice
        for notice in lead_notices(CaseFile(facts=make_facts("formal_notice", ("damaged",))))
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_minimal_facts_still_make_a_letter(language, kind):
    """This test ensures that a letter with only the required facts renders without blanks."""
    from dossier.case.facts import CaseFacts, LetterSettings, Order, Party

    facts = CaseFacts(
        problems=("not_as_described",),
        claimant=Party(name="Jonas Beispiel", address=("Hauptstraße 1", "4700 Eupen")),
        recipient=Party(name="Shop BV", address=("Markt 1", "2000 Antwerpen"), country="BE"),
        order=Order(number="WEB-42"),
        letter=LetterSettings(kind=kind),
    )
    text = flat(render_letter_text(facts, (), language, LETTER_DATE, ZONE).text)
    assert "WEB-42" in text and "Shop BV" in text
    assert (DUE[language] in text) == (kind in ("formal_notice", "reminder"))
    assert "None" not in text and "—," not in text
    assert "593/2008" not in text  # a Belgian seller: no cross-border clause
    raw = render_letter_text(facts, (), language, LETTER_DATE, ZONE).text
    assert not re.search(r":\n\n[^-]", raw.split("##")[0])  # no list announced and missing
    if kind != "ecc_complaint":  # no country line at home
        assert "BELGI" not in raw.upper().split("<<")[1].split(">>")[0]


def test_the_closing_formula_never_parts_from_the_signature(tmp_path):
    """This test ensures that a page break never falls between the closing formula and the signature.

    Letters of growing length put the closing formula at every place near
    the foot of a page; on each, the signer's name is on the same page.
    """
    closing = (
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."
    )
    seen_pages = set()
    for filler in range(30, 75, 3):
        text = "\n\n".join(f"Paragraphe {n} du courrier." for n in range(filler))
        text += f"\n\n{closing}\n\n::signature\nJonas Beispiel\n"
        out = tmp_path / f"letter-{filler}.pdf"
        render_lead(text, None, page_style(), strings("fr"), out)
        pages = [flat(page.extract_text()) for page in PdfReader(out).pages]
        where = next(i for i, page in enumerate(pages) if "salutations distinguées" in page)
        assert "Jonas Beispiel" in pages[where], filler
        seen_pages.add((len(pages), where))
    # The range of lengths did push the closing onto a second page.
    assert any(where == 1 for _, where in seen_pages)
