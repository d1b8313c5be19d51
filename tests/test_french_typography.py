"""French as the tool writes it: a no-break space before : ; ? ! and », after « and n°."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from dossier.layout.style import french_spacing, strings
from dossier.letters.letter import letter_words
from dossier.web.words import page_words

ROOT = Path(__file__).resolve().parent.parent
# A plain (breakable) space where French wants a no-break one; placeholders are code.
BREAKABLE = re.compile(r" [:;?!»]|« |\bn° ")


def keys(path: Path) -> list[str]:
    found: list[str] = []

    def walk(node: object, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}{key}.")
        elif isinstance(node, str):
            found.append(prefix[:-1])

    walk(tomllib.loads(path.read_text("utf-8")), "")
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Objet : Mise en demeure", "Objet\u00a0: Mise en demeure", id="colon"),
        pytest.param("Pourquoi ? Parce que !", "Pourquoi\u00a0? Parce que\u00a0!", id="marks"),
        pytest.param("dit « Rome I »", "dit «\u00a0Rome I\u00a0»", id="guillemets"),
        pytest.param("commande n° 402", "commande n°\u00a0402", id="numero"),
        pytest.param("à 10:15, https://example.be", "à 10:15, https://example.be", id="no-space"),
    ],
)
def test_french_spacing(text: str, expected: str):
    """This test ensures that only a space French puts there becomes a no-break one."""
    assert french_spacing(text) == expected


def test_the_pages_french_words_use_no_break_spaces():
    """This test ensures that every French label of the PDF pages, the order summary and the web page ties its punctuation."""
    words = strings("fr")
    for key in keys(ROOT / "layouts" / "strings" / "fr.toml"):
        if key == "exhibit_label":
            continue  # an exhibit's name, kept as written (a key in the manifest and on the page)
        text = re.sub(r"\{[^}]*\}", "x", words[key])
        assert not BREAKABLE.search(text), (key, text)
    summary = letter_words("fr")
    for key in keys(ROOT / "layouts" / "letters" / "fr" / "words.toml"):
        text = re.sub(r"\{[^}]*\}", "x", summary[key])
        assert not BREAKABLE.search(text), (key, text)
    page = page_words("fr")
    for key in keys(ROOT / "dossier" / "web" / "strings" / "fr.toml"):
        text = re.sub(r"\{[^}]*\}", "x", page(key))
        assert not BREAKABLE.search(text), (key, text)


def test_an_exhibits_name_stays_as_written():
    """This test ensures that "Pièce n° 3", which names an exhibit in the manifest, list --json and the page, keeps its plain space."""
    assert strings("fr").format("exhibit_label", number=3) == "Pièce n° 3"
