"""The command line's remaining words in the user's language, not in English.

Why a file is left out, what is wrong in the case file, what verify found.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfWriter

from dossier.cli import commands as cli
from tests.conftest_samples import SAMPLES

NBSP = "\u00a0"
LOCALE_VARIABLES = ("DOSSIER_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
BAD = ("derived_zero-bytes.pdf", "ocrmypdf__invalid.pdf", "paperless-ngx__broken.eml")
# What the readers say in English: the technical detail, for -v only.
ENGLISH_REASONS = (
    "the file is empty",
    "the PDF is damaged",
    "no email headers found",
    "protected by a password",
    "download it again",
)


def run(args: list[str], **environ: str):
    env: dict[str, str | None] = dict.fromkeys(LOCALE_VARIABLES)
    env.update(environ)
    return CliRunner().invoke(cli.main, args, prog_name="dossier", env=env)


def case_copy(tmp_path: Path, sample: str = "double-charge", language: str = "fr") -> Path:
    folder = tmp_path / sample
    shutil.copytree(SAMPLES / sample, folder)
    path = folder / "case.toml"
    text = path.read_text("utf-8")
    text = re.sub(r'^language = ".."', f'language = "{language}"', text, count=1, flags=re.M)
    path.write_text(text, "utf-8")
    return folder


def add_to_case(folder: Path, text: str) -> None:
    path = folder / "case.toml"
    path.write_text(path.read_text("utf-8") + "\n" + text + "\n", "utf-8")


def protected_pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=400)
    writer.encrypt(user_password="geheim-2026", owner_password="geheim-2026")
    with path.open("wb") as file:
        writer.write(file)


@pytest.fixture
def any_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The language is the test's to choose (the suite pins English otherwise)."""
    monkeypatch.delenv("DOSSIER_LANGUAGE")


@pytest.mark.corpus
@pytest.mark.usefixtures("any_language")
def test_list_says_why_files_are_left_out_in_french(corpus_dir: Path, tmp_path: Path):
    """This test ensures that list gives each reason and its advice in French, the readers' English only with -v."""
    folder = case_copy(tmp_path, "double-charge", "nl")  # the case is Dutch, the user French
    for name in BAD:
        shutil.copy(corpus_dir / "bad" / name, folder / name)
    protected_pdf(folder / "releve-bancaire.pdf")
    result = run(["list", str(folder)], DOSSIER_LANGUAGE="fr")
    assert result.exit_code == 3, result.output
    lines = {line.split(f"{NBSP}:", 1)[0].strip(): line for line in result.stderr.splitlines()}
    assert f"fichier vide{NBSP}; téléchargez-le ou exportez-le" in lines["derived_zero-bytes.pdf"]
    assert "fichier endommagé ou incomplet" in lines["ocrmypdf__invalid.pdf"]
    assert "aucun en-tête" in lines["paperless-ngx__broken.eml"]
    protected = lines["releve-bancaire.pdf"]
    assert "fichier protégé par un mot de passe" in protected
    assert 'ajoutez password = "..." sous [exhibits."releve-bancaire.pdf"]' in protected
    for english in ENGLISH_REASONS:
        assert english not in result.stderr
    assert "Not included" not in result.stderr and "Niet opgenomen" not in result.stderr

    detailed = run(["list", str(folder), "-v"], DOSSIER_LANGUAGE="fr")
    assert detailed.exit_code == 3
    assert f"(détail{NBSP}: the file is empty (0 bytes)" in detailed.stderr
    assert "(détail" in detailed.stderr and "the PDF is damaged" in detailed.stderr


