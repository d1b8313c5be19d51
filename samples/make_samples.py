"""Generate the example case folders in ``samples/``.

Usage::

    python samples/make_samples.py

The output is deterministic: every run writes the same bytes (fixed dates,
seeded randomness, fixed e-mail Message-IDs and MIME boundaries, reportlab in
invariant mode with a fixed CreationDate).  All people, addresses, card
numbers, IBANs and reference numbers are invented.

Cases written next to this script:

* ``damaged-parcel/`` (French): three phone photos with EXIF, an order
  confirmation e-mail, a customer-service e-mail, a PDF invoice, ``case.toml``.
* ``double-charge/`` (Dutch): two banking-app screenshots, an order
  confirmation e-mail, the claimant's own chat notes, ``case.toml``.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FONT_DIRS: tuple[Path, ...] = (
    REPO / "layouts" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)

RGB = tuple[int, int, int]
Point = tuple[float, float]
Stops = Sequence[tuple[float, RGB]]

BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)

# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------

_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font_path(name: str) -> Path:
    """Return the first existing DejaVu font file called *name*."""
    for directory in FONT_DIRS:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in FONT_DIRS)
    raise SystemExit(f"font {name} not found (searched: {searched})")


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Return a cached DejaVu Sans font of *size* pixels."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    key = (name, size)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(str(font_path(name)), size)
    return _FONT_CACHE[key]


# --------------------------------------------------------------------------
# Small drawing helpers
# --------------------------------------------------------------------------


def _interp(stops: Stops, t: float) -> RGB:
    """Colour at position *t* (0..1) of a piecewise linear gradient."""
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, c0), (t1, c1) in itertools.pairwise(stops):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            r = round(c0[0] + (c1[0] - c0[0]) * f)
            g = round(c0[1] + (c1[1] - c0[1]) * f)
            b = round(c0[2] + (c1[2] - c0[2]) * f)
            return (r, g, b)
    return stops[-1][1]


def gradient(size: tuple[int, int], stops: Stops, *, horizontal: bool = False) -> Image.Image:
    """A ``size`` RGB image filled with a linear gradient (top→bottom by default)."""
    w, h = size
    n = max(1, w if horizontal else h)
    line = Image.new("RGB", (n, 1))
    line.putdata([_interp(stops, i / (n - 1) if n > 1 else 0.0) for i in range(n)])
    if not horizontal:
        line = line.transpose(Image.Transpose.ROTATE_270)
    return line.resize((max(1, w), max(1, h)), Image.Resampling.NEAREST)


def _bbox(pts: Sequence[Point]) -> tuple[int, int, int, int]:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1


def fill_poly(
    img: Image.Image, pts: Sequence[Point], stops: Stops, *, horizontal: bool = False
) -> None:
    """Fill polygon *pts* on *img* with a gradient spanning its bounding box."""
    x0, y0, x1, y1 = _bbox(pts)
    grad = gradient((x1 - x0, y1 - y0), stops, horizontal=horizontal)
    mask = Image.new("L", grad.size, 0)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in pts], fill=255)
    img.paste(grad, (x0, y0), mask)


def soft_shape(
    img: Image.Image,
    paint: Callable[[ImageDraw.ImageDraw], None],
    *,
    color: RGB = BLACK,
    blur: float = 10.0,
) -> Image.Image:
    """Blend *color* through a blurred mask drawn by *paint* (shadows, dents, glare)."""
    mask = Image.new("L", img.size, 0)
    paint(ImageDraw.Draw(mask))
    if blur > 0:
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    return Image.composite(Image.new("RGB", img.size, color), img, mask)


def text_layer(
    text: str, fnt: ImageFont.FreeTypeFont, fill: tuple[int, int, int, int], pad: int = 6
) -> Image.Image:
    """Render *text* on a transparent RGBA layer just large enough for it."""
    x0, y0, x1, y1 = fnt.getbbox(text)
    left, top, right, bottom = math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)
    layer = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((pad - left, pad - top), text, font=fnt, fill=fill)
    return layer


def shear(layer: Image.Image, slope: float, xscale: float = 1.0) -> Image.Image:
    """Shear an RGBA layer vertically (y += slope * x) so it follows a box edge."""
    w, h = layer.size
    if xscale != 1.0:
        w = max(1, round(w * xscale))
        layer = layer.resize((w, h), Image.Resampling.BICUBIC)
    extra = abs(slope) * w
    out_h = round(h + extra)
    offset = -extra if slope < 0 else 0.0
    return layer.transform(
        (w, out_h),
        Image.Transform.AFFINE,
        (1, 0, 0, -slope, 1, offset),
        resample=Image.Resampling.BICUBIC,
    )


def paste_centered(img: Image.Image, layer: Image.Image, center: Point) -> None:
    """Alpha-composite *layer* onto *img* centred on *center*."""
    x = round(center[0] - layer.width / 2)
    y = round(center[1] - layer.height / 2)
    img.paste(layer, (x, y), layer)


def overlay_poly(img: Image.Image, pts: Sequence[Point], rgba: tuple[int, int, int, int]) -> None:
    """Draw a translucent polygon (tape, plastic) onto *img*."""
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).polygon(list(pts), fill=rgba)
    img.paste(layer, (0, 0), layer)


def crease(
    draw: ImageDraw.ImageDraw, pts: Sequence[Point], dark: RGB, light: RGB, width: int = 3
) -> None:
    """A fold in cardboard: a dark line with a light highlight next to it."""
    draw.line([(x + 2, y + 2) for x, y in pts], fill=light, width=max(1, width - 1))
    draw.line(list(pts), fill=dark, width=width)


def finish_photo(img: Image.Image, seed: int) -> Image.Image:
    """Make a flat drawing look more like a phone photo: blur, tint, vignette, grain."""
    w, h = img.size
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    img = ImageChops.multiply(img, Image.new("RGB", img.size, (255, 247, 236)))
    vignette = Image.radial_gradient("L").resize((w, h), Image.Resampling.BILINEAR)
    vignette = vignette.point(lambda v: int(max(0, v - 105) * 0.6))
    img = Image.composite(Image.new("RGB", img.size, BLACK), img, vignette)
    rng = random.Random(seed)
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    grain = grain.filter(ImageFilter.GaussianBlur(0.5)).point(lambda v: v * 16 // 255)
    return ImageChops.add(img, Image.merge("RGB", (grain, grain, grain)), 1.0, -8)


def parquet(size: tuple[int, int], seed: int, plank_h: int = 64) -> Image.Image:
    """Oak floor boards running left to right."""
    w, h = size
    rng = random.Random(seed)
    img = Image.new("RGB", size, (140, 96, 58))
    draw = ImageDraw.Draw(img)
    for y in range(0, h, plank_h):
        x = -rng.randint(0, 400)
        while x < w:
            length = rng.randint(360, 640)
            shade = rng.randint(-20, 16)
            base = (
                158 + shade + rng.randint(-4, 4),
                108 + shade * 3 // 4 + rng.randint(-3, 3),
                64 + shade // 2 + rng.randint(-3, 3),
            )
            lighter = (min(255, base[0] + 14), min(255, base[1] + 10), min(255, base[2] + 6))
            fill_poly(
                img,
                [(x, y), (x + length, y), (x + length, y + plank_h), (x, y + plank_h)],
                [(0.0, lighter), (1.0, base)],
            )
            for _ in range(7):
                gy = y + rng.randint(5, plank_h - 5)
                dy = rng.randint(-4, 4)
                tone = rng.randint(18, 34)
                grain_col = (base[0] - tone, base[1] - tone, base[2] - tone // 2)
                draw.line(
                    [(x, gy), (x + length // 2, gy + dy), (x + length, gy)], fill=grain_col, width=1
                )
            draw.line([(x, y), (x, y + plank_h)], fill=(70, 45, 25), width=3)
            x += length
        draw.line([(0, y), (w, y)], fill=(72, 46, 26), width=3)
    return img


# --------------------------------------------------------------------------
# EXIF
# --------------------------------------------------------------------------

TAG_MAKE = 0x010F
TAG_MODEL = 0x0110
TAG_ORIENTATION = 0x0112
TAG_SOFTWARE = 0x0131
TAG_DATETIME = 0x0132
IFD_EXIF = 0x8769
TAG_EXIF_VERSION = 0x9000
TAG_DATETIME_ORIGINAL = 0x9003
TAG_DATETIME_DIGITIZED = 0x9004
TAG_OFFSET_TIME_ORIGINAL = 0x9011
TAG_SUBSEC_TIME_ORIGINAL = 0x9291
TAG_PIXEL_X = 0xA002
TAG_PIXEL_Y = 0xA003


def phone_exif(
    stored_size: tuple[int, int],
    taken: str,
    *,
    orientation: int = 1,
    offset: str | None = None,
    subsec: str | None = None,
) -> Image.Exif:
    """EXIF block as a Pixel 7a would write it (trimmed to the useful tags)."""
    exif = Image.Exif()
    exif[TAG_MAKE] = "Google"
    exif[TAG_MODEL] = "Pixel 7a"
    exif[TAG_ORIENTATION] = orientation
    exif[TAG_SOFTWARE] = "HDR+ 1.0.641377693zd"
    exif[TAG_DATETIME] = taken
    sub = exif.get_ifd(IFD_EXIF)
    sub[TAG_EXIF_VERSION] = b"0232"
    sub[TAG_DATETIME_ORIGINAL] = taken
    sub[TAG_DATETIME_DIGITIZED] = taken
    if offset is not None:
        sub[TAG_OFFSET_TIME_ORIGINAL] = offset
    if subsec is not None:
        sub[TAG_SUBSEC_TIME_ORIGINAL] = subsec
    sub[TAG_PIXEL_X] = stored_size[0]
    sub[TAG_PIXEL_Y] = stored_size[1]
    return exif


def save_jpeg(img: Image.Image, path: Path, exif: Image.Exif) -> None:
    img.save(path, "JPEG", quality=80, exif=exif)


# --------------------------------------------------------------------------
# Case 1: damaged parcel (French) — photos
# --------------------------------------------------------------------------

CARDBOARD_LIGHT: RGB = (222, 184, 134)
CARDBOARD: RGB = (198, 156, 106)
CARDBOARD_DARK: RGB = (150, 110, 70)
CREASE_DARK: RGB = (112, 78, 46)
CREASE_LIGHT: RGB = (236, 204, 160)


def shipping_label(width: int, height: int) -> Image.Image:
    """A white address label with a barcode, as an RGBA layer."""
    label = Image.new("RGBA", (width, height), (248, 248, 244, 255))
    draw = ImageDraw.Draw(label)
    draw.rectangle([0, 0, width - 1, height - 1], outline=(190, 190, 185, 255), width=2)
    small = font(12, bold=True)
    lines = ["À : Ł. DVOŘÁK-MÜLLER", "RUE DE LA STATION 12", "1000 BRUXELLES  BE"]
    for i, line in enumerate(lines):
        draw.text((8, 6 + 17 * i), line, font=small, fill=(30, 30, 30, 255))
    rng = random.Random(402)
    x = 8
    while x < width - 12:
        bar = rng.choice((1, 2, 3, 4))
        draw.rectangle([x, height - 42, x + bar - 1, height - 10], fill=(20, 20, 20, 255))
        x += bar + rng.choice((1, 2, 3))
    return label


def photo_crushed_parcel() -> Image.Image:
    """IMG_20261030_101500: the parcel as found on the doorstep, crushed."""
    w, h = 1200, 900
    img = Image.new("RGB", (w, h))
    # Wall and skirting board.
    img.paste(gradient((w, 250), [(0.0, (214, 208, 196)), (1.0, (190, 182, 168))]), (0, 0))
    # Floor with a simple perspective.
    floor_tex = parquet((2400, 700), seed=11)
    floor = floor_tex.transform(
        (w, h - 240),
        Image.Transform.QUAD,
        (0, 0, 700, 700, 1700, 700, 2400, 0),
        resample=Image.Resampling.BILINEAR,
    )
    floor = ImageChops.multiply(floor, gradient(floor.size, [(0.0, (170, 170, 170)), (1.0, WHITE)]))
    img.paste(floor, (0, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 205, w, 244], fill=(236, 232, 224))
    draw.line([(0, 206), (w, 206)], fill=(250, 250, 246), width=3)
    draw.line([(0, 244), (w, 244)], fill=(120, 110, 96), width=2)
    # Door frame on the left.
    fill_poly(
        img,
        [(0, 0), (95, 0), (95, 244), (0, 244)],
        [(0.0, (120, 84, 52)), (1.0, (92, 62, 38))],
        horizontal=True,
    )

    # Shadow of the box.
    shadow_pts: list[Point] = [
        (285, 745),
        (820, 772),
        (1000, 655),
        (1070, 640),
        (1090, 705),
        (860, 830),
        (270, 800),
    ]
    img = soft_shape(img, lambda d: d.polygon(shadow_pts, fill=170), blur=22)

    front_top: list[Point] = [
        (290, 440),
        (420, 470),
        (520, 515),
        (610, 500),
        (700, 468),
        (810, 478),
    ]
    front = [*front_top, (820, 770), (300, 745)]
    side: list[Point] = [(810, 478), (1010, 395), (995, 660), (820, 770)]
    top: list[Point] = [(290, 440), (500, 335), (1010, 395), (810, 478), *reversed(front_top[1:-1])]

    fill_poly(img, top, [(0.0, (232, 198, 150)), (1.0, CARDBOARD_LIGHT)])
    fill_poly(img, front, [(0.0, CARDBOARD), (0.5, (190, 148, 100)), (1.0, (172, 130, 86))])
    fill_poly(img, side, [(0.0, (168, 126, 82)), (1.0, CARDBOARD_DARK)], horizontal=True)

    # Dent shading under the crushed front edge.
    img = soft_shape(
        img,
        lambda d: d.polygon(
            [(420, 470), (520, 515), (610, 500), (640, 575), (540, 595), (430, 550)], fill=70
        ),
        blur=18,
        color=(70, 45, 20),
    )

    # Big "COLIS" print and the address label on the front face.
    colis = shear(text_layer("COLIS", font(92, bold=True), (25, 22, 20, 225)), 0.05)
    paste_centered(img, colis, (462, 640))
    label = shear(shipping_label(186, 106), 0.05)
    paste_centered(img, label, (714, 668))
    # "FRAGILE" in red on the side face.
    fragile = shear(
        text_layer("FRAGILE", font(40, bold=True), (190, 24, 24, 230)), -0.55, xscale=0.8
    )
    paste_centered(img, fragile, (905, 560))
    draw = ImageDraw.Draw(img)
    # Brown tape along the top seam.
    overlay_poly(img, [(372, 378), (935, 424), (925, 452), (392, 408)], (176, 120, 60, 150))

    # Creases from the impact.
    crease(draw, [(520, 515), (548, 440), (575, 365)], CREASE_DARK, CREASE_LIGHT)
    crease(draw, [(610, 500), (665, 435), (715, 372)], CREASE_DARK, CREASE_LIGHT)
    crease(
        draw, [(520, 515), (528, 580), (541, 650), (552, 742)], CREASE_DARK, CREASE_LIGHT, width=4
    )
    crease(draw, [(420, 470), (428, 540), (436, 600)], CREASE_DARK, CREASE_LIGHT)
    crease(draw, [(700, 468), (712, 560)], CREASE_DARK, CREASE_LIGHT)
    crease(draw, [(905, 438), (915, 520), (900, 610)], CREASE_DARK, (184, 142, 96))
    # Edges of the box.
    draw.line(front_top, fill=(120, 86, 52), width=3)
    draw.line([(810, 478), (820, 770)], fill=(120, 86, 52), width=3)
    draw.line([(500, 335), (1010, 395)], fill=(170, 130, 88), width=2)
    # Torn corner at the bottom right of the front face.
    draw.polygon([(770, 742), (818, 768), (806, 700)], fill=(58, 40, 24))
    draw.polygon([(806, 700), (770, 742), (752, 690)], fill=(214, 176, 128))
    draw.line([(806, 700), (752, 690), (770, 742)], fill=(130, 94, 58), width=2)
    return finish_photo(img, seed=101500)


def photo_broken_kettle_upright() -> Image.Image:
    """IMG_20261030_101622, upright (portrait): the kettle on the counter, cracked."""
    w, h = 900, 1200
    img = Image.new("RGB", (w, h))
    # Tiled wall.
    img.paste(
        gradient((w, 720), [(0.0, (236, 236, 232)), (1.0, (212, 212, 206))], horizontal=True),
        (0, 0),
    )
    draw = ImageDraw.Draw(img)
    for x in range(0, w, 150):
        draw.line([(x, 0), (x, 720)], fill=(176, 176, 170), width=3)
    for y in range(0, 720, 150):
        draw.line([(0, y), (w, y)], fill=(176, 176, 170), width=3)
    # Worktop (grey granite).
    img.paste(gradient((w, h - 720), [(0.0, (120, 120, 124)), (1.0, (84, 84, 88))]), (0, 720))
    rng = random.Random(1622)
    for _ in range(2600):
        x = rng.randint(0, w)
        y = rng.randint(724, h)
        tone = rng.choice(((60, 60, 62), (160, 158, 156), (200, 198, 196), (40, 40, 44)))
        r = rng.choice((1, 1, 2, 3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tone)
    draw.rectangle([0, 716, w, 730], fill=(150, 150, 154))

    # Paper note taped to the wall: HAUT ↑ (marks the top of the picture).
    note = Image.new("RGBA", (640, 230), (252, 250, 238, 255))
    nd = ImageDraw.Draw(note)
    nd.text((40, 40), "HAUT", font=font(130, bold=True), fill=(15, 15, 15, 255))
    nd.polygon(
        [(520, 20), (610, 120), (560, 120), (560, 210), (480, 210), (480, 120), (430, 120)],
        fill=(200, 20, 20, 255),
    )
    note = note.rotate(-2, resample=Image.Resampling.BICUBIC, expand=True)
    img = soft_shape(img, lambda d: d.rectangle([140, 60, 790, 300], fill=90), blur=14)
    paste_centered(img, note, (450, 170))
    draw = ImageDraw.Draw(img)
    overlay_poly(img, [(120, 50), (230, 42), (234, 82), (124, 90)], (236, 226, 180, 170))
    overlay_poly(img, [(670, 48), (780, 56), (776, 96), (666, 88)], (236, 226, 180, 170))
    draw.text((300, 310), "↑ HAUT ↑", font=font(44, bold=True), fill=(150, 20, 20))

    # Shadow, base plate, body.
    img = soft_shape(img, lambda d: d.ellipse([190, 960, 700, 1080], fill=150), blur=20)
    draw = ImageDraw.Draw(img)
    draw.ellipse([230, 960, 620, 1040], fill=(28, 28, 30))
    draw.ellipse([240, 955, 610, 1022], fill=(48, 48, 52))
    body: list[Point] = [(300, 520), (540, 520), (590, 990), (250, 990)]
    steel = [
        (0.0, (120, 124, 130)),
        (0.25, (236, 238, 240)),
        (0.45, (250, 250, 250)),
        (0.8, (150, 154, 160)),
        (1.0, (96, 100, 106)),
    ]
    fill_poly(img, body, steel, horizontal=True)
    fill_poly(
        img,
        [(250, 965), (590, 965), (595, 1000), (245, 1000)],
        [(0.0, (40, 40, 44)), (0.5, (90, 90, 96)), (1.0, (30, 30, 34))],
        horizontal=True,
    )
    draw = ImageDraw.Draw(img)
    draw.ellipse([296, 500, 544, 545], fill=(60, 62, 66))  # opening, lid missing
    draw.ellipse([306, 506, 534, 538], fill=(24, 24, 26))
    # Spout.
    fill_poly(
        img,
        [(300, 540), (228, 505), (236, 540), (306, 600)],
        [(0.0, (210, 212, 216)), (1.0, (130, 134, 140))],
    )
    # Water gauge.
    fill_poly(
        img,
        [(330, 640), (360, 640), (366, 900), (334, 900)],
        [(0.0, (150, 190, 210)), (1.0, (90, 130, 160))],
        horizontal=True,
    )
    small = font(22, bold=True)
    for label, y in (("1,7 L", 650), ("1,0", 770), ("0,5", 860)):
        draw.line([(362, y + 12), (378, y + 12)], fill=(40, 40, 40), width=2)
        draw.text((384, y), label, font=small, fill=(40, 40, 40))
    # Handle, broken off at the top.
    draw.line(
        [(545, 610), (640, 600), (672, 700), (660, 840), (580, 900)],
        fill=(26, 26, 28),
        width=34,
        joint="curve",
    )
    draw.polygon([(640, 585), (662, 570), (670, 612), (646, 620)], fill=(26, 26, 28))
    # Crack across the body.
    crack = [(318, 560), (352, 620), (340, 660), (392, 730), (380, 780), (440, 860), (432, 930)]
    draw.line(crack, fill=(20, 20, 20), width=5)
    draw.line([(392, 730), (450, 718), (492, 760)], fill=(30, 30, 30), width=3)
    draw.line([(380, 780), (332, 812)], fill=(30, 30, 30), width=3)
    draw.line([(x + 4, y) for x, y in crack], fill=(255, 255, 255), width=1)

    # Lid lying on the worktop and plastic shards.
    img = soft_shape(img, lambda d: d.ellipse([640, 1060, 860, 1140], fill=140), blur=12)
    draw = ImageDraw.Draw(img)
    draw.ellipse([640, 1040, 850, 1110], fill=(58, 60, 64))
    draw.ellipse([668, 1050, 822, 1094], fill=(150, 154, 160))
    draw.rectangle([728, 1030, 760, 1048], fill=(30, 30, 32))
    shards: list[list[Point]] = [
        [(150, 1080), (186, 1062), (176, 1100)],
        [(520, 1120), (566, 1102), (548, 1146), (530, 1140)],
        [(96, 1140), (130, 1128), (120, 1160)],
        [(660, 640), (684, 630), (676, 666)],
    ]
    for shard in shards:
        draw.polygon(shard, fill=(214, 216, 220), outline=(120, 120, 124))
    return finish_photo(img, seed=101622)


def photo_open_box() -> Image.Image:
    """PXL_20261030_101745123: the opened box seen from above, kettle in pieces."""
    img = parquet((900, 1200), seed=17).transpose(Image.Transpose.ROTATE_90)
    img = ImageChops.multiply(
        img, gradient(img.size, [(0.0, WHITE), (1.0, (200, 200, 200))], horizontal=True)
    )
    img = soft_shape(
        img,
        lambda d: d.polygon(
            [(240, 120), (1020, 110), (1060, 700), (900, 860), (360, 870), (240, 700)], fill=150
        ),
        blur=30,
    )

    outer = (380, 250, 840, 650)
    inner = (425, 290, 795, 612)
    ox0, oy0, ox1, oy1 = outer
    ix0, iy0, ix1, iy1 = inner
    # Flaps.
    fill_poly(
        img,
        [(ox0, oy0), (ox1, oy0), (818, 108), (402, 92)],
        [(0.0, (226, 190, 142)), (1.0, CARDBOARD)],
    )
    fill_poly(
        img,
        [(ox0, oy1), (ox1, oy1), (862, 828), (366, 838)],
        [(0.0, CARDBOARD), (1.0, (214, 176, 128))],
    )
    fill_poly(
        img,
        [(ox0, oy0), (ox0, oy1), (226, 642), (214, 262)],
        [(0.0, (206, 166, 118)), (1.0, CARDBOARD)],
        horizontal=True,
    )
    fill_poly(
        img,
        [(ox1, oy0), (ox1, oy1), (1004, 664), (992, 236)],
        [(0.0, CARDBOARD), (1.0, (184, 144, 98))],
        horizontal=True,
    )
    # Inner walls and bottom of the box.
    fill_poly(
        img,
        [(ox0, oy0), (ox1, oy0), (ix1, iy0), (ix0, iy0)],
        [(0.0, (120, 86, 52)), (1.0, (98, 68, 40))],
    )
    fill_poly(
        img,
        [(ox0, oy1), (ox1, oy1), (ix1, iy1), (ix0, iy1)],
        [(0.0, (176, 136, 92)), (1.0, (150, 112, 72))],
    )
    fill_poly(
        img,
        [(ox0, oy0), (ox0, oy1), (ix0, iy1), (ix0, iy0)],
        [(0.0, (132, 96, 60)), (1.0, (112, 80, 48))],
        horizontal=True,
    )
    fill_poly(
        img,
        [(ox1, oy0), (ox1, oy1), (ix1, iy1), (ix1, iy0)],
        [(0.0, (160, 122, 80)), (1.0, (140, 104, 66))],
        horizontal=True,
    )
    img.paste(
        gradient((ix1 - ix0, iy1 - iy0), [(0.0, (110, 78, 46)), (1.0, (136, 100, 62))]), (ix0, iy0)
    )

    # Crumpled packing paper.
    rng = random.Random(1745)
    draw = ImageDraw.Draw(img)
    for _ in range(26):
        cx = rng.randint(ix0 + 10, ix1 - 10)
        cy = rng.choice((rng.randint(iy0, iy0 + 90), rng.randint(iy1 - 90, iy1)))
        pts = [
            (cx + r * math.cos(a) * 1.5, cy + r * math.sin(a))
            for a, r in sorted((rng.uniform(0, 2 * math.pi), rng.uniform(18, 48)) for _ in range(9))
        ]
        tone = rng.randint(218, 240)
        draw.polygon(
            pts, fill=(tone, tone - 6, tone - 16), outline=(tone - 50, tone - 56, tone - 64)
        )
        draw.line(pts[:3], fill=(tone - 40, tone - 46, tone - 56), width=2)

    # Kettle body lying on its side, split open.
    kettle = Image.new("RGBA", (360, 200), (0, 0, 0, 0))
    steel = [
        (0.0, (110, 114, 120)),
        (0.3, (240, 242, 244)),
        (0.5, (252, 252, 252)),
        (0.85, (140, 144, 150)),
        (1.0, (96, 100, 106)),
    ]
    body = gradient((300, 170), steel)
    bmask = Image.new("L", body.size, 0)
    ImageDraw.Draw(bmask).rounded_rectangle([0, 0, 299, 169], radius=30, fill=255)
    kettle.paste(body, (20, 15), bmask)
    kd = ImageDraw.Draw(kettle)
    kd.ellipse([290, 15, 350, 185], fill=(40, 40, 44, 255))
    kd.ellipse([300, 30, 340, 170], fill=(20, 20, 22, 255))
    kd.line(
        [(60, 20), (90, 70), (80, 100), (130, 140), (120, 185)], fill=(15, 15, 15, 255), width=6
    )
    kd.line([(90, 70), (150, 60), (190, 90)], fill=(25, 25, 25, 255), width=3)
    kettle = kettle.rotate(18, resample=Image.Resampling.BICUBIC, expand=True)
    img = soft_shape(img, lambda d: d.ellipse([470, 380, 800, 560], fill=120), blur=16)
    paste_centered(img, kettle, (600, 450))
    draw = ImageDraw.Draw(img)
    # Detached handle, lid and shards.
    draw.line(
        [(690, 560), (740, 520), (770, 560), (760, 600)], fill=(24, 24, 26), width=26, joint="curve"
    )
    draw.ellipse([455, 520, 565, 580], fill=(60, 62, 66))
    draw.ellipse([470, 530, 550, 570], fill=(150, 154, 160))
    for _ in range(9):
        cx = rng.randint(470, 760)
        cy = rng.randint(330, 590)
        pts = [(cx + rng.randint(-16, 16), cy + rng.randint(-12, 12)) for _ in range(3)]
        draw.polygon(pts, fill=(220, 222, 226), outline=(110, 110, 116))

    # Cut tape on the flaps, and creases on the front flap.
    overlay_poly(img, [(580, 92), (640, 94), (646, 250), (586, 250)], (170, 114, 56, 160))
    crease(draw, [(400, 660), (470, 740), (455, 830)], CREASE_DARK, CREASE_LIGHT)
    crease(draw, [(840, 690), (780, 760)], CREASE_DARK, CREASE_LIGHT)
    colis = text_layer("COLIS", font(96, bold=True), (25, 22, 20, 225))
    paste_centered(img, colis, (640, 748))
    return finish_photo(img, seed=101745)


def write_photos(case_dir: Path) -> None:
    parcel = photo_crushed_parcel()
    save_jpeg(
        parcel,
        case_dir / "IMG_20261030_101500.jpg",
        phone_exif(parcel.size, "2026:10:30 10:15:00", offset="+01:00"),
    )
    upright = photo_broken_kettle_upright()
    # Stored as the sensor saw it: rotated 90° counter-clockwise, Orientation 6
    # tells viewers to turn it 90° clockwise to show it upright again.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    save_jpeg(
        stored,
        case_dir / "IMG_20261030_101622.jpg",
        phone_exif(stored.size, "2026:10:30 10:16:22", orientation=6),
    )
    box = photo_open_box()
    save_jpeg(
        box,
        case_dir / "PXL_20261030_101745123.jpg",
        phone_exif(box.size, "2026:10:30 10:17:45", subsec="123"),
    )


# --------------------------------------------------------------------------
# E-mails
# --------------------------------------------------------------------------


def make_email(
    *,
    sender: Address,
    to: Address,
    date: str,
    subject: str,
    message_id: str,
    text: str,
    html: str | None = None,
    boundary: str | None = None,
) -> bytes:
    """Build an RFC 5322 message (CRLF line ends, UTF-8, quoted-printable)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Date"] = date
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["MIME-Version"] = "1.0"
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        if boundary is None:
            raise ValueError("multipart messages need a fixed boundary")
        msg.set_boundary(boundary)
    return msg.as_bytes()


