"""The pages of email and note exhibits (pictures: ``layout.image``; PDFs keep their own pages).

Each body is drawn inside the content box of ``page.toml``, below the room
left for the stamp band; the band and the footer are added later, when the
page numbers of the whole document are known.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from dossier.layout.flow import build_flowing
from dossier.layout.fonts import REGULAR, register_fonts
from dossier.layouts import PageStyle, Strings
from dossier.model import EmailContent, Exhibit, NoteContent


def render_text_body(
    exhibit: Exhibit, style: PageStyle, strings: Strings, zone: ZoneInfo, out: Path
) -> int:
    """Lay out an email or a note over as many pages as it needs; returns the page count."""
    if isinstance(exhibit.content, EmailContent):
        from dossier.layout.email import render_email_body

        return render_email_body(exhibit, style, strings, zone, out)
    register_fonts()  # paragraphs look up the font's bold face as they are made
    content = exhibit.content
    if not isinstance(content, NoteContent):
        raise TypeError(f"no text body for {type(content).__name__}")
    return build_flowing(text_paragraphs(content.text, style), style, out, stamped=True)


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
