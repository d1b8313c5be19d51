"""Optional OCR: the words of an image exhibit, with where each one sits.

The Tesseract engine is called as a program (``tesseract IMAGE - tsv``)
rather than through a Python wrapper: its TSV output already gives every
word with its box, confidence and line, the image goes in through stdin
(no temporary files), and a missing engine or language pack can be told
apart and reported with the exact command that installs it. Nothing is ever
downloaded: the engine and its language data come from the system.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import re
import shutil
import subprocess
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps

from dossier import pixelbudget
from dossier.billing.statement import read_statement, visual_lines
from dossier.case.marks import burn_redactions
from dossier.errors import OcrUnavailableError
from dossier.i18n import M_, TechnicalDetail
from dossier.model import Box, Exhibit, ImageContent, OcrText, OcrWord

if TYPE_CHECKING:
    from dossier.cache import Cache

# The Debian packages of the engine and of the four languages a dossier is written in.
DEBIAN_PACKAGES = (
    "tesseract-ocr",
    "tesseract-ocr-fra",
    "tesseract-ocr-nld",
    "tesseract-ocr-deu",
    "tesseract-ocr-eng",
)
# Tesseract's language codes for the dossier's languages.
TESSERACT_LANGUAGES = {"fr": "fra", "nl": "nld", "de": "deu", "en": "eng"}
# Screen text stays legible down to about this many pixels; a 33-megapixel
# TV capture is read at a lower resolution, which is several times faster.
MAX_OCR_PIXELS = 4_000_000
# Tesseract misreads small text (below about 20 pixels high): narrow images,
# such as a screenshot forwarded through a messenger at low resolution,
# are enlarged to this width first, at most MAX_UPSCALE times.
MIN_OCR_WIDTH = 1000
MAX_UPSCALE = 3.0
# A slight enlargement (a 900-pixel capture to 1000) blurs a thin "1" until
# Tesseract drops it ("19 nov." read "9 nov."): below this factor, none.
MIN_UPSCALE = 1.3
# Every word Tesseract returns is kept, however unsure it says it is: its
# confidence is unreliable for short tokens (a correct "31" of a date column
# can score 0), and a stray word in an invisible layer costs nothing.
MIN_CONFIDENCE = 0.0
# Tesseract's page segmentation mode 11, "sparse text": every piece of text
# with its own box, and no layout analysis (mode 3 took a column of dates
# starting with "1" for a ruled line and dropped it; mode 6, one uniform
# block, merged an amount drawn between a row's two lines into one of them
# and lost its sign). Which label and date go with an amount is decided
# afterwards from the boxes (``dossier.billing.statement``).
PAGE_SEGMENTATION = 11
# White pixels added around the picture for Tesseract (removed from the boxes).
MARGIN = 24
# One image must never hang a build.
TIMEOUT_SECONDS = 120


def text_lines(text: OcrText) -> list[str]:
    """The recognised text, one string per line, top to bottom."""
    return [" ".join(word.text for word in words) for words in visual_lines(text.words)]


def read_all(
    exhibits: Sequence[Exhibit], language: str, enabled: bool, cache: Cache | None = None
) -> tuple[Exhibit, ...]:
    """The OCR stage: the words and amounts of every image exhibit.

    Amounts given in the case file replace what OCR read (and are used even
    without ``enabled``); ``ocr = false`` in the case file skips a file. A
    file OCR fails on keeps its place in the dossier, with a warning. With a
    ``cache``, the words read on a picture are kept for the next build, and
    Tesseract is not even looked for when every picture's words are there.

    Raises:
        OcrUnavailableError: ``enabled`` but Tesseract or its language data is missing.
    """
    wanted = [enabled and e.kind.is_image and e.settings.ocr for e in exhibits]
    results: list[tuple[OcrText | None, str | None] | None] = [None] * len(exhibits)
    if cache is not None:
        for index, exhibit in enumerate(exhibits):
            if wanted[index] and (found := _cached_words(cache, exhibit, language)) is not None:
                results[index], wanted[index] = (found, None), False
    if any(wanted):
        check_engine(language)

        def read(pair: tuple[Exhibit, bool]) -> tuple[OcrText | None, str | None] | None:
            exhibit, wants = pair
            if not wants:
                return None
            text, problem = _read_one(exhibit, language)
            if cache is not None and text is not None:
                cache.store(
                    "ocr",
                    exhibit.source.sha256,
                    _ocr_variant(exhibit, language),
                    text_as_data(text),
                )
            return text, problem

        # Tesseract runs as a separate process: threads keep every core busy.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            fresh = list(pool.map(read, zip(exhibits, wanted, strict=True)))
        results = [new if new is not None else old for new, old in zip(fresh, results, strict=True)]
    updated = []
    for exhibit, result in zip(exhibits, results, strict=True):
        text, problem = result if result is not None else (None, None)
        given = exhibit.settings.amounts
        # A date without its year on the screenshot is in the year the exhibit is dated.
        year = exhibit.timestamp.value.year if exhibit.timestamp is not None else None
        amounts = (
            given if given is not None else tuple(read_statement(text.words, year) if text else ())
        )
        updated.append(
            dataclasses.replace(
                exhibit,
                ocr=text,
                amounts=amounts,
                warnings=exhibit.warnings + ((problem,) if problem else ()),
            )
        )
    return tuple(updated)


def _cached_words(cache: Cache, exhibit: Exhibit, language: str) -> OcrText | None:
    found = cache.lookup(
        "ocr", exhibit.source.sha256, _ocr_variant(exhibit, language), text_from_data
    )
    return None if found is None else found[0]


def _ocr_variant(exhibit: Exhibit, language: str) -> str:
    """What a picture's words depend on besides its bytes: language, hidden boxes, engine."""
    return f"{language}|{exhibit.settings.redact!r}|{engine_identity(language)}"


