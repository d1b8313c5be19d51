"""The pages of photo and screenshot exhibits.

Each picture is placed upright inside the content box, below the room left
for the stamp band. The page content only names the picture (``/DsImg0 Do``)
with a transform that turns it upright, crops it and scales it: the pixel data
is attached when the document is assembled (``dossier.pdf.xobjects``), straight
from the file that holds it. Highlights are drawn over the picture as vector
shapes. A tall capture (a phone's scroll screenshot) is cut into slices read at
a legible scale, with a small overlap and a "continued" mark.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from dossier.annotate import image_kind
from dossier.layout.fonts import BOLD, REGULAR, draw_text, fit_text, page_canvas, register_fonts
from dossier.layout.formats import source_text, timestamp_text
from dossier.layout.style import PageStyle, Strings
from dossier.model import Exhibit, Highlight, ImageContent
from dossier.pdf.imagedata import EmbeddedImage, PreparedImages, frame_count, upright_size
from dossier.pdf.textlayer import draw_text_layer

# Tiny images (icons, 8x8 test stubs) are not blown up beyond this many
# points per pixel.
MAX_POINTS_PER_PIXEL = 3.0
# Captures taller than this (height / width) are cut into page-high slices
# instead of being shrunk to a strip.
TALL_RATIO = 2.5
# Screenshots wider than this (width / height) are turned to read along the
# page's length when that prints them at least 25 % larger. Photos never are:
# a photo on its side is harder to look at than a smaller one.
WIDE_RATIO = 1.5
# Captures wider than this are never turned (a thin strip along the page):
# they are printed across the page, or cut into bands stacked down the page,
# whichever prints them larger.
BAND_RATIO = 3.0
# Each band repeats this share of its width from the band before.
BAND_OVERLAP = 0.04
BAND_GAP = 4 * mm
# Each slice repeats this much of the previous one, so no line is cut unseen.
OVERLAP = 10 * mm
MARK_ROOM = 6 * mm
HIGHLIGHT_COLOUR = "#E4003A"
BORDER = colors.Color(0.75, 0.75, 0.75)

# Where a stored pixel (u across, v down, both 0..1) is shown, for each EXIF
# orientation: (across, down) in the upright picture.
_ORIENTATIONS: dict[int, Callable[[float, float], tuple[float, float]]] = {
    1: lambda u, v: (u, v),
    2: lambda u, v: (1 - u, v),
    3: lambda u, v: (1 - u, 1 - v),
    4: lambda u, v: (u, 1 - v),
    5: lambda u, v: (v, u),
    6: lambda u, v: (1 - v, u),
    7: lambda u, v: (1 - v, 1 - u),
    8: lambda u, v: (v, 1 - u),
}


@dataclasses.dataclass(frozen=True, slots=True)
class ImagePlacement:
    """A picture named on one page of a body: attached to that page at assembly."""

    page_index: int  # within the body, 0-based
    name: str
    image: EmbeddedImage


@dataclasses.dataclass(frozen=True, slots=True)
class ImageBody:
    """The body pages of a picture exhibit and the pictures they name."""

    pages: int
    placements: tuple[ImagePlacement, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class _Slice:
    """A part of the upright picture (pixels) and the page rectangle (points) it fills."""

    window: tuple[float, float, float, float]
    rect: tuple[float, float, float, float]
    # Drawn turned a quarter left (read with the page turned), in the frame
    # set by ``turn_frame``.
    turned: bool = False
    # Bands of a wide capture share a page: the last of a page ends it.
    ends_page: bool = True


def picture_scales(exhibit: Exhibit, style: PageStyle) -> list[tuple[int, float]]:
    """(frame, points per pixel) of each picture ``render_image_body`` will ask for.

    Raises:
        OSError: the picture cannot be opened.
    """
    return [(frame, _frame_plan(exhibit, frame, style)[2]) for frame in range(frame_count(exhibit))]


def _frame_plan(
    exhibit: Exhibit, frame: int, style: PageStyle
) -> tuple[tuple[int, int], list[_Slice], float]:
    size = _frame_size(exhibit, frame)
    slices = plan_slices(size, exhibit, style)
    return size, slices, slices[0].rect[2] / slices[0].window[2]


def render_image_body(
    exhibit: Exhibit,
    style: PageStyle,
    strings: Strings,
    images: PreparedImages,
    canvas: Canvas,
) -> ImageBody:
    """Draw each frame of a picture exhibit (sliced when tall) as new pages of ``canvas``.

    The pages of many exhibits can follow one another on one canvas, saved
    once: the placements count pages from the exhibit's first.

    Raises:
        OSError: the picture cannot be decoded.
    """
    register_fonts()
    placements: list[ImagePlacement] = []
    page = 0
    for frame in range(frame_count(exhibit)):
        size, slices, points_per_pixel = _frame_plan(exhibit, frame, style)
        image = images.get(exhibit, frame, points_per_pixel)
        name = f"/DsImg{frame}"
        for k, part in enumerate(slices):
            canvas.saveState()
            if part.turned:
                turn_frame(canvas, style)
            draw_picture(canvas, name, image, size, part.window, part.rect)
            if frame == 0:
                _draw_ocr_words(canvas, exhibit, size, part.window, part.rect)
            draw_highlights(canvas, exhibit.settings.highlight, size, part.window, part.rect)
            canvas.restoreState()
            if not part.ends_page:
                continue
            if k < len(slices) - 1:
                _continued_mark(canvas, strings, part.rect)
            placements.append(ImagePlacement(page, name, image))
            canvas.showPage()
            page += 1
    return ImageBody(page, tuple(placements))


def _draw_ocr_words(
    canvas: Canvas,
    exhibit: Exhibit,
    size: tuple[int, int],
    window: tuple[float, float, float, float],
    rect: tuple[float, float, float, float],
) -> None:
    """The invisible text layer of ``--ocr`` over the part of the picture on this page."""
    text = exhibit.ocr
    if text is None:
        return
    # OCR may have read a scaled copy of the upright picture: map the window to it.
    factor = text.width / size[0]
    wx, wy, ww, wh = window
    crop = (
        round(wx * factor),
        round(wy * factor),
        round((wx + ww) * factor),
        round((wy + wh) * factor),
    )
    draw_text_layer(canvas, text, rect, crop)


def _frame_size(exhibit: Exhibit, frame: int) -> tuple[int, int]:
    content = exhibit.content
    if frame == 0 and isinstance(content, ImageContent):
        return content.width, content.height
    return upright_size(exhibit, frame)


def plan_slices(size: tuple[int, int], exhibit: Exhibit, style: PageStyle) -> list[_Slice]:
    """Where the picture (or its crop) goes: one page, or page-high slices of a tall capture."""
    x, y, width, height = style.content_box(stamped=True)
    wx, wy, ww, wh = _window(exhibit, size)
    fit = min(width / ww, height / wh, MAX_POINTS_PER_PIXEL)
    across = min(width / ww, MAX_POINTS_PER_PIXEL)
    turned_fit = min(height / ww, width / wh, MAX_POINTS_PER_PIXEL)
    if ww / wh > BAND_RATIO:
        bands = _bands((x, y, width, height), (wx, wy, ww, wh))
        if bands and bands[0].rect[2] / bands[0].window[2] > fit:
            return bands
    elif ww / wh >= WIDE_RATIO and turned_fit >= fit * 1.25 and image_kind(exhibit) != "photo":
        # In the turned frame the content box is ``height`` wide and
        # ``width`` high; the picture's top goes to the page's left edge.
        draw_w, draw_h = ww * turned_fit, wh * turned_fit
        rect = ((height - draw_w) / 2, width - draw_h, draw_w, draw_h)
        return [_Slice((wx, wy, ww, wh), rect, turned=True)]
    if wh / ww <= TALL_RATIO or wh * across <= height:
        draw_w, draw_h = ww * fit, wh * fit
        # Centred across, against the top: the eye finds it under the stamp.
        rect = (x + (width - draw_w) / 2, y + height - draw_h, draw_w, draw_h)
        return [_Slice((wx, wy, ww, wh), rect)]
    slice_px = (height - MARK_ROOM) / across
    step = slice_px - OVERLAP / across
    count = max(1, math.ceil((wh - slice_px) / step) + 1)
    slices = []
    for k in range(count):
        top = wy + k * step
        part_h = min(slice_px, wy + wh - top)
        draw_w, draw_h = ww * across, part_h * across
        rect = (x + (width - draw_w) / 2, y + height - draw_h, draw_w, draw_h)
        slices.append(_Slice((wx, top, ww, part_h), rect))
    return slices


def _bands(
    box: tuple[float, float, float, float], window: tuple[float, float, float, float]
) -> list[_Slice]:
    """A wide capture cut into side-by-side parts stacked down one page, at the largest scale.

    Each band overlaps the one before by a little, so no word is cut unseen;
    empty when even two bands do not fit on a page.
    """
    x, y, width, height = box
    wx, wy, ww, wh = window
    best: list[_Slice] = []
    best_scale = 0.0
    for count in range(2, 9):
        part = ww / (count - (count - 1) * BAND_OVERLAP)
        step = part * (1 - BAND_OVERLAP)
        scale = min(width / part, MAX_POINTS_PER_PIXEL)
        if count * wh * scale + (count - 1) * BAND_GAP > height:
            # Fewer, larger bands are cut down to the height that fits.
            scale = min(scale, (height - (count - 1) * BAND_GAP) / (count * wh))
        if scale <= best_scale:
            continue
        best_scale = scale
        best = []
        for k in range(count):
            left = wx + k * step
            draw_w, draw_h = part * scale, wh * scale
            top = y + height - k * (draw_h + BAND_GAP)
            rect = (x + (width - draw_w) / 2, top - draw_h, draw_w, draw_h)
            best.append(_Slice((left, wy, part, wh), rect, ends_page=k == count - 1))
    return best


def turn_frame(canvas: Canvas, style: PageStyle) -> None:
    """Turn the drawing frame a quarter left, its origin at the content box's bottom right.

    A wide screenshot drawn in this frame reads with the page turned a
    quarter clockwise, and fills the page's length instead of its width.
    """
    x, y, width, _ = style.content_box(stamped=True)
    canvas.translate(x + width, y)
    canvas.rotate(90)


def _window(exhibit: Exhibit, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """The part of the upright picture to show: the crop, or all of it."""
    crop = exhibit.settings.crop
    if crop is not None:
        return crop.pixels(*size)
    return 0.0, 0.0, float(size[0]), float(size[1])


def picture_matrix(
    orientation: int, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float, float, float]:
    """The PDF ``cm`` matrix that draws a stored image upright into ``box`` (x, y, w, h).

    PDF draws an image into the unit square, its first row at the top; the
    matrix is found from where three corners of that square must go.
    """
    x, y, w, h = box
    place = _ORIENTATIONS.get(orientation, _ORIENTATIONS[1])

    def on_page(u: float, v: float) -> tuple[float, float]:
        across, down = place(u, v)
        return x + across * w, y + (1 - down) * h

    ox, oy = on_page(0, 1)  # unit square (0, 0): first column, last row
    ax, ay = on_page(1, 1)  # unit square (1, 0)
    cx, cy = on_page(0, 0)  # unit square (0, 1)
    return (ax - ox, ay - oy, cx - ox, cy - oy, ox, oy)


def _full_box(
    size: tuple[int, int],
    window: tuple[float, float, float, float],
    rect: tuple[float, float, float, float],
) -> tuple[float, float, float, float, float]:
    """Where the whole upright picture lies when ``window`` fills ``rect``; and the scale."""
    wx, wy, ww, _ = window
    rx, ry, rw, rh = rect
    scale = rw / ww
    top = ry + rh + wy * scale
    return rx - wx * scale, top - size[1] * scale, size[0] * scale, size[1] * scale, scale


def draw_picture(
    canvas: Canvas,
    name: str,
    image: EmbeddedImage,
    size: tuple[int, int],
    window: tuple[float, float, float, float],
    rect: tuple[float, float, float, float],
) -> None:
    """Name the picture on the page, clipped to ``rect``, and frame it with a thin border."""
    left, bottom, width, height, _ = _full_box(size, window, rect)
    matrix = picture_matrix(image.orientation, (left, bottom, width, height))
    rx, ry, rw, rh = rect
    canvas.addLiteral(
        f"q {rx:.3f} {ry:.3f} {rw:.3f} {rh:.3f} re W n "
        + " ".join(f"{v:.5f}" for v in matrix)
        + f" cm {name} Do Q"
    )
    canvas.setStrokeColor(BORDER)
    canvas.setLineWidth(0.4)
    canvas.rect(rx, ry, rw, rh)


def draw_highlights(
    canvas: Canvas,
    highlights: Sequence[Highlight],
    size: tuple[int, int],
    window: tuple[float, float, float, float],
    rect: tuple[float, float, float, float],
) -> None:
    """Draw each highlight (and its label) over the picture, clipped to ``rect``."""
    if not highlights:
        return
    left, bottom, _, height, scale = _full_box(size, window, rect)
    top = bottom + height
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(*rect)
    canvas.clipPath(path, stroke=0, fill=0)
    colour = colors.HexColor(HIGHLIGHT_COLOUR)
    for mark in highlights:
        x, y, w, h = mark.box.pixels(*size)
        hx, hw, hh = left + x * scale, w * scale, h * scale
        hy = top - y * scale - hh
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(2.2)
        if mark.shape == "ellipse":
            canvas.ellipse(hx, hy, hx + hw, hy + hh)
        else:
            canvas.rect(hx, hy, hw, hh)
        if mark.label:
            _label(canvas, mark.label, hx, hy + hh, rect, colour)
    canvas.restoreState()


def _label(
    canvas: Canvas,
    text: str,
    x: float,
    shape_top: float,
    rect: tuple[float, float, float, float],
    colour: colors.Color,
) -> None:
    size = 8.5
    pad = 2.0
    text = fit_text(text, BOLD, size, rect[2] - 2 * pad)
    width = canvas.stringWidth(text, BOLD, size) + 2 * pad
    height = size + 2 * pad
    # Above the shape when there is room on the picture, else just inside it.
    y = shape_top + 1 if shape_top + 1 + height <= rect[1] + rect[3] else shape_top - height - 1
    x = max(rect[0], min(x, rect[0] + rect[2] - width))
    canvas.setFillColor(colour)
    canvas.rect(x, y, width, height, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, size)
    canvas.drawString(x + pad, y + pad + 1, text)


def _continued_mark(
    canvas: Canvas, strings: Strings, rect: tuple[float, float, float, float]
) -> None:
    rx, ry, rw, _ = rect
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(colors.Color(0.25, 0.25, 0.25))
    canvas.drawRightString(rx + rw, ry - 4 * mm, f"{strings['continued']} ↓")


def render_contact_sheet(
    exhibits: Sequence[Exhibit],
    style: PageStyle,
    strings: Strings,
    zone: ZoneInfo,
    images: PreparedImages,
    out: Path,
) -> ImageBody:
    """Draw 2 (stacked) or 4 (two by two) photos on one page, each with its own label band.

    Raises:
        OSError: a picture cannot be decoded.
    """
    register_fonts()
    canvas = page_canvas(out, style)
    x, y, width, height = style.content_box(stamped=False)
    columns = 2 if len(exhibits) > 2 else 1
    rows = math.ceil(len(exhibits) / columns)
    gap = 5 * mm
    cell_w = (width - gap * (columns - 1)) / columns
    cell_h = (height - gap * (rows - 1)) / rows
    placements = []
    for k, exhibit in enumerate(exhibits):
        column, row = k % columns, k // columns
        left = x + column * (cell_w + gap)
        top = y + height - row * (cell_h + gap)
        band = _sheet_band(canvas, exhibit, style, strings, zone, left, top, cell_w)
        size = _frame_size(exhibit, 0)
        window = _window(exhibit, size)
        room_h = cell_h - band - 2 * mm
        scale = min(cell_w / window[2], room_h / window[3], MAX_POINTS_PER_PIXEL)
        draw_w, draw_h = window[2] * scale, window[3] * scale
        rect = (left + (cell_w - draw_w) / 2, top - band - 2 * mm - draw_h, draw_w, draw_h)
        image = images.get(exhibit, 0, scale)
        name = f"/DsImg{k}"
        draw_picture(canvas, name, image, size, window, rect)
        draw_highlights(canvas, exhibit.settings.highlight, size, window, rect)
        placements.append(ImagePlacement(0, name, image))
    canvas.showPage()
    canvas.save()
    return ImageBody(1, tuple(placements))


def _sheet_band(
    canvas: Canvas,
    exhibit: Exhibit,
    style: PageStyle,
    strings: Strings,
    zone: ZoneInfo,
    left: float,
    top: float,
    width: float,
) -> float:
    """A small stamp over one photo of a contact sheet; returns its height."""
    height = 11 * mm
    colour = colors.HexColor(style.stamp_colour)
    canvas.setFillColor(colors.HexColor(style.stamp_tint))
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(0.6)
    canvas.rect(left, top - height, width, height, stroke=1, fill=1)
    canvas.setFillColor(colour)
    canvas.rect(left, top - height, 1.6 * mm, height, stroke=0, fill=1)
    pad = 3 * mm
    size = style.stamp_font_size - 0.5
    canvas.setFont(BOLD, size + 1)
    canvas.drawString(left + pad, top - 4.2 * mm, exhibit.label)
    label_w = canvas.stringWidth(exhibit.label, BOLD, size + 1) + 2 * mm
    canvas.setFillColor(colors.black)
    canvas.setFont(REGULAR, size)
    room = width - pad - label_w - 2 * mm
    draw_text(
        canvas,
        left + pad + label_w,
        top - 4.2 * mm,
        fit_text(exhibit.caption, REGULAR, size, room),
        REGULAR,
        size,
    )
    line = (
        f"{timestamp_text(exhibit.timestamp, strings, zone, long=True)} — "
        f"{source_text(exhibit.timestamp, strings)} — "
        f"{strings.format('hash', hash=exhibit.source.short_hash)}"
    )
    canvas.setFillColor(colors.Color(0.2, 0.2, 0.2))
    draw_text(
        canvas,
        left + pad,
        top - 8.6 * mm,
        fit_text(line, REGULAR, size, width - 2 * pad),
        REGULAR,
        size,
    )
    return height
