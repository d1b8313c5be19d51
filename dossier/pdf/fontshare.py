"""Fonts shared between typeset pages: each identical font goes into the PDF once.

Every email and note is typeset as a document of its own, and each embeds
the fonts it uses (subsets of DejaVu Sans, tens of kilobytes). A mailbox of
thousands of messages would carry thousands of copies of the same font. A
font of a page being added that is identical, object for object, to one
already in the PDF is replaced by that one before the page is copied: same
bytes, same drawing, one copy.
"""

from __future__ import annotations

import hashlib

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

# Font objects nest a few levels (Type0, CIDFont, descriptor, font file).
_MAX_DEPTH = 12


class SharedFonts:
    """Adds pages to ``writer``, writing each distinct font once."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self._fonts: dict[str, IndirectObject] = {}
        # The key of each font copied from a file, by the reader's identity and object number.
        self._keys: dict[int, dict[int, str]] = {}

    def add_page(self, page: PageObject) -> PageObject:
        """Copy ``page`` into the writer, with fonts already there shared, not copied."""
        fonts = _font_table(page)
        new: list[tuple[str, str]] = []
        for name, reference in list(fonts.items()) if fonts is not None else []:
            if not isinstance(reference, IndirectObject) or reference.pdf is self.writer:
                continue
            key = self._key(reference)
            known = self._fonts.get(key)
            if known is not None and fonts is not None:
                fonts[NameObject(name)] = known
            else:
                new.append((name, key))
        added = self.writer.add_page(page)
        copied = _font_table(added)
        for name, key in new:
            reference = copied.raw_get(name) if copied is not None else None
            if isinstance(reference, IndirectObject):
                self._fonts.setdefault(key, reference)
        return added

    def forget(self, source: PdfReader) -> None:
        """Drop what was noted about the fonts of ``source``, a file no longer read.

        The notes are by the reader's identity, which a reader opened later may reuse.
        """
        self._keys.pop(id(source), None)

    def _key(self, reference: IndirectObject) -> str:
        known = self._keys.setdefault(id(reference.pdf), {})
        if reference.idnum not in known:
            digest = hashlib.sha256()
            _feed(digest, reference.get_object(), 0)
            known[reference.idnum] = digest.hexdigest()
        return known[reference.idnum]


def _font_table(page: PageObject) -> DictionaryObject | None:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        return None
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else None
    return fonts if isinstance(fonts, DictionaryObject) else None


def _feed(digest: hashlib._Hash, value: PdfObject | None, depth: int) -> None:
    """Hash a whole object tree: names, numbers, strings, and the data of every stream."""
    if depth > _MAX_DEPTH:
        digest.update(b"<deep>")
        return
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, StreamObject):
        digest.update(b"<stream>")
        digest.update(value.get_data())
    if isinstance(value, DictionaryObject):
        digest.update(b"<<")
        for key in sorted(value):
            digest.update(str(key).encode())
            _feed(digest, value.raw_get(key), depth + 1)
        digest.update(b">>")
    elif isinstance(value, ArrayObject):
        digest.update(b"[")
        for item in value:
            _feed(digest, item, depth + 1)
        digest.update(b"]")
    elif not isinstance(value, StreamObject):
        digest.update(repr(value).encode())
