"""Helpers for the picture tests: generated photos with metadata, builds, page rendering."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image

from dossier import BuildOptions, BuildResult, build

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
SERIAL = "SN-4815162342"
# What Pillow's exif_transpose does for each orientation, and its inverse.
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
INVERSE = {**TRANSPOSE, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmp:CreatorTool="SecretCam"/></rdf:RDF></x:xmpmeta>'
)


def camera_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    """EXIF as a phone writes it: date, camera, serial number, GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Fictive"
    exif[0x0110] = "Phone 12"
    exif[0x0112] = orientation
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2026:10:30 10:15:00"
    sub[0xA431] = SERIAL  # BodySerialNumber
    if gps:
        position = exif.get_ifd(0x8825)
        position[1] = "N"
        position[2] = (50.0, 50.0, 30.0)
        position[3] = "E"
        position[4] = (4.0, 21.0, 7.0)
    return exif


def with_segments(jpeg: bytes) -> bytes:
    """Add an XMP APP1 and an IPTC APP13 segment after the SOI marker."""
    xmp = b"http://ns.adobe.com/xap/1.0/\x00" + XMP
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x50\x00\x07Invent1"
    segments = b"".join(
        marker + (len(body) + 2).to_bytes(2, "big") + body
        for marker, body in ((b"\xff\xe1", xmp), (b"\xff\xed", iptc))
    )
    return jpeg[:2] + segments + jpeg[2:]


def save_jpeg(image: Image.Image, path: Path, exif: Image.Exif | None = None, **kw: Any) -> Path:
    """Write ``image`` as a JPEG with ``exif`` plus XMP and IPTC segments."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif or Image.Exif(), quality=92, **kw)
    path.write_bytes(with_segments(buffer.getvalue()))
    return path


def noise(width: int, height: int, seed: int = 1) -> Image.Image:
    """A picture that compresses badly, like a real photo."""
    return Image.frombytes("RGB", (width, height), _random_bytes(width * height * 3, seed))


def _random_bytes(count: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(count)


def build_folder(folder: Path, output: Path, **options: Any) -> BuildResult:
    """Build ``folder`` into ``output`` with a fixed "now"."""
    output.parent.mkdir(parents=True, exist_ok=True)
    return build(BuildOptions(folder=folder, output=output, now=NOW, **options))


def render_page(pdf: Path, page: int, dpi: int = 30) -> Image.Image:
    """Page ``page`` (1-based) as a reader's viewer shows it, through pdftoppm."""
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        check=True,
        capture_output=True,
    )
    return Image.open(io.BytesIO(result.stdout)).convert("RGB")
