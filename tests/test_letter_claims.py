"""The legal steps of every letter: which demand, which deadline, which articles, what follows.

Each combination of language, letter kind and problem is rendered to a PDF
and its extracted text is checked against what a Belgian consumer lawyer
would have the letter say. The expected steps are written out here, by
hand, not computed with the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from dossier.case.facts import LANGUAGES, PROBLEMS, Contact, LetterSettings, Party
from dossier.errors import CaseFileError
from dossier.layout.letter import render_lead
from dossier.layout.style import page_style, strings
from dossier.letters.claim import next_working_day
from dossier.letters.letter import lead_notices, letter_language, render_letter_text, writes_letter
from dossier.model import CaseFile
from tests.conftest_letters import LETTER_DATE, make_exhibits, make_facts

ZONE = ZoneInfo("Europe/Brussels")
KINDS = ("formal_notice", "reminder", "mediation", "ecc_complaint")
TO_SELLER = ("formal_notice", "reminder")
DELIVERY = ("not_delivered", "late_delivery")
CONFORMITY = ("damaged", "missing_part", "not_as_described")
IBAN = "BE68539007547034"
DUE = {
    "fr": "7 décembre 2026",
    "nl": "7 december 2026",
    "de": "7. Dezember 2026",
    "en": "7 December 2026",
}
BY = {
    "fr": "au plus tard le",
    "nl": "uiterlijk op",
    "de": "bis spätestens",
    "en": "2026 at the latest",
}

# What the letter to the seller says for each step, in each language.
SELLER_STEP = {
    "fr": {
        "deliver": "délai supplémentaire que je vous accorde",
        "terminate_undelivered": "je mets fin au contrat (article 18, paragraphe 2",
        "conform": "mettre le bien en conformité par",
        "terminate": "je déclare résoudre le contrat (article 13, paragraphe 4",
        "price_difference": "la différence entre le prix facturé et le prix annoncé",
        "undue": "me rembourser le montant débité en trop",
    },
    "nl": {
        "deliver": "de bijkomende termijn die ik u toesta",
        "terminate_undelivered": "Hierbij beëindig ik de overeenkomst (artikel 18, lid 2",
        "conform": "kosteloos conform te maken door",
        "terminate": "Hierbij ontbind ik de overeenkomst (artikel 13, lid 4",
        "price_difference": "het verschil tussen de aangerekende en de aangekondigde prijs",
        "undue": "mij het te veel afgeschreven bedrag",
    },
    "de": {
        "deliver": "die Nachfrist, die ich Ihnen gemäß Artikel 18",
        "terminate_undelivered": "Hiermit beende ich den Vertrag (Artikel 18 Absatz 2",
        "conform": "den vertragsgemäßen Zustand der Ware durch",
        "terminate": "Hiermit erkläre ich die Beendigung des Vertrags (Artikel 13 Absatz 4",
        "price_difference": "den Unterschied zwischen dem berechneten und dem angekündigten Preis",
        "undue": "mir den zu viel abgebuchten Betrag",
    },
    "en": {
        "deliver": "the additional period I grant you under Article 18",
        "terminate_undelivered": "I hereby terminate the contract (Article 18(2)",
        "conform": "free of charge, by",
        "terminate": "I hereby terminate the contract (Article 13(4)",
        "price_difference": "refund the difference between the price charged and the price announced",
        "undue": "refund the amount overcharged",
    },
}
# What a mediation request or an ECC complaint proposes for each step.
BODY_STEP = {
    "fr": {
        "terminate_undelivered": "la résolution du contrat faute de livraison",
        "terminate": "contre restitution du bien aux frais du vendeur",
        "price_difference": "le remboursement de la différence entre le prix facturé",
        "undue": "le remboursement du montant débité en trop",
    },
    "nl": {
        "terminate_undelivered": "de beëindiging van de overeenkomst wegens niet-levering",
        "terminate": "tegen teruggave van het goed op kosten van de verkoper",
        "price_difference": "de terugbetaling van het verschil tussen de aangerekende",
        "undue": "de terugbetaling van het te veel afgeschreven bedrag",
    },
    "de": {
        "terminate_undelivered": "die Beendigung des Vertrags wegen Nichtlieferung",
        "terminate": "gegen Rückgabe der Ware auf Kosten des Verkäufers",
        "price_difference": "die Erstattung des Unterschieds zwischen dem berechneten",
        "undue": "die Erstattung des zu viel abgebuchten Betrags",
    },
    "en": {
        "terminate_undelivered": "the termination of the contract for non-delivery",
        "terminate": "against return of the goods at the seller's expense",
        "price_difference": "the refund of the difference between the price charged",
        "undue": "the refund of the amount overcharged",
    },
}
RISK = {
    "fr": "(article 20 de la directive 2011/83/UE)",
    "nl": "(artikel 20 van Richtlijn 2011/83/EU)",
    "de": "(Artikel 20 der Richtlinie 2011/83/EU)",
    "en": "(Article 20 of Directive 2011/83/EU)",
}
OLD_CIVIL_CODE = {
    "fr": "articles 1649bis à 1649octies de l'ancien Code civil",
    "nl": "artikelen 1649bis tot 1649octies van het oud Burgerlijk Wetboek",
    "de": "Artikeln 1649bis bis 1649octies des alten Zivilgesetzbuches",
    "en": "Articles 1649bis to 1649octies of the old Belgian Civil Code",
}
TERMINATION_RETURN = {
    "fr": "(article 16 de la directive (UE) 2019/771)",
    "nl": "(artikel 16 van Richtlijn (EU) 2019/771)",
    "de": "(Artikel 16 der Richtlinie (EU) 2019/771)",
    "en": "(Article 16 of Directive (EU) 2019/771)",
}
INTEREST = {
    "fr": "intérêts au taux légal",
    "nl": "wettelijke interesten",
    "de": "gesetzlichen Zinsen",
    "en": "interest at the statutory rate",
}
RESERVE = {
    "fr": "Sous réserve de tous droits.",
    "nl": "Onder voorbehoud van alle rechten.",
    "de": "Unter Vorbehalt aller Rechte.",
    "en": "Without prejudice to all rights.",
}
CONTACTS = {
    "fr": "contacté votre service client par chat le 4 novembre 2026, sans obtenir de solution",
    "nl": "Ik heb uw klantendienst gecontacteerd via chat op 4 november 2026, zonder",
    "de": "Ich habe mich am 4. November 2026 per Chat an Ihren Kundenservice gewandt",
    "en": "I contacted your customer service by chat on 4 November 2026, without",
}
SELLERS_SERVICE = {
    "fr": "votre service client",
    "nl": "uw klantendienst",
    "de": "Ihren Kundenservice",
    "en": "your customer service",
}
NOT_SEIZED = {
    "fr": "n'est soumis à aucune juridiction",
    "nl": "niet aanhangig bij een rechtbank",
    "de": "weder bei einem Gericht",
    "en": "not before any court",
}
AS_CONSUMER = {
    "fr": "en tant que consommateur",
    "nl": "als consument",
    "de": "als Verbraucher",
    "en": "as a consumer",
}


def expected_step(kind: str, problem: str) -> str:
    """What a lawyer has the letter ask for: facts of make_facts (remedy refund, an earlier letter)."""
    if problem in DELIVERY:
        return "deliver" if kind == "formal_notice" else "terminate_undelivered"
    if problem in CONFORMITY:
        # No reason in the case file: repair or replacement first; after the
        # formal notice (a reminder, or a body seized later) termination.
        return "conform" if kind == "formal_notice" else "terminate"
    return {"promotion_not_applied": "price_difference", "billing_error": "undue"}[problem]


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def pdf_text(facts, language: str, tmp_path: Path, name: str = "letter") -> str:
    letter = render_letter_text(facts, make_exhibits(language), language, LETTER_DATE, ZONE)
    out = tmp_path / f"{name}.pdf"
    render_lead(letter.text, None, page_style(), strings(language), out)
    return flat(" ".join(page.extract_text() for page in PdfReader(out).pages))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_each_letter_takes_the_legal_steps_of_its_problem(language, kind, problem, tmp_path):
    """This test ensures that every letter demands, cites and dates what the law says.

    Non-delivery: an additional period to deliver, then termination; lack of
    conformity: repair or replacement first; money only for money demands; a
    deadline only for the seller; the Belgian guarantee in the old Civil Code.
    """
    facts = make_facts(kind, (problem,))
    text = pdf_text(facts, language, tmp_path)
    step = expected_step(kind, problem)
    to_seller = kind in TO_SELLER
    phrase = (SELLER_STEP if to_seller or step not in BODY_STEP[language] else BODY_STEP)[language][
        step
    ]
    assert phrase in text, (step, phrase)
    others = [s for s in SELLER_STEP[language] if s != step]
    for other in others:
        assert SELLER_STEP[language][other] not in text, other
    # A deadline for the seller, none for a mediator or ECC Belgium.
    assert (DUE[language] in text) == to_seller
    assert (BY[language] in text) == to_seller
    # Money, a bank account and interest only for a money demand.
    money = step not in ("deliver", "conform")
    assert (IBAN in text) == money
    assert (INTEREST[language] in text) == (money and to_seller)
    assert (RESERVE[language] in text) == to_seller
    # The legal bases of the problem, and no other.
    assert ("VI.43" in text) == (problem in DELIVERY)
    assert ("2019/771" in text) == (problem in CONFORMITY)
    assert (OLD_CIVIL_CODE[language] in text) == (problem in CONFORMITY)
    assert (RISK[language] in text) == (problem in ("not_delivered", "damaged"))
    assert (TERMINATION_RETURN[language] in text) == (step == "terminate")
    assert "593/2008" in text  # a Luxembourg seller: Rome I keeps Belgian protection
    assert "2015/2366" not in text
    for repealed in ("anciens articles", "voormalige", "ehemalige", "former Articles"):
        assert repealed not in text
    for machine in ("à 1 reprise", " 1 keer", "1-mal", " 1 time"):
        assert machine not in text
    # The earlier letter is not counted as a contact with customer service.
    if kind in TO_SELLER:
        assert CONTACTS[language] in text
    else:
        assert SELLERS_SERVICE[language] not in text
        assert AS_CONSUMER[language] in text
    if kind == "mediation":
        assert NOT_SEIZED[language] in text
        assert "10" in text and ("2026" in text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_to_seller_the_court_route_is_the_consumer_s_own(language, tmp_path):
    """This test ensures that an unanswered letter announces ECC, the home court and small claims."""
    text = pdf_text(make_facts("formal_notice", ("damaged",)), language, tmp_path)
    assert "1215/2012" in text and "861/2007" in text and "5 000 €" in text
    assert {"fr": "CEC Belgique", "nl": "ECC België", "de": "EVZ Belgien", "en": "ECC Belgium"}[
        language
    ] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_belgian_seller_leads_to_the_belgian_mediator_and_courts(language, tmp_path):
    """This test ensures that a Belgian seller gets no cross-border clause, court or ECC."""
    facts = dataclasses.replace(
        make_facts("formal_notice", ("not_as_described",)),
        recipient=Party(
            name="Elektro Shop BV", address=("Markt 1", "2000 Antwerpen"), country="BE"
        ),
    )
    text = pdf_text(facts, language, tmp_path)
    for absent in ("593/2008", "1215/2012", "861/2007", "ECC", "CEC", "EVZ"):
        assert absent not in text, absent
    mediator = {
        "fr": "Service de Médiation pour le Consommateur",
        "nl": "Consumentenombudsdienst",
        "de": "Ombudsdienst für Verbraucher",
        "en": "Consumer Mediation Service",
    }
    assert mediator[language] in text
    assert "BELG" not in text  # no country line for a letter within Belgium


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_marketplace_seller_in_germany_is_the_addressee(language, tmp_path):
    """This test ensures that a seller in another EU country is addressed with its country in capitals."""
    facts = dataclasses.replace(
        make_facts("formal_notice", ("missing_part",)),
        recipient=Party(
            name="Kaffee Welt GmbH", address=("Hauptstraße 5", "10115 Berlin"), country="DE"
        ),
    )
    raw = render_letter_text(facts, make_exhibits(language), language, LETTER_DATE, ZONE).text
    block = raw.split("<<")[1].split(">>")[0].strip().splitlines()
    country = {"fr": "ALLEMAGNE", "nl": "DUITSLAND", "de": "DEUTSCHLAND", "en": "GERMANY"}
    assert block[0] == " Kaffee Welt GmbH".strip() and block[-1] == country[language]
    text = pdf_text(facts, language, tmp_path)
    assert "861/2007" in text and "1215/2012" in text
    assert "Médiateur de la consommation" not in text  # Luxembourg's mediator: not for Germany
    missing = {
        "fr": "par la livraison de la pièce manquante",
        "nl": "door het ontbrekende onderdeel te leveren",
        "de": "durch Lieferung des fehlenden Teils",
        "en": "by delivering the missing part",
    }
    assert missing[language] in text


def test_a_seller_outside_the_eu_gets_no_ecc_nor_small_claims(tmp_path):
    """This test ensures that a trader outside the EU is not sent to ECC or the small-claims procedure."""
    facts = dataclasses.replace(
        make_facts("formal_notice", ("not_delivered",)),
        recipient=Party(name="Gadget Inc.", address=("1 Main St", "Springfield"), country="US"),
    )
    text = pdf_text(facts, "en", tmp_path)
    assert "1215/2012" in text and "861/2007" not in text and "ECC" not in text
    assert "UNITED STATES" in text


@pytest.mark.parametrize(
    ("remedy", "reason", "phrase"),
    [
        pytest.param("refund", "serious_defect", "je déclare résoudre le contrat", id="serious"),
        pytest.param(
            "refund", "seller_refused", "Vous avez refusé de mettre le bien", id="refused"
        ),
        pytest.param("refund", "defect_reappeared", "Le défaut est réapparu", id="reappeared"),
        pytest.param(
            "price_reduction",
            "will_not_remedy",
            "m'accorder une réduction proportionnelle",
            id="reduce",
        ),
        pytest.param(
            "replacement", None, "mettre le bien en conformité par son remplacement", id="replace"
        ),
        pytest.param(
            "repair",
            "serious_defect",
            "mettre le bien en conformité par sa réparation",
            id="repair-wins",
        ),
        pytest.param(
            "refund",
            "essential_date",
            "mettre le bien en conformité par sa réparation ou",
            id="wrong-reason",
        ),
    ],
)
def test_a_reason_in_the_case_file_allows_termination_at_once(remedy, reason, phrase, tmp_path):
    """This test ensures that only a reason the directive accepts skips repair or replacement."""
    facts = make_facts("formal_notice", ("not_as_described",))
    facts = dataclasses.replace(
        facts, demand=dataclasses.replace(facts.demand, remedy=remedy, reason=reason)
    )
    text = pdf_text(facts, "fr", tmp_path)
    assert phrase in text
    assert (IBAN in text) == (
        remedy in ("refund", "price_reduction") and reason != "essential_date"
    )


@pytest.mark.parametrize("reason", ["seller_refused", "essential_date"])
def test_a_refused_or_essential_delivery_terminates_at_once(reason, tmp_path):
    """This test ensures that a formal notice terminates at once when delivery was refused or essential."""
    facts = make_facts("formal_notice", ("late_delivery",))
    facts = dataclasses.replace(facts, demand=dataclasses.replace(facts.demand, reason=reason))
    text = pdf_text(facts, "nl", tmp_path)
    assert "Hierbij beëindig ik de overeenkomst" in text
    assert "bijkomende termijn die ik u toesta" not in text
    assert "en stel ik u formeel in gebreke mij alle betaalde bedragen" in text


@pytest.mark.parametrize(
    ("letter_date", "due"),
    [
        pytest.param(dt.date(2026, 10, 27), dt.date(2026, 11, 12), id="armistice"),
        pytest.param(dt.date(2026, 12, 10), dt.date(2026, 12, 28), id="christmas-weekend"),
        pytest.param(dt.date(2026, 11, 18), dt.date(2026, 12, 3), id="thursday"),
        pytest.param(dt.date(2026, 7, 6), dt.date(2026, 7, 22), id="national-day"),
    ],
)
def test_a_deadline_on_a_holiday_or_weekend_moves_to_the_next_working_day(letter_date, due):
    """This test ensures that due dates follow art. 53 of the Judicial Code (Belgian holidays)."""
    from dossier.letters.claim import due_date

    facts = make_facts("formal_notice", ("damaged",))
    assert due_date(facts, letter_date) == due
    assert next_working_day(due) == due
    assert (
        due_date(dataclasses.replace(facts, letter=LetterSettings(kind="mediation")), letter_date)
        is None
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reminder_cites_the_earlier_letter_and_its_proof(language, tmp_path):
    """This test ensures that a reminder names the earlier letter and encloses it with its proof of posting."""
    facts = make_facts("reminder", ("not_delivered",))
    letter = Contact(
        dt.date(2026, 11, 10), "letter", "Formal notice.", exhibit="chat.txt", proof="reply.txt"
    )
    facts = dataclasses.replace(facts, contacts=(facts.contacts[0], letter))
    text = pdf_text(facts, language, tmp_path)
    cite = {
        "fr": "(voir pièces nos 3 et 4)",
        "nl": "(zie stukken 3 en 4)",
        "de": "(siehe Anlagen 3 und 4)",
        "en": "(see Annexes 3 and 4)",
    }
    assert cite[language] in text
    proof = {
        "fr": "(preuve d'envoi ou de réception de ce courrier)",
        "nl": "(bewijs van verzending of ontvangst van die brief)",
        "de": "(Einlieferungs- oder Empfangsnachweis dieses Schreibens)",
        "en": "(proof of posting or receipt of that letter)",
    }
    assert proof[language] in text
    notices = lead_notices(CaseFile(facts=facts), make_exhibits(language))
    assert not any("reminder encloses" in notice for notice in notices)
    bare = dataclasses.replace(facts, contacts=facts.contacts[:1])
    assert any(
        "a reminder follows a formal notice" in n for n in lead_notices(CaseFile(facts=bare))
    )


def test_the_seller_s_reference_and_the_register_are_in_the_letter(tmp_path):
    """This test ensures that "Vos réf." carries the ticket number and the register moves out of the address."""
    facts = make_facts("formal_notice", ("damaged",))
    chat = dataclasses.replace(facts.contacts[0], reference="CS-4471")
    facts = dataclasses.replace(facts, contacts=(chat, facts.contacts[1]))
    raw = render_letter_text(facts, make_exhibits("fr"), "fr", LETTER_DATE, ZONE).text
    address = raw.split("<<")[1].split(">>")[0]
    assert "RCS" not in address and address.strip().endswith("LUXEMBOURG")
    text = pdf_text(facts, "fr", tmp_path)
    assert "Vos réf. : CS-4471" in text
    assert "Destinataire : Amazon EU S.à r.l., RCS Luxembourg B101818" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_open_withdrawal_period_is_kept(language, tmp_path):
    """This test ensures that within 14 days of delivery the letter keeps the right of withdrawal."""
    sentence = {
        "fr": "rétractation",
        "nl": "herroepingstermijn",
        "de": "Widerrufsfrist",
        "en": "withdrawal period",
    }
    recent = make_facts("formal_notice", ("damaged",), delivered=dt.date(2026, 11, 12))
    old = make_facts("formal_notice", ("damaged",), delivered=dt.date(2026, 10, 30))
    assert sentence[language] in pdf_text(recent, language, tmp_path, "recent")
    assert sentence[language] not in pdf_text(old, language, tmp_path, "old")


def test_french_typography(tmp_path):
    """This test ensures French spacing, "1er", and no-break spaces in dates and order numbers."""
    facts = make_facts("formal_notice", ("damaged",))
    facts = dataclasses.replace(
        facts, letter=dataclasses.replace(facts.letter, date=dt.date(2026, 12, 1))
    )
    raw = render_letter_text(facts, make_exhibits("fr"), "fr", LETTER_DATE, ZONE).text
    assert "le 1er\u00a0décembre\u00a02026" in raw
    assert "Objet\u00a0: Mise en demeure" in raw
    assert "n°\u00a0402-1234567-1234567" in raw
    assert "«\u00a0Rome I\u00a0»" in raw
    assert not re.search(r"\w [:;?!]", raw)
    assert "Amazon EU S.à r.l.." not in raw


def test_german_goes_on_in_lower_case_after_the_salutation():
    """This test ensures that a German letter's first sentence starts in lower case."""
    for kind in KINDS:
        raw = render_letter_text(make_facts(kind, ("damaged",)), (), "de", LETTER_DATE, ZONE).text
        after = raw.split("Sehr geehrte Damen und Herren,")[1].lstrip()
        assert after[0].islower(), (kind, after[:30])
        assert " also " not in raw


