"""Which characters the embedded font can draw.

DejaVu Sans covers Latin, Greek, Cyrillic and many symbols, but not Chinese,
Japanese or Korean script, nor colour emoji. Such characters print as empty
boxes; the exhibit says so rather than silently losing them.
"""

from __future__ import annotations

import functools

from reportlab.pdfbase.ttfonts import TTFont

from dossier.layouts import page_style


@functools.cache
def _drawable() -> frozenset[int]:
    font = TTFont("coverage", str(page_style().font_regular))
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` that the font cannot draw, in order of appearance."""
    drawable = _drawable()
    missing: dict[str, None] = {}
    for char in text:
        if char.isprintable() and not char.isspace() and ord(char) not in drawable:
            missing.setdefault(char, None)
    return list(missing)


def font_note(*texts: str) -> str | None:
    """A warning naming a few characters that will print as blanks; None when all can be drawn."""
    missing = missing_glyphs(" ".join(texts))
    if not missing:
        return None
    sample = " ".join(missing[:5])
    return (
        f"{len(missing)} different characters (e.g. {sample}) are not in the dossier's font "
        "and print as empty boxes; the original file keeps them"
    )
