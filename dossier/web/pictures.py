"""Pictures the page shows: thumbnails of exhibits and the upright picture to mark.

Thumbnails are made once and kept in a cache outside the case folder, named
by the file's SHA-256: the same content is never drawn twice, and a file
changed in place gets a new thumbnail.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from dossier.cache import ENV_DIR
from dossier.case.marks import burn_redactions
from dossier.layout.style import layouts_dir
from dossier.model import ExhibitSettings
from dossier.web.files import file_sha256

THUMBNAIL = 160
EDITOR = 1600

_digests: dict[tuple[str, int, int], str] = {}


def default_cache() -> Path:
    """Where the page keeps thumbnails and page pictures, beside what builds keep.

    ``pictures`` in the folder ``DOSSIER_CACHE_DIR`` names, when it is set;
    else the user's cache directory (``platformdirs``: ``~/.cache/dossier``
    on Linux, as ``XDG_CACHE_HOME`` says).
    """
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen) / "pictures"
    import platformdirs

    return Path(platformdirs.user_cache_dir("dossier", appauthor=False))


def app_folder() -> Path:
    """Where ``dossier app`` leaves its state and log: ``$XDG_CACHE_HOME/dossier``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier"


def content_key(path: Path) -> str:
    """The file's SHA-256, computed once while its size and time stay the same."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        _digests[key] = file_sha256(path)
    return _digests[key]


def thumbnail(path: Path, cache: Path) -> Path | None:
    """A small JPEG of a picture or of a PDF's first page; None for other files."""
    target = cache / "thumbnails" / f"{content_key(path)}.jpg"
    if target.is_file():
        return target
    image = _first_picture(path)
    if image is None:
        return None
    image.thumbnail((THUMBNAIL, THUMBNAIL))
    _save(image, target)
    return target


def upright(path: Path, cache: Path) -> tuple[Path, int, int] | None:
    """The picture turned upright (as the dossier shows it), at most EDITOR pixels wide.

    Returns:
        The JPEG, and the upright size of the original in pixels (boxes are in those).
    """
    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    width, height = image.size
    target = cache / "upright" / f"{content_key(path)}.jpg"
    if not target.is_file():
        image.thumbnail((EDITOR, EDITOR))
        _save(image, target)
    return target, width, height


def marked(path: Path, cache: Path, settings: ExhibitSettings) -> bytes | None:
    """The picture as the dossier will show it: redactions burned, marks drawn, cropped.

    Drawn on the editor's copy (at most EDITOR pixels), so it is quick; the
    dossier itself draws on the full picture.
    """
    found = upright(path, cache)
    if found is None:
        return None
    picture, width, height = found
    with Image.open(picture) as opened:
        image = opened.convert("RGB")
    image = burn_redactions(image, settings.redact, (width, height))
    scale = image.width / width
    draw = ImageDraw.Draw(image)
    line = max(2, round(image.width / 300))
    font = ImageFont.truetype(
        str(layouts_dir() / "fonts" / "DejaVuSans.ttf"), max(12, image.width // 50)
    )
    for mark in settings.highlight:
        x, y, w, h = (v * scale for v in mark.box.pixels(width, height))
        shape = draw.ellipse if mark.shape == "ellipse" else draw.rectangle
        shape((x, y, x + w, y + h), outline=(208, 0, 0), width=line)
        if mark.label:
            left, top, right, bottom = draw.textbbox((x, y), mark.label, font=font, anchor="lb")
            draw.rectangle((left - 3, top - 3, right + 3, bottom + 1), fill=(208, 0, 0))
            draw.text((x, y), mark.label, fill=(255, 255, 255), font=font, anchor="lb")
    if settings.crop is not None:
        x, y, w, h = (v * scale for v in settings.crop.pixels(width, height))
        image = image.crop((round(x), round(y), round(x + w), round(y + h)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _first_picture(path: Path) -> Image.Image | None:
    with (
        contextlib.suppress(OSError, ValueError, Image.DecompressionBombError),
        Image.open(path) as opened,
    ):
        opened.draft("RGB", (THUMBNAIL * 2, THUMBNAIL * 2))
        return ImageOps.exif_transpose(opened)
    with path.open("rb") as stream:
        if stream.read(5) != b"%PDF-":
            return None
    import pypdfium2 as pdfium  # only when a PDF needs a thumbnail

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return None
    try:
        page = document[0]
        try:
            picture: Image.Image = page.render(scale=0.3).to_pil()
            return picture
        finally:
            page.close()
    except (pdfium.PdfiumError, IndexError):
        return None
    finally:
        document.close()


def _save(image: Image.Image, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(target)
