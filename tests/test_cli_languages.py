"""The command line speaks the case's language, else the system's, else English."""

from __future__ import annotations

import ast
import gettext
import io
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import commands as cli
from dossier.i18n import CATALOGS, case_language, system_language
from tests.conftest_samples import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ("fr", "nl", "de")
NBSP = "\u00a0"
# What the run's environment says about languages; each test sets its own.
LOCALE_VARIABLES = ("DOSSIER_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def catalog(language: str):
    with (CATALOGS / language / "LC_MESSAGES" / "dossier.po").open("rb") as file:
        return read_po(file, locale=language)


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a message by name.

    A translation may drop a ``!r`` conversion to quote the value with its
    language's own marks (« … » in French, „…“ in German).
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def code_messages() -> set[str]:
    """Every message the code marks, as ``pybabel extract`` finds it (scripts/catalogs.sh)."""
    method_map = [("dossier/**.py", "dossier.i18n.extract.extract_commands")]
    keywords = {**DEFAULT_KEYWORDS, "N_plural": (1, 2), "M_": None, "MN_": (1, 2)}
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language: str):
    """This test ensures that each catalog translates every message of the code, plural forms included, keeping each placeholder."""
    messages = catalog(language)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in messages if m.id}
    assert code_messages() - ids == set(), "run scripts/catalogs.sh and translate the new entries"
    for message in messages:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        if isinstance(message.id, tuple):
            singular, plural = message.id
            forms = list(message.string)
            assert len(forms) == messages.num_plurals and all(forms), message.id
            assert fields(forms[0]) == fields(singular), (message.id, forms[0])
            for form in forms[1:]:
                assert fields(form) == fields(plural), (message.id, form)
        else:
            assert message.string, f"{language}: no translation for {message.id!r}"
            assert fields(message.string) == fields(message.id), (message.id, message.string)


def test_messages_inside_messages_are_extracted_too():
    """This test ensures that a message marked inside another one's values (which Babel's extractor can miss) is in the catalogs."""
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog("fr") if m.id}
    marked = []
    for path in (ROOT / "dossier").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"_", "N_", "M_", "MN_", "ngettext", "N_plural"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                marked.append((path.name, node.lineno, node.args[0].value))
    assert len(marked) > 300
    assert [m for m in marked if m[2] not in ids] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogs_match_their_sources(language: str):
    """This test ensures that the .mo the command line reads says what its .po says (scripts/catalogs.sh --compile-only)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with (CATALOGS / language / "LC_MESSAGES" / "dossier.mo").open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    assert shipped._catalog == fresh._catalog  # type: ignore[attr-defined]


def test_french_messages_keep_french_typography():
    """This test ensures that French messages put a no-break space before : ; ? ! and inside « », never a plain space."""
    for message in catalog("fr"):
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            words = re.sub(r"\{[^}]*\}", "", form)  # placeholders such as {name!r} are code
            assert not re.search(r" [:;?!»]|« ", words), form
            assert not re.search(r"\w[;?!»]", words), form


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({"LANG": "fr_BE.UTF-8"}, "fr", id="LANG"),
        pytest.param({"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "de_BE.UTF-8"}, "de", id="LC_MESSAGES"),
        pytest.param({"LANG": "nl_BE", "LC_ALL": "fr_BE@euro"}, "fr", id="LC_ALL"),
        pytest.param({"LANG": "fr_BE.UTF-8", "LANGUAGE": "es:nl:fr"}, "nl", id="LANGUAGE-list"),
        pytest.param({"LANG": "C.UTF-8", "LANGUAGE": "nl"}, None, id="C-locale-ignores-LANGUAGE"),
        pytest.param({"LANG": "es_ES.UTF-8"}, None, id="another-language"),
        pytest.param({"LANG": "de-DE"}, "de", id="dash"),
    ],
)
def test_system_language_follows_gettexts_order(environ: dict[str, str], expected: str | None):
    """This test ensures that the system's language is read as gettext reads it."""
    assert system_language(environ) == expected


def run(args: list[str], **environ: str):
    env: dict[str, str | None] = dict.fromkeys(LOCALE_VARIABLES)
    env.update(environ)
    return CliRunner().invoke(cli.main, args, prog_name="dossier", env=env)


@pytest.fixture
def any_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The language is the test's to choose (the suite pins English otherwise)."""
    monkeypatch.delenv("DOSSIER_LANGUAGE")


