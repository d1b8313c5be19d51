"""Text that flows over as many pages as it needs, inside the page style's content box."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.flowables import Flowable

from dossier.layout.fonts import REGULAR, register_fonts
from dossier.layout.style import PageStyle


def build_flowing(story: Sequence[Flowable], style: PageStyle, out: Path, *, stamped: bool) -> int:
    """Lay ``story`` out into ``out``; returns the page count.

    ``stamped`` leaves room at the top for the exhibit stamp band, which the
    overlay adds later with the footer.
    """
    register_fonts()
    x, y, width, height = style.content_box(stamped=stamped)
    frame = Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document = BaseDocTemplate(
        str(out),
        pagesize=(style.width, style.height),
        pageTemplates=[PageTemplate(id="flow", frames=[frame])],
        invariant=True,
        # reportlab's default, Helvetica, would be named on every page and never embedded.
        initialFontName=REGULAR,
    )
    document.build(list(story))
    return int(document.page)
