"""Give each exhibit its label ("Pièce n° 3") and a readable caption."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from dossier.attachments import attachment_name
from dossier.layout.style import Strings
from dossier.model import EmailContent, Exhibit, ImageContent, Kind, NoteContent, PdfContent

_SCREENSHOT_NAME = re.compile(
    r"screenshot|capture|schermafbeelding|bildschirmfoto|scherm|screen", re.IGNORECASE
)
# Titles that programs write for every document: the file name says more.
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:untitled(?:\s*document)?\s*\d*|sans\s+titre\s*\d*|naamloos|unbenannt|document\s*\d*"
    r"|doc\d+|title|enscript output|powerpoint presentation|microsoft (?:word|excel|powerpoint)"
    r"\s+-\s+.*|.*\.(?:docx?|xlsx?|pptx?|odt|ods|rtf|txt|pdf|html?))$",
    re.IGNORECASE,
)
_CAMERA_NAME = re.compile(r"^(?:IMG|PXL|DSC|DSCN|DCIM|MVIMG|P\d{7})[_-]", re.IGNORECASE)


def label_all(exhibits: Iterable[Exhibit], strings: Strings) -> tuple[Exhibit, ...]:
    """Set the label and caption of every exhibit."""
    return tuple(
        dataclasses.replace(
            e,
            label=strings.format("exhibit_label", number=e.ref),
            caption=e.settings.caption or derive_caption(e, strings),
        )
        for e in exhibits
    )


def derive_caption(exhibit: Exhibit, strings: Strings) -> str:
    """A caption from the file's kind and name, for exhibits the user did not describe."""
    content = exhibit.content
    name = exhibit.source.relpath.rsplit("/", 1)[-1]
    if exhibit.parent is not None:
        return strings.format(
            "email.attachment_caption", name=attachment_name(exhibit), number=exhibit.parent
        )
    if isinstance(content, EmailContent):
        subject = content.subject or strings["email.no_subject"]
        sender = _display_name(content.sender)
        return _kind_caption(strings, "email", subject) + (f" ({sender})" if sender else "")
    if isinstance(content, PdfContent):
        return _kind_caption(strings, "pdf", document_title(content.title) or name)
    if isinstance(content, NoteContent):
        first = next((line.strip(" #*-") for line in content.text.splitlines() if line.strip()), "")
        return _kind_caption(strings, "note", _shorten(first) or name)
    if isinstance(content, ImageContent):
        # The camera is read before the metadata is left out of the PDF.
        camera = f" ({content.camera})" if content.camera else ""
        return _kind_caption(strings, image_kind(exhibit), name + camera)
    return name


def _kind_caption(strings: Strings, kind: str, text: str) -> str:
    """A caption such as "E-mail: subject"; French ties the colon to the word before it."""
    colon = "\u00a0: " if strings.language == "fr" else ": "
    return f"{strings['kinds.' + kind]}{colon}{text}"


def document_title(title: str | None) -> str | None:
    """A PDF's title worth printing: None for a placeholder ("Untitled", "Microsoft Word - …")."""
    title = (title or "").strip()
    if not title or len(title) >= 120 or _PLACEHOLDER_TITLE.match(title):
        return None
    return title


def image_kind(exhibit: Exhibit) -> str:
    """Photo, screenshot or image: from the name and what the camera wrote."""
    name = exhibit.source.relpath.rsplit("/", 1)[-1]
    content = exhibit.content
    if _SCREENSHOT_NAME.search(name):
        return "screenshot"
    if isinstance(content, ImageContent) and content.camera:
        return "photo"
    if _CAMERA_NAME.match(name) or exhibit.kind in (Kind.JPEG, Kind.HEIF):
        return "photo"
    return "image"


def _display_name(sender: str) -> str:
    name = sender.split("<", 1)[0].strip().strip('"')
    return name or sender.strip("<> ")


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
