"""What the recipient of a dossier reads about a file that is not in it.

The readers say why a file cannot be used in words for the user, with a
library's own message and advice ("move it out of the folder", "add a
password in case.toml"). The "not included" page is read by a seller, a
mediator or a judge: it gives the kind of problem only, in the dossier's
language. The full reason stays on the command line and in the manifest's
``reason_detail``.
"""

from __future__ import annotations

import re

from dossier.i18n import LANGUAGES, N_, Message, translations
from dossier.layout.style import Strings, strings
from dossier.model import Rejection
from dossier.printable import printable

# The first pattern that matches the reader's reason gives the category.
_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("empty", re.compile(r"\bempty\b|\b0 bytes\b|has no pages", re.IGNORECASE)),
    ("encrypted", re.compile(r"password|encrypt", re.IGNORECASE)),
    ("too_large", re.compile(r"megapixels|too large|larger than", re.IGNORECASE)),
    ("unsupported", re.compile(r"not a kind of file|not supported|unsupported", re.IGNORECASE)),
    ("no_headers", re.compile(r"no email headers", re.IGNORECASE)),
    ("self_drawing", re.compile(r"draws itself", re.IGNORECASE)),
    ("permissions", re.compile(r"permission|^cannot be read \(", re.IGNORECASE)),
    (
        "damaged",
        re.compile(
            r"damaged|truncated|incomplete|corrupt|broken|not a readable|cannot be read"
            r"|could not be laid out",
            re.IGNORECASE,
        ),
    ),
)
CATEGORIES = (*(name for name, _ in _CATEGORIES), "unreadable")


def reason_category(rejection: Rejection) -> str:
    """The kind of problem: "empty", "encrypted", "too_large", "damaged" and so on."""
    if rejection.category:
        return rejection.category
    return next(
        (name for name, pattern in _CATEGORIES if pattern.search(rejection.reason)), "unreadable"
    )


def shown_reason(rejection: Rejection, strings: Strings) -> str:
    """The reason as the "not included" page gives it, in the dossier's language."""
    return strings[f"not_included.{reason_category(rejection)}"]


class KindOfProblem(Message):
    """A reader's reason (English), said in another language as its kind of problem.

    For a note that quotes why a part cannot be shown ("the attachment … is
    not shown: the PDF is damaged (Stream has ended unexpectedly)"): the
    command line says it in the user's language in the words of the "not
    included" page, never with the library's words.
    """

    def __new__(cls, rejection: Rejection) -> KindOfProblem:
        """The reason of ``rejection``, remembering its kind."""
        said = super().__new__(cls, "{reason}", reason=rejection.reason)
        assert isinstance(said, KindOfProblem)
        said.values["category"] = reason_category(rejection)
        return said

    def __reduce__(self) -> tuple[object, ...]:
        reason, category = str(self.values["reason"]), str(self.values["category"])
        return (KindOfProblem, (Rejection("", reason, category=category),))

    def in_language(self, language: str) -> str:
        """The kind of problem in ``language``; English keeps the reader's reason."""
        if language not in LANGUAGES or language == "en":
            return str(self.values["reason"])
        return strings(language)[f"not_included.{self.values['category']}"]


def reason_detail(rejection: Rejection) -> str:
    """The reader's full reason and its advice, for the user."""
    return rejection.reason + (f"; {rejection.advice}" if rejection.advice else "")


# What the user can do about each kind of problem, said on the command line in
# the user's language (the reader's own advice is in English: shown with -v).
_ADVICE = {
    "empty": N_("download or export it again, or remove it from the folder"),
    "encrypted": N_(
        'add password = "..." under [exhibits."{file}"] in case.toml, or save a copy without '
        "the password"
    ),
    "too_large": N_("save a smaller copy (a screenshot or an export) or remove it from the folder"),
    "unsupported": N_("save it as a PDF or a picture, or move it out of the folder"),
    "no_headers": N_("save the email again from your mail program (.eml or .msg), or remove it"),
    "self_drawing": N_("print it to a new PDF and put that one in the folder instead"),
    "permissions": N_("allow your account to read it, or copy it into the folder again"),
    "damaged": N_("download or copy it again, or remove it from the folder"),
    "unreadable": N_("download or copy it again, or remove it from the folder"),
}


def said_reason(rejection: Rejection, language: str, detail: bool = False) -> str:
    """Why a file is not included and what to do, for the user, in ``language``.

    English keeps the reader's own reason and advice. Another language gives
    the kind of problem in the words of the "not included" page and the
    advice for it; ``detail`` (``-v``) adds the reader's reason in English.
    """
    if language not in LANGUAGES or language == "en":
        return rejection.reason + (f" ({rejection.advice})" if rejection.advice else "")
    words = translations(language)
    category = reason_category(rejection)
    said = words.gettext("{reason}; {advice}").format(
        reason=strings(language)[f"not_included.{category}"],
        advice=words.gettext(_ADVICE[category]).format(file=rejection.relpath),
    )
    if detail:
        said = words.gettext("{reason} (detail: {detail})").format(
            reason=said, detail=reason_detail(rejection)
        )
    return said


def rejection_line(rejection: Rejection, language: str, detail: bool = False) -> str:
    """One line of a list of files not included: the file, why, and what to do."""
    words = translations(language if language in LANGUAGES else "en")
    return printable(
        "  "
        + words.gettext("{file}: {reason}").format(
            file=rejection.relpath, reason=said_reason(rejection, language, detail)
        )
    )