@pytest.mark.usefixtures("any_language")
def test_a_failed_build_and_its_summary_speak_dutch(tmp_path: Path):
    """This test ensures that the not-included lines of a stopped build and of a build's summary are in Dutch."""
    folder = case_copy(tmp_path, "damaged-parcel", "fr")
    (folder / "leeg.txt").write_bytes(b"")
    picture = (folder / "IMG_20261030_101500.jpg").read_bytes()
    (folder / "afgebroken.jpg").write_bytes(picture[: len(picture) // 3])
    out = tmp_path / "klacht.pdf"
    stopped = run(["build", str(folder), "-o", str(out)], LANG="nl_BE.UTF-8", DOSSIER_LANGUAGE="nl")
    assert stopped.exit_code == 3, stopped.output
    assert "  leeg.txt: leeg bestand; download of exporteer het opnieuw" in stopped.stderr
    assert "  afgebroken.jpg: beschadigd of onvolledig bestand" in stopped.stderr
    assert "(detail:" not in stopped.stderr
    assert "the file is empty" not in stopped.stderr and "truncated" not in stopped.stderr
    verbose = run(["build", str(folder), "-o", str(out), "-v"], DOSSIER_LANGUAGE="nl")
    assert verbose.exit_code == 3
    assert "leeg bestand; download of exporteer het opnieuw" in verbose.stderr
    assert "(detail: the file is empty (0 bytes)" in verbose.stderr

    built = run(["build", str(folder), "-o", str(out), "--skip-unreadable"], DOSSIER_LANGUAGE="nl")
    assert built.exit_code == 0, built.output
    assert "Niet opgenomen (2)" in built.stdout
    assert "  afgebroken.jpg: beschadigd of onvolledig bestand" in built.stdout
    assert "the image is damaged" not in built.stdout and "copy it again" not in built.stdout


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "sample", "case_text", "said", "english"),
    [
        pytest.param(
            "fr",
            "double-charge",
            "[exhibits]\nbroken = ",
            f"n'est pas du TOML valable (Invalid value){NBSP}; corrigez cette ligne et réessayez",
            "not valid TOML",
            id="toml-syntax-fr",
        ),
        pytest.param(
            "de",
            "damaged-parcel",
            '[extra\nname = "x"',
            "Spalte 7 ist kein gültiges TOML (Expected ']' at the end of a table declaration); "
            "korrigieren Sie diese Zeile",
            "fix that line",
            id="toml-line-de",
        ),
        pytest.param(
            "nl",
            "double-charge",
            '[exhibits."schade.png"]\nredact = [[10, 10, 5000, 20]]',
            "het kader [10, 10, 5000, 20] valt buiten de afbeelding (640 x 480 pixels, rechtop)",
            "goes outside the picture",
            id="box-outside-nl",
        ),
        pytest.param(
            "fr",
            "damaged-parcel",
            '[exhibits."schade.png"]\nhighlight = [{ box = [1, 2, 3, 4], colour = 1 }]',
            f"clé inconnue 'colour'{NBSP}; attendu{NBSP}: box, shape, label",
            "unknown key",
            id="highlight-key-fr",
        ),
        pytest.param(
            "de",
            "damaged-parcel",
            '[exhibits."reponse-service-client.eml"]\ncrop = [0, 0, "50%", "50%"]',
            "diese Datei ist kein Foto und kein Screenshot; entfernen Sie den Schlüssel",
            "not a photo",
            id="crop-on-email-de",
        ),
    ],
)
def test_case_file_errors_speak_the_users_language(
    language: str,
    sample: str,
    case_text: str,
    said: str,
    english: str,
    tmp_path: Path,
):
    """This test ensures that a TOML syntax error and a wrong box are explained in the user's language."""
    folder = case_copy(tmp_path, sample, "fr")
    Image.new("RGB", (640, 480), (200, 180, 160)).save(folder / "schade.png")
    add_to_case(folder, case_text)
    result = run(["list", str(folder)], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 4, result.output
    assert said in result.stderr
    assert english not in result.stderr


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "make", "said", "english"),
    [
        pytest.param(
            "de",
            lambda path: Image.new("RGB", (120, 40), "white").save(path, "GIF"),
            "ist ein GIF-Bild, kein PNG oder JPEG; speichern Sie die Unterschrift",
            "save the signature",
            id="gif-de",
        ),
        pytest.param(
            "fr",
            lambda path: path.write_bytes(b"GIF89a\x01\x00 not an image"),
            f"n'est pas une image PNG ou JPEG{NBSP}; enregistrez la signature",
            "is not a PNG or JPEG",
            id="not-an-image-fr",
        ),
    ],
)
def test_a_wrong_signature_image_is_explained(
    language: str, make, said: str, english: str, tmp_path: Path
):
    """This test ensures that a signature image that is not a PNG or JPEG is refused in the user's language."""
    folder = case_copy(tmp_path, "damaged-parcel", "fr")
    make(folder / "handtekening.gif")
    text = (folder / "case.toml").read_text("utf-8")
    text = text.replace(
        'place = "Bruxelles"', 'place = "Bruxelles"\nsignature = "handtekening.gif"'
    )
    (folder / "case.toml").write_text(text, "utf-8")
    result = run(["list", str(folder)], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 4, result.output
    assert "letter.signature: 'handtekening.gif'" in result.stderr
    assert said in result.stderr
    assert english not in result.stderr


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "change", "said", "english"),
    [
        pytest.param(
            "fr",
            ('kind = "formal_notice"', 'kind = "ecc_complaint"'),
            f"claimant.country{NBSP}: le CEC Belgique ne prend que les consommateurs",
            "ECC Belgium takes only",
            id="ecc-consumer-fr",
        ),
        pytest.param(
            "nl",
            ('kind = "formal_notice"', 'kind = "mediation"\nlanguage = "nl"'),
            "letter.language: de Luxemburgse ombudsman leest alleen Frans, Duits",
            "the Luxembourg mediator reads",
            id="mediator-language-nl",
        ),
        pytest.param(
            "de",
            ('exhibit = "reponse-service-client.eml"', 'exhibit = "chat-verlauf.pdf"'),
            "contacts[1].exhibit: 'chat-verlauf.pdf' ist keine Datei im Ordner",
            "is not a file in the folder",
            id="missing-fact-file-de",
        ),
    ],
)
def test_letter_checks_speak_the_users_language(
    language: str, change: tuple[str, str], said: str, english: str, tmp_path: Path
):
    """This test ensures that a letter its addressee would refuse, and a missing file named by a fact, are explained in the user's language."""
    folder = case_copy(tmp_path, "damaged-parcel", "fr")
    path = folder / "case.toml"
    text = path.read_text("utf-8").replace(*change)
    text = text.replace('"Belgique"]', '"Belgique"]\ncountry = "FR"')
    path.write_text(text, "utf-8")
    result = run(["build", str(folder), "-o", str(tmp_path / "out.pdf")], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 4, result.output
    assert said in result.stderr
    assert english not in result.stderr


@pytest.mark.usefixtures("any_language")
def test_verify_details_speak_french_and_german(tmp_path: Path):
    """This test ensures that each line of verify (unchanged, changed, added, missing) is in the user's language."""
    folder = case_copy(tmp_path, "double-charge", "nl")
    pdf = tmp_path / "dossier.pdf"
    built = run(["build", str(folder), "-o", str(pdf)], DOSSIER_LANGUAGE="fr")
    assert built.exit_code == 0, built.output
    clean = run(["verify", str(pdf), str(folder)], DOSSIER_LANGUAGE="fr")
    assert clean.exit_code == 0, clean.output
    assert f"  ok{NBSP}: notities.txt{NBSP}: inchangé dans le dossier" in clean.stdout
    assert f"  ok{NBSP}: case.toml{NBSP}: inchangé dans le dossier" in clean.stdout
    assert "unchanged in the folder" not in clean.stdout

    (folder / "notities.txt").write_text("Gewijzigd na de opbouw.\n", "utf-8")
    (folder / "Screenshot_20261106-093012.png").unlink()
    (folder / "nieuw.txt").write_text("Nieuw bestand.\n", "utf-8")
    for language, words in (
        ("fr", ["modifié depuis la construction", "absent du dossier", "ajouté au dossier"]),
        ("de", ["seit der Erstellung geändert", "fehlt im Ordner", "zum Ordner hinzugefügt"]),
    ):
        changed = run(["verify", str(pdf), str(folder)], DOSSIER_LANGUAGE=language)
        assert changed.exit_code == 8, changed.output
        for word in words:
            assert word in changed.stdout
        for english in ("changed since the build", "missing from the folder", "added to"):
            assert english not in changed.stdout
    mismatch = [line for line in changed.stdout.splitlines() if "ABWEICHUNG: " in line]
    assert len(mismatch) == 3


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "said", "others"),
    [
        ("nl_BE.UTF-8", "Geen case.toml: alleen de stukken", "Pas de fichier case.toml"),
        ("de_DE.UTF-8", "Keine case.toml: nur die Anlagen", "Pas de fichier case.toml"),
        ("en_GB.UTF-8", "No case.toml: only the exhibits", "Pas de fichier case.toml"),
    ],
)
def test_the_no_case_file_notice_follows_the_command_line(
    lang: str, said: str, others: str, tmp_path: Path
):
    """This test ensures that without case.toml the notice is in the system's language, not the dossier's French."""
    folder = tmp_path / "zonder-case"
    folder.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "notities.txt", folder / "notities.txt")
    result = run(["list", str(folder)], LANG=lang)
    assert result.exit_code == 0, result.output
    assert said in result.stderr
    assert others not in result.stderr


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "remedy", "said", "english"),
    [
        (
            "fr",
            "refund",
            "pour demander tout de suite un remboursement, indiquez",
            "refund at once",
        ),
        (
            "de",
            "price_reduction",
            "um sofort eine Minderung des Preises zu verlangen",
            "price reduction at once",
        ),
    ],
)
def test_the_remedy_in_a_letter_notice_is_translated(
    language: str, remedy: str, said: str, english: str, tmp_path: Path
):
    """This test ensures that the notice about asking for repair first names the remedy in the user's language."""
    folder = case_copy(tmp_path, "damaged-parcel", "fr")
    path = folder / "case.toml"
    text = path.read_text("utf-8").replace('reason = "serious_defect"\n', "")
    text = text.replace('remedy = "refund"', f'remedy = "{remedy}"')
    path.write_text(text, "utf-8")
    result = run(["list", str(folder)], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 0, result.output
    assert said in result.stderr
    assert english not in result.stderr
