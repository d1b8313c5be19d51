"""The invisible text drawn over an image exhibit, so that it can be searched and copied.

Each recognised word is written in text render mode 3 (neither filled nor
stroked: invisible), at the place and width of the word in the picture, so
that a PDF viewer highlights the right part of the image when the word is
found or selected. The visible page does not change.
"""

from __future__ import annotations

import statistics

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dossier.billing.statement import visual_lines
from dossier.layout.fonts import REGULAR, register_fonts
from dossier.model import OcrText

# Where the baseline sits in a word's box, from the bottom: room for descenders.
_BASELINE = 0.22
# Glyph height of DejaVu Sans (ascender to descender) per point of font size.
_GLYPH_HEIGHT = 1.16


def draw_text_layer(
    canvas: Canvas,
    text: OcrText | None,
    rect: tuple[float, float, float, float],
    crop: tuple[int, int, int, int] | None = None,
) -> int:
    """Write the words of ``text`` invisibly over the image drawn at ``rect``.

    Args:
        canvas: the page being drawn.
        text: what OCR read on the image; None draws nothing (no OCR was run).
        rect: (left, bottom, width, height) of the image on the page, in points.
        crop: the part of the image shown in ``rect``, as (left, top, right,
            bottom) in the pixels of ``text`` (the upright image); the whole
            image when None. A tall screenshot split over several pages
            passes each page's slice; words outside it are left to the other pages.

    Returns:
        The number of words written.
    """
    if text is None or not text.words:
        return 0
    register_fonts()
    x0, y0, x1, y1 = crop if crop is not None else (0, 0, text.width, text.height)
    left, bottom, width, height = rect
    scale_x = width / max(1, x1 - x0)
    scale_y = height / max(1, y1 - y0)
    written = 0
    for line in visual_lines(text.words):
        inside = [
            w for w in line if x0 <= w.left + w.width / 2 < x1 and y0 <= w.top + w.height / 2 < y1
        ]
        if not inside:
            continue
        # One size and baseline per line, from its middle word: one tall
        # symbol (€, a bracket) must not push the whole line off its place.
        line_bottom = statistics.median_low(w.top + w.height for w in inside)
        line_height = statistics.median_low(w.height for w in inside)
        size = max(1.0, line_height * scale_y / _GLYPH_HEIGHT)
        baseline = bottom + (y1 - line_bottom + _BASELINE * line_height) * scale_y
        body = canvas.beginText()
        body.setTextRenderMode(3)
        body.setFont(REGULAR, size)
        for word in inside:
            natural = stringWidth(word.text, REGULAR, size)
            target = word.width * scale_x
            body.setHorizScale(100 * target / natural if natural > 0 else 100)
            body.setTextOrigin(left + (word.left - x0) * scale_x, baseline)
            # The trailing space keeps words apart when the text is extracted.
            body.textOut(word.text + " ")
            written += 1
        canvas.drawText(body)
    return written
