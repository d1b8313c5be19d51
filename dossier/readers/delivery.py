"""Delivery-status notifications (bounces): what failed, and when.

A bounce is not a forward: the message it returns is the one that failed,
and the evidence is the failure. It is told by its MIME type
(``multipart/report; report-type=delivery-status``, RFC 3464), by a
``message/delivery-status`` part, or by the subjects and senders mail
servers use ("Undelivered Mail Returned to Sender", "Delivery Status
Notification (Failure)", Outlook's "Undeliverable:", "Non remis :",
"Onbestelbaar:", "Unzustellbar:", MAILER-DAEMON, postmaster). Its status
(action, status code, diagnostic) comes from the status part, or, for
servers that write only text (Exchange), from the status code in the text.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable, Sequence
from email.message import Message

from dossier.model import DeliveryRecipient, DeliveryReport, Timestamp
from dossier.model import TimestampSource as Src

_SUBJECT = re.compile(
    r"^\s*(?:"
    r"undeliver(?:ed|able)|delivery (?:status notification|failure|has failed)"
    r"|mail delivery (?:failed|failure|system)|returned mail|failure notice"
    r"|non remis|non distribuable|échec de (?:la )?remise|message non délivré"
    r"|onbestelbaar|niet bezorgd|onbestelbaar bericht"
    r"|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen"
    r")",
    re.IGNORECASE,
)
_DAEMON = re.compile(r"(?i)\b(?:mailer-daemon|postmaster|mail delivery (?:subsystem|system))\b")
# "550 5.1.1", "#5.1.1 smtp;550", "Status: 4.2.2": an RFC 3463 status code in the text.
_STATUS_CODE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_DIAGNOSTIC = re.compile(
    r"(?im)^.*(?:\b[45]\d\d\b[ -]+[245]\.\d{1,3}\.\d{1,3}|remote server returned|"
    r"diagnostic|said:).*$"
)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def is_bounce(message: Message, subject: str, sender: str) -> bool:
    """Whether a message is a delivery-status notification rather than a message of a person."""
    report = message.get_content_type() == "multipart/report" and (
        str(message.get_param("report-type") or "").lower() == "delivery-status"
    )
    has_status = any(p.get_content_type() == "message/delivery-status" for p in _walk(message))
    return report or has_status or bool(_SUBJECT.match(subject) and _DAEMON.search(sender))


def is_bounce_subject(subject: str) -> bool:
    """Whether a subject is one mail servers give their bounces (Outlook's "Undeliverable:")."""
    return bool(_SUBJECT.match(subject))


def read_report(message: Message, text: str) -> DeliveryReport:
    """The status of a bounce: from its delivery-status part, else from its text."""
    status_part = next(
        (p for p in _walk(message) if p.get_content_type() == "message/delivery-status"), None
    )
    if status_part is not None:
        groups = [g for g in _groups(status_part) if g]
        if groups:
            return report_from_fields(groups)
    return report_from_text(text)


def report_from_fields(groups: Sequence[Sequence[tuple[str, str]]]) -> DeliveryReport:
    """A report from the field groups of a delivery-status part (per message, per recipient)."""
    first = {name.lower(): value for name, value in groups[0]}
    recipients = []
    for group in groups[1:] if len(groups) > 1 else groups:
        fields = {name.lower(): value for name, value in group}
        recipient = fields.get("final-recipient") or fields.get("original-recipient") or ""
        if not recipient and not fields.get("action"):
            continue
        recipients.append(
            DeliveryRecipient(
                recipient=_without_type(recipient),
                action=fields.get("action", "").lower(),
                status=fields.get("status", ""),
                diagnostic=_without_type(fields.get("diagnostic-code", "")),
                remote_mta=_without_type(fields.get("remote-mta", "")),
                last_attempt=fields.get("last-attempt-date", ""),
            )
        )
    return DeliveryReport(
        reporting_mta=_without_type(first.get("reporting-mta", "")),
        arrival_date=first.get("arrival-date", ""),
        recipients=tuple(recipients),
    )


def report_from_text(text: str) -> DeliveryReport:
    """A report read from a bounce's text alone: its status code, the line giving it, the address.

    Without a status code nothing is claimed: the action stays empty ("not sure").
    """
    code = _STATUS_CODE.search(text)
    if code is None:
        return DeliveryReport()
    diagnostic = _DIAGNOSTIC.search(text)
    address = _ADDRESS.search(text)
    action = {"5": "failed", "4": "delayed", "2": "delivered"}[code[1]]
    recipient = DeliveryRecipient(
        recipient=address.group(0) if address else "",
        action=action,
        status=code.group(0),
        diagnostic=" ".join(diagnostic.group(0).split())[:300] if diagnostic else "",
    )
    return DeliveryReport(recipients=(recipient,), from_text=True)


def failure_timestamp(report: DeliveryReport) -> Timestamp | None:
    """When delivery failed, from the status part: the last attempt, else the arrival."""
    for recipient in report.recipients:
        when = _date(recipient.last_attempt)
        if when is not None:
            return Timestamp(when, Src.EMAIL_HEADER, "Last-Attempt-Date")
    when = _date(report.arrival_date)
    return Timestamp(when, Src.EMAIL_HEADER, "Arrival-Date") if when is not None else None


def _date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _groups(part: Message) -> Iterable[list[tuple[str, str]]]:
    payload = part.get_payload()
    if isinstance(payload, list):
        for group in payload:
            if isinstance(group, Message):
                yield [(str(k), " ".join(str(v).split())) for k, v in group.items()]
        return
    # Some servers send the status part as one text blob: blank lines separate the groups.
    data = part.get_payload(decode=True)
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(payload)
    for chunk in re.split(r"\r?\n[ \t]*\r?\n", text):
        fields = re.findall(r"(?m)^([A-Za-z-]+)[ \t]*:[ \t]*(.*(?:\r?\n[ \t].*)*)", chunk)
        yield [(name, " ".join(value.split())) for name, value in fields]


def _without_type(value: str) -> str:
    """A field's value without its type: "rfc822; a@b.example" -> "a@b.example"."""
    kind, sep, rest = value.partition(";")
    if sep and re.fullmatch(r"\s*(?:rfc822|dns|smtp|x-[\w-]+|utf-8)\s*", kind, re.IGNORECASE):
        return rest.strip()
    return value.strip()


def _walk(message: Message) -> Iterable[Message]:
    try:
        yield from message.walk()
    except Exception:  # a damaged tree: what was reached
        return
