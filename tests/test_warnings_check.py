"""The cross-file warnings of ``dossier list``: copies, look-alikes, camera dates, size."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import piexif
import pytest
from PIL import ExifTags, Image

from dossier import api
from dossier.filesize import parse_size, size_text
from dossier.model import BuildOptions
from dossier.warnings_check import (
    NEAR_DUPLICATE_BITS,
    difference_hash,
    exif_thumbnail,
    heif_thumbnail,
)
from tests.conftest_samples import SAMPLES

PHOTOS = ("IMG_20261030_101500.jpg", "IMG_20261030_101622.jpg", "PXL_20261030_101745123.jpg")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def plan_of(folder: Path, **options):
    return api.plan(BuildOptions(folder=folder, now=NOW, **options))


def warnings_by_path(folder: Path, **options) -> dict[str, tuple[str, ...]]:
    return {e.source.relpath: e.warnings for e in plan_of(folder, **options).exhibits}


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """A case folder with the three sample photos."""
    for name in (
        "IMG_20261030_101500.jpg",
        "IMG_20261030_101622.jpg",
        "PXL_20261030_101745123.jpg",
    ):
        shutil.copy(SAMPLES / "damaged-parcel" / name, tmp_path / name)
    return tmp_path


def test_distinct_photos_have_no_warning(photos: Path):
    """This test ensures that three different photos with camera dates raise no warning."""
    assert warnings_by_path(photos) == {
        "IMG_20261030_101500.jpg": (),
        "IMG_20261030_101622.jpg": (),
        "PXL_20261030_101745123.jpg": (),
    }


def test_same_file_twice_is_flagged_on_the_later_copy(photos: Path):
    """This test ensures that a second copy of a file names the exhibit it copies."""
    shutil.copy(photos / "IMG_20261030_101622.jpg", photos / "zz-copy.jpg")
    found = warnings_by_path(photos)
    assert found["IMG_20261030_101622.jpg"] == ()
    assert found["zz-copy.jpg"] == (
        "the same file as exhibit 2 (IMG_20261030_101622.jpg): remove one of the copies",
    )


def test_resized_copy_of_a_photo_is_a_near_duplicate(photos: Path):
    """This test ensures that a smaller, re-compressed copy of a photo is recognised."""
    with Image.open(photos / "PXL_20261030_101745123.jpg") as image:
        image.resize((image.width // 3, image.height // 3)).save(
            photos / "IMG_20261030_101900.jpg", quality=60
        )
    found = warnings_by_path(photos)
    assert found["IMG_20261030_101900.jpg"][0] == (
        "looks like the same photo as exhibit 3 (PXL_20261030_101745123.jpg): "
        "keep the clearer one, or say in its caption why both matter"
    )
    assert found["PXL_20261030_101745123.jpg"] == ()


def test_sideways_copy_of_a_photo_is_a_near_duplicate(photos: Path):
    """This test ensures that the hash looks at the photo upright (EXIF orientation applied)."""
    with Image.open(photos / "IMG_20261030_101500.jpg") as image:
        exif = image.getexif()
        exif[0x0112] = 6  # the viewer turns it back upright
        image.transpose(Image.Transpose.ROTATE_90).save(
            photos / "IMG_20261030_101501.jpg", exif=exif
        )
    found = warnings_by_path(photos)
    assert any(
        "looks like the same photo as exhibit 1" in w for w in found["IMG_20261030_101501.jpg"]
    )


def camera_photo(
    path: Path, picture: Image.Image, thumbnail: Image.Image | None, orientation: int = 1
) -> Path:
    """Save ``picture`` as a phone does: EXIF with orientation, date and a JPEG thumbnail."""
    exif: dict[str, object] = {
        "0th": {piexif.ImageIFD.Model: b"Phone 12", piexif.ImageIFD.Orientation: orientation},
        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2026:10:30 10:15:00"},
    }
    if thumbnail is not None:
        small = io.BytesIO()
        thumbnail.convert("RGB").save(small, "JPEG", quality=75)
        exif["1st"] = {piexif.ImageIFD.Compression: 6}
        exif["thumbnail"] = small.getvalue()
    picture.save(path, "JPEG", quality=90, exif=piexif.dump(exif))
    return path


def exhibit_of(path: Path):
    (exhibit,) = plan_of(path.parent).exhibits
    return exhibit


def decoded_hash(exhibit, monkeypatch: pytest.MonkeyPatch) -> int | None:
    """The hash computed from the photo itself, its thumbnail ignored."""
    with monkeypatch.context() as patch:
        patch.setattr("dossier.warnings_check.exif_thumbnail", lambda image: None)
        return difference_hash(exhibit)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_camera_thumbnail_stands_for_the_photo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orientation: int
):
    """This test ensures that the EXIF thumbnail, turned like the photo, hashes like the photo."""
    with Image.open(SAMPLES / "damaged-parcel" / "PXL_20261030_101745123.jpg") as sample:
        picture = sample.copy()
    path = camera_photo(
        tmp_path / "IMG_20261030_101500.jpg", picture, picture.resize((320, 240)), orientation
    )
    with Image.open(path) as image:
        thumbnail = exif_thumbnail(image)
    assert thumbnail is not None and thumbnail.size == (320, 240) and thumbnail.mode == "L"
    exhibit = exhibit_of(path)
    from_thumbnail, from_photo = difference_hash(exhibit), decoded_hash(exhibit, monkeypatch)
    assert from_thumbnail is not None and from_photo is not None
    assert (from_thumbnail ^ from_photo).bit_count() <= NEAR_DUPLICATE_BITS


def test_photo_and_its_copy_without_thumbnail_are_near_duplicates(tmp_path: Path):
    """This test ensures that a hash from a thumbnail and one from decoding agree on a copy."""
    with Image.open(SAMPLES / "damaged-parcel" / "IMG_20261030_101500.jpg") as sample:
        picture = sample.copy()
    camera_photo(tmp_path / "IMG_20261030_101500.jpg", picture, picture.resize((160, 120)))
    picture.resize((600, 450)).save(tmp_path / "IMG_20261030_101600.jpg", quality=70)
    found = warnings_by_path(tmp_path)
    assert any(
        "looks like the same photo as exhibit 1" in w for w in found["IMG_20261030_101600.jpg"]
    )


def test_thumbnail_of_another_shape_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that a thumbnail left over from an edit (another shape) is ignored."""
    with Image.open(SAMPLES / "damaged-parcel" / "IMG_20261030_101500.jpg") as sample:
        picture = sample.copy()
    with Image.open(SAMPLES / "damaged-parcel" / "PXL_20261030_101745123.jpg") as other:
        stale = other.resize((320, 180))  # 16:9, the photo is 4:3
    path = camera_photo(tmp_path / "IMG_20261030_101500.jpg", picture, stale)
    with Image.open(path) as image:
        assert exif_thumbnail(image) is None
    exhibit = exhibit_of(path)
    assert difference_hash(exhibit) == decoded_hash(exhibit, monkeypatch)


