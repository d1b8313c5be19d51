"""The characters a TrueType font file maps, read from its ``cmap`` table alone.

Which characters the dossier's fonts draw is asked while the folder is read
(``dossier list`` warns about an email whose text would print as boxes),
long before any page is drawn. reportlab answers by parsing the whole font
and importing its page-drawing machinery, about a tenth of a second; the
character map is a few kilobytes of the file, read here with ``struct``.

The subtable chosen and the characters it covers are those reportlab's
``TTFontFile`` reads (``face.charToGlyph``): a character is covered when
the subtable maps it, as reportlab has it, whatever glyph it maps to.
"""

from __future__ import annotations

import bisect
import functools
import struct
from pathlib import Path


class Coverage:
    """The code points of a font's character map, as sorted ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for low, high in sorted(r for r in ranges if r[0] <= r[1]):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self._lows = [low for low, _ in merged]
        self._highs = [high for _, high in merged]

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        at = bisect.bisect_right(self._lows, code) - 1
        return at >= 0 and code <= self._highs[at]

    def codes(self) -> frozenset[int]:
        """Every code point covered (for tests: a CJK font covers tens of thousands)."""
        return frozenset(
            code
            for low, high in zip(self._lows, self._highs, strict=True)
            for code in range(low, high + 1)
        )


@functools.cache
def font_coverage(path: Path) -> Coverage:
    """The characters the TrueType font ``path`` maps.

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not a TrueType font with a character map this reads.
    """
    data = path.read_bytes()
    if data[:4] not in (b"\0\1\0\0", b"true", b"ttcf"):
        raise ValueError(f"{path.name}: not a TrueType font")
    try:
        ranges = _ranges(data)
    except struct.error as error:
        raise ValueError(f"{path.name}: damaged font tables ({error})") from None
    # reportlab draws a no-break space as a space, and a space as a
    # no-break space, when the font maps only one of them.
    coverage = Coverage(ranges)
    if 0x20 in coverage or 0xA0 in coverage:
        ranges += [(0x20, 0x20), (0xA0, 0xA0)]
    return Coverage(ranges)


def _ranges(data: bytes) -> list[tuple[int, int]]:
    start = 0
    if data[:4] == b"ttcf":  # a collection: its first font, as reportlab takes by default
        (start,) = struct.unpack_from(">L", data, 12)
    (tables,) = struct.unpack_from(">H", data, start + 4)
    offsets = {}
    for index in range(tables):
        tag, _sum, offset, _size = struct.unpack_from(">4sLLL", data, start + 12 + 16 * index)
        offsets[tag] = offset
    if b"cmap" not in offsets:
        raise ValueError("no cmap table")
    cmap = offsets[b"cmap"]
    version, count = struct.unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:  # swapped in some fonts; reportlab accepts them
        count = version
    chosen, rank = None, 0
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * index)
        # reportlab's choice, record by record: a later Unicode subtable wins.
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, rank = offset, 1
        elif platform == 1 and encoding == 0 and rank != 1:
            chosen, rank = offset, 2
    if chosen is None:
        raise ValueError("no usable cmap subtable")
    at = cmap + chosen
    (fmt,) = struct.unpack_from(">H", data, at)
    if fmt == 4:
        (doubled,) = struct.unpack_from(">H", data, at + 6)
        segments = doubled // 2
        ends = struct.unpack_from(f">{segments}H", data, at + 14)
        starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
        return list(zip(starts, ends, strict=True))
    if fmt in (12, 13):
        (groups,) = struct.unpack_from(">L", data, at + 12)
        found = []
        for index in range(groups):
            low, high = struct.unpack_from(">LL", data, at + 16 + 12 * index)
            found.append((low, high))
        return found
    raise ValueError(f"cmap format {fmt} is not read here")
