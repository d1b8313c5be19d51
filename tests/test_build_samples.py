"""Whole builds of the project's sample cases, checked through the PDF a reader gets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dossier import BuildOptions, BuildResult, build
from dossier.cli import main
from tests.conftest import NOW, SAMPLES, footer_numbers, read_pdf

DAMAGED_ORDER = [
    ("confirmation-commande.eml", "email_header", "en-tête Date de l'e-mail"),
    ("facture-402-1234567-1234567.pdf", "pdf_metadata", "métadonnées du PDF"),
    ("IMG_20261030_101500.jpg", "exif", "date EXIF de la photo"),
    ("IMG_20261030_101622.jpg", "exif", "date EXIF de la photo"),
    ("PXL_20261030_101745123.jpg", "exif", "date EXIF de la photo"),
    ("reponse-service-client.eml", "email_header", "en-tête Date de l'e-mail"),
]


def _list_json(folder: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["list", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_list_gives_the_chronological_timeline(samples_dir: Path) -> None:
    """This test ensures the damaged-parcel timeline is chronological with the right date sources."""
    rows = _list_json(samples_dir / "damaged-parcel")
    assert [(r["path"], r["timestamp_source"]) for r in rows] == [
        (p, s) for p, s, _ in DAMAGED_ORDER
    ]
    assert [r["number"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert all(r["included"] for r in rows)
    first_photo = rows[2]
    assert first_photo["timestamp"] == "2026-10-30T10:15:00+01:00"  # OffsetTimeOriginal kept
    assert rows[3]["timestamp"] == "2026-10-30T10:16:22"  # no offset: wall clock as recorded
    assert rows[0]["timestamp"] == "2026-10-28T14:02:11+01:00"
    assert first_photo["caption"] == "Colis écrasé à la livraison"
    assert len(str(first_photo["sha256"])) == 64


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The damaged-parcel sample, built once for the tests of this module."""
    out = tmp_path_factory.mktemp("damaged") / "dossier.pdf"
    return build(BuildOptions(folder=SAMPLES / "damaged-parcel", output=out, now=NOW))


def _index_page(facts: Any, title: str = "Inventaire des pièces") -> int:
    # The cover letter and the order summary come before the index.
    return next(page for name, page in facts.outline if name == title)


def test_index_lists_every_file_in_order_with_its_date_source(damaged: BuildResult) -> None:
    """This test ensures the index page names every exhibit, in order, with its date source."""
    facts = read_pdf(damaged.output)
    index = " ".join(facts.texts[_index_page(facts)].split())  # table cells wrap: compare words
    assert "Inventaire des pièces" in index
    positions = []
    for exhibit, (_, _, source_words) in zip(damaged.plan.exhibits, DAMAGED_ORDER, strict=True):
        row = " ".join(f"{exhibit.number} {exhibit.caption}".split())  # no-break spaces too
        assert row in index
        positions.append(index.index(row))
        assert source_words in index[positions[-1] :]
    assert positions == sorted(positions)
    assert "Colis écrasé à la livraison" in index
    assert "30/10/2026 10:15 (UTC+01:00)" in index


def test_index_rows_link_to_the_first_page_of_each_exhibit(damaged: BuildResult) -> None:
    """This test ensures each index row is a link to the first page of its exhibit."""
    facts = read_pdf(damaged.output)
    index_links = sorted(target for page, target in facts.links if page == _index_page(facts))
    expected = sorted(page - 1 for page in damaged.first_pages.values())
    assert index_links == expected
    for exhibit in damaged.plan.exhibits:
        first = damaged.first_pages[exhibit.number] - 1
        assert exhibit.label in facts.texts[first]
        assert exhibit.source.short_hash in facts.texts[first]


