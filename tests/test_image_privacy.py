"""No photo metadata in the PDF unless asked; redaction leaves nothing of the hidden pixels."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from dossier.cli import main
from dossier.errors import CaseFileError
from dossier.pdf.jpeg import join_ranges, scan_jpeg
from tests.conftest_images import (
    CORPUS,
    SERIAL,
    build_folder,
    camera_exif,
    noise,
    save_jpeg,
)

PRIVATE_MARKERS = (
    b"Exif\x00\x00",
    SERIAL.encode(),
    b"SecretCam",  # in the XMP packet
    b"Photoshop 3.0",  # IPTC
    b"http://ns.adobe.com/xap/1.0/",
)
NAME = "IMG_20261030_101500.jpg"


def embedded_images(pdf: Path) -> list[tuple[str, bytes, Image.Image]]:
    """(filter, raw stream data, decoded picture) of every image XObject in the PDF."""
    found = []
    for page in PdfReader(pdf).pages:
        for image in page.images:
            stream = image.indirect_reference.get_object()
            kind = str(stream.get("/Filter"))
            # JPEG data decoded by Pillow as a viewer would; pypdf's own
            # conversion guesses colours differently for JPEGs without JFIF.
            picture = Image.open(io.BytesIO(stream._data)) if kind == "/DCTDecode" else image.image
            found.append((kind, stream._data, picture))
    return found


@pytest.fixture
def photo_case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    save_jpeg(noise(320, 240), folder / NAME, camera_exif())
    return folder


def test_passthrough_strips_metadata_losslessly(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that a JPEG goes in bit for bit, minus its EXIF, XMP and IPTC."""
    output = tmp_path / "dossier.pdf"
    result = build_folder(photo_case, output)
    raw = output.read_bytes()
    for marker in PRIVATE_MARKERS:
        assert marker not in raw, marker
    original = (photo_case / NAME).read_bytes()
    [(kind, data, picture)] = embedded_images(output)
    assert kind == "/DCTDecode"
    assert data == join_ranges(original, scan_jpeg(original))
    with Image.open(photo_case / NAME) as source:
        assert picture.convert("RGB").tobytes() == source.convert("RGB").tobytes()
    assert any("location data (GPS) removed from 1 picture" in note for note in result.notes)
    # The camera was read before the metadata was left out: index and stamp name it.
    reader = PdfReader(output)
    for page in reader.pages[:2]:
        assert "(Fictive Phone 12)" in " ".join(page.extract_text().split())


