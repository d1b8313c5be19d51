"""The characters the fonts draw, read from their character maps without reportlab."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from dossier.layout.cmap import font_coverage
from dossier.layout.style import layouts_dir

FONTS = sorted((layouts_dir() / "fonts").glob("*.ttf"))


@pytest.mark.parametrize("font", [pytest.param(path, id=path.name) for path in FONTS])
def test_the_character_map_is_the_one_reportlab_reads(font: Path):
    """This test ensures that each shipped font covers exactly the characters reportlab maps."""
    expected = frozenset(TTFont("check", str(font)).face.charToGlyph)
    coverage = font_coverage(font)
    assert coverage.codes() == expected
    assert all(code in coverage for code in (min(expected), max(expected)))


def test_the_fonts_are_all_read():
    """This test ensures that the comparison above covers the regular font and every fallback."""
    names = {path.name for path in FONTS}
    assert {"DejaVuSans.ttf", "DroidSansFallback.ttf", "NotoEmoji-Regular.ttf"} <= names
    assert 0x4E2D in font_coverage(layouts_dir() / "fonts" / "DroidSansFallback.ttf")
    assert 0x4E2D not in font_coverage(layouts_dir() / "fonts" / "DejaVuSans.ttf")


def test_a_file_that_is_no_font_is_refused(tmp_path: Path):
    """This test ensures that a damaged font file raises ValueError, which falls back to reportlab."""
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\0\1\0\0\0\1" + b"\0" * 4)
    with pytest.raises(ValueError, match="broken.ttf"):
        font_coverage(broken)


# reportlab's fonts, canvas and paragraphs (its units and colours are small).
DRAWING = ("reportlab.pdfbase", "reportlab.platypus", "reportlab.pdfgen")

CHECK = """
import sys
from dossier.layout.coverage import font_note, missing_glyphs
assert missing_glyphs("Łukasz 中文 😀 \\u0915") == ["\\u0915"]
assert font_note("Dvořák") is None
print(" ".join(sorted(name for name in sys.modules if name.startswith("reportlab"))))
"""


def test_the_check_of_characters_loads_no_reportlab():
    """This test ensures that warning about undrawable characters does not load page drawing."""
    run = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    drawing = [name for name in run.stdout.split() if name.startswith(DRAWING)]
    assert drawing == []
