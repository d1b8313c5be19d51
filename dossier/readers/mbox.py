"""Mailbox files (Unix mbox): several messages in one file, one exhibit per message.

Thunderbird and Apple Mail export folders this way, and Google Takeout
delivers mail as mbox. Each message is read like an .eml and becomes its own
exhibit; the ordering stage puts them in date order with the other evidence.
"""

from __future__ import annotations

import mailbox

from dossier.errors import FileUnreadable
from dossier.model import Exhibit, ExhibitSettings, Kind, Rejection, SourceFile
from dossier.readers.email import read_message_bytes


def read_mbox(source: SourceFile, settings: ExhibitSettings) -> list[Exhibit | Rejection]:
    """One exhibit per message of the mailbox; a message that cannot be read is a rejection.

    All the messages keep the mailbox's path and SHA-256: that is the file a
    reader of the dossier can check. The index tells them apart by subject.
    """
    box = mailbox.mbox(source.path, create=False)
    results: list[Exhibit | Rejection] = []
    try:
        keys = list(box.keys())
        for position, key in enumerate(keys, start=1):
            data = box.get_bytes(key)
            where = f"{source.relpath} (message {position} of {len(keys)})"
            try:
                reading = read_message_bytes(data)
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
    finally:
        box.close()
    return results