def test_dutch_formal_notice_words():
    """This test ensures the Dutch formal notice uses the words a Belgian lawyer writes."""
    raw = render_letter_text(
        make_facts("formal_notice", ("billing_error",)), (), "nl", LETTER_DATE, ZONE
    ).text
    assert (
        "Hierbij stel ik u formeel in gebreke. Ik verzoek u mij het te veel afgeschreven bedrag"
        in flat(raw)
    )


def test_cited_exhibits_read_as_a_plural():
    """This test ensures that several exhibits are cited as "voir pièces nos 1 et 2"."""
    from dossier.letters.letter import cite, letter_words

    exhibits = make_exhibits("fr")
    assert cite(exhibits[:1], letter_words("fr")) == " (voir pièce n°\u00a01)"
    assert cite(exhibits[:3], letter_words("fr")) == " (voir pièces nos\u00a01, 2 et 3)"
    assert cite(exhibits[:2], letter_words("en")) == " (see Annexes 1 and 2)"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        pytest.param(
            {
                "recipient": Party(
                    name="Shop BV", address=("Markt 1", "2000 Antwerpen"), country="BE"
                )
            },
            "letter.kind",
            id="belgian-seller",
        ),
        pytest.param(
            {"recipient": Party(name="Gadget Inc.", address=("1 Main St",), country="US")},
            "letter.kind",
            id="outside-eu",
        ),
        pytest.param({"billing_country": "FR"}, "order.billing_country", id="billed-in-france"),
        pytest.param(
            {
                "claimant": Party(
                    name="Anna de Vries", address=("Dorpsstraat 1", "1011 Amsterdam"), country="NL"
                )
            },
            "claimant.country",
            id="living-in-nl",
        ),
    ],
)
def test_ecc_belgium_refuses_what_it_does_not_handle(changes, key):
    """This test ensures that an ECC complaint ECC Belgium would refuse is refused with the key to change."""
    facts = make_facts("ecc_complaint", ("damaged",))
    if "billing_country" in changes:
        facts = dataclasses.replace(
            facts, order=dataclasses.replace(facts.order, billing_country="FR")
        )
    else:
        facts = dataclasses.replace(facts, **changes)
    with pytest.raises(CaseFileError, match=re.escape(key)):
        lead_notices(CaseFile(facts=facts))