def test_outline_has_the_index_and_one_entry_per_exhibit(damaged: BuildResult) -> None:
    """This test ensures the bookmarks are the index plus one per exhibit, pointing at its first page."""
    facts = read_pdf(damaged.output)
    index_entry = facts.outline.index(("Inventaire des pièces", _index_page(facts)))
    # The integrity appendix is the last entry.
    assert facts.outline[-1] == ("Intégrité des pièces", facts.page_count - 1)
    exhibit_entries = facts.outline[index_entry + 1 : -1]
    assert len(exhibit_entries) == len(damaged.plan.exhibits)
    for (title, page), exhibit in zip(exhibit_entries, damaged.plan.exhibits, strict=True):
        assert title.startswith(f"Pièce n° {exhibit.number} — ")
        assert page == damaged.first_pages[exhibit.number] - 1


def test_every_page_has_a_footer_with_the_real_page_count(damaged: BuildResult) -> None:
    """This test ensures every footer reads "page X / Y" with Y the real count, plus the order number."""
    facts = read_pdf(damaged.output)
    assert facts.page_count == damaged.page_count
    for number, text in enumerate(facts.texts, start=1):
        assert footer_numbers(text) == (number, facts.page_count)
        assert "402-1234567-1234567" in text


def test_pages_are_a4_and_pdf_exhibit_keeps_its_text(damaged: BuildResult) -> None:
    """This test ensures every page is A4 portrait and the invoice is imported as text, not pixels."""
    facts = read_pdf(damaged.output)
    for page in facts.reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    invoice = damaged.first_pages[2] - 1
    assert "Facture" in facts.texts[invoice]
    assert "Pièce n° 2" in facts.texts[invoice]


def test_email_exhibit_shows_headers_and_body(damaged: BuildResult) -> None:
    """This test ensures an .eml exhibit reads like the email: headers and body text."""
    facts = read_pdf(damaged.output)
    text = facts.texts[damaged.first_pages[6] - 1]
    assert "Objet" in text and "Votre demande concernant la commande 402-1234567-1234567" in text
    assert "Service client Amazon.com.be" in text
    assert "4 novembre 2026" in text  # the Date shown in the case's language


def test_metadata_and_unicode_text(damaged: BuildResult) -> None:
    """This test ensures title, author and the claimant's name with diacritics come back out."""
    facts = read_pdf(damaged.output)
    metadata = facts.reader.metadata
    assert metadata is not None
    assert metadata.title == "Dossier de pièces — 402-1234567-1234567"
    assert metadata.author == "Łukasz Dvořák-Müller"
    assert "Łukasz Dvořák-Müller" in facts.texts[0]


def test_dutch_sample_uses_dutch_labels(
    build_case: Callable[..., BuildResult], samples_dir: Path
) -> None:
    """This test ensures the Dutch case prints Dutch labels, footers and the file-name date source."""
    result = build_case(samples_dir / "double-charge")
    facts = read_pdf(result.output)
    index = facts.texts[_index_page(facts, "Inventaris van de stukken")]
    assert "Inventaris van de stukken" in index
    assert "bestandsnaam" in index
    assert any("Stuk 1" in text for text in facts.texts[1:])
    assert footer_numbers(facts.texts[-1]) == (facts.page_count, facts.page_count)
    assert "pagina" in facts.texts[-1]


def test_two_builds_give_the_same_order(
    build_case: Callable[..., BuildResult], samples_dir: Path
) -> None:
    """This test ensures building twice gives the same numbering."""
    first = build_case(samples_dir / "double-charge")
    second = build_case(samples_dir / "double-charge")
    assert [e.source.relpath for e in first.plan.exhibits] == [
        e.source.relpath for e in second.plan.exhibits
    ]


def test_unicode_text_round_trips(build_case: Callable[..., BuildResult], tmp_path: Path) -> None:
    """This test ensures names and symbols outside Latin-1 print and extract correctly."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "note.txt").write_text("Łukasz Dvořák-Müller — Œuvre — 23,99 € — ĳ", encoding="utf-8")
    result = build_case(folder)
    text = read_pdf(result.output).texts[1]
    for word in ("Łukasz Dvořák-Müller", "Œuvre", "23,99 €", "ĳ"):
        assert word in text
