"""The ``dossier`` command line, run through click's CliRunner: output, messages, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from dossier import __version__, api
from dossier.cli import commands as cli
from dossier.cli import report
from dossier.cli.progress import ProgressReport
from dossier.errors import ExitCode, FilesNotIncludedError
from dossier.filesize import size_text
from dossier.model import Rejection
from dossier.pdf import preview
from dossier.watch import Rebuild
from tests.conftest_samples import SAMPLES

REPO = Path(__file__).resolve().parent.parent
PARCEL = SAMPLES / "damaged-parcel"
PARCEL_TIMELINE = [
    "1\t28/10/2026 14:02\ten-tête Date de l'e-mail\temail\tconfirmation-commande.eml\t"
    "E-mail\u00a0: Votre commande Amazon.com.be n° 402-1234567-1234567 (Amazon.com.be)\t",
    "2\t28/10/2026 14:30\tmétadonnées du PDF\tpdf\tfacture-402-1234567-1234567.pdf\t"
    "Document\u00a0: Facture BE64QW7X2AEUI – commande 402-1234567-1234567\t",
    "3\t30/10/2026 10:15 (UTC+01:00)\tdate EXIF de la photo\tjpeg\tIMG_20261030_101500.jpg\t"
    "Colis écrasé à la livraison\t",
    "4\t30/10/2026 10:16\tdate EXIF de la photo\tjpeg\tIMG_20261030_101622.jpg\t"
    "Bouilloire fissurée, poignée cassée, couvercle arraché\t",
    "5\t30/10/2026 10:17\tdate EXIF de la photo\tjpeg\tPXL_20261030_101745123.jpg\t"
    "Contenu du colis à l'ouverture : bouilloire en morceaux\t",
    "6\t04/11/2026 16:40\ten-tête Date de l'e-mail\temail\treponse-service-client.eml\t"
    "E-mail\u00a0: Votre demande concernant la commande 402-1234567-1234567 "
    "(Service client Amazon.com.be)\t",
]
# The facts the sample's case file leaves out, read from its order confirmation.
INFERRED = [
    "inferred: order.expected_delivery = 2026-10-30 (from confirmation-commande.eml)",
    "inferred: order.seller = Amazon EU S.à r.l. (from confirmation-commande.eml)",
]
# Formal notice (2 pages), order summary, index, then the exhibits' 6 pages.
PARCEL_PAGES = 11  # letter (2), summary, index, 6 exhibit pages, integrity appendix
UNREADABLE_LINE = (
    "  broken.jpg: not a kind of file the dossier can show "
    "(convert it to PDF, JPEG, PNG or .eml, or move it out of the folder)"
)


def run(*args: str, **kwargs):
    return CliRunner().invoke(cli.main, list(args), prog_name="dossier", **kwargs)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of the damaged-parcel sample that a test may change."""
    folder = tmp_path / "case"
    shutil.copytree(PARCEL, folder)
    return folder


@pytest.fixture
def broken_case(case: Path) -> Path:
    """The sample with one file that cannot be read."""
    (case / "broken.jpg").write_bytes(b"junk")
    return case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The damaged-parcel sample, built once for the preview tests."""
    out = tmp_path_factory.mktemp("built") / "dossier.pdf"
    result = run("build", str(PARCEL), "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    return out


# --- the group: help, version, usage errors -------------------------------------------


def test_version():
    """This test ensures that --version prints the program name and version."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"dossier, version {__version__}\n"


def test_group_help_has_examples_and_every_command():
    """This test ensures that dossier --help shows examples and lists every command."""
    result = run("--help")
    assert result.exit_code == 0
    assert "  Examples:\n      dossier list my-case" in result.stdout
    for command in ("build", "list", "preview", "watch"):
        assert re.search(rf"^  {command}\s", result.stdout, re.MULTILINE), command


@pytest.mark.parametrize("command", sorted(cli.main.commands))
def test_every_command_help_has_examples(command: str):
    """This test ensures that every command's help has a docstring and examples."""
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"  Examples:\n      dossier {command}" in result.stdout


