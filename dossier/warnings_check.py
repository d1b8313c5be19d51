"""Things worth a second look before building, found across the whole timeline.

The readers and the timestamps stage warn about one file at a time. This
stage looks at the exhibits together: the same file twice, two photos of the
same scene, a photo whose date does not come from the camera, a file larger
than the size the dossier must fit in. Nothing here stops a build; each
warning says what the user may want to do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import threading
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pillow_heif
from PIL import ExifTags, Image, ImageOps

from dossier import pixelbudget
from dossier.annotate import image_kind
from dossier.attachments import PATH_SEPARATOR
from dossier.filesize import size_text
from dossier.i18n import M_
from dossier.model import EmailContent, Exhibit, ImageContent, Kind, TimestampSource
from dossier.parallel import map_in_threads
from dossier.pdf.imagedata import UPRIGHT

if TYPE_CHECKING:
    from dossier.cache import Cache

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
    exhibits: Sequence[Exhibit],
    size_target: int | None = None,
    originals_attached: bool = False,
    cache: Cache | None = None,
    near_duplicates: bool = True,
) -> tuple[Exhibit, ...]:
    """Add the cross-file warnings to each exhibit, in timeline order.

    Args:
        exhibits: the numbered exhibits.
        size_target: the size in bytes the dossier must fit in (an online form's
            or mail server's attachment limit), if there is one.
        originals_attached: every original file goes into the PDF as it is
            (``--attach-originals``), so each one counts at its own size.
        cache: where the photos' hashes are kept between builds, if anywhere.
        near_duplicates: compare the photos now; without, the build adds
            those warnings later (``add_near_duplicates``), in the same place.
    """
    # By reference ("3", "3a"): an email and its attachments share a number.
    found: dict[str, list[str]] = {exhibit.ref: [] for exhibit in exhibits}
    for exhibit, earlier in find_duplicates(exhibits):
        found[exhibit.ref].append(
            M_(
                "the same file as exhibit {ref} ({file}): remove one of the copies",
                ref=earlier.ref,
                file=earlier.source.relpath,
            )
        )
    if near_duplicates:
        for exhibit, earlier in find_near_duplicates(exhibits, cache):
            found[exhibit.ref].append(_near_duplicate_warning(earlier))
    for exhibit in exhibits:
        found[exhibit.ref] += _own_warnings(exhibit, size_target, originals_attached)
    return tuple(
        dataclasses.replace(e, warnings=e.warnings + tuple(found[e.ref])) for e in exhibits
    )


def add_near_duplicates(
    exhibits: Sequence[Exhibit],
    hashes: Mapping[tuple[str, str], int | None],
    size_target: int | None = None,
    originals_attached: bool = False,
) -> tuple[Exhibit, ...]:
    """The near-duplicate warnings of exhibits checked with ``near_duplicates=False``.

    Each goes where ``check_exhibits`` puts it, before the warnings about the
    exhibit alone: the result is the same as checking everything at once.

    Args:
        exhibits: the exhibits as ``check_exhibits`` returned them (or renumbered since).
        hashes: ``photo_hashes`` of their photos.
        size_target: as given to ``check_exhibits``.
        originals_attached: as given to ``check_exhibits``.
    """
    later = {
        e.ref: _near_duplicate_warning(earlier)
        for e, earlier in find_near_duplicates(exhibits, hashes=hashes)
    }
    updated = []
    for exhibit in exhibits:
        warning = later.get(exhibit.ref)
        if warning is not None:
            at = len(exhibit.warnings) - len(
                _own_warnings(exhibit, size_target, originals_attached)
            )
            warnings_ = (*exhibit.warnings[:at], warning, *exhibit.warnings[at:])
            exhibit = dataclasses.replace(exhibit, warnings=warnings_)
        updated.append(exhibit)
    return tuple(updated)


def _near_duplicate_warning(earlier: Exhibit) -> str:
    return M_(
        "looks like the same photo as exhibit {ref} ({file}): "
        "keep the clearer one, or say in its caption why both matter",
        ref=earlier.ref,
        file=earlier.source.relpath,
    )


def _own_warnings(exhibit: Exhibit, size_target: int | None, originals_attached: bool) -> list[str]:
    """The warnings about one exhibit alone, which come after those comparing it with others."""
    found: list[str] = []
    if isinstance(exhibit.content, EmailContent):
        # What the dossier's fonts can draw is the layout's to know: imported
        # here, so that a folder without emails does not load the fonts.
        from dossier.layout.coverage import font_note

        content = exhibit.content
        note = font_note(content.sender, content.to, content.subject, content.body)
        if note is not None:
            found.append(note)
    if is_photo_without_camera_date(exhibit) and exhibit.timestamp is not None:
        found.append(
            M_(
                "photo without a camera (EXIF) date: dated from its {source}; "
                "if that is wrong, give its date in case.toml",
                source=_source_words(exhibit),
            )
        )
    if size_target is not None and exhibit.source.size > size_target:
        # Pictures are scaled down to fit and emails and notes typeset
        # anew; a PDF goes in as it is, and so does every attached original.
        sizes = {"size": size_text(exhibit.source.size), "target": size_text(size_target)}
        if originals_attached:
            found.append(
                M_(
                    "{size} on its own, more than the {target} size target, as an attached "
                    "original: build without --attach-originals, or leave it out",
                    **sizes,
                )
            )
        elif exhibit.kind is Kind.PDF:
            found.append(
                M_(
                    "{size} on its own, more than the {target} size target: "
                    "compress the PDF or leave it out",
                    **sizes,
                )
            )
    return found


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


def find_near_duplicates(
    exhibits: Sequence[Exhibit],
    cache: Cache | None = None,
    hashes: Mapping[tuple[str, str], int | None] | None = None,
) -> list[tuple[Exhibit, Exhibit]]:
    """Pairs (photo, an earlier photo that looks the same), exact copies left out.

    The photos' hashes are computed here, unless given (``photo_hashes``).
    """
    photos = compared_photos(exhibits)
    if hashes is None:
        hashes = photo_hashes(photos, cache)
    fingerprints = [hashes.get(photo_key(photo)) for photo in photos]
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


def compared_photos(exhibits: Sequence[Exhibit]) -> list[Exhibit]:
    """The exhibits the near-duplicate check compares: photos, not screenshots or scans."""
    return [e for e in exhibits if e.kind.is_image and image_kind(e) == "photo"]


def photo_key(photo: Exhibit) -> tuple[str, str]:
    """What identifies a photo's hash, whatever its number: its file and content."""
    return (photo.source.relpath, photo.source.sha256)


def photo_hashes(
    exhibits: Sequence[Exhibit],
    cache: Cache | None = None,
    stop: threading.Event | None = None,
    silence: bool = True,
) -> dict[tuple[str, str], int | None]:
    """The difference hash of each photo among ``exhibits``, by ``photo_key``.

    The costly part of the near-duplicate check (each photo without a usable
    thumbnail is decoded): a build runs it beside laying out and writing the
    PDF, which does not need it. Once ``stop`` is set, the photos not yet
    hashed are skipped (None). Pillow's warnings are silenced here unless
    ``silence`` is false: the warnings filters are the process's, and only
    the main thread may set them (the caller silences them itself).
    """
    photos = compared_photos(exhibits)

    def hash_of(photo: Exhibit) -> int | None:
        if stop is not None and stop.is_set():
            return None
        if cache is None:
            return difference_hash(photo)
        # The hash depends on the bytes and on the turn the reader found in them.
        orientation = getattr(photo.content, "orientation", 1)
        return cache.remember(
            "near-duplicate",
            photo.source.sha256,
            f"{HASH_SIZE}:{orientation}",
            lambda: difference_hash(photo),
            lambda value: {"hash": value},
            _hash_from_data,
        )

    # Damage was already reported by the readers. The filters are set once,
    # here: threads must not change them.
    with warnings.catch_warnings() if silence else contextlib.nullcontext():
        if silence:
            warnings.simplefilter("ignore")
        fingerprints = map_in_threads(hash_of, photos)
    return {photo_key(p): f for p, f in zip(photos, fingerprints, strict=True)}


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


def _hash_from_data(data: dict[str, int | None]) -> int | None:
    value = data["hash"]
    if value is not None and (not isinstance(value, int) or value < 0):
        raise ValueError("not a hash")
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
    words = {
        TimestampSource.FILENAME: M_("file name"),
        TimestampSource.EMAIL_HEADER: M_("email header"),
        TimestampSource.PDF_METADATA: M_("PDF metadata"),
    }
    return words.get(stamp.source, stamp.source.value.replace("_", " "))
