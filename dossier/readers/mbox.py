"""Mailbox files (Unix mbox): several messages in one file, one exhibit per message.

Thunderbird and Apple Mail export folders this way, and Google Takeout
delivers mail as mbox. Each message is read like an .eml and becomes its own
exhibit; the ordering stage puts them in date order with the other evidence.

The mailbox is scanned once for where each message starts and ends; each
message is then read from the file by its offsets, so that a mailbox of
20 000 messages costs one message's memory at a time, plus its exhibits.
"""

from __future__ import annotations

from pathlib import Path

from dossier.errors import FileUnreadable
from dossier.model import Exhibit, ExhibitSettings, Kind, Rejection, SourceFile
from dossier.readers.email import read_saved
from dossier.readers.mimefile import slim_message


def read_mbox(source: SourceFile, settings: ExhibitSettings) -> list[Exhibit | Rejection]:
    """One exhibit per message of the mailbox; a message that cannot be read is a rejection.

    All the messages keep the mailbox's path and SHA-256: that is the file a
    reader of the dossier can check. The index tells them apart by subject.
    """
    spans = message_spans(source.path)
    results: list[Exhibit | Rejection] = []
    for position, (start, stop) in enumerate(spans, start=1):
        where = f"{source.relpath} (message {position} of {len(spans)})"
        try:
            reading = read_saved(slim_message(source.path, start, stop))
        except FileUnreadable as problem:
            results.append(
                Rejection(where, problem.reason, problem.advice, Kind.MBOX, source.sha256)
            )
            continue
        except Exception as error:  # one hostile message must cost that message only
            results.append(
                Rejection(
                    where,
                    f"could not be read ({type(error).__name__}: {str(error)[:80]})",
                    "save the message on its own as .eml",
                    Kind.MBOX,
                    source.sha256,
                )
            )
            continue
        results.append(
            Exhibit(
                source=source,
                kind=Kind.EMAIL,
                content=reading.content,
                settings=settings,
                found_timestamps=reading.timestamps,
                warnings=reading.warnings,
            )
        )
    return results


def message_spans(path: Path) -> list[tuple[int, int]]:
    """Where each message of a mailbox starts (its "From " line) and ends, in bytes.

    The rules of Python's ``mailbox.mbox``: a line starting with "From "
    starts a message, and the empty line before it belongs to no message.

    Raises:
        OSError: the file cannot be read.
    """
    starts: list[int] = []
    stops: list[int] = []
    last_was_empty = False
    with path.open("rb") as handle:
        position = 0
        for line in handle:
            if line.startswith(b"From "):
                if len(stops) < len(starts):
                    stops.append(position - 1 if last_was_empty else position)
                starts.append(position)
                last_was_empty = False
            else:
                last_was_empty = line == b"\n"
            position += len(line)
    if len(stops) < len(starts):
        stops.append(position - 1 if last_was_empty else position)
    return list(zip(starts, stops, strict=True))
