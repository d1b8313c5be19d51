"""Email messages saved as .eml (RFC 5322 / MIME); also each message of an mbox.

The body shown is the HTML part when there is one (what the reader saw in
their mail program), else the text part. Pictures the HTML draws from the
message itself (``cid:``) are kept; attachments are listed, and images and
PDFs among them become exhibits of their own ("3a") later in the pipeline.
Damaged MIME is shown as far as it can be read, with a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.header
import email.utils
import functools
import hashlib
import mimetypes
import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from typing import cast

from dossier.errors import FileUnreadable
from dossier.i18n import M_, TechnicalDetail
from dossier.model import (
    Attachment,
    Authenticity,
    BodyBlock,
    DeliveryReport,
    EmailContent,
    ExhibitSettings,
    ForwardedMessage,
    Kind,
    Reading,
    SourceFile,
    Timestamp,
)
from dossier.model import TimestampSource as Src
from dossier.readers.delivery import failure_timestamp, is_bounce, read_report
from dossier.readers.dkim_check import check_authenticity
from dossier.readers.emailbody import blocks_text, html_blocks, text_blocks
from dossier.readers.forwarded import find_forwarded
from dossier.readers.mimefile import (
    SlimMessage,
    decode_part,
    read_part,
    saved_bytes,
    slim_message,
)
from dossier.readers.textdecode import decode_text, repair_surrogates
from dossier.scratch import keep, new_file, store_bytes

_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")
# A forwarded message inside a forwarded message inside…: enough is enough.
_MAX_DEPTH = 5
_SMIME_SIGNATURES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature"})


class _RememberingPolicy(EmailPolicy):
    """The standard library's default policy, parsing each distinct header value once.

    The parser parses a header again on every read of it, and reading a
    message asks for each part's Content-Type a dozen times: for a mailbox
    of thousands of messages, most of the time went there. A parsed header
    is an immutable string, so the same one can be handed out again.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        if hasattr(value, "name"):
            return value  # already parsed
        return _parsed_header(self, name, value)


@functools.lru_cache(maxsize=256)
def _parsed_header(policy: EmailPolicy, name: str, value: str) -> str:
    parsed: str = EmailPolicy.header_fetch_parse(policy, name, value)
    return parsed


POLICY = _RememberingPolicy()


