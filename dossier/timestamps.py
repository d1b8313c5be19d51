"""Choose each exhibit's date, and say where it came from.

The sources, strongest first: a date given in the case file; EXIF
(DateTimeOriginal, DateTimeDigitized, DateTime); XMP and other metadata
embedded in the image; the file name as phones and desktops write it; the
email Date header; the PDF creation date; last, the file's modification time,
which is marked weak. A value that cannot be true (before 1990, in the
future) is skipped with a warning and the next source is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from dossier.i18n import M_
from dossier.model import Exhibit, Timestamp
from dossier.model import TimestampSource as Src

EARLIEST_PLAUSIBLE = dt.datetime(1990, 1, 1)

_DATE = r"(?P<y>(?:19|20)\d{2})-?(?P<mo>\d{2})-?(?P<d>\d{2})"
_TIME = r"(?P<h>\d{2})[.:]?(?P<mi>\d{2})[.:]?(?P<s>\d{2})"
# (description, pattern). Only the start of the name is matched, so
# "IMG_20241103_153012(1).jpg" and "... (2).png" still count.
FILENAME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        # Android camera and Google Pixel: IMG_20241103_153012, PXL_20241103_153012345
        ("camera", rf"^(?:IMG|VID|PXL|MVIMG|PANO|BURST\d*)_{_DATE}_{_TIME}(?P<ms>\d{{3}})?"),
        # Android screenshots: Screenshot_20241103-153012, Screenshot_20241103_153012_App
        ("screenshot", rf"^Screenshot_{_DATE}[-_]{_TIME}"),
        # WhatsApp media: IMG-20241103-WA0007 (date only)
        ("whatsapp", rf"^(?:IMG|VID|AUD|PTT|DOC|STK)-{_DATE}-WA\d+"),
        # WhatsApp Image 2024-11-03 at 15.30.12
        ("whatsapp", rf"^WhatsApp (?:Image|Video) {_DATE} at {_TIME}"),
        # macOS/iOS screenshots in English, French, Dutch and German
        ("screenshot", rf"^Screenshot {_DATE} at {_TIME}"),
        ("screenshot", rf"^Capture d[’'`]écran {_DATE} à {_TIME}"),
        ("screenshot", rf"^Schermafbeelding {_DATE} om {_TIME}"),
        ("screenshot", rf"^Bildschirmfoto {_DATE} um {_TIME}"),
        # Windows Snipping Tool: Screenshot 2024-11-03 153012
        ("screenshot", rf"^Screenshot {_DATE} {_TIME}"),
        # Generic camera and scanner names: 20241103_153012, 2024-11-03 15.30.12
        ("date and time", rf"^{_DATE}[_ T-]{_TIME}"),
    )
)


def timestamp_from_filename(name: str) -> Timestamp | None:
    """Read a date from a file name written by a phone, camera or desktop."""
    stem = name.rsplit("/", 1)[-1]
    for description, pattern in FILENAME_PATTERNS:
        match = pattern.match(stem)
        if not match:
            continue
        fields = match.groupdict()
        try:
            day = dt.date(int(fields["y"]), int(fields["mo"]), int(fields["d"]))
            if fields.get("h") is None:
                return Timestamp(
                    dt.datetime.combine(day, dt.time()), Src.FILENAME, description, date_only=True
                )
            time = dt.time(int(fields["h"]), int(fields["mi"]), int(fields["s"]))
        except ValueError:
            continue  # impossible date: try the next pattern
        value = dt.datetime.combine(day, time)
        if fields.get("ms"):
            value = value.replace(microsecond=int(fields["ms"]) * 1000)
        return Timestamp(value, Src.FILENAME, description)
    return None


def is_plausible(stamp: Timestamp, now: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether a date could be the date of this evidence: 1990 or later, not in the future."""
    instant = stamp.instant(zone)
    return EARLIEST_PLAUSIBLE.replace(tzinfo=zone) <= instant <= now + dt.timedelta(days=1)


def candidates(exhibit: Exhibit, zone: ZoneInfo) -> list[Timestamp]:
    """All the dates known for an exhibit, strongest first."""
    found: list[Timestamp] = []
    if exhibit.settings.date is not None:
        found.append(
            Timestamp(exhibit.settings.date, Src.CASE_FILE, "case.toml", exhibit.settings.date_only)
        )
    found.extend(exhibit.found_timestamps)
    from_name = timestamp_from_filename(exhibit.source.relpath)
    if from_name is not None:
        found.append(from_name)
    mtime = dt.datetime.fromtimestamp(exhibit.source.mtime, tz=zone).replace(microsecond=0)
    found.append(Timestamp(mtime, Src.FILE_MTIME, "modification time"))
    # Stable: within one source the reader's order (DateTimeOriginal first) stays.
    return sorted(found, key=lambda stamp: stamp.source.rank)


def resolve_timestamp(exhibit: Exhibit, now: dt.datetime, zone: ZoneInfo) -> Exhibit:
    """Give the exhibit the strongest plausible date, with a warning for each one skipped."""
    warnings: list[str] = []
    chosen = None
    for stamp in candidates(exhibit, zone):
        if stamp.source is not Src.CASE_FILE and not is_plausible(stamp, now, zone):
            warnings.append(
                M_(
                    "{detail} {value} is not plausible; ignored",
                    detail=stamp.detail,
                    value=f"{stamp.value:%Y-%m-%d %H:%M}",
                )
            )
            continue
        chosen = stamp
        break
    if chosen is not None and chosen.weak:
        warnings.append(
            M_("no date found in the file or its name: the file modification date is used")
        )
    return dataclasses.replace(
        exhibit, timestamp=chosen, warnings=exhibit.warnings + tuple(warnings)
    )


def resolve_all(exhibits: Iterable[Exhibit], now: dt.datetime, zone: ZoneInfo) -> Sequence[Exhibit]:
    """Resolve the date of every exhibit."""
    return [resolve_timestamp(exhibit, now, zone) for exhibit in exhibits]
