"""The exceptions a user can meet, each with a stable exit code.

A message always names the file or setting, says what is wrong and what to
do next. The command line prints it on one line (or one line per file) and
exits with the class's ``exit_code``; only ``--debug`` shows a traceback.
"""

from __future__ import annotations

import enum
import errno
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.i18n import M_, EnglishOr, Message, current_language, translations
from dossier.printable import printable

if TYPE_CHECKING:
    from dossier.model import Rejection


class ExitCode(enum.IntEnum):
    """Exit codes of the ``dossier`` command: a stable interface for scripts."""

    OK = 0
    INTERNAL_ERROR = 1
    USAGE = 2  # click's own code for a bad option or argument
    UNREADABLE_INPUT = 3
    BAD_CASE_FILE = 4
    OUTPUT_ERROR = 5
    NOTHING_TO_BUILD = 6
    OCR_UNAVAILABLE = 7
    VERIFY_MISMATCH = 8  # dossier verify: a file or attachment does not match the manifest
    UNREADABLE_DOSSIER = 9  # dossier verify: not a dossier PDF, or its manifest is damaged
    INPUT_CHANGED = 10  # an input file changed while the dossier was being built
    HUNG_UP = 129  # the terminal closed (SIGHUP); nothing was written
    INTERRUPTED = 130
    TERMINATED = 143  # stopped by SIGTERM (kill, a shutdown); nothing was written


class DossierError(Exception):
    """Base of every error that is the user's to fix."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR

    def lines(self) -> list[str]:
        """The message as the lines to print."""
        return str(self).splitlines() or [type(self).__name__]


class InputFolderError(DossierError):
    """The folder to build from does not exist or is not a folder."""

    exit_code = ExitCode.USAGE


class FilesNotIncludedError(DossierError):
    """One or more input files cannot be put in the dossier."""

    exit_code = ExitCode.UNREADABLE_INPUT

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        self.rejections = tuple(rejections)
        count = len(self.rejections)
        head = f"{count} file{'s' if count > 1 else ''} cannot be included:"
        # One line per file, whatever its name holds (a newline cannot add one).
        body = [
            printable(f"  {r.relpath}: {r.reason}" + (f" ({r.advice})" if r.advice else ""))
            for r in self.rejections
        ]
        tail = "Fix or remove them, or run again with --skip-unreadable to leave them out."
        super().__init__("\n".join([head, *body, tail]))


class CaseFileError(DossierError):
    """The case file cannot be read or holds a wrong value.

    Args:
        message: the whole message, e.g. ``case.toml: order.date: '31/02' is not a date; …``.
        key: the key it is about (``order.date``), when there is one.
        problem: what is wrong with it, the end of the message; a
            ``dossier.i18n.Message`` can be said in the user's language.
    """

    exit_code = ExitCode.BAD_CASE_FILE

    def __init__(self, message: str, key: str | None = None, problem: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.problem = problem


class NothingToBuildError(DossierError):
    """The folder holds no file that could become an exhibit."""

    exit_code = ExitCode.NOTHING_TO_BUILD


class OutputError(DossierError):
    """The dossier cannot be written where it was asked to go."""

    exit_code = ExitCode.OUTPUT_ERROR


class OcrUnavailableError(DossierError):
    """``--ocr`` was asked for, but the Tesseract engine or its language data is missing."""

    exit_code = ExitCode.OCR_UNAVAILABLE


class InputChangedError(DossierError):
    """An input file changed between the moment it was read and the end of the build."""

    exit_code = ExitCode.INPUT_CHANGED


class VerifyMismatchError(DossierError):
    """``dossier verify`` found files that differ from the dossier's manifest."""

    exit_code = ExitCode.VERIFY_MISMATCH