def case_in(language: str, tmp_path: Path, sample: str = "damaged-parcel") -> Path:
    folder = tmp_path / f"case-{language}"
    shutil.copytree(SAMPLES / sample, folder)
    path = folder / "case.toml"
    text = re.sub(
        r'^language = ".."',
        f'language = "{language}"',
        path.read_text("utf-8"),
        count=1,
        flags=re.M,
    )
    path.write_text(text, "utf-8")
    assert case_language(folder) == language
    return folder


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fr_BE.UTF-8",
            ["Utilisation\u00a0: dossier", "Affiche ce message et quitte.", "Commandes"],
        ),
        ("nl_BE.UTF-8", ["Gebruik: dossier", "Toont dit bericht en stopt.", "Opdrachten:"]),
        ("de_BE.UTF-8", ["Aufruf: dossier", "Zeigt diese Hilfe und beendet.", "Befehle:"]),
        ("C.UTF-8", ["Usage: dossier", "Show this message and exit.", "Commands:"]),
    ],
)
def test_help_follows_the_system_language(
    lang: str, words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that --help (click's words and ours) speaks the system's language."""
    monkeypatch.chdir(tmp_path)  # no case file here
    result = run(["--help"], LANG=lang)
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.stdout
    build = run(["build", "--help"], LANG=lang)
    english = "Insert blank pages so that"
    assert (english in build.stdout) == lang.startswith("C")


@pytest.mark.usefixtures("any_language")
def test_the_case_language_wins_over_the_system(tmp_path: Path):
    """This test ensures that list speaks the case's Dutch on a French system, in its headings and its errors."""
    folder = case_in("nl", tmp_path, "double-charge")
    (folder / "kapot.jpg").write_bytes(b"not a picture")
    result = run(["list", str(folder)], LANG="fr_BE.UTF-8")
    assert result.exit_code == 3, result.output
    assert "Niet opgenomen (1):" in result.stderr
    assert "afgeleid: " in result.stderr
    assert "fout: 1 bestand kan niet opgenomen worden" in result.stderr
    assert "Non inclus" not in result.stderr and "Not included" not in result.stderr


@pytest.mark.usefixtures("any_language")
def test_a_build_reports_in_the_case_language(tmp_path: Path):
    """This test ensures that a build in a German case says what it wrote in German, and the PDF is the one it names."""
    folder = case_in("de", tmp_path)
    out = tmp_path / "reklamation.pdf"
    result = run(["build", str(folder), "-o", str(out)], LANG="en_GB.UTF-8")
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(out).pages)
    assert f"{out} geschrieben: {pages} Seiten, " in result.stdout
    assert result.stdout.rstrip().endswith("6 Anlagen.")
    assert "abgeleitet: order." in result.stdout
    assert "Wrote" not in result.stdout and "inferred" not in result.stdout


@pytest.mark.usefixtures("any_language")
def test_usage_errors_follow_the_case_language(tmp_path: Path):
    """This test ensures that click's own errors speak the case's French, with French typography."""
    folder = case_in("fr", tmp_path)
    result = run(["build", str(folder), "-q", "-v"], LANG="de_DE.UTF-8")
    assert result.exit_code == 2
    assert "Erreur\u00a0: -q/--quiet et -v/--verbose ne peuvent pas être utilisés ensemble" in (
        result.stderr
    )
    assert "Essayez «\u00a0dossier build --help\u00a0» pour l'aide." in result.stderr


@pytest.mark.usefixtures("any_language")
def test_dossier_language_wins_over_the_case(tmp_path: Path):
    """This test ensures that DOSSIER_LANGUAGE gives a script the words it expects, whatever the case says."""
    folder = case_in("nl", tmp_path, "double-charge")
    result = run(["list", str(folder)], LANG="nl_BE.UTF-8", DOSSIER_LANGUAGE="en")
    assert result.exit_code == 0, result.output
    assert "inferred: " in result.stderr


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl_BE.UTF-8", "Toont de tijdlijn als JSON, voor scripts."),
        ("de_DE.UTF-8", "Gibt die Zeitleiste als JSON aus, für Skripte."),
    ],
)
def test_installed_command_speaks_the_locale(lang: str, expected: str, tmp_path: Path):
    """This test ensures that the installed program finds its compiled catalogs (a real process, a real locale)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-m", "dossier", "list", "--help"],
        env={**env, "LANG": lang},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert expected in result.stdout


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "copy", "undated", "inferred"),
    [
        ("nl", "hetzelfde bestand als stuk 2", "geen datum in het bestand", "(uit "),
        ("de", "dieselbe Datei wie Anlage 2", "kein Datum in der Datei", "(aus "),
        ("fr", "le même fichier que la pièce 2", "aucune date dans le fichier", "(d'après "),
        ("en", "the same file as exhibit 2", "no date found in the file", "(from "),
    ],
)
def test_warnings_follow_the_command_lines_language(
    language: str, copy: str, undated: str, inferred: str, tmp_path: Path
):
    """This test ensures that the warnings of the library (a copy, a file dated by its modification time) and the inferred facts are printed in the command line's language."""
    folder = case_in(language, tmp_path, "double-charge")
    shutil.copy(folder / "Screenshot_20261105-081500.png", folder / "kopie.png")
    (folder / "extra.txt").write_text("Gebeld met de klantendienst.\n", "utf-8")
    result = run(["list", str(folder)], LANG="C.UTF-8")
    assert result.exit_code == 0, result.output
    assert copy in result.stdout
    assert undated in result.stdout
    assert inferred in result.stderr
    others = {"nl": "hetzelfde bestand", "de": "dieselbe Datei", "fr": "le même fichier"}
    others["en"] = "the same file as"
    for other, words in others.items():
        if other != language:
            assert words not in result.stdout


