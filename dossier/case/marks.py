"""What the user marks on a picture in the case file: redaction boxes, highlights, a crop.

All three use boxes ``[x, y, width, height]`` on the picture as it is shown
(upright, top-left origin), in pixels or in percent (``"10%"``). Redaction is
burned into the pixels (``burn_redactions``); highlights and the crop are drawn
by the page layout, over the untouched picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PIL import Image, ImageDraw

from dossier.case.limits import MAX_BOX_PIXELS
from dossier.errors import CaseFileError
from dossier.i18n import M_, MN_
from dossier.model import Box, Exhibit, ExhibitSettings, Highlight, ImageContent

SHAPES = ("rectangle", "ellipse")
# Longer labels would cover the very thing they point at.
MAX_LABEL = 40
# JPEG codes pixels in blocks of up to 16x16 (4:2:0 subsampling): a redaction
# box grown to whole blocks leaves no block that mixes hidden and kept pixels.
JPEG_BLOCK = 16

Fail = Callable[[str, str], CaseFileError]


def parse_marks(prefix: str, value: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
    """The ``redact``, ``highlight`` and ``crop`` keys of one exhibit's table, checked.

    Returns:
        Keyword arguments for ``ExhibitSettings``.

    Raises:
        CaseFileError: a value has the wrong shape; the message names the key.
    """
    found: dict[str, Any] = {}
    if "redact" in value:
        key = f"{prefix}.redact"
        found["redact"] = tuple(
            parse_box(item, f"{key}[{i}]", fail)
            for i, item in enumerate(_list(value["redact"], key, fail))
        )
    if "highlight" in value:
        key = f"{prefix}.highlight"
        found["highlight"] = tuple(
            _parse_highlight(item, f"{key}[{i}]", fail)
            for i, item in enumerate(_list(value["highlight"], key, fail))
        )
    if "crop" in value:
        found["crop"] = parse_box(value["crop"], f"{prefix}.crop", fail)
    return found


def _list(value: Any, key: str, fail: Fail) -> list[Any]:
    if not isinstance(value, list):
        raise fail(key, M_("must be a list of boxes, e.g. [[10, 20, 300, 40]]"))
    return value


def parse_box(value: Any, key: str, fail: Fail) -> Box:
    """``[x, y, width, height]`` in pixels, or with ``"12%"`` strings for percent.

    Raises:
        CaseFileError: not four numbers, a negative value or an empty box.
    """
    example = '[120, 40, 300, 60] or ["10%", "5%", "50%", "20%"]'
    if not isinstance(value, list) or len(value) != 4:
        raise fail(
            key,
            M_(
                "{value!r} is not a box [x, y, width, height]; e.g. {example}",
                value=value,
                example=example,
            ),
        )
    numbers, percent = [], []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float | str):
            raise fail(key, _not_a_number(item, example))
        is_percent = isinstance(item, str)
        try:
            number = float(str(item).strip().removesuffix("%")) if is_percent else float(item)
        except ValueError:
            raise fail(key, _not_a_number(item, example)) from None
        if is_percent and not str(item).strip().endswith("%"):
            raise fail(
                key, M_('{value!r}: write pixels as numbers and percentages as "12%"', value=item)
            )
        if not math.isfinite(number):
            raise fail(key, _not_a_number(item, example))
        if number < 0 or (is_percent and number > 100) or number > MAX_BOX_PIXELS:
            raise fail(
                key, M_("{value!r} is out of range; e.g. {example}", value=item, example=example)
            )
        numbers.append(number)
        percent.append(is_percent)
    if numbers[2] <= 0 or numbers[3] <= 0:
        raise fail(
            key,
            M_("{value!r} has no area: width and height must be more than 0", value=value),
        )
    x, y, width, height = numbers
    return Box(x, y, width, height, (percent[0], percent[1], percent[2], percent[3]))


def _not_a_number(item: Any, example: str) -> str:
    return M_(
        "{value!r} is not a number of pixels or a percentage; e.g. {example}",
        value=item,
        example=example,
    )


def _parse_highlight(value: Any, key: str, fail: Fail) -> Highlight:
    if isinstance(value, list):
        return Highlight(parse_box(value, key, fail))
    if not isinstance(value, Mapping):
        raise fail(
            key,
            M_(
                "must be a box or a table, e.g. {example}",
                example='{ box = [10, 20, 300, 40], label = "dent" }',
            ),
        )
    unknown = set(value) - {"box", "shape", "label"}
    if unknown:
        raise fail(
            key,
            M_("unknown key {name!r}; expected box, shape, label", name=sorted(unknown)[0]),
        )
    if "box" not in value:
        raise fail(key, M_("a highlight needs a box = [x, y, width, height]"))
    shape = value.get("shape", "rectangle")
    if shape not in SHAPES:
        raise fail(
            f"{key}.shape",
            M_("{value!r} is not one of {choices}", value=shape, choices=", ".join(SHAPES)),
        )
    label = value.get("label", "")
    if not isinstance(label, str):
        raise fail(f"{key}.label", M_("{value!r} is not text", value=label))
    if len(label) > MAX_LABEL:
        raise fail(
            f"{key}.label", M_("longer than {count} characters; shorten it", count=MAX_LABEL)
        )
    return Highlight(parse_box(value["box"], f"{key}.box", fail), shape, label)


def check_marks(exhibits: Iterable[Exhibit], case_file_name: str) -> None:
    """Check that every box of the case file lies on its picture.

    Raises:
        CaseFileError: a box on a file that is not a picture, or outside the picture.
    """
    for exhibit in exhibits:
        settings = exhibit.settings
        named = _named_boxes(settings)
        if not named:
            continue
        prefix = f'exhibits."{exhibit.source.relpath}"'
        content = exhibit.content
        if not isinstance(content, ImageContent):
            key = named[0][0].split("[")[0]
            raise CaseFileError(
                M_(
                    "{key}: this file is not a photo or screenshot; remove the key",
                    key=_key_in(case_file_name, f"{prefix}.{key}"),
                )
            )
        for key, box in named:
            x, y, w, h = box.pixels(content.width, content.height)
            # Half a pixel of slack for percentages that round up.
            if x + w > content.width + 0.5 or y + h > content.height + 0.5:
                raise CaseFileError(
                    M_(
                        "{key}: the box {box} goes outside the picture ({width} x {height} "
                        "pixels, upright); correct the box",
                        key=_key_in(case_file_name, f"{prefix}.{key}"),
                        box=f"[{_n(x)}, {_n(y)}, {_n(w)}, {_n(h)}]",
                        width=content.width,
                        height=content.height,
                    )
                )


def _key_in(case_file_name: str, key: str) -> str:
    """``case.toml: exhibits."a.jpg".crop``, said with each language's punctuation."""
    return M_("{file}: {key}", file=case_file_name, key=key)