def test_a_dutch_case_writes_to_the_luxembourg_mediator_in_french(tmp_path):
    """This test ensures that the Luxembourg mediator gets French (or the language chosen), never Dutch."""
    facts = make_facts("mediation", ("damaged",))
    assert letter_language(facts, "nl") == "fr"
    for kind in ("formal_notice", "reminder", "ecc_complaint"):
        assert letter_language(make_facts(kind, ("damaged",)), "nl") == "nl"
    notices = lead_notices(CaseFile(language="nl", facts=facts))
    assert any("written in French" in notice for notice in notices)
    assert any("mediateurconsommation.lu" in notice for notice in notices)
    german = dataclasses.replace(facts, letter=dataclasses.replace(facts.letter, language="de"))
    assert letter_language(german, "nl") == "de"
    dutch = dataclasses.replace(facts, letter=dataclasses.replace(facts.letter, language="nl"))
    with pytest.raises(CaseFileError, match="letter.language"):
        lead_notices(CaseFile(language="nl", facts=dutch))
    text = pdf_text(facts, "fr", tmp_path)
    assert "6, rue du Palais de Justice" in text and "L-1841 Luxembourg" in text
    assert "Service national du Médiateur de la consommation" in text


def test_no_mediation_letter_for_a_seller_outside_belgium_and_luxembourg():
    """This test ensures a mediation request is not written to a mediator who cannot take it."""
    facts = dataclasses.replace(
        make_facts("mediation", ("damaged",)),
        recipient=Party(
            name="Kaffee Welt GmbH", address=("Hauptstraße 5", "10115 Berlin"), country="DE"
        ),
    )
    assert not writes_letter(facts)
    notices = lead_notices(CaseFile(facts=facts))
    assert any('letter.kind = "ecc_complaint"' in notice for notice in notices)