def iphone_photo(path: Path, picture: Image.Image, orientation: int = 1) -> Path:
    """Save ``picture`` as an iPhone does: HEIC with a thumbnail (the turn kept as a transform)."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    picture.save(path, "HEIF", quality=80, exif=exif.tobytes(), thumbnails=[256])
    return path


@pytest.mark.parametrize("orientation", [1, 6])
def test_heic_thumbnail_stands_for_the_photo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orientation: int
):
    """This test ensures that a HEIC's own thumbnail, turned like the photo, hashes like it."""
    with Image.open(SAMPLES / "damaged-parcel" / "IMG_20261030_101500.jpg") as sample:
        picture = sample.copy()
    path = iphone_photo(tmp_path / "IMG_20261030_101500.heic", picture, orientation)
    with Image.open(path) as image:
        thumbnail = heif_thumbnail(path, image)
        assert thumbnail is not None and max(thumbnail.size) == 256
    exhibit = exhibit_of(path)
    with monkeypatch.context() as patch:
        patch.setattr("dossier.warnings_check.heif_thumbnail", lambda path, image: None)
        from_photo = difference_hash(exhibit)
    from_thumbnail = difference_hash(exhibit)
    assert from_thumbnail is not None and from_photo is not None
    assert (from_thumbnail ^ from_photo).bit_count() <= NEAR_DUPLICATE_BITS


def test_heic_copy_of_a_jpeg_is_a_near_duplicate(tmp_path: Path):
    """This test ensures that a photo saved again as HEIC is recognised as the same photo."""
    source = SAMPLES / "damaged-parcel" / "PXL_20261030_101745123.jpg"
    shutil.copy(source, tmp_path / source.name)
    with Image.open(source) as sample:
        iphone_photo(tmp_path / "IMG_20261030_101800.heic", sample.copy())
    found = warnings_by_path(tmp_path)
    assert any(
        "looks like the same photo as exhibit 1" in w for w in found["IMG_20261030_101800.heic"]
    )


