"""The letter and the order summary at the front of a built dossier, and ``dossier init``."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.api import build
from dossier.case.load import load_case_file
from dossier.cli import main
from dossier.model import BuildOptions
from tests.conftest_letters import email_only_case
from tests.conftest_samples import SAMPLES

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def index_links(reader: PdfReader, page: int) -> list[int]:
    targets = []
    for annotation in reader.pages[page].get("/Annots", []):
        link = annotation.get_object()
        if link.get("/Subtype") == "/Link" and "/Dest" in link:
            destination = link["/Dest"][0]
            targets.append(
                next(i for i, p in enumerate(reader.pages) if p.indirect_reference == destination)
            )
    return targets


@pytest.fixture(scope="module")
def parcel(tmp_path_factory):
    out = tmp_path_factory.mktemp("parcel") / "dossier.pdf"
    result = build(BuildOptions(folder=SAMPLES / "damaged-parcel", output=out, now=NOW))
    return result, PdfReader(out)


def test_letter_and_summary_come_before_the_index(parcel):
    """This test ensures the front matter order: cover letter, order summary, index."""
    result, reader = parcel
    texts = [flat(page.extract_text()) for page in reader.pages]
    assert "Envoi recommandé avec accusé de réception" in texts[0]
    assert "Objet : Mise en demeure — commande n° 402-1234567-1234567" in texts[0]
    summary = next(i for i, t in enumerate(texts) if t.startswith("Récapitulatif de la commande"))
    index = next(i for i, t in enumerate(texts) if "Inventaire des pièces N°" in t)
    assert 0 < summary < index
    assert "Bouilloire électrique 1,7 L" in texts[summary] and "23,99 €" in texts[summary]
    assert "7 décembre 2026" in " ".join(texts[:summary])
    first_exhibit = min(result.first_pages.values()) - 1
    assert index < first_exhibit


def test_page_numbers_links_and_outline_count_the_letter(parcel):
    """This test ensures that footers, index links and bookmarks point to the right pages."""
    result, reader = parcel
    total = len(reader.pages)
    assert total == result.page_count
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} / {total}" in page.extract_text()
    entries = outline(reader)
    titles = [title for title, _ in entries]
    assert titles[:3] == [
        "Mise en demeure",
        "Récapitulatif de la commande",
        "Inventaire des pièces",
    ]
    index_page = entries[2][1]
    assert index_page == entries[1][1] + 1
    assert entries[0][1] == 0
    exhibits = entries[3:-1]  # the last entry is the integrity appendix
    assert [page for _, page in exhibits] == [
        result.first_pages[n] - 1 for n in sorted(result.first_pages)
    ]
    for title, page in exhibits:
        label = title.split(" — ")[0]
        assert label in reader.pages[page].extract_text()
    assert index_links(reader, index_page) == [
        result.first_pages[n] - 1 for n in sorted(result.first_pages)
    ]


def test_without_a_case_file_there_is_no_letter(tmp_path):
    """This test ensures that a folder without case.toml gives exhibits and index only."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "damaged-parcel" / "confirmation-commande.eml", folder)
    result = build(BuildOptions(folder=folder, now=NOW))
    reader = PdfReader(result.output)
    assert "Inventaire des pièces" in reader.pages[0].extract_text()
    assert [title for title, _ in outline(reader)][0] == "Inventaire des pièces"
    assert result.plan.notices and "case.toml" in result.plan.notices[0]


