"""The letter's signature is a picture inside the case folder, checked like any other."""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from dossier.cli import main
from tests.conftest_letters import email_only_case
from tests.conftest_samples import SAMPLES


def signature_case(tmp_path: Path, signature: str) -> Path:
    """The double-charge sample's email and case facts, with ``[letter] signature``."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "bestelbevestiging.eml", folder)
    text = (SAMPLES / "double-charge" / "case.toml").read_text(encoding="utf-8")
    text = email_only_case(text)
    assert 'place = "Gent"' in text
    text = text.replace('place = "Gent"', f"place = \"Gent\"\nsignature = '{signature}'")
    (folder / "case.toml").write_text(text, encoding="utf-8")
    return folder


def huge_png(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims ``width`` x ``height`` pixels, with next to no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("where", "message"),
    [
        pytest.param("../outside.png", "is outside the case folder", id="dot-dot"),
        pytest.param("ABSOLUTE", "is outside the case folder", id="absolute"),
        pytest.param("link.png", "is a link that leads out of the case folder", id="link-out"),
    ],
)
def test_signature_outside_the_folder_is_refused(tmp_path: Path, where: str, message: str):
    """This test ensures that a signature path never reaches out of the case folder."""
    outside = tmp_path / "outside.png"
    Image.new("RGB", (300, 100), "white").save(outside)
    name = str(outside) if where == "ABSOLUTE" else where
    folder = signature_case(tmp_path, name)
    if where == "link.png":
        (folder / "link.png").symlink_to(outside)
    output = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 4, result.output
    assert f"case.toml: letter.signature: {name!r} {message}" in result.stderr
    assert not output.exists()
    assert not output.with_name("out.manifest.json").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda p: p.write_text("not a picture", encoding="utf-8"),
            "is not a PNG or JPEG image",
            id="text",
        ),
        pytest.param(
            lambda p: huge_png(p, 30_000, 30_000), "is larger than 120 megapixels", id="900-mp"
        ),
        pytest.param(
            lambda p: Image.new("RGB", (30, 10)).save(p, "GIF"),
            "is a GIF image, not a PNG or JPEG",
            id="gif",
        ),
    ],
)
def test_signature_is_checked_like_a_picture(tmp_path: Path, make, message: str):
    """This test ensures that a signature that is no usable picture is a case-file error."""
    folder = signature_case(tmp_path, "sig.png")
    make(folder / "sig.png")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 4, result.output
    assert f"case.toml: letter.signature: 'sig.png' {message}" in result.stderr


def test_signature_inside_the_folder_is_recorded_relative(tmp_path: Path):
    """This test ensures that a signature in a subfolder is drawn and recorded by its relative path."""
    folder = signature_case(tmp_path, "private/sig.png")
    (folder / "private").mkdir()
    Image.new("RGB", (300, 100), "white").save(folder / "private" / "sig.png")
    output = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(output.with_name("out.manifest.json").read_text(encoding="utf-8"))
    assert manifest["case"]["signature"]["path"] == "private/sig.png"
