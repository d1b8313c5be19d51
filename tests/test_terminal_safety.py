"""Nothing from the evidence reaches the terminal as a control sequence."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from dossier.cli import main, report
from dossier.printable import printable

# An ANSI colour, an OSC 8 hyperlink and window title, a bell, a CSI in its
# one-byte (C1) form, a newline that would fake a line, a bidi override.
HOSTILE = (
    "\x1b[31mred\x1b[0m\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\x\x9b2J\nFAKE\u202egpj"
)
# The same in a file name, which cannot hold a slash.
IN_NAME = HOSTILE.replace("/", "")
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def hostile_case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    Image.new("RGB", (40, 30), "gray").save(folder / f"photo {IN_NAME}.png")
    (folder / f"broken {IN_NAME}.jpg").write_bytes(b"\xff\xd8\xff junk")
    # The subject as an encoded word: decoded, it holds every control character.
    subject = base64.b64encode(f"Order {HOSTILE}".encode()).decode()
    (folder / "mail.eml").write_bytes(
        (
            "From: Shop <shop@example.org>\r\nTo: Alex Martin <alex@example.org>\r\n"
            f"Subject: =?utf-8?b?{subject}?=\r\nDate: Tue, 03 Nov 2026 10:00:00 +0100\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nYour order.\r\n"
        ).encode()
    )
    return folder


def assert_inert(*outputs: str) -> None:
    for character in RAW:
        assert not any(character in text for text in outputs), repr(character)
    assert any("\\x1b" in text for text in outputs)


def test_printable_escapes_controls_and_keeps_text():
    """This test ensures that controls become visible escapes and ordinary text is kept."""
    assert (
        printable("Facture n° 3 — 23,99\u00a0€ 👍\u200d") == "Facture n° 3 — 23,99\u00a0€ 👍\u200d"
    )
    assert printable("a\x1b[2Jb\nc\td\u202e") == "a\\x1b[2Jb\\x0ac\\x09d\\u202e"


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_list_prints_no_control_sequence(tmp_path, monkeypatch, terminal):
    """This test ensures that `dossier list` escapes names, subjects and reasons."""
    folder = hostile_case(tmp_path)
    monkeypatch.setattr(report, "is_terminal", lambda: terminal)
    result = CliRunner().invoke(main, ["list", str(folder), "--skip-unreadable"])
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout, result.stderr)
    # The fake line stays on its own exhibit's line.
    assert not any(line.startswith("FAKE") for line in result.output.splitlines())


def test_build_errors_and_summary_print_no_control_sequence(tmp_path):
    """This test ensures that error lines, warnings and the summary of a build are escaped."""
    folder = hostile_case(tmp_path)
    failed = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "d.pdf")])
    assert failed.exit_code == 3
    assert_inert(failed.stderr)
    built = CliRunner().invoke(
        main, ["build", str(folder), "-o", str(tmp_path / "d.pdf"), "--skip-unreadable", "-v"]
    )
    assert built.exit_code == 0, built.output
    assert_inert(built.stdout, built.stderr)
