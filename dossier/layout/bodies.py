"""The pages of email and note exhibits (pictures: ``layout.image``; PDFs keep their own pages).

Each body is drawn inside the content box of ``page.toml``, below the room
left for the stamp band; the band and the footer are added later, when the
page numbers of the whole document are known.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import Flowable

from dossier.layout import escape
from dossier.layout.flow import build_flowing
from dossier.layout.fonts import REGULAR, ScriptParagraph, register_fonts
from dossier.layout.style import PageStyle, Strings
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


# Splitting a paragraph across pages re-wraps all of its remaining text, so a
# block of thousands of lines or one huge line (a pasted log, a mis-declared
# base64 part) takes minutes; blocks are cut into paragraphs of at most this
# many lines and characters.
MAX_PARAGRAPH_LINES = 40
MAX_PARAGRAPH_CHARS = 3000


def text_paragraphs(text: str, style: PageStyle) -> list[Flowable]:
    """Paragraphs separated by blank lines; single line breaks are kept."""
    paragraph_style = body_style(style)
    # The same look, without the space after: for all but the last piece of a long block.
    joined_style = ParagraphStyle("body-joined", parent=paragraph_style, spaceAfter=0)
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")]
    paragraphs: list[Flowable] = []
    for block in blocks:
        if not block.strip():
            continue
        pieces = _pieces(block)
        for number, piece in enumerate(pieces, start=1):
            paragraphs.append(
                ScriptParagraph(
                    escape("\n".join(piece)).replace("\n", "<br/>").replace("\t", "    "),
                    paragraph_style if number == len(pieces) else joined_style,
                )
            )
    return paragraphs


def _pieces(block: str) -> list[list[str]]:
    lines = []
    for line in block.split("\n"):
        step = MAX_PARAGRAPH_CHARS
        lines += [line[i : i + step] for i in range(0, len(line), step)] or [""]
    pieces: list[list[str]] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and (len(current) >= MAX_PARAGRAPH_LINES or size + len(line) > step):
            pieces.append(current)
            current, size = [], 0
        current.append(line)
        size += len(line)
    return [*pieces, current] if current else pieces
