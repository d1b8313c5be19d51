"""Photos and screenshots: JPEG, PNG, WebP, TIFF, GIF, BMP and HEIC/HEIF."""

from __future__ import annotations

import base64
import datetime as dt
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import exifread
import pillow_heif
from PIL import Image, UnidentifiedImageError

from dossier.errors import FileUnreadable
from dossier.model import ExhibitSettings, ImageContent, Kind, Reading, SourceFile, Timestamp
from dossier.model import TimestampSource as Src
from dossier.pdf.jpeg import JpegError, scan_jpeg_file
from dossier.readers.heif_boxes import missing_data
from dossier.readers.library_warnings import library_warnings

pillow_heif.register_heif_opener()

# A 50-megapixel photo must build; a file claiming gigapixels must not be
# decoded at all (a decompression bomb).
MAX_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_TAG_ORIENTATION = 0x0112
_TAG_MAKE = 0x010F
_TAG_MODEL = 0x0110
_TAG_DATETIME = 0x0132
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
# EXIF tag ids of (date, offset, sub-second) for each date field, strongest first.
_EXIF_DATE_FIELDS = (
    ("DateTimeOriginal", 0x9003, 0x9011, 0x9291),
    ("DateTimeDigitized", 0x9004, 0x9012, 0x9292),
    ("DateTime", _TAG_DATETIME, 0x9010, 0x9290),
)
# exifread names for the same fields.
_EXIFREAD_DATE_FIELDS = (
    (
        "DateTimeOriginal",
        "EXIF DateTimeOriginal",
        "EXIF OffsetTimeOriginal",
        "EXIF SubSecTimeOriginal",
    ),
    (
        "DateTimeDigitized",
        "EXIF DateTimeDigitized",
        "EXIF OffsetTimeDigitized",
        "EXIF SubSecTimeDigitized",
    ),
    ("DateTime", "Image DateTime", "EXIF OffsetTime", "EXIF SubSecTime"),
)

_EXIF_DATE = re.compile(
    r"(?P<y>\d{4})[:\-.](?P<mo>\d{2})[:\-.](?P<d>\d{2})[ T]+"
    r"(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.(?P<frac>\d{1,6}))?\s*(?P<tz>Z|(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?)?"
)
_XMP_DATE = re.compile(
    r"(?P<field>exif:DateTimeOriginal|xmp:CreateDate|photoshop:DateCreated)"
    r"(?:=\"|>)(?P<value>[^\"<]+)"
)


def read_image(source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
    """Open an image, check it decodes, and read its dates and orientation.

    Raises:
        FileUnreadable: the image is empty, damaged, too large or of no known format.
    """
    notes: list[str] = []
    if source.size == 0:
        raise FileUnreadable(
            "the file is empty (0 bytes)", "copy it again from your phone or camera"
        )
    with library_warnings(notes, "PIL"):
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source.path) as image:
                content, exif = _inspect(image)
        except Image.DecompressionBombError:
            raise FileUnreadable(
                f"the image claims more than {MAX_PIXELS // 1_000_000} megapixels",
                "export it at a smaller size",
            ) from None
        except Image.DecompressionBombWarning:
            raise FileUnreadable(
                f"the image claims more than {MAX_PIXELS // 1_000_000} megapixels",
                "export it at a smaller size",
            ) from None
        except UnidentifiedImageError:
            raise FileUnreadable(
                f"not a readable {kind.value.upper()} image",
                "open it and save it again as JPEG or PNG",
            ) from None
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise FileUnreadable(
                f"the image is damaged or truncated ({_short(error)})",
                "copy it again from the original device, or take a new screenshot",
            ) from None
    if kind is Kind.HEIF and (missing := missing_data(source.path)) is not None:
        # What the build would meet when it draws the page, told now: list
        # and build agree, and one run names every such file.
        raise FileUnreadable(
            f"the image is truncated ({missing})",
            "copy it again from the original device",
        )
    stamps = _exifread_dates(source) or _pillow_dates(exif)
    stamps += _xmp_dates(_xmp_of(source))
    return Reading(content=content, timestamps=tuple(stamps), warnings=tuple(_dedupe(notes)))


