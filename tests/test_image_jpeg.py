"""Lossless JPEG segment surgery, and the picture options on the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from dossier.cli import main
from dossier.pdf.jpeg import JpegError, join_ranges, scan_jpeg, scan_jpeg_file
from tests.conftest_images import camera_exif, noise, with_segments


def jpeg_bytes(**options: object) -> bytes:
    buffer = io.BytesIO()
    noise(64, 48).save(buffer, "JPEG", exif=camera_exif(), **options)
    return with_segments(buffer.getvalue())


def pixels(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).convert("RGB").tobytes()


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="baseline"),
        pytest.param({"progressive": True}, id="progressive"),
        pytest.param({"restart_marker_blocks": 1}, id="restart-markers"),
    ],
)
def test_stripping_keeps_every_pixel(options: dict[str, object]) -> None:
    """This test ensures that the stripped JPEG decodes to exactly the same pixels."""
    data = jpeg_bytes(**options)
    stripped = join_ranges(data, scan_jpeg(data))
    assert pixels(stripped) == pixels(data)
    for marker in (b"Exif\x00\x00", b"Photoshop 3.0", b"ns.adobe.com/xap"):
        assert marker not in stripped


def test_trailing_pictures_and_comments_are_dropped() -> None:
    """This test ensures that a comment and data after the end marker are left out."""
    data = jpeg_bytes()
    comment = b"\xff\xfe" + (2 + 13).to_bytes(2, "big") + b"owner: Jan P."
    appended = b"\xff\xd8\xff\xe2 extra picture after EOI"
    data = data[:2] + comment + data[2:] + appended
    layout = scan_jpeg(data)
    stripped = join_ranges(data, layout)
    assert b"owner" not in stripped and b"extra picture" not in stripped
    assert stripped.endswith(b"\xff\xd9")
    assert (layout.width, layout.height, layout.components) == (64, 48, 3)


def test_keep_metadata_keeps_the_file() -> None:
    """This test ensures that with keep_metadata the whole file is kept."""
    data = jpeg_bytes()
    assert join_ranges(data, scan_jpeg(data, keep_metadata=True)) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n", "no JPEG start-of-image marker", id="not-jpeg"),
        pytest.param(jpeg_bytes()[:-200], "truncated", id="truncated"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "past the end", id="cut-segment"),
    ],
)
def test_damaged_jpegs_are_refused(data: bytes, message: str) -> None:
    """This test ensures that an incomplete JPEG is never passed through."""
    with pytest.raises(JpegError, match=message):
        scan_jpeg(data)


def test_scanning_a_file_finds_what_scanning_its_bytes_finds(tmp_path: Path) -> None:
    """This test ensures that the mapped file scan agrees with the in-memory one."""
    data = jpeg_bytes(progressive=True)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    assert scan_jpeg_file(path) == scan_jpeg(data)
    assert scan_jpeg_file(path, keep_metadata=True) == scan_jpeg(data, keep_metadata=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(jpeg_bytes()[:-200], "truncated", id="truncated"),
    ],
)
def test_damaged_jpeg_files_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    """This test ensures that an empty or cut JPEG file is refused, not mapped and passed through."""
    path = tmp_path / f"{len(data)}.jpg"
    path.write_bytes(data)
    with pytest.raises(JpegError, match=message):
        scan_jpeg_file(path)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["--split"], "--split: needs --max-size", id="split-alone"),
        pytest.param(["--max-size", "ten"], "'ten' is not a size", id="bad-size"),
        pytest.param(["--photos-per-page", "3"], "'3' is not one of", id="three"),
    ],
)
def test_option_errors(tmp_path: Path, arguments: list[str], message: str) -> None:
    """This test ensures that wrong picture options are usage errors (exit code 2)."""
    result = CliRunner().invoke(main, ["build", str(tmp_path), *arguments])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
