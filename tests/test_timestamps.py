"""Date sources, their order of strength, and what is rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dossier.model import (
    Exhibit,
    ExhibitSettings,
    Kind,
    NoteContent,
    SourceFile,
    Timestamp,
    TimestampSource,
)
from dossier.readers.image import parse_exif_datetime
from dossier.timestamps import resolve_timestamp, timestamp_from_filename

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("name", "expected", "date_only"),
    [
        pytest.param(
            "IMG_20241103_153012.jpg", dt.datetime(2024, 11, 3, 15, 30, 12), False, id="android"
        ),
        pytest.param(
            "PXL_20241103_153012345.jpg",
            dt.datetime(2024, 11, 3, 15, 30, 12, 345000),
            False,
            id="pixel",
        ),
        pytest.param(
            "Screenshot_20241103-153012.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="android-shot",
        ),
        pytest.param(
            "Screenshot_20241103-153012_Chrome.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="android-shot-app",
        ),
        pytest.param(
            "IMG-20241103-WA0007.jpg", dt.datetime(2024, 11, 3), True, id="whatsapp-date-only"
        ),
        pytest.param(
            "WhatsApp Image 2024-11-03 at 15.30.12.jpeg",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="whatsapp-image",
        ),
        pytest.param(
            "Screenshot 2024-11-03 at 15.30.12.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="macos-en",
        ),
        pytest.param(
            "Capture d'écran 2024-11-03 à 15.30.12.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="macos-fr",
        ),
        pytest.param(
            "Capture d’écran 2024-11-03 à 15.30.12.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="macos-fr-curly-apostrophe",
        ),
        pytest.param(
            "Schermafbeelding 2024-11-03 om 15.30.12.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="macos-nl",
        ),
        pytest.param(
            "Bildschirmfoto 2024-11-03 um 15.30.12.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="macos-de",
        ),
        pytest.param(
            "Screenshot 2024-11-03 153012.png",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="windows",
        ),
        pytest.param(
            "sub/IMG_20241103_153012(1).jpg",
            dt.datetime(2024, 11, 3, 15, 30, 12),
            False,
            id="copy-in-folder",
        ),
    ],
)
def test_filename_patterns(name: str, expected: dt.datetime, date_only: bool) -> None:
    """This test ensures that each phone and desktop naming pattern gives its date."""
    stamp = timestamp_from_filename(name)
    assert stamp is not None
    assert stamp.value == expected
    assert stamp.date_only is date_only
    assert stamp.source is TimestampSource.FILENAME


@pytest.mark.parametrize(
    "name",
    [
        "IMG_20241345_153012.jpg",
        "holiday.jpg",
        "IMG_1234.JPG",
        "Screenshot 2024-02-30 at 10.00.00.png",
    ],
)
def test_filenames_without_a_valid_date(name: str) -> None:
    """This test ensures that names without a real date give no timestamp."""
    assert timestamp_from_filename(name) is None


@pytest.mark.parametrize(
    ("text", "offset", "subsec", "expected"),
    [
        pytest.param(
            "2024:11:03 15:30:12", None, None, dt.datetime(2024, 11, 3, 15, 30, 12), id="exif"
        ),
        pytest.param(
            "2024:11:03 15:30:12",
            "+01:00",
            "45",
            dt.datetime(2024, 11, 3, 15, 30, 12, 450000, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            id="offset-subsec",
        ),
        pytest.param(
            "2019-10-17T16:55:20-07:00",
            None,
            None,
            dt.datetime(2019, 10, 17, 16, 55, 20, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
            id="iso",
        ),
        pytest.param(
            "2024-04-22T14:38:09GMT+2",
            None,
            None,
            dt.datetime(2024, 4, 22, 14, 38, 9, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            id="apple-gmt",
        ),
        pytest.param(
            "2024:11:03 15:30:12\x00", None, None, dt.datetime(2024, 11, 3, 15, 30, 12), id="nul"
        ),
        pytest.param("0000:00:00 00:00:00", None, None, None, id="zeros"),
        pytest.param("    :  :     :  :  ", None, None, None, id="blank"),
        pytest.param("2024:02:30 10:00:00", None, None, None, id="impossible"),
        pytest.param("", None, None, None, id="empty"),
    ],
)
def test_parse_exif_datetime(
    text: str, offset: str | None, subsec: str | None, expected: dt.datetime | None
) -> None:
    """This test ensures that EXIF date variants parse, and invalid ones give None."""
    assert parse_exif_datetime(text, offset, subsec) == expected


def _exhibit(
    name: str, found: tuple[Timestamp, ...] = (), settings: ExhibitSettings | None = None
) -> Exhibit:
    mtime = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC).timestamp()
    source = SourceFile(Path("/x") / name, name, 1, "0" * 64, mtime)
    return Exhibit(
        source=source,
        kind=Kind.NOTE,
        content=NoteContent("x"),
        settings=settings or ExhibitSettings(),
        found_timestamps=found,
    )


def test_exif_wins_over_filename_and_mtime() -> None:
    """This test ensures that EXIF DateTimeOriginal is preferred to the file name."""
    exif = Timestamp(dt.datetime(2026, 10, 30, 10, 15), TimestampSource.EXIF, "DateTimeOriginal")
    result = resolve_timestamp(_exhibit("IMG_20261030_999999.jpg", (exif,)), NOW, BRUSSELS)
    assert result.timestamp == exif


def test_case_file_date_wins_over_all() -> None:
    """This test ensures that a date given by the user wins over every other source."""
    exif = Timestamp(dt.datetime(2026, 10, 30, 10, 15), TimestampSource.EXIF, "DateTimeOriginal")
    settings = ExhibitSettings(date=dt.datetime(2026, 10, 29, 8, 0))
    result = resolve_timestamp(
        _exhibit("IMG_20261030_101500.jpg", (exif,), settings), NOW, BRUSSELS
    )
    assert result.timestamp is not None
    assert result.timestamp.source is TimestampSource.CASE_FILE
    assert result.timestamp.value == dt.datetime(2026, 10, 29, 8, 0)


@pytest.mark.parametrize(
    "bad",
    [dt.datetime(2099, 9, 29, 10, 10), dt.datetime(1985, 1, 1, 12, 0)],
    ids=["future", "before-1990"],
)
def test_implausible_exif_falls_back_to_next_source(bad: dt.datetime) -> None:
    """This test ensures that an implausible EXIF date is skipped, with a warning, for the file name."""
    exif = Timestamp(bad, TimestampSource.EXIF, "DateTimeOriginal")
    result = resolve_timestamp(_exhibit("IMG_20261030_101500.jpg", (exif,)), NOW, BRUSSELS)
    assert result.timestamp is not None
    assert result.timestamp.source is TimestampSource.FILENAME
    assert any("not plausible" in warning for warning in result.warnings)


def test_mtime_is_last_and_weak() -> None:
    """This test ensures that with no other source the modification time is used and marked weak."""
    result = resolve_timestamp(_exhibit("notes.txt"), NOW, BRUSSELS)
    assert result.timestamp is not None
    assert result.timestamp.source is TimestampSource.FILE_MTIME
    assert result.timestamp.weak
    assert result.timestamp.value == dt.datetime(2026, 11, 20, 10, 0, tzinfo=BRUSSELS)


def test_camera_time_is_shown_as_recorded_and_ordered_in_case_zone() -> None:
    """This test ensures that naive camera times are never shifted, and email dates are."""
    camera = Timestamp(dt.datetime(2026, 10, 30, 10, 15), TimestampSource.EXIF)
    assert camera.shown(BRUSSELS) == dt.datetime(2026, 10, 30, 10, 15)
    assert camera.instant(BRUSSELS).utcoffset() == dt.timedelta(hours=1)
    sent = dt.datetime(2026, 10, 30, 9, 0, tzinfo=dt.UTC)
    email = Timestamp(sent, TimestampSource.EMAIL_HEADER)
    assert email.shown(BRUSSELS).hour == 10
    assert email.instant(BRUSSELS) < camera.instant(BRUSSELS)


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        pytest.param("Untitled", None, id="untitled"),
        pytest.param("untitled document 2", None, id="untitled-2"),
        pytest.param("Document1", None, id="word-default"),
        pytest.param("Microsoft Word - facture.docx", None, id="word-print"),
        pytest.param("Enscript Output", None, id="enscript"),
        pytest.param("Sans titre", None, id="sans-titre"),
        pytest.param("scan_0001.pdf", None, id="a-file-name"),
        pytest.param("Facture BE64QW7X2AEUI", "Facture BE64QW7X2AEUI", id="real"),
        pytest.param("Geometrie und Topologie", "Geometrie und Topologie", id="real-de"),
    ],
)
def test_placeholder_document_titles_give_way_to_the_file_name(title, shown):
    """This test ensures a program's default title is never printed as a document's name."""
    from dossier.annotate import document_title

    assert document_title(title) == shown


@pytest.mark.parametrize(
    ("make", "model", "camera"),
    [
        pytest.param("Canon", "Canon PowerShot S40", "Canon PowerShot S40", id="canon"),
        pytest.param("Nintendo", "Nintendo 3DS", "Nintendo 3DS", id="nintendo"),
        pytest.param("NIKON CORPORATION", "NIKON D70", "NIKON D70", id="nikon"),
        pytest.param("Google", "Pixel 8", "Google Pixel 8", id="google"),
        pytest.param("Apple", "iPhone 15", "Apple iPhone 15", id="apple"),
        pytest.param("", "SM-G991B", "SM-G991B", id="model-only"),
    ],
)
def test_the_camera_is_named_without_its_make_twice(make, model, camera):
    """This test ensures "Canon Canon PowerShot" reads "Canon PowerShot"."""
    from dossier.readers.image import camera_name

    assert camera_name(make, model) == camera
