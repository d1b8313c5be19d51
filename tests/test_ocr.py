"""OCR: amounts and dates read from screenshots, billing findings, the invisible text layer."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from dossier import api
from dossier.billing import ocr
from dossier.billing.amounts import (
    merchant_key,
    parse_amount,
    parse_date,
    parse_given_amount,
    read_amounts,
)
from dossier.billing.findings import find_billing_issues
from dossier.billing.ocr import text_lines
from dossier.billing.statement import read_statement
from dossier.case.load import parse_case_data
from dossier.cli import main
from dossier.errors import CaseFileError, ExitCode
from dossier.layout.billing import finding_text
from dossier.layout.style import strings
from dossier.model import (
    Box,
    BuildOptions,
    Direction,
    Exhibit,
    FindingKind,
    ImageContent,
    Kind,
    OcrText,
    OcrWord,
    Provenance,
    ReadAmount,
    Role,
    SourceFile,
)
from dossier.pdf.textlayer import draw_text_layer
from tests.conftest_ocr import (
    LAYOUTS,
    StatementLine,
    render_layout,
    render_statement,
    tesseract_or_skip,
)
from tests.conftest_samples import SAMPLES

REPO = Path(__file__).resolve().parent.parent
DOUBLE_CHARGE = SAMPLES / "double-charge"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
D = Decimal


# --- amounts and dates in text -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("-23,99 €", (D("23.99"), Direction.DEBIT), id="minus-euro"),
        pytest.param("EUR 23,99", (D("23.99"), Direction.UNSIGNED), id="eur-prefix"),
        pytest.param("23,99-", (D("23.99"), Direction.DEBIT), id="trailing-minus"),
        pytest.param("€ -23,99", (D("23.99"), Direction.DEBIT), id="nl-be-negative"),
        pytest.param("+50,00 €", (D("50.00"), Direction.CREDIT), id="credit"),
        pytest.param("−23,99 €", (D("23.99"), Direction.DEBIT), id="unicode-minus"),
        pytest.param("1.284,37 €", (D("1284.37"), Direction.UNSIGNED), id="thousands-dot"),
        pytest.param("1\u202f284,37 €", (D("1284.37"), Direction.UNSIGNED), id="thousands-nnbsp"),
        pytest.param("Order total: €1,284.37", (D("1284.37"), Direction.UNSIGNED), id="english"),
        pytest.param("ref 23,99", None, id="no-currency-no-sign"),
        pytest.param("03.11.2026", None, id="a-date-is-not-an-amount"),
        pytest.param("Visa Debit 4821", None, id="no-decimals"),
    ],
)
def test_parse_amount(text, expected):
    """This test ensures that European amount formats are read exactly, as Decimal."""
    assert parse_amount(text) == expected
    if expected is not None:
        assert isinstance(parse_amount(text)[0], Decimal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("03/11/2024", dt.date(2024, 11, 3), id="slashes"),
        pytest.param("03-11-2024", dt.date(2024, 11, 3), id="dashes"),
        pytest.param("3.11.2024", dt.date(2024, 11, 3), id="dots"),
        pytest.param("3 nov. 2024", dt.date(2024, 11, 3), id="fr-abbrev"),
        pytest.param("3 nov 2024", dt.date(2024, 11, 3), id="abbrev-no-dot"),
        pytest.param("le 3 février 2026", dt.date(2026, 2, 3), id="fr-long"),
        pytest.param("3 mrt. 2026", dt.date(2026, 3, 3), id="nl-abbrev"),
        pytest.param("3. März 2026", dt.date(2026, 3, 3), id="de-long"),
        pytest.param("Nov 3, 2026", dt.date(2026, 11, 3), id="en-us-order"),
        pytest.param("31/02/2026", None, id="impossible"),
        pytest.param("3 truc 2026", None, id="not-a-month"),
    ],
)
def test_parse_date(text, expected):
    """This test ensures that Belgian day-first dates are read in every language."""
    assert parse_date(text) == expected


def test_read_amounts_pairs_each_amount_with_its_date_and_label():
    """This test ensures that a statement's label/amount line is paired with the date below."""
    lines = [
        "Beschikbaar saldo",
        "1.284,37 €",
        "AMZN Mktp BE -23,99 €",
        "04/11/2026 - Online kaartbetaling",
        "AMAZON EU SARL -23,99 €",
        "03/11/2026 - Online kaartbetaling",
    ]
    read = read_amounts(lines)
    assert [(r.date, r.signed, r.label) for r in read] == [
        (None, D("1284.37"), "Beschikbaar saldo"),
        (dt.date(2026, 11, 4), D("-23.99"), "AMZN Mktp BE"),
        (dt.date(2026, 11, 3), D("-23.99"), "AMAZON EU SARL"),
    ]
    assert {merchant_key(r.label) for r in read[1:]} == {"amazon"}