@pytest.mark.parametrize(
    ("problems", "remedy", "expected"),
    [
        pytest.param(("not_delivered",), "refund", "first asks for delivery", id="delivery-refund"),
        pytest.param(("damaged",), "refund", "repair or replacement first", id="conformity-refund"),
        pytest.param(("billing_error",), "refund_of_double_charge", "within 13 months", id="bank"),
        pytest.param(
            ("promotion_not_applied",), "refund", "screenshots of the product page", id="promotion"
        ),
    ],
)
def test_the_build_says_what_the_letter_asks_for(problems, remedy, expected):
    """This test ensures that the user learns when the letter asks for something else than the remedy."""
    facts = make_facts("formal_notice", problems)
    facts = dataclasses.replace(facts, demand=dataclasses.replace(facts.demand, remedy=remedy))
    assert any(expected in notice for notice in lead_notices(CaseFile(facts=facts)))


def test_an_amount_charged_needs_a_proof_of_payment():
    """This test ensures the summary never shows a charged amount that nothing in the dossier proves."""
    from dossier.letters.letter import amounts_rows, letter_words

    words = letter_words("fr")
    facts = make_facts("formal_notice", ("billing_error",))
    rows = dict(amounts_rows(facts, words, make_exhibits("fr")))
    assert rows["Montant débité"].endswith("aucune preuve de paiement dans le dossier")
    no_charges = make_facts("formal_notice", ("billing_error",), charges=())
    rows = dict(amounts_rows(no_charges, words, make_exhibits("fr")))
    assert rows["Montant débité"] == "aucune preuve de paiement dans le dossier"
    from dossier.case.facts import Charge

    proven = make_facts(
        "formal_notice",
        ("billing_error",),
        charges=(
            Charge(dt.date(2026, 10, 29), Decimal("2469.00"), exhibit="IMG_20261030_101500.jpg"),
        ),
    )
    rows = dict(amounts_rows(proven, words, make_exhibits("fr")))
    assert flat(rows["Montant débité"]) == "2 469,00 € (Pièce n° 2)"
