"""Which characters the embedded fonts can draw.

DejaVu Sans covers Latin, Greek, Cyrillic and many symbols; the fallback
fonts (see ``fonts``) add Arabic, Hebrew, Chinese, Japanese, Korean and
emoji. What none of them draws (Devanagari or Thai, say) prints as an empty
box; the exhibit says so rather than silently losing it.
"""

from __future__ import annotations

import functools

from reportlab.pdfbase.ttfonts import TTFont

from dossier.i18n import M_
from dossier.layout.fonts import fallback_draws
from dossier.layout.style import page_style


@functools.cache
def _drawable() -> frozenset[int]:
    font = TTFont("coverage", str(page_style().font_regular))
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` that the font cannot draw, in order of appearance."""
    drawable = _drawable()
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
