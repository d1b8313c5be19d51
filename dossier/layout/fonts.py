"""The embedded fonts (shipped in layouts/fonts) and the choice of a font per character.

DejaVu Sans is subsetted into every PDF, so "Łukasz Dvořák-Müller", "Œuvre",
"23,99 €", Greek and Cyrillic print the same everywhere and come back out
with text extraction. Characters it does not draw fall back, run by run, to
Noto Sans Arabic, Noto Sans Hebrew, Droid Sans Fallback (Chinese, Japanese,
Korean) or Noto Emoji (monochrome: colour emoji cannot be embedded). A
fallback font is read and embedded (as a subset) only when a page uses it.

Right-to-left text is shaped (Arabic letters take their joined forms) and put
in visual order line by line, since reportlab draws glyphs left to right.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.tables import CellStyle

from dossier.layout import escape
from dossier.layout.coverage import FALLBACKS as _FALLBACKS
from dossier.layout.style import PageStyle, layouts_dir, page_style

REGULAR = "DossierSans"
BOLD = "DossierSans-Bold"

# Characters that only select a presentation (emoji or text style): dropped
# when the font of the character they follow has no glyph for them.
_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | {0x200D, 0x200C}


@functools.cache
def register_fonts() -> None:
    """Make the fonts known to reportlab (once per process)."""
    style = page_style()
    pdfmetrics.registerFont(TTFont(REGULAR, str(style.font_regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(style.font_bold)))
    # Lets <b> in paragraphs pick the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    # A table sets its cells' font on the canvas even when they hold
    # paragraphs: with reportlab's default, Helvetica (never embedded), a page
    # would name a font that is not in the file.
    CellStyle.fontname = REGULAR
    # reportlab writes a character beyond U+FFFF (an emoji, a rare Chinese
    # character) into the ToUnicode map as five hex digits, which readers
    # reject: the text would not come back out of the PDF. UTF-16 it is.
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


_ORIGINAL_CMAP = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    cmap: str = _ORIGINAL_CMAP(fontname, subset)
    if all(code <= 0xFFFF for code in subset if isinstance(code, int)):
        return cmap
    for index, code in enumerate(subset):
        if isinstance(code, int) and code > 0xFFFF:
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>", 1)
    return cmap


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis so it fits in ``width`` points.

    The longest prefix that fits is found by bisection: a 100 KB caption
    costs a few dozen measurements, not one per character.
    """
    if text_width(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits (or low is 0); text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if text_width(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


def page_canvas(out: Path, style: PageStyle) -> Canvas:
    """A reportlab canvas for ``out`` whose initial font is the embedded one.

    reportlab names its initial font in every page's resources: with its
    default, Helvetica, which is never embedded, each page would refer to a
    font that is not in the file (print shops and PDF/A checks refuse that).
    """
    register_fonts()
    # types-reportlab declares initialFontName a float: passed by keyword table.
    initial: dict[str, Any] = {"initialFontName": REGULAR}
    return Canvas(str(out), pagesize=(style.width, style.height), invariant=True, **initial)


@functools.cache
def _fallback(name: str) -> frozenset[int]:
    """Register the fallback font ``name`` (on first use) and return the characters it draws."""
    for known, filename, _ranges in _FALLBACKS:
        if known == name:
            font = TTFont(name, str(layouts_dir() / "fonts" / filename))
            pdfmetrics.registerFont(font)
            return frozenset(font.face.charToGlyph)
    raise KeyError(name)


@functools.cache
def _covered(font: str) -> frozenset[int]:
    register_fonts()
    registered = pdfmetrics.getFont(font)
    assert isinstance(registered, TTFont)  # register_fonts registers TrueType fonts only
    face = registered.face
    return frozenset(face.charToGlyph)


@functools.cache
def font_for(character: str, base: str) -> str:
    """The font that draws ``character`` in text set in ``base`` (REGULAR or BOLD)."""
    code = ord(character)
    for name, _filename, ranges in _FALLBACKS:
        if any(low <= code <= high for low, high in ranges) and code in _fallback(name):
            return name
    if code in _covered(base):
        return base
    for name, _filename, ranges in _FALLBACKS:
        if not ranges and code in _fallback(name):
            return name
    return base


def font_runs(text: str, base: str) -> list[tuple[str, str]]:
    """``text`` cut into (font, characters) runs, each drawn by one font.

    A combining mark or a selector stays with the character before it when
    that font has it; a selector (emoji or text style, a joiner) the font at
    hand lacks is left out, since it only chooses how the character looks.
    """
    if text.isascii():  # the usual case, and DejaVu Sans draws all of ASCII
        return [(base, text)] if text else []
    runs: list[tuple[str, list[str]]] = []
    for character in text:
        code = ord(character)
        attached = code in _SELECTORS or unicodedata.category(character) == "Mn"
        if attached and runs and code in _font_characters(runs[-1][0]):
            runs[-1][1].append(character)
            continue
        if code in _SELECTORS:
            continue
        font = font_for(character, base)
        if runs and runs[-1][0] == font:
            runs[-1][1].append(character)
        else:
            runs.append((font, [character]))
    return [(font, "".join(characters)) for font, characters in runs]


def _font_characters(font: str) -> frozenset[int]:
    if font in (REGULAR, BOLD):
        return _covered(font)
    return _fallback(font)


_RTL_CLASSES = frozenset({"R", "AL"})


def is_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter (Arabic, Hebrew, ...)."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(character) in _RTL_CLASSES for character in text)


def starts_rtl(text: str) -> bool:
    """Whether the first strongly directional letter of ``text`` is right-to-left."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in _RTL_CLASSES:
            return True
        if direction == "L":
            return False
    return False


def visual_line(text: str, rtl: bool | None = None) -> str:
    """One line of text as drawn left to right: Arabic joined, right-to-left runs reversed.

    ``rtl`` is the direction of the paragraph the line belongs to; by default,
    that of the line's first strongly directional letter.
    """
    if not is_rtl(text):
        return text
    shaped: str = arabic_reshaper.reshape(text)
    direction = None if rtl is None else ("R" if rtl else "L")
    ordered: str = get_display(shaped, base_dir=direction)
    return ordered


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points, each run measured in the font that draws it."""
    return sum(pdfmetrics.stringWidth(run, name, size) for name, run in font_runs(text, font))


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw one line from ``x``, each run in the font that draws it.

    The canvas's font is ``font`` again afterwards.
    """
    for name, run in font_runs(visual_line(text), font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, name, size)
    canvas.setFont(font, size)


def _paragraph_setup(paragraph: Paragraph, *args: Any) -> None:
    """Reportlab's own ``Paragraph._setup``, which its type stubs leave out."""
    setup: Callable[..., None] = vars(Paragraph)["_setup"]
    setup(paragraph, *args)


class ScriptParagraph(Paragraph):
    """A reportlab Paragraph whose characters each get a font that draws them.

    Fragments are cut where the font changes. A paragraph holding
    right-to-left text is broken into lines here (in reading order), and each
    line is then shaped and put in visual order; it is right-aligned when it
    starts with a right-to-left letter. Inline bold is not kept in such a
    paragraph.
    """

    _rtl_width: float | None = None

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        fresh = frags is None
        _paragraph_setup(self, text, style, bulletText, frags, cleaner)
        if not fresh:
            return
        self._logical: list[str] | None = None
        if is_rtl("".join(getattr(frag, "text", "") for frag in self.frags)):
            self._logical = _logical_lines(self.frags)
            self._rtl_font = self.frags[0].fontName if self.frags else REGULAR
        else:
            self.frags = list(_split_frags(self.frags))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break right-to-left text for ``availWidth`` before reportlab lays it out."""
        logical = getattr(self, "_logical", None)
        if logical is not None and availWidth != self._rtl_width:
            self._rtl_width = availWidth
            style: ParagraphStyle = self.style
            room = availWidth - style.leftIndent - style.rightIndent
            font = self._rtl_font
            lines = [
                piece
                for line in logical
                for piece in _break_line(line, font, style.fontSize, max(room, 1.0))
            ]
            rtl = starts_rtl("".join(logical))
            markup = "<br/>".join(escape(visual_line(line, rtl)) for line in lines)
            aligned = style
            if rtl and style.alignment == TA_LEFT:
                aligned = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
            _paragraph_setup(self, markup, aligned, self.bulletText, None, lambda value: value)
            self.frags = list(_split_frags(self.frags))
        result: tuple[float, float] = super().wrap(availWidth, availHeight)
        return result


def _logical_lines(frags: list[Any]) -> list[str]:
    lines = [""]
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            lines.append("")
        else:
            lines[-1] += getattr(frag, "text", "")
    return lines


@functools.cache
def _advance(character: str, base: str) -> float:
    """The width of one character at size 1, in the font that draws it."""
    return text_width(character, base, 1)


def _break_line(line: str, font: str, size: float, width: float) -> Iterator[str]:
    """``line`` cut at spaces (or inside a word too long for a line) to fit ``width``.

    Each character is measured once: a paragraph of 50,000 letters without a
    space breaks in linear time.
    """
    limit = width / size
    space = _advance(" ", font)
    current, used, first = "", 0.0, True
    for word in line.split(" "):
        length = sum(_advance(character, font) for character in word)
        gap = 0.0 if first else space
        if used + gap + length <= limit:
            current = word if first else f"{current} {word}"
            used, first = used + gap + length, False
            continue
        if not first:
            yield current
        while length > limit and len(word) > 1:
            taken, fitted = 0, 0.0
            for character in word:
                advance = _advance(character, font)
                if taken and fitted + advance > limit:
                    break
                taken, fitted = taken + 1, fitted + advance
            yield word[:taken]
            word, length = word[taken:], length - fitted
        current, used, first = word, length, False
    yield current


def _split_frags(frags: list[Any]) -> Iterator[Any]:
    for frag in frags:
        text = getattr(frag, "text", "")
        if not text or getattr(frag, "cbDefn", None) is not None:
            yield frag
            continue
        base = frag.fontName if frag.fontName in (REGULAR, BOLD) else None
        if base is None:
            yield frag
            continue
        runs = font_runs(text, base)
        if len(runs) == 1 and runs[0][0] == base:
            frag.text = runs[0][1]
            yield frag
            continue
        for name, run in runs:
            yield frag.clone(text=run, fontName=name)
