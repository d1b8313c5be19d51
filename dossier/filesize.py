"""File sizes as people write and read them.

Attachment limits of mail servers and claim forms are given in MB; we take
1 MB = 1,000,000 bytes (the smaller reading), so a dossier said to fit does.
"""

from __future__ import annotations

import re

from dossier.i18n import M_

_UNITS = {
    "": 1,
    "B": 1,
    "K": 1000,
    "KB": 1000,
    "M": 1000**2,
    "MB": 1000**2,
    "G": 1000**3,
    "GB": 1000**3,
}


def parse_size(text: str) -> int:
    """``"10MB"``, ``"9.5 MB"``, ``"1,5GB"``, ``"800KB"`` or a number of bytes, as bytes.

    Raises:
        ValueError: not a size, or not larger than zero.
    """
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([KMG]?B?)\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(
            M_("{value!r} is not a size; write it as 10MB, 9.5MB or 800KB", value=text)
        )
    value = float(match[1].replace(",", ".")) * _UNITS[match[2].upper()]
    if value < 1:
        raise ValueError(M_("{value!r} is not a size larger than zero", value=text))
    return int(value)


def size_text(size: int) -> str:
    """A size as people read it: 812 KB, 9.8 MB."""
    if size < 1000**2:
        return f"{max(1, round(size / 1000))} KB"
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB"
    return f"{size / 1000**3:.1f} GB"
