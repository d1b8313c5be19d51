"""Decide what a file is from its first bytes.

The name is only a hint for text files (a note or an email has no magic
number); a photo called ``.pdf`` or a PDF called ``.jpg`` is read as what it
really is.
"""

from __future__ import annotations

import re
from pathlib import Path

from dossier.model import Kind

HEAD_SIZE = 4096

# ISO base media "ftyp" brands of HEIF/HEIC stills (ISO/IEC 23008-12).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})

# A header line of RFC 5322: a field name of printable characters, a colon.
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?", re.MULTILINE)
_EMAIL_FIELDS = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"message-id:",
    b"received:",
    b"mime-version:",
    b"return-path:",
    b"delivered-to:",
    b"content-type:",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Outlook stores each message property in a stream named "__substg1.0_XXXXYYYY";
# OLE directory entries hold names in UTF-16LE.
_OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")
# A new message in an mbox: a "From " line after an empty line.
_MBOX_SEPARATOR = re.compile(rb"\n\r?\nFrom ")
_NOTE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
_EMAIL_SUFFIXES = frozenset({".eml", ".email", ".mht"})


def sniff_bytes(head: bytes, suffix: str = "") -> Kind | None:
    """Classify a file from its first bytes (and, for text, its suffix)."""
    if head.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind.WEBP
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Kind.TIFF
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Kind.GIF
    if head[:2] == b"BM" and len(head) >= 26:
        return Kind.BMP
    if head[4:8] == b"ftyp" and _is_heif(head):
        return Kind.HEIF
    # PDF readers accept junk (a byte-order mark, a mail header) before the
    # header within the first kilobyte, and so do we.
    if b"%PDF-" in head[:1024]:
        return Kind.PDF
    if head.startswith(_OLE_MAGIC) and (_OUTLOOK_STREAM in head or suffix.lower() == ".msg"):
        return Kind.MSG
    if _looks_like_email(head):
        return Kind.EMAIL
    if suffix.lower() in _EMAIL_SUFFIXES and _is_text(head):
        return Kind.EMAIL
    if suffix.lower() in _NOTE_SUFFIXES and _is_text(head):
        return Kind.NOTE
    return None


# Formats we recognise but cannot show, with what the user can do instead.
_UNSUPPORTED = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Outlook message (.msg) or old Office document",
        "print it to PDF, or save the message as .eml",
    ),
    (
        b"PK\x03\x04",
        "a ZIP archive or Office document (.docx, .xlsx, .odt)",
        "unpack it, or export the document to PDF",
    ),
    (b"{\\rtf", "a Rich Text document", "export it to PDF"),
)


def describe_unsupported(head: bytes) -> tuple[str, str]:
    """What an unsupported file seems to be, and what to do with it."""
    for magic, what, advice in _UNSUPPORTED:
        if head.startswith(magic):
            return f"{what}, which the dossier cannot show", advice
    return (
        "not a kind of file the dossier can show",
        "convert it to PDF, JPEG, PNG or .eml, or move it out of the folder",
    )


def sniff(path: Path) -> Kind | None:
    """Classify the file at ``path``; None when it is of no kind we read."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_SIZE)
    kind = sniff_bytes(head, path.suffix)
    if kind is None and head.startswith(_OLE_MAGIC) and _contains(path, _OUTLOOK_STREAM):
        return Kind.MSG
    if kind is Kind.EMAIL and head.startswith(b"From ") and _contains(path, _MBOX_SEPARATOR):
        return Kind.MBOX
    return kind


def _contains(path: Path, needle: bytes | re.Pattern[bytes]) -> bool:
    """Whether the file holds ``needle``, read in blocks (a mailbox can be large)."""
    overlap = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            window = overlap + block
            if isinstance(needle, bytes):
                if needle in window:
                    return True
            elif needle.search(window):
                return True
            overlap = window[-32:]
    return False


def _is_heif(head: bytes) -> bool:
    box_size = int.from_bytes(head[:4], "big")
    brands = [head[8:12]]
    brands += [head[i : i + 4] for i in range(16, min(box_size, len(head)), 4)]
    return any(brand in _HEIF_BRANDS for brand in brands)


def _looks_like_email(head: bytes) -> bool:
    text = head.lstrip()
    if text.startswith(b"From ") and b"\n" in text:
        # An mbox separator line comes before the headers.
        text = text.split(b"\n", 1)[1]
    lines = text.split(b"\n", 12)[:12]
    header_lines = [line for line in lines if _HEADER_LINE.match(line)]
    known = {line.split(b":", 1)[0].lower() + b":" for line in header_lines}
    return len(header_lines) >= 2 and len(known.intersection(_EMAIL_FIELDS)) >= 2


def _is_text(head: bytes) -> bool:
    if not head:
        return False
    return b"\x00" not in head
