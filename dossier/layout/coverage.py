"""Which characters the embedded fonts can draw.

DejaVu Sans covers Latin, Greek, Cyrillic and many symbols; the fallback
fonts (see ``fonts``) add Arabic, Hebrew, Chinese, Japanese, Korean and
emoji. What none of them draws (Devanagari or Thai, say) prints as an empty
box; the exhibit says so rather than silently losing it.

Asked while the folder is read, before any page is drawn: the fonts'
character maps are read from their files (``cmap``), without reportlab.
"""

from __future__ import annotations

import functools
from collections.abc import Container
from pathlib import Path

from dossier.i18n import M_
from dossier.layout.cmap import font_coverage
from dossier.layout.style import layouts_dir, page_style

# Fallback fonts: (name, file, code point ranges it is preferred for). A font
# with ranges is used for those scripts even where DejaVu Sans has a glyph
# (its Arabic and Hebrew are rudimentary); the others only for characters
# that no earlier font draws, in this order.
FALLBACKS: tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...] = (
    (
        "DossierArabic",
        "NotoSansArabic-Regular.ttf",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    ("DossierHebrew", "NotoSansHebrew-Regular.ttf", ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    ("DossierCJK", "DroidSansFallback.ttf", ()),
    ("DossierEmoji", "NotoEmoji-Regular.ttf", ()),
)


@functools.cache
def _drawable(path: Path) -> Container[int]:
    try:
        return font_coverage(path)
    except ValueError:  # a character map this does not read: reportlab reads them all
        from reportlab.pdfbase.ttfonts import TTFont

        return frozenset(TTFont("coverage", str(path)).face.charToGlyph)


def fallback_draws(character: str) -> bool:
    """Whether a fallback font has a glyph for ``character``."""
    code = ord(character)
    fonts = layouts_dir() / "fonts"
    return any(code in _drawable(fonts / filename) for _name, filename, _ranges in FALLBACKS)


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` that the font cannot draw, in order of appearance."""
    drawable = _drawable(page_style().font_regular)
    missing: dict[str, None] = {}
    for char in text:
        if char in missing or not char.isprintable() or char.isspace():
            continue
        if ord(char) not in drawable and not fallback_draws(char):
            missing.setdefault(char, None)
    return list(missing)


def font_note(*texts: str) -> str | None:
    """A warning naming a few characters that will print as boxes; None when all can be drawn."""
    missing = missing_glyphs(" ".join(texts))
    if not missing:
        return None
    return M_(
        "{count} different characters (e.g. {sample}) are not in the dossier's font "
        "and print as empty boxes; the original file keeps them",
        count=len(missing),
        sample=" ".join(missing[:5]),
    )
