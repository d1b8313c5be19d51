"""Picture pages: tall captures in slices, contact sheets, duplex, size limits and volumes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from dossier import BuildOptions, plan
from dossier.filesize import parse_size
from tests.conftest_images import CORPUS, build_folder, camera_exif, noise, save_jpeg

TALL = "swift-snapshot-testing__ipad-pro-11inch-33-split-portrait.png"
FOOTER = re.compile(r"page (\d+) / (\d+)")


def footers(pdf: Path) -> list[tuple[int, int]]:
    found = []
    for page in PdfReader(pdf).pages:
        match = FOOTER.search(page.extract_text())
        assert match, "a page has no footer"
        found.append((int(match[1]), int(match[2])))
    return found


def photo_folder(folder: Path, count: int, size: tuple[int, int] = (400, 300)) -> Path:
    folder.mkdir(parents=True)
    for k in range(count):
        name = f"IMG_20261030_10{k:02d}00.jpg"
        save_jpeg(noise(*size, seed=k), folder / name, camera_exif())
    (folder / "case.toml").write_text('language = "en"\n')
    return folder


@pytest.mark.corpus
def test_tall_screenshot_is_sliced(tmp_path: Path) -> None:
    """This test ensures that a 960x3582 capture is cut into readable page-high slices."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(CORPUS / "screenshots" / TALL, folder / TALL)
    (folder / "case.toml").write_text('language = "en"\n')
    output = tmp_path / "dossier.pdf"
    result = build_folder(folder, output)
    reader = PdfReader(output)
    assert result.page_count == 1 + 3 + 1  # index, slices, integrity appendix
    texts = [page.extract_text() for page in reader.pages]
    assert "continued" in texts[1] and "continued" in texts[2]
    assert "continued" not in texts[3]
    assert "page 3/3 of the annex" in texts[3]
    # One picture, named on three pages: the data is in the file once.
    images = {page.images[0].indirect_reference.idnum for page in reader.pages[1:-1]}
    assert len(images) == 1
    assert output.read_bytes().count(b"/Subtype /Image") == 1


def test_contact_sheet_keeps_each_label(tmp_path: Path) -> None:
    """This test ensures that 4 photos share a page, each with its own label, date and link."""
    folder = photo_folder(tmp_path / "case", 5)
    output = tmp_path / "dossier.pdf"
    result = build_folder(folder, output, photos_per_page=4)
    reader = PdfReader(output)
    assert result.page_count == 4  # index, a sheet of 4, the fifth photo alone, appendix
    sheet = reader.pages[1].extract_text()
    for number in range(1, 5):
        assert f"Annex {number}" in sheet
    assert sheet.count("30 October 2026") == 4
    assert "Annex 5" in reader.pages[2].extract_text()
    assert dict(result.first_pages) == {1: 2, 2: 2, 3: 2, 4: 2, 5: 3}
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [page for _, page in outline] == [0, 1, 1, 1, 1, 2, 3]  # 3: integrity appendix
    assert len(reader.pages[1].images) == 4


def test_duplex_starts_exhibits_on_odd_pages(tmp_path: Path) -> None:
    """This test ensures that --duplex puts every exhibit on a right-hand (odd) page."""
    folder = photo_folder(tmp_path / "case", 3)
    output = tmp_path / "dossier.pdf"
    result = build_folder(folder, output, duplex=True)
    assert all(page % 2 == 1 for page in result.first_pages.values())
    # index, blank, 1, blank, 2, blank, 3
    assert dict(result.first_pages) == {1: 3, 2: 5, 3: 7}
    assert footers(output) == [(n, 8) for n in range(1, 9)]  # the last: integrity appendix
    assert "Annex" not in PdfReader(output).pages[1].extract_text()


def test_max_size_is_honoured(tmp_path: Path) -> None:
    """This test ensures that --max-size downsamples pictures until the PDF fits."""
    folder = photo_folder(tmp_path / "case", 3, size=(1600, 1200))
    output = tmp_path / "dossier.pdf"
    full = build_folder(folder, tmp_path / "full.pdf")
    limit = full.size // 3
    result = build_folder(folder, output, max_size=limit)
    assert output.stat().st_size <= limit
    assert any("under the" in note and "dpi" in note for note in result.notes)
    assert footers(output) == [(n, 5) for n in range(1, 6)]  # the last: integrity appendix


