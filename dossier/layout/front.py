"""The first pages: title block, index of exhibits, and the "not included" list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from dossier.layout import escape
from dossier.layout.fonts import (
    BOLD,
    REGULAR,
    ScriptParagraph,
    draw_text,
    page_canvas,
    register_fonts,
)
from dossier.layout.formats import long_date, source_text, timestamp_text
from dossier.layout.style import PageStyle, Strings
from dossier.model import Exhibit, Plan
from dossier.rejections import shown_reason

_PADDING = 2.5


@dataclasses.dataclass(frozen=True, slots=True)
class RowLink:
    """Where an index row was drawn, so the assembler can make it a link."""

    page_index: int  # within the front matter, 0-based
    rect: tuple[float, float, float, float]
    # The exhibit's ``page_key``: its number, or "3a" for an attachment.
    exhibit_number: int | str


@dataclasses.dataclass(frozen=True, slots=True)
class FrontMatter:
    """The rendered front pages and the position of each index row."""

    page_count: int
    links: tuple[RowLink, ...]
    # The page (0-based, within the front matter) where each section starts.
    index_page: int
    not_included_page: int | None


# Table cells wrapped at a width, by (text, style name, width): kept from one
# draft of the index to the next, where only the page numbers change.
CellCache = dict[tuple[str, str, float], Paragraph]


def render_front(
    plan: Plan,
    first_pages: Mapping[int | str, int],
    total_pages: int,
    style: PageStyle,
    strings: Strings,
    now: dt.datetime,
    out: Path | None,
    volumes: Mapping[int | str, int] | None = None,
    cell_cache: CellCache | None = None,
) -> FrontMatter:
    """Draw the index (and the not-included list, if any) into ``out``.

    With ``out`` None nothing is drawn: the pages are only counted, and the
    links measured. ``volumes`` gives the volume of each exhibit (by
    ``page_key``) of a split dossier. ``cell_cache`` lets drafts share
    their wrapped cells.
    """
    register_fonts()
    zone = plan.case.zone
    canvas = None if out is None else page_canvas(out, style)
    writer = _TableWriter(canvas, style, cell_cache)
    writer.title_block(plan, strings, now.astimezone(zone).date(), total_pages)
    columns = [
        (strings["columns.number"], 0.09),
        (strings["columns.description"], 0.45),
        (strings["columns.date"], 0.18),
        (strings["columns.source"], 0.19),
        (strings["columns.page"], 0.09),
    ]
    links = []
    for exhibit in plan.exhibits:
        cells = _index_cells(exhibit, first_pages.get(exhibit.page_key, 0), strings, zone)
        if volumes:
            cells[-1] = strings.format(
                "volume_page", volume=volumes[exhibit.page_key], page=cells[-1]
            )
        page, rect = writer.row(columns, cells)
        links.append(RowLink(page, rect, exhibit.page_key))
    not_included_page = None
    if plan.rejections:
        writer.new_page()
        not_included_page = writer.page
        writer.heading(strings["not_included_title"])
        writer.paragraph(strings["not_included_intro"])
        rejected_columns = [("", 0.45), ("", 0.55)]
        for rejection in plan.rejections:
            # For the recipient: the kind of problem, never a library's words.
            writer.row(
                rejected_columns,
                [rejection.relpath, shown_reason(rejection, strings)],
                header=False,
            )
    if canvas is not None:
        canvas.showPage()
        canvas.save()
    return FrontMatter(writer.page + 1, tuple(links), 0, not_included_page)


def _index_cells(exhibit: Exhibit, first_page: int, strings: Strings, zone: ZoneInfo) -> list[str]:
    return [
        exhibit.ref,
        exhibit.caption,
        timestamp_text(exhibit.timestamp, strings, zone),
        source_text(exhibit.timestamp, strings),
        str(first_page) if first_page else "",
    ]


class _TableWriter:
    """Draws a title, then table rows that break across pages with their header repeated.

    Without a canvas it draws nothing and only moves its cursor: the pages
    are counted, with the same breaks as when drawn.
    """

    def __init__(
        self, canvas: Canvas | None, style: PageStyle, cells: CellCache | None = None
    ) -> None:
        self.canvas = canvas
        self.cells: CellCache = {} if cells is None else cells
        self.style = style
        self.page = 0
        self.top = style.height - style.margin_top
        self.cursor = self.top
        self.header_cells: list[tuple[str, float]] | None = None
        self.cell_style = ParagraphStyle(
            "cell",
            fontName=REGULAR,
            fontSize=style.text_size - 1,
            leading=style.text_size + 2,
            splitLongWords=True,
        )
        self.head_style = ParagraphStyle(
            "head", parent=self.cell_style, fontName=BOLD, textColor=colors.white
        )
        self.text_style = ParagraphStyle(
            "text", fontName=REGULAR, fontSize=style.text_size, leading=style.text_leading
        )

    def new_page(self) -> None:
        if self.canvas is not None:
            self.canvas.showPage()
        self.page += 1
        self.cursor = self.top

    def heading(self, text: str) -> None:
        size = self.style.heading_size
        self.cursor -= size
        if self.canvas is not None:
            self.canvas.setFont(BOLD, size)
            self.canvas.setFillColor(colors.black)
            draw_text(self.canvas, self.style.margin_left, self.cursor, text, BOLD, size)
        self.cursor -= size * 0.8

    def paragraph(self, text: str, style: ParagraphStyle | None = None) -> None:
        paragraph = self._wrapped(text, style or self.text_style, self.style.content_width)
        if self.canvas is not None:
            paragraph.drawOn(self.canvas, self.style.margin_left, self.cursor - paragraph.height)
        self.cursor -= paragraph.height + 4

    def title_block(self, plan: Plan, strings: Strings, today: dt.date, total_pages: int) -> None:
        self.heading(strings["dossier_title"])
        lines = []
        if plan.case.reference:
            lines.append(strings.format("reference", reference=plan.case.reference))
        if plan.case.claimant_name:
            lines.append(strings.format("claimant", name=plan.case.claimant_name))
        lines.append(strings.format("generated", date=long_date(today, strings)))
        lines.append(strings.format("exhibit_count", count=len(plan.exhibits), pages=total_pages))
        for line in lines:
            self.paragraph(line)
        self.cursor -= 6
        self.heading(strings["index_title"])

    def row(
        self, columns: Sequence[tuple[str, float]], cells: Sequence[str], header: bool = True
    ) -> tuple[int, tuple[float, float, float, float]]:
        """Draw one row, after the header at the top of a page; returns its page and rectangle."""
        widths = [self.style.content_width * share for _, share in columns]
        paragraphs = [
            self._wrapped(text, self.cell_style, width - 2 * _PADDING)
            for text, width in zip(cells, widths, strict=True)
        ]
        height = max(p.height for p in paragraphs) + 2 * _PADDING
        if self.cursor - height < self.style.margin_bottom + 8 * mm:
            self.new_page()
            self.header_cells = None
        if header and self.header_cells is None:
            self._header(columns, widths)
            self.header_cells = list(columns)
        x = self.style.margin_left
        bottom = self.cursor - height
        if self.canvas is not None:
            self.canvas.setStrokeColor(colors.Color(0.8, 0.8, 0.8))
            self.canvas.setLineWidth(0.4)
            self.canvas.line(x, bottom, x + self.style.content_width, bottom)
            self._draw_cells(paragraphs, widths)
        self.cursor = bottom
        return self.page, (
            self.style.margin_left,
            bottom,
            self.style.margin_left + self.style.content_width,
            bottom + height,
        )

    def _header(self, columns: Sequence[tuple[str, float]], widths: Sequence[float]) -> None:
        paragraphs = [
            self._wrapped(title, self.head_style, width - 2 * _PADDING)
            for (title, _), width in zip(columns, widths, strict=True)
        ]
        height = max(p.height for p in paragraphs) + 2 * _PADDING
        if self.canvas is not None:
            self.canvas.setFillColor(colors.HexColor(self.style.stamp_colour))
            self.canvas.rect(
                self.style.margin_left,
                self.cursor - height,
                self.style.content_width,
                height,
                stroke=0,
                fill=1,
            )
            self._draw_cells(paragraphs, widths)
        self.cursor -= height

    def _draw_cells(self, paragraphs: Sequence[Paragraph], widths: Sequence[float]) -> None:
        assert self.canvas is not None
        x = self.style.margin_left
        for paragraph, width in zip(paragraphs, widths, strict=True):
            paragraph.drawOn(self.canvas, x + _PADDING, self.cursor - _PADDING - paragraph.height)
            x += width

    def _wrapped(self, text: str, style: ParagraphStyle, width: float) -> Paragraph:
        """``text`` as a paragraph wrapped at ``width``, made once per text, style and width."""
        key = (text, style.name, width)
        paragraph = self.cells.get(key)
        if paragraph is None:
            paragraph = ScriptParagraph(escape(text), style)
            paragraph.wrap(width, 10_000)
            self.cells[key] = paragraph
        return paragraph
