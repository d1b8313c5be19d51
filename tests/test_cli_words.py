"""The command line's remaining words in the user's language, not in English.

Why a file is left out, what is wrong in the case file, what verify found.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter

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
            "nl",
            "double-charge",
            '[exhibits."schade.png"]\nredact = [[10, 10, 5000, 20]]',
            "het kader [10, 10, 5000, 20] valt buiten de afbeelding (640 x 480 pixels, rechtop)",
            "goes outside the picture",
            id="box-outside-nl",
        ),
        pytest.param(
            "fr",
            "double-charge",
            '[exhibits."schade.png"]\nredact = [[10, 10, 5000, 20]]',
            f'case.toml{NBSP}: exhibits."schade.png".redact[0]{NBSP}: le cadre [10, 10, 5000, 20] '
            "sort de l'image",
            "goes outside the picture",
            id="box-outside-fr",
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
    """This test ensures that a wrong box, key or file in the case file is explained in the user's language."""
    folder = case_copy(tmp_path, sample, "fr")
    Image.new("RGB", (640, 480), (200, 180, 160)).save(folder / "schade.png")
    add_to_case(folder, case_text)
    result = run(["list", str(folder)], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 4, result.output
    assert said in result.stderr
    assert english not in result.stderr


# What the TOML parser says (English), and this tool's English words for the same mistakes.
PARSER_WORDS = (
    "Expected",
    "Invalid value",
    "Illegal character",
    "Cannot overwrite",
    "Cannot declare",
    "Unterminated",
    "Unclosed",
    "Unescaped",
    "Invalid hex",
    "at line",
    "end of document",
    "not valid TOML",
    "is not closed",
    "is missing after a key",
    "already given above",
    "not a valid date",
    "is not understood",
    "a backslash",
    "line {",
)
# The place of a mistake, and each kind of mistake, in the user's words.
PLACE = {
    "fr": "case.toml, ligne {line}",
    "nl": "case.toml, regel {line}",
    "de": "case.toml, Zeile {line}",
}
MISTAKES = {
    "quote": {
        "fr": f"un texte entre guillemets n'est pas fermé{NBSP}; fermez-le par le même guillemet",
        "nl": "een tekst tussen aanhalingstekens is niet gesloten; sluit hem af",
        "de": "ein Text in Anführungszeichen ist nicht geschlossen; schließen Sie ihn",
    },
    "equals": {
        "fr": f"il manque un «{NBSP}={NBSP}» après une clé{NBSP}; écrivez clé = valeur",
        "nl": 'er ontbreekt een "=" na een sleutel; schrijf sleutel = waarde',
        "de": "nach einem Schlüssel fehlt ein „=“; schreiben Sie Schlüssel = Wert",
    },
    "twice": {
        "fr": f"cette clé ou cette table figure déjà plus haut{NBSP}; n'en gardez qu'une",
        "nl": "deze sleutel of tabel staat al hoger; houd er maar één van over",
        "de": "dieser Schlüssel oder diese Tabelle steht schon weiter oben",
    },
    "date": {
        "fr": f"pas une date valable{NBSP}; écrivez-la 2026-11-03",
        "nl": "geen geldige datum; schrijf ze als 2026-11-03",
        "de": "kein gültiges Datum; schreiben Sie es als 2026-11-03",
    },
    "value": {
        "fr": f"cette valeur n'est pas comprise{NBSP}; écrivez le texte entre guillemets",
        "nl": "deze waarde wordt niet begrepen; schrijf tekst tussen aanhalingstekens",
        "de": "dieser Wert ist nicht verständlich; schreiben Sie Text in Anführungszeichen",
    },
    "table": {
        "fr": f"un nom de table n'est pas fermé{NBSP}; terminez-le par «{NBSP}]{NBSP}»",
        "nl": 'een tabelnaam is niet gesloten; sluit hem af met "]"',
        "de": "ein Tabellenname ist nicht geschlossen; schließen Sie ihn mit „]“",
    },
    "backslash": {
        "fr": f"une barre oblique inverse \\ dans un texte entre guillemets doubles{NBSP}; doublez-la",
        "nl": "een backslash \\ in tekst tussen dubbele aanhalingstekens; schrijf hem twee keer",
        "de": "ein Backslash \\ in einem Text zwischen doppelten Anführungszeichen",
    },
    "list": {
        "fr": "une liste ou une table de valeurs n'est pas fermée",
        "nl": "een lijst of tabel van waarden is niet gesloten",
        "de": "eine Liste oder Tabelle von Werten ist nicht geschlossen",
    },
    "after": {
        "fr": f"quelque chose suit la valeur sur cette ligne{NBSP}; écrivez une clé = valeur",
        "nl": "er volgt nog iets na de waarde op deze regel",
        "de": "nach dem Wert folgt noch etwas in dieser Zeile",
    },
}
# Malformed case files as people write them: (text added to a sample's case.toml,
# the added line the mistake is on (1 = the first added line), the kind of mistake).
MALFORMED = [
    pytest.param('[exhibits."schade.png"]\ncaption = "Photo du colis\n', 2, "quote", id="quote"),
    pytest.param("[exhibits.\"schade.png\"]\ncaption = 'l'été'\n", 2, "after", id="apostrophe"),
    pytest.param(
        '[exhibits."schade.png"]\ncaption = """Foto van\nhet pakket\n', 2, "quote", id="triple"
    ),
    pytest.param('[exhibits."schade.png"]\ncaption "Foto"\n', 2, "equals", id="equals"),
    pytest.param('[exhibits."schade.png"]\ncaption = "a"\ncaption = "b"\n', 3, "twice", id="twice"),
    pytest.param(
        '[exhibits."schade.png"]\n[exhibits."schade.png"]\n', 2, "twice", id="table-twice"
    ),
    pytest.param('[exhibits."schade.png"]\ndate = 2026-02-30\n', 2, "date", id="feb-30"),
    pytest.param('[exhibits."schade.png"]\ndate = 30/10/2026\n', 2, "date", id="slashes"),
    pytest.param('[exhibits."schade.png"]\ncaption = Schade\n', 2, "value", id="no-quotes"),
    pytest.param('[exhibits."schade.png"\ncaption = "x"\n', 1, "table", id="table"),
    pytest.param(
        '[exhibits."schade.png"]\ncaption = "C:\\Users\\jan\\schade.png"\n',
        2,
        "backslash",
        id="windows-path",
    ),
    pytest.param(
        '[exhibits."schade.png"]\nredact = [[10, 10, 50, 20]', 2, "list", id="list-at-end"
    ),
]


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
@pytest.mark.parametrize(("added", "line", "kind"), MALFORMED)
def test_toml_mistakes_are_explained_in_the_users_words(
    language: str, added: str, line: int, kind: str, tmp_path: Path
):
    """This test ensures that a malformed case.toml is explained with its line and what to do, in the user's language, without the parser's English."""
    folder = case_copy(tmp_path, "double-charge", "fr")
    Image.new("RGB", (64, 48), (200, 180, 160)).save(folder / "schade.png")
    path = folder / "case.toml"
    before = path.read_text("utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + added, "utf-8")
    result = run(["list", str(folder)], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 4, result.output
    (said,) = result.stderr.splitlines()
    place = PLACE[language].format(line=before.count("\n") + line)
    assert place in said
    assert MISTAKES[kind][language] in said
    for english in PARSER_WORDS:
        assert english not in said


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "added", "said"),
    [
        pytest.param(
            "fr",
            '[exhibits."schade.png"]\nocr = "oui"',
            f"ocr{NBSP}: 'oui' n'est ni true (vrai) ni false (faux)",
            id="ocr-text-fr",
        ),
        pytest.param(
            "nl",
            "[order]\nnumber = 4021234567",
            "order.number: 4021234567 is geen tekst; schrijf het tussen aanhalingstekens",
            id="number-not-text-nl",
        ),
        pytest.param(
            "de",
            'timezone = 1\n[exhibits."schade.png"]',
            "timezone: 1 ist kein Zeitzonenname",
            id="timezone-number-de",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_explained(
    language: str, added: str, said: str, tmp_path: Path
):
    """This test ensures that a known key given a value of the wrong type is refused in the user's language."""
    folder = tmp_path / "zaak"
    folder.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "notities.txt", folder / "notities.txt")
    Image.new("RGB", (64, 48), (200, 180, 160)).save(folder / "schade.png")
    (folder / "case.toml").write_text(added + "\n", "utf-8")
    result = run(["list", str(folder)], DOSSIER_LANGUAGE=language)
    assert result.exit_code == 4, result.output
    assert said in result.stderr
    for english in ("is not text", "is not true or false", "is not a time zone"):
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


# Why a file or link of the folder is left out, in each language (file: reason).
LEFT_OUT = {
    "fr": {
        "copie.pdf": f"copie.pdf{NBSP}: un PDF fait à partir de ce dossier par dossier build",
        "klacht.manifest.json": f"klacht.manifest.json{NBSP}: le manifeste d'un PDF fait",
        "buiten.jpg": f"buiten.jpg{NBSP}: un lien vers {{elsewhere}}, hors du dossier{NBSP}; "
        f"pas suivi{NBSP}: copiez le fichier lui-même dans le dossier",
        "weg.jpg": f"weg.jpg{NBSP}: un lien vers rien",
        "album": f"album{NBSP}: un lien vers un dossier{NBSP}; pas suivi",
    },
    "nl": {
        "copie.pdf": "copie.pdf: een dossier dat dossier build van deze map maakte",
        "klacht.manifest.json": "klacht.manifest.json: het manifest van een dossier",
        "buiten.jpg": "buiten.jpg: een koppeling naar {elsewhere}, buiten de map; niet gevolgd: "
        "kopieer het bestand zelf in de map",
        "weg.jpg": "weg.jpg: een koppeling naar niets",
        "album": "album: een koppeling naar een map; niet gevolgd",
    },
    "de": {
        "copie.pdf": "copie.pdf: ein Dossier, das dossier build aus diesem Ordner erstellt hat",
        "klacht.manifest.json": "klacht.manifest.json: das Manifest eines Dossiers",
        "buiten.jpg": "buiten.jpg: eine Verknüpfung zu {elsewhere}, außerhalb des Ordners; "
        "nicht verfolgt: kopieren Sie die Datei selbst",
        "weg.jpg": "weg.jpg: eine Verknüpfung ins Leere",
        "album": "album: eine Verknüpfung zu einem Ordner; nicht verfolgt",
    },
}
# The same reasons as the library words them (English): --json keeps them, a person does not read them.
LEFT_OUT_ENGLISH = (
    "a dossier made from this folder",
    "the manifest of a dossier",
    "outside the folder",
    "a link to nothing",
    "a link to a folder",
    "left out, each with the reason",
)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize("lang", ["fr_BE.UTF-8", "nl_BE.UTF-8", "de_BE.UTF-8"])
def test_files_left_out_are_explained_in_the_users_language(lang: str, tmp_path: Path):
    """This test ensures that list, build and an empty build say why each file or link is left out in the system's language, and --json keeps the English reason."""
    language = lang[:2]
    folder = tmp_path / "zaak"
    shutil.copytree(SAMPLES / "double-charge", folder)
    (folder / "case.toml").unlink()  # the language is the system's
    built = run(["build", str(folder), "-o", str(folder / "klacht.pdf")], LANG=lang)
    assert built.exit_code == 0, built.output
    (folder / "klacht.pdf").rename(folder / "copie.pdf")
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (folder / "fotos").mkdir()
    Image.new("RGB", (40, 30), "teal").save(elsewhere / "buiten.jpg")
    (folder / "buiten.jpg").symlink_to(elsewhere / "buiten.jpg")
    (folder / "weg.jpg").symlink_to(elsewhere / "verwijderd.jpg")
    (folder / "album").symlink_to(folder / "fotos")

    listed = run(["list", str(folder)], LANG=lang)
    assert listed.exit_code == 0, listed.output
    lines = listed.stderr.splitlines()
    for said in LEFT_OUT[language].values():
        said = said.format(elsewhere=elsewhere / "buiten.jpg")
        assert any(line.startswith(f"  {said}") for line in lines), (said, listed.stderr)
    for english in LEFT_OUT_ENGLISH:
        assert english not in listed.stderr

    rows = json.loads(run(["list", "--json", str(folder)], LANG=lang).stdout)
    reasons = {row["path"]: row["reason"] for row in rows if not row["included"]}
    assert reasons["weg.jpg"].startswith("a link to nothing (what it pointed to is gone")
    assert reasons["copie.pdf"].startswith("a dossier made from this folder by dossier build")

    # Nothing but links left out (a dossier is its folder's only while its files are
    # there): the error lists them, in the same words.
    for path in folder.iterdir():
        if path.is_file() and not path.is_symlink():
            path.unlink()
    empty = run(["build", str(folder), "-o", str(tmp_path / "leeg.pdf")], LANG=lang)
    assert empty.exit_code == 6, empty.output
    count = {"fr": "3 fichiers ou liens", "nl": "3 bestanden of koppelingen", "de": "3 Dateien"}
    assert count[language] in empty.stderr
    for name in ("buiten.jpg", "weg.jpg", "album"):
        assert LEFT_OUT[language][name].format(elsewhere=elsewhere / "buiten.jpg") in empty.stderr
    for english in LEFT_OUT_ENGLISH:
        assert english not in empty.stderr


def damaged_manifest(pdf: Path, change) -> None:
    """Rewrite the manifest embedded in ``pdf`` with ``change`` (bytes to bytes)."""
    writer = PdfWriter(clone_from=PdfReader(pdf))
    for attachment in writer.attachment_list:
        if attachment.name == "dossier.manifest.json":
            stream = attachment.pdf_object["/EF"]["/F"].get_object()
            stream.set_data(change(stream.get_data()))
    with pdf.open("wb") as handle:
        writer.write(handle)


# What verify says of a PDF it cannot check, per language.
UNREADABLE = {
    "json": {
        "fr": f"le manifeste n'est pas du JSON valable{NBSP}; le PDF a été modifié ou endommagé",
        "nl": "het manifest is geen geldige JSON; de PDF werd gewijzigd of beschadigd",
        "de": "das Manifest ist kein gültiges JSON; das PDF wurde geändert oder beschädigt",
    },
    "schema": {
        "fr": "la pièce jointe n'est pas un manifeste de dossier",
        "nl": "de bijlage is geen manifest van dossier",
        "de": "der Anhang ist kein Manifest von dossier",
    },
    "version": {
        "fr": "la version 99 du schéma du manifeste est inconnue de cette version de dossier",
        "nl": "versie 99 van het schema van het manifest is onbekend",
        "de": "die Version 99 des Manifest-Schemas kennt diese Version von dossier nicht",
    },
    "files": {
        "fr": "le manifeste n'a pas de liste de fichiers valable",
        "nl": "het manifest heeft geen geldige lijst van bestanden",
        "de": "das Manifest hat keine gültige Liste von Dateien",
    },
    "pdf": {
        "fr": f"PDF illisible{NBSP}; vérifiez que c'est bien le PDF du dossier",
        "nl": "geen leesbare pdf; controleer of het de pdf van het dossier is",
        "de": "kein lesbares PDF; prüfen Sie, ob es das PDF des Dossiers ist",
    },
}
DAMAGE = {
    "json": lambda data: data[: len(data) // 2],
    "schema": lambda data: data.replace(b'"dossier-manifest"', b'"other-manifest"'),
    "version": lambda data: data.replace(b'"schema_version": 1', b'"schema_version": 99'),
    "files": lambda data: data.replace(b'"files": [', b'"files": [1, '),
}
# What the parsers (json, pypdf) and verify say in English.
VERIFY_ENGLISH = (
    "Expecting",
    "Unterminated",
    "line 1 column",
    "PdfReadError",
    "PdfStreamError",
    "EOF marker",
    "Stream has ended",
    "is not valid JSON",
    "not a dossier manifest",
    "is not known",
    "no valid list",
    "not a readable PDF",
)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_verify_explains_an_unreadable_manifest_in_the_users_language(
    language: str, tmp_path: Path, corpus_dir: Path
):
    """This test ensures that verify says why a dossier cannot be checked in the user's language, without the parsers' English."""
    folder = case_copy(tmp_path, "double-charge", language)
    pdf = tmp_path / "dossier.pdf"
    built = run(["build", str(folder), "-o", str(pdf)])
    assert built.exit_code == 0, built.output
    original = pdf.read_bytes()
    for damage, change in DAMAGE.items():
        pdf.write_bytes(original)
        damaged_manifest(pdf, change)
        result = run(["verify", str(pdf), str(folder)], DOSSIER_LANGUAGE=language)
        assert result.exit_code == 9, (damage, result.output)
        assert UNREADABLE[damage][language] in result.stderr, damage
        for english in VERIFY_ENGLISH:
            assert english not in result.stderr, (damage, result.stderr)
    for broken in (
        "derived_truncated-50pct__sample-files__pdflatex-4-pages.pdf",
        "ocrmypdf__invalid.pdf",
    ):
        result = run(["verify", str(corpus_dir / "bad" / broken)], DOSSIER_LANGUAGE=language)
        assert result.exit_code == 9, result.output
        assert UNREADABLE["pdf"][language] in result.stderr or (
            "dossier.manifest.json" in result.stderr
        )
        for english in VERIFY_ENGLISH:
            assert english not in result.stderr, (broken, result.stderr)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr_BE.UTF-8", "Dossier 'notities.txt' est un fichier."),
        ("nl_BE.UTF-8", "'notities.txt' is een bestand."),
        ("de_BE.UTF-8", "Ordner 'notities.txt' ist eine Datei."),
    ],
)
def test_a_file_given_for_a_folder_is_named_in_the_users_language(
    lang: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that click's words for a file given where a folder is expected are all in the user's language."""
    shutil.copy(SAMPLES / "double-charge" / "notities.txt", tmp_path / "notities.txt")
    monkeypatch.chdir(tmp_path)
    result = run(["build", "notities.txt"], LANG=lang)
    assert result.exit_code == 2, result.output
    assert said in result.stderr
    assert "Directory" not in result.stderr and "is a file" not in result.stderr


# Corpus files whose reading warns: a damaged MIME structure, an attachment that
# cannot be shown, active content, fonts not embedded, an implausible camera
# date with a GPS position, and Pillow's own words about damaged EXIF data.
WARNING_FILES = (
    "emails/mail-parser__mail_malformed_2.eml",
    "emails/mikel-mail__attachment_pdf.eml",
    "pdfs/sample-files__GeoTopo-komprimiert.pdf",
    "pdfs/sample-files__libreoffice-form.pdf",
    "photos/pillow__exif_gps.jpg",
    "photos/pillow__hopper_bad_exif.jpg",
)
WARNINGS_SAID = {
    "fr": (
        "la structure MIME du message est endommagée",
        f"la pièce jointe «{NBSP}broken.pdf{NBSP}» n'est pas reproduite (fichier endommagé",
        f"contenu actif retiré{NBSP}: les pages sont montrées",
        "le PDF utilise une police qu'il ne contient pas (Ubuntu)",
        f"la date 2099-09-29 10:10 (DateTimeOriginal) n'est pas plausible{NBSP}; elle est ignorée",
        "le programme qui lit ce genre de fichier a signalé un dommage",
        "position (GPS) retirée de 1 image",
    ),
    "nl": (
        "de MIME-structuur van het bericht is beschadigd",
        "de bijlage ‘broken.pdf’ wordt niet getoond (beschadigd of onvolledig bestand",
        "actieve inhoud verwijderd: de pagina's worden getoond",
        "de pdf gebruikt een lettertype dat hij niet bevat (Ubuntu)",
        "de datum 2099-09-29 10:10 (DateTimeOriginal) is niet aannemelijk; genegeerd",
        "het programma dat dit soort bestand leest, meldde schade",
        "locatiegegevens (gps) verwijderd uit 1 afbeelding",
    ),
    "de": (
        "die MIME-Struktur der Nachricht ist beschädigt",
        "der Anhang „broken.pdf“ wird nicht gezeigt (beschädigte oder unvollständige Datei",
        "aktive Inhalte entfernt: die Seiten werden gezeigt",
        "das PDF verwendet eine Schrift, die es nicht enthält (Ubuntu)",
        "das Datum 2099-09-29 10:10 (DateTimeOriginal) ist nicht plausibel; ignoriert",
        "das Programm, das diese Art von Datei liest, hat einen Schaden gemeldet",
        "Standortdaten (GPS) aus 1 Bild entfernt",
    ),
}
# The same warnings as the readers and libraries word them.
WARNINGS_ENGLISH = (
    "not well-formed MIME",
    "Defect",
    "is not shown",
    "Stream has ended",
    "the PDF is damaged",
    "active content removed",
    "does not carry",
    "is not plausible",
    "Corrupt EXIF",
    "Expecting to read",
    "location data",
    "Date header",
    "(action)",
    "GoTo",
)


@pytest.mark.corpus
@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_readers_warnings_speak_the_users_language(
    language: str, corpus_dir: Path, tmp_path: Path
):
    """This test ensures that what the readers and their libraries warn about an exhibit is said in the user's language on list and build, the libraries' words only with -v."""
    folder = tmp_path / "corpus"
    for name in WARNING_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus_dir / name, folder / name)
    (folder / "case.toml").write_text(f'language = "{language}"\n', "utf-8")
    built = run(["build", str(folder), "-o", str(tmp_path / "dossier.pdf")])
    assert built.exit_code == 0, built.output
    listed = run(["list", str(folder)])
    assert listed.exit_code == 0, listed.output
    said = built.stdout + built.stderr
    for words in WARNINGS_SAID[language]:
        assert words in said, words
    for words in WARNINGS_SAID[language][:-1]:  # the GPS note is the build's
        assert words in listed.stdout, words
    for english in WARNINGS_ENGLISH:
        assert english not in said and english not in listed.stdout, english

    detailed = run(["list", "-v", str(folder)])
    assert "Corrupt EXIF data" in detailed.stdout
    # The pages say none of it in English either.
    pages = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "dossier.pdf").pages)
    for english in (*WARNINGS_ENGLISH, "Expecting", "Traceback"):
        assert english not in pages, english


# Commands a user gets wrong, each with what it says in fr, nl and de.
MISTAKES_SAID = {
    "output-folder": (
        5,
        {
            "fr": f"ailleurs{NBSP}: le dossier de sortie n'existe pas{NBSP}; créez-le",
            "nl": "ailleurs: de uitvoermap bestaat niet; maak ze of kies een andere met -o",
            "de": "ailleurs: der Ausgabeordner existiert nicht; legen Sie ihn an",
        },
    ),
    "output-is-input": (
        5,
        {
            "fr": f"est notities.txt, une pièce de ce dossier{NBSP}; écrire là la détruirait",
            "nl": "is notities.txt, een stuk van dit dossier; daar schrijven zou het vernietigen",
            "de": "ist notities.txt, eine Anlage dieses Dossiers; dorthin zu schreiben",
        },
    ),
    "init-no-folder": (
        2,
        {
            "fr": f"nergens{NBSP}: ce dossier n'existe pas{NBSP}; créez-le d'abord",
            "nl": "nergens: deze map bestaat niet; maak ze eerst, of geef een andere",
            "de": "nergens: diesen Ordner gibt es nicht; legen Sie ihn zuerst an",
        },
    ),
    "init-exists": (
        5,
        {
            "fr": f"case.toml{NBSP}: existe déjà{NBSP}; modifiez-le, ou relancez avec --force",
            "nl": "case.toml: bestaat al; bewerk het, of voer opnieuw uit met --force",
            "de": "case.toml: existiert schon; bearbeiten Sie sie, oder führen Sie",
        },
    ),
    "init-date": (
        4,
        {
            "fr": f"order.date{NBSP}: '31/02/2026' n'est pas une date",
            "nl": "order.date: '31/02/2026' is geen datum",
            "de": "order.date: '31/02/2026' ist kein Datum",
        },
    ),
    "init-advice": (
        0,
        {
            "fr": "la lettre demande d'abord la réparation ou le remplacement",
            "nl": "vraagt de brief eerst herstelling of vervanging",
            "de": "verlangt der Brief zuerst Reparatur oder Ersatz",
        },
    ),
    "preview-missing": (
        2,
        {
            "fr": f"weg.pdf{NBSP}: ce fichier n'existe pas{NBSP}; donnez le PDF du dossier",
            "nl": "weg.pdf: dit bestand bestaat niet; geef de pdf van het dossier",
            "de": "weg.pdf: diese Datei gibt es nicht; geben Sie das PDF des Dossiers",
        },
    ),
    "preview-not-pdf": (
        3,
        {
            "fr": f"notities.txt{NBSP}: n'est pas un PDF, ou est endommagé",
            "nl": "notities.txt: is geen pdf, of is beschadigd",
            "de": "notities.txt: ist kein PDF oder ist beschädigt",
        },
    ),
    "max-size-word": (
        2,
        {
            "fr": f"«{NBSP}10XB{NBSP}» n'est pas une taille{NBSP}; écrivez-la comme 10Mo",
            "nl": "'10XB' is geen grootte; schrijf ze als 10MB",
            "de": "'10XB' ist keine Größe; schreiben Sie sie als 10MB",
        },
    ),
    "max-size-over": (
        0,
        {
            "fr": f"dépasse la limite de 100 Ko même avec des images à 150 dpi{NBSP}; relancez",
            "nl": "is meer dan de limiet van 100 KB, zelfs met afbeeldingen op 150 dpi",
            "de": "liegt über der Grenze von 100 KB, selbst mit Bildern mit 150 dpi",
        },
    ),
}
# The same errors in English.
MISTAKES_ENGLISH = (
    "is not a size",
    "over the",
    "does not exist",
    "an input of this dossier",
    "no such folder",
    "already exists",
    "is not a date",
    "the letter first asks",
    "no such file",
    "is not a PDF",
)


def user_mistake(kind: str, folder: Path, tmp_path: Path) -> list[str]:
    """The arguments of a command that ``kind`` of mistake makes."""
    return {
        "output-folder": ["build", str(folder), "-o", str(tmp_path / "ailleurs" / "x.pdf")],
        "output-is-input": ["build", str(folder), "-o", str(folder / "notities.txt")],
        "init-no-folder": ["init", str(tmp_path / "nergens"), "--no-input"],
        "init-exists": ["init", str(folder), "--no-input"],
        "init-date": ["init", str(tmp_path / "leeg"), "--no-input", "--order-date", "31/02/2026"],
        "init-advice": ["init", str(tmp_path / "leeg"), "--no-input", "--problem", "damaged"],
        "preview-missing": ["preview", str(tmp_path / "weg.pdf")],
        "preview-not-pdf": ["preview", str(folder / "notities.txt")],
        "max-size-word": ["build", str(folder), "--max-size", "10XB"],
        "max-size-over": [
            "build",
            str(folder),
            "-o",
            str(tmp_path / "d.pdf"),
            "--max-size",
            "100KB",
        ],
    }[kind]


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
@pytest.mark.parametrize("kind", list(MISTAKES_SAID))
def test_a_users_mistake_is_explained_in_the_users_language(
    kind: str, language: str, tmp_path: Path
):
    """This test ensures that a wrong output place, init in a wrong folder or with a wrong date, and preview of a wrong file are explained in the user's language."""
    folder = case_copy(tmp_path, "double-charge", language)
    (tmp_path / "leeg").mkdir()
    code, said = MISTAKES_SAID[kind]
    result = run(user_mistake(kind, folder, tmp_path), DOSSIER_LANGUAGE=language)
    assert result.exit_code == code, result.output
    assert said[language] in result.output
    for english in MISTAKES_ENGLISH:
        assert english not in result.output


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("language", "failure", "said", "english"),
    [
        pytest.param(
            "fr",
            PermissionError(errno.EACCES, "Permission denied"),
            f"impossible d'écrire ici (autorisation refusée){NBSP}; choisissez un autre endroit",
            "Permission denied",
            id="permission-fr",
        ),
        pytest.param(
            "nl",
            OSError(errno.EROFS, "Read-only file system"),
            "kan hier niet schrijven (de schijf is alleen-lezen); kies een andere plaats met -o",
            "Read-only file system",
            id="read-only-nl",
        ),
        pytest.param(
            "de",
            OSError(errno.EIO, "Input/output error"),
            "hier kann nicht geschrieben werden (Systemfehler EIO)",
            "Input/output error",
            id="io-error-de",
        ),
    ],
)
def test_an_unwritable_output_is_explained_without_the_systems_english(
    language: str,
    failure: OSError,
    said: str,
    english: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """This test ensures that why the output cannot be written is said in the user's language, not in the system's English words."""
    folder = case_copy(tmp_path, "double-charge", language)

    def refuse(*args, **kwargs):
        raise failure

    monkeypatch.setattr("dossier.pdf.assemble.tempfile.mkstemp", refuse)
    result = run(["build", str(folder), "-o", str(tmp_path / "dossier.pdf")])
    assert result.exit_code == 5, result.output
    assert said in result.stderr
    assert english not in result.stderr


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "wrote", "said"),
    [
        ("fr_BE.UTF-8", "dossier.desktop écrit", "Aucun dossier Bureau n'a été trouvé"),
        ("nl_BE.UTF-8", "dossier.desktop geschreven", "Er werd geen bureaubladmap gevonden"),
        ("de_BE.UTF-8", "dossier.desktop geschrieben", "Es wurde kein Desktop-Ordner gefunden"),
    ],
)
def test_the_shortcut_says_what_it_wrote_in_the_users_language(
    lang: str, wrote: str, said: str, tmp_path: Path
):
    """This test ensures that dossier shortcut says where it put the icon, and that there is no desktop, in the system's language."""
    if sys.platform != "linux":
        pytest.skip("the Linux icon is written on Linux")
    home = tmp_path / "thuis"
    (home / ".config").mkdir(parents=True)
    environ = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    result = run(["shortcut"], LANG=lang, **environ)
    assert result.exit_code == 0, result.output
    assert wrote in result.stdout
    assert said in result.stdout
    for english in ("wrote ", "No desktop folder", "Double-click"):
        assert english not in result.stdout


class _NewerTomlError(tomllib.TOMLDecodeError):
    """A TOML error as newer Pythons raise it: msg, lineno and colno as attributes."""

    def __init__(self, said: str, text: str, line: int, column: int, shown: str) -> None:
        # Not TOMLDecodeError's own __init__, whose arguments differ between Pythons.
        ValueError.__init__(self, shown)
        self.msg, self.doc, self.lineno, self.colno = said, text, line, column


@pytest.mark.parametrize(
    "shown",
    [
        pytest.param(
            "Expected '=' after a key in a key/value pair (at line 2, column 9)", id="3.11"
        ),
        pytest.param("Expected '=' after a key in a key/value pair", id="attributes-only"),
    ],
)
def test_a_toml_error_is_read_from_its_attributes_or_its_text(shown: str):
    """This test ensures that the place and kind of a TOML mistake are found whether the parser gives them as attributes or only in its text."""
    from dossier.case.load import toml_error

    text = '[order]\ncaption "Le colis"\n'
    error = _NewerTomlError("Expected '=' after a key in a key/value pair", text, 2, 9, shown)
    said = toml_error("case.toml", error, text)
    assert said.in_language("de") == (
        "case.toml, Zeile 2, Spalte 9: nach einem Schlüssel fehlt ein „=“; schreiben Sie "
        'Schlüssel = Wert, zum Beispiel caption = "Foto des Pakets"'
    )
    assert "Expected" not in said


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("lang", "written", "size"),
    [
        ("fr_BE.UTF-8", "10 Mo", r"\d+ Ko"),
        ("nl_BE.UTF-8", "10 MB", r"\d+ KB"),
        ("de_BE.UTF-8", "10MB", r"\d+ KB"),
    ],
)
def test_sizes_are_written_and_read_as_the_users_language_does(
    lang: str, written: str, size: str, tmp_path: Path
):
    """This test ensures that --max-size takes "10 Mo" in French and the summary says Ko/Mo there."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "notities.txt", folder)
    result = run(
        ["build", str(folder), "-o", str(tmp_path / "d.pdf"), "--max-size", written], LANG=lang
    )
    assert result.exit_code == 0, result.output
    head = next(line for line in result.stdout.splitlines() if "d.pdf" in line)
    assert re.search(size, head), head
    refused = run(["build", str(folder), "--max-size", "dix"], LANG=lang)
    assert refused.exit_code == 2
    assert ("10Mo" if lang.startswith("fr") else "10MB") in refused.stderr