def html_order_mail(
    *,
    lang: str,
    heading: str,
    paragraphs: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    totals: Sequence[tuple[str, str]],
    footer: str,
) -> str:
    """A small, table-based HTML body in the style of a shop notification."""
    cell = 'style="padding:6px 10px;border-bottom:1px solid #dddddd;text-align:left"'
    head = "".join(f"<th {cell}>{c}</th>" for c in columns)
    body_rows = "\n".join(
        "<tr>" + "".join(f"<td {cell}>{v}</td>" for v in row) + "</tr>" for row in rows
    )
    total_rows = "\n".join(
        f'<tr><td colspan="{len(columns) - 1}" {cell}>{k}</td><td {cell}><b>{v}</b></td></tr>'
        for k, v in totals
    )
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{heading}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#111111">
<div style="background:#232f3e;color:#ffffff;padding:12px 16px;font-size:20px">
<b>Amazon.com.be</b></div>
<h1 style="font-size:20px">{heading}</h1>
{paras}
<table style="border-collapse:collapse;width:100%">
<thead><tr>{head}</tr></thead>
<tbody>
{body_rows}
{total_rows}
</tbody>
</table>
<p style="font-size:12px;color:#555555">{footer}</p>
</body>
</html>
"""


CLAIMANT_FR = Address("Łukasz Dvořák-Müller", addr_spec="lukasz@example.org")
CLAIMANT_NL = Address("Sofie Van den Broeck", addr_spec="sofie.vandenbroeck@example.com")


def write_fr_emails(case_dir: Path) -> None:
    text = """\