def test_unknown_command_is_a_usage_error():
    """This test ensures that a typo in the command exits with code 2 and click's hint."""
    result = run("biuld")
    assert result.exit_code == ExitCode.USAGE
    assert "No such command 'biuld'" in result.stderr


def test_quiet_and_verbose_together_is_a_usage_error(case: Path):
    """This test ensures that -q and -v cannot be combined."""
    result = run("build", str(case), "-q", "-v")
    assert result.exit_code == ExitCode.USAGE
    assert "-q/--quiet and -v/--verbose cannot be used together" in result.stderr


# --- dossier list -----------------------------------------------------------------------


def test_list_prints_the_timeline_as_tab_separated_lines():
    """This test ensures that piped output is one tab-separated line per exhibit, nothing else, in the case's language (French)."""
    result = run("list", str(PARCEL), env={"DOSSIER_LANGUAGE": None})
    assert result.exit_code == 0
    assert result.stdout.splitlines() == PARCEL_TIMELINE
    assert result.stderr.splitlines() == [
        "déduit\u00a0: order.expected_delivery = 2026-10-30 (d'après confirmation-commande.eml)",
        "déduit\u00a0: order.seller = Amazon EU S.à r.l. (d'après confirmation-commande.eml)",
    ]


def test_list_puts_warnings_in_the_last_column(case: Path):
    """This test ensures that each warning of an exhibit is in its line's seventh column."""
    shutil.copy(case / "IMG_20261030_101622.jpg", case / "zz-copy.jpg")
    result = run("list", str(case))
    assert result.exit_code == 0
    copy = next(line for line in result.stdout.splitlines() if "\tzz-copy.jpg\t" in line)
    assert copy.split("\t")[4:] == [
        "zz-copy.jpg",
        "Photo\u00a0: zz-copy.jpg (Google Pixel 7a)",
        "the same file as exhibit 4 (IMG_20261030_101622.jpg): remove one of the copies",
    ]


def test_list_json_has_warnings_for_every_file(broken_case: Path):
    """This test ensures that --json gives each file, included or not, a warnings list."""
    result = run("list", str(broken_case), "--json", "--max-size", "40KB")
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    rows = {row["path"]: row for row in json.loads(result.stdout)}
    assert rows["broken.jpg"]["included"] is False
    assert rows["broken.jpg"]["warnings"] == [
        "cannot be included: not a kind of file the dossier can show"
    ]
    assert rows["confirmation-commande.eml"]["warnings"] == []
    assert rows["facture-402-1234567-1234567.pdf"]["warnings"] == [
        "46 KB on its own, more than the 40 KB size target: compress the PDF or leave it out"
    ]
    photos = [path for path in rows if path.endswith(".jpg") and rows[path]["included"]]
    assert len(photos) == 3 and all(rows[path]["size"] > 40_000 for path in photos)
    for path in photos:  # scaled down to fit: no warning
        assert not any("size target" in w for w in rows[path]["warnings"])


def test_list_exits_3_when_a_build_would_stop(broken_case: Path):
    """This test ensures that list fails like build would, naming the left-out file."""
    result = run("list", str(broken_case))
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert len(result.stdout.splitlines()) == 6
    assert result.stderr.splitlines() == [
        *INFERRED,
        "Not included (1):",
        UNREADABLE_LINE,
        "error: 1 file cannot be included (listed above): fix or remove it, "
        "or build with --skip-unreadable to leave it out",
    ]


def test_list_with_skip_unreadable_exits_0(broken_case: Path):
    """This test ensures that list --skip-unreadable succeeds when such a build would."""
    result = run("list", str(broken_case), "--skip-unreadable")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [*INFERRED, "Not included (1):", UNREADABLE_LINE]


def test_list_exits_6_on_an_empty_folder(tmp_path: Path):
    """This test ensures that list fails when there is nothing to build."""
    result = run("list", str(tmp_path))
    assert result.exit_code == ExitCode.NOTHING_TO_BUILD
    assert result.stderr.splitlines()[-1] == (
        f"error: {tmp_path}: no photo, screenshot, email, PDF or note to put in a dossier; "
        "add your evidence files to this folder"
    )


def test_list_missing_folder(tmp_path: Path):
    """This test ensures that a folder that does not exist is named, with what to do."""
    missing = tmp_path / "nope"
    result = run("list", str(missing))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"error: {missing}: no such folder; give the folder that holds your evidence files\n"
    )


def test_list_bad_case_file(case: Path):
    """This test ensures that a wrong case file value exits with code 4, naming the key."""
    (case / "case.toml").write_text('language = "xx"\n', encoding="utf-8")
    result = run("list", str(case))
    assert result.exit_code == ExitCode.BAD_CASE_FILE
    assert result.stderr == "error: case.toml: language: 'xx' is not one of fr, nl, de, en\n"


def test_list_bad_max_size(case: Path):
    """This test ensures that a wrong --max-size is a usage error that shows the format."""
    result = run("list", str(case), "--max-size", "ten")
    assert result.exit_code == ExitCode.USAGE
    assert "'ten' is not a size; write it as 10MB, 9.5MB or 800KB" in result.stderr


def test_list_on_a_terminal_is_a_table(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that a terminal gets a table with captions and warnings."""
    monkeypatch.setattr(report, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    shutil.copy(case / "IMG_20261030_101622.jpg", case / "zz-copy.jpg")
    result = run("list", str(case))
    assert result.exit_code == 0
    assert "Caption and warnings" in result.stdout
    assert "Colis écrasé à la livraison" in result.stdout
    assert "⚠ the same file as exhibit 4" in result.stdout
    assert "1 exhibit with warnings: check it above." in result.stdout
    assert "\t" not in result.stdout


# --- dossier build ----------------------------------------------------------------------


def test_build_summary_and_pdf(case: Path, tmp_path: Path):
    """This test ensures that build writes the PDF and a summary of exactly what it wrote."""
    out = tmp_path / "claim.pdf"
    result = run("build", str(case), "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(out).pages)
    assert pages == PARCEL_PAGES
    size = size_text(out.stat().st_size)
    assert result.stdout.splitlines() == [
        *INFERRED,
        f"Wrote {out}: {PARCEL_PAGES} pages, {size}, 6 exhibits.",
    ]
    assert result.stderr == ""


def test_build_summary_lists_not_included_and_warnings(broken_case: Path):
    """This test ensures that the summary names what was left out and every warning."""
    shutil.copy(broken_case / "IMG_20261030_101622.jpg", broken_case / "zz-copy.jpg")
    result = run("build", str(broken_case), "--skip-unreadable")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == INFERRED
    pages = len(PdfReader(broken_case / "dossier.pdf").pages)
    assert pages == PARCEL_PAGES + 2  # the "Not included" page and the copy
    assert lines[2].startswith(f"Wrote {broken_case / 'dossier.pdf'}: {pages} pages, ")
    assert lines[2].endswith(", 7 exhibits.")
    assert lines[3:] == [
        "Not included (1), listed on the 'Not included' page:",
        UNREADABLE_LINE,
        "Warnings (1):",
        "  zz-copy.jpg: the same file as exhibit 4 (IMG_20261030_101622.jpg): "
        "remove one of the copies",
    ]
    texts = [page.extract_text() for page in PdfReader(broken_case / "dossier.pdf").pages]
    assert any("Fichiers non inclus" in text for text in texts)


def test_build_quiet_prints_nothing(case: Path):
    """This test ensures that -q prints nothing on success, and still writes the PDF."""
    result = run("build", str(case), "-q")
    assert result.exit_code == 0
    assert result.stdout == result.stderr == ""
    assert len(PdfReader(case / "dossier.pdf").pages) == PARCEL_PAGES


def test_build_verbose_prints_each_step(case: Path):
    """This test ensures that -v shows every file read and laid out, then the summary."""
    result = run("build", str(case), "-v")
    assert result.exit_code == 0
    steps = result.stderr.splitlines()
    assert steps[0] == "[1/6] Reading IMG_20261030_101500.jpg"
    assert "[3/6] Laying out IMG_20261030_101500.jpg" in steps
    assert steps[-1] == "[6/6] Writing the PDF"
    assert len(steps) == 13
    assert result.stdout.splitlines()[2].startswith("Wrote ")


def test_build_unreadable_file_exits_3(broken_case: Path):
    """This test ensures that a file that cannot be read stops the build with what to do."""
    result = run("build", str(broken_case))
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert result.stderr.splitlines() == [
        "error: 1 file cannot be included:",
        UNREADABLE_LINE,
        "Fix or remove it, or run again with --skip-unreadable to leave it out.",
    ]
    assert not (broken_case / "dossier.pdf").exists()


def test_build_output_folder_missing_exits_5(case: Path, tmp_path: Path):
    """This test ensures that an output folder that does not exist is named, with what to do."""
    result = run("build", str(case), "-o", str(tmp_path / "no" / "claim.pdf"))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr == (
        f"error: {tmp_path / 'no'}: the output folder does not exist; "
        "create it or choose another with -o\n"
    )


def test_build_empty_folder_exits_6(tmp_path: Path):
    """This test ensures that an empty folder gives the 'nothing to build' code."""
    result = run("build", str(tmp_path))
    assert result.exit_code == ExitCode.NOTHING_TO_BUILD
    assert "no photo, screenshot, email, PDF or note" in result.stderr


def test_internal_error_has_no_traceback(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that a bug gives one line and code 1, never a traceback."""

    def broken(*args, **kwargs):
        raise RuntimeError("the index did not settle")

    monkeypatch.setattr(api, "build", broken)
    result = run("build", str(case))
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert result.stderr == (
        "internal error: RuntimeError: the index did not settle. Nothing was written. "
        "Run again with --debug and report the output.\n"
    )
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that --debug lets the exception (and so its traceback) through."""

    def broken(*args, **kwargs):
        raise RuntimeError("the index did not settle")

    monkeypatch.setattr(api, "build", broken)
    result = run("--debug", "build", str(case))
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


def test_closed_pipe_is_not_an_error(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that `dossier list | head` ends quietly when head stops reading."""

    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(report, "print_timeline", closed)
    result = run("list", str(case))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_interrupted_build_exits_130(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that Ctrl-C says nothing was written and exits with 130."""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "build", interrupted)
    result = run("build", str(case))
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "interrupted: nothing was written\n"


def test_build_open_uses_the_system_viewer(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that --open hands the written PDF to the system's opener."""
    started: list[list[str]] = []
    monkeypatch.setattr(preview.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(preview.subprocess, "Popen", lambda args, **kw: started.append(args))
    result = run("build", str(case), "-q", "--open")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert started == [["/usr/bin/xdg-open", str(case / "dossier.pdf")]]


def test_build_open_without_a_viewer_says_so(monkeypatch: pytest.MonkeyPatch, case: Path):
    """This test ensures that --open on a system without a viewer explains what to do instead."""
    monkeypatch.setattr(preview.shutil, "which", lambda name: None)
    result = run("build", str(case), "-q", "--open")
    assert result.exit_code == 0
    pdf = case / "dossier.pdf"
    assert result.stderr == (
        f"note: {pdf} was not opened: no program to open it with was found (xdg-open on "
        f"Linux). Open it yourself, or see its pages with: dossier preview {pdf}\n"
    )
    assert pdf.exists()


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch):
    """This test ensures that a terminal gets a bar once work takes a moment, removed at the end."""
    with ProgressReport(verbosity=0, terminal=True, show_after=0.0) as progress:
        progress("Reading a.jpg", 0, 2)
        bar = progress._bar
        assert bar is not None
        task = bar.tasks[0]
        progress("Reading b.jpg", 1, 2)
        assert (task.description, task.completed, task.total) == ("Reading b.jpg", 1, 2)
    assert progress._bar is None


def test_no_progress_bar_for_quick_work_or_pipes():
    """This test ensures that quick work, a pipe or -q never draw a bar."""
    for report_ in (
        ProgressReport(verbosity=0, terminal=True, show_after=60.0),
        ProgressReport(verbosity=0, terminal=False, show_after=0.0),
        ProgressReport(verbosity=-1, terminal=True, show_after=0.0),
    ):
        with report_ as progress:
            progress("Reading a.jpg", 0, 1)
            assert progress._bar is None


# --- dossier preview --------------------------------------------------------------------


def test_preview_renders_every_page(built: Path):
    """This test ensures that each page becomes a PNG of A4 proportions at the chosen dpi."""
    result = run("preview", str(built))
    assert result.exit_code == 0
    folder = built.parent / "dossier-preview"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [".dossier-preview"] + [f"page-{n:03d}.png" for n in range(1, 12)]
    assert result.stdout == f"Saved 11 page pictures in {folder} (page-001.png to page-011.png).\n"
    with Image.open(folder / "page-001.png") as image:
        assert image.size == (497, 702)  # A4 (595 x 842 pt) at 60 dpi, rounded up
        # The index page is mostly white paper with dark text on it.
        assert image.convert("L").getextrema() == (0, 255)


def test_preview_selected_pages_replace_the_old_ones(built: Path, tmp_path: Path):
    """This test ensures that --pages renders only those pages and removes its stale pictures."""
    folder = tmp_path / "pages"
    assert (
        run("preview", str(built), "-o", str(folder), "--pages", "9", "--dpi", "20").exit_code == 0
    )
    (folder / "notes.txt").write_text("kept", encoding="utf-8")
    result = run("preview", str(built), "-o", str(folder), "--pages", "1,3-4", "--dpi", "30")
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        ".dossier-preview",
        "notes.txt",
        "page-001.png",
        "page-003.png",
        "page-004.png",
    ]
    with Image.open(folder / "page-003.png") as image:
        assert image.size == (249, 351)


def test_preview_never_takes_over_a_folder_of_the_user(built: Path, tmp_path: Path):
    """This test ensures that preview refuses a folder with files it did not write."""
    folder = tmp_path / "holiday"
    folder.mkdir()
    (folder / "page-001.png").write_bytes(b"a scan of mine")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("preview", str(built), "-o", str(folder), "--pages", "1", "--dpi", "20")
    assert result.exit_code == 5
    assert f"{folder}: holds files that dossier preview did not write" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "page-001.png"]
    assert (folder / "page-001.png").read_bytes() == b"a scan of mine"


def test_preview_into_the_case_folder_is_refused(case: Path):
    """This test ensures that page pictures never land among the evidence of a case folder."""
    assert run("build", str(case), "-q").exit_code == 0
    before = sorted(p.name for p in case.iterdir())
    result = run("preview", str(case / "dossier.pdf"), "-o", str(case), "--pages", "1")
    assert result.exit_code == 5
    assert sorted(p.name for p in case.iterdir()) == before


def test_preview_never_writes_through_a_link(built: Path, tmp_path: Path):
    """This test ensures that a dossier-preview link to elsewhere is not followed."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page-001.png").write_bytes(b"not a preview")
    pdf = tmp_path / "work" / "dossier.pdf"
    pdf.parent.mkdir()
    shutil.copy(built, pdf)
    (pdf.parent / "dossier-preview").symlink_to(elsewhere)
    result = run("preview", str(pdf), "--pages", "1")
    assert result.exit_code == 5
    assert "is a link; preview writes only into a folder of its own" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["page-001.png"]
    assert (elsewhere / "page-001.png").read_bytes() == b"not a preview"


def test_evidence_in_a_preview_folder_is_still_evidence(case: Path):
    """This test ensures that only the pictures preview wrote are skipped, and named."""
    assert run("build", str(case), "-q").exit_code == 0
    assert run("preview", str(case / "dossier.pdf"), "--pages", "3").exit_code == 0
    shutil.copy(case / "dossier-preview" / "page-003.png", case / "dossier-preview" / "scan.png")
    result = run("list", str(case))
    assert result.exit_code == 0
    assert "dossier-preview/scan.png" in result.stdout
    assert "dossier-preview/page-003.png: a page picture written by dossier preview" in (
        result.stderr
    )


def test_preview_verbose_names_each_picture(built: Path, tmp_path: Path):
    """This test ensures that -v prints the path of every picture saved."""
    folder = tmp_path / "v"
    result = run("preview", str(built), "-o", str(folder), "-v", "--pages", "1-2", "--dpi", "20")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Saved {folder / 'page-001.png'}",
        f"Saved {folder / 'page-002.png'}",
        f"Saved 2 page pictures in {folder} (page-001.png to page-002.png).",
    ]


def test_preview_quiet(built: Path, tmp_path: Path):
    """This test ensures that -q renders without printing."""
    result = run("preview", str(built), "-o", str(tmp_path / "q"), "-q", "--pages", "2")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert [p.name for p in (tmp_path / "q").glob("*.png")] == ["page-002.png"]


def test_preview_default_is_dossier_pdf_in_the_current_folder(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that with no argument, ./dossier.pdf goes to ./dossier-preview."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(built, tmp_path / "dossier.pdf")
    result = run("preview", "--pages", "1")
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "dossier-preview").glob("*.png")] == ["page-001.png"]


def test_preview_folder_is_not_evidence(case: Path):
    """This test ensures that page pictures saved in the case folder are not built in."""
    assert run("build", str(case), "-q").exit_code == 0
    assert run("preview", str(case / "dossier.pdf"), "--pages", "3").exit_code == 0
    assert (case / "dossier-preview" / "page-003.png").exists()
    # Whatever the folder is called.
    assert run("preview", str(case / "dossier.pdf"), "-o", str(case / "pages")).exit_code == 0
    assert (case / "pages" / "page-010.png").exists()
    result = run("list", str(case))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 6


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        pytest.param("12", "error: --pages '12': the dossier has pages 1 to 11\n", id="past-end"),
        pytest.param("3-1", "error: --pages '3-1': the dossier has pages 1 to 11\n", id="reversed"),
        pytest.param(
            "one", "error: --pages 'one' is not a page number or range such as 3-5\n", id="word"
        ),
    ],
)
def test_preview_bad_pages(built: Path, tmp_path: Path, pages: str, message: str):
    """This test ensures that a wrong page list is a usage error that says what is possible."""
    result = run("preview", str(built), "-o", str(tmp_path / "p"), "--pages", pages)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == message


def test_preview_missing_pdf(tmp_path: Path):
    """This test ensures that a PDF that does not exist is named, with what to do."""
    missing = tmp_path / "dossier.pdf"
    result = run("preview", str(missing))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"error: {missing}: no such file; give the dossier PDF to preview "
        "(build it first with dossier build)\n"
    )


def test_preview_not_a_pdf(tmp_path: Path):
    """This test ensures that a file that is not a PDF exits with code 3 and says so."""
    fake = tmp_path / "dossier.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    result = run("preview", str(fake))
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert result.stderr == (
        f"error: {fake}: is not a PDF, or is damaged; "
        "give the dossier PDF that dossier build wrote\n"
    )


def test_preview_folder_cannot_be_made(built: Path, tmp_path: Path):
    """This test ensures that an output folder blocked by a file exits with code 5."""
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = run("preview", str(built), "-o", str(blocker / "pages"))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr.startswith(
        f"error: {blocker / 'pages'}: cannot write the page pictures here"
    )
    assert result.stderr.endswith("; choose another folder with -o\n")


def test_preview_dpi_out_of_range(built: Path):
    """This test ensures that an absurd resolution is refused by click with code 2."""
    result = run("preview", str(built), "--dpi", "5000")
    assert result.exit_code == ExitCode.USAGE
    assert "5000 is not in the range 20<=x<=300" in result.stderr


# --- the README's exit-code table -------------------------------------------------------


def test_readme_exit_codes_match_the_code():
    """This test ensures that the README's exit-code table lists exactly the codes in use."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}


