"""Whether a HEIF/HEIC file holds every byte its pictures need, without decoding them.

Decoding a 12-megapixel HEIC takes most of a second, and opening it checks
the boxes it reads but not the picture data they point to: a file cut off
in its ``mdat`` opens fine and fails only when its page is drawn. The
``iloc`` box lists where each item's data lies in the file; every extent
that lies outside the file is damage a build would meet.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# The box that holds iloc, a full box (4 bytes of version and flags first).
_META = b"meta"
_ILOC = b"iloc"
# A meta box larger than this is not a picture's index.
_MAX_META = 16 << 20


class _TruncatedError(ValueError):
    """The box structure ends before a field it promises."""


def missing_data(path: Path) -> str | None:
    """What the ``iloc`` of the HEIF file at ``path`` points to beyond its end, or None.

    A file whose boxes cannot be parsed here is left to the decoder: None.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            meta = _find_box(handle, size, _META)
            if meta is None:
                return None
            start, length = meta
            handle.seek(start)
            body = handle.read(min(length, _MAX_META))
        iloc = _child(body[4:], _ILOC)  # after the meta box's version and flags
        if iloc is None:
            return None
        end = max((offset + length for offset, length in _extents(iloc)), default=0)
    except (OSError, _TruncatedError, struct.error):
        return None
    if end > size:
        return f"the picture data ends at byte {size:,} but should go on to byte {end:,}".replace(
            ",", " "
        )
    return None


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    position = 0
    while position + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if length == 1:
            (length,) = struct.unpack_from(">Q", data, position + 8)
            header = 16
        elif length == 0:
            length = len(data) - position
        if length < header:
            return
        yield kind, data[position + header : position + length]
        position += length


def _child(data: bytes, kind: bytes) -> bytes | None:
    return next((body for found, body in _boxes(data) if found == kind), None)


def _find_box(stream: BinaryIO, size: int, kind: bytes) -> tuple[int, int] | None:
    """(start of the body, length of the body) of a top-level box."""
    position = 0
    while position + 8 <= size:
        stream.seek(position)
        head = stream.read(16)
        if len(head) < 8:
            return None
        length, found = struct.unpack_from(">I4s", head)
        header = 8
        if length == 1:
            if len(head) < 16:
                return None
            (length,) = struct.unpack_from(">Q", head, 8)
            header = 16
        elif length == 0:
            length = size - position
        if length < header:
            return None
        if found == kind:
            return position + header, length - header
        position += length
    return None


def _extents(iloc: bytes) -> Iterator[tuple[int, int]]:
    """(file offset, length) of every extent of items stored in the file itself."""
    reader = _Fields(iloc)
    version = reader.number(1)
    reader.number(3)  # flags
    sizes = reader.number(2)
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 0xF
    base_size, index_size = (sizes >> 4) & 0xF, sizes & 0xF
    count = reader.number(2 if version < 2 else 4)
    for _ in range(count):
        reader.number(2 if version < 2 else 4)  # item_ID
        method = reader.number(2) & 0xF if version in (1, 2) else 0
        reader.number(2)  # data_reference_index
        base = reader.number(base_size)
        for _ in range(reader.number(2)):
            if version in (1, 2) and index_size:
                reader.number(index_size)
            offset, length = reader.number(offset_size), reader.number(length_size)
            if method == 0:  # in the file; 1 and 2 point inside other boxes or items
                yield base + offset, length


class _Fields:
    """Big-endian unsigned fields read one after another."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def number(self, size: int) -> int:
        if size == 0:
            return 0
        end = self.position + size
        if end > len(self.data):
            raise _TruncatedError(end)
        value = int.from_bytes(self.data[self.position : end], "big")
        self.position = end
        return value
