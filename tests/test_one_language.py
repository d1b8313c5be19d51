"""A dossier speaks one language: no label of another language, no library's words, each note once."""

from __future__ import annotations

import io
import random
import re
import shutil
import tomllib
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier import BuildOptions, build
from tests.conftest import NOW
from tests.conftest_trust import CORPUS

pytestmark = pytest.mark.corpus

STRINGS = Path(__file__).resolve().parent.parent / "layouts" / "strings"
LANGUAGES = ("fr", "nl", "de", "en")
# A library's words, or advice meant for the user, never belong on a page.
NEVER = (
    "Defect",
    "Traceback",
    "OLE FAT",
    "Truncated File Read",
    "cannot identify image file",
    "image file is truncated",
    "case.toml",
)
# The readers' and checks' notes as the library writes them (English): a page
# in another language says them in its own words, or not at all.
ENGLISH_NOTES = (
    "photo without a camera",
    "no date found in the file",
    "the same file as exhibit",
    "the message has no",
    "is not shown:",
)
# What the generated evidence says, in the dossier's language, and from which mail program.
EVIDENCE = {
    "fr": ("Photos des dégâts", "Voir les photos en pièce jointe.", "Thunderbird 128.4"),
    "nl": ("Foto's van de schade", "Zie de foto's in bijlage.", "Microsoft Outlook 16.0"),
    "de": ("Fotos vom Schaden", "Siehe die Fotos im Anhang.", "Apple Mail (2.3776)"),
    "en": ("Photos of the damage", "See the attached photos.", "Mutt/2.2.13"),
}


def photo(seed: int, width: int = 480, height: int = 360) -> bytes:
    """A JPEG without EXIF, of noise blurred enough to look like a photo."""
    rng = random.Random(seed)
    small = (width // 8, height // 8)
    data = bytes(rng.randrange(256) for _ in range(small[0] * small[1] * 3))
    image = Image.frombytes("RGB", small, data).resize((width, height), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def make_case(folder: Path, language: str) -> Path:
    """Evidence that triggers the notes, reasons, boxes and warnings a dossier can print."""
    subject, body, mailer = EVIDENCE[language]
    folder.mkdir()
    seed = LANGUAGES.index(language) * 10
    (folder / "IMG_20261101_120000.jpg").write_bytes(photo(seed + 1))
    shutil.copy(folder / "IMG_20261101_120000.jpg", folder / "copy.jpg")
    mail = EmailMessage()
    mail["From"] = "Ilse Vermeulen <ilse.vermeulen@example.be>"
    mail["To"] = "service@example.com"
    mail["Subject"] = subject
    mail["Date"] = "Mon, 02 Nov 2026 10:00:00 +0100"
    mail["X-Mailer"] = mailer
    mail.set_content(body)
    mail.add_attachment(
        photo(seed + 2), maintype="image", subtype="jpeg", filename="IMG_20261102_093000.jpg"
    )
    mail.add_attachment(photo(seed + 3)[:900], maintype="image", subtype="jpeg", filename="cut.jpg")
    (folder / "damage.eml").write_bytes(bytes(mail))
    undated = EmailMessage()
    undated["From"] = "Ilse Vermeulen <ilse.vermeulen@example.be>"
    undated["Subject"] = subject + " (2)"
    undated.set_content(body)
    (folder / "undated.eml").write_bytes(bytes(undated))
    for name in ("derived_zero-bytes.pdf", "derived_truncated-4096B__bbottema__simple_sent.msg"):
        shutil.copy(CORPUS / "bad" / name, folder / name)
    (folder / "case.toml").write_text(f'language = "{language}"\n', "utf-8")
    return folder


def fragments(language: str) -> set[str]:
    """The fixed words of a language's labels: each string cut at its placeholders."""
    data = tomllib.loads((STRINGS / f"{language}.toml").read_text("utf-8"))
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, str):
            for piece in re.split(r"\{[^}]*\}", node):
                piece = piece.strip(" .,:;()–-")
                if len(piece) >= 14:
                    found.add(piece)

    walk(data)
    return found


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The text of each page of the same evidence built in each language."""
    texts = {}
    for language in LANGUAGES:
        root = tmp_path_factory.mktemp(f"one-{language}")
        folder = make_case(root / "case", language)
        out = root / "dossier.pdf"
        build(BuildOptions(folder=folder, output=out, skip_unreadable=True, now=NOW))
        texts[language] = [page.extract_text() for page in PdfReader(out).pages]
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_label_of_another_language(dossiers: dict[str, list[str]], language: str):
    """This test ensures that a dossier prints no label of the other three languages and no library's or reader's English words."""
    text = "\n".join(dossiers[language])
    flat = re.sub(r"\s+", " ", text)
    own = fragments(language)
    for other in LANGUAGES:
        if other == language:
            continue
        for piece in fragments(other) - own:
            assert piece not in flat, f"{other} label in the {language} dossier: {piece!r}"
    for words in NEVER + (ENGLISH_NOTES if language != "en" else ()):
        assert words not in flat, f"{words!r} in the {language} dossier"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_note_is_said_once_where_it_belongs(dossiers: dict[str, list[str]], language: str):
    """This test ensures that the notes box of a page says each note once, and that a photo's warning is never printed on an email's page."""
    data = tomllib.loads((STRINGS / f"{language}.toml").read_text("utf-8"))
    notes_title = data["email"]["notes"]
    pages_with_notes = [page for page in dossiers[language] if notes_title in page]
    assert pages_with_notes, "the undated email has a notes box"
    for page in pages_with_notes:
        bullets = [line for line in page.splitlines() if line.startswith("•")]
        assert bullets
        repeated = [line for line, count in Counter(bullets).items() if count > 1]
        assert not repeated, repeated
    no_date = data["email_notes"]["no_date"]
    assert sum(page.count(no_date) for page in dossiers[language]) == 1
    # The damaged attachment is noted once, on its email's page.
    attachment = data["email_notes"]["attachment"].split("{")[0].strip()
    assert sum(page.count(attachment) for page in dossiers[language]) == 1


# What the command line says in English: its headings, and the readers' and
# libraries' words about the same evidence.
COMMAND_LINE_ENGLISH = (
    "Wrote ",
    "Not included",
    "Warnings (",
    "note:",
    "the attachment",
    "is not shown",
    "the image is damaged",
    "damaged or truncated",
    "image file is truncated",
    "no date found",
    "the message has no",
    "the file is empty",
    "Defect",
    "OLE",
)


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_command_line_speaks_the_dossiers_language_too(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that building the same evidence from the command line prints no English heading, warning or library words in the case's language."""
    from click.testing import CliRunner

    from dossier.cli import commands as cli

    monkeypatch.delenv("DOSSIER_LANGUAGE")
    folder = make_case(tmp_path / "case", language)
    result = CliRunner().invoke(
        cli.main,
        ["build", str(folder), "-o", str(tmp_path / "dossier.pdf"), "--skip-unreadable"],
        env={"LANG": "en_GB.UTF-8", "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None},
    )
    assert result.exit_code == 0, result.output
    said = result.stdout + result.stderr
    attachment = {
        "fr": "cut.jpg\xa0» n'est pas reproduite (",
        "nl": "‘cut.jpg’ wordt niet getoond (",
    }
    assert attachment.get(language, "„cut.jpg“ wird nicht gezeigt (") in said
    for english in COMMAND_LINE_ENGLISH:
        assert english not in said, (english, said)