# --- dossier watch (the command's output; the watching itself is in test_watch.py) ------


@pytest.fixture
def fake_watch(monkeypatch: pytest.MonkeyPatch, case: Path):
    """Replace the watcher by one that reports a good build, a bad file, then Ctrl-C."""
    calls: list[dict[str, object]] = []

    def watch_folder(options, report, stop, delay, progress=None, catch_all=True):
        calls.append({"options": options, "delay": delay, "catch_all": catch_all})
        good = api.build(options)
        report(Rebuild((), result=good))
        report(Rebuild(("bad.jpg",), error=FilesNotIncludedError([Rejection("bad.jpg", "empty")])))
        report(Rebuild(("bad.jpg", "new.eml"), result=good))
        raise KeyboardInterrupt

    monkeypatch.setattr("dossier.watch.watch_folder", watch_folder)
    return calls


def test_watch_reports_each_build_and_stops_on_ctrl_c(fake_watch, case: Path):
    """This test ensures that watch prints each summary, reports errors and stops cleanly."""
    result = run("watch", str(case), "--delay", "0.5")
    assert result.exit_code == 0
    out = [line for line in result.stdout.splitlines() if line not in INFERRED]
    pdf = case / "dossier.pdf"
    assert out[0].startswith(f"Wrote {pdf}: {PARCEL_PAGES} pages, ")
    assert out[1] == f"Watching {case} for changes. Press Ctrl-C to stop."
    assert out[2] == "Changed: bad.jpg"
    assert out[3] == "Still watching: fix the problem and the dossier is built again."
    assert out[4] == "Changed: bad.jpg, new.eml"
    assert out[5].startswith(f"Wrote {pdf}: {PARCEL_PAGES} pages, ")
    assert out[6] == "Stopped watching."
    assert result.stderr.splitlines() == [
        "error: 1 file cannot be included:",
        "  bad.jpg: empty",
        "Fix or remove it, or run again with --skip-unreadable to leave it out.",
    ]
    assert fake_watch[0]["delay"] == 0.5
    assert fake_watch[0]["catch_all"] is True