def test_read_amounts_roles():
    """This test ensures that order totals and announced refunds are told apart."""
    read = read_amounts(
        [
            "Commande passée le 2 novembre 2026",
            "Total de la commande : 23,99 €",
            "Remboursement de 23,99 € émis",
        ]
    )
    assert [(r.role, r.date) for r in read] == [
        (Role.TOTAL, dt.date(2026, 11, 2)),
        (Role.REFUND, dt.date(2026, 11, 2)),
    ]


def test_merchant_key_groups_amazon_labels():
    """This test ensures that every Amazon label is one merchant and others are not."""
    labels = ["AMAZON EU SARL", "AMZN Mktp BE", "Amzn.com/bill LU", "Amazon.com.be"]
    assert {merchant_key(label) for label in labels} == {"amazon"}
    assert merchant_key("Delhaize Gent") == "delhaizegent"


# --- findings ----------------------------------------------------------------------------


def _exhibit(number, *amounts):
    source = SourceFile(Path(f"/nowhere/{number}.png"), f"{number}.png", 1, "0" * 64, 0.0)
    return Exhibit(
        source, Kind.PNG, ImageContent(10, 10, 1, 1, None), number=number, amounts=amounts
    )


def _debit(day, amount, label="AMAZON EU SARL", provenance=Provenance.OCR):
    return ReadAmount(D(amount), Direction.DEBIT, day, label, Role.ENTRY, provenance)


NOV = {day: dt.date(2026, 11, day) for day in range(1, 31)}


def test_double_charge_across_exhibits():
    """This test ensures that two equal Amazon charges on two days are one finding."""
    exhibits = [
        _exhibit(4, _debit(NOV[3], "23.99")),
        _exhibit(5, _debit(NOV[4], "23.99", "AMZN Mktp BE")),
    ]
    (finding,) = find_billing_issues(exhibits, D("23.99"))
    assert finding.kind is FindingKind.DOUBLE_CHARGE
    assert (finding.amount, finding.dates, finding.exhibits) == (
        D("23.99"),
        (NOV[3], NOV[4]),
        (4, 5),
    )
    assert finding_text(finding, strings("en")) == (
        "2 charges of 23,99\xa0€ by AMAZON EU SARL / AMZN Mktp BE on 03/11/2026 and 04/11/2026 "
        "(annexes 4 and 5). Read by text recognition (OCR): check it."
    )
    assert "2 débits de 23,99\xa0€" in finding_text(finding, strings("fr"))
    assert "(pièces 4 et 5)" in finding_text(finding, strings("fr"))


def test_same_charge_on_two_screenshots_is_not_a_double_charge():
    """This test ensures that a statement line and its detail page count as one charge."""
    exhibits = [
        _exhibit(1, _debit(NOV[4], "23.99", "AMZN Mktp BE"), _debit(NOV[4], "9.80", "NMBS")),
        _exhibit(2, _debit(NOV[4], "23.99", "AMZN Mktp BE")),
    ]
    assert find_billing_issues(exhibits, D("23.99")) == ()