def _inspect(image: Image.Image) -> tuple[ImageContent, Image.Exif]:
    frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    try:
        exif = image.getexif()
    except Exception:  # a garbled EXIF block must not hide a good picture
        exif = Image.Exif()
    orientation = exif.get(_TAG_ORIENTATION, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    camera = camera_name(_clean(exif.get(_TAG_MAKE)), _clean(exif.get(_TAG_MODEL)))
    width, height = image.size
    profile = image.info.get("icc_profile")  # the first frame's, before seeking
    if image.format == "JPEG" and _complete_jpeg(image):
        frames = 0  # its structure is whole: no need to decode it here
    elif image.format == "HEIF":
        # Opening has checked the boxes it reads, and read_image checks that
        # the picture data they point to is all in the file. Decoding a
        # 12-megapixel HEIC takes most of a second; damage inside whole
        # picture data surfaces when its page is drawn.
        frames = 0
    for frame in range(frames):
        image.seek(frame)
        if image.format == "JPEG":
            # Decoding at 1/8 scale still reads every block, so truncation is
            # caught, at a fraction of the time and memory.
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        image.load()
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    content = ImageContent(
        width,
        height,
        max(frames, 1),
        orientation,
        camera or None,
        has_location=_has_gps(exif),
        icc_profile=profile if isinstance(profile, bytes) else None,
    )
    return content, exif


def _complete_jpeg(image: Image.Image) -> bool:
    """Whether a JPEG has every segment up to its end marker, checked without decoding.

    Decoding a camera photo only to check it takes longer than building its
    page; a truncated file (the usual damage) lacks its end, and anything the
    scan cannot vouch for is decoded as before.
    """
    name = getattr(image, "filename", None)
    if not name:
        return False
    try:
        scan_jpeg_file(Path(name))
    except (JpegError, OSError):
        return False
    return True


def _has_gps(exif: Image.Exif) -> bool:
    try:
        return _IFD_GPS in exif and bool(exif.get_ifd(_IFD_GPS))
    except Exception:  # a garbled GPS block still counts as location data
        return True


def _exifread_dates(source: SourceFile) -> list[Timestamp]:
    ignored: list[str] = []  # exifread logs "no EXIF" for most PNGs: not news to the user
    try:
        with source.path.open("rb") as handle, library_warnings(ignored, "exifread"):
            tags: Mapping[str, Any] = exifread.process_file(handle, details=False)
    except Exception:  # exifread raises many kinds of errors on damaged data
        return []
    found = []
    for field, date_tag, offset_tag, subsec_tag in _EXIFREAD_DATE_FIELDS:
        if date_tag not in tags:
            continue
        value = parse_exif_datetime(
            _text(tags[date_tag]), _text(tags.get(offset_tag)), _text(tags.get(subsec_tag))
        )
        if value is not None:
            found.append(Timestamp(value, Src.EXIF, field))
    return found


def _pillow_dates(exif: Image.Exif) -> list[Timestamp]:
    # Pillow also finds EXIF that exifread misses, e.g. ImageMagick's hex
    # "Raw profile type exif" text chunk in PNG files.
    try:
        sub = exif.get_ifd(_IFD_EXIF)
    except Exception:
        sub = {}
    found = []
    for field, date_tag, offset_tag, subsec_tag in _EXIF_DATE_FIELDS:
        ifd = exif if date_tag == _TAG_DATETIME else sub
        if date_tag not in ifd:
            continue
        value = parse_exif_datetime(
            _text(ifd.get(date_tag)), _text(sub.get(offset_tag)), _text(sub.get(subsec_tag))
        )
        if value is not None:
            found.append(Timestamp(value, Src.EXIF, field))
    return found


def _xmp_of(source: SourceFile) -> str:
    # XMP packets sit near the start of the file in all the formats we read.
    with source.path.open("rb") as handle:
        head = handle.read(256 * 1024)
    start = head.find(b"<x:xmpmeta")
    if start < 0:
        return ""
    end = head.find(b"</x:xmpmeta>", start)
    return head[start : end if end > 0 else None].decode("utf-8", errors="replace")


def _xmp_dates(xmp: str) -> list[Timestamp]:
    found = []
    for match in _XMP_DATE.finditer(xmp):
        value = parse_exif_datetime(match["value"])
        if value is not None:
            found.append(Timestamp(value, Src.EMBEDDED_METADATA, f"XMP {match['field']}"))
    return found


def parse_exif_datetime(
    text: str | None, offset: str | None = None, subsec: str | None = None
) -> dt.datetime | None:
    """Parse an EXIF-style date; None for blanks, zeros and impossible dates.

    Accepts the standard ``2024:11:03 15:30:12`` and the variants seen in the
    wild: ISO 8601 with ``T`` and an offset, trailing NUL bytes, and Apple's
    ``2024-04-22T14:38:09GMT+2``.
    """
    if not text:
        return None
    match = _EXIF_DATE.search(text.replace("\x00", " ").strip())
    if not match:
        return None
    try:
        value = dt.datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"]),
            int(match["mi"]),
            int(match["s"] or 0),
        )
    except ValueError:
        return None  # 0000:00:00, 2024:02:30 and the like
    fraction = match["frac"] or _digits(subsec)
    if fraction:
        value = value.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    zone = _parse_offset(match["tz"]) or _parse_offset(offset)
    return value.replace(tzinfo=zone) if zone else value


