"""Email messages saved as .eml (RFC 5322 / MIME)."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from html.parser import HTMLParser

from dossier.errors import FileUnreadable
from dossier.model import EmailContent, ExhibitSettings, Kind, Reading, SourceFile, Timestamp
from dossier.model import TimestampSource as Src
from dossier.textdecode import decode_text, repair_surrogates

_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")


def read_email(source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
    """Read the headers and the text body of an email.

    Raises:
        FileUnreadable: the file holds no email headers.
    """
    data = source.path.read_bytes()
    if data.startswith(b"From ") and b"\n" in data:
        data = data.split(b"\n", 1)[1]  # an mbox separator line, not a header
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not any(name in message for name in _KNOWN_HEADERS):
        raise FileUnreadable(
            "no email headers found (From, To, Date, Subject)",
            "save the message again from your mail program as .eml",
        )
    notes: list[str] = []
    date_header = header(message, "Date")
    stamps: list[Timestamp] = []
    if date_header:
        sent = parse_date_header(date_header)
        if sent is None:
            notes.append(f"the Date header {date_header!r} cannot be read")
        else:
            stamps.append(Timestamp(sent, Src.EMAIL_HEADER, "Date"))
    else:
        notes.append("the message has no Date header")
    if message.defects:
        notes.append("the message is not well-formed MIME; shown as far as it could be read")
    body = _body_text(message, notes)
    content = EmailContent(
        sender=header(message, "From"),
        to=header(message, "To"),
        cc=header(message, "Cc"),
        date_header=date_header,
        subject=header(message, "Subject"),
        message_id=header(message, "Message-ID"),
        body=body,
    )
    return Reading(content=content, timestamps=tuple(stamps), warnings=tuple(notes))


def header(message: Message, name: str) -> str:
    """A header as readable text; damaged encodings are repaired, never fatal."""
    try:
        value = message.get(name)
    except Exception:  # the header parser chokes on some malformed values
        value = None
        raw = message.get_all(name, failobj=[]) if hasattr(message, "get_all") else []
        value = str(raw[0]) if raw else None
    if value is None:
        return ""
    return " ".join(repair_surrogates(str(value)).split())


def parse_date_header(text: str) -> dt.datetime | None:
    """Parse an RFC 5322 date; None when it cannot be understood."""
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        # "-0000" means UTC with no information about the sender's zone.
        value = value.replace(tzinfo=dt.UTC)
    return value


def _body_text(message: EmailMessage, notes: list[str]) -> str:
    part = None
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # malformed MIME trees
        part = None
    text = ""
    if part is not None:
        text = _part_text(part, notes)
        if part.get_content_subtype() == "html":
            text = html_to_text(text)
    attachments = _attachment_lines(message)
    if attachments:
        text = text.rstrip() + "\n\n" + "\n".join(attachments)
    return text.strip()


def _part_text(part: Message, notes: list[str]) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text, note = decode_text(payload, part.get_content_charset())
    if note:
        notes.append(note)
    return text


def _attachment_lines(message: EmailMessage) -> list[str]:
    lines = []
    try:
        attachments = list(message.iter_attachments())
    except Exception:
        return ["[attachments could not be listed: the MIME structure is damaged]"]
    for part in attachments:
        name = part.get_filename() or part.get_content_type()
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        lines.append(f"[attachment: {repair_surrogates(name)}, {size:,} bytes]")
    return lines


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "section"})
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("  ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The visible text of an HTML body, one block per line."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [" ".join(line.split()) for line in "".join(extractor.parts).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