@pytest.mark.parametrize(
    "exhibits",
    [
        pytest.param([_exhibit(1, _debit(NOV[1], "9.99"), _debit(NOV[29], "9.99"))], id="month"),
        pytest.param(
            [_exhibit(1, _debit(NOV[3], "6.50", "Bakkerij"), _debit(NOV[4], "6.50", "Bakkerij"))],
            id="not-the-retailer",
        ),
        pytest.param([_exhibit(1, _debit(NOV[3], "23.99"), _debit(NOV[4], "24.99"))], id="other"),
    ],
)
def test_no_double_charge(exhibits):
    """This test ensures that a subscription, a shop or different amounts raise no double charge."""
    found = find_billing_issues(exhibits, None)
    assert [f for f in found if f.kind is FindingKind.DOUBLE_CHARGE] == []


def test_charge_differs_from_order_total():
    """This test ensures that a retailer charge other than the order total is reported."""
    exhibits = [_exhibit(2, _debit(NOV[3], "25.99", provenance=Provenance.CASE_FILE))]
    (finding,) = find_billing_issues(exhibits, D("23.99"))
    assert finding.kind is FindingKind.AMOUNT_DIFFERS
    assert (finding.amount, finding.expected, finding.by_ocr) == (D("25.99"), D("23.99"), False)
    text = finding_text(finding, strings("nl"))
    for part in ("€\xa025,99", "€\xa023,99", "(stuk 2)", "case.toml"):
        assert part in text


def test_refund_without_credit():
    """This test ensures that an announced refund with no matching credit is reported."""
    refund = ReadAmount(D("23.99"), Direction.UNSIGNED, NOV[8], "Remboursement", Role.REFUND)
    credit = ReadAmount(D("23.99"), Direction.CREDIT, NOV[10], "AMAZON EU SARL")
    statement = _exhibit(2, _debit(NOV[3], "23.99"))
    (finding,) = find_billing_issues([_exhibit(1, refund), statement], None)
    assert (finding.kind, finding.exhibits) == (FindingKind.REFUND_MISSING, (1,))
    assert "Erstattung von 23,99" in finding_text(finding, strings("de"))
    paid_back = _exhibit(3, credit)
    assert find_billing_issues([_exhibit(1, refund), statement, paid_back], None) == ()


def test_every_language_words_every_finding():
    """This test ensures that each language has the words of each kind of finding."""
    exhibits = [_exhibit(1, _debit(NOV[3], "23.99"), _debit(NOV[4], "23.99"))]
    (finding,) = find_billing_issues(exhibits, None)
    for language in ("fr", "nl", "de", "en"):
        words = strings(language)
        for kind in FindingKind:
            assert "{amount}" in words[f"findings.{kind.value}"]
        for key in ("title", "intro", "by_ocr", "by_case_file", "exhibit_one", "and"):
            assert words[f"findings.{key}"]
        assert "{" not in finding_text(finding, words)


# --- the case file -------------------------------------------------------------------------


def test_case_file_amounts_and_ocr_switch():
    """This test ensures that the case file can give amounts and switch OCR off per file."""
    case = parse_case_data(
        {
            "exhibits": {
                "a.png": {
                    "amounts": [
                        {"date": dt.date(2026, 11, 3), "amount": "-23,99", "label": "AMAZON"},
                        {"amount": "23.99", "role": "total"},
                    ]
                },
                "b.jpg": {"ocr": False},
            }
        }
    )
    first, second = case.exhibits["a.png"].amounts
    assert (first.signed, first.date, first.provenance) == (
        D("-23.99"),
        NOV[3],
        Provenance.CASE_FILE,
    )
    assert (second.role, second.direction) == (Role.TOTAL, Direction.UNSIGNED)
    assert case.exhibits["b.jpg"].ocr is False
    assert case.exhibits["b.jpg"].amounts is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param({"amounts": [{"amount": 23.99}]}, "amounts[1].amount: 23.99 is not", id="f"),
        pytest.param({"amounts": [{"amount": "x"}]}, "amounts[1].amount: 'x' is not", id="text"),
        pytest.param({"amounts": "23,99"}, "amounts: must be a list", id="not-list"),
        pytest.param({"amounts": [{"amount": "1", "who": 1}]}, "amounts[1].who: unknown", id="k"),
        pytest.param({"ocr": "no"}, "ocr: 'no' is not true or false", id="ocr"),
    ],
)
def test_case_file_amount_errors(entry, message):
    """This test ensures that a wrong amount in the case file is named in the message."""
    with pytest.raises(CaseFileError, match=r"exhibits\.\"a\.png\"\." + _escape(message)):
        parse_case_data({"exhibits": {"a.png": entry}})


