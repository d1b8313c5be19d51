"""The stamp band on every exhibit page and the footer on every page.

Drawn as a separate transparent page per document page and laid over it by
the assembler, so imported PDF pages get exactly the same band and footer as
the pages we draw.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from dossier.layout.fonts import BOLD, REGULAR, draw_text, fit_text, page_canvas, register_fonts
from dossier.layout.formats import source_text, timestamp_text
from dossier.layout.style import PageStyle, Strings
from dossier.model import Exhibit


@dataclasses.dataclass(frozen=True, slots=True)
class PageRole:
    """What one page of the document is: front matter, or page k of an exhibit."""

    exhibit: Exhibit | None = None
    page_in_exhibit: int = 0
    exhibit_pages: int = 0


def render_overlay(
    roles: Sequence[PageRole],
    reference: str | None,
    style: PageStyle,
    strings: Strings,
    zone: ZoneInfo,
    out: Path,
) -> None:
    """One overlay page per document page: stamp (exhibit pages) and footer (all)."""
    register_fonts()
    canvas = page_canvas(out, style)
    total = len(roles)
    for number, role in enumerate(roles, start=1):
        if role.exhibit is not None:
            _stamp(canvas, role, style, strings, zone)
        _footer(canvas, number, total, reference, style, strings)
        canvas.showPage()
    canvas.save()


def _stamp(
    canvas: Canvas, role: PageRole, style: PageStyle, strings: Strings, zone: ZoneInfo
) -> None:
    exhibit = role.exhibit
    assert exhibit is not None
    left = style.margin_left
    width = style.content_width
    top = style.height - style.margin_top
    bottom = top - style.stamp_height
    colour = colors.HexColor(style.stamp_colour)
    canvas.setFillColor(colors.HexColor(style.stamp_tint))
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(0.8)
    canvas.rect(left, bottom, width, style.stamp_height, stroke=1, fill=1)
    canvas.setFillColor(colour)
    canvas.rect(left, bottom, 2.2 * mm, style.stamp_height, stroke=0, fill=1)

    pad = 4 * mm
    size = style.stamp_font_size
    line1 = top - 3.2 * mm - style.stamp_label_size * 0.7
    line2 = bottom + 2.6 * mm

    canvas.setFillColor(colour)
    canvas.setFont(BOLD, style.stamp_label_size)
    canvas.drawString(left + pad, line1, exhibit.label)
    label_width = canvas.stringWidth(exhibit.label, BOLD, style.stamp_label_size)

    right_text = strings.format("hash", hash=exhibit.source.short_hash)
    canvas.setFont(REGULAR, size)
    canvas.drawRightString(left + width - 3 * mm, line1, right_text)
    right_width = canvas.stringWidth(right_text, REGULAR, size)

    canvas.setFillColor(colors.black)
    caption_room = width - pad - label_width - right_width - 3 * mm - 8 * mm
    canvas.setFont(REGULAR, size + 0.5)
    draw_text(
        canvas,
        left + pad + label_width + 3 * mm,
        line1,
        fit_text(exhibit.caption, REGULAR, size + 0.5, caption_room),
        REGULAR,
        size + 0.5,
    )

    date = timestamp_text(exhibit.timestamp, strings, zone, long=True)
    source = source_text(exhibit.timestamp, strings)
    page_text = strings.format("exhibit_page", page=role.page_in_exhibit, total=role.exhibit_pages)
    canvas.setFont(REGULAR, size)
    canvas.setFillColor(colors.Color(0.2, 0.2, 0.2))
    canvas.drawRightString(left + width - 3 * mm, line2, page_text)
    room = width - pad - canvas.stringWidth(page_text, REGULAR, size) - 8 * mm
    draw_text(
        canvas,
        left + pad,
        line2,
        fit_text(f"{date} — {source}", REGULAR, size, room),
        REGULAR,
        size,
    )


def _footer(
    canvas: Canvas,
    number: int,
    total: int,
    reference: str | None,
    style: PageStyle,
    strings: Strings,
) -> None:
    canvas.setFont(REGULAR, style.footer_size)
    canvas.setFillColor(colors.Color(0.25, 0.25, 0.25))
    baseline = style.footer_baseline
    canvas.drawRightString(
        style.width - style.margin_right,
        baseline,
        strings.format("page_footer", page=number, total=total),
    )
    draw_text(
        canvas,
        style.margin_left,
        baseline,
        reference or strings["dossier_title"],
        REGULAR,
        style.footer_size,
    )
