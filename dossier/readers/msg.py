r"""Outlook messages saved as .msg, read with extract-msg.

Outlook keeps the body as HTML, as plain text, or only as HTML wrapped in
compressed RTF; extract-msg unwraps all three. Old messages store their text
in a code page without saying which; the RTF body's ``\ansicpg`` then tells.
The message as it travelled is not kept, so DKIM body hashes cannot be
checked; the transport headers (Received, DKIM-Signature) are still shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.message
import re
from typing import Any

import extract_msg
from extract_msg.exceptions import ExMsgBaseException
from olefile.olefile import OleFileError

from dossier.errors import FileUnreadable
from dossier.i18n import M_
from dossier.model import (
    Attachment,
    Authenticity,
    BodyBlock,
    EmailContent,
    ExhibitSettings,
    ForwardedMessage,
    Kind,
    Reading,
    SourceFile,
    Timestamp,
)
from dossier.model import TimestampSource as Src
from dossier.readers.delivery import is_bounce_subject, report_from_text
from dossier.readers.dkim_check import check_authenticity
from dossier.readers.email import (
    EmailHeaders,
    EmailParts,
    finish_email,
    make_attachment,
    undo_mojibake,
)
from dossier.readers.emailbody import html_blocks, text_blocks
from dossier.readers.library_warnings import library_warnings
from dossier.readers.textdecode import decode_text

_MAX_DEPTH = 5
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""")
_ANSI_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