def _escape(text):
    return re.escape(text)


def test_given_amount_accepts_a_bare_number():
    """This test ensures that the case file may write amounts without a currency."""
    assert parse_given_amount("-23.99") == (D("23.99"), Direction.DEBIT)
    assert parse_given_amount("23,99") == (D("23.99"), Direction.UNSIGNED)
    assert parse_given_amount("abc") is None


# --- the text layer --------------------------------------------------------------------------


def test_text_layer_is_invisible_and_extractable(tmp_path):
    """This test ensures that the words are written invisibly, where they are, only in the crop."""
    words = (
        OcrWord("AMAZON", 10, 10, 120, 20, 95.0, (1, 1, 1)),
        OcrWord("-23,99", 300, 10, 90, 20, 95.0, (1, 1, 1)),
        OcrWord("hidden", 10, 700, 90, 20, 95.0, (1, 1, 2)),
    )
    text = OcrText(width=400, height=800, words=words, language="fra+eng")
    out = tmp_path / "layer.pdf"
    canvas = Canvas(str(out), pagesize=(400, 400))
    # Only the top half of the image is on this page.
    assert draw_text_layer(canvas, text, (0, 0, 400, 400), crop=(0, 0, 400, 400)) == 2
    canvas.save()
    page = PdfReader(out).pages[0]
    assert page.extract_text().split() == ["AMAZON", "-23,99"]
    content = page.get_contents().get_data().decode("latin-1")
    assert "3 Tr" in content
    # Each word starts where it is in the picture: x 10 and 300, on one baseline.
    starts = re.findall(r"1 0 0 1 ([\d.]+) ([\d.]+) Tm", content)[1:]
    assert [(float(x), float(y)) for x, y in starts] == [
        (10, pytest.approx(374.4, abs=0.1)),
        (300, pytest.approx(374.4, abs=0.1)),
    ]


# --- Tesseract missing ---------------------------------------------------------------------