def engine_identity(language: str) -> str:
    """The Tesseract program and the language data it reads for ``language``.

    An upgrade of either reads anew. Found without running Tesseract: a
    rebuild from the cache runs no Tesseract at all.
    """
    return f"{_engine_fingerprint()}|{_language_data(language)}"


@functools.cache
def _engine_fingerprint() -> str:
    """The Tesseract program found, by its path, size and time."""
    executable = _tesseract()
    if executable is None:
        return "none"
    try:
        status = Path(executable).resolve().stat()
    except OSError:
        return executable
    return f"{executable}:{status.st_size}:{status.st_mtime_ns}"


@functools.cache
def _language_data(language: str) -> str:
    """The ``.traineddata`` files of ``language`` and English, by path, size and time.

    Looked for where Tesseract looks (``TESSDATA_PREFIX``, then the folders
    packages install them in, beside the program or under /usr and
    /opt/homebrew), without running it. Every copy found counts: the one
    Tesseract reads is among them.
    """
    names = [
        f"{code}.traineddata" for code in dict.fromkeys([TESSERACT_LANGUAGES[language], "eng"])
    ]
    found = []
    for folder in _tessdata_folders():
        for name in names:
            path = folder / name
            try:
                status = path.stat()
            except OSError:
                continue
            found.append(f"{path}:{status.st_size}:{status.st_mtime_ns}")
    return ",".join(found) or "none found"


def _tessdata_folders() -> list[Path]:
    folders = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        folders += [Path(prefix), Path(prefix) / "tessdata"]
    roots = [Path("/usr/share"), Path("/usr/local/share"), Path("/opt/homebrew/share")]
    executable = _tesseract()
    if executable is not None:
        program = Path(executable).resolve().parent
        folders.append(program / "tessdata")  # Windows installers
        roots.insert(0, program.parent / "share")
    for root in roots:
        folders.append(root / "tessdata")
        folders += sorted(root.glob("tesseract-ocr/*/tessdata"))
        folders.append(root / "tesseract-ocr" / "tessdata")
    return list(dict.fromkeys(folders))