def test_split_into_volumes(tmp_path: Path) -> None:
    """This test ensures that --split writes volumes under the limit, numbered continuously."""
    folder = photo_folder(tmp_path / "case", 4, size=(300, 225))
    output = tmp_path / "out" / "dossier.pdf"
    result = build_folder(folder, output, max_size=parse_size("250KB"), split=True)
    assert len(result.volumes) >= 2
    assert result.volumes[0] == output.with_name("dossier-1.pdf")
    assert not output.exists()
    pages = []
    for volume in result.volumes:
        assert volume.stat().st_size <= 250_000, volume
        pages += footers(volume)
    assert pages == [(n, result.page_count) for n in range(1, result.page_count + 1)]
    index = " ".join(PdfReader(result.volumes[0]).pages[0].extract_text().split())
    assert "vol. 2, p." in index
    assert "vol. 1, p. 2" in index
    second = PdfReader(result.volumes[1]).pages[0].extract_text()
    assert re.search(r"Annex [2-4]", second)


def test_volumes_are_filled(tmp_path: Path) -> None:
    """This test ensures that --split writes no more volumes than the limit requires.

    Each volume is full: the next volume's first photo would not have fitted in it.
    """
    folder = photo_folder(tmp_path / "case", 10, size=(300, 225))
    output = tmp_path / "out" / "dossier.pdf"
    limit = parse_size("250KB")
    result = build_folder(folder, output, max_size=limit, split=True)
    photo_bytes = [
        [
            len(image.indirect_reference.get_object()._data)
            for page in reader.pages
            for image in page.images
        ]
        for reader in (PdfReader(volume) for volume in result.volumes)
    ]
    assert sum(len(photos) for photos in photo_bytes) == 10
    sizes = [volume.stat().st_size for volume in result.volumes]
    assert all(size <= limit for size in sizes), sizes
    for size, following in zip(sizes, photo_bytes[1:], strict=False):
        assert size + following[0] > limit, (sizes, photo_bytes)
    assert len(result.volumes) == 5  # two photos each, plus the index in the first


@pytest.mark.parametrize(
    ("text", "size"),
    [("10MB", 10_000_000), ("9.5 MB", 9_500_000), ("800kb", 800_000), ("2000", 2000)],
)
def test_parse_size(text: str, size: int) -> None:
    """This test ensures that sizes are read as people write them."""
    assert parse_size(text) == size


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["photos", "screenshots"])
def test_corpus_pictures_build(tmp_path: Path, folder: str) -> None:
    """This test ensures that every real-world picture builds or is reported with a reason."""
    output = tmp_path / "dossier.pdf"
    result = build_folder(CORPUS / folder, output, skip_unreadable=True)
    names = {p.name for p in (CORPUS / folder).iterdir()}
    included = {e.source.relpath for e in result.plan.exhibits}
    rejected = {r.relpath: r.reason for r in result.plan.rejections}
    assert included | set(rejected) == names
    assert all(reason for reason in rejected.values())
    assert len(PdfReader(output).pages) == result.page_count
    # The spatial HEIC holds two pictures and the TIFF one page: one page each at least.
    assert result.page_count >= 1 + len(included)


@pytest.mark.corpus
def test_corpus_bad_pictures_are_reported(tmp_path: Path) -> None:
    """This test ensures that empty, truncated, corrupt and bomb images are rejected clearly."""
    timeline = plan(BuildOptions(folder=CORPUS / "bad", output=tmp_path / "d.pdf"))
    rejected = {r.relpath: r for r in timeline.rejections}
    for name in (
        "pillow_heif__empty.heic",
        "pillow_heif__corrupted.heic",
        "pillow__truncated_jpeg.jpg",
        "pillow__truncated_image.png",
        "pillow__decompression_bomb.gif",
    ):
        assert name in rejected, name
        assert rejected[name].reason
    assert "megapixels" in rejected["pillow__decompression_bomb.gif"].reason


def test_wide_screenshot_is_turned(tmp_path: Path) -> None:
    """This test ensures that a 16:9 desktop screenshot is printed along the page's length."""
    from PIL import Image, ImageDraw

    from tests.conftest_images import render_page

    folder = tmp_path / "case"
    folder.mkdir()
    shot = Image.new("RGB", (1920, 1080), "white")
    ImageDraw.Draw(shot).rectangle((0, 0, 300, 200), fill=(230, 20, 20))
    ImageDraw.Draw(shot).rectangle((0, 1000, 1919, 1079), fill=(20, 20, 230))
    shot.save(folder / "Screenshot 2026-11-03 at 15.30.12.png")
    output = tmp_path / "dossier.pdf"
    build_folder(folder, output)
    page = render_page(output, 2, dpi=20)
    pixels = page.load()
    red = [
        (x, y)
        for y in range(page.height)
        for x in range(page.width)
        if pixels[x, y][0] > 180 and pixels[x, y][1] < 80
    ]
    blue = [
        (x, y)
        for y in range(page.height)
        for x in range(page.width)
        if pixels[x, y][2] > 180 and pixels[x, y][0] < 80
    ]
    # The screenshot's top-left corner is at the page's bottom left, its
    # bottom edge (blue) runs down the right side: read with the page turned.
    assert max(y for _, y in red) > page.height * 0.6
    assert min(x for x, _ in blue) > max(x for x, _ in red)
    blue_h = max(y for _, y in blue) - min(y for _, y in blue)
    assert blue_h > page.height * 0.5


