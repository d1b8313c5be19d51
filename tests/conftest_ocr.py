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