def read_email(source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
    """Read the headers, body, attachments and signatures of an email.

    Raises:
        FileUnreadable: the file holds no email headers.
    """
    return read_saved(slim_message(source.path))


def read_message_bytes(data: bytes) -> Reading:
    """Read one message from its bytes as saved.

    Raises:
        FileUnreadable: the bytes hold no email headers.
    """
    return read_saved(saved_bytes(data))


def read_saved(saved: SlimMessage) -> Reading:
    """Read one message of a file, its large parts left on disk.

    Raises:
        FileUnreadable: the bytes hold no email headers.
    """
    # The policy makes EmailMessage objects (the stubs only know that of policy.default).
    message = cast(EmailMessage, BytesParser(policy=POLICY).parsebytes(saved.data))
    if not any(name in message for name in _KNOWN_HEADERS):
        raise FileUnreadable(
            "no email headers found (From, To, Date, Subject)",
            "save the message again from your mail program as .eml",
        )
    return read_message(message, saved)


def read_message(message: EmailMessage, saved: SlimMessage | None, depth: int = 0) -> Reading:
    """Read a parsed message of ``saved`` (None: no file behind it, as for a .msg).

    The saved bytes let DKIM body hashes be checked and damaged headers be
    decoded again; its large parts are read from the file.
    """
    raw = saved.data if saved is not None and depth == 0 else None
    notes: list[str] = []
    date_header = header(message, "Date", raw)
    subject = header(message, "Subject", raw)
    bounce = is_bounce(message, subject, header(message, "From", raw))
    stamps: list[Timestamp] = []
    if date_header:
        sent = parse_date_header(date_header)
        if sent is None:
            notes.append(M_("the Date header {value!r} cannot be read", value=date_header))
        else:
            stamps.append(Timestamp(sent, Src.EMAIL_HEADER, "Date"))
    else:
        notes.append(M_("the message has no Date header"))
    defects = sorted({type(d).__name__ for part in _walk(message) for d in part.defects})
    if defects:
        notes.append(
            M_(
                "the message is not well-formed MIME{defects}; shown as far as it could be read",
                # The parser's names of the faults: English only.
                defects=TechnicalDetail(f" ({', '.join(defects[:3])})"),
            )
        )
    parts = _MimeParts(message, notes, depth, bounce, saved)
    content = finish_email(
        EmailHeaders(
            sender=header(message, "From", raw),
            to=header(message, "To", raw),
            cc=header(message, "Cc", raw),
            date_header=date_header,
            subject=subject,
            message_id=header(message, "Message-ID", raw),
        ),
        EmailParts(parts.blocks, parts.attachments, parts.forwarded, parts.html),
        dataclasses.replace(
            check_authenticity(saved.blocks if raw is not None and saved else None, message),
            smime=parts.smime,
        ),
        stamps,
        (lambda text: read_report(message, text)) if bounce else None,
    )
    return Reading(content=content, timestamps=tuple(stamps), warnings=tuple(notes))


@dataclasses.dataclass(frozen=True, slots=True)
class EmailHeaders:
    """The header fields an email exhibit shows, as readable text."""

    sender: str
    to: str
    cc: str
    date_header: str
    subject: str
    message_id: str


@dataclasses.dataclass(frozen=True, slots=True)
class EmailParts:
    """What a reader found in an email's body and parts, before forwards are looked for."""

    blocks: list[BodyBlock]
    attachments: list[Attachment]
    # Messages attached whole (message/rfc822, an Outlook item), in order.
    forwarded: list[ForwardedMessage]
    html: bool


def finish_email(
    headers: EmailHeaders,
    parts: EmailParts,
    authenticity: Authenticity,
    stamps: list[Timestamp],
    bounce_report: Callable[[str], DeliveryReport] | None,
) -> EmailContent:
    """The email exhibit's content, the same way for every kind of email file.

    Forwarded headers are looked for in the body; a bounce (``bounce_report``
    reads its delivery report from the body's text) is dated by its failure,
    never by the message it returns; a forwarded original's date comes first
    in ``stamps``, which this completes.
    """
    blocks, forwarded = find_forwarded(parts.blocks, headers.subject)
    forwarded += parts.forwarded
    delivery = None
    if bounce_report is not None:
        forwarded = [dataclasses.replace(f, forwarded=False) for f in forwarded]
        delivery = bounce_report(blocks_text(blocks))
        failed = failure_timestamp(delivery)
        if not stamps and failed is not None:
            stamps.append(failed)
    original = next((f for f in forwarded if f.date is not None and f.forwarded), None)
    if original is not None and original.date is not None:
        # The original's date is what the evidence is about; the forwarding
        # date stays on the page and as a weaker source.
        stamps.insert(0, Timestamp(original.date, Src.FORWARDED_EMAIL, "forwarded message Date"))
    return EmailContent(
        sender=headers.sender,
        to=headers.to,
        cc=headers.cc,
        date_header=headers.date_header,
        subject=headers.subject,
        message_id=headers.message_id,
        body=blocks_text(blocks),
        blocks=tuple(blocks),
        attachments=tuple(parts.attachments),
        forwarded=tuple(forwarded),
        authenticity=authenticity,
        html=parts.html,
        delivery=delivery,
    )


def header(message: Message, name: str, raw: bytes | None = None) -> str:
    """A header as readable text; damaged encodings are repaired, never fatal.

    With ``raw`` (the message's bytes), a header the parser could only decode
    with replacement characters is decoded again from its bytes: raw 8-bit
    windows-1252, or a multibyte character split across two encoded-words.
    """
    try:
        value = message.get(name)
    except Exception:  # the header parser chokes on some malformed values
        # get_all() runs the same parser; raw_items() gives the unparsed text.
        found = [v for k, v in message.raw_items() if k.lower() == name.lower()]
        value = str(found[0]) if found else None
    if value is None:
        return ""
    text = " ".join(repair_surrogates(str(value)).split())
    if "\ufffd" in text and raw is not None:
        text = _decode_raw_header(raw, name) or text
    return undo_mojibake(text)


def _decode_raw_header(raw: bytes, name: str) -> str | None:
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    pattern = rb"(?im)^" + re.escape(name.encode()) + rb"[ \t]*:(.*(?:\r?\n[ \t].*)*)"
    match = re.search(pattern, head)
    if match is None:
        return None
    folded = re.sub(rb"\r?\n(?=[ \t])", b"", match[1]).strip()
    try:
        chunks = email.header.decode_header(folded.decode("latin-1"))
    except (ValueError, LookupError):
        return None
    parts = []
    for chunk, charset in chunks:
        data = chunk.encode("latin-1") if isinstance(chunk, str) else chunk
        parts.append(decode_text(data, charset)[0])
    return " ".join("".join(parts).split())


def undo_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as windows-1252 or Latin-1 ("Ã©" back to "é")."""
    if not any("\u00c2" <= char <= "\u00f4" for char in text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(repaired) < len(text):
            return repaired
    return text


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


def make_attachment(name: str, content_type: str, data: bytes) -> Attachment:
    """An attachment given as bytes, kept on disk with its size and SHA-256."""
    if not data:
        return Attachment(name, content_type, 0, hashlib.sha256(data).hexdigest(), None)
    path, digest = store_bytes(data, name)
    return Attachment(name, content_type, len(data), digest, path)


def _decoded_attachment(saved: SlimMessage, token: str, name: str, kind: str) -> Attachment:
    """A large attachment decoded from the file to disk in blocks."""
    written = new_file()
    try:
        decoded = decode_part(saved, token, written)
    except BaseException:
        written.unlink(missing_ok=True)
        raise
    if not decoded.size:
        written.unlink(missing_ok=True)
        return Attachment(name, kind, 0, decoded.sha256, None)
    return Attachment(name, kind, decoded.size, decoded.sha256, keep(written, decoded.sha256, name))


def _walk(message: Message) -> Iterator[Message]:
    try:
        yield from message.walk()
    except Exception:  # a damaged tree: report what was reached
        return


class _MimeParts:
    """Sorts the parts of a message: body, inline pictures, attachments, forwarded messages."""

    def __init__(
        self,
        message: EmailMessage,
        notes: list[str],
        depth: int,
        bounce: bool = False,
        saved: SlimMessage | None = None,
    ) -> None:
        self.saved = saved
        self.notes = notes
        self.depth = depth
        # In a bounce, an attached message is the one returned, not a forward.
        self.bounce = bounce
        self.blocks: list[BodyBlock] = []
        self.attachments: list[Attachment] = []
        self.forwarded: list[ForwardedMessage] = []
        self.html = False
        self.smime = False
        # Content-IDs the HTML refers to: pictures of the body, never attachments.
        self.referenced: set[str] = set()
        leaves = list(_leaves(message, ()))
        body = _body_part(message, leaves)
        alternative = None
        if body is not None:
            chain = next((a for p, a in leaves if p is body), ())
            alternative = next(
                (a for a in reversed(chain) if a.get_content_type() == "multipart/alternative"),
                None,
            )
        pictures = {
            _content_id(part): part
            for part, _ in leaves
            if part.get_content_maintype() == "image" and _content_id(part)
        }
        images = {cid: self._payload(part) for cid, part in pictures.items()}
        used: set[str] = set()
        sequence, shown = _body_sequence(body, leaves) if body is not None else ([], [])
        if len(sequence) > 1:
            # A body in several parts (text, an attachment, more text): all of it, in order.
            used = self._read_sequence(sequence, images)
        elif body is not None:
            used = self._read_body(body, images, leaves, alternative)
        for number, (part, chain) in enumerate(leaves, start=1):
            if len(sequence) > 1 and any(part is s for s in shown):
                continue
            in_alternative = alternative is not None and any(a is alternative for a in chain)
            self._sort(part, number, in_alternative, body, used)

    def _read_sequence(self, parts: list[Message], images: dict[str, bytes]) -> set[str]:
        used: set[str] = set()
        for part in parts:
            text = self._text(part)
            if part.get_content_subtype() == "html":
                lowered = text.lower()
                self.referenced |= {cid for cid in images if f"cid:{cid.lower()}" in lowered}
                blocks, drawn = html_blocks(text, images)
                used |= drawn
                self.html = self.html or bool(blocks)
                self.blocks += blocks
            else:
                self.blocks += text_blocks(text)
        return used

    def _read_body(
        self,
        body: Message,
        images: dict[str, bytes],
        leaves: list[tuple[Message, tuple[Message, ...]]],
        alternative: Message | None,
    ) -> set[str]:
        text = self._text(body)
        if body.get_content_subtype() == "html":
            lowered = text.lower()
            self.referenced = {cid for cid in images if f"cid:{cid.lower()}" in lowered}
            blocks, used = html_blocks(text, images)
            if blocks:
                self.blocks += blocks
                self.html = True
                return used
            # An empty HTML part: the text alternative, if any, says it.
            plain = next(
                (
                    p
                    for p, chain in leaves
                    if p.get_content_type() == "text/plain"
                    and alternative is not None
                    and any(a is alternative for a in chain)
                ),
                None,
            )
            text = self._text(plain) if plain is not None else ""
        self.blocks += text_blocks(text)
        return set()

    def _sort(
        self,
        part: Message,
        number: int,
        in_alternative: bool,
        body: Message | None,
        used: set[str],
    ) -> None:
        if part is body:
            return
        kind = part.get_content_type()
        name = _filename(part)
        attached = part.get_content_disposition() == "attachment" or bool(name)
        if kind == "message/rfc822":
            self._forwarded(part)
            return
        if kind == "message/delivery-status" and self.bounce:
            return  # shown in the delivery-status box
        if kind == "text/rfc822-headers" and self.bounce:
            self._returned_headers(part)
            return
        if kind in ("message/delivery-status", "text/rfc822-headers"):
            self._appended(self._delivery_text(part))
            return
        cid = _content_id(part)
        if part.get_content_maintype() == "image" and cid:
            if cid in used:
                return
            if cid in self.referenced or not attached:
                # Drawn inside a table cell in the mail: shown after the body.
                self.blocks.append(BodyBlock("image", image=self._payload(part)))
                return
        if part.get_content_maintype() == "text" and not attached:
            if in_alternative:
                return  # another rendering of the body
            text = self._text(part)
            if part.get_content_subtype() == "html":
                self._appended(html_blocks(text, {})[0])
            else:
                self._appended(text_blocks(text))
            return
        if part.get_content_maintype() == "multipart":
            return  # an empty multipart: nothing to show
        if kind in _SMIME_SIGNATURES:
            self.smime = True
        if not name:
            extension = mimetypes.guess_extension(kind) or ".bin"
            name = f"part-{number}{extension}"
        token = self._token(part)
        if token is not None and self.saved is not None:
            self.attachments.append(_decoded_attachment(self.saved, token, name, kind))
        else:
            self.attachments.append(make_attachment(name, kind, _payload(part)))

    def _token(self, part: Message) -> str | None:
        """The token standing for the part's body when it was left in the file."""
        if self.saved is None or not self.saved.parts or part.is_multipart():
            return None
        body = part.get_payload()
        return body if isinstance(body, str) and body in self.saved.parts else None

    def _payload(self, part: Message) -> bytes:
        """The decoded body of a part, read from the file when it was left there."""
        token = self._token(part)
        if token is not None and self.saved is not None:
            return read_part(self.saved, token)
        return _payload(part)

    def _forwarded(self, part: Message) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, EmailMessage) or self.depth >= _MAX_DEPTH:
            return
        reading = read_message(inner, self.saved, self.depth + 1)
        content = reading.content
        assert isinstance(content, EmailContent)
        rows = [
            ("From:", content.sender),
            ("Date:", content.date_header),
            ("Subject:", content.subject),
            ("To:", content.to),
        ]
        kind = "returned" if self.bounce else "forwarded"
        self.blocks.append(BodyBlock(kind, rows=tuple(r for r in rows if r[1])))
        self.blocks += content.blocks
        self.attachments += content.attachments
        date = parse_date_header(content.date_header) if content.date_header else None
        self.forwarded.append(
            ForwardedMessage(content.sender, content.date_header, content.subject, date)
        )
        self.forwarded += content.forwarded

    def _returned_headers(self, part: Message) -> None:
        """The headers of the message a bounce returns (its body left out), as a box."""
        headers = BytesParser(policy=POLICY).parsebytes(self._payload(part), headersonly=True)
        names = (("From:", "From"), ("Date:", "Date"), ("Subject:", "Subject"), ("To:", "To"))
        rows = tuple((label, header(headers, name)) for label, name in names)
        rows = tuple(row for row in rows if row[1])
        if rows:
            self.blocks.append(BodyBlock("returned", rows=rows))

    def _appended(self, blocks: list[BodyBlock]) -> None:
        if blocks:
            if self.blocks:
                self.blocks.append(BodyBlock("rule"))
            self.blocks += blocks

    def _delivery_text(self, part: Message) -> list[BodyBlock]:
        payload = part.get_payload()
        if isinstance(payload, list):
            groups = [
                "\n".join(f"{k}: {' '.join(str(v).split())}" for k, v in group.items())
                for group in payload
                if isinstance(group, Message)
            ]
            return [BodyBlock("pre", text) for text in groups if text]
        return text_blocks(self._text(part))

    def _text(self, part: Message) -> str:
        data = self._payload(part)
        charset = part.get_content_charset()
        text, note = decode_text(data, charset)
        if note:
            self.notes.append(note)
        return text


