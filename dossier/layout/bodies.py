"""The pages of image, email and note exhibits (PDF exhibits keep their own pages).

Each body is drawn inside the content box of ``page.toml``, below the room
left for the stamp band; the band and the footer are added later, when the
page numbers of the whole document are known.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from PIL import Image, ImageOps
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
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
from dossier.model import EmailContent, Exhibit, Kind, NoteContent
from dossier.textlayer import draw_text_layer

# Photos are embedded at up to 200 dpi at their printed size: sharp on paper,
# without carrying a 12-megapixel original into every copy of the dossier.
PRINT_DPI = 200
# Tiny images (icons, 8x8 test stubs) are not blown up beyond this many
# points per pixel.
MAX_POINTS_PER_PIXEL = 3.0


def render_image_body(exhibit: Exhibit, style: PageStyle, out: Path) -> int:
    """Draw each frame of an image exhibit on its own page; returns the page count."""
    register_fonts()
    canvas = Canvas(str(out), pagesize=(style.width, style.height), invariant=True)
    x, y, width, height = style.content_box(stamped=True)
    pages = 0
    # Damage was already reported by the reader; don't print it a second time.
    with warnings.catch_warnings(), Image.open(exhibit.source.path) as image:
        warnings.simplefilter("ignore")
        frames = getattr(image, "n_frames", 1) if exhibit.kind is Kind.TIFF else 1
        for frame in range(frames):
            image.seek(frame)
            data, (pixel_w, pixel_h) = _printable(image, exhibit.kind, width, height)
            scale = min(width / pixel_w, height / pixel_h, MAX_POINTS_PER_PIXEL)
            draw_w, draw_h = pixel_w * scale, pixel_h * scale
            # Centred across, against the top: the eye finds it under the stamp.
            left = x + (width - draw_w) / 2
            bottom = y + height - draw_h
            canvas.drawImage(ImageReader(data), left, bottom, draw_w, draw_h)
            draw_text_layer(
                canvas, exhibit.ocr if frame == 0 else None, (left, bottom, draw_w, draw_h)
            )
            canvas.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
            canvas.setLineWidth(0.4)
            canvas.rect(left, bottom, draw_w, draw_h)
            canvas.showPage()
            pages += 1
    canvas.save()
    return pages


def _printable(
    image: Image.Image, kind: Kind, width: float, height: float
) -> tuple[io.BytesIO, tuple[int, int]]:
    """The frame upright, in RGB, at print resolution, as JPEG or PNG bytes."""
    box = (int(width / 72 * PRINT_DPI), int(height / 72 * PRINT_DPI))
    if image.format == "JPEG":
        # Let the decoder scale down: much faster and smaller in memory.
        image.draft("RGB", (box[0] // 2, box[1] // 2))
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "L"):
        upright = _flatten(upright)
    upright.thumbnail(box, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if kind in (Kind.JPEG, Kind.HEIF, Kind.WEBP) or (kind is Kind.TIFF and upright.mode == "RGB"):
        upright.save(buffer, "JPEG", quality=88, optimize=True)
    else:
        # Screenshots keep sharp text: lossless.
        upright.save(buffer, "PNG", optimize=False, compress_level=6)
    buffer.seek(0)
    return buffer, upright.size


def _flatten(image: Image.Image) -> Image.Image:
    """Any mode to RGB; transparency shows as white, as on paper."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L")
    if image.mode == "CMYK":
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


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