Amazon.com.be
Confirmation de commande
Commande n° 402-1234567-1234567

Bonjour Łukasz Dvořák-Müller,

Merci pour votre commande. Nous vous enverrons une confirmation dès que votre
article aura été expédié.

Date de commande : 28 octobre 2026
Livraison prévue : 30 octobre 2026

Adresse de livraison :
Łukasz Dvořák-Müller
Rue de la Station 12
1000 Bruxelles
Belgique

Récapitulatif de la commande

Article : Bouilloire électrique 1,7 L
Quantité : 1
Prix : 23,99 €
Vendu par Amazon EU S.à r.l.

Sous-total des articles : 23,99 €
Livraison : 0,00 €
Total : 23,99 €
TVA incluse.

Vous pouvez suivre votre commande à tout moment dans « Vos commandes ».

Nous espérons vous revoir bientôt.
Amazon.com.be

Ce message a été envoyé depuis une adresse qui ne peut pas recevoir de
réponses.
"""
    html = html_order_mail(
        lang="fr",
        heading="Confirmation de commande",
        paragraphs=[
            "Bonjour Łukasz Dvořák-Müller,",
            (
                "Merci pour votre commande. Nous vous enverrons une confirmation dès que "
                "votre article aura été expédié."
            ),
            (
                "<b>Commande n° 402-1234567-1234567</b><br>Date de commande : 28 octobre 2026"
                "<br>Livraison prévue : 30 octobre 2026"
            ),
            (
                "Adresse de livraison :<br>Łukasz Dvořák-Müller<br>Rue de la Station 12"
                "<br>1000 Bruxelles<br>Belgique"
            ),
        ],
        columns=["Article", "Quantité", "Prix"],
        rows=[
            [
                "Bouilloire électrique 1,7 L<br><small>Vendu par Amazon EU S.à r.l.</small>",
                "1",
                "23,99 €",
            ]
        ],
        totals=[
            ("Sous-total des articles", "23,99 €"),
            ("Livraison", "0,00 €"),
            ("Total", "23,99 €"),
        ],
        footer="TVA incluse. Ce message a été envoyé depuis une adresse qui ne peut pas "
        "recevoir de réponses.",
    )
    (case_dir / "confirmation-commande.eml").write_bytes(
        make_email(
            sender=Address("Amazon.com.be", addr_spec="confirmation-commande@amazon.com.be"),
            to=CLAIMANT_FR,
            date="Wed, 28 Oct 2026 14:02:11 +0100",
            subject="Votre commande Amazon.com.be n° 402-1234567-1234567",
            message_id="<0102019a2c1f5e7b-3f1d9c42-6a0e-4b8f-9d21-5c7e8a1b2f40-000000@eu-west-1.amazonses.com>",
            text=text,
            html=html,
            boundary="----=_Part_2814471_1290330471.1793192531000",
        )
    )

    reply = """\
