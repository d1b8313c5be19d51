"""The words of the page in French, Dutch, German and English (``strings/LANG.toml``)."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from dossier.case.facts import LANGUAGES
from dossier.i18n import Message
from dossier.layout.style import french_spacing, strings
from dossier.letters.letter import letter_words


class PageWords:
    """The page's words in one language; a key it lacks shows in English, then as itself."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._own = _flat(_load(language))
        if language == "fr":
            self._own = {key: french_spacing(text) for key, text in self._own.items()}
        self._english = _flat(_load("en"))
        self._letters = letter_words(language)
        self._build = strings(language)

    def __call__(self, key: str, **values: object) -> str:
        """The words for ``key``, with ``{placeholders}`` filled in."""
        text = self._own.get(key) or self._english.get(key) or key
        # A value that is a message (a size, a reason) is said in the page's language too.
        said = {
            name: value.in_language(self.language) if isinstance(value, Message) else value
            for name, value in values.items()
        }
        return text.format(**said) if values else text

    def field(self, name: str) -> str:
        """The label of a form input, e.g. ``order.date`` or ``order.items[2].title``."""
        base = name.split("[")[0]
        column = name.rsplit(".", 1)[-1] if "[" in name else None
        key = f"fields.{base}.{column}" if column else f"fields.{base}"
        text = self._own.get(key) or self._english.get(key)
        return text or (column or base.rsplit(".", 1)[-1]).replace("_", " ").capitalize()

    def choice(self, field: str, value: str) -> str:
        """The words for one choice: a problem, a remedy, a letter kind, a channel."""
        if not value:
            return self("form.not_set")
        group = {
            "problem": "problems",
            "demand.remedy": "remedies",
            "demand.reason": "reasons",
            "letter.kind": "titles",
            "channel": "channels",
        }.get(field.rsplit(".", 1)[-1] if "[" in field else field)
        if group is not None:
            try:
                return self._letters[f"{group}.{value}"]
            except KeyError:
                pass
        if field == "letter.language":
            return self(f"languages.{value}")
        return self._own.get(f"choices.{value}") or self._english.get(f"choices.{value}") or value

    def build_word(self, key: str) -> str:
        """A word of the dossier itself (kinds, date sources), as the PDF prints it."""
        try:
            return self._build[key]
        except KeyError:
            return key.rsplit(".", 1)[-1]


@functools.cache
def page_words(language: str) -> PageWords:
    """The words of ``language``; an unknown language gives French, the default of the case."""
    return PageWords(language if language in LANGUAGES else "fr")


def _load(language: str) -> dict[str, Any]:
    text = resources.files("dossier.web").joinpath("strings", f"{language}.toml").read_text("utf-8")
    return tomllib.loads(text)


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat
