"""The command line: exit codes, messages, and outputs that are never half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import main
from dossier.errors import ExitCode
from tests.conftest import ROOT, read_pdf


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "Screenshot_20261105-081500.txt").write_text(
        "Appel au service client.\n", encoding="utf-8"
    )
    return folder


def test_build_writes_into_the_folder_by_default(case: Path) -> None:
    """This test ensures `dossier build FOLDER` writes FOLDER/dossier.pdf and says so."""
    result = CliRunner().invoke(main, ["build", str(case)])
    assert result.exit_code == 0, result.output
    assert (case / "dossier.pdf").is_file()
    assert result.stdout.startswith("note: No case.toml: only the exhibits")
    # Index, the exhibit, the integrity appendix.
    assert f"Wrote {case / 'dossier.pdf'}: 3 pages" in result.stdout
    assert "1 exhibit." in result.stdout
    # Built again, its own output is not taken as evidence.
    again = CliRunner().invoke(main, ["build", str(case)])
    assert "1 exhibit." in again.stdout


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    """This test ensures a folder that does not exist is named, with exit code 2."""
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope")])
    assert result.exit_code == ExitCode.USAGE
    assert (
        result.stderr
        == f"error: {tmp_path / 'nope'}: no such folder; give the folder that holds your evidence files\n"
    )


def test_empty_folder_has_nothing_to_build(tmp_path: Path) -> None:
    """This test ensures an empty folder is reported with its own exit code."""
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == ExitCode.NOTHING_TO_BUILD
    assert "no photo, screenshot, email, PDF or note" in result.stderr


def test_bad_case_file_exit_code(case: Path) -> None:
    """This test ensures an invalid case file stops the build with exit code 4 and the key."""
    (case / "case.toml").write_text('language = "xx"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(case)])
    assert result.exit_code == ExitCode.BAD_CASE_FILE
    assert result.stderr == "error: case.toml: language: 'xx' is not one of fr, nl, de, en\n"


def test_output_folder_missing(case: Path, tmp_path: Path) -> None:
    """This test ensures an output in a missing folder is refused with exit code 5."""
    result = CliRunner().invoke(main, ["build", str(case), "-o", str(tmp_path / "no" / "d.pdf")])
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert "the output folder does not exist" in result.stderr


def test_failed_build_keeps_the_previous_pdf(case: Path) -> None:
    """This test ensures a build that fails leaves the earlier dossier byte for byte."""
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(case)]).exit_code == 0
    before = (case / "dossier.pdf").read_bytes()
    (case / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = runner.invoke(main, ["build", str(case)])
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert (case / "dossier.pdf").read_bytes() == before
    assert sorted(p.name for p in case.iterdir()) == [
        "Screenshot_20261105-081500.txt",
        "broken.pdf",
        "dossier.manifest.json",
        "dossier.pdf",
    ]


def test_interrupted_write_leaves_no_partial_file(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures Ctrl-C while writing leaves neither a partial PDF nor a temporary file."""
    from pypdf import PdfWriter

    def interrupt(self: PdfWriter, stream: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(PdfWriter, "write", interrupt)
    result = CliRunner().invoke(main, ["build", str(case)])
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "interrupted: nothing was written\n"
    assert [p.name for p in case.iterdir()] == ["Screenshot_20261105-081500.txt"]


def test_disk_full_is_reported(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures a write error (disk full) gives exit code 5 and no output file."""
    from pypdf import PdfWriter

    def full(self: PdfWriter, stream: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PdfWriter, "write", full)
    result = CliRunner().invoke(main, ["build", str(case)])
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert "No space left on device" in result.stderr
    assert [p.name for p in case.iterdir()] == ["Screenshot_20261105-081500.txt"]


def test_unexpected_error_has_no_traceback_without_debug(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures a bug prints one line and exit code 1; --debug shows the traceback."""
    import dossier.pdf.compose

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(dossier.pdf.compose, "render_overlay", boom)
    result = CliRunner().invoke(main, ["build", str(case)])
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert result.stderr.startswith("internal error: ZeroDivisionError: boom. Nothing was written.")
    debug = CliRunner().invoke(main, ["--debug", "build", str(case)])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_list_json_reports_left_out_files(case: Path) -> None:
    """This test ensures `list --json` includes files that would be left out, with the reason."""
    (case / "empty.jpg").write_bytes(b"")
    result = CliRunner().invoke(main, ["list", str(case), "--json"])
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    rows = json.loads(result.stdout)
    assert [(r["path"], r["included"]) for r in rows] == [
        ("Screenshot_20261105-081500.txt", True),
        ("empty.jpg", False),
    ]
    assert rows[0]["timestamp"] == "2026-11-05T08:15:00"
    assert rows[0]["timestamp_source"] == "filename"
    assert rows[1]["reason"].startswith("the file is empty (0 bytes)")


def test_list_plain_is_tab_separated(case: Path) -> None:
    """This test ensures the plain timeline has one tab-separated line per exhibit, in the system's French (no case file)."""
    env = {"DOSSIER_LANGUAGE": None, "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None}
    env["LANG"] = "fr_BE.UTF-8"
    result = CliRunner().invoke(main, ["list", str(case)], env=env)
    assert result.exit_code == 0
    line = result.stdout.splitlines()[0]  # the note about the case file is on stderr
    assert line.split("\t") == [
        "1",
        "05/11/2026 08:15",
        "nom du fichier",
        "note",
        "Screenshot_20261105-081500.txt",
        "Note\u00a0: Appel au service client.",
        "",  # no warning
    ]


def test_end_to_end_in_a_subprocess(case: Path) -> None:
    """This test ensures the command works as a user runs it, and the PDF is readable."""
    completed = subprocess.run(
        [sys.executable, "-m", "dossier", "build", str(case), "-o", str(case / "out.pdf")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert read_pdf(case / "out.pdf").page_count == 3  # index, exhibit, integrity appendix
    version = subprocess.run(
        [sys.executable, "-m", "dossier", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("dossier, version ")