def test_keep_metadata_keeps_it(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that --keep-metadata embeds the original file as it is."""
    output = tmp_path / "dossier.pdf"
    result = build_folder(photo_case, output, keep_metadata=True)
    raw = output.read_bytes()
    assert (photo_case / NAME).read_bytes() in raw
    assert any("--keep-metadata" in note for note in result.notes)


def test_reencoded_pictures_carry_no_metadata(tmp_path: Path) -> None:
    """This test ensures that a WebP and a PNG with EXIF are written without it."""
    folder = tmp_path / "case"
    folder.mkdir()
    noise(200, 150).save(folder / "photo.webp", exif=camera_exif())
    noise(200, 150).save(folder / "Screenshot_20261030-101500.png", exif=camera_exif())
    output = tmp_path / "dossier.pdf"
    build_folder(folder, output)
    raw = output.read_bytes()
    for marker in PRIVATE_MARKERS[:2]:
        assert marker not in raw, marker
    filters = sorted(kind for kind, _, _ in embedded_images(output))
    assert filters == ["/DCTDecode", "/FlateDecode"]


@pytest.mark.corpus
def test_corpus_photos_leave_no_metadata(tmp_path: Path) -> None:
    """This test ensures that real phone photos (GPS, maker notes, XMP) lose their metadata."""
    output = tmp_path / "dossier.pdf"
    result = build_folder(CORPUS / "photos", output, skip_unreadable=True)
    raw = output.read_bytes()
    assert b"Exif\x00\x00" not in raw
    assert b"<x:xmpmeta" not in raw
    for photo in sorted((CORPUS / "photos").glob("*.jpg")):
        data = photo.read_bytes()
        start = data.find(b"Exif\x00\x00")
        if start > 0:
            # A piece of the middle of the EXIF block (maker notes, GPS, serial).
            middle = start + (int.from_bytes(data[start - 2 : start], "big") // 2)
            assert data[middle : middle + 24] not in raw, photo.name
    assert any("location data (GPS) removed" in note for note in result.notes)


def test_redaction_is_burned_in(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that redacted pixels are uniform black and the original is gone."""
    (photo_case / "case.toml").write_text(
        f'[exhibits."{NAME}"]\nredact = [[37, 21, 100, 50], ["50%", "50%", "25%", "25%"]]\n'
    )
    output = tmp_path / "dossier.pdf"
    build_folder(photo_case, output)
    raw = output.read_bytes()
    original = (photo_case / NAME).read_bytes()
    scan = join_ranges(original, scan_jpeg(original))
    # Any run of the original's coded picture would mean it went in untouched.
    for start in range(len(scan) // 4, len(scan) - 64, len(scan) // 8):
        assert scan[start : start + 64] not in raw
    images = embedded_images(output)
    assert len(images) == 1
    picture = images[0][2].convert("RGB")
    assert picture.size == (320, 240)
    for left, top, width, height in ((37, 21, 100, 50), (160, 120, 80, 60)):
        box = picture.crop((left, top, left + width, top + height))
        extrema = box.getextrema()
        assert all(high <= 6 for _, high in extrema), extrema
    # Outside the boxes the picture is still there.
    assert picture.crop((250, 10, 300, 40)).getextrema()[0][1] > 100


def test_highlight_keeps_the_picture_untouched(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that highlights are vector shapes over an unchanged JPEG."""
    (photo_case / "case.toml").write_text(
        f'[exhibits."{NAME}"]\n'
        'highlight = [{ box = [10, 10, 50, 40], shape = "ellipse", label = "dent" }]\n'
        "crop = [0, 0, 200, 150]\n"
    )
    output = tmp_path / "dossier.pdf"
    build_folder(photo_case, output)
    original = (photo_case / NAME).read_bytes()
    [(_, data, _)] = embedded_images(output)
    assert data == join_ranges(original, scan_jpeg(original))
    reader = PdfReader(output)
    assert "dent" in reader.pages[1].extract_text()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param(
            "redact = [[300, 200, 50, 50]]",
            f'exhibits."{NAME}".redact[0]: the box [300, 200, 50, 50] goes outside the picture '
            "(320 x 240 pixels, upright)",
            id="outside",
        ),
        pytest.param(
            'crop = ["10%", "10%", "95%", "10%"]',
            f'exhibits."{NAME}".crop: the box',
            id="percent-outside",
        ),
        pytest.param(
            "redact = [[1, 2, 3]]",
            f'exhibits."{NAME}".redact[0]: [1, 2, 3] is not a box [x, y, width, height]',
            id="three-numbers",
        ),
        pytest.param(
            'highlight = [{ box = [1, 2, 3, 4], shape = "star" }]',
            f"exhibits.\"{NAME}\".highlight[0].shape: 'star' is not one of rectangle, ellipse",
            id="shape",
        ),
        pytest.param(
            'redact = [["10", 0, 5, 5]]',
            "write pixels as numbers and percentages as",
            id="percent-sign",
        ),
    ],
)
def test_bad_boxes_name_the_exhibit(photo_case: Path, tmp_path: Path, toml: str, message: str):
    """This test ensures that a wrong box is an error naming the exhibit and the key."""
    (photo_case / "case.toml").write_text(f'[exhibits."{NAME}"]\n{toml}\n')
    with pytest.raises(CaseFileError) as caught:
        build_folder(photo_case, tmp_path / "dossier.pdf")
    assert message in str(caught.value)
    result = CliRunner().invoke(main, ["build", str(photo_case), "-o", str(tmp_path / "d.pdf")])
    assert result.exit_code == 4
    assert message in result.stderr


def test_boxes_only_on_pictures(tmp_path: Path) -> None:
    """This test ensures that a redaction on a note is refused."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "note.txt").write_text("Appel au service client.\n")
    (folder / "case.toml").write_text('[exhibits."note.txt"]\nredact = [[0, 0, 1, 1]]\n')
    with pytest.raises(CaseFileError, match=r'exhibits."note.txt".redact: .* not a photo'):
        build_folder(folder, tmp_path / "dossier.pdf")


def test_pdf_thumbnails_absent(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that no page carries a /Thumb image of the original."""
    output = tmp_path / "dossier.pdf"
    build_folder(photo_case, output)
    assert all("/Thumb" not in page for page in PdfReader(output).pages)
    assert io.BytesIO(output.read_bytes()).getvalue().count(b"/Subtype /Image") == 1


def test_attach_originals_refuses_a_redacted_picture(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that --attach-originals never embeds a redacted original unasked."""
    (photo_case / "case.toml").write_text(
        f'[exhibits."{NAME}"]\nredact = [[10, 10, 50, 50]]\n', encoding="utf-8"
    )
    output = tmp_path / "out" / "dossier.pdf"
    output.parent.mkdir()
    result = CliRunner().invoke(
        main, ["build", str(photo_case), "-o", str(output), "--attach-originals"]
    )
    assert result.exit_code == 4, result.output
    assert (
        f'case.toml: exhibits."{NAME}".redact: --attach-originals would embed the original '
        "with the redacted part visible" in result.output
    )
    assert "attach_original = true" in result.output
    assert not output.exists()


def test_attach_original_opt_in_is_reported(photo_case: Path, tmp_path: Path) -> None:
    """This test ensures that a redacted original is embedded only when its table says so."""
    (photo_case / "case.toml").write_text(
        f'[exhibits."{NAME}"]\nredact = [[10, 10, 50, 50]]\nattach_original = true\n',
        encoding="utf-8",
    )
    output = tmp_path / "out" / "dossier.pdf"
    output.parent.mkdir()
    result = CliRunner().invoke(
        main, ["build", str(photo_case), "-o", str(output), "--attach-originals"]
    )
    assert result.exit_code == 0, result.output
    assert f"the unredacted original of {NAME} is attached" in result.output
    attachments = PdfReader(output).attachments
    assert attachments[NAME] == [(photo_case / NAME).read_bytes()]