def test_ocr_without_tesseract_says_how_to_install(monkeypatch, tmp_path):
    """This test ensures that --ocr without Tesseract fails with one line and its own code."""
    monkeypatch.setattr(ocr, "_tesseract", lambda: None)
    result = CliRunner().invoke(main, ["build", str(DOUBLE_CHARGE), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        main, ["build", str(DOUBLE_CHARGE), "--ocr", "-o", str(tmp_path / "y.pdf")]
    )
    assert result.exit_code == ExitCode.OCR_UNAVAILABLE == 7
    assert result.stderr.splitlines() == [
        "error: --ocr needs the Tesseract OCR engine; install it with: sudo apt-get install "
        "tesseract-ocr tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu tesseract-ocr-eng"
    ]
    assert not (tmp_path / "y.pdf").exists()


def test_ocr_without_language_data_names_the_package(monkeypatch):
    """This test ensures that a missing language pack is reported with the install command."""
    monkeypatch.setattr(ocr, "_tesseract", lambda: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr, "_installed_languages", lambda: frozenset({"eng", "osd"}))
    with pytest.raises(ocr.OcrUnavailableError, match=r"language data nld; install it with: "):
        ocr.check_engine("nl")
    ocr.check_engine("en")


# --- with Tesseract ------------------------------------------------------------------------

KNOWN_LINES = [
    StatementLine(NOV[5], "Delhaize Gent Zuid", D("-37.42")),
    StatementLine(NOV[4], "AMZN Mktp BE", D("-23.99"), "Online kaartbetaling"),
    StatementLine(NOV[4], "NMBS/SNCB", D("-9.80")),
    StatementLine(NOV[3], "AMAZON EU SARL", D("-23.99"), "Online kaartbetaling"),
    StatementLine(dt.date(2026, 10, 31), "Overschrijving J. Peeters", D("50.00")),
    StatementLine(dt.date(2026, 10, 30), "Colruyt Namur", D("-1234.50")),
]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_statement_amounts_are_read_exactly(tmp_path, layout):
    """This test ensures that OCR reads every known row of a drawn statement exactly.

    Each amount gets its own row's date and label, whatever the app's layout.
    """
    tesseract_or_skip()
    image = render_layout(tmp_path / f"statement-{layout}.png", KNOWN_LINES, layout)
    read = read_statement(ocr.read_words(image, LAYOUTS[layout]).words, year=2026)
    assert [(r.date, r.amount, merchant_key(r.label)) for r in read] == [
        (line.day, abs(line.amount), merchant_key(line.label)) for line in KNOWN_LINES
    ]
    # A sign OCR could not read leaves the amount unsigned (no finding), never reversed.
    assert all(
        r.signed == line.amount or r.direction is Direction.UNSIGNED
        for r, line in zip(read, KNOWN_LINES, strict=True)
    )
    assert sum(r.signed == line.amount for r, line in zip(read, KNOWN_LINES, strict=True)) >= 5


@pytest.fixture(scope="module")
def double_charge_build(tmp_path_factory):
    tesseract_or_skip()
    out = tmp_path_factory.mktemp("ocr") / "dossier.pdf"
    result = api.build(BuildOptions(folder=DOUBLE_CHARGE, output=out, now=NOW, ocr=True))
    return result, PdfReader(out)


def test_double_charge_sample_is_found(double_charge_build):
    """This test ensures that the sample's double charge is found and shown on the order summary."""
    result, reader = double_charge_build
    (finding,) = result.plan.findings
    assert finding.kind is FindingKind.DOUBLE_CHARGE
    assert (finding.amount, finding.dates, finding.exhibits) == (
        D("23.99"),
        (NOV[3], NOV[4]),
        (2, 3),
    )
    pages = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    summary = reader.pages[pages["Overzicht van de bestelling"]].extract_text()
    assert "Vaststellingen over de facturatie" in summary
    assert "2 afschrijvingen van € 23,99" in summary
    assert "(stukken 2 en 3)" in summary and "(OCR)" in summary
    # On the summary, the findings need no page of their own.
    assert "Vaststellingen over de facturatie" not in pages


def test_text_layer_makes_screenshot_searchable(double_charge_build):
    """This test ensures that the words of a screenshot can be extracted from its page."""
    result, reader = double_charge_build
    statement = reader.pages[result.first_pages[2] - 1].extract_text()
    for words in ("AMAZON EU SARL -23,99 €", "03/11/2026", "AMZN Mktp BE", "Zichtrekening"):
        assert words in statement
    detail = reader.pages[result.first_pages[3] - 1].extract_text()
    # Sparse-text mode reads the reference's "1Z" as "12Z": its stable part is searched.
    assert "AMZN Mktp BE*2K7QX8" in detail


def test_text_layer_leaves_the_page_unchanged(double_charge_build, tmp_path):
    """This test ensures that the visible page is the same with and without OCR."""
    result, _ = double_charge_build
    plain = api.build(BuildOptions(folder=DOUBLE_CHARGE, output=tmp_path / "plain.pdf", now=NOW))
    images = []
    for built in (result, plain):
        number = built.first_pages[2]
        prefix = tmp_path / built.output.stem
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", str(number), "-l", str(number)]
            + [str(built.output), str(prefix)],
            check=True,
        )
        (png,) = tmp_path.glob(f"{built.output.stem}-*.png")
        images.append(Image.open(png).convert("RGB"))
    # Compare above the footer, whose page total may differ.
    width, height = images[0].size
    box = (0, 0, width, int(height * 0.93))
    assert ImageChops.difference(images[0].crop(box), images[1].crop(box)).getbbox() is None
    assert (
        "Zichtrekening"
        not in PdfReader(plain.output).pages[plain.first_pages[2] - 1].extract_text()
    )


