"""Plain text and Markdown notes written by the user."""

from __future__ import annotations

from dossier.errors import FileUnreadable
from dossier.model import ExhibitSettings, Kind, NoteContent, Reading, SourceFile
from dossier.readers.textdecode import decode_text


def read_note(source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
    """Read a note as text.

    Raises:
        FileUnreadable: the note is empty.
    """
    text, note = decode_text(source.path.read_bytes())
    if not text.strip():
        raise FileUnreadable("the note is empty", "write something in it or remove it")
    return Reading(content=NoteContent(text=text), warnings=(note,) if note else ())
