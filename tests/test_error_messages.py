"""One place words every error: the command line, watch and the page say the same."""

from __future__ import annotations

import pytest

from dossier.errors import (
    CaseFileError,
    ExitCode,
    FilesNotIncludedError,
    NothingToBuildError,
    Stopped,
    error_message,
    exit_code,
)
from dossier.model import Rejection


def test_a_users_error_is_said_with_its_exit_code():
    """This test ensures that an error the user can fix is one "error:" line plus its own lines."""
    error = NothingToBuildError("case: no photo to put in a dossier")
    assert error_message(error, "en") == ["error: case: no photo to put in a dossier"]
    assert exit_code(error) == ExitCode.NOTHING_TO_BUILD
    assert exit_code(CaseFileError("case.toml: wrong")) == ExitCode.BAD_CASE_FILE


def test_files_not_included_are_listed_one_per_line_in_the_language_asked():
    """This test ensures that each file not included gets its own line, the rest translated."""
    rejections = [
        Rejection("a.jpg", "the file is empty (0 bytes)", "copy it again"),
        Rejection("b\nc.pdf", "cannot be read", ""),
    ]
    english = error_message(FilesNotIncludedError(rejections), "en")
    assert english[0] == "error: 2 files cannot be included:"
    assert english[1] == "  a.jpg: the file is empty (0 bytes) (copy it again)"
    assert len(english) == 4  # a newline in a file name does not add a line
    assert english[-1].startswith("Fix or remove them, or run again with --skip-unreadable")
    french = error_message(FilesNotIncludedError(rejections[:1]), "fr")
    assert len(french) == 3
    assert french[
        1
    ] == "  a.jpg\u00a0: fichier vide\u00a0; téléchargez-le ou exportez-le à nouveau, " + (
        "ou retirez-le du dossier"
    )
    detailed = error_message(FilesNotIncludedError(rejections[:1]), "fr", detail=True)
    assert detailed[1].endswith("(détail\u00a0: the file is empty (0 bytes); copy it again)")
    assert "cannot be included" not in french[0] and "1" in french[0]


@pytest.mark.parametrize(
    ("error", "code", "start"),
    [
        (Stopped("SIGTERM", ExitCode.TERMINATED), ExitCode.TERMINATED, "interrupted (SIGTERM)"),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED, "interrupted: nothing was written"),
        (ValueError("boom"), ExitCode.INTERNAL_ERROR, "internal error: ValueError: boom."),
    ],
)
def test_stops_and_bugs_are_said_too(error: BaseException, code: ExitCode, start: str):
    """This test ensures that interruptions and bugs get one line and the right exit code."""
    lines = error_message(error, "en")
    assert len(lines) == 1 and lines[0].startswith(start)
    assert exit_code(error) == code
    assert error_message(error, "nl") != lines
