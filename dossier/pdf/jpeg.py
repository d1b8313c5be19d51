"""Lossless surgery on JPEG files: find the parts a PDF needs, leave out the private ones.

A JPEG file is a list of marker segments. The picture itself is in the
quantisation and Huffman tables, the frame header and the entropy-coded scans;
everything in application segments (APP1 EXIF with GPS position, camera serial
and a thumbnail, APP1 XMP, APP13 IPTC, APP2 MPF pointing at extra pictures)
and comments is metadata. Keeping only the picture's segments gives the same
pixels, bit for bit, without the metadata: no decoding, no generation loss.
"""

from __future__ import annotations

import dataclasses
import functools
import mmap
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dossier.cache import Cache

_SOI = 0xD8
_EOI = 0xD9
_SOS = 0xDA
_APP0 = 0xE0
_APP14 = 0xEE
# Markers that stand alone, without a length field.
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8), _SOI, _EOI})
# Start-of-frame markers PDF's DCTDecode reads: baseline, extended, progressive
# (Huffman coding). Lossless (C3, C7, CB, CF) and arithmetic-coded (C9-CF)
# frames are not readable by every PDF viewer.
_SOF_PDF = frozenset({0xC0, 0xC1, 0xC2})
_SOF_ALL = frozenset(
    {*range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), *range(0xCD, 0xD0)}
)

# Inside a scan, 0xFF00 is an escaped data byte, 0xFFD0-D7 are restart markers
# and 0xFFFF is fill; any other 0xFF starts the next marker.
_MARKER_AFTER_SCAN = re.compile(rb"\xff(?=[^\x00\xd0-\xd7\xff])")


class JpegError(ValueError):
    """The data is not a JPEG whose picture can be copied as it is."""


@dataclasses.dataclass(frozen=True, slots=True)
class JpegLayout:
    """Where the picture of a JPEG file is, and what a PDF needs to know about it."""

    # (offset, length) of the byte ranges to copy, in order.
    ranges: tuple[tuple[int, int], ...]
    width: int
    height: int
    components: int
    bits: int
    # The colour transform of an Adobe APP14 segment, when there is one: CMYK
    # JPEGs written by Adobe software store inverted values.
    adobe: bool

    @property
    def size(self) -> int:
        """Bytes of the picture once the ranges are joined."""
        return sum(length for _, length in self.ranges)


def scan_jpeg(data: bytes | mmap.mmap, keep_metadata: bool = False) -> JpegLayout:
    """Find the picture's segments in ``data``, dropping metadata unless ``keep_metadata``.

    Application segments (APP0 to APP15) and comments are dropped, except the
    Adobe APP14 segment and a JFIF APP0 header without thumbnail, which say
    how the colours are stored. Whatever follows
    the end-of-image marker (extra pictures phones append) is dropped too.

    Raises:
        JpegError: ``data`` is not a complete JPEG with a frame PDF viewers can read.
    """
    if data[:2] != b"\xff\xd8":
        raise JpegError("no JPEG start-of-image marker")
    ranges: list[tuple[int, int]] = []
    keep_from = 0
    frame: tuple[int, int, int, int] | None = None
    adobe = False
    position = 2
    end = len(data)
    while True:
        marker, start = _next_marker(data, position)
        if marker == _EOI:
            position = start + 2
            break
        if marker in _STANDALONE:
            position = start + 2
            continue
        if start + 4 > end:
            raise JpegError("the file ends inside a segment")
        length = int.from_bytes(data[start + 2 : start + 4], "big")
        segment_end = start + 2 + length
        if length < 2 or segment_end > end:
            raise JpegError("a segment runs past the end of the file")
        is_metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if marker == _APP14 and data[start + 4 : start + 9] == b"Adobe":
            adobe = True
            is_metadata = False
        elif marker == _APP0 and data[start + 4 : start + 9] == b"JFIF\x00" and length >= 16:
            # The JFIF header says "YCbCr" to simple decoders; keep it unless
            # it carries a thumbnail.
            is_metadata = data[start + 18] != 0 or data[start + 19] != 0
        if marker in _SOF_ALL:
            if marker not in _SOF_PDF:
                raise JpegError(f"frame type 0x{marker:02X} is not readable in every PDF viewer")
            bits = data[start + 4]
            height = int.from_bytes(data[start + 5 : start + 7], "big")
            width = int.from_bytes(data[start + 7 : start + 9], "big")
            frame = (width, height, data[start + 9], bits)
        if is_metadata and not keep_metadata:
            if start > keep_from:
                ranges.append((keep_from, start - keep_from))
            keep_from = segment_end
        position = segment_end
        if marker == _SOS:
            position = _skip_entropy_data(data, position)
    if frame is None:
        raise JpegError("no frame header")
    width, height, components, bits = frame
    if width == 0 or height == 0 or components not in (1, 3, 4) or bits != 8:
        raise JpegError("a frame PDF viewers cannot show (size, colours or bit depth)")
    stop = end if keep_metadata else position
    if stop > keep_from:
        ranges.append((keep_from, stop - keep_from))
    return JpegLayout(tuple(ranges), width, height, components, bits, adobe)