def test_watch_quiet_prints_only_errors(fake_watch, case: Path):
    """This test ensures that watch -q prints the errors and nothing else."""
    result = run("watch", str(case), "-q")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("error: 1 file cannot be included:")


def test_watch_passes_the_build_options(fake_watch, case: Path, tmp_path: Path):
    """This test ensures that -o and --skip-unreadable reach the builds, and --debug stops catching."""
    out = tmp_path / "claim.pdf"
    result = run("--debug", "watch", str(case), "-o", str(out), "--skip-unreadable")
    assert result.exit_code == 0
    options = fake_watch[0]["options"]
    assert (options.output, options.skip_unreadable) == (out, True)
    assert fake_watch[0]["catch_all"] is False


def test_watch_missing_folder(tmp_path: Path):
    """This test ensures that watching a folder that does not exist exits 2, naming it."""
    missing = tmp_path / "nope"
    result = run("watch", str(missing))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"error: {missing}: no such folder; give the folder that holds your evidence files\n"
    )


def test_watch_bad_delay(case: Path):
    """This test ensures that a delay outside 0.1 to 60 seconds is a usage error."""
    result = run("watch", str(case), "--delay", "0")
    assert result.exit_code == ExitCode.USAGE
    assert "0.0 is not in the range 0.1<=x<=60" in result.stderr


