"""The cover letter and the order summary page, drawn with reportlab.

The letter text comes from a template (``dossier.letters.letter``) in a small
line-based markup: blocks are separated by blank lines; a block whose first
line starts with ``<<`` is the address block on the right, ``>>`` a line
aligned right, ``#`` the subject, ``##`` a heading, ``- `` a list item,
``::signature`` the signature; ``**text**`` is bold. Everything else is a
paragraph whose line breaks are kept.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dossier.layout import escape
from dossier.layout.fonts import BOLD, REGULAR, ScriptParagraph, register_fonts
from dossier.layout.style import PageStyle, Strings


@dataclasses.dataclass(frozen=True, slots=True)
class SummaryTables:
    """The order summary, ready to draw: every cell already in the case's language."""

    title: str
    facts: Sequence[tuple[str, str]]
    items_header: Sequence[str]
    items: Sequence[Sequence[str]]
    total: tuple[str, str] | None
    amounts: Sequence[tuple[str, str]]
    timeline_title: str
    timeline_header: Sequence[str]
    timeline: Sequence[tuple[str, str, str]]


@dataclasses.dataclass(frozen=True, slots=True)
class LeadPages:
    """The rendered letter and summary: page count and where each starts (0-based)."""

    page_count: int
    letter_page: int | None
    summary_page: int | None


class _PageMark(Flowable):
    """Records the page it lands on, so the outline can point there."""

    def __init__(self, marks: dict[str, int], name: str) -> None:
        super().__init__()
        self.marks = marks
        self.name = name
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.marks[self.name] = self.canv.getPageNumber() - 1


def _styles(style: PageStyle) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "letter", fontName=REGULAR, fontSize=style.text_size, leading=style.text_leading
    )
    return {
        "body": body,
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "subject": ParagraphStyle(
            "subject", parent=body, fontName=BOLD, spaceBefore=4, spaceAfter=6, keepWithNext=1
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=style.text_size + 1,
            spaceBefore=4,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=5 * mm, bulletIndent=1 * mm, bulletFontName=REGULAR
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=style.heading_size, leading=20
        ),
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=style.text_size - 1, leading=style.text_size + 2
        ),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName=BOLD,
            fontSize=style.text_size - 1,
            leading=style.text_size + 2,
            textColor=colors.white,
        ),
    }


