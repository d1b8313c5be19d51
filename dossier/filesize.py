"""File sizes as people write and read them.

Attachment limits of mail servers and claim forms are given in MB; we take
1 MB = 1,000,000 bytes (the smaller reading), so a dossier said to fit does.
"""

from __future__ import annotations

import re

from dossier.i18n import M_, Message

# French writes octets: Ko, Mo, Go.
_UNITS = {
    "": 1,
    "B": 1,
    "O": 1,
    "K": 1000,
    "KB": 1000,
    "KO": 1000,
    "M": 1000**2,
    "MB": 1000**2,
    "MO": 1000**2,
    "G": 1000**3,
    "GB": 1000**3,
    "GO": 1000**3,
}
# Each language's units (after a number) and decimal mark.
_SPOKEN = {
    "en": (("KB", "MB", "GB"), "."),
    "fr": (("Ko", "Mo", "Go"), ","),
    "nl": (("KB", "MB", "GB"), ","),
    "de": (("KB", "MB", "GB"), ","),
}


def parse_size(text: str) -> int:
    """``"10MB"``, ``"9.5 MB"``, ``"1,5GB"``, ``"800KB"`` or a number of bytes, as bytes.

    Raises:
        ValueError: not a size, or not larger than zero.
    """
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([KMG]?[BO]?)\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(
            M_("{value!r} is not a size; write it as 10MB, 9.5MB or 800KB", value=text)
        )
    value = float(match[1].replace(",", ".")) * _UNITS[match[2].upper()]
    if value < 1:
        raise ValueError(M_("{value!r} is not a size larger than zero", value=text))
    return int(value)


def size_text(size: int) -> Message:
    """A size as people read it: 812 KB, 9.8 MB; in French 9,8 Mo (see ``Size``)."""
    return Size(size)


class Size(Message):
    """A number of bytes as people read it, in English (812 KB, 9.8 MB) or in another language."""

    def __new__(cls, size: int) -> Size:
        """``size`` bytes, in English; ``in_language`` says it in another."""
        said = super().__new__(cls, "{text}", text=_spoken(size, "en"))
        assert isinstance(said, Size)
        said.size = size
        return said

    size: int

    def __reduce__(self) -> tuple[object, ...]:
        return (Size, (self.size,))

    def in_language(self, language: str) -> str:
        """The size with ``language``'s units and decimal mark (English for any other)."""
        return _spoken(self.size, language)


def _spoken(size: int, language: str) -> str:
    (kilo, mega, giga), mark = _SPOKEN.get(language, _SPOKEN["en"])
    if size < 1000**2:
        return f"{max(1, round(size / 1000))} {kilo}"
    if size < 1000**3:
        return f"{size / 1000**2:.1f}".replace(".", mark) + f" {mega}"
    return f"{size / 1000**3:.1f}".replace(".", mark) + f" {giga}"