def _parse_offset(text: str | None) -> dt.timezone | None:
    if not text:
        return None
    text = text.strip().replace("\x00", "").upper().removeprefix("GMT").removeprefix("UTC")
    if text == "Z":
        return dt.UTC
    match = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", text)
    if not match:
        return None
    hours, minutes = int(match[2]), int(match[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if match[1] == "-" else delta)


def _digits(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("ascii", errors="replace")
    printable = getattr(value, "printable", None)
    return str(printable if printable is not None else value)


def camera_name(make: str | None, model: str | None) -> str:
    """The make, then the model, without the make twice: "Canon PowerShot S40".

    Many cameras write their make at the start of the model too ("Canon" and
    "Canon PowerShot S40", "NIKON CORPORATION" and "NIKON D70").
    """
    if make and model:
        first = make.split()[0].casefold()
        if model.casefold().startswith(first):
            return model
    return " ".join(part for part in (make, model) if part)


def _clean(value: Any) -> str:
    text = _text(value) or ""
    return text.replace("\x00", "").strip()


def _short(error: BaseException) -> str:
    return str(error).split("\n", 1)[0][:120] or type(error).__name__


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def reading_as_data(reading: Reading) -> dict[str, Any]:
    """What ``read_image`` found, as JSON-ready data for the cache (``reading_from_data``)."""
    content = reading.content
    assert isinstance(content, ImageContent)
    return {
        "width": content.width,
        "height": content.height,
        "frames": content.frames,
        "orientation": content.orientation,
        "camera": content.camera,
        "has_location": content.has_location,
        "icc_profile": (
            base64.b64encode(content.icc_profile).decode() if content.icc_profile else None
        ),
        "timestamps": [
            [stamp.value.isoformat(), stamp.source.value, stamp.detail, stamp.date_only]
            for stamp in reading.timestamps
        ],
        "warnings": list(reading.warnings),
    }


def reading_from_data(data: dict[str, Any]) -> Reading:
    """The ``Reading`` that ``reading_as_data`` wrote.

    Raises:
        KeyError, TypeError, ValueError: the data is not what it wrote.
    """
    profile = data["icc_profile"]
    content = ImageContent(
        int(data["width"]),
        int(data["height"]),
        int(data["frames"]),
        int(data["orientation"]),
        None if data["camera"] is None else str(data["camera"]),
        has_location=bool(data["has_location"]),
        icc_profile=None if profile is None else base64.b64decode(profile, validate=True),
    )
    stamps = tuple(
        Timestamp(dt.datetime.fromisoformat(value), Src(source), str(detail), bool(date_only))
        for value, source, detail, date_only in data["timestamps"]
    )
    return Reading(content=content, timestamps=stamps, warnings=tuple(map(str, data["warnings"])))
