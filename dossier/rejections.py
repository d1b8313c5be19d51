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

from dossier.layout.style import Strings
from dossier.model import Rejection

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


def reason_detail(rejection: Rejection) -> str:
    """The reader's full reason and its advice, for the user."""
    return rejection.reason + (f"; {rejection.advice}" if rejection.advice else "")