def _inline(text: str) -> str:
    """Escape for reportlab's paragraph markup, then turn **bold** into <b>.

    reportlab breaks lines at a narrow no-break space (U+202F, which Babel
    puts in French amounts): it becomes a no-break space, which it keeps.
    """
    text = text.replace("\u202f", "\u00a0")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def split_blocks(text: str) -> list[list[str]]:
    """The blocks of a rendered template: lists of lines, blank lines between."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def letter_flowables(text: str, style: PageStyle, signature: Path | None = None) -> list[Flowable]:
    """The flowables of a letter in the template markup."""
    styles = _styles(style)
    story: list[Flowable] = []
    gap = style.text_leading * 0.6
    for block in split_blocks(text):
        first = block[0]
        if first.startswith("<<"):
            lines = [first[2:].strip(), *block[1:]]
            paragraph = ScriptParagraph(
                "<br/>".join(_inline(line) for line in lines), styles["body"]
            )
            table = Table([["", paragraph]], colWidths=[style.content_width * 0.5, None])
            table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            story += [table, Spacer(0, gap)]
        elif first.startswith(">>"):
            lines = [first[2:].strip(), *block[1:]]
            story += [
                ScriptParagraph("<br/>".join(map(_inline, lines)), styles["right"]),
                Spacer(0, gap),
            ]
        elif first.startswith("## "):
            # No spacer after a heading: it would break keepWithNext, and a
            # heading must never end a page alone.
            story.append(ScriptParagraph(_inline(first[3:]), styles["heading"]))
            story += [ScriptParagraph(_inline(line), styles["body"]) for line in block[1:]]
        elif first.startswith("# "):
            story.append(ScriptParagraph(_inline(first[2:]), styles["subject"]))
        elif first.startswith("::signature"):
            # The closing formula and the signature never part at a page break.
            parts: list[Flowable] = []
            if len(story) >= 2 and isinstance(story[-2], Paragraph):
                parts = story[-2:]
                del story[-2:]
            parts.append(Spacer(0, gap))
            if signature is not None:
                parts.append(_signature_image(signature))
            else:
                parts.append(Spacer(0, 14 * mm))
            parts += [ScriptParagraph(_inline(line), styles["body"]) for line in block[1:]]
            story += [KeepTogether(parts), Spacer(0, gap)]
        elif all(line.startswith("- ") for line in block):
            story += [
                ScriptParagraph(_inline(line[2:]), styles["bullet"], bulletText="•")
                for line in block
            ]
            story.append(Spacer(0, gap))
        else:
            story += [
                ScriptParagraph("<br/>".join(_inline(line) for line in block), styles["body"]),
                Spacer(0, gap),
            ]
    return story


def _signature_image(path: Path) -> Flowable:
    image = Image(_signature_source(path))
    width, height = image.imageWidth, image.imageHeight
    scale = min(60 * mm / width, 22 * mm / height)
    image.drawWidth, image.drawHeight = width * scale, height * scale
    image.hAlign = "LEFT"
    return image


def _signature_source(path: Path) -> str | io.BytesIO:
    """The signature's file, or its pixels in RGB when it is a CMYK JPEG.

    Copied as it is, a CMYK JPEG would print in device CMYK, which a PDF/A
    dossier (sRGB output intent) cannot hold; a signature loses nothing in RGB.
    """
    from PIL import Image as Picture

    with Picture.open(path) as picture:
        if picture.mode != "CMYK":
            return str(path)
        converted = io.BytesIO()
        picture.convert("RGB").save(converted, "PNG")
    converted.seek(0)
    return converted


def summary_flowables(summary: SummaryTables, style: PageStyle) -> list[Flowable]:
    """The order summary page: facts, items with totals, charged against due, timeline."""
    styles = _styles(style)
    width = style.content_width

    def cell(text: str, bold: bool = False) -> Paragraph:
        return ScriptParagraph(
            _inline(text) if not bold else f"<b>{_inline(text)}</b>", styles["cell"]
        )

    def head(text: str) -> Paragraph:
        return ScriptParagraph(_inline(text), styles["head"])

    grid = TableStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.Color(0.8, 0.8, 0.8)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    header = TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(style.stamp_colour))])
    story: list[Flowable] = [
        ScriptParagraph(_inline(summary.title), styles["title"]),
        Spacer(0, 4 * mm),
    ]
    if summary.facts:
        facts = Table(
            [[cell(label, bold=True), cell(value)] for label, value in summary.facts],
            colWidths=[width * 0.32, width * 0.68],
        )
        facts.setStyle(grid)
        story += [facts, Spacer(0, 5 * mm)]
    if summary.items:
        rows: list[list[Any]] = [[head(text) for text in summary.items_header]]
        rows += [[cell(text) for text in row] for row in summary.items]
        if summary.total is not None:
            rows.append([cell(summary.total[0], bold=True), "", "", cell(summary.total[1], True)])
        items = Table(rows, colWidths=[width * 0.52, width * 0.1, width * 0.19, width * 0.19])
        items.setStyle(grid)
        items.setStyle(header)
        if summary.total is not None:
            items.setStyle(TableStyle([("SPAN", (0, -1), (2, -1))]))
        story += [items, Spacer(0, 5 * mm)]
    if summary.amounts:
        amounts = Table(
            [[cell(label, bold=True), cell(value)] for label, value in summary.amounts],
            colWidths=[width * 0.32, width * 0.68],
        )
        amounts.setStyle(grid)
        story += [amounts, Spacer(0, 5 * mm)]
    if summary.timeline:
        story.append(ScriptParagraph(_inline(summary.timeline_title), styles["heading"]))
        story.append(Spacer(0, 2 * mm))
        rows = [[head(text) for text in summary.timeline_header]]
        rows += [[cell(a), cell(b), cell(c)] for a, b, c in summary.timeline]
        timeline = Table(rows, colWidths=[width * 0.2, width * 0.55, width * 0.25], repeatRows=1)
        timeline.setStyle(grid)
        timeline.setStyle(header)
        story.append(timeline)
    return story


def render_lead(
    letter_text: str | None,
    summary: SummaryTables | None,
    style: PageStyle,
    strings: Strings,
    out: Path,
    signature: Path | None = None,
    after_summary: Sequence[Flowable] = (),
) -> LeadPages:
    """Draw the letter, then the order summary (and ``after_summary``) on a new page."""
    register_fonts()
    marks: dict[str, int] = {}
    story: list[Flowable] = []
    if letter_text is not None:
        story.append(_PageMark(marks, "letter"))
        story += letter_flowables(letter_text, style, signature)
    if summary is not None:
        if story:
            story.append(PageBreak())
        story.append(_PageMark(marks, "summary"))
        story += summary_flowables(summary, style)
        story += after_summary
    if not story:
        return LeadPages(0, None, None)
    document = SimpleDocTemplate(
        str(out),
        pagesize=(style.width, style.height),
        leftMargin=style.margin_left,
        rightMargin=style.margin_right,
        topMargin=style.margin_top + 4 * mm,
        bottomMargin=style.margin_bottom + 2 * mm,
        title=strings["dossier_title"],
        invariant=True,
        # reportlab's default, Helvetica, would be named on every page and never embedded.
        initialFontName=REGULAR,
    )
    pages: list[int] = []
    document.build(story, onFirstPage=_count(pages), onLaterPages=_count(pages))
    return LeadPages(len(pages), marks.get("letter"), marks.get("summary"))


def _count(pages: list[int]) -> Any:
    def on_page(canvas: Any, document: Any) -> None:
        pages.append(canvas.getPageNumber())

    return on_page