# --- README pictures --------------------------------------------------------------------


def test_readme_pictures_are_small_page_previews():
    """This test ensures that the README's pictures exist, are A4 pages at 55 dpi, and stay small."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((docs/images/page-[^)]+\.png)\)", readme)
    assert len(shown) == 4
    total = 0
    for name in shown:
        path = REPO / name
        total += path.stat().st_size
        with Image.open(path) as image:
            assert image.size == (455, 644)  # A4 at 55 dpi, as scripts/readme_images.sh makes
    assert total < 600 * 1024


@pytest.mark.corpus
def test_preview_password_protected_pdf(corpus_dir: Path, tmp_path: Path):
    """This test ensures that a password-protected PDF is refused with what is wrong."""
    locked = corpus_dir / "pdfs" / "sample-files__libreoffice-writer-password.pdf"
    result = run("preview", str(locked), "-o", str(tmp_path / "p"))
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert result.stderr == (
        f"error: {locked}: is protected by a password; "
        "give the dossier PDF that dossier build wrote\n"
    )


@pytest.mark.parametrize(
    ("spec", "pages"),
    [
        pytest.param("1", [1], id="one"),
        pytest.param("1,3-5", [1, 3, 4, 5], id="list-and-range"),
        pytest.param(" 2 - 3 , 7", [2, 3, 7], id="spaces"),
        pytest.param("3,1-3", [3, 1, 2], id="each-page-once-in-the-order-given"),
    ],
)
def test_parse_pages(spec: str, pages: list[int]):
    """This test ensures that page lists are read the way print dialogs write them."""
    assert preview.parse_pages(spec, 7) == pages
