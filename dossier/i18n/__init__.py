"""The command line's words in the user's language (gettext catalogs, English as the source).

The catalogs are ``dossier/i18n/LANG/LC_MESSAGES/dossier.po`` for fr, nl and
de, compiled to ``.mo`` beside them (``scripts/catalogs.sh``). Only the
standard library's :mod:`gettext` reads them, so choosing a language costs
no import of Babel or of anything heavy.

The language is the case file's ``language`` when a command works on a case
folder, else the system's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``; on Windows the user's display language), else English.
"""

from __future__ import annotations

import functools
import gettext
import os
import sys
from pathlib import Path

__all__ = [
    "CATALOGS",
    "DOMAIN",
    "LANGUAGES",
    "EnglishOr",
    "Message",
    "PluralMessage",
    "TechnicalDetail",
    "M_",
    "MN_",
    "N_",
    "N_plural",
    "said_in",
    "translations",
    "_",
    "case_language",
    "current_language",
    "ngettext",
    "system_language",
    "use_language",
]

# The languages the command line speaks; English is the source of every message.
LANGUAGES = ("fr", "nl", "de", "en")
DOMAIN = "dossier"
CATALOGS = Path(__file__).parent

_state: dict[str, gettext.NullTranslations | str] = {
    "translations": gettext.NullTranslations(),
    "language": "en",
}


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``; English (or a language we lack) translates nothing."""
    if language not in LANGUAGES or language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(CATALOGS), languages=[language], fallback=True)


def use_language(language: str | None) -> str:
    """Speak ``language`` from now on (English when it is None or not one of ours)."""
    chosen = language if language in LANGUAGES else "en"
    _state["translations"] = translations(chosen)
    _state["language"] = chosen
    return chosen


def current_language() -> str:
    """The language messages are in now: fr, nl, de or en."""
    return str(_state["language"])


def _(message: str) -> str:
    """``message`` (English) in the current language."""
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the current language."""
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark ``message`` for the catalogs without translating it yet."""
    return message


class Message(str):
    """A message in English that can be said again in another language.

    It is the English text (a ``str``, so that code that prints, compares or
    joins messages goes on working) and keeps its template and values, so that
    the command line or the page can say it in the user's language later.
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Message:
        """The English text of ``template`` with ``values``, remembering both."""
        said = super().__new__(cls, template.format(**values))
        said.template = template
        said.values = values
        return said

    def __reduce__(self) -> tuple[object, ...]:
        # Copied or sent to another process as template and values, not as the English text.
        return (_remade, (self.template, self.values))

    def in_language(self, language: str) -> str:
        """The message in ``language`` (fr, nl, de or en), a value that is a message too."""
        values = {
            key: value.in_language(language) if isinstance(value, Message) else value
            for key, value in self.values.items()
        }
        return translations(language).gettext(self.template).format(**values)


def _remade(template: str, values: dict[str, object]) -> Message:
    return Message(template, **values)


def M_(template: str, /, **values: object) -> Message:  # noqa: N802 - as N_
    """A message marked for the catalogs, to be said in the user's language where it is shown."""
    return Message(template, **values)


class PluralMessage(Message):
    """A ``Message`` with a singular and a plural form, chosen by its ``count`` in each language."""

    singular: str
    plural: str

    def __new__(cls, singular: str, plural: str, count: int, /, **values: object) -> PluralMessage:
        """The English text for ``count``, remembering both forms and the values."""
        said = super().__new__(cls, singular if count == 1 else plural, count=count, **values)
        assert isinstance(said, PluralMessage)
        said.singular = singular
        said.plural = plural
        return said

    def __reduce__(self) -> tuple[object, ...]:
        values = dict(self.values)
        count = values.pop("count")
        return (_remade_plural, (self.singular, self.plural, count, values))

    def in_language(self, language: str) -> str:
        """The form for the count in ``language``, values that are messages said in it too."""
        values = {
            key: value.in_language(language) if isinstance(value, Message) else value
            for key, value in self.values.items()
        }
        count = self.values["count"]
        assert isinstance(count, int)
        return translations(language).ngettext(self.singular, self.plural, count).format(**values)