def test_letter_kind_none_keeps_the_summary(tmp_path):
    """This test ensures that letter.kind = "none" leaves the summary, then the index."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "bestelbevestiging.eml", folder)
    text = (SAMPLES / "double-charge" / "case.toml").read_text(encoding="utf-8")
    text = email_only_case(text)
    text = text.replace('kind = "formal_notice"', 'kind = "none"')
    (folder / "case.toml").write_text(text, encoding="utf-8")
    result = build(BuildOptions(folder=folder, now=NOW))
    reader = PdfReader(result.output)
    assert flat(reader.pages[0].extract_text()).startswith("Overzicht van de bestelling")
    assert [title for title, _ in outline(reader)][:2] == [
        "Overzicht van de bestelling",
        "Inventaris van de stukken",
    ]


def test_list_prints_what_was_inferred():
    """This test ensures that dossier list says which facts came from the evidence."""
    result = CliRunner().invoke(main, ["list", str(SAMPLES / "damaged-parcel")])
    assert result.exit_code == 0, result.output
    assert (
        "inferred: order.expected_delivery = 2026-10-30 (from confirmation-commande.eml)"
        in result.output
    )


def test_init_writes_a_valid_commented_case_file(tmp_path):
    """This test ensures that dossier init writes a case file that validates, with comments."""
    args = [
        "init",
        str(tmp_path),
        "--no-input",
        "--language",
        "nl",
        "--problem",
        "damaged",
        "--problem",
        "late_delivery",
        "--name",
        "Sofie Van den Broeck",
        "--address",
        "Kerkstraat 5",
        "--address",
        "9000 Gent",
        "--order",
        "402-7654321-7654321",
        "--order-date",
        "2026-11-02",
        "--place",
        "Gent",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    path = tmp_path / "case.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n#") > 10
    case = load_case_file(path)
    assert case.language == "nl" and case.reference == "402-7654321-7654321"
    assert case.facts.problems == ("damaged", "late_delivery")
    assert case.facts.claimant.address == ("Kerkstraat 5", "9000 Gent")
    assert case.facts.order.date == dt.date(2026, 11, 2)
    assert case.facts.letter.place == "Gent"
    assert tomllib.loads(text)["recipient"] == {"preset": "amazon-eu"}


def test_init_never_overwrites_without_force(tmp_path):
    """This test ensures that an existing case file is kept unless --force is given."""
    (tmp_path / "case.toml").write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--no-input"])
    assert result.exit_code == 5
    assert "already exists" in result.output and "--force" in result.output
    assert (tmp_path / "case.toml").read_text(encoding="utf-8") == "# mine\n"
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--no-input", "--force"])
    assert result.exit_code == 0
    assert load_case_file(tmp_path / "case.toml").facts is not None


def test_init_rejects_a_bad_date_naming_the_key(tmp_path):
    """This test ensures that a bad answer is refused with the key, and nothing is written."""
    result = CliRunner().invoke(
        main, ["init", str(tmp_path), "--no-input", "--order-date", "31/02/2025"]
    )
    assert result.exit_code == 4
    assert "order.date: '31/02/2025' is not a date" in result.output
    assert not (tmp_path / "case.toml").exists()


def test_init_prompts_on_a_terminal(tmp_path, monkeypatch):
    """This test ensures that init asks for the answers when it runs on a terminal."""
    monkeypatch.setattr("dossier.cli.init.on_terminal", lambda: True)
    answers = "de\nnot_delivered\nJonas Beispiel\nHauptstraße 1;4700 Eupen\n\n\nEupen\n"
    result = CliRunner().invoke(main, ["init", str(tmp_path)], input=answers)
    assert result.exit_code == 0, result.output
    case = load_case_file(tmp_path / "case.toml")
    assert case.language == "de"
    assert case.facts.claimant.name == "Jonas Beispiel"
    assert case.facts.claimant.address == ("Hauptstraße 1", "4700 Eupen")
    assert case.facts.problems == ("not_delivered",)


def _signature_case(tmp_path: Path, signature: str) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "bestelbevestiging.eml", folder)
    text = (SAMPLES / "double-charge" / "case.toml").read_text(encoding="utf-8")
    text = email_only_case(text)
    text = text.replace('place = "Gent"', f'place = "Gent"\nsignature = "{signature}"')
    (folder / "case.toml").write_text(text, encoding="utf-8")
    return folder


def test_signature_image_is_drawn_and_not_an_exhibit(tmp_path):
    """This test ensures that the signature goes on the letter, not into the exhibits."""
    from PIL import Image

    folder = _signature_case(tmp_path, "handtekening.png")
    Image.new("RGB", (300, 100), "white").save(folder / "handtekening.png")
    result = build(BuildOptions(folder=folder, now=NOW))
    assert [e.source.relpath for e in result.plan.exhibits] == ["bestelbevestiging.eml"]
    reader = PdfReader(result.output)
    texts = [flat(page.extract_text()) for page in reader.pages]
    summary = next(i for i, t in enumerate(texts) if t.startswith("Overzicht van de bestelling"))
    assert any(page.images for page in reader.pages[:summary])
    assert not any(page.images for page in reader.pages[summary:])


def test_a_missing_signature_file_names_the_key(tmp_path):
    """This test ensures that a signature that is not there is a case-file error."""
    folder = _signature_case(tmp_path, "nope.png")
    result = CliRunner().invoke(main, ["build", str(folder)])
    assert result.exit_code == 4
    assert "letter.signature: 'nope.png' is not a file in the folder" in result.output


def test_a_letter_without_claimant_is_left_out_with_a_notice(tmp_path):
    """This test ensures that a case file lacking the sender gives a notice, not a bad letter."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "damaged-parcel" / "confirmation-commande.eml", folder)
    (folder / "case.toml").write_text('problem = ["damaged"]\n', encoding="utf-8")
    result = build(BuildOptions(folder=folder, now=NOW))
    assert any("claimant.name, claimant.address" in notice for notice in result.plan.notices)
    reader = PdfReader(result.output)
    assert flat(reader.pages[0].extract_text()).startswith("Récapitulatif de la commande")