@pytest.mark.corpus
def test_heic_without_thumbnail_is_decoded(corpus_dir: Path):
    """This test ensures that a real HEIC without a thumbnail gives no thumbnail (it is decoded)."""
    path = corpus_dir / "photos" / "pillow_heif__xiaomi.heic"
    with Image.open(path) as image:
        assert heif_thumbnail(path, image) is None


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["exiftool__GoPro.jpg", "exiftool__Google.jpg"])
def test_real_photos_with_unusable_thumbnails_are_decoded(corpus_dir: Path, name: str):
    """This test ensures that real camera EXIF whose thumbnail is too small or broken is skipped."""
    with Image.open(corpus_dir / "photos" / name) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.IFD1), "the file has no IFD1 any more"
        assert exif_thumbnail(image) is None


def test_plain_images_are_not_compared(tmp_path: Path):
    """This test ensures that two blank pictures are not called the same photo."""
    Image.new("RGB", (200, 150), "white").save(tmp_path / "IMG_20261030_101500.jpg")
    Image.new("RGB", (300, 200), (250, 250, 250)).save(tmp_path / "IMG_20261030_101600.jpg")
    assert all("looks like" not in w for ws in warnings_by_path(tmp_path).values() for w in ws)


def test_photo_dated_from_its_name_has_no_camera_date(tmp_path: Path):
    """This test ensures that a photo without EXIF, dated by its file name, is flagged."""
    Image.effect_mandelbrot((120, 90), (-2, -1, 1, 1), 50).convert("RGB").save(
        tmp_path / "IMG-20261030-WA0007.jpg"
    )
    assert warnings_by_path(tmp_path)["IMG-20261030-WA0007.jpg"] == (
        "photo without a camera (EXIF) date: dated from its file name; "
        "if that is wrong, give its date in case.toml",
    )


def test_screenshot_dated_from_its_name_is_not_flagged(tmp_path: Path):
    """This test ensures that screenshots, which never carry a camera date, are not flagged."""
    shutil.copy(
        SAMPLES / "double-charge" / "Screenshot_20261105-081500.png",
        tmp_path / "Screenshot_20261105-081500.png",
    )
    assert warnings_by_path(tmp_path) == {"Screenshot_20261105-081500.png": ()}