def text_as_data(text: OcrText) -> dict[str, Any]:
    """The words read on a picture, as JSON-ready data for the cache (``text_from_data``)."""
    return {
        "width": text.width,
        "height": text.height,
        "language": text.language,
        "words": [
            [w.text, w.left, w.top, w.width, w.height, w.confidence, list(w.line), w.ink]
            for w in text.words
        ],
    }


def text_from_data(data: dict[str, Any]) -> OcrText:
    """The ``OcrText`` that ``text_as_data`` wrote.

    Raises:
        KeyError, TypeError, ValueError: the data is not what it wrote.
    """
    words = []
    for word, left, top, width, height, confidence, line, ink in data["words"]:
        block, paragraph, number = line
        words.append(
            OcrWord(
                str(word),
                int(left),
                int(top),
                int(width),
                int(height),
                float(confidence),
                (int(block), int(paragraph), int(number)),
                None if ink is None else (int(ink[0]), int(ink[1]), int(ink[2])),
            )
        )
    return OcrText(int(data["width"]), int(data["height"]), tuple(words), str(data["language"]))


def _read_one(exhibit: Exhibit, language: str) -> tuple[OcrText | None, str | None]:
    content = exhibit.content
    pixels = content.width * content.height if isinstance(content, ImageContent) else 0
    try:
        # Decoded in threads: the pixels come out of the process's budget.
        with pixelbudget.BUDGET.holding(pixels):
            return read_words(exhibit.source.path, language, exhibit.settings.redact), None
    except (OSError, ValueError) as error:
        return None, M_(
            "OCR could not read this image{detail}; it is included without text",
            detail=TechnicalDetail(f" ({error})"),
        )


def check_engine(language: str) -> None:
    """Make sure Tesseract and the language data for ``language`` are installed.

    Raises:
        OcrUnavailableError: the engine or the language data is missing.
    """
    if _tesseract() is None:
        raise OcrUnavailableError(_needs_tesseract())
    wanted = {TESSERACT_LANGUAGES[language], "eng"}
    missing = sorted(wanted - _installed_languages())
    if missing:
        raise OcrUnavailableError(
            M_(
                "--ocr needs Tesseract's language data {languages}; "
                "install it with: sudo apt-get install {packages}",
                languages=", ".join(missing),
                packages=" ".join(DEBIAN_PACKAGES),
            )
        )


def _needs_tesseract() -> str:
    return M_(
        "--ocr needs the Tesseract OCR engine; install it with: sudo apt-get install {packages}",
        packages=" ".join(DEBIAN_PACKAGES),
    )