def test_init_says_a_minor_defect_never_ends_the_contract(tmp_path):
    """This test ensures that `dossier init` writes the reason and explains the first legal step."""
    result = CliRunner().invoke(
        main,
        [
            "init",
            str(tmp_path),
            "--no-input",
            "--language",
            "de",
            "--problem",
            "damaged",
            "--problem",
            "promotion_not_applied",
            "--reason",
            "serious_defect",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "a minor defect never justifies ending the contract" in result.output
    assert "screenshots of the product page and of the checkout" in result.output
    case = load_case_file(tmp_path / "case.toml")
    assert case.facts is not None and case.facts.demand.reason == "serious_defect"
    text = (tmp_path / "case.toml").read_text(encoding="utf-8")
    assert "A minor defect never justifies ending the contract." in text


def test_the_dutch_sample_writes_its_letter_in_dutch(tmp_path):
    """This test ensures that a Dutch case's formal notice to a Luxembourg seller is in Dutch."""
    result = build(
        BuildOptions(folder=SAMPLES / "double-charge", output=tmp_path / "d.pdf", now=NOW)
    )
    reader = PdfReader(result.output)
    first = flat(reader.pages[0].extract_text())
    assert "Betreft: Ingebrekestelling — bestelling nr. 402-7654321-7654321" in first
    assert "Hierbij stel ik u formeel in gebreke" in first
    assert [title for title, _ in outline(reader)][0] == "Ingebrekestelling"
    summary = next(
        flat(page.extract_text())
        for page in reader.pages
        if flat(page.extract_text()).startswith("Overzicht van de bestelling")
    )
    # Charged comes from the charges and their statements, never from the total.
    assert "Afgeschreven bedrag € 47,98 (Stuk 2, Stuk 3)" in summary


def test_a_letter_never_mentions_another_order_of_the_folder(tmp_path):
    """This test ensures that with two orders' confirmations, the letter speaks of the named one only.

    Without an order number there is no letter, and the orders found are
    listed; with it, the other order's number appears nowhere in the letter
    (facts, timeline or enclosures), though its email stays an exhibit.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "damaged-parcel" / "confirmation-commande.eml", folder)
    shutil.copy(SAMPLES / "double-charge" / "bestelbevestiging.eml", folder)
    case = (
        'language = "fr"\nproblem = ["damaged"]\n[claimant]\nname = "Łukasz Dvořák-Müller"\n'
        'address = ["Rue de la Station 12", "1000 Bruxelles"]\n'
    )
    (folder / "case.toml").write_text(case, encoding="utf-8")
    listed = CliRunner().invoke(main, ["list", str(folder)])
    assert listed.exit_code == 0, listed.output
    assert "found order 402-1234567-1234567" in listed.stderr
    assert "found order 402-7654321-7654321" in listed.stderr
    assert "no formal notice letter" in listed.stderr
    (folder / "case.toml").write_text(
        case + '[order]\nnumber = "402-1234567-1234567"\n', encoding="utf-8"
    )
    result = build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW))
    reader = PdfReader(result.output)
    texts = [flat(page.extract_text()) for page in reader.pages]
    summary = next(i for i, t in enumerate(texts) if t.startswith("Récapitulatif de la commande"))
    letter = " ".join(texts[:summary])
    assert "Mise en demeure — commande n° 402-1234567-1234567" in letter
    assert "7654321" not in letter
    assert "7654321" not in texts[summary]
    assert len(result.plan.exhibits) == 2