Bonjour Łukasz,

Je vous remercie pour votre patience lors de notre échange par chat de ce jour
au sujet de votre commande n° 402-1234567-1234567.

Je suis désolé d'apprendre que votre « Bouilloire électrique 1,7 L » est
arrivée endommagée. Comme convenu, j'ai demandé le remboursement de 23,99 € sur
votre moyen de paiement d'origine. Le remboursement sera effectué dans un délai
de 5 jours.

Vous n'avez pas besoin de nous renvoyer l'article.

Nous espérons vous revoir bientôt.

Cordialement,
Mathéo
Service client Amazon.com.be

Votre avis nous intéresse : ce message a-t-il répondu à votre question ?
"""
    (case_dir / "reponse-service-client.eml").write_bytes(
        make_email(
            sender=Address("Service client Amazon.com.be", addr_spec="cs-reply@amazon.com.be"),
            to=CLAIMANT_FR,
            date="Wed, 04 Nov 2026 16:40:00 +0100",
            subject="Votre demande concernant la commande 402-1234567-1234567",
            message_id="<0102019a4f8a3c10-8e2b7d55-1c4a-4f3e-b0a9-7d6c5e4f3a21-000000@eu-west-1.amazonses.com>",
            text=reply,
        )
    )


def write_nl_email(case_dir: Path) -> None:
    text = """\