def read_words(path: Path, language: str, redact: Sequence[Box] = ()) -> OcrText:
    """Run OCR on the first frame of the image at ``path``, upright, in ``language``.

    Tesseract reads the picture as the dossier shows it: the ``redact`` boxes
    are burned into the pixels it is given, and a word it still places on a
    box (a guess from the edge of a letter) is dropped. What is hidden on the
    page is thus never in the text layer, the amounts or the findings.

    Raises:
        OcrUnavailableError: Tesseract is not installed.
        OSError: the image cannot be decoded or Tesseract failed on it.
        ValueError: Pillow cannot convert the image for OCR.
    """
    executable = _tesseract()
    if executable is None:
        raise OcrUnavailableError(_needs_tesseract())
    # Damage was already reported by the reader.
    with warnings.catch_warnings(), Image.open(path) as image:
        warnings.simplefilter("ignore")
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in ("RGB", "RGBA", "L", "LA"):
            # Palette and 1-bit images would be resized without smoothing.
            upright = upright.convert("RGBA")
        width, height = upright.size
        scale = min(MAX_UPSCALE, max(1.0, MIN_OCR_WIDTH / width))
        scale = 1.0 if 1.0 < scale < MIN_UPSCALE else scale
        scale = min(scale, (MAX_OCR_PIXELS / (width * height)) ** 0.5)
        if scale != 1.0:
            size = (round(width * scale), round(height * scale))
            # reducing_gap: shrink a huge capture by whole factors first, much faster.
            upright = upright.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            scale = size[0] / width
        # Flattened after resizing: on a 33-megapixel capture that is seconds saved.
        upright = _opaque(upright)
        if redact:
            upright = burn_redactions(upright, redact, (width, height))
        # A dark theme or a coloured title bar: Tesseract reads dark text on a
        # light ground far better, and misses light text on a dark one.
        coloured = upright
        upright = _light_ground(upright)
    buffer = io.BytesIO()
    # A white margin: Tesseract drops a thin "1" that touches the picture's edge.
    ImageOps.expand(upright, border=MARGIN, fill="white").save(buffer, "PNG", compress_level=1)
    languages = "+".join(dict.fromkeys([TESSERACT_LANGUAGES[language], "eng"]))
    try:
        finished = _run_tesseract(
            executable, buffer.getvalue(), languages, "--psm", str(PAGE_SEGMENTATION), "tsv"
        )
    except subprocess.TimeoutExpired:
        raise OSError(f"OCR took longer than {TIMEOUT_SECONDS} s") from None
    if finished.returncode != 0:
        message = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OSError(f"Tesseract failed: {message[-1] if message else finished.returncode}")
    rows = finished.stdout.decode("utf-8", "replace").splitlines()
    words = parse_tsv(rows, 1 / scale, offset=MARGIN)
    words = [_with_ink(word, coloured, scale) for word in words]
    words = [_second_look(word, upright, scale, executable, languages) for word in words]
    read = OcrText(width=width, height=height, words=tuple(words), language=languages)
    return without_redacted(read, redact)


def without_redacted(text: OcrText, redact: Sequence[Box]) -> OcrText:
    """``text`` without every word whose box meets one of the ``redact`` boxes."""
    hidden = [box.pixels(text.width, text.height) for box in redact]

    def meets(word: OcrWord) -> bool:
        return any(
            word.left < x + w
            and x < word.left + word.width
            and word.top < y + h
            and y < word.top + word.height
            for x, y, w, h in hidden
        )

    return dataclasses.replace(text, words=tuple(w for w in text.words if not meets(w)))


def _run_tesseract(
    executable: str, png: bytes, languages: str, *options: str
) -> subprocess.CompletedProcess[bytes]:
    """Tesseract on a PNG given on its standard input; its output on standard output."""
    return subprocess.run(
        [executable, "-", "-", "-l", languages, *options],
        input=png,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        # Tesseract's own threads only slow it down on small images.
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )


# A number with a quote mark glued before it ('"3,48€'): most often a minus
# sign misread in sparse-text mode, which the word read alone gets right.
_UNSURE_SIGN = re.compile(r"^[\"'“”„‘’`´]+\d")


def _second_look(
    word: OcrWord, image: Image.Image, scale: float, executable: str, languages: str
) -> OcrWord:
    """The word read again on its own (as a raw line), when its sign looks misread."""
    if not _UNSURE_SIGN.match(word.text):
        return word
    pad = round(word.height * scale)
    box = (
        round(word.left * scale) - pad,
        round(word.top * scale) - pad // 3,
        round((word.left + word.width) * scale) + pad // 3,
        round((word.top + word.height) * scale) + pad // 3,
    )
    buffer = io.BytesIO()
    crop = ImageOps.expand(image.crop(box), border=MARGIN, fill="white")
    crop.save(buffer, "PNG", compress_level=1)
    try:
        finished = _run_tesseract(executable, buffer.getvalue(), languages, "--psm", "13")
    except subprocess.TimeoutExpired:
        return word
    again = finished.stdout.decode("utf-8", "replace").strip()
    signed = again.replace(" ", "")
    if finished.returncode == 0 and re.match(r"^[-+\u2212]\d", signed):
        return dataclasses.replace(word, text=signed)
    return word