def _remade_plural(
    singular: str, plural: str, count: int, values: dict[str, object]
) -> PluralMessage:
    return PluralMessage(singular, plural, count, **values)


def MN_(singular: str, plural: str, count: int, /, **values: object) -> Message:  # noqa: N802
    """A message with a plural form, marked for the catalogs, said where it is shown (as M_)."""
    return PluralMessage(singular, plural, count, **values)


class TechnicalDetail(Message):
    """A library's words inside a message (a class name, a code): said in English only.

    Another language leaves them out, so that no library's words reach a
    person who does not read English; the English text keeps them.
    """

    def __new__(cls, text: str, /) -> TechnicalDetail:
        """``text`` as it is, kept for English."""
        said = super().__new__(cls, "{text}", text=text)
        assert isinstance(said, TechnicalDetail)
        return said

    def __reduce__(self) -> tuple[object, ...]:
        return (TechnicalDetail, (str(self),))

    def in_language(self, language: str) -> str:
        """The text in English; nothing in another language."""
        return str(self) if language == "en" else ""


class EnglishOr(Message):
    """Words that are right in English as they are (the system's), and another message elsewhere."""

    def __new__(cls, english: str, other: Message, /) -> EnglishOr:
        """``english`` as it is, ``other`` in another language."""
        said = super().__new__(cls, "{english}", english=english)
        assert isinstance(said, EnglishOr)
        said.values["other"] = other
        return said

    def __reduce__(self) -> tuple[object, ...]:
        return (EnglishOr, (str(self), self.values["other"]))

    def in_language(self, language: str) -> str:
        """The English words in English; the other message in another language."""
        other = self.values["other"]
        if language == "en" or not isinstance(other, Message):
            return str(self)
        return other.in_language(language)


def said_in(text: str, language: str) -> str:
    """``text`` in ``language`` when it is a ``Message``; other text as it is."""
    return text.in_language(language) if isinstance(text, Message) else text


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_
    """Mark a message with a plural form for the catalogs without translating it yet."""
    return singular, plural


def _code(value: str) -> str:
    """``fr`` from ``fr_BE.UTF-8``, ``nl-BE`` or ``de_DE@euro``."""
    return value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def system_language(environ: dict[str, str] | None = None) -> str | None:
    """The language of the user's system, if it is one of ours (else None).

    Follows gettext's order: ``LANGUAGE`` (a list such as ``nl:fr``) unless the
    locale is C, then the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that
    is set. Windows sets none of them: there, the user's display language.
    """
    env = os.environ if environ is None else environ
    locale_name = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    if locale_name in ("C", "POSIX") or locale_name.startswith("C."):
        return None
    for part in env.get("LANGUAGE", "").split(":"):
        if part and _code(part) in LANGUAGES:
            return _code(part)
    if locale_name:
        code = _code(locale_name)
        return code if code in LANGUAGES else None
    if sys.platform == "win32":
        return _windows_language()
    return None


def _windows_language() -> str | None:
    import ctypes
    import locale

    try:
        if sys.platform != "win32":
            return None
        langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()
    except (AttributeError, OSError):
        return None
    name = locale.windows_locale.get(int(langid), "")
    return _code(name) if name and _code(name) in LANGUAGES else None


def case_language(folder: Path) -> str | None:
    """The ``language`` written in ``FOLDER/case.toml``, or None (no file, unreadable, not set).

    A quick look only, for the words of the command line: the build reads and
    checks the case file itself, and reports what is wrong with it.
    """
    import tomllib

    try:
        with (folder / "case.toml").open("rb") as file:
            data = tomllib.load(file)
    except (OSError, ValueError):
        return None
    language = data.get("language")
    return language if isinstance(language, str) and language in LANGUAGES else None