def check_attachable(exhibits: Iterable[Exhibit], case_file_name: str) -> None:
    """Refuse to embed the original of a redacted picture unless its table asks for it.

    The original holds the pixels the redaction hides: ``--attach-originals``
    would hand them to the recipient.

    Raises:
        CaseFileError: a redacted picture without ``attach_original = true``.
    """
    for exhibit in exhibits:
        if exhibit.settings.redact and not exhibit.settings.attach_original:
            raise CaseFileError(
                M_(
                    "{key}: --attach-originals would embed the original with the redacted part "
                    "visible; build without --attach-originals, or add attach_original = true "
                    "to this file's table to embed it anyway",
                    key=_key_in(case_file_name, f'exhibits."{exhibit.source.relpath}".redact'),
                )
            )


def _named_boxes(settings: ExhibitSettings) -> list[tuple[str, Box]]:
    boxes = [(f"redact[{i}]", box) for i, box in enumerate(settings.redact)]
    boxes += [(f"highlight[{i}]", mark.box) for i, mark in enumerate(settings.highlight)]
    if settings.crop is not None:
        boxes.append(("crop", settings.crop))
    return boxes


def _n(value: float) -> str:
    return f"{value:g}"


def burn_redactions(
    image: Image.Image, boxes: Iterable[Box], original: tuple[int, int], grid: int = 1
) -> Image.Image:
    """Paint each box solid black into an upright RGB or L image, grown to ``grid`` pixels.

    ``original`` is the upright size the boxes were given for; ``image`` may
    have been scaled down since.
    """
    width, height = image.size
    sx, sy = width / original[0], height / original[1]
    draw = ImageDraw.Draw(image)
    for box in boxes:
        ox, oy, ow, oh = box.pixels(*original)
        x, y, w, h = ox * sx, oy * sy, ow * sx, oh * sy
        # Decoders blend colour across a block edge over a pixel or two: on a
        # grid, keep that blend outside the user's box.
        bleed = 2 if grid > 1 else 0
        left = max(0, (int(x) - bleed) // grid * grid)
        top = max(0, (int(y) - bleed) // grid * grid)
        right = min(width, -(-(math.ceil(x + w) + bleed) // grid) * grid)
        bottom = min(height, -(-(math.ceil(y + h) + bleed) // grid) * grid)
        draw.rectangle((left, top, right - 1, bottom - 1), fill=0)
    return image


def privacy_notes(
    exhibits: Iterable[Exhibit], keep_metadata: bool, attach_originals: bool = False
) -> tuple[str, ...]:
    """What the build output says about the photos' location data and redacted originals."""
    exhibits = tuple(exhibits)
    unredacted = tuple(
        f"the unredacted original of {e.source.relpath} is attached (attach_original = true)"
        for e in exhibits
        if attach_originals and e.settings.redact and e.settings.attach_original
    )
    return unredacted + _location_notes(exhibits, keep_metadata)


def _location_notes(exhibits: Iterable[Exhibit], keep_metadata: bool) -> tuple[str, ...]:
    located = [
        e.source.relpath
        for e in exhibits
        if isinstance(e.content, ImageContent) and e.content.has_location
    ]
    if not located:
        return ()
    if keep_metadata:
        return (
            MN_(
                "--keep-metadata: the GPS position of {count} picture is in the PDF ({files})",
                "--keep-metadata: the GPS position of {count} pictures is in the PDF ({files})",
                len(located),
                files=", ".join(located[:3]) + (", …" if len(located) > 3 else ""),
            ),
        )
    return (
        MN_(
            "location data (GPS) removed from {count} picture, with the rest of its metadata "
            "(EXIF, XMP, camera serial, thumbnails); use --keep-metadata to keep it",
            "location data (GPS) removed from {count} pictures, with the rest of their metadata "
            "(EXIF, XMP, camera serial, thumbnails); use --keep-metadata to keep it",
            len(located),
        ),
    )