Amazon.com.be
Bestelbevestiging
Bestelnummer 402-7654321-7654321

Hallo Sofie Van den Broeck,

Bedankt voor je bestelling. We laten je weten zodra je artikel is verzonden.

Besteldatum: 2 november 2026
Verwachte levering: 4 november 2026

Bezorgadres:
Sofie Van den Broeck
Kerkstraat 5
9000 Gent
België

Overzicht van je bestelling

USB-C oplader 65 W
1 × € 23,99
Verkocht door Amazon EU S.à r.l.

Subtotaal: € 23,99
Verzending: € 0,00
Totaal: € 23,99
Inclusief btw.

Je kunt je bestelling altijd volgen via "Mijn bestellingen".

We hopen je snel weer te zien.
Amazon.com.be

Dit bericht is verzonden vanaf een adres dat geen antwoorden kan ontvangen.
"""
    html = html_order_mail(
        lang="nl",
        heading="Bestelbevestiging",
        paragraphs=[
            "Hallo Sofie Van den Broeck,",
            "Bedankt voor je bestelling. We laten je weten zodra je artikel is verzonden.",
            (
                "<b>Bestelnummer 402-7654321-7654321</b><br>Besteldatum: 2 november 2026"
                "<br>Verwachte levering: 4 november 2026"
            ),
            "Bezorgadres:<br>Sofie Van den Broeck<br>Kerkstraat 5<br>9000 Gent<br>België",
        ],
        columns=["Artikel", "Aantal", "Prijs"],
        rows=[
            [
                "USB-C oplader 65 W<br><small>Verkocht door Amazon EU S.à r.l.</small>",
                "1 ×",
                "€ 23,99",
            ]
        ],
        totals=[("Subtotaal", "€ 23,99"), ("Verzending", "€ 0,00"), ("Totaal", "€ 23,99")],
        footer="Inclusief btw. Dit bericht is verzonden vanaf een adres dat geen antwoorden "
        "kan ontvangen.",
    )
    (case_dir / "bestelbevestiging.eml").write_bytes(
        make_email(
            sender=Address("Amazon.com.be", addr_spec="bestelbevestiging@amazon.com.be"),
            to=CLAIMANT_NL,
            date="Mon, 02 Nov 2026 19:12:45 +0100",
            subject="Uw Amazon.com.be-bestelling nr. 402-7654321-7654321",
            message_id="<0102019a3b6d21e4-2a9c4e17-5b3d-4c8a-a6f2-9e1d7b3c5a08-000000@eu-west-1.amazonses.com>",
            text=text,
            html=html,
            boundary="----=_Part_3391027_884512937.1793643165000",
        )
    )


# --------------------------------------------------------------------------
# PDF invoice
# --------------------------------------------------------------------------

PDF_CREATION_DATE = "D:20261028143000+01'00'"


def _pdf_date(*_parts: int) -> str:
    """Date formatter for reportlab: always the invoice's fixed creation date."""
    return PDF_CREATION_DATE