class ManifestUnreadableError(DossierError):
    """``dossier verify`` cannot read the PDF or the manifest inside it."""

    exit_code = ExitCode.UNREADABLE_DOSSIER


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: the run stops and cleans up exactly as for Ctrl-C."""

    def __init__(self, signal_name: str, exit_code: ExitCode) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.exit_code = exit_code


class FileUnreadable(Exception):  # noqa: N818 - a reader's verdict, not a user-facing error
    """Raised by a reader: this one file cannot be read.

    Never reaches the user as such: the pipeline turns it into a ``Rejection``.
    """

    def __init__(self, reason: str, advice: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.advice = advice


class LayoutRejected(Exception):  # noqa: N818 - a verdict on files, like FileUnreadable
    """Exhibits that passed their reader cannot be laid out: every one found in a pass."""

    def __init__(self, rejection: Rejection, *more: Rejection) -> None:
        super().__init__(rejection.reason)
        self.rejection = rejection
        self.rejections = (rejection, *more)


class InputFileError(DossierError):
    """A file named on the command line does not exist or is not a file."""

    exit_code = ExitCode.USAGE


class PreviewUnreadableError(DossierError):
    """A PDF given to ``dossier preview`` is not a PDF or cannot be rendered."""

    exit_code = ExitCode.UNREADABLE_INPUT


def os_problem(error: OSError) -> Message:
    """What the system said went wrong with a file, in words each language can say.

    The system's own words (``strerror``) are English whatever the user's
    language: English keeps them; another language names the common
    failures, the others by their code.
    """
    return EnglishOr(error.strerror or str(error), _os_kind(error))


def _os_kind(error: OSError) -> Message:
    if isinstance(error, PermissionError):
        return M_("permission denied")
    if isinstance(error, IsADirectoryError):
        return M_("it is a folder")
    if isinstance(error, FileNotFoundError):
        return M_("it does not exist")
    if error.errno == errno.ENOSPC:
        return M_("the disk is full")
    if error.errno == errno.EROFS:
        return M_("the disk is read-only")
    return M_("system error {code}", code=errno.errorcode.get(error.errno or 0, str(error.errno)))


def exit_code(error: BaseException) -> ExitCode:
    """The exit code of a command stopped by ``error``."""
    if isinstance(error, DossierError | Stopped):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.INTERNAL_ERROR


def error_message(
    error: BaseException, language: str | None = None, detail: bool = False
) -> list[str]:
    """What a person reads when ``error`` stops a command or a build: the one place it is worded.

    The command line prints these lines, ``watch`` prints them after a
    rebuild, the page shows them under its build button. In ``language``
    (default: the command line's); what the message says of the user's
    files and settings is kept as written. ``detail`` (``-v``) adds the
    technical reason why a file cannot be included.
    """
    words = translations(language or current_language())
    if isinstance(error, DossierError):
        lines = error_lines(error, language, detail)
        return [words.gettext("error: {message}").format(message=lines[0]), *lines[1:]]
    if isinstance(error, Stopped):
        said = words.gettext("interrupted ({signal}): nothing was written")
        return [said.format(signal=error.signal_name)]
    if isinstance(error, KeyboardInterrupt):
        return [words.gettext("interrupted: nothing was written")]
    said = words.gettext(
        "internal error: {error}. Nothing was written. "
        "Run again with --debug and report the output."
    )
    return [said.format(error=f"{type(error).__name__}: {error}")]


def error_lines(
    error: DossierError, language: str | None = None, detail: bool = False
) -> list[str]:
    """The lines of an error's own message, in ``language`` where it was marked for translation."""
    language = language or current_language()
    words = translations(language)
    if isinstance(error, FilesNotIncludedError):
        count = len(error.rejections)
        head = words.ngettext(
            "{count} file cannot be included:", "{count} files cannot be included:", count
        ).format(count=count)
        tail = words.ngettext(
            "Fix or remove it, or run again with --skip-unreadable to leave it out.",
            "Fix or remove them, or run again with --skip-unreadable to leave them out.",
            count,
        )
        # One line per file: its name, why, and what to do, in the user's language.
        from dossier.rejections import rejection_line

        body = [rejection_line(r, language, detail) for r in error.rejections]
        return [head, *body, tail]
    said = error.args[0] if error.args else None
    if isinstance(said, Message) and str(error) == said:
        return said.in_language(language).splitlines()
    if isinstance(error, CaseFileError) and isinstance(error.problem, Message):
        text = str(error)
        if text.endswith(error.problem):
            problem = error.problem.in_language(language)
            return (text[: len(text) - len(error.problem)] + problem).splitlines()
    return error.lines()
