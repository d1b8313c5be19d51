"""The pixel data a picture puts in the PDF, and where it is stored until then.

A JPEG that needs no pixel change goes in as it is (its picture segments,
without metadata): no decoding, no generation loss, and fast. Every other
picture is decoded once, turned upright, flattened to RGB or grey, scaled,
redacted, and re-encoded without any metadata: JPEG for photos, lossless
PNG-predicted Flate for screenshots and drawings. Either way the result is a
list of byte ranges in a file, copied into the PDF only when it is written,
so decoded pictures are never held beyond their own preparation: a few at
a time, side by side on the cores, within a pixel budget (``PreparedImages``).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageCms

from dossier import pixelbudget
from dossier.cache import Cache
from dossier.case.marks import JPEG_BLOCK, burn_redactions
from dossier.model import Exhibit, ImageContent, Kind
from dossier.parallel import thread_count
from dossier.pdf.jpeg import JpegError, scan_jpeg, scan_jpeg_file

# Pictures are never embedded finer than this at their printed size unless
# they are passed through as they are: sharp on paper, text included.
DEFAULT_DPI = 300
JPEG_QUALITY = 88
# A picture of more than half of the process's pixel budget is prepared by
# the main thread when its page is drawn: memory a thread once used stays
# with that thread, and big pictures prepared in several threads would add up.
# Kinds that hold photographs: re-encoded as JPEG. The others (screenshots,
# drawings) are kept lossless so that text stays crisp.
_PHOTO_KINDS = frozenset({Kind.JPEG, Kind.HEIF, Kind.WEBP})
# What turns a stored picture upright, by EXIF orientation (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclasses.dataclass(frozen=True, slots=True)
class EmbeddedImage:
    """One picture ready for the PDF: where its coded data is and how to read it."""

    path: Path
    # (offset, length) of the byte ranges of ``path`` that make the stream.
    ranges: tuple[tuple[int, int], ...]
    # Size of the stored pixels (before orientation).
    width: int
    height: int
    components: int
    # "/DCTDecode" (JPEG) or "/FlateDecode" (PNG-predicted rows).
    filter: str
    # EXIF orientation still to apply when drawing (passthrough JPEGs only).
    orientation: int = 1
    # Adobe CMYK JPEGs store inverted values.
    inverted: bool = False
    passthrough: bool = False
    # The picture's ICC colour profile, when it has a usable one: the colours
    # of a phone's wide-gamut (Display P3) photo print as the phone shows them.
    icc_profile: bytes | None = None

    @property
    def upright_size(self) -> tuple[int, int]:
        """Width and height as shown."""
        if self.orientation in (5, 6, 7, 8):
            return self.height, self.width
        return self.width, self.height

    @property
    def size(self) -> int:
        """Bytes of coded data."""
        return sum(length for _, length in self.ranges)


@dataclasses.dataclass(frozen=True, slots=True)
class ImageQuality:
    """How pictures are embedded."""

    keep_metadata: bool = False
    # Finest resolution at print size; None keeps JPEGs as they are.
    max_dpi: float | None = None
    jpeg_quality: int = JPEG_QUALITY
    # Whether a CMYK JPEG without a colour profile of its own may be copied as
    # it is, in device CMYK. PDF/A's sRGB output intent allows no device CMYK:
    # such a photo is converted to RGB there (one with a profile keeps it).
    device_cmyk: bool = True


def frame_count(exhibit: Exhibit) -> int:
    """Pages a picture takes: every page of a TIFF, the first frame of anything else."""
    if exhibit.kind is not Kind.TIFF:
        return 1
    with Image.open(exhibit.source.path) as image:
        return int(getattr(image, "n_frames", 1))


def upright_size(exhibit: Exhibit, frame: int) -> tuple[int, int]:
    """Width and height of a frame as shown, without decoding it."""
    with Image.open(exhibit.source.path) as image:
        image.seek(frame)
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1) if frame == 0 else 1
    if orientation in (5, 6, 7, 8):
        return height, width
    return width, height


class PreparedImages:
    """Pictures prepared ahead, side by side on the cores, while pages are drawn in order.

    Decoding, scaling and re-encoding a picture run in C without the
    interpreter lock: a HEIC or PNG photo takes about a second, which threads
    share out over the cores. Pictures decoded at the same time hold at most
    the process's pixel budget between them, so that memory does not grow
    with the number of cores. Use as a context manager: Pillow's warnings
    are silenced once for all threads (the warnings filters are global, and
    damage was already reported by the reader), and work not collected is
    cancelled on exit.
    """

    def __init__(self, quality: ImageQuality, work: Path, cache: Cache | None = None) -> None:
        self.quality = quality
        self.work = work
        self.cache = cache
        self._pool = ThreadPoolExecutor(max_workers=thread_count())
        self._ahead: dict[tuple[int | str, int, float], Future[EmbeddedImage]] = {}
        self._silenced = warnings.catch_warnings()

    def __enter__(self) -> PreparedImages:
        self._silenced.__enter__()
        warnings.simplefilter("ignore")
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._silenced.__exit__(None, None, None)

    def ahead(self, exhibit: Exhibit, frame: int, points_per_pixel: float) -> None:
        """Start preparing a frame that ``get`` will ask for (a big one waits for ``get``)."""
        content = exhibit.content
        pixels = content.width * content.height if isinstance(content, ImageContent) else 0
        if pixels > pixelbudget.BUDGET.total // 2:
            return
        key = (exhibit.page_key, frame, points_per_pixel)
        self._ahead[key] = self._pool.submit(
            self._prepare_in_turn, exhibit, frame, points_per_pixel, pixels
        )

    def _prepare_in_turn(
        self, exhibit: Exhibit, frame: int, points_per_pixel: float, needed: int
    ) -> EmbeddedImage:
        with pixelbudget.BUDGET.holding(needed):
            return prepare_image(
                exhibit, frame, points_per_pixel, self.quality, self.work, self.cache
            )

    def get(self, exhibit: Exhibit, frame: int, points_per_pixel: float) -> EmbeddedImage:
        """The data to embed for one frame (see ``prepare_image``).

        Raises:
            OSError: the picture cannot be decoded.
        """
        started = self._ahead.pop((exhibit.page_key, frame, points_per_pixel), None)
        if started is not None:
            return started.result()
        content = exhibit.content
        pixels = content.width * content.height if isinstance(content, ImageContent) else 0
        with pixelbudget.BUDGET.holding(pixels):
            return prepare_image(
                exhibit, frame, points_per_pixel, self.quality, self.work, self.cache
            )


def prepare_image(
    exhibit: Exhibit,
    frame: int,
    points_per_pixel: float,
    quality: ImageQuality,
    work: Path,
    cache: Cache | None = None,
) -> EmbeddedImage:
    """The data to embed for one frame, printed at ``points_per_pixel``.

    With a ``cache``, a JPEG's layout (where its picture is in the file) is
    kept for the next build: finding it reads the whole photo.

    Pillow may warn about damage the reader already reported: callers
    silence it (``PreparedImages`` does).

    Raises:
        OSError: the picture cannot be decoded.
    """
    dpi = 72 / points_per_pixel
    settings = exhibit.settings
    wants_fewer_pixels = quality.max_dpi is not None and dpi > quality.max_dpi * 1.05
    if exhibit.kind is Kind.JPEG and not settings.redact and not wants_fewer_pixels:
        try:
            layout = scan_jpeg_file(
                exhibit.source.path,
                keep_metadata=quality.keep_metadata,
                cache=cache,
                sha256=exhibit.source.sha256,
            )
        except JpegError:
            pass  # decoded and re-encoded below
        else:
            orientation = getattr(exhibit.content, "orientation", 1)
            found = getattr(exhibit.content, "icc_profile", None)
            profile = usable_icc_profile(found, layout.components)
            if layout.components == 4 and profile is None and not quality.device_cmyk:
                return _reencode(exhibit, frame, 1.0, quality, work)
            return EmbeddedImage(
                path=exhibit.source.path,
                ranges=layout.ranges,
                width=layout.width,
                height=layout.height,
                components=layout.components,
                filter="/DCTDecode",
                orientation=orientation,
                inverted=layout.adobe and layout.components == 4,
                passthrough=True,
                icc_profile=profile,
            )
    target_dpi = min(dpi, quality.max_dpi or DEFAULT_DPI)
    return _reencode(exhibit, frame, target_dpi / dpi, quality, work)


_counter = itertools.count()


def _reencode(
    exhibit: Exhibit, frame: int, factor: float, quality: ImageQuality, work: Path
) -> EmbeddedImage:
    with Image.open(exhibit.source.path) as image:
        image.seek(frame)
        # Conversions below keep the pixel values, so the profile still applies
        # when the colour model stays the same (checked when it is stored).
        profile = image.info.get("icc_profile")
        orientation = image.getexif().get(0x0112, 1) if frame == 0 else 1
        turned = orientation in (5, 6, 7, 8)
        width, height = image.size
        original = (height, width) if turned else (width, height)
        target = (max(1, round(original[0] * factor)), max(1, round(original[1] * factor)))
        stored = (target[1], target[0]) if turned else target
        if image.format == "JPEG":
            # Let the decoder scale down by 1/2, 1/4 or 1/8: much faster, less memory.
            image.draft(image.mode if image.mode in ("L", "RGB") else "RGB", stored)
        decoded: Image.Image = image
        if image.mode in ("P", "1", "PA"):
            decoded = image.convert("RGBA")  # resizing a palette would pick, not blend
        elif image.mode.startswith("I;16"):
            decoded = image.convert("I")
        # Scale first, so that the full-size picture is only held once, as
        # decoded: a coarse reduction in strips, then a fine resize.
        whole = int(decoded.width / max(stored[0], 1) / 1.5)
        if whole >= 2:
            decoded = _reduce_in_strips(decoded, whole)
        flat = decoded.resize(stored, Image.Resampling.LANCZOS)
        del decoded
    if orientation in UPRIGHT:
        flat = flat.transpose(UPRIGHT[orientation])
    flat = _flatten(flat)
    as_jpeg = exhibit.kind in _PHOTO_KINDS or (exhibit.kind is Kind.TIFF and flat.mode == "RGB")
    if exhibit.settings.redact:
        flat = burn_redactions(
            flat, exhibit.settings.redact, original, JPEG_BLOCK if as_jpeg else 1
        )
    out = work / f"image-{next(_counter):05d}.{'jpg' if as_jpeg else 'png'}"
    components = 3 if flat.mode == "RGB" else 1
    # No exif=, icc_profile= or pnginfo= arguments: nothing but pixels is written.
    if as_jpeg:
        flat.save(out, "JPEG", quality=quality.jpeg_quality, optimize=True)
        layout = scan_jpeg(out.read_bytes())
        ranges, kind = layout.ranges, "/DCTDecode"
    else:
        flat.save(out, "PNG", compress_level=6)
        ranges, kind = _png_data_ranges(out), "/FlateDecode"
    return EmbeddedImage(
        out,
        ranges,
        flat.width,
        flat.height,
        components,
        kind,
        icc_profile=usable_icc_profile(profile, components),
    )


# The colour space an ICC profile must describe for pictures of 1, 3 or 4 components.
_PROFILE_SPACES = {1: "GRAY", 3: "RGB", 4: "CMYK"}


def usable_icc_profile(data: object, components: int) -> bytes | None:
    """``data`` if it is an ICC profile PDF viewers can apply to these pixels, else None.

    A damaged profile, or one for another colour model than the pixels have
    (a CMYK profile on pixels converted to RGB), would make viewers show
    wrong colours or refuse the picture; the picture then goes in without
    one, as plain RGB, grey or CMYK.
    """
    if not isinstance(data, bytes) or not data:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError, ValueError, TypeError):
        return None
    if profile.xcolor_space.strip() != _PROFILE_SPACES.get(components):
        return None
    return data


def _reduce_in_strips(image: Image.Image, factor: int) -> Image.Image:
    """``image.reduce(factor)``, a strip at a time.

    Pillow reduces and resizes RGBA through a premultiplied copy of the whole
    picture: for a 50-megapixel screenshot, 200 MB more. Strips keep that
    copy small.
    """
    width, height = image.size
    reduced = Image.new(image.mode, (-(-width // factor), -(-height // factor)))
    step = factor * 256
    for top in range(0, height, step):
        strip = image.crop((0, top, width, min(height, top + step))).reduce(factor)
        reduced.paste(strip, (0, top // factor))
    return reduced


def _flatten(image: Image.Image) -> Image.Image:
    """Any mode to RGB or L; transparency shows as white, as on paper."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _png_data_ranges(path: Path) -> tuple[tuple[int, int], ...]:
    """The IDAT chunks of a PNG: together, the zlib stream of its predicted rows."""
    ranges = []
    with path.open("rb") as handle:
        handle.seek(8)
        position = 8
        while header := handle.read(8):
            length = int.from_bytes(header[:4], "big")
            if header[4:8] == b"IDAT":
                ranges.append((position + 8, length))
            position += 12 + length
            handle.seek(position)
    return tuple(ranges)
