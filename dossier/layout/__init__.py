"""Pages drawn with reportlab: the front matter, exhibit bodies, stamps and footers."""

import html


def escape(text: str) -> str:
    """``text`` for a reportlab Paragraph: ``&``, ``<`` and ``>`` as entities."""
    # What xml.sax.saxutils.escape does, without importing urllib, http and
    # ssl with it (a sixtieth of a second at every start).
    return html.escape(text, quote=False)
