"""Images and PDFs attached to an email become exhibits of their own ("3a", "3b").

They follow their email in the dossier, with their own pages, stamp, hash (of
the attachment's bytes) and index row. They are read by the same readers as
the files of the folder, from the private temporary copy the email reader
decoded them to (``dossier.scratch``). Other attachments stay listed on the email's page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dossier.i18n import M_
from dossier.model import (
    Attachment,
    EmailContent,
    Exhibit,
    ExhibitSettings,
    Kind,
    Rejection,
    SourceFile,
)
from dossier.readers import read_source
from dossier.rejections import KindOfProblem
from dossier.scratch import name_suffix
from dossier.sniff import HEAD_SIZE, sniff_bytes
from dossier.timestamps import resolve_timestamp

# Between the email's path and the attachment's name in the attachment's path.
PATH_SEPARATOR = " › "


def expand_attachments(
    exhibits: Iterable[Exhibit], now: dt.datetime, zone: ZoneInfo
) -> tuple[Exhibit, ...]:
    """Insert, after each email, one exhibit per attached image or PDF.

    The email's ``content.attachments`` record which exhibit each became
    (``shown_as``); an attachment that cannot be read stays listed, with a
    warning on the email saying why.
    """
    expanded: list[Exhibit] = []
    for exhibit in exhibits:
        content = exhibit.content
        if not isinstance(content, EmailContent) or not content.attachments:
            expanded.append(exhibit)
            continue
        letters = iter(_letters())
        subs: list[Exhibit] = []
        attachments = []
        warnings: list[str] = []
        for attachment in content.attachments:
            found = _read_attachment(exhibit, attachment, now, zone)
            if isinstance(found, Rejection):
                name = _shortened(attachment.name)
                warnings.append(
                    M_(
                        "the attachment {name!r} is not shown: {reason}",
                        name=name,
                        reason=KindOfProblem(found),
                    )
                )
            elif found is not None:
                letter = next(letters)
                subs.append(
                    dataclasses.replace(
                        found, number=exhibit.number, parent=exhibit.number, sub_label=letter
                    )
                )
                attachment = dataclasses.replace(attachment, shown_as=f"{exhibit.number}{letter}")
            attachments.append(attachment)
        expanded.append(
            dataclasses.replace(
                exhibit,
                content=dataclasses.replace(content, attachments=tuple(attachments)),
                warnings=exhibit.warnings + tuple(warnings),
            )
        )
        expanded += subs
    return tuple(expanded)


# A warning names an attachment by at most this much of its name: a name of
# kilobytes (it happens in hostile mail) would drown the warning. The email
# itself, its page and its manifest entry keep the full name.
MAX_NAME_IN_WARNING = 120


def _shortened(name: str) -> str:
    if len(name) <= MAX_NAME_IN_WARNING:
        return name
    return f"{name[:MAX_NAME_IN_WARNING]}… (+{len(name) - MAX_NAME_IN_WARNING} characters)"


def attachment_name(exhibit: Exhibit) -> str:
    """The file name of an attachment exhibit, as the email gave it."""
    return exhibit.source.relpath.rsplit(PATH_SEPARATOR, 1)[-1]


def _read_attachment(
    email: Exhibit, attachment: Attachment, now: dt.datetime, zone: ZoneInfo
) -> Exhibit | Rejection | None:
    """The attachment as an exhibit; None when it is neither an image nor a PDF."""
    if attachment.path is None:
        return None  # empty
    with attachment.path.open("rb") as handle:
        head = handle.read(HEAD_SIZE)
    kind = sniff_bytes(head, name_suffix(attachment.name))
    if kind is None or not (kind.is_image or kind is Kind.PDF):
        return None
    source = SourceFile(
        path=attachment.path,
        relpath=f"{email.source.relpath}{PATH_SEPARATOR}{attachment.name}",
        size=attachment.size,
        sha256=attachment.sha256,
        mtime=email.source.mtime,
    )
    found = read_source(source, ExhibitSettings())
    if isinstance(found, Rejection):
        return found
    # The email's date stands for the attachment's unless the file says better (EXIF).
    inherited = (email.timestamp,) if email.timestamp is not None else ()
    found = dataclasses.replace(found, found_timestamps=found.found_timestamps + inherited)
    return resolve_timestamp(found, now, zone)


def _letters() -> Iterable[str]:
    """a, b, … z, then aa, ab, … for an email with very many attachments."""
    yield from string.ascii_lowercase
    for first in string.ascii_lowercase:
        for second in string.ascii_lowercase:
            yield first + second
