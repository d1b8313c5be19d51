"""Find and load the page styles, strings and fonts kept in ``layouts/``."""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm


@functools.cache
def layouts_dir() -> Path:
    """The ``layouts`` folder: inside an installed wheel, or beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent  # dossier/, above layout/
    for candidate in (package / "_layouts", package.parent / "layouts"):
        if (candidate / "page.toml").is_file():
            return candidate
    raise FileNotFoundError("the layouts folder is missing from this installation of dossier")


@dataclasses.dataclass(frozen=True, slots=True)
class PageStyle:
    """Page geometry in points, and the style values of ``page.toml``."""

    width: float
    height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    stamp_height: float
    stamp_font_size: float
    stamp_label_size: float
    stamp_colour: str
    stamp_tint: str
    footer_size: float
    footer_baseline: float
    text_size: float
    text_leading: float
    heading_size: float
    font_regular: Path
    font_bold: Path

    @property
    def content_width(self) -> float:
        """Width between the side margins."""
        return self.width - self.margin_left - self.margin_right

    def content_box(self, stamped: bool) -> tuple[float, float, float, float]:
        """(x, y, width, height) free for content; below the stamp band when ``stamped``."""
        top = self.height - self.margin_top - (self.stamp_height + 3 * mm if stamped else 0)
        return (self.margin_left, self.margin_bottom, self.content_width, top - self.margin_bottom)


@functools.cache
def page_style() -> PageStyle:
    """The page style of ``layouts/page.toml``."""
    data = tomllib.loads((layouts_dir() / "page.toml").read_text(encoding="utf-8"))
    page, stamp, footer, text, fonts = (
        data[k] for k in ("page", "stamp", "footer", "text", "fonts")
    )
    return PageStyle(
        width=page["width_mm"] * mm,
        height=page["height_mm"] * mm,
        margin_left=page["margin_left_mm"] * mm,
        margin_right=page["margin_right_mm"] * mm,
        margin_top=page["margin_top_mm"] * mm,
        margin_bottom=page["margin_bottom_mm"] * mm,
        stamp_height=stamp["height_mm"] * mm,
        stamp_font_size=stamp["font_size"],
        stamp_label_size=stamp["label_font_size"],
        stamp_colour=stamp["colour"],
        stamp_tint=stamp["tint"],
        footer_size=footer["font_size"],
        footer_baseline=footer["baseline_mm"] * mm,
        text_size=text["font_size"],
        text_leading=text["leading"],
        heading_size=text["heading_size"],
        font_regular=layouts_dir() / "fonts" / fonts["regular"],
        font_bold=layouts_dir() / "fonts" / fonts["bold"],
    )


class Strings:
    """The words of one language, from ``layouts/strings/LANG.toml``."""

    def __init__(self, language: str, data: dict[str, Any]) -> None:
        self.language = language
        self.locale: str = data["locale"]
        self._data = data

    def __getitem__(self, key: str) -> str:
        """A string by dotted key, e.g. ``sources.exif``, with its language's typography."""
        value: Any = self._data
        for part in key.split("."):
            value = value[part]
        if not isinstance(value, str):
            raise KeyError(key)
        if self.language != "fr" or key in _IDENTIFIERS:
            return value
        return french_spacing(value)

    def format(self, key: str, **values: object) -> str:
        """A string with its ``{placeholders}`` filled in."""
        return self[key].format(**values)


def french_spacing(text: str) -> str:
    """French spacing: a no-break space before ":", ";", "?", "!" and "»", after "«" and "n°".

    Only a space the text already has becomes a no-break one (U+00A0: reportlab
    breaks lines at U+202F), so "10:15" and "https://" stay as they are.
    """
    text = _BEFORE_MARK.sub("\u00a0\\1", text)
    text = _AFTER_GUILLEMET.sub("«\u00a0", text)
    return _NUMERO.sub("\\1\u00a0", text)


# Words that name an exhibit everywhere ("Pièce n° 3": the manifest, list --json,
# the page, the outline): they stay as they are written, a key as much as a label.
# A stamp draws them on one line, where a space cannot break.
_IDENTIFIERS = frozenset({"exhibit_label"})
_BEFORE_MARK = re.compile(r"[ \u202f]+([:;?!»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u202f]+")
_NUMERO = re.compile(r"\b(n°|nos) (?=[\w{])")


@functools.cache
def strings(language: str) -> Strings:
    """The strings of ``language`` (fr, nl, de or en)."""
    path = layouts_dir() / "strings" / f"{language}.toml"
    return Strings(language, tomllib.loads(path.read_text(encoding="utf-8")))
