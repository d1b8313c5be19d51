"""A picture's ICC colour profile goes with its pixels: colours print as the camera meant them."""

from __future__ import annotations

import functools
import io
import shutil
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from tests.conftest_images import CORPUS, build_folder, render_page

NAME = "IMG_20261030_101500.jpg"
RED = (220, 30, 30)


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB profile, made once: lcms writes the time of making into it."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@functools.cache
def swapped_profile() -> bytes:
    """The sRGB profile with red and blue primaries exchanged: applied, it shows red as blue."""
    data = bytearray(srgb_profile())
    (count,) = struct.unpack(">I", data[128:132])
    entries = {bytes(data[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    data[red + 4 : red + 12], data[blue + 4 : blue + 12] = (
        data[blue + 4 : blue + 12],
        data[red + 4 : red + 12],
    )
    return bytes(data)


def colour_spaces(pdf: Path) -> list[object]:
    """The /ColorSpace of every image XObject, in page order."""
    spaces = []
    for page in PdfReader(pdf).pages:
        for image in page.images:
            spaces.append(image.indirect_reference.get_object()["/ColorSpace"])
    return spaces


def profile_of(space: object) -> tuple[bytes, int]:
    """The profile data and /N of an [/ICCBased stream] colour space."""
    assert isinstance(space, ArrayObject) and space[0] == "/ICCBased", space
    stream = space[1].get_object()
    return stream.get_data(), int(stream["/N"])


def red_photo(folder: Path, name: str = NAME, mode: str = "RGB", **save: object) -> Path:
    folder.mkdir(exist_ok=True)
    colour = RED if mode == "RGB" else 120
    Image.new(mode, (300, 200), colour).save(folder / name, quality=95, **save)
    return folder / name


def centre_of_photo(pdf: Path) -> tuple[int, int, int]:
    page = render_page(pdf, 2)
    return page.getpixel((page.width // 2, page.height // 3))


def test_passthrough_photo_keeps_its_profile(tmp_path: Path) -> None:
    """This test ensures that the profile is stored beside the untouched JPEG data and applied."""
    profile = swapped_profile()
    red_photo(tmp_path / "case", icc_profile=profile)
    output = tmp_path / "dossier.pdf"
    build_folder(tmp_path / "case", output)
    [space] = colour_spaces(output)
    assert profile_of(space) == (profile, 3)
    assert b"ICC_PROFILE" not in output.read_bytes()  # not twice: not left in the JPEG
    red, green, blue = centre_of_photo(output)
    assert blue > 150 and red < 80, "the viewer did not apply the photo's profile"


def test_redacted_photo_keeps_its_profile(tmp_path: Path) -> None:
    """This test ensures that a re-encoded picture keeps the profile its pixel values are in."""
    red_photo(tmp_path / "case", icc_profile=swapped_profile())
    (tmp_path / "case" / "case.toml").write_text(
        f'[exhibits."{NAME}"]\nredact = [[0, 0, 50, 50]]\n', encoding="utf-8"
    )
    output = tmp_path / "dossier.pdf"
    build_folder(tmp_path / "case", output)
    [space] = colour_spaces(output)
    assert profile_of(space) == (swapped_profile(), 3)
    red, green, blue = centre_of_photo(output)
    assert blue > 150 and red < 80


def test_photos_with_one_profile_share_it(tmp_path: Path) -> None:
    """This test ensures that a hundred photos from one phone do not carry a hundred profiles."""
    for minute in range(3):
        red_photo(tmp_path / "case", f"IMG_20261030_10{minute}500.jpg", icc_profile=srgb_profile())
    output = tmp_path / "dossier.pdf"
    build_folder(tmp_path / "case", output)
    spaces = colour_spaces(output)
    assert len(spaces) == 3
    assert len({space[1].idnum for space in spaces}) == 1


@pytest.mark.parametrize(
    ("mode", "profile", "expected"),
    [
        pytest.param("RGB", b"not a profile" * 40, "/DeviceRGB", id="damaged"),
        pytest.param("L", srgb_profile(), "/DeviceGray", id="rgb-profile-on-grey"),
        pytest.param("CMYK", srgb_profile(), "/DeviceCMYK", id="rgb-profile-on-cmyk"),
    ],
)
def test_unusable_profile_is_left_out(tmp_path: Path, mode: str, profile: bytes, expected: str):
    """This test ensures that a damaged or mismatched profile never reaches the viewer."""
    red_photo(tmp_path / "case", mode=mode, icc_profile=profile)
    output = tmp_path / "dossier.pdf"
    build_folder(tmp_path / "case", output)
    assert colour_spaces(output) == [expected]


@pytest.mark.corpus
def test_real_photo_keeps_its_profile(tmp_path: Path) -> None:
    """This test ensures that a real photo's profile (Apple's Generic RGB) is carried over."""
    source = CORPUS / "photos" / "pillow__truncated_exif_dpi.jpg"
    with Image.open(source) as image:
        original = image.info["icc_profile"]
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    output = tmp_path / "dossier.pdf"
    build_folder(folder, output)
    [space] = colour_spaces(output)
    data, components = profile_of(space)
    assert (data, components) == (original, 3)
    assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data))).strip()