def test_findings_page_without_order_summary(tmp_path):
    """This test ensures that without an order summary the findings get a page after the index."""
    tesseract_or_skip()
    folder = tmp_path / "case"
    folder.mkdir()
    render_statement(folder / "statement.png", KNOWN_LINES, "nl")
    (folder / "case.toml").write_text('language = "fr"\n', encoding="utf-8")
    result = api.build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW, ocr=True))
    reader = PdfReader(result.output)
    pages = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert pages["Inventaire des pièces"] == 0
    assert pages["Constats de facturation"] == 1
    text = reader.pages[1].extract_text()
    assert "2 débits de 23,99 € par AMAZON EU SARL / AMZN Mktp BE" in text
    assert "(pièce 1)" in text
    # The index points at the exhibit's real page, after the findings page.
    assert result.first_pages[1] == 3
    assert "Verrichtingen" in reader.pages[2].extract_text()


def test_list_shows_amounts_and_findings(tmp_path):
    """This test ensures that `dossier list --ocr` prints what was read and the findings, in the case's French."""
    tesseract_or_skip()
    folder = tmp_path / "case"
    folder.mkdir()
    render_statement(folder / "statement.png", KNOWN_LINES, "nl")
    (folder / "case.toml").write_text('language = "fr"\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["list", str(folder), "--ocr"], env={"DOSSIER_LANGUAGE": None}
    )
    assert result.exit_code == 0, result.output
    assert "montant\xa0: 03/11/2026  -23,99\xa0€  AMAZON EU SARL (ocr)" in result.output
    assert "montant\xa0: 31/10/2026  +50,00\xa0€  Overschrijving J. Peeters (ocr)" in result.output
    assert (
        "constat\xa0: 2 débits de 23,99\xa0€ par AMAZON EU SARL / AMZN Mktp BE "
        "le 03/11/2026 et 04/11/2026 (pièce 1)." in result.output
    )
    result = CliRunner().invoke(main, ["list", str(folder), "--ocr", "--json"])
    amounts = json.loads(result.output)[0]["amounts"]
    assert amounts[1] == {
        "amount": "-23.99",
        "direction": "debit",
        "date": "2026-11-04",
        "label": "AMZN Mktp BE",
        "role": "entry",
        "read_by": "ocr",
        "unsure": False,
    }
    result = CliRunner().invoke(main, ["list", str(folder)])
    assert "amount:" not in result.output and "finding:" not in result.output


def test_clean_statement_has_no_finding(tmp_path):
    """This test ensures that a statement with one charge of the order total gives no finding."""
    tesseract_or_skip()
    folder = tmp_path / "case"
    folder.mkdir()
    lines = [KNOWN_LINES[0], KNOWN_LINES[1], KNOWN_LINES[2]]
    render_statement(folder / "Screenshot_20261106-093012.png", lines, "fr")
    (folder / "case.toml").write_text('[order]\ntotal = "23.99"\n', encoding="utf-8")
    result = api.build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW, ocr=True))
    assert result.plan.findings == ()
    assert [r.signed for r in result.plan.exhibits[0].amounts] == [
        D("-37.42"),
        D("-23.99"),
        D("-9.80"),
    ]
    reader = PdfReader(result.output)
    # The order summary, the index and the statement: no findings anywhere.
    assert len(reader.pages) == 4  # with the integrity appendix
    assert "Relevé des opérations" in reader.pages[2].extract_text()
    assert not any("Constats de facturation" in page.extract_text() for page in reader.pages)


def test_case_file_amounts_replace_ocr(tmp_path):
    """This test ensures that amounts in the case file correct what OCR read."""
    tesseract_or_skip()
    folder = tmp_path / "case"
    folder.mkdir()
    render_statement(folder / "statement.png", [KNOWN_LINES[1]], "nl")
    (folder / "case.toml").write_text(
        '[order]\ntotal = "23.99"\n[exhibits."statement.png"]\n'
        'amounts = [{ date = 2026-11-04, amount = "-25.99", label = "AMZN Mktp BE" }]\n',
        encoding="utf-8",
    )
    timeline = api.plan(BuildOptions(folder=folder, now=NOW, ocr=True))
    (exhibit,) = timeline.exhibits
    assert [(r.signed, r.provenance) for r in exhibit.amounts] == [
        (D("-25.99"), Provenance.CASE_FILE)
    ]
    assert exhibit.ocr is not None and "AMZN" in " ".join(text_lines(exhibit.ocr))
    (finding,) = timeline.findings
    assert (finding.kind, finding.by_ocr) == (FindingKind.AMOUNT_DIFFERS, False)


