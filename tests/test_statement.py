"""Statement rows by geometry: each amount with its own row's date and label.

The words are given with their boxes, as OCR returns them, for layouts bank
apps use; no OCR engine is needed. Merchants and amounts are invented.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from dossier.billing.amounts import read_amounts
from dossier.billing.statement import read_statement, visual_lines
from dossier.model import Direction

NOV = {day: dt.date(2026, 11, day) for day in range(1, 31)}
ROW_HEIGHT = 26


@dataclasses.dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int = 80
    height: int = ROW_HEIGHT
    ink: tuple[int, int, int] | None = None


def line(top: int, *cells: tuple[int, str], height: int = ROW_HEIGHT, ink=None) -> list[Word]:
    """Words at x positions, on one line at ``top``: (x, "several words")."""
    words = []
    for x, text in cells:
        for offset, part in enumerate(text.split()):
            words.append(Word(part, x + 60 * offset, top, 55, height, ink))
    return words


def below_layout() -> list[Word]:
    # Date and amount on the first line, the merchant on the line below (the reported case).
    rows = [(NOV[3], "-23,99 €", "AMAZON EU SARL"), (NOV[4], "-23,99 €", "AMZN Mktp BE")]
    rows += [(NOV[4], "-9,80 €", "NMBS/SNCB")]
    words = line(30, (28, "Umsätze"), height=32)
    top = 120
    for day, amount, label in rows:
        words += line(top, (28, f"{day:%d.%m.%Y}"), (560, amount))
        words += line(top + 38, (28, label))
        top += 110
    return words


def test_amounts_on_the_date_line_get_the_label_below():
    """This test ensures that a merchant written under the date and amount labels that amount.

    Line order alone gives each amount the label of the row above, and
    misses the double charge.
    """
    read = read_statement(below_layout())
    assert [(r.date, r.signed, r.label) for r in read] == [
        (NOV[3], Decimal("-23.99"), "AMAZON EU SARL"),
        (NOV[4], Decimal("-23.99"), "AMZN Mktp BE"),
        (NOV[4], Decimal("-9.80"), "NMBS/SNCB"),
    ]
    assert not any(r.unsure for r in read)
    by_lines = read_amounts(
        [" ".join(w.text for w in words) for words in visual_lines(below_layout())]
    )
    assert [r.label for r in by_lines][1:] == ["AMAZON EU SARL", "AMZN Mktp BE"]


def test_label_above_the_date_line():
    """This test ensures that a merchant written above its date and amount labels that amount."""
    words: list[Word] = []
    top = 120
    for day, amount, label in (
        (NOV[5], "-37,42 €", "Delhaize"),
        (NOV[4], "-23,99 €", "AMZN Mktp BE"),
    ):
        words += line(top, (28, label))
        words += line(top + 36, (28, f"{day:%d/%m/%Y}"), (560, amount))
        top += 104
    read = read_statement(words)
    assert [(r.date, r.label) for r in read] == [(NOV[5], "Delhaize"), (NOV[4], "AMZN Mktp BE")]


@pytest.mark.parametrize(
    ("header", "year", "expected"),
    [
        pytest.param("lundi 2 novembre 2026", None, NOV[2], id="fr-with-year"),
        pytest.param("maandag 2 november", 2026, NOV[2], id="nl-without-year"),
        pytest.param("Montag, 2. November", 2026, NOV[2], id="de-without-year"),
        pytest.param("Monday 2 November", None, None, id="en-year-unknown"),
    ],
)
def test_group_header_dates_every_row_below_it(header, year, expected):
    """This test ensures that a date heading a group dates each row of the group.

    Without a year on the screen and none known, the date is left out rather than guessed.
    """
    words = line(100, (28, header), height=22)
    words += line(150, (28, "AMAZON EU SARL"), (560, "-23,99 €"))
    words += line(190, (28, "Carte"), height=20)
    words += line(240, (28, "Bol.com"), (560, "-12,00 €"))
    words += line(280, (28, "Carte"), height=20)
    words += line(340, (28, header.replace("2", "1", 1)), height=22)
    words += line(390, (28, "AMZN Mktp BE"), (560, "-23,99 €"))
    read = read_statement(words, year)
    assert [r.label for r in read] == ["AMAZON EU SARL", "Bol.com", "AMZN Mktp BE"]
    later = None if expected is None else expected - dt.timedelta(days=1)
    assert [r.date for r in read] == [expected, expected, later]


def test_amount_in_a_right_column_between_label_and_date():
    """This test ensures that an amount centred between a row's two lines belongs to that row."""
    words: list[Word] = []
    top = 120
    rows = ((NOV[3], "-23,99 €", "AMAZON EU SARL"), (NOV[2], "+50,00 €", "Virement Dupont"))
    for day, amount, label in rows:
        words += line(top, (28, label))
        words += line(top + 40, (28, f"{day:%d.%m.%Y} · Lastschrift"), height=22)
        words += line(top + 20, (560, amount))
        top += 110
    assert len(visual_lines(words)) == 6  # the amount is a line of its own
    read = read_statement(words)
    assert [(r.date, r.signed, r.label) for r in read] == [
        (NOV[3], Decimal("-23.99"), "AMAZON EU SARL"),
        (NOV[2], Decimal("50.00"), "Virement Dupont"),
    ]


