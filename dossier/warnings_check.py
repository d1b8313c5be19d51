"""Things worth a second look before building, found across the whole timeline.

The readers and the timestamps stage warn about one file at a time. This
stage looks at the exhibits together: the same file twice, two photos of the
same scene, a photo whose date does not come from the camera, a file larger
than the size the dossier must fit in. Nothing here stops a build; each
warning says what the user may want to do.
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import pillow_heif
from PIL import ExifTags, Image, ImageOps

from dossier import pixelbudget
from dossier.annotate import image_kind
from dossier.attachments import PATH_SEPARATOR
from dossier.imagedata import UPRIGHT
from dossier.model import Exhibit, ImageContent, Kind, TimestampSource
from dossier.parallel import map_in_threads
from dossier.sizes import size_text

# A difference hash of HASH_SIZE x HASH_SIZE bits. Two photos whose hashes
# differ in at most NEAR_DUPLICATE_BITS bits (about 5 %) look the same to a
# person: the same scene taken twice, or a resized or re-compressed copy.
HASH_SIZE = 16
NEAR_DUPLICATE_BITS = 14
# EXIF tags of IFD1 saying where the thumbnail is (JPEGInterchangeFormat, ...Length).
_THUMBNAIL_OFFSET, _THUMBNAIL_LENGTH = 0x0201, 0x0202
# A thumbnail stands for its photo only if it is this big and of the same
# shape, within this fraction.
_THUMBNAIL_MIN_SIDE = 2 * HASH_SIZE
_THUMBNAIL_SHAPE_TOLERANCE = 0.03
# Images whose darkest and brightest grey differ by less than this are plain fills.
PLAIN_RANGE = 16

_CAMERA_SOURCES = frozenset({TimestampSource.EXIF, TimestampSource.EMBEDDED_METADATA})


def check_exhibits(
    exhibits: Sequence[Exhibit], size_target: int | None = None, originals_attached: bool = False
) -> tuple[Exhibit, ...]:
    """Add the cross-file warnings to each exhibit, in timeline order.

    Args:
        exhibits: the numbered exhibits.
        size_target: the size in bytes the dossier must fit in (an online form's
            or mail server's attachment limit), if there is one.
        originals_attached: every original file goes into the PDF as it is
            (``--attach-originals``), so each one counts at its own size.
    """
    # By reference ("3", "3a"): an email and its attachments share a number.
    found: dict[str, list[str]] = {exhibit.ref: [] for exhibit in exhibits}
    for exhibit, earlier in find_duplicates(exhibits):
        found[exhibit.ref].append(
            f"the same file as exhibit {earlier.ref} ({earlier.source.relpath}): "
            "remove one of the copies"
        )
    for exhibit, earlier in find_near_duplicates(exhibits):
        found[exhibit.ref].append(
            f"looks like the same photo as exhibit {earlier.ref} ({earlier.source.relpath}): "
            "keep the clearer one, or say in its caption why both matter"
        )
    for exhibit in exhibits:
        if is_photo_without_camera_date(exhibit) and exhibit.timestamp is not None:
            found[exhibit.ref].append(
                f"photo without a camera (EXIF) date: dated from its {_source_words(exhibit)}; "
                "if that is wrong, give its date in case.toml"
            )
        if size_target is not None and exhibit.source.size > size_target:
            # Pictures are scaled down to fit and emails and notes typeset
            # anew; a PDF goes in as it is, and so does every attached original.
            too_big = (
                f"{size_text(exhibit.source.size)} on its own, more than the "
                f"{size_text(size_target)} size target"
            )
            if originals_attached:
                found[exhibit.ref].append(
                    f"{too_big}, as an attached original: "
                    "build without --attach-originals, or leave it out"
                )
            elif exhibit.kind is Kind.PDF:
                found[exhibit.ref].append(f"{too_big}: compress the PDF or leave it out")
    return tuple(
        dataclasses.replace(e, warnings=e.warnings + tuple(found[e.ref])) for e in exhibits
    )


def find_duplicates(exhibits: Sequence[Exhibit]) -> list[tuple[Exhibit, Exhibit]]:
    """Pairs (exhibit, an earlier exhibit with the same SHA-256 from another file of the folder).

    The messages of one mailbox share its hash, and one email may carry the
    same picture twice: parts of one file are not copies of each other.
    """
    # By hash, the first exhibit of each file, in order: the earliest exhibit
    # of another file is then the first or the second entry, however many
    # messages a mailbox holds.
    seen: dict[str, dict[str, Exhibit]] = {}
    pairs = []
    for exhibit in exhibits:
        earlier = seen.setdefault(exhibit.source.sha256, {})
        own = container(exhibit)
        other = next((e for file, e in earlier.items() if file != own), None)
        if other is not None:
            pairs.append((exhibit, other))
        earlier.setdefault(own, exhibit)
    return pairs


def container(exhibit: Exhibit) -> str:
    """The file of the folder an exhibit comes from (an attachment's email, a message's mailbox)."""
    return exhibit.source.relpath.split(PATH_SEPARATOR, 1)[0]


def find_near_duplicates(exhibits: Sequence[Exhibit]) -> list[tuple[Exhibit, Exhibit]]:
    """Pairs (photo, an earlier photo that looks the same), exact copies left out."""
    photos = [e for e in exhibits if e.kind.is_image and image_kind(e) == "photo"]
    # Damage was already reported by the readers. The filters are set once,
    # here: threads must not change them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fingerprints = map_in_threads(difference_hash, photos)
    seen: list[tuple[Exhibit, int]] = []
    pairs = []
    for exhibit, fingerprint in zip(photos, fingerprints, strict=True):
        if fingerprint is None:
            continue
        for earlier, other in seen:
            if earlier.source.sha256 == exhibit.source.sha256:
                continue  # an exact copy is reported as such
            if container(earlier) == container(exhibit):
                continue  # pictures of one email are not copies of each other
            if (fingerprint ^ other).bit_count() <= NEAR_DUPLICATE_BITS:
                pairs.append((exhibit, earlier))
                break
        seen.append((exhibit, fingerprint))
    return pairs


def difference_hash(exhibit: Exhibit) -> int | None:
    """A perceptual hash of an image: which neighbouring pixels get brighter.

    Resizing, re-compression and small exposure changes keep it; a different
    scene changes about half its bits. None when the image cannot be decoded
    (its reader already said so).
    """
    try:
        # Decoded in threads: the pixels come out of the process's budget.
        with pixelbudget.BUDGET.holding(decoded_pixels(exhibit)):
            gray = small_gray_picture(exhibit)
        low, high = cast(tuple[int, int], gray.getextrema())
        small = gray.resize((HASH_SIZE + 1, HASH_SIZE), Image.Resampling.BOX)
        pixels = small.tobytes()  # one byte per grey pixel
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if high - low < PLAIN_RANGE:
        return None  # a plain fill has no picture to compare
    value = 0
    for row in range(HASH_SIZE):
        line = pixels[row * (HASH_SIZE + 1) : (row + 1) * (HASH_SIZE + 1)]
        for left, right in zip(line, line[1:], strict=False):
            value = (value << 1) | (right > left)
    return value


def decoded_pixels(exhibit: Exhibit) -> int:
    """The pixels ``small_gray_picture`` decodes at most: a JPEG decodes at 1/8 scale."""
    content = exhibit.content
    if not isinstance(content, ImageContent):
        return 0
    pixels = content.width * content.height
    return pixels // 64 if exhibit.kind is Kind.JPEG else pixels


def small_gray_picture(exhibit: Exhibit) -> Image.Image:
    """The picture in grey, upright, small but at least 8 times the hash's size.

    Upright first: a sideways copy of a photo is still the same photo.

    Raises:
        OSError, ValueError, SyntaxError: the picture cannot be decoded.
    """
    with Image.open(exhibit.source.path) as image:
        if image.format == "HEIF":
            thumbnail = heif_thumbnail(exhibit.source.path, image)
        else:
            thumbnail = exif_thumbnail(image)
        if thumbnail is not None:
            # The thumbnail is stored as the photo is: the photo's orientation applies.
            turn = UPRIGHT.get(getattr(exhibit.content, "orientation", 1))
            return thumbnail if turn is None else thumbnail.transpose(turn)
        # JPEG can decode at 1/8 scale directly: 20 times faster than in full.
        image.draft("L", (HASH_SIZE * 8, HASH_SIZE * 8))
        return ImageOps.exif_transpose(image).convert("L")


def exif_thumbnail(image: Image.Image) -> Image.Image | None:
    """The thumbnail a camera stored in a JPEG's EXIF, in grey, if it can stand for the photo.

    Cameras and phones store one (160 x 120 pixels or more); decoding it
    costs a millisecond where the photo itself, even at 1/8 scale, costs
    some fifty. A thumbnail too small, undecodable, or of another shape than
    the photo (black bars, or left over from an edit) is not used.
    """
    raw = image.info.get("exif")
    if image.format != "JPEG" or not isinstance(raw, bytes) or not raw.startswith(b"Exif\0\0"):
        return None
    first_ifd = image.getexif().get_ifd(ExifTags.IFD.IFD1)
    offset, length = first_ifd.get(_THUMBNAIL_OFFSET), first_ifd.get(_THUMBNAIL_LENGTH)
    if not isinstance(offset, int) or not isinstance(length, int):
        return None
    # Offsets count from the TIFF header, after the 6-byte "Exif\0\0" prefix.
    data = raw[6 + offset : 6 + offset + length]
    if len(data) != length or not data.startswith(b"\xff\xd8"):
        return None
    try:
        with Image.open(io.BytesIO(data)) as thumbnail:
            return _standing_for(image, thumbnail.convert("L"))
    except (OSError, ValueError, SyntaxError):
        return None


def heif_thumbnail(path: Path, image: Image.Image) -> Image.Image | None:
    """The thumbnail stored in a HEIC/HEIF file (an iPhone stores one), in grey, if usable.

    A 12-megapixel HEIC cannot be decoded at a reduced scale: the whole
    picture takes most of a second, its thumbnail a few milliseconds.
    """
    try:
        heif = pillow_heif.open_heif(path)
        primary = heif[heif.primary_index]
        if not primary.info.get("thumbnails"):
            return None
        # Decoded like the picture: turned by the same transforms.
        thumbnail = primary.get_thumbnail(0).to_pillow()
        return _standing_for(image, thumbnail.convert("L"))
    except (OSError, ValueError, RuntimeError, IndexError):
        return None


def _standing_for(image: Image.Image, gray: Image.Image) -> Image.Image | None:
    """``gray`` if it is big enough and of the picture's shape, else None."""
    if min(gray.size) < _THUMBNAIL_MIN_SIDE:
        return None
    shape, photo_shape = gray.width / gray.height, image.width / image.height
    if abs(shape - photo_shape) > _THUMBNAIL_SHAPE_TOLERANCE * photo_shape:
        return None
    return gray


def is_photo_without_camera_date(exhibit: Exhibit) -> bool:
    """A photo whose date comes from its name or a later step, not from the camera.

    A file-modification date already has its own warning, and a date the user
    gave in the case file is their call.
    """
    stamp = exhibit.timestamp
    if not exhibit.kind.is_image or image_kind(exhibit) != "photo":
        return False
    if stamp is None or stamp.weak or stamp.source is TimestampSource.CASE_FILE:
        return False
    return stamp.source not in _CAMERA_SOURCES


def _source_words(exhibit: Exhibit) -> str:
    stamp = exhibit.timestamp
    assert stamp is not None
    return {
        TimestampSource.FILENAME: "file name",
        TimestampSource.EMAIL_HEADER: "email header",
        TimestampSource.PDF_METADATA: "PDF metadata",
    }.get(stamp.source, stamp.source.value.replace("_", " "))