@pytest.mark.corpus
def test_real_screenshots_go_through_ocr(corpus_dir):
    """This test ensures that OCR reads every real screenshot of the corpus without error."""
    tesseract_or_skip()
    paths = sorted((corpus_dir / "screenshots").glob("*.png"))
    assert len(paths) == 6
    exhibits = [
        Exhibit(
            SourceFile(path, path.name, 1, "0" * 64, 0.0),
            Kind.PNG,
            ImageContent(1, 1, 1, 1, None),
            number=number,
        )
        for number, path in enumerate(paths, start=1)
    ]
    read = ocr.read_all(exhibits, "en", enabled=True)
    for exhibit in read:
        assert exhibit.warnings == ()
        assert exhibit.ocr is not None and exhibit.ocr.words, exhibit.source.relpath
        with Image.open(exhibit.source.path) as image:
            assert (exhibit.ocr.width, exhibit.ocr.height) == image.size
    # The 7680x4320 TV capture is read at a lower resolution, boxes mapped back.
    tv = next(e for e in read if "tv4k" in e.source.relpath)
    assert max(w.left + w.width for w in tv.ocr.words) <= 7680
    assert "point" in " ".join(text_lines(tv.ocr))


# --- redaction -----------------------------------------------------------------------------


def _card_screenshot(path: Path) -> None:
    """A screenshot with a card number on its second line and an amount on its third."""
    image = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(REPO / "layouts" / "fonts" / "DejaVuSans.ttf"), 36)
    draw.text((40, 30), "PAYMENT CONFIRMED", fill="black", font=font)
    draw.text((40, 120), "CARD 4111 1111 1111 1111", fill="black", font=font)
    draw.text((40, 210), "TOTAL -23,99 €", fill="black", font=font)
    image.save(path)


def test_ocr_never_reads_redacted_pixels(tmp_path):
    """This test ensures that OCR reads the picture as redacted: no hidden word in text or amounts.

    The redaction covers the card number and the amount; neither may reach
    the invisible text layer, the amounts read, nor ``dossier list``.
    """
    tesseract_or_skip()
    folder = tmp_path / "case"
    folder.mkdir()
    _card_screenshot(folder / "card.png")
    (folder / "case.toml").write_text(
        '[exhibits."card.png"]\nredact = [[0, 100, 900, 80], [0, 190, 900, 90]]\n',
        encoding="utf-8",
    )
    result = api.build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW, ocr=True))
    (exhibit,) = result.plan.exhibits
    assert exhibit.ocr is not None
    read = " ".join(text_lines(exhibit.ocr))
    assert "PAYMENT" in read
    assert "4111" not in read and "CARD" not in read and "23" not in read
    assert exhibit.amounts == ()
    text = " ".join(page.extract_text() for page in PdfReader(result.output).pages)
    assert "PAYMENT" in text
    assert "4111" not in text and "1111" not in text
    listed = CliRunner().invoke(main, ["list", str(folder), "--ocr"])
    assert listed.exit_code == 0, listed.output
    assert "4111" not in listed.output and "23,99" not in listed.output


def test_words_meeting_a_redaction_box_are_dropped():
    """This test ensures that a word OCR guessed at the edge of a redaction box is left out."""
    words = (
        OcrWord("kept", 10, 10, 50, 20, 90.0, (1, 1, 1)),
        OcrWord("4111", 95, 10, 50, 20, 90.0, (1, 1, 1)),
        OcrWord("edge", 190, 10, 50, 20, 90.0, (1, 1, 1)),
    )
    text = OcrText(width=400, height=100, words=words, language="eng")
    boxes = (Box(100, 0, 100, 100),)
    assert [w.text for w in ocr.without_redacted(text, boxes).words] == ["kept"]
