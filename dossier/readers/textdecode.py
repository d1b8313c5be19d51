"""Turn bytes of unknown or mislabelled encoding into text without mojibake."""

from __future__ import annotations

import codecs

from dossier.i18n import M_

# Labels that are often put on text that is really UTF-8 or windows-1252.
_UNRELIABLE_LABELS = frozenset(
    {"ascii", "us-ascii", "iso-8859-1", "latin-1", "latin1", "iso8859-1"}
)


# Senders label text with a charset but use its vendor superset: GBK
# characters in "gb2312" mail, Microsoft's additions in "shift_jis".
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Decode ``data``, trusting ``declared`` only when the bytes agree.

    Returns the text and, when a guess was needed, a note saying so.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), None
    label = _normalise(declared)
    if label and label not in _UNRELIABLE_LABELS:
        try:
            return data.decode(_SUPERSETS.get(label, label)), None
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if label in _UNRELIABLE_LABELS or label is None:
        # windows-1252 is a superset of the printable part of ISO-8859-1.
        return data.decode("cp1252", errors="replace"), None
    return data.decode("cp1252", errors="replace"), M_(
        "text was not valid {charset}; read as windows-1252", charset=declared
    )


def repair_surrogates(text: str) -> str:
    """Re-decode raw 8-bit bytes that the email parser kept as surrogates."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="surrogateescape")
        return decode_text(raw)[0]


def _normalise(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip('"')).name
    except LookupError:
        return label.strip().lower()
