"""One reader per kind of file, behind a common contract.

A reader opens one file, checks that it can be shown, and returns what it
learnt (``Reading``): the content to lay out, the dates found inside and any
problem it recovered from. When the file cannot be shown it raises
``FileUnreadable`` with a reason and a way out; the pipeline turns that into
a line of the "not included" list.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from dossier.model import (
    Attachment,
    EmailContent,
    Exhibit,
    ExhibitSettings,
    Kind,
    Reading,
    Rejection,
    SourceFile,
)

if TYPE_CHECKING:
    from dossier.cache import Cache


class Reader(Protocol):
    """The contract every reader module fulfils."""

    def __call__(self, source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
        """Read ``source``.

        Raises:
            FileUnreadable: the file cannot be put in the dossier.
        """
        ...


def reader_for(kind: Kind) -> Reader:
    """The reader for files of ``kind``."""
    # Each imported when first needed: a folder of photos does not pay for
    # the email parsers, nor `dossier list` for reportlab et al.
    if kind.is_image:
        from dossier.readers.image import read_image

        return read_image
    if kind is Kind.PDF:
        from dossier.readers.pdf import read_pdf

        return read_pdf
    if kind in (Kind.EMAIL, Kind.MBOX):
        # Read whole, a mailbox is split by ``read_file``; alone, its first message.
        from dossier.readers.email import read_email

        return read_email
    if kind is Kind.MSG:
        from dossier.readers.msg import read_msg

        return read_msg
    from dossier.readers.note import read_note

    return read_note


def read_file(
    source: SourceFile, settings: ExhibitSettings, cache: Cache | None = None
) -> list[Exhibit | Rejection]:
    """Read one file: one exhibit (or rejection), or one per message of a mailbox.

    With a ``cache``, what a picture's reader found is kept for the next build.
    """
    from dossier.sniff import sniff

    try:
        kind = sniff(source.path) if source.size else None
    except OSError:
        kind = None
    if kind is Kind.MBOX:
        from dossier.readers.mbox import read_mbox

        try:
            return read_mbox(source, settings)
        except (OSError, ValueError) as error:
            return [
                Rejection(
                    source.relpath,
                    f"the mailbox cannot be read ({error})",
                    "export the messages again, or save them as .eml files",
                    kind,
                    source.sha256,
                )
            ]
    return [read_source(source, settings, cache)]


def read_source(
    source: SourceFile, settings: ExhibitSettings, cache: Cache | None = None
) -> Exhibit | Rejection:
    """Classify one file by content and read it with the matching reader."""
    from dossier.errors import FileUnreadable
    from dossier.sniff import describe_unsupported, sniff

    if source.size == 0:
        return Rejection(
            source.relpath,
            "the file is empty (0 bytes)",
            "copy it again from where it came from",
            sha256=source.sha256,
        )
    try:
        kind = sniff(source.path)
    except OSError as error:
        return Rejection(
            source.relpath, f"cannot be read ({error.strerror})", "check the file's permissions"
        )
    if kind is None:
        with source.path.open("rb") as handle:
            reason, advice = describe_unsupported(handle.read(16))
        return Rejection(
            source.relpath, reason, advice, sha256=source.sha256, category="unsupported"
        )
    try:
        reading = _read(source, kind, settings, cache)
    except FileUnreadable as problem:
        return Rejection(source.relpath, problem.reason, problem.advice, kind, source.sha256)
    except OSError as error:
        return Rejection(
            source.relpath,
            f"cannot be read ({error.strerror})",
            "check the file",
            kind,
            source.sha256,
        )
    except RecursionError:
        return Rejection(
            source.relpath,
            "the file's structure is too deeply nested to read",
            "",
            kind,
            source.sha256,
        )
    except Exception as error:  # a parser bug on a hostile file must cost one file, not the build
        logging.getLogger(__name__).debug("reader failed on %s", source.relpath, exc_info=True)
        return Rejection(
            source.relpath,
            f"could not be read ({type(error).__name__}: {str(error)[:80]})",
            "open it and save it again, or leave it out with --skip-unreadable",
            kind,
            source.sha256,
        )
    return Exhibit(
        source=source,
        kind=kind,
        content=reading.content,
        settings=settings,
        found_timestamps=reading.timestamps,
        warnings=reading.warnings,
    )


def _read(
    source: SourceFile, kind: Kind, settings: ExhibitSettings, cache: Cache | None
) -> Reading:
    """Read with the kind's reader, or take the reading from the cache when it is there.

    Pictures, emails, Outlook messages and PDFs: reading them (and loading
    their parsers) is the cost of every build and every ``dossier list``. A
    file that cannot be read is not kept: it is read again, and reported
    again, next time. Not kept either: a PDF opened with a password from the
    case file. An email's attachments are decoded to files that last as long
    as the command: the cache keeps a copy of each (up to
    ``_KEPT_ATTACHMENTS`` bytes an email), put back, checked by its SHA-256,
    when the reading is taken from the cache; an email with more is read anew.
    """
    if cache is None or not _kept(kind, settings):
        return reader_for(kind)(source, kind, settings)
    if kind.is_image:
        from dossier.readers.image import reading_as_data, reading_from_data

        return cache.remember(
            "image",
            source.sha256,
            kind.value,
            lambda: reader_for(kind)(source, kind, settings),
            reading_as_data,
            reading_from_data,
        )
    from dossier.cache import libraries_identity
    from dossier.readers.reading_data import reading_from_data, reading_to_data

    # The parsers' own versions too: a reading is what they made of the file.
    variant = f"{kind.value}\0{libraries_identity(*_PARSERS[kind])}"
    found = cache.lookup("reading", source.sha256, variant, reading_from_data)
    if found is not None:
        restored = _with_files(found[0], cache)
        if restored is not None:
            return restored
    reading = reader_for(kind)(source, kind, settings)
    try:
        data = reading_to_data(reading)
    except TypeError:  # a value the cache does not write: read again next time
        return reading
    if _keep_files(reading, cache):
        cache.store("reading", source.sha256, variant, data)
    return reading


# The most bytes of an email's attachments the cache keeps a copy of: beyond,
# the email is decoded anew at each build rather than fill the cache.
_KEPT_ATTACHMENTS = 20_000_000


def _files_of(reading: Reading) -> list[Attachment]:
    """The attachments of an email reading that were decoded to files."""
    content = reading.content
    if not isinstance(content, EmailContent):
        return []
    return [attachment for attachment in content.attachments if attachment.path is not None]


def _keep_files(reading: Reading, cache: Cache) -> bool:
    """Keep a copy of each decoded attachment; False when they are not all kept."""
    files = _files_of(reading)
    if sum(attachment.size for attachment in files) > _KEPT_ATTACHMENTS:
        return False
    return all(
        attachment.path is not None
        and cache.keep_file("attachment", attachment.sha256, attachment.path)
        for attachment in files
    )


def _with_files(reading: Reading, cache: Cache) -> Reading | None:
    """The cached reading with its attachments decoded again from the cache's copies.

    None when a copy is missing or is not the content it was (the email is then read).
    """
    import contextlib
    import dataclasses
    import hashlib

    from dossier.scratch import keep, new_file, stored_path

    files = _files_of(reading)
    if not files:
        return reading
    placed = {}
    for attachment in files:
        try:
            kept = cache.kept_file("attachment", attachment.sha256)
        except ValueError:  # an entry that is not what the cache wrote
            return None
        if kept is None:
            return None
        target = stored_path(attachment.sha256, attachment.name)
        if not target.is_file():
            written = new_file()
            digest = hashlib.sha256()
            try:
                with kept.open("rb") as source, written.open("wb") as out:
                    while block := source.read(1 << 20):
                        digest.update(block)
                        out.write(block)
            except OSError:
                written.unlink(missing_ok=True)
                return None
            if digest.hexdigest() != attachment.sha256:  # damaged: made again from the email
                written.unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    kept.unlink()
                return None
            target = keep(written, attachment.sha256, attachment.name)
        placed[id(attachment)] = target
    content = reading.content
    assert isinstance(content, EmailContent)  # _files_of found attachments
    attachments = tuple(
        dataclasses.replace(a, path=placed[id(a)]) if id(a) in placed else a
        for a in content.attachments
    )
    return dataclasses.replace(
        reading, content=dataclasses.replace(content, attachments=attachments)
    )


# The libraries whose result a reading of each kind is, beyond dossier's own code.
_PARSERS = {
    Kind.PDF: ("pypdf",),
    Kind.EMAIL: ("bs4", "dkim"),
    Kind.MSG: ("extract_msg", "olefile", "bs4"),
}


def _kept(kind: Kind, settings: ExhibitSettings) -> bool:
    """Whether the reading of a file of this kind, read with these settings, is cached."""
    if kind is Kind.PDF:
        return settings.password is None
    return kind.is_image or kind in _PARSERS
