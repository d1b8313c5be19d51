"""The page shows what is wrong in the case file in its own language, with the command line's words."""

from __future__ import annotations

import html as markup
from pathlib import Path

import pytest
import tomlkit
from click.testing import CliRunner

from dossier.cli import commands as cli
from dossier.web.security import csrf_token
from tests.conftest_web import ORIGIN, SECRET, copy_sample, make_client

PHOTO = "IMG_20261030_101500.jpg"
# What each language says of "31/02/2026", and words of the other languages that must not appear.
NOT_A_DATE = {
    "fr": "'31/02/2026' n'est pas une date\u00a0; écrivez-la comme 2026-11-03",
    "nl": "'31/02/2026' is geen datum; schrijf ze als 2026-11-03",
    "de": "'31/02/2026' ist kein Datum; schreiben Sie es als 2026-11-03",
    "en": "'31/02/2026' is not a date; write it as 2026-11-03",
}


def change_headers() -> dict[str, str]:
    return {"x-csrf-token": csrf_token(SECRET), "origin": ORIGIN}


def command_line_error(folder: Path, language: str) -> str:
    """The first line the command line prints about the case file, in ``language``."""
    result = CliRunner().invoke(
        cli.main, ["list", str(folder)], env={"DOSSIER_LANGUAGE": language}, prog_name="dossier"
    )
    assert result.exit_code == 4, result.output
    return result.stderr.splitlines()[0]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_wrong_date_is_refused_in_the_pages_language(language: str, tmp_path: Path):
    """This test ensures that a refused value is explained beside its field in the page's language, in the command line's words for that language."""
    folder = copy_sample("damaged-parcel", tmp_path)
    client = make_client(folder, tmp_path / "cache")
    client.get(f"/?language={language}")
    response = client.post(
        "/exhibit", json={"path": PHOTO, "date": "31/02/2026"}, headers=change_headers()
    )
    assert response.status_code == 422
    field = f'exhibits."{PHOTO}".date'
    assert response.json()["field"] == field
    said = response.json()["error"]
    colon = "\u00a0:" if language == "fr" else ":"
    assert said.startswith(f"{field}{colon} {NOT_A_DATE[language]}")
    for other, words in NOT_A_DATE.items():
        if other != language:
            assert words not in said

    # The same value written by hand: the command line says the same words.
    path = folder / "case.toml"
    document = tomlkit.parse(path.read_text("utf-8"))
    exhibits = document.setdefault("exhibits", tomlkit.table(is_super_table=True))
    exhibits.setdefault(PHOTO, tomlkit.table())["date"] = "31/02/2026"
    path.write_text(tomlkit.dumps(document), "utf-8")
    line = command_line_error(folder, language)
    assert line.endswith(f"case.toml{colon} {said}")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "demand.remedy: &#39;money&#39; is niet een van: refund"),
        ("de", "demand.remedy: &#39;money&#39; ist keines von: refund"),
        (
            "fr",
            "demand.remedy\u00a0: &#39;money&#39; n&#39;est pas l&#39;un de ces choix\u00a0: refund",
        ),
    ],
)
def test_a_broken_case_file_is_explained_in_the_pages_language(
    language: str, words: str, tmp_path: Path
):
    """This test ensures that the banner of a wrong case file speaks the page's language on both pages."""
    folder = copy_sample("damaged-parcel", tmp_path)
    path = folder / "case.toml"
    path.write_text(path.read_text("utf-8").replace('remedy = "refund"', 'remedy = "money"'))
    client = make_client(folder, tmp_path / "cache")
    client.get(f"/?language={language}")
    for url in ("/", "/case"):
        html = client.get(url).text
        assert words in html, (url, markup.unescape(html)[:2000])
        assert "is not one of" not in html


@pytest.mark.parametrize(
    ("language", "words", "english"),
    [
        ("de", "dieselbe Datei wie Anlage 4", "the same file as"),
        ("nl", "hetzelfde bestand als stuk 4", "the same file as"),
        ("en", "the same file as exhibit 4", "dieselbe Datei"),
    ],
)
def test_the_timelines_warnings_speak_the_pages_language(
    language: str, words: str, english: str, tmp_path: Path
):
    """This test ensures that an exhibit's warning on the evidence page is in the page's language."""
    folder = copy_sample("damaged-parcel", tmp_path)
    (folder / "zz-copy.jpg").write_bytes((folder / "IMG_20261030_101622.jpg").read_bytes())
    client = make_client(folder, tmp_path / "cache")
    client.get(f"/?language={language}")
    html = markup.unescape(client.get("/").text)
    assert words in html
    assert english not in html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fr",
            "case.toml, ligne {line}, colonne 9\u00a0: il manque un «\u00a0=\u00a0» après une clé",
        ),
        ("nl", 'case.toml, regel {line}, kolom 9: er ontbreekt een "=" na een sleutel'),
        ("de", "case.toml, Zeile {line}, Spalte 9: nach einem Schlüssel fehlt ein „=“"),
    ],
)
def test_a_toml_mistake_is_explained_in_the_pages_language(
    language: str, words: str, tmp_path: Path
):
    """This test ensures that a case file that is not valid TOML is explained with its line in the page's language, on the pages and when a change is refused."""
    folder = copy_sample("damaged-parcel", tmp_path)
    path = folder / "case.toml"
    text = path.read_text("utf-8").rstrip("\n") + '\n[exhibits."boite.jpg"]\ncaption "Le colis"\n'
    path.write_text(text, "utf-8")
    said = words.format(line=text.count("\n"))
    client = make_client(folder, tmp_path / "cache")
    client.get(f"/?language={language}")
    for url in ("/", "/case"):
        html = markup.unescape(client.get(url).text)
        assert said in html, url
        assert "Expected '='" not in html and "not valid TOML" not in html
    refused = client.post("/leave-out", json={"path": PHOTO}, headers=change_headers())
    assert refused.status_code == 422
    assert refused.json()["error"].startswith(said)
    assert "Invalid key" not in refused.json()["error"]
