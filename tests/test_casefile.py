"""The case file: what it accepts, and the messages for what it refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dossier import BuildOptions, plan
from dossier.case.load import load_case_file
from dossier.errors import CaseFileError

GOOD = """
language = "nl"
timezone = "Europe/Brussels"

[order]
number = "402-1234567-1234567"

[claimant]
name = "Sofie Van den Broeck"

[exhibits."a.txt"]
caption = "Eigen notitie"
date = 2026-11-03T15:30:00
order = 2

[exhibits."b.pdf"]
date = "2026-11-04"
password = "geheim"
"""


def test_valid_case_file(tmp_path: Path) -> None:
    """This test ensures that a valid case file is read with every per-exhibit setting."""
    path = tmp_path / "case.toml"
    path.write_text(GOOD, encoding="utf-8")
    case = load_case_file(path)
    assert case.language == "nl"
    assert case.reference == "402-1234567-1234567"
    assert case.claimant_name == "Sofie Van den Broeck"
    assert case.exhibits["a.txt"].caption == "Eigen notitie"
    assert case.exhibits["a.txt"].date == dt.datetime(2026, 11, 3, 15, 30)
    assert case.exhibits["a.txt"].order == 2
    assert case.exhibits["b.pdf"].date == dt.datetime(2026, 11, 4)
    assert case.exhibits["b.pdf"].date_only
    assert case.exhibits["b.pdf"].password == "geheim"


def test_missing_case_file_gives_defaults(tmp_path: Path) -> None:
    """This test ensures that a folder without case.toml builds with French defaults."""
    case = load_case_file(tmp_path / "case.toml")
    assert case.path is None
    assert case.language == "fr"
    assert case.timezone == "Europe/Brussels"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            'language = "es"',
            "case.toml: language: 'es' is not one of fr, nl, de, en",
            id="language",
        ),
        pytest.param(
            'timezone = "Mars/Olympus"',
            "case.toml: timezone: 'Mars/Olympus' is not a known",
            id="zone",
        ),
        pytest.param(
            '[exhibits."a.txt"]\ndate = "31/02/2025"',
            "case.toml: exhibits.\"a.txt\".date: '31/02/2025' is not a date",
            id="date",
        ),
        pytest.param(
            '[exhibits."a.txt"]\norder = 0',
            'case.toml: exhibits."a.txt".order: 0 is not a whole number',
            id="order",
        ),
        pytest.param(
            '[exhibits."a.txt"]\ncaptoin = "x"',
            'case.toml: exhibits."a.txt".captoin: unknown key',
            id="typo",
        ),
        pytest.param(
            '[exhibits."a.txt"]\ncaption = 3',
            'exhibits."a.txt".caption: 3 is not text',
            id="caption",
        ),
        pytest.param(
            "[order]\nnumber = 402", "case.toml: order.number: 402 is not text", id="number"
        ),
        pytest.param("language = ", "case.toml, line 1: this value is not understood", id="syntax"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, text: str, message: str) -> None:
    """This test ensures that each kind of bad value is refused with a message naming the key."""
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError) as caught:
        load_case_file(path)
    assert message in str(caught.value)


def test_section_for_a_missing_file_is_an_error(tmp_path: Path) -> None:
    """This test ensures that a per-exhibit section naming an absent file is reported by name."""
    (tmp_path / "a.txt").write_text("note", encoding="utf-8")
    (tmp_path / "case.toml").write_text('[exhibits."IMG_20261030_101500.jpg"]\ncaption = "x"\n')
    with pytest.raises(CaseFileError) as caught:
        plan(BuildOptions(folder=tmp_path))
    assert 'exhibits."IMG_20261030_101500.jpg": no such file in the folder' in str(caught.value)
