"""The integrity appendix: each exhibit's full SHA-256 and size, so a printed copy can be checked.

The stamp on every page shows only the first 12 hex digits of the hash; a
recipient who wants to be sure that a file they were sent is the one shown
needs all 64, and the file's size, on paper.
"""

from __future__ import annotations

from pathlib import Path

from dossier.layout.fonts import page_canvas, register_fonts
from dossier.layout.front import _TableWriter
from dossier.layout.style import PageStyle, Strings
from dossier.model import Exhibit


def render_integrity(
    exhibits: tuple[Exhibit, ...], style: PageStyle, strings: Strings, out: Path
) -> int:
    """Draw the appendix into ``out``; returns its page count."""
    register_fonts()
    canvas = page_canvas(out, style)
    writer = _TableWriter(canvas, style)
    writer.heading(strings["integrity.title"])
    writer.paragraph(strings["integrity.intro"])
    writer.cursor -= 4
    columns = [
        (strings["columns.number"], 0.07),
        (strings["integrity.file"], 0.35),
        (strings["integrity.size"], 0.16),
        ("SHA-256", 0.42),
    ]
    for exhibit in exhibits:
        source = exhibit.source
        writer.row(
            columns,
            [
                str(exhibit.number),
                source.relpath,
                strings.format("integrity.bytes", size=source.size),
                spaced_hash(source.sha256),
            ],
        )
    canvas.showPage()
    canvas.save()
    return writer.page + 1


def spaced_hash(sha256: str) -> str:
    """The hash in groups of 8 hex digits: easier to compare by eye, and it wraps cleanly."""
    return " ".join(sha256[i : i + 8] for i in range(0, len(sha256), 8))
