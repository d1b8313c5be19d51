"""The embedded Unicode font (DejaVu Sans, shipped in layouts/fonts).

Subsetted into every PDF, so "Łukasz Dvořák-Müller", "Œuvre", "23,99 €"
and "ĳ" print the same everywhere and come back out with text extraction.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.tables import CellStyle

from dossier.layouts import PageStyle, page_style

REGULAR = "DossierSans"
BOLD = "DossierSans-Bold"


@functools.cache
def register_fonts() -> None:
    """Make the fonts known to reportlab (once per process)."""
    style = page_style()
    pdfmetrics.registerFont(TTFont(REGULAR, str(style.font_regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(style.font_bold)))
    # Lets <b> in paragraphs pick the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    # A table sets its cells' font on the canvas even when they hold
    # paragraphs: with reportlab's default, Helvetica (never embedded), a page
    # would name a font that is not in the file.
    CellStyle.fontname = REGULAR


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis so it fits in ``width`` points.

    The longest prefix that fits is found by bisection: a 100 KB caption
    costs a few dozen measurements, not one per character.
    """
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits (or low is 0); text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


def page_canvas(out: Path, style: PageStyle) -> Canvas:
    """A reportlab canvas for ``out`` whose initial font is the embedded one.

    reportlab names its initial font in every page's resources: with its
    default, Helvetica, which is never embedded, each page would refer to a
    font that is not in the file (print shops and PDF/A checks refuse that).
    """
    register_fonts()
    # types-reportlab declares initialFontName a float: passed by keyword table.
    initial: dict[str, Any] = {"initialFontName": REGULAR}
    return Canvas(str(out), pagesize=(style.width, style.height), invariant=True, **initial)