def scan_jpeg_file(
    path: Path, keep_metadata: bool = False, cache: Cache | None = None, sha256: str = ""
) -> JpegLayout:
    """``scan_jpeg`` of a file, remembered while the file is unchanged.

    The reader checks each JPEG with a scan and the layout embeds what the
    same scan finds: a camera photo is read for it once, not twice. With a
    ``cache`` and the file's ``sha256``, the layout is kept for later builds.

    Raises:
        JpegError: not a complete JPEG that PDF viewers can show.
        OSError: the file cannot be read.
    """
    status = path.stat()
    if cache is None or not sha256:
        return _scan_cached(path, status.st_size, status.st_mtime_ns, keep_metadata)
    return cache.remember(
        "jpeg",
        sha256,
        f"keep_metadata={keep_metadata}",
        lambda: _scan_cached(path, status.st_size, status.st_mtime_ns, keep_metadata),
        _layout_as_data,
        _layout_from_data,
    )


def _layout_as_data(layout: JpegLayout) -> dict[str, object]:
    return {
        "ranges": [list(pair) for pair in layout.ranges],
        "frame": [layout.width, layout.height, layout.components, layout.bits],
        "adobe": layout.adobe,
    }


def _layout_from_data(data: dict[str, Any]) -> JpegLayout:
    ranges = tuple((int(offset), int(length)) for offset, length in data["ranges"])
    width, height, components, bits = (int(value) for value in data["frame"])
    if any(offset < 0 or length < 0 for offset, length in ranges):
        raise ValueError("not a layout")
    return JpegLayout(ranges, width, height, components, bits, bool(data["adobe"]))


@functools.lru_cache(maxsize=1024)
def _scan_cached(path: Path, size: int, mtime_ns: int, keep_metadata: bool) -> JpegLayout:
    del mtime_ns  # part of the cache key only
    if size == 0:
        raise JpegError("the file is empty")
    # Mapped, not read: the scan runs over the page cache without copying
    # the whole photo into memory first.
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return scan_jpeg(data, keep_metadata)


def _next_marker(data: bytes | mmap.mmap, position: int) -> tuple[int, int]:
    """The marker at ``position`` (after any fill bytes) and where its 0xFF is."""
    if position >= len(data) or data[position] != 0xFF:
        raise JpegError("a marker was expected")
    while position + 1 < len(data) and data[position + 1] == 0xFF:
        position += 1  # fill bytes before a marker are allowed
    if position + 1 >= len(data):
        raise JpegError("the file ends before the end-of-image marker")
    return data[position + 1], position


def _skip_entropy_data(data: bytes | mmap.mmap, position: int) -> int:
    """The offset of the first marker after a scan's coded data."""
    found = _MARKER_AFTER_SCAN.search(data, position)
    if found is None:
        raise JpegError("the file ends inside the picture data (truncated)")
    return found.start()


def join_ranges(data: bytes, layout: JpegLayout) -> bytes:
    """The kept bytes of ``data`` as one JPEG (for tests and small images)."""
    return b"".join(data[offset : offset + length] for offset, length in layout.ranges)