def _with_ink(word: OcrWord, image: Image.Image, scale: float) -> OcrWord:
    """The word with the colour of its letters, when it holds a digit."""
    if not any(char.isdigit() for char in word.text):
        return word
    box = tuple(round(v * scale) for v in (word.left, word.top, word.left + word.width))
    bottom = round((word.top + word.height) * scale)
    data = image.convert("RGB").crop((box[0], box[1], box[2], bottom)).tobytes()
    colours = Counter(data[i : i + 3] for i in range(0, len(data) - 2, 3))
    if not colours:
        return word
    ground = colours.most_common(1)[0][0]
    # The letters: the pixels furthest from the ground (anti-aliased edges left out).
    far = [
        (count, colour)
        for colour, count in colours.items()
        if sum(abs(a - b) for a, b in zip(colour, ground, strict=True)) > 150
    ]
    total = sum(count for count, _ in far)
    if not total:
        return word
    ink = [round(sum(c[i] * n for n, c in far) / total) for i in range(3)]
    return dataclasses.replace(word, ink=(ink[0], ink[1], ink[2]))


def parse_tsv(rows: Iterable[str], scale: float = 1.0, offset: int = 0) -> list[OcrWord]:
    """Words from Tesseract's TSV output; boxes moved back by ``offset``, then scaled."""
    words = []
    for row in rows:
        cells = row.split("\t")
        # level 5 is a word; the header row and empty words are skipped.
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        confidence = float(cells[10])
        if confidence < MIN_CONFIDENCE:
            continue
        left, top = (round((int(value) - offset) * scale) for value in cells[6:8])
        width, height = (round(int(value) * scale) for value in cells[8:10])
        block, paragraph, line = (int(value) for value in cells[2:5])
        words.append(
            OcrWord(
                cells[11].strip(), left, top, width, height, confidence, (block, paragraph, line)
            )
        )
    return words


def _opaque(image: Image.Image) -> Image.Image:
    """RGB with transparency shown as white, as on screen.

    Colour is kept: Tesseract's own thresholding reads big grey-on-white
    figures better than a plain greyscale conversion does.
    """
    if image.mode in ("RGB", "L"):
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(background, rgba).convert("RGB")


# A band of rows darker than this (mean grey level, 0-255) is a dark ground.
_DARK_GROUND = 110


def _light_ground(image: Image.Image) -> Image.Image:
    """The picture with every horizontal band of dark ground made light, its letters dark."""
    rgb = image.convert("RGB")
    gray = rgb.convert("L")
    # The ground of a row is its most common grey among 256 sampled pixels:
    # letters, even bold ones, cover fewer of them.
    samples = gray.resize((256, rgb.height), Image.Resampling.NEAREST).tobytes()
    grounds = [
        Counter(samples[row * 256 : row * 256 + 256]).most_common(1)[0][0]
        for row in range(rgb.height)
    ]
    start = None
    for row, ground in enumerate([*grounds, 255]):
        if ground < _DARK_GROUND and start is None:
            start = row
        elif ground >= _DARK_GROUND and start is not None:
            dark = sorted(grounds[start:row])[(row - start) // 2]
            # Inverted and stretched: the ground turns white, light letters black.
            table = [min(255, round((255 - v) * 255 / max(1, 255 - dark))) for v in range(256)]
            box = (0, start, rgb.width, row)
            rgb.paste(gray.crop(box).point(table).convert("RGB"), box)
            start = None
    return rgb


@functools.cache
def _tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def _installed_languages() -> frozenset[str]:
    executable = _tesseract()
    if executable is None:
        return frozenset()
    try:
        listed = subprocess.run(
            [executable, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    # The first line is a heading ("List of available languages in ...").
    lines = listed.stdout.decode("utf-8", "replace").splitlines()[1:]
    return frozenset(line.strip() for line in lines if line.strip())
