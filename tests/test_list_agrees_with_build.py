"""`dossier list` reads as deeply as the build: `list && build` never stops half way."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pillow_heif
import pytest
from click.testing import CliRunner
from PIL import Image

from dossier.cli import main

pillow_heif.register_heif_opener()


def _encoded(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 60).convert("RGB").save(buffer, kind)
    return buffer.getvalue()


DAMAGE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "heif-cut": ("photo.heic", lambda: (data := _encoded("HEIF"))[: len(data) * 2 // 3]),
    "heif-last-bytes": ("photo.heic", lambda: _encoded("HEIF")[:-40]),
    "png-no-end": ("shot.png", lambda: _encoded("PNG")[:-12]),
    "png-cut": ("shot.png", lambda: (data := _encoded("PNG"))[: len(data) // 2]),
    "jpeg-no-end": ("photo.jpg", lambda: _encoded("JPEG")[:-2]),
    "jpeg-cut": ("photo.jpg", lambda: (data := _encoded("JPEG"))[: len(data) // 2]),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_list_exits_as_the_build_does(tmp_path: Path, damage: str) -> None:
    """This test ensures that list and build give the same exit code on a damaged picture."""
    name, make = DAMAGE[damage]
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / name).write_bytes(make())
    Image.new("RGB", (40, 30), "green").save(folder / "fine.png")
    listed = CliRunner().invoke(main, ["list", str(folder)])
    built = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "d.pdf")])
    assert listed.exit_code in (0, 3), listed.output
    assert built.exit_code == listed.exit_code, (listed.output, built.output)


def test_one_build_names_every_damaged_file(tmp_path: Path) -> None:
    """This test ensures that one run lists every file that cannot be included."""
    folder = tmp_path / "case"
    folder.mkdir()
    heif = _encoded("HEIF")
    for name in ("a.heic", "b.heic", "c.heic"):
        (folder / name).write_bytes(heif[: len(heif) // 2])
    Image.new("RGB", (40, 30), "green").save(folder / "fine.png")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "d.pdf")])
    assert result.exit_code == 3
    assert "3 files cannot be included:" in result.stderr
    for name in ("a.heic", "b.heic", "c.heic"):
        assert f"  {name}: the image is truncated" in result.stderr


def test_one_build_names_every_file_that_fails_when_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that files failing only when drawn are all named in one run."""
    from dossier.pdf import compose

    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Note {name}.\n", encoding="utf-8")
    real = compose.render_text_body

    def failing(exhibit, *args, **kwargs):
        if exhibit.source.relpath in ("a.txt", "c.txt"):
            raise ValueError("a glyph the font cannot draw")
        return real(exhibit, *args, **kwargs)

    monkeypatch.setattr(compose, "render_text_body", failing)
    output = tmp_path / "d.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 3
    assert "2 files cannot be included:" in result.stderr
    assert "  a.txt: could not be laid out (a glyph the font cannot draw)" in result.stderr
    assert "  c.txt: could not be laid out (a glyph the font cannot draw)" in result.stderr
    assert not output.exists()
    skipped = CliRunner().invoke(
        main, ["build", str(folder), "-o", str(output), "--skip-unreadable"]
    )
    assert skipped.exit_code == 0, skipped.output
    assert "1 exhibit" in skipped.output
    assert "Not included (2)" in skipped.output