def test_a_row_whose_lines_could_go_either_way_is_unsure():
    """This test ensures that a line as far from both amounts leaves both rows unsure.

    Unsure amounts are listed, but never used for a finding.
    """
    words = line(100, (28, "AMAZON EU SARL"), (560, "-23,99 €"))
    words += line(160, (28, "03/11/2026"))  # 34 px below the first, 34 px above the second
    words += line(220, (28, "AMZN Mktp BE"), (560, "-23,99 €"))
    words += line(246, (28, "04/11/2026"))
    read = read_statement(words)
    assert [r.unsure for r in read] == [True, True]


@pytest.mark.parametrize(
    ("ink", "direction"),
    [
        pytest.param((190, 30, 30), Direction.DEBIT, id="red"),
        pytest.param((0, 120, 70), Direction.CREDIT, id="green"),
        pytest.param((25, 25, 25), Direction.UNSIGNED, id="black"),
    ],
)
def test_a_colour_is_the_sign_when_none_is_printed(ink, direction):
    """This test ensures that red and green amounts without a sign are a debit and a credit."""
    words = line(100, (28, "AMAZON EU SARL")) + line(100, (560, "23,99 €"), ink=ink)
    words += line(136, (28, "03/11/2026"))
    (read,) = read_statement(words)
    assert read.direction is direction


def test_detail_page_takes_the_merchant_above_and_the_only_date():
    """This test ensures that a one-payment detail page gives its amount the merchant and date."""
    words = line(200, (200, "AMZN Mktp BE"))
    words += line(270, (200, "-23,99 €"), height=60)
    words += line(500, (28, "Datum verrichting"))
    words += line(540, (28, "04/11/2026"))
    (read,) = read_statement(words)
    assert (read.label, read.date, read.signed) == ("AMZN Mktp BE", NOV[4], Decimal("-23.99"))


def test_a_tall_bar_read_as_a_word_is_ignored():
    """This test ensures that a coloured bar OCR reads as a tall "word" labels nothing."""
    words = [Word("u", 0, 0, 700, 125)]
    words += line(125, (28, "03.11.2026"), (560, "-23,99 €"))
    words += line(163, (28, "AMAZON EU SARL"))
    words += line(240, (28, "04.11.2026"), (560, "-9,80 €"))
    words += line(278, (28, "NMBS"))
    read = read_statement(words)
    assert [r.label for r in read] == ["AMAZON EU SARL", "NMBS"]


def test_a_lone_amount_takes_the_words_just_above():
    """This test ensures that a lone amount takes the words just above it, not the account above."""
    words = line(214, (28, "BE71 0961 2345 6769"), height=22)
    words += line(240, (28, "Beschikbaar saldo"), height=22)
    words += line(270, (28, "1.284,37 €"), height=34)
    words += line(400, (28, "Delhaize"), (560, "-37,42 €"))
    words += line(436, (28, "05/11/2026"))
    read = read_statement(words)
    assert [r.label for r in read] == ["Beschikbaar saldo", "Delhaize"]