@pytest.mark.usefixtures("any_language")
def test_a_build_stopped_by_unreadable_files_says_so_in_the_case_language(tmp_path: Path):
    """This test ensures that the error of a build that meets an unreadable file is in the case's German, with the file named."""
    folder = case_in("de", tmp_path, "double-charge")
    (folder / "kaputt.pdf").write_bytes(b"%PDF-1.4\n")
    result = run(["build", str(folder), "-o", str(tmp_path / "out.pdf")], LANG="fr_BE.UTF-8")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == "Fehler: 1 Datei kann nicht aufgenommen werden:"
    assert lines[1].startswith("  kaputt.pdf: ")
    assert lines[-1].startswith("Reparieren oder entfernen Sie sie")


@pytest.mark.parametrize(
    ("langid", "expected"),
    [(0x0813, "nl"), (0x080C, "fr"), (0x0407, "de"), (0x0409, "en"), (0x0410, None)],
    ids=["nl_BE", "fr_BE", "de_DE", "en_US", "it_IT"],
)
def test_windows_uses_the_display_language(
    langid: int, expected: str | None, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that on Windows, where no LANG is set, the user's display language is asked of the system."""
    import ctypes
    import types

    kernel32 = types.SimpleNamespace(GetUserDefaultUILanguage=lambda: langid)
    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert system_language({}) == expected


@pytest.mark.usefixtures("any_language")
def test_help_and_progress_follow_the_case_language(tmp_path: Path):
    """This test ensures that a command's --help and the steps printed with -v speak the case's Dutch on a German system."""
    folder = case_in("nl", tmp_path, "double-charge")
    shown = run(["build", str(folder), "--help"], LANG="de_DE.UTF-8")
    assert shown.exit_code == 0
    assert "Gebruik: dossier build [OPTIES] [MAP]" in shown.stdout
    assert "Voegt lege pagina's in" in shown.stdout
    built = run(["build", str(folder), "-o", str(tmp_path / "out.pdf"), "-v"], LANG="de_DE.UTF-8")
    assert built.exit_code == 0, built.output
    steps = [line for line in built.stderr.splitlines() if line.startswith("[")]
    assert any("] Opmaak van Screenshot_20261105-081500.png" in line for line in steps), steps
    assert any(line.endswith("] De pdf schrijven") for line in steps), steps
    assert any("] Lezen van bestelbevestiging.eml" in line for line in steps), steps
    assert not any(
        "Laying out" in line or "Writing the PDF" in line or "Reading" in line for line in steps
    )


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "missing", "empty"),
    [
        ("nl_BE.UTF-8", "deze map bestaat niet", "voeg uw stukken toe aan deze map"),
        ("de_DE.UTF-8", "diesen Ordner gibt es nicht", "legen Sie Ihre Belege in diesen Ordner"),
        ("fr_BE.UTF-8", "ce dossier n'existe pas", "ajoutez vos pièces à ce dossier"),
    ],
)
def test_a_missing_or_empty_folder_is_explained_in_the_system_language(
    lang: str, missing: str, empty: str, tmp_path: Path
):
    """This test ensures that the first errors a new user meets (a wrong folder, an empty one) speak the system's language."""
    result = run(["list", str(tmp_path / "nowhere")], LANG=lang)
    assert result.exit_code == 2
    assert missing in result.stderr
    (tmp_path / "empty").mkdir()
    result = run(["build", str(tmp_path / "empty")], LANG=lang)
    assert result.exit_code == 6
    assert empty in result.stderr


def test_messages_said_later_survive_a_copy_to_another_process():
    """This test ensures that a plural message, one with a technical detail, a reader's reason and the system's words are said the same after pickling (as the parallel readers send them)."""
    import errno
    import pickle

    from dossier.errors import os_problem
    from dossier.i18n import M_, MN_, TechnicalDetail
    from dossier.model import Rejection
    from dossier.rejections import KindOfProblem

    messages = [
        MN_("{count} exhibit", "{count} exhibits", 3),
        M_(
            "the message is not well-formed MIME{defects}; shown as far as it could be read",
            defects=TechnicalDetail(" (StartBoundaryNotFoundDefect)"),
        ),
        M_(
            "the attachment {name!r} is not shown: {reason}",
            name="factuur.pdf",
            reason=KindOfProblem(Rejection("", "the PDF is damaged (Stream has ended)")),
        ),
        M_(
            "{folder}: cannot write here ({error}); choose another place with -o",
            folder="uit",
            error=os_problem(PermissionError(errno.EACCES, "Permission denied")),
        ),
    ]
    for message in messages:
        copy = pickle.loads(pickle.dumps(message))
        assert str(copy) == str(message)
        for language in ("en", "fr", "nl", "de"):
            assert copy.in_language(language) == message.in_language(language)
    said = [message.in_language("de") for message in messages]
    assert said[0] == "3 Anlagen"
    assert "Defect" not in said[1] and "Defect" in str(messages[1])
    assert "beschädigte oder unvollständige Datei" in said[2] and "Stream" not in said[2]
    assert said[3] == "uit: hier kann nicht geschrieben werden (Zugriff verweigert); " + (
        "wählen Sie mit -o einen anderen Ort"
    )
    assert "(Permission denied)" in str(messages[3])