def test_date_from_modification_time_only(tmp_path: Path):
    """This test ensures that a file dated only by its modification time says so."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Chat with customer service\n", encoding="utf-8")
    stamp = dt.datetime(2026, 11, 6, 18, 0, tzinfo=dt.UTC).timestamp()
    os.utime(notes, (stamp, stamp))
    assert warnings_by_path(tmp_path)["notes.txt"] == (
        "no date found in the file or its name: the file modification date is used",
    )


@pytest.fixture
def parcel(tmp_path: Path) -> Path:
    """The damaged-parcel sample: photos of about 130 KB, a 46 KB PDF invoice, emails."""
    return Path(shutil.copytree(SAMPLES / "damaged-parcel", tmp_path / "parcel"))


def test_pdf_larger_than_the_size_target(parcel: Path):
    """This test ensures that a PDF larger than --max-size on its own is flagged.

    Photos larger than the target are not: the build scales them down to fit.
    """
    invoice = "facture-402-1234567-1234567.pdf"
    size = (parcel / invoice).stat().st_size
    target = size - 1000
    found = warnings_by_path(parcel, max_size=target)
    assert found[invoice] == (
        f"{size_text(size)} on its own, more than the {size_text(target)} "
        "size target: compress the PDF or leave it out",
    )
    assert all(
        not any("size target" in w for w in warnings)
        for path, warnings in found.items()
        if path != invoice
    )
    assert all((parcel / name).stat().st_size > target for name in PHOTOS)


def test_attached_originals_count_at_their_own_size(parcel: Path):
    """This test ensures that with --attach-originals every file over the target is flagged."""
    target = 130_000
    found = warnings_by_path(parcel, max_size=target, attach_originals=True)
    flagged = {
        path for path, warnings in found.items() if any("size target" in w for w in warnings)
    }
    assert (
        flagged
        == {name for name in PHOTOS if (parcel / name).stat().st_size > target}
        == {"IMG_20261030_101622.jpg", "PXL_20261030_101745123.jpg"}
    )
    assert found["PXL_20261030_101745123.jpg"][-1] == (
        "138 KB on its own, more than the 130 KB size target, as an attached original: "
        "build without --attach-originals, or leave it out"
    )


def test_undecodable_image_has_no_hash(tmp_path: Path):
    """This test ensures that the hash gives up quietly on a file it cannot decode."""
    exhibit = plan_of(SAMPLES / "damaged-parcel").exhibits[2]
    broken = tmp_path / "broken.jpg"
    broken.write_bytes((SAMPLES / "damaged-parcel" / "IMG_20261030_101500.jpg").read_bytes()[:300])
    moved = exhibit.source.__class__(broken, "broken.jpg", 300, "0" * 64, 0.0)
    assert difference_hash(exhibit) is not None
    assert difference_hash(exhibit.__class__(moved, exhibit.kind, exhibit.content)) is None


@pytest.mark.parametrize(
    ("text", "size"),
    [
        pytest.param("10MB", 10 * 1000**2, id="megabytes"),
        pytest.param("10 mb", 10 * 1000**2, id="lower-case-with-space"),
        pytest.param("500KB", 500 * 1000, id="kilobytes"),
        pytest.param("1,5GB", int(1.5 * 1000**3), id="decimal-comma"),
        pytest.param("2.5M", int(2.5 * 1000**2), id="without-b"),
        pytest.param("2000000", 2_000_000, id="bytes"),
    ],
)
def test_parse_size(text: str, size: int):
    """This test ensures that sizes are read the way people write them."""
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["ten", "10TB", "0MB", "-1MB", ""])
def test_parse_size_rejects(text: str):
    """This test ensures that a wrong size is refused with a message that shows the format."""
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


def _mail(subject: str, attachments: list[bytes], day: int = 3) -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "Service Client <service@shop.example>"
    message["To"] = "Alex Martin <alex@example.org>"
    message["Subject"] = subject
    message["Date"] = f"Tue, {day:02d} Nov 2026 10:00:00 +0100"
    message.set_content(f"{subject}: see the pictures.")
    for index, data in enumerate(attachments, start=1):
        message.add_attachment(data, maintype="image", subtype="png", filename=f"photo{index}.png")
    return message.as_bytes()


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_parts_of_one_file_are_not_copies_of_each_other(tmp_path: Path):
    """This test ensures that parts of one file (messages, attachments) are not copies.

    A file of the folder that is also attached to an email still is one.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    picture = _png("red")
    (folder / "mail.eml").write_bytes(_mail("Two views", [picture, picture]))
    box = b"".join(
        b"From shop@example Tue Nov  3 10:00:00 2026\n" + _mail(f"Reply {n}", [], n) + b"\n"
        for n in (4, 5, 6)
    )
    (folder / "replies.mbox").write_bytes(box)
    (folder / "red.png").write_bytes(picture)
    timeline = api.plan(BuildOptions(folder=folder, now=NOW))
    warned = {
        exhibit.source.relpath: [w for w in exhibit.warnings if w.startswith("the same file")]
        for exhibit in timeline.exhibits
    }
    assert len(timeline.exhibits) == 7  # the photo, the email and its 2 pictures, 3 messages
    copies = {path: found for path, found in warned.items() if found}
    # Only the later of the photo and a picture in the mail: one warning, across two files.
    assert len(copies) == 1, copies
    ((path, (warning,)),) = copies.items()
    other = "red.png" if path.startswith("mail.eml") else "mail.eml › photo1.png"
    assert f"({other}): remove one of the copies" in warning


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_build_finds_the_same_warnings_as_list(
    photos: Path, tmp_path_factory: pytest.TempPathFactory, cache: bool
):
    """This test ensures that a build reports the warnings list shows, in the same order.

    A build compares the photos beside writing the PDF. The resized copy also lacks a camera date and is larger than the size
    target: the look-alike warning still comes first.
    """
    with Image.open(photos / "PXL_20261030_101745123.jpg") as image:
        image.resize((image.width // 3, image.height // 3)).save(
            photos / "IMG_20261030_101900.jpg", quality=95
        )
    shutil.copy(photos / "IMG_20261030_101500.jpg", photos / "zz-copy.jpg")
    size = (photos / "IMG_20261030_101900.jpg").stat().st_size - 1
    options = {"max_size": size, "attach_originals": True, "cache": cache}
    listed = {e.source.relpath: e.warnings for e in plan_of(photos, **options).exhibits}
    built = api.build(
        BuildOptions(
            folder=photos, output=tmp_path_factory.mktemp("out") / "d.pdf", now=NOW, **options
        )
    )
    assert {e.source.relpath: e.warnings for e in built.plan.exhibits} == listed
    copy = listed["IMG_20261030_101900.jpg"]
    assert copy[0].startswith("looks like the same photo as exhibit 4")
    assert any("camera (EXIF) date" in w for w in copy[1:])
    assert any("size target" in w for w in copy[1:])
    assert listed["zz-copy.jpg"][0].startswith("the same file as exhibit")
