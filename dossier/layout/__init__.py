"""Pages drawn with reportlab: the front matter, exhibit bodies, stamps and footers."""

import html
import re


def escape(text: str) -> str:
    """``text`` for a reportlab Paragraph: ``&``, ``<`` and ``>`` as entities."""
    # What xml.sax.saxutils.escape does, without importing urllib, http and
    # ssl with it (a sixtieth of a second at every start).
    return html.escape(text, quote=False)


# After these a long token (a MIME type, an address, a URL) may go on the next line.
_BREAK_AFTER = re.compile(r"(?<=[/\-._@?&=:+])")


def breakable(text: str, font: str, size: float, width: float) -> str:
    """``text`` as paragraph markup, a token too long for ``width`` cut at sensible places.

    reportlab cuts a word that does not fit anywhere ("message/delivery-st",
    "atus"): here it goes on a new line after a "/", "-", "." or the like
    ("message/" then "delivery-status"), and only a piece with no such place
    (a hash) is cut where it must.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for word in text.split(" "):
        if stringWidth(word, font, size) <= width:
            lines.append(escape(word))
            continue
        pieces: list[str] = []
        current = ""
        for part in _BREAK_AFTER.split(word):
            if current and stringWidth(current + part, font, size) > width:
                pieces.append(current)
                current = ""
            current += part
            while stringWidth(current, font, size) > width and len(current) > 1:
                cut = max(1, _longest_fit(current, font, size, width))
                pieces.append(current[:cut])
                current = current[cut:]
        pieces.append(current)
        lines.append("<br/>".join(escape(piece) for piece in pieces if piece))
    return " ".join(lines)


def _longest_fit(text: str, font: str, size: float, width: float) -> int:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    low, high = 0, len(text)
    while high - low > 1:
        middle = (low + high) // 2
        if stringWidth(text[:middle], font, size) <= width:
            low = middle
        else:
            high = middle
    return low