def _leaves(
    part: Message, chain: tuple[Message, ...]
) -> Iterator[tuple[Message, tuple[Message, ...]]]:
    """Every part that is not a container, with its containers; a forwarded message is a leaf."""
    kind = part.get_content_type()
    if kind in ("message/rfc822", "message/delivery-status"):
        yield part, chain
        return
    if part.is_multipart():
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    yield from _leaves(sub, (*chain, part))
        return
    yield part, chain


def _body_sequence(
    body: Message, leaves: list[tuple[Message, tuple[Message, ...]]]
) -> tuple[list[Message], list[Message]]:
    """The text parts of a body sent in several parts, in order, and every text part they cover.

    Some mailers (Apple Mail with a picture in the middle) send the body as
    a multipart/mixed of text, attachment, text: each child that is text
    (or an alternative of texts: its HTML, else its plain text) is a piece
    of the body, unless it is marked as an attachment.
    """
    chain = next((c for p, c in leaves if p is body), ())
    container = next(
        (c for c in reversed(chain) if c.get_content_type() == "multipart/mixed"), None
    )
    if container is None:
        return [], []
    groups: dict[int, list[Message]] = {}
    heads: dict[int, Message] = {}
    for part, part_chain in leaves:
        if not any(c is container for c in part_chain):
            continue
        depth = next(i for i, c in enumerate(part_chain) if c is container)
        head = part_chain[depth + 1] if depth + 1 < len(part_chain) else part
        heads[id(head)] = head
        groups.setdefault(id(head), []).append(part)
    sequence: list[Message] = []
    shown: list[Message] = []
    for key, parts in groups.items():
        texts = [
            p
            for p in parts
            if p.get_content_type() in ("text/plain", "text/html") and _is_inline_text(p)
        ]
        head = heads[key]
        if head.get_content_type() not in ("multipart/alternative", "text/plain", "text/html"):
            continue
        if not texts:
            continue
        html = [p for p in texts if p.get_content_subtype() == "html"]
        sequence.append(html[0] if html else texts[0])
        shown += texts
    return sequence, shown


def _is_inline_text(part: Message) -> bool:
    """Not an attachment: no "attachment" disposition, and a file name only when said inline."""
    disposition = part.get_content_disposition()
    return disposition == "inline" or (disposition is None and not _filename(part))


def _body_part(
    message: EmailMessage, leaves: list[tuple[Message, tuple[Message, ...]]]
) -> Message | None:
    try:
        body = message.get_body(preferencelist=("html", "plain"))
    except Exception:  # malformed MIME trees
        body = None
    if body is not None and body.get_content_maintype() == "text":
        return body
    return next(
        (
            part
            for part, _ in leaves
            if part.get_content_type() in ("text/html", "text/plain")
            and part.get_content_disposition() != "attachment"
            and not _filename(part)
        ),
        None,
    )


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # bogus transfer encoding
        return b""
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # a damaged RFC 2231 parameter
        return ""
    return undo_mojibake(repair_surrogates(" ".join(name.split()))) if name else ""


def _content_id(part: Message) -> str:
    value = part.get("Content-ID")
    return str(value).strip().strip("<>").strip() if value else ""