def read_msg(source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
    """Read an Outlook message: headers, body, attachments, transport headers.

    Raises:
        FileUnreadable: the file is not an Outlook message, or is damaged.
    """
    notes: list[str] = []
    message = _open(source, notes)
    try:
        if not notes or not any("Encoding property not found" in n for n in notes):
            return _reading(message, notes, 0)
        # No code page recorded: the RTF body names the one the text was written in.
        code_page = _rtf_code_page(message)
    finally:
        message.close()
    notes = [n for n in notes if "Encoding property not found" not in n]
    message = _open(source, [], f"cp{code_page}" if code_page else None)
    try:
        return _reading(message, notes, 0)
    finally:
        message.close()


def _open(source: SourceFile, notes: list[str], encoding: str | None = None) -> Any:
    with library_warnings(notes, "extract_msg", "olefile", "RTFDE"):
        try:
            return extract_msg.openMsg(str(source.path), strict=False, overrideEncoding=encoding)
        except (OleFileError, ExMsgBaseException, OSError, ValueError) as error:
            raise FileUnreadable(
                f"the Outlook message is damaged or incomplete ({str(error)[:80]})",
                "save the message again from Outlook, or save it as .eml",
            ) from None


def _rtf_code_page(message: Any) -> int | None:
    try:
        rtf = message.rtfBody
    except Exception:  # a damaged RTF stream: no hint
        return None
    match = _ANSI_CODE_PAGE.search(rtf or b"")
    return int(match[1]) if match else None


def _reading(message: Any, notes: list[str], depth: int) -> Reading:
    content, stamps = _content(message, notes, depth)
    return Reading(content=content, timestamps=tuple(stamps), warnings=tuple(notes))


def _content(message: Any, notes: list[str], depth: int) -> tuple[EmailContent, list[Timestamp]]:
    """The message's content and dates; a message attached to it is read at ``depth + 1``."""
    stamps, date_text = _sent(message, notes)
    subject = _text(_get(message, "subject") or "")
    # Outlook's non-delivery reports: class REPORT.IPM.Note.NDR, "Undeliverable: …".
    bounce = "NDR" in str(_get(message, "classType") or "").upper() or is_bounce_subject(subject)
    items = _items(message, depth, bounce)
    blocks, used, html = _body(message, items.images, notes)
    blocks += [
        BodyBlock("image", image=data) for cid, data in items.images.items() if cid not in used
    ]
    if items.blocks_after:
        blocks += [BodyBlock("rule"), *items.blocks_after]
    content = finish_email(
        EmailHeaders(
            sender=_text(_get(message, "sender") or ""),
            to=_text(_get(message, "to") or ""),
            cc=_text(_get(message, "cc") or ""),
            date_header=date_text,
            subject=subject,
            message_id=_text(_get(message, "messageId") or ""),
        ),
        EmailParts(blocks, items.attachments, items.forwarded, html),
        _authenticity(message, items.attachments),
        stamps,
        report_from_text if bounce else None,
    )
    return content, stamps


def _sent(message: Any, notes: list[str]) -> tuple[list[Timestamp], str]:
    """The time the message was sent (as a date and as the header's text), or a note."""
    sent = _get(message, "date")
    if not isinstance(sent, dt.datetime):
        notes.append(M_("the message has no sent or received time (an unsent draft?)"))
        return [], ""
    sent = sent if sent.tzinfo is not None else sent.replace(tzinfo=dt.UTC)
    return [Timestamp(sent, Src.EMAIL_HEADER, "Date")], sent.strftime("%a, %d %b %Y %H:%M:%S %z")


@dataclasses.dataclass(frozen=True, slots=True)
class _Items:
    """The attachments of an Outlook message, sorted by what the page does with them."""

    # Pictures by content ID, for the HTML body that shows them.
    images: dict[str, bytes]
    attachments: list[Attachment]
    # The messages attached whole: their header box and body, after the message's own.
    blocks_after: list[BodyBlock]
    forwarded: list[ForwardedMessage]


def _items(message: Any, depth: int, bounce: bool) -> _Items:
    items = _Items({}, [], [], [])
    for number, item in enumerate(_get(message, "attachments") or [], start=1):
        data = _get(item, "data")
        if isinstance(data, bytes):
            _add_file(items, item, data, number)
        elif data is not None and depth < _MAX_DEPTH:
            _add_message(items, data, depth, bounce)
    return items


def _add_file(items: _Items, item: Any, data: bytes, number: int) -> None:
    name = _text(_get(item, "longFilename") or _get(item, "shortFilename") or "")
    cid = _text(_get(item, "contentId") or _get(item, "cid") or "").strip("<>")
    mime = _text(_get(item, "mimetype") or "application/octet-stream")
    if cid and mime.startswith("image/"):
        items.images[cid] = data
        if _get(item, "hidden"):
            return
    items.attachments.append(make_attachment(name or f"part-{number}", mime, data))


def _add_message(items: _Items, attached: Any, depth: int, bounce: bool) -> None:
    """A message attached whole: a box of its headers, its body, its attachments."""
    inner, inner_stamps = _content(attached, [], depth + 1)
    rows = [("From:", inner.sender), ("Date:", inner.date_header)]
    rows += [("Subject:", inner.subject), ("To:", inner.to)]
    kind = "returned" if bounce else "forwarded"
    items.blocks_after.append(BodyBlock(kind, rows=tuple(r for r in rows if r[1])))
    items.blocks_after.extend(inner.blocks)
    items.attachments.extend(inner.attachments)
    when = inner_stamps[0].value if inner_stamps else None
    items.forwarded.append(
        ForwardedMessage(inner.sender, inner.date_header, inner.subject, when, not bounce)
    )


def _authenticity(message: Any, attachments: list[Attachment]) -> Authenticity:
    """What can be said of the message's origin: never checkable as sent (the .msg is a copy)."""
    headers = _get(message, "header")
    authenticity = (
        check_authenticity(None, headers)
        if isinstance(headers, email.message.Message)
        else Authenticity()
    )
    signed = "SMIME" in str(_get(message, "classType") or "").upper() or any(
        a.content_type in ("application/pkcs7-signature", "application/x-pkcs7-signature")
        for a in attachments
    )
    return dataclasses.replace(authenticity, smime=signed, as_sent=False)


def _body(
    message: Any, images: dict[str, bytes], notes: list[str]
) -> tuple[list[BodyBlock], set[str], bool]:
    html = _get(message, "htmlBody")
    if isinstance(html, bytes) and html.strip():
        declared = _CHARSET.search(html[:4096])
        text, note = decode_text(html, declared[1].decode() if declared else None)
        if note:
            notes.append(note)
        blocks, used = html_blocks(text, images)
        if blocks:
            return blocks, used, True
    plain = _get(message, "body") or ""
    if isinstance(plain, bytes):
        plain = decode_text(plain)[0]
    return text_blocks(str(plain).replace("\x00", "")), set(), False


def _get(obj: Any, name: str) -> Any:
    """An extract-msg property; a damaged stream reads as missing, never as a crash."""
    try:
        return getattr(obj, name, None)
    except Exception:
        return None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = decode_text(value)[0]
    return undo_mojibake(" ".join(str(value).replace("\x00", "").split()))
