"""The pages of email and note exhibits (pictures: ``layout.image``; PDFs keep their own pages).

Each body is drawn inside the content box of ``page.toml``, below the room
left for the stamp band; the band and the footer are added later, when the
page numbers of the whole document are known.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from dossier.formats import long_date
from dossier.layout.fonts import BOLD, REGULAR, register_fonts
from dossier.layouts import PageStyle, Strings
from dossier.model import EmailContent, Exhibit, NoteContent


def render_text_body(
    exhibit: Exhibit, style: PageStyle, strings: Strings, zone: ZoneInfo, out: Path
) -> int:
    """Lay out an email or a note over as many pages as it needs; returns the page count."""
    register_fonts()
    x, y, width, height = style.content_box(stamped=True)
    frame = Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document = BaseDocTemplate(
        str(out),
        pagesize=(style.width, style.height),
        pageTemplates=[PageTemplate(id="body", frames=[frame])],
        invariant=True,
    )
    story: list[Flowable] = []
    content = exhibit.content
    if isinstance(content, EmailContent):
        story += _email_header(content, exhibit, style, strings, zone, width)
        story.append(Spacer(0, style.text_leading))
        text = content.body
    elif isinstance(content, NoteContent):
        text = content.text
    else:
        raise TypeError(f"no text body for {type(content).__name__}")
    story += text_paragraphs(text, style)
    document.build(story)
    return int(document.page)


def body_style(style: PageStyle) -> ParagraphStyle:
    """The paragraph style of running text."""
    return ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=style.text_size,
        leading=style.text_leading,
        spaceAfter=style.text_leading * 0.5,
        splitLongWords=True,
    )


def text_paragraphs(text: str, style: PageStyle) -> list[Flowable]:
    """Paragraphs separated by blank lines; single line breaks are kept."""
    paragraph_style = body_style(style)
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")]
    return [
        Paragraph(escape(block).replace("\n", "<br/>").replace("\t", "    "), paragraph_style)
        for block in blocks
        if block.strip()
    ]


def _email_header(
    content: EmailContent,
    exhibit: Exhibit,
    style: PageStyle,
    strings: Strings,
    zone: ZoneInfo,
    width: float,
) -> list[Flowable]:
    label_style = ParagraphStyle(
        "label", fontName=BOLD, fontSize=style.text_size - 1, leading=style.text_leading
    )
    value_style = ParagraphStyle(
        "value",
        fontName=REGULAR,
        fontSize=style.text_size - 1,
        leading=style.text_leading,
        splitLongWords=True,
    )
    date = content.date_header
    stamp = exhibit.timestamp
    if stamp is not None and stamp.detail == "Date":
        shown = stamp.shown(zone)
        date = (
            f"{content.date_header} ({long_date(shown.date(), strings)}, {shown:%H:%M} {zone.key})"
        )
    rows = [
        ("email.from", content.sender),
        ("email.to", content.to),
        ("email.cc", content.cc),
        ("email.date", date),
        ("email.subject", content.subject or strings["email.no_subject"]),
        ("email.message_id", content.message_id),
    ]
    data = [
        [Paragraph(escape(strings[key]), label_style), Paragraph(escape(value), value_style)]
        for key, value in rows
        if value
    ]
    table = Table(data, colWidths=[width * 0.18, width * 0.82], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.96, 0.96, 0.96)),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.Color(0.7, 0.7, 0.7)),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [table]
