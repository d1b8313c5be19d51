"""Every EXIF orientation prints upright, whether the JPEG is passed through or re-encoded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageOps

from tests.conftest_images import INVERSE, build_folder, camera_exif, render_page, save_jpeg

RED, BLUE, GREEN = (230, 20, 20), (20, 20, 230), (20, 200, 20)


def upright_marker_picture() -> Image.Image:
    """A landscape picture: red block top-left, blue block top-right, green elsewhere."""
    image = Image.new("RGB", (240, 160), GREEN)
    image.paste(RED, (0, 0, 70, 50))
    image.paste(BLUE, (170, 0, 240, 50))
    return image


def analyse(page: Image.Image) -> dict[str, tuple[float, ...]]:
    """Centres of the red and blue markers, and the box of the coloured picture."""
    width = page.width
    found: dict[str, list[tuple[int, int]]] = {"red": [], "blue": [], "picture": []}
    for index, (r, g, b) in enumerate(getattr(page, "get_flattened_data", page.getdata)()):
        if max(r, g, b) - min(r, g, b) <= 80:
            continue  # white paper, grey text, the pale stamp band
        point = (index % width, index // width)
        found["picture"].append(point)
        # Relative to the other channels: CMYK pictures print less saturated.
        if r > g + 100 and r > b + 100:
            found["red"].append(point)
        elif b > r + 60 and b > g + 60:
            found["blue"].append(point)
    assert found["red"] and found["blue"], "a marker is missing from the page"
    result: dict[str, tuple[float, ...]] = {}
    for name in ("red", "blue"):
        points = found[name]
        result[name] = (
            sum(x for x, _ in points) / len(points),
            sum(y for _, y in points) / len(points),
        )
    xs = [x for x, _ in found["picture"]]
    ys = [y for _, y in found["picture"]]
    result["box"] = (min(xs), min(ys), max(xs), max(ys))
    return result


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("redacted", [False, True], ids=["passthrough", "re-encoded"])
def test_orientation_upright(tmp_path: Path, orientation: int, redacted: bool) -> None:
    """This test ensures that a photo with EXIF orientation N is printed upright."""
    upright = upright_marker_picture()
    stored = upright.transpose(INVERSE[orientation]) if orientation > 1 else upright
    folder = tmp_path / "case"
    folder.mkdir()
    photo = save_jpeg(stored, folder / "IMG_20261030_101500.jpg", camera_exif(orientation))
    # The test picture itself must be right: Pillow turns it back upright.
    with Image.open(photo) as check:
        assert ImageOps.exif_transpose(check).size == upright.size
    if redacted:
        # A small box in the green bottom-middle forces decoding and re-encoding.
        (folder / "case.toml").write_text(
            '[exhibits."IMG_20261030_101500.jpg"]\nredact = [[110, 130, 20, 20]]\n'
        )
    output = tmp_path / "out" / "dossier.pdf"
    build_folder(folder, output)

    found = analyse(render_page(output, 2, dpi=30))
    left, top, right, bottom = found["box"]
    assert right - left > (bottom - top) * 1.3, "the picture is not landscape"
    red, blue = found["red"], found["blue"]
    middle_y = (top + bottom) / 2
    assert red[0] < blue[0], "red must be left of blue (mirrored?)"
    assert red[1] < middle_y and blue[1] < middle_y, "the markers must be at the top"
    assert red[0] < (left + right) / 2 < blue[0]


def _save(image: Image.Image, path: Path, fmt: str, **options: object) -> None:
    image.save(path, fmt, **options)


FORMATS = {
    "jpeg-cmyk": lambda im, p: _save(im.convert("CMYK"), p.with_suffix(".jpg"), "JPEG"),
    "jpeg-progressive": lambda im, p: _save(im, p.with_suffix(".jpg"), "JPEG", progressive=True),
    "png-alpha": lambda im, p: _save(im.convert("RGBA"), p.with_suffix(".png"), "PNG"),
    "png-palette": lambda im, p: _save(im.convert("P"), p.with_suffix(".png"), "PNG"),
    "webp": lambda im, p: _save(im, p.with_suffix(".webp"), "WEBP", quality=95),
    "heic": lambda im, p: _save(im, p.with_suffix(".heic"), "HEIF", quality=95),
    "gif": lambda im, p: _save(im, p.with_suffix(".gif"), "GIF"),
    "bmp": lambda im, p: _save(im, p.with_suffix(".bmp"), "BMP"),
    "tiff-two-pages": lambda im, p: _save(
        im, p.with_suffix(".tif"), "TIFF", save_all=True, append_images=[im]
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_upright(tmp_path: Path, fmt: str) -> None:
    """This test ensures that each picture format is printed upright, in its colours."""
    folder = tmp_path / "case"
    folder.mkdir()
    # A camera name: pictures that are not photos may be turned to read along the page.
    FORMATS[fmt](upright_marker_picture(), folder / "IMG_20261030_101500")
    output = tmp_path / "out" / "dossier.pdf"
    result = build_folder(folder, output)
    pages = 2 if fmt == "tiff-two-pages" else 1
    assert result.page_count == 1 + pages + 1  # index, pages, integrity appendix
    for page in range(2, 2 + pages):
        found = analyse(render_page(output, page, dpi=30))
        red, blue = found["red"], found["blue"]
        assert red[0] < blue[0] and abs(red[1] - blue[1]) < 3


def test_sixteen_bit_png(tmp_path: Path) -> None:
    """This test ensures that a 16-bit greyscale PNG is scaled to 8 bits, not clipped white."""
    folder = tmp_path / "case"
    folder.mkdir()
    ramp = Image.linear_gradient("L").resize((256, 128)).point(lambda v: v * 256, "I")
    ramp.convert("I;16").save(folder / "scan.png")
    output = tmp_path / "out" / "dossier.pdf"
    build_folder(folder, output)
    page = render_page(output, 2, dpi=30).convert("L")
    low, high = page.getextrema()
    assert low < 40 and high > 200
