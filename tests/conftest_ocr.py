"""Project-made bank-statement screenshots with known lines, and the Tesseract guard.

The screenshots are drawn with Pillow and the DejaVu font of ``layouts/fonts``
in two layouts a Belgian bank app uses: Dutch (label and amount on one line,
date below) and French (date, label and amount on one row, dates written
"3 nov. 2026"). ``benchmarks/ocr_accuracy.py`` uses the same drawings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import shutil
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent.parent / "layouts" / "fonts"
FRENCH_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
MERCHANTS = (
    "AMAZON EU SARL",
    "AMZN Mktp BE",
    "Delhaize Gent Zuid",
    "Colruyt Namur",
    "Proximus",
    "NMBS/SNCB",
    "Bol.com",
    "Carrefour Market Ixelles",
    "Pharmacie Dupont",
    "Fnac Bruxelles",
)


@dataclasses.dataclass(frozen=True)
class StatementLine:
    """One known line of a statement: day, merchant label, signed amount (negative: debit)."""

    day: dt.date
    label: str
    amount: Decimal
    detail: str = "Bancontact"


def tesseract_or_skip() -> None:
    """Skip a test when Tesseract is missing, except in CI, where it must be there."""
    if shutil.which("tesseract"):
        return
    if os.environ.get("CI"):
        pytest.fail("tesseract is not installed, but CI is set: install .ci/apt-packages.txt")
    pytest.skip("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-fra …)")


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def euro(amount: Decimal) -> str:
    """-23,99 € / +1.284,50 €, as the app prints it."""
    sign = "-" if amount < 0 else "+"
    whole, cents = f"{abs(amount):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{cents} €"


def render_statement(path: Path, lines: Sequence[StatementLine], layout: str) -> Path:
    """Draw a bank-app statement screenshot of ``lines`` in the "nl" or "fr" layout."""
    # The French rows hold date, label and amount side by side: a wider screen.
    width, row = (720, 104) if layout == "nl" else (900, 64)
    right = width - 28
    height = 150 + row * len(lines) + 40
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 90], fill=(0, 84, 128))
    title = "Verrichtingen" if layout == "nl" else "Relevé des opérations"
    draw.text((28, 28), title, font=_font(32, bold=True), fill="white")
    bold, small = _font(26, bold=True), _font(24)
    top = 120
    for line in lines:
        amount = euro(line.amount)
        colour = (0, 120, 70) if line.amount > 0 else (25, 25, 25)
        if layout == "nl":
            draw.text((28, top), line.label, font=bold, fill=(25, 25, 25))
            draw.text((right, top), amount, font=bold, fill=colour, anchor="ra")
            draw.text(
                (28, top + 44),
                f"{line.day:%d/%m/%Y}  ·  {line.detail}",
                font=small,
                fill=(100, 100, 110),
            )
        else:
            day = f"{line.day.day} {FRENCH_MONTHS[line.day.month - 1]} {line.day.year}"
            draw.text((28, top), day, font=small, fill=(100, 100, 110))
            draw.text((210, top), line.label, font=bold, fill=(25, 25, 25))
            draw.text((right, top), amount, font=bold, fill=colour, anchor="ra")
        top += row
        draw.line([(28, top - 14), (right, top - 14)], fill=(220, 220, 220), width=2)
    image.save(path)
    return path


def random_lines(seed: int, count: int) -> list[StatementLine]:
    """``count`` invented statement lines, the same for the same seed."""
    rng = random.Random(seed)
    day = dt.date(2026, 11, 28)
    lines = []
    for _ in range(count):
        cents = rng.choice([rng.randint(100, 9_999), rng.randint(10_000, 99_999), 123_450])
        amount = Decimal(cents) / 100 * (1 if rng.random() < 0.15 else -1)
        lines.append(StatementLine(day, rng.choice(MERCHANTS), amount))
        day -= dt.timedelta(days=rng.randint(0, 3))
    return lines


# --- More bank-app layouts, for reading rows by geometry ----------------------------------

# The layouts ``render_layout`` draws, with the language each is written in.
LAYOUTS = {
    "nl": "nl",  # label and amount, then date · detail (the two above)
    "fr": "fr",  # date, label and amount on one row
    "below": "de",  # date and amount, then the label below
    "above": "nl",  # label, then date and amount below it
    "groups": "fr",  # "lundi 3 novembre" headers above rows of label and amount
    "dark": "en",  # dark theme, headers without year, amount centred at the right, "−"
    "column": "de",  # label over date, the amount in a right column between them
    "card": "fr",  # a card statement PDF page: a table with two dates per row
}
WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def plain_amount(amount: Decimal, minus: str = "-", currency: str = " €") -> str:
    """-23,99 € with a chosen minus sign; credits with "+"."""
    return euro(amount).replace("-", minus, 1).replace(" €", currency)


def _header(day: dt.date, language: str, year: bool) -> str:
    weekday = WEEKDAYS[language][day.weekday()]
    month = MONTHS[language][day.month - 1]
    return f"{weekday} {day.day} {month}" + (f" {day.year}" if year else "")


def render_layout(path: Path, lines: Sequence[StatementLine], layout: str) -> Path:
    """Draw a statement screenshot of ``lines`` in one of the ``LAYOUTS``."""
    if layout in ("nl", "fr"):
        return render_statement(path, lines, layout)
    draw_rows = {
        "below": _draw_below,
        "above": _draw_above,
        "groups": _draw_groups,
        "dark": _draw_dark,
        "column": _draw_column,
        "card": _draw_card,
    }[layout]
    dark = layout == "dark"
    width = 900 if layout == "card" else 720
    height = 200 + 250 * len(lines)
    image = Image.new("RGB", (width, height), (18, 18, 24) if dark else "white")
    draw = ImageDraw.Draw(image)
    bottom = draw_rows(draw, lines, width)
    image.crop((0, 0, width, bottom + 40)).save(path)
    return path


_INK, _GREY, _GREEN, _RED = (25, 25, 25), (100, 100, 110), (0, 120, 70), (190, 30, 30)


def _title(draw: ImageDraw.ImageDraw, width: int, text: str, fill: tuple[int, int, int]) -> None:
    draw.rectangle([0, 0, width, 90], fill=fill)
    draw.text((28, 28), text, font=_font(32, bold=True), fill="white")


def _draw_below(draw: ImageDraw.ImageDraw, lines: Sequence[StatementLine], width: int) -> int:
    # Date and amount on the first line, the merchant under it (a German app).
    _title(draw, width, "Umsätze", (200, 20, 40))
    top, right = 120, width - 28
    for line in lines:
        colour = _GREEN if line.amount > 0 else _INK
        draw.text((28, top), f"{line.day:%d.%m.%Y}", font=_font(22), fill=_GREY)
        draw.text(
            (right, top), euro(line.amount), font=_font(26, bold=True), fill=colour, anchor="ra"
        )
        draw.text((28, top + 38), line.label, font=_font(26, bold=True), fill=_INK)
        draw.text((28, top + 74), "Kartenzahlung", font=_font(20), fill=_GREY)
        top += 130
        draw.line([(28, top - 18), (right, top - 18)], fill=(220, 220, 220), width=2)
    return top


def _draw_above(draw: ImageDraw.ImageDraw, lines: Sequence[StatementLine], width: int) -> int:
    # The merchant, then date and amount on the line below it.
    _title(draw, width, "Rekeninguittreksel", (0, 110, 70))
    top, right = 120, width - 28
    for line in lines:
        colour = _GREEN if line.amount > 0 else _INK
        draw.text((28, top), line.label, font=_font(26, bold=True), fill=_INK)
        draw.text((28, top + 40), f"{line.day:%d/%m/%Y}", font=_font(22), fill=_GREY)
        draw.text(
            (right, top + 38),
            euro(line.amount),
            font=_font(26, bold=True),
            fill=colour,
            anchor="ra",
        )
        top += 112
        draw.line([(28, top - 20), (right, top - 20)], fill=(220, 220, 220), width=2)
    return top


def _draw_groups(draw: ImageDraw.ImageDraw, lines: Sequence[StatementLine], width: int) -> int:
    # "lundi 3 novembre 2026" above the day's rows; each row: label and amount, detail below.
    _title(draw, width, "Mes opérations", (0, 84, 128))
    top, right, day = 110, width - 28, None
    for line in lines:
        if line.day != day:
            day = line.day
            top += 24
            draw.rectangle([0, top - 10, width, top + 40], fill=(240, 242, 246))
            draw.text(
                (28, top), _header(day, "fr", year=True), font=_font(22, bold=True), fill=_GREY
            )
            top += 62
        colour = _GREEN if line.amount > 0 else _INK
        draw.text((28, top), line.label, font=_font(26), fill=_INK)
        draw.text(
            (right, top), euro(line.amount), font=_font(26, bold=True), fill=colour, anchor="ra"
        )
        draw.text((28, top + 36), "Paiement par carte", font=_font(20), fill=_GREY)
        top += 96
    return top


def _draw_dark(draw: ImageDraw.ImageDraw, lines: Sequence[StatementLine], width: int) -> int:
    # A neobank's dark theme: headers without year, time under the merchant, "−" signs.
    light, dim = (235, 235, 240), (150, 150, 160)
    draw.text((28, 28), "Transactions", font=_font(34, bold=True), fill=light)
    top, right, day = 100, width - 28, None
    for index, line in enumerate(lines):
        if line.day != day:
            day = line.day
            top += 30
            draw.text((28, top), _header(day, "en", year=False), font=_font(22), fill=dim)
            top += 56
        colour = (90, 210, 140) if line.amount > 0 else light
        amount = plain_amount(line.amount, minus="\u2212")
        draw.text((28, top), line.label, font=_font(26, bold=True), fill=light)
        draw.text(
            (28, top + 38), f"{9 + index % 9}:{(7 * index) % 60:02d}", font=_font(20), fill=dim
        )
        draw.text((right, top + 18), amount, font=_font(26, bold=True), fill=colour, anchor="ra")
        top += 100
    return top


def _draw_column(draw: ImageDraw.ImageDraw, lines: Sequence[StatementLine], width: int) -> int:
    # Label over date on the left; the amount in a right column, centred on the row.
    _title(draw, width, "Kontoauszug", (30, 60, 120))
    top, right = 120, width - 28
    for line in lines:
        colour = _GREEN if line.amount > 0 else _RED
        draw.text((28, top), line.label, font=_font(26, bold=True), fill=_INK)
        draw.text((28, top + 40), f"{line.day:%d.%m.%Y} · Lastschrift", font=_font(22), fill=_GREY)
        draw.text(
            (right, top + 20),
            euro(line.amount),
            font=_font(26, bold=True),
            fill=colour,
            anchor="ra",
        )
        top += 110
        draw.line([(28, top - 18), (right, top - 18)], fill=(220, 220, 220), width=2)
    return top


def _draw_card(draw: ImageDraw.ImageDraw, lines: Sequence[StatementLine], width: int) -> int:
    # A card statement PDF page as rendered: a ruled table, two dates per row, no € sign.
    small, bold = _font(20), _font(20, bold=True)
    draw.text((28, 24), "Relevé de carte de crédit - Visa", font=_font(26, bold=True), fill=_INK)
    heads = [(28, "Date"), (170, "Valeur"), (312, "Libellé"), (width - 28, "Montant (EUR)")]
    for x, text in heads:
        draw.text((x, 90), text, font=bold, fill=_INK, anchor="ra" if x > 600 else "la")
    draw.line([(28, 122), (width - 28, 122)], fill=_INK, width=2)
    top = 140
    for line in lines:
        value = line.day + dt.timedelta(days=1)
        draw.text((28, top), f"{line.day:%d/%m/%Y}", font=small, fill=_INK)
        draw.text((170, top), f"{value:%d/%m/%Y}", font=small, fill=_INK)
        draw.text((312, top), line.label, font=small, fill=_INK)
        amount = plain_amount(line.amount, currency="")
        draw.text((width - 28, top), amount, font=small, fill=_INK, anchor="ra")
        top += 44
        draw.line([(28, top - 10), (width - 28, top - 10)], fill=(200, 200, 200), width=1)
    return top


def statement_with_doubles(seed: int, count: int) -> list[StatementLine]:
    """Invented lines, with a real double charge by Amazon in every other statement."""
    lines = random_lines(seed, count)
    if seed % 2 == 0 and count >= 3:
        charge = Decimal(random.Random(seed).randint(500, 9_999)) / -100
        first = lines[1]
        lines[1] = dataclasses.replace(first, label="AMAZON EU SARL", amount=charge)
        lines[2] = dataclasses.replace(lines[2], label="AMZN Mktp BE", amount=charge)
    return lines