@pytest.mark.corpus
def test_picture_exhibits_drawn_in_one_file_keep_their_own_pages(
    tmp_path: Path, samples_dir: Path
) -> None:
    """This test ensures that each picture exhibit's pages show its own picture.

    The pages of picture exhibits are drawn one after another into one file;
    here photos, screenshots, a three-page capture and a text note alternate.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    pictures = [
        *sorted((samples_dir / "damaged-parcel").glob("*.jpg")),
        *sorted((samples_dir / "double-charge").glob("*.png")),
        CORPUS / "screenshots" / TALL,
    ]
    for path in [*pictures, samples_dir / "double-charge" / "notities.txt"]:
        shutil.copy(path, folder / path.name)
    (folder / "case.toml").write_text('language = "en"\n')
    output = tmp_path / "dossier.pdf"
    result = build_folder(folder, output)
    pages = PdfReader(output).pages
    shown = 0
    for exhibit in result.plan.exhibits:
        if not exhibit.kind.is_image:
            continue
        with Image.open(exhibit.source.path) as picture:
            stored = picture.size
        first = result.first_pages[exhibit.page_key] - 1
        count = 3 if exhibit.source.relpath == TALL else 1
        for page in pages[first : first + count]:
            assert [(i.image.width, i.image.height) for i in page.images] == [stored]
            text = page.extract_text()
            assert f"{exhibit.label}\n" in text and exhibit.source.relpath[:20] in text
            if count == 1:  # the whole picture, upright: drawn with its own proportions
                (width, height), content = drawn_size(page), exhibit.content
                assert width / height == pytest.approx(content.width / content.height, rel=0.01)
            shown += 1
    assert shown == len(pictures) + 2


def drawn_size(page: PageObject) -> tuple[float, float]:
    """Width and height on the page of the one picture the page draws (``/DsImg`` names)."""
    matrix, saved, drawn = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [], []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q":
            matrix = saved.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = matrix
            matrix = [
                a * m[0] + b * m[2],
                a * m[1] + b * m[3],
                c * m[0] + d * m[2],
                c * m[1] + d * m[3],
                e * m[0] + f * m[2] + m[4],
                e * m[1] + f * m[3] + m[5],
            ]
        elif operator == b"Do" and str(operands[0]).startswith("/DsImg"):
            drawn.append((abs(matrix[0]) + abs(matrix[2]), abs(matrix[1]) + abs(matrix[3])))
    assert len(drawn) == 1
    return drawn[0]


@pytest.mark.parametrize("size", [(2400, 500), (3600, 400), (1800, 560)])
def test_very_wide_capture_is_cut_into_bands_not_turned(tmp_path: Path, size) -> None:
    """This test ensures that a capture wider than 3:1 is printed in bands down the page, larger.

    Turned sideways it would be a thin strip along the page's length; across
    the page in one piece it would be small. Cut into side-by-side bands
    stacked on one page, each band is wider on paper than the whole capture
    would be: the left part (red) comes first, the right part (blue) last.
    """
    from PIL import ImageDraw

    from dossier.layout.image import plan_slices
    from dossier.layout.style import page_style
    from tests.conftest_images import render_page

    folder = tmp_path / "case"
    folder.mkdir()
    width, height = size
    shot = Image.new("RGB", size, "white")
    ImageDraw.Draw(shot).rectangle((0, 0, width // 10, height - 1), fill=(230, 20, 20))
    ImageDraw.Draw(shot).rectangle(
        (width - width // 10, 0, width - 1, height - 1), fill=(20, 20, 230)
    )
    shot.save(folder / "Screenshot_20261103-153012.png")
    output = tmp_path / "dossier.pdf"
    build_folder(folder, output)
    reader = PdfReader(output)
    assert len(reader.pages) == 3  # index, one page of bands, the integrity appendix
    content = reader.pages[1].get_contents().get_data().decode("latin-1")
    bands = content.count("/DsImg0 Do")
    assert bands >= 2
    exhibit = plan(BuildOptions(folder=folder)).exhibits[0]
    style = page_style()
    slices = plan_slices(size, exhibit, style)
    assert not any(part.turned for part in slices)
    across = style.content_width / width
    assert slices[0].rect[2] / slices[0].window[2] > across * 1.4
    page = render_page(output, 2, dpi=20)
    pixels = page.load()

    def rows(test) -> list[int]:
        return [y for y in range(page.height) for x in range(page.width) if test(pixels[x, y])]

    red = rows(lambda p: p[0] > 180 and p[1] < 80 and p[2] < 80)
    blue = rows(lambda p: p[2] > 180 and p[0] < 80)
    assert red and blue
    assert max(red) < min(blue)  # the first band holds the left end, the last the right end
