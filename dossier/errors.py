"""The exceptions a user can meet, each with a stable exit code.

A message always names the file or setting, says what is wrong and what to
do next. The command line prints it on one line (or one line per file) and
exits with the class's ``exit_code``; only ``--debug`` shows a traceback.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING

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


class UnreadableFilesError(DossierError):
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


class UnverifiableDossierError(DossierError):
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


class InputFileError(DossierError):
    """A file named on the command line does not exist or is not a file."""

    exit_code = ExitCode.USAGE


class UnreadableDossierError(DossierError):
    """A PDF given to ``dossier preview`` is not a PDF or cannot be rendered."""

    exit_code = ExitCode.UNREADABLE_INPUT