def write_invoice(path: Path) -> None:
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(font_path("DejaVuSans-Bold.ttf"))))
    # initialFontName keeps reportlab from referencing (unembedded) Helvetica; the
    # types-reportlab stub wrongly declares it as a float.
    c = Canvas(
        str(path),
        pagesize=A4,
        invariant=1,
        pageCompression=1,
        initialFontName="DejaVuSans",  # type: ignore[arg-type]
    )
    c.setDateFormatter(_pdf_date)
    c.setTitle("Facture BE64QW7X2AEUI – commande 402-1234567-1234567")
    c.setAuthor("Amazon EU S.à r.l.")
    c.setSubject("Facture")
    c.setCreator("dossier samples/make_samples.py")

    page_w, page_h = A4
    left = 50.0
    right = page_w - 50.0
    reg = "DejaVuSans"
    bold = "DejaVuSans-Bold"

    c.setFont(bold, 24)
    c.drawString(left, page_h - 75, "Facture")
    c.setFont(bold, 14)
    c.drawRightString(right, page_h - 72, "amazon.com.be")
    c.setFont(reg, 9)
    c.drawString(left, page_h - 95, "Payé")

    # Invoice facts, right column box.
    box_top = page_h - 115
    c.setStrokeColorRGB(0.75, 0.75, 0.75)
    c.setFillColorRGB(0.96, 0.96, 0.96)
    c.rect(300, box_top - 92, right - 300, 92, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    facts = [
        ("Numéro de facture", "BE64QW7X2AEUI"),
        ("Date de facture / de livraison", "28 octobre 2026"),
        ("Numéro de commande", "402-1234567-1234567"),
        ("Date de commande", "28 octobre 2026"),
        ("Total à payer", "23,99 €"),
    ]
    y = box_top - 17
    for key, value in facts:
        c.setFont(reg, 9)
        c.drawString(308, y, key)
        c.setFont(bold, 9)
        c.drawRightString(right - 8, y, value)
        y -= 17

    # Seller.
    c.setFont(bold, 10)
    c.drawString(left, box_top - 12, "Vendu par")
    c.setFont(reg, 10)
    seller = [
        "Amazon EU S.à r.l.",
        "38 avenue John F. Kennedy",
        "L-1855 Luxembourg",
        "N° TVA : LU 12345678",
    ]
    for i, line in enumerate(seller):
        c.drawString(left, box_top - 28 - 14 * i, line)

    # Buyer addresses.
    addr_top = box_top - 130
    buyer = ["Łukasz Dvořák-Müller", "Rue de la Station 12", "1000 Bruxelles", "Belgique"]
    for x, title in ((left, "Adresse de facturation"), (300.0, "Adresse de livraison")):
        c.setFont(bold, 10)
        c.drawString(x, addr_top, title)
        c.setFont(reg, 10)
        for i, line in enumerate(buyer):
            c.drawString(x, addr_top - 16 - 14 * i, line)

    # Item table.
    table_top = addr_top - 110
    col_rights = [265.0, 340.0, 395.0, 475.0, right]
    headers = ["Description", "Qté", "Prix unit. HT", "TVA", "Prix unit. TTC", "Total TTC"]
    c.setFillColorRGB(0.137, 0.184, 0.243)
    c.rect(left, table_top - 6, right - left, 20, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont(bold, 8.5)
    c.drawString(left + 4, table_top, headers[0])
    for x_right, head in zip(col_rights, headers[1:], strict=True):
        c.drawRightString(x_right - 4, table_top, head)
    c.setFillColorRGB(0, 0, 0)
    rows = [
        ["Bouilloire électrique 1,7 L", "1", "19,83 €", "21 %", "23,99 €", "23,99 €"],
        ["Frais de livraison", "", "0,00 €", "21 %", "0,00 €", "0,00 €"],
    ]
    y = table_top - 24
    c.setFont(reg, 9)
    for row in rows:
        c.drawString(left + 4, y, row[0])
        for x_right, value in zip(col_rights, row[1:], strict=True):
            c.drawRightString(x_right - 4, y, value)
        c.setStrokeColorRGB(0.85, 0.85, 0.85)
        c.line(left, y - 7, right, y - 7)
        y -= 22

    # Totals.
    y -= 10
    totals = [("Total HT", "19,83 €"), ("TVA 21 %", "4,16 €"), ("Total TTC", "23,99 €")]
    for i, (key, value) in enumerate(totals):
        last = i == len(totals) - 1
        c.setFont(bold if last else reg, 11 if last else 10)
        c.drawString(370, y, key)
        c.drawRightString(right - 4, y, value)
        y -= 18

    # VAT summary.
    y -= 20
    c.setFont(bold, 10)
    c.drawString(left, y, "Récapitulatif TVA")
    y -= 18
    c.setFont(reg, 9)
    for x_right, text in zip(
        (160.0, 260.0, 360.0), ("Taux de TVA", "Base HT", "Montant TVA"), strict=True
    ):
        c.drawRightString(x_right, y, text)
    y -= 14
    for x_right, text in zip((160.0, 260.0, 360.0), ("21 %", "19,83 €", "4,16 €"), strict=True):
        c.drawRightString(x_right, y, text)

    y -= 36
    c.setFont(reg, 9)
    c.drawString(
        left, y, "Paiement : Mastercard se terminant par 3107, débitée le 28 octobre 2026 : 23,99 €"
    )

    c.setFont(reg, 7)
    c.setFillColorRGB(0.45, 0.45, 0.45)
    c.drawString(left, 40, "Amazon EU S.à r.l. – 38 avenue John F. Kennedy, L-1855 Luxembourg")
    c.drawString(
        left, 30, "Document d'exemple : données fictives générées par samples/make_samples.py."
    )
    c.drawRightString(right, 30, "Page 1 / 1")
    c.showPage()
    c.save()


# --------------------------------------------------------------------------
# Case 2: double charge (Dutch) — banking-app screenshots
# --------------------------------------------------------------------------

BANK_BLUE: RGB = (0, 84, 122)
TEXT_DARK: RGB = (28, 28, 32)
TEXT_GREY: RGB = (104, 108, 116)
LINE_GREY: RGB = (226, 228, 232)
PHONE_W, PHONE_H = 720, 1480


def status_bar(draw: ImageDraw.ImageDraw, clock: str) -> None:
    """Android status bar: clock on the left, signal and battery on the right."""
    draw.rectangle([0, 0, PHONE_W, 60], fill=BANK_BLUE)
    draw.text((28, 14), clock, font=font(28, bold=True), fill=WHITE)
    for i in range(4):
        x = 520 + i * 14
        draw.rectangle([x, 42 - 7 * (i + 1), x + 9, 44], fill=WHITE)
    draw.text((590, 14), "82%", font=font(28), fill=WHITE)
    draw.rounded_rectangle([662, 20, 700, 42], radius=4, outline=WHITE, width=2)
    draw.rectangle([702, 26, 706, 36], fill=WHITE)
    draw.rectangle([665, 23, 692, 39], fill=WHITE)


def app_bar(draw: ImageDraw.ImageDraw, title: str) -> None:
    draw.rectangle([0, 60, PHONE_W, 170], fill=BANK_BLUE)
    draw.text((28, 88), "←", font=font(44, bold=True), fill=WHITE)
    draw.text((96, 92), title, font=font(36, bold=True), fill=WHITE)


def nav_bar(draw: ImageDraw.ImageDraw, active: int) -> None:
    """Bottom navigation of the banking app plus the Android gesture pill."""
    top = PHONE_H - 150
    draw.rectangle([0, top, PHONE_W, PHONE_H], fill=WHITE)
    draw.line([(0, top), (PHONE_W, top)], fill=LINE_GREY, width=2)
    labels = ["Start", "Rekening", "Betalen", "Meer"]
    col_w = PHONE_W // len(labels)
    small = font(28)
    for i, label in enumerate(labels):
        cx = col_w * i + col_w // 2
        colour = BANK_BLUE if i == active else TEXT_GREY
        draw.rounded_rectangle(
            [cx - 20, top + 16, cx + 20, top + 52], radius=8, outline=colour, width=4
        )
        tw = draw.textlength(label, font=small)
        draw.text((cx - tw / 2, top + 60), label, font=small, fill=colour)
    draw.rounded_rectangle(
        [PHONE_W // 2 - 90, PHONE_H - 22, PHONE_W // 2 + 90, PHONE_H - 14],
        radius=4,
        fill=(60, 60, 60),
    )


def right_text(
    draw: ImageDraw.ImageDraw,
    x_right: float,
    y: float,
    text: str,
    fnt: ImageFont.FreeTypeFont,
    fill: RGB,
) -> None:
    draw.text((x_right - draw.textlength(text, font=fnt), y), text, font=fnt, fill=fill)


def screenshot_transactions() -> Image.Image:
    """Screenshot_20261105-081500: the account's transaction list."""
    img = Image.new("RGB", (PHONE_W, PHONE_H), (244, 245, 247))
    draw = ImageDraw.Draw(img)
    status_bar(draw, "08:15")
    app_bar(draw, "Zichtrekening")
    # Balance card.
    draw.rounded_rectangle(
        [20, 190, PHONE_W - 20, 380], radius=18, fill=WHITE, outline=LINE_GREY, width=2
    )
    draw.text((44, 210), "BE71 0961 2345 6769", font=font(28), fill=TEXT_GREY)
    draw.text((44, 256), "Beschikbaar saldo", font=font(28), fill=TEXT_GREY)
    draw.text((44, 298), "1.284,37 €", font=font(52, bold=True), fill=TEXT_DARK)

    draw.text((28, 404), "Verrichtingen", font=font(34, bold=True), fill=TEXT_DARK)
    rows = [
        ("05/11/2026", "Delhaize Gent Zuid", "Bancontact", "-37,42 €"),
        ("04/11/2026", "AMZN Mktp BE", "Online kaartbetaling", "-23,99 €"),
        ("04/11/2026", "NMBS/SNCB", "Online betaling", "-9,80 €"),
        ("03/11/2026", "AMAZON EU SARL", "Online kaartbetaling", "-23,99 €"),
        ("03/11/2026", "Bakkerij De Zoete Aar", "Bancontact", "-6,50 €"),
        ("02/11/2026", "Proximus", "Domiciliëring", "-45,00 €"),
        ("31/10/2026", "Overschrijving J. Peeters", "Terugbetaling etentje", "+50,00 €"),
        ("30/10/2026", "Colruyt Gent", "Bancontact", "-61,18 €"),
    ]
    y = 462
    row_h = 104
    draw.rectangle([0, y - 8, PHONE_W, y + row_h * len(rows)], fill=WHITE)
    bold30 = font(30, bold=True)
    reg28 = font(28)
    for date, name, kind, amount in rows:
        draw.text((28, y + 10), name, font=bold30, fill=TEXT_DARK)
        colour = (0, 128, 72) if amount.startswith("+") else TEXT_DARK
        right_text(draw, PHONE_W - 28, y + 10, amount, bold30, colour)
        draw.text((28, y + 54), f"{date}  ·  {kind}", font=reg28, fill=TEXT_GREY)
        draw.line([(28, y + row_h - 4), (PHONE_W - 28, y + row_h - 4)], fill=LINE_GREY, width=2)
        y += row_h
    nav_bar(draw, active=1)
    return img


def screenshot_detail() -> Image.Image:
    """Screenshot_20261106-093012: details of the second Amazon debit."""
    img = Image.new("RGB", (PHONE_W, PHONE_H), (244, 245, 247))
    draw = ImageDraw.Draw(img)
    status_bar(draw, "09:30")
    app_bar(draw, "Details verrichting")
    draw.rectangle([0, 170, PHONE_W, 470], fill=WHITE)
    title = "AMZN Mktp BE"
    f36 = font(38, bold=True)
    draw.text(
        ((PHONE_W - draw.textlength(title, font=f36)) / 2, 210), title, font=f36, fill=TEXT_DARK
    )
    amount = "-23,99 €"
    f64 = font(68, bold=True)
    draw.text(
        ((PHONE_W - draw.textlength(amount, font=f64)) / 2, 270), amount, font=f64, fill=TEXT_DARK
    )
    chip = "Uitgevoerd"
    f28 = font(28)
    cw = draw.textlength(chip, font=f28)
    draw.rounded_rectangle(
        [(PHONE_W - cw) / 2 - 22, 382, (PHONE_W + cw) / 2 + 22, 432],
        radius=25,
        fill=(222, 242, 230),
    )
    draw.text(((PHONE_W - cw) / 2, 390), chip, font=f28, fill=(0, 110, 60))

    fields: list[tuple[str, list[str]]] = [
        ("Datum verrichting", ["04/11/2026"]),
        ("Valutadatum", ["04/11/2026"]),
        ("Omschrijving", ["AMZN Mktp BE*2K7QX81Z4", "Amzn.com/bill LU"]),
        ("Kaart", ["Visa Debit •••• 4821"]),
        ("Rekening", ["BE71 0961 2345 6769"]),
        ("Referentie", ["482104112026093551"]),
        ("Categorie", ["Online winkelen"]),
    ]
    y = 506
    panel_h = sum(38 + 42 * len(values) + 14 for _, values in fields)
    draw.rectangle([0, y - 16, PHONE_W, y + panel_h], fill=WHITE)
    bold30 = font(30, bold=True)
    for i, (label, values) in enumerate(fields):
        if i:
            draw.line([(28, y - 9), (PHONE_W - 28, y - 9)], fill=LINE_GREY, width=2)
        draw.text((28, y), label, font=f28, fill=TEXT_GREY)
        y += 38
        for value in values:
            draw.text((28, y), value, font=bold30, fill=TEXT_DARK)
            y += 42
        y += 14
    draw.rounded_rectangle(
        [28, y + 20, PHONE_W - 28, y + 100], radius=40, outline=BANK_BLUE, width=3
    )
    label = "Verrichting betwisten"
    right_text(
        draw, (PHONE_W + draw.textlength(label, font=bold30)) / 2, y + 42, label, bold30, BANK_BLUE
    )
    nav_bar(draw, active=1)
    return img


NOTES_NL = """\
Chat met klantenservice Amazon.com.be – vrijdag 6 november 2026
Bestelling 402-7654321-7654321 (USB-C oplader 65 W, € 23,99, besteld op 2 november)

Waarom: op mijn rekening staat de oplader twee keer afgeschreven:
  03/11/2026  AMAZON EU SARL  -23,99 €
  04/11/2026  AMZN Mktp BE    -23,99 €
Ik heb maar één oplader besteld en ook maar één ontvangen (geleverd op 4 november).

10:05  Chat gestart via de klantenservicepagina van amazon.com.be.
10:07  Medewerker "Jeroen" vraagt het bestelnummer; doorgegeven.
10:11  Uitgelegd dat € 23,99 twee keer is afgeschreven, met datum en omschrijving
       van beide afschrijvingen zoals in de bankapp.
10:16  Jeroen: in hun systeem ziet hij maar één betaling. De tweede is volgens hem
       "waarschijnlijk een voorlopige autorisatie die binnen 7 dagen vanzelf
       verdwijnt".
10:19  Ik antwoord dat het geen reservering is: de afschrijving van 04/11 staat als
       "Uitgevoerd" op de rekening, met valutadatum 04/11/2026 (screenshot van
       vanochtend 09:30).
10:23  Jeroen zegt dat hij het "doorgeeft aan de betalingsafdeling". Geen
       referentienummer, geen termijn.
10:25  Gevraagd om een schriftelijke bevestiging per e-mail. Hij zegt dat ik
       "binnen 24 uur" een e-mail krijg.
10:27  Chat beëindigd. Het chatgesprek kon ik niet downloaden, daarom deze notities.

Afspraak voor mezelf: als de € 23,99 niet terug is, een ingebrekestelling sturen.
"""


def write_double_charge(case_dir: Path) -> None:
    screenshot_transactions().save(
        case_dir / "Screenshot_20261105-081500.png", "PNG", optimize=True
    )
    screenshot_detail().save(case_dir / "Screenshot_20261106-093012.png", "PNG", optimize=True)
    write_nl_email(case_dir)
    (case_dir / "notities.txt").write_bytes(NOTES_NL.encode("utf-8"))
    (case_dir / "case.toml").write_bytes(CASE_NL.encode("utf-8"))


# --------------------------------------------------------------------------
# case.toml files
# --------------------------------------------------------------------------

CASE_FR = """\
language = "fr"
problem = ["damaged"]
timezone = "Europe/Brussels"

[claimant]
name = "Łukasz Dvořák-Müller"
address = ["Rue de la Station 12", "1000 Bruxelles", "Belgique"]
email = "lukasz@example.org"

[recipient]
preset = "amazon-eu"

[order]
number = "402-1234567-1234567"
date = 2026-10-28
total = "23.99"
currency = "EUR"
items = [{ title = "Bouilloire électrique 1,7 L", quantity = 1, unit_price = "23.99" }]

[[contacts]]
date = 2026-11-04
channel = "chat"
agent = "Mathéo"
summary = "Remboursement promis sous 5 jours ; rien reçu."
exhibit = "reponse-service-client.eml"

# The kettle arrived in pieces: a defect serious enough to end the contract
# at once (without it, the letter first asks for repair or replacement).
[demand]
remedy = "refund"
reason = "serious_defect"
amount = "23.99"
deadline_days = 15

[letter]
kind = "formal_notice"
place = "Bruxelles"
date = 2026-11-20

[exhibits."IMG_20261030_101500.jpg"]
caption = "Colis écrasé à la livraison"

[exhibits."IMG_20261030_101622.jpg"]
caption = "Bouilloire fissurée, poignée cassée, couvercle arraché"

[exhibits."PXL_20261030_101745123.jpg"]
caption = "Contenu du colis à l'ouverture : bouilloire en morceaux"
"""

CASE_NL = """\
language = "nl"
problem = ["billing_error"]
timezone = "Europe/Brussels"

[claimant]
name = "Sofie Van den Broeck"
address = ["Kerkstraat 5", "9000 Gent", "België"]
email = "sofie.vandenbroeck@example.com"

[recipient]
preset = "amazon-eu"

[order]
number = "402-7654321-7654321"
date = 2026-11-02
total = "23.99"
currency = "EUR"
items = [{ title = "USB-C oplader 65 W", quantity = 1, unit_price = "23.99" }]
charges = [
    { date = 2026-11-03, amount = "23.99", exhibit = "Screenshot_20261105-081500.png" },
    { date = 2026-11-04, amount = "23.99", exhibit = "Screenshot_20261106-093012.png" },
]

[[contacts]]
date = 2026-11-06
channel = "chat"
summary = "Dubbele afschrijving gemeld; doorgegeven aan betalingsafdeling, niets ontvangen."
exhibit = "notities.txt"

[demand]
remedy = "refund_of_double_charge"
amount = "23.99"
deadline_days = 15

[letter]
kind = "formal_notice"
place = "Gent"
date = 2026-11-20

[exhibits."Screenshot_20261105-081500.png"]
caption = "Bankafschrift: twee afschrijvingen van € 23,99"

[exhibits."Screenshot_20261106-093012.png"]
caption = "Detail van de tweede afschrijving (AMZN Mktp BE, 04/11/2026)"

# A text file has no date of its own: say when the chat took place.
[exhibits."notities.txt"]
caption = "Eigen notities van de chat met de klantenservice"
date = 2026-11-06T10:27:00
"""


def write_damaged_parcel(case_dir: Path) -> None:
    write_photos(case_dir)
    write_fr_emails(case_dir)
    write_invoice(case_dir / "facture-402-1234567-1234567.pdf")
    (case_dir / "case.toml").write_bytes(CASE_FR.encode("utf-8"))


def main() -> None:
    cases: dict[str, Callable[[Path], None]] = {
        "damaged-parcel": write_damaged_parcel,
        "double-charge": write_double_charge,
    }
    for name, writer in cases.items():
        case_dir = HERE / name
        case_dir.mkdir(parents=True, exist_ok=True)
        writer(case_dir)
        for path in sorted(case_dir.iterdir()):
            print(f"{path.relative_to(REPO)}  {path.stat().st_size:>8} bytes")


if __name__ == "__main__":
    main()
