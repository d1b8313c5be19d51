"""The steps a build reports as it goes (``api.build``'s progress), in the user's language.

The build names them in English; the command line's bar and the page say
them in the language of the person watching.
"""

from __future__ import annotations

from dossier.i18n import N_, _, translations

# "Reading" and "Laying out" are followed by a file's name.
_STEPS = (N_("Writing the PDF"), N_("Drawing the pages"))
_LAYING_OUT, _LAYING_OUT_TEXT = "Laying out ", N_("Laying out {file}")
_READING, _READING_TEXT = "Reading ", N_("Reading {file}")


def step_text(what: str, language: str | None = None) -> str:
    """A step of the build (named in English by the build) in ``language``, else the current one."""
    say = translations(language).gettext if language is not None else _
    if what.startswith(_LAYING_OUT):
        return say(_LAYING_OUT_TEXT).format(file=what.removeprefix(_LAYING_OUT))
    if what.startswith(_READING):
        return say(_READING_TEXT).format(file=what.removeprefix(_READING))
    return say(what) if what in _STEPS else what
