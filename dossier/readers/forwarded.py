"""Recognise a forwarded message inside an email body, and read its header.

People forward the retailer's email to themselves (or to a mediator). The
original sender, date and subject then appear as a few lines under a marker
that each mail program writes in the user's language; the original's date is
what the evidence is about.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import re
from collections.abc import Sequence

from dossier.model import BodyBlock, ForwardedMessage

# The lines mail programs put above a forwarded message (Gmail, Outlook,
# Apple Mail, Thunderbird), in English, French, Dutch and German.
_MARKER = re.compile(
    r"^[\s>]*(?:-{2,}\s*)?(?:"
    r"(?P<forward>forwarded message|begin forwarded message"
    r"|message transf[ée]r[ée]|d[ée]but du message r[ée]exp[ée]di[ée]"
    r"|doorgestuurd bericht|begin doorgestuurd bericht"
    r"|weitergeleitete nachricht|anfang der weitergeleiteten nachricht)"
    # Outlook writes these above replies as well as forwards.
    r"|original message|message d'origine|oorspronkelijk bericht|urspr[üu]ngliche nachricht"
    # Outlook's line of underscores above the quoted header.
    r"|(?P<line>_{10,})"
    r")\s*:?\s*(?:-{2,}\s*)?$",
    re.IGNORECASE,
)
# Subject prefixes of forwarded mail: Fwd, Fw, TR (fr), Doorst (nl), WG (de).
_FORWARD_SUBJECT = re.compile(r"^\s*(?:re:\s*)*(?:fwd?|tr|trans|doorst|wg)\s*:", re.IGNORECASE)
_FIELD = re.compile(
    r"^[\s>]*(?P<name>from|de|van|von|date|datum|sent|envoy[ée]|verzonden|gesendet"
    r"|subject|objet|onderwerp|betreff|to|[àa]|aan|an|cc|reply-to|r[ée]pondre [àa])"
    r"\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_SENDER = frozenset({"from", "de", "van", "von"})
_DATE = frozenset({"date", "datum", "sent", "envoyé", "envoye", "verzonden", "gesendet"})
_SUBJECT = frozenset({"subject", "objet", "onderwerp", "betreff"})
_MAX_FIELD_LINES = 10
_RECIPIENT = frozenset({"to", "à", "a", "aan", "an"})


def field_key(name: str) -> str | None:
    """The header a quoted field stands for ("Envoyé", "Van", "Betreff"): from, date, …; or None."""
    lower = name.strip().rstrip(":").strip().lower()
    for key, names in (
        ("from", _SENDER),
        ("date", _DATE),
        ("subject", _SUBJECT),
        ("to", _RECIPIENT),
        ("cc", frozenset({"cc"})),
    ):
        if lower in names:
            return key
    return None


def find_forwarded(
    blocks: Sequence[BodyBlock], subject: str = ""
) -> tuple[list[BodyBlock], list[ForwardedMessage]]:
    """Turn each forwarded-message marker and its header lines into a "forwarded" block.

    ``subject`` (of the email holding the blocks) tells a forward from a reply
    under an "Original Message" marker.
    """
    forward_subject = bool(_FORWARD_SUBJECT.match(subject))
    out: list[BodyBlock] = []
    found: list[ForwardedMessage] = []
    pending = list(blocks)
    while pending:
        block = pending.pop(0)
        lines = block.text.splitlines() if block.kind in ("paragraph", "quote", "pre") else []
        matches = ((i, _MARKER.match(line)) for i, line in enumerate(lines))
        at, marker = next(((i, m) for i, m in matches if m), (None, None))
        # Where the header's fields start, and where the text before it ends.
        start, end = (at + 1, at) if at is not None else (0, 0)
        bare = False
        if at is None and out and out[-1].kind == "rule" and lines:
            # Outlook's HTML: a rule, then the quoted header with no marker line.
            at, marker = -1, None
        elif at is None and (found_at := _bare_header_start(lines)) is not None:
            # Outlook's HTML with a top border instead of a rule, or its text
            # with no line at all: the From/Sent/To/Subject block alone.
            at, marker, start, end, bare = -1, None, found_at, found_at, True
        if at is None:
            out.append(block)
            continue
        after = list(pending)
        fields, rest = _read_fields(lines[start:], after)
        message = forwarded_message(fields)
        explicit = marker is not None and not marker["line"]
        if not explicit and not (message.sender and message.date_text):
            out.append(block)  # a mere separator line, not a quoted header
            continue
        if bare and (message.date is None or not message.subject):
            out.append(block)  # "De : …" in running text, not a quoted header
            continue
        pending[:] = after
        before = "\n".join(lines[:end]).strip()
        if before:
            out.append(dataclasses.replace(block, text=before))
        title = lines[at].strip(" >-_") if explicit else ""
        out.append(BodyBlock("forwarded", title, rows=tuple(fields)))
        if rest:
            pending.insert(0, dataclasses.replace(block, text="\n".join(rest)))
        if not ((marker is not None and marker["forward"]) or forward_subject):
            message = dataclasses.replace(message, forwarded=False)
        found.append(message)
    return out, found


def _bare_header_start(lines: Sequence[str]) -> int | None:
    """The line where a From/Van/De/Von field is followed by another header field."""
    for index, line in enumerate(lines[:-1]):
        match = _FIELD.match(line)
        if match and match["name"].lower() in _SENDER and _FIELD.match(lines[index + 1]):
            return index
    return None


def forwarded_message(fields: Sequence[tuple[str, str]]) -> ForwardedMessage:
    """The sender, date and subject named by a forwarded header."""
    values: dict[str, str] = {}
    for name, value in fields:
        key = name.rstrip(" :").lower()
        for group, names in (("sender", _SENDER), ("date", _DATE), ("subject", _SUBJECT)):
            if key in names and group not in values:
                values[group] = value
    date_text = values.get("date", "")
    return ForwardedMessage(
        sender=values.get("sender", ""),
        date_text=date_text,
        subject=values.get("subject", ""),
        date=parse_loose_date(date_text) if date_text else None,
    )


def _read_fields(
    lines: list[str], pending: list[BodyBlock]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Header fields after a marker: in the same block, the next blocks, or a table."""
    fields: list[tuple[str, str]] = []
    queue = list(lines)
    while len(fields) < _MAX_FIELD_LINES:
        while queue and not queue[0].strip():
            queue.pop(0)
        if not queue:
            if not pending or pending[0].kind not in ("paragraph", "table", "quote"):
                break
            nxt = pending[0]
            if nxt.kind == "table":
                rows = [r for r in nxt.rows if len(r) >= 2 and _FIELD.match(f"{r[0]} {r[1]}")]
                if not rows:
                    break
                pending.pop(0)
                fields += [(r[0].rstrip(" :") + ":", r[1]) for r in rows]
                continue
            candidate = nxt.text.splitlines()
            if not candidate or not _FIELD.match(candidate[0]):
                break
            pending.pop(0)
            queue = candidate
            continue
        match = _FIELD.match(queue[0])
        if match is None:
            break
        queue.pop(0)
        fields.append((match["name"].strip() + ":", match["value"].strip()))
    return fields, queue


_MONTHS = {
    **dict.fromkeys(["jan", "january", "janv", "janvier", "januari", "januar", "jän", "jänner"], 1),
    **dict.fromkeys(["feb", "february", "févr", "fevr", "février", "februari", "februar"], 2),
    **dict.fromkeys(["mar", "march", "mars", "mrt", "maart", "mär", "märz", "mrz"], 3),
    **dict.fromkeys(["apr", "april", "avr", "avril"], 4),
    **dict.fromkeys(["may", "mai", "mei"], 5),
    **dict.fromkeys(["jun", "june", "juin", "juni"], 6),
    **dict.fromkeys(["jul", "july", "juil", "juillet", "juli"], 7),
    **dict.fromkeys(["aug", "august", "août", "aout", "augustus"], 8),
    **dict.fromkeys(["sep", "sept", "september", "septembre"], 9),
    **dict.fromkeys(["oct", "october", "octobre", "okt", "oktober"], 10),
    **dict.fromkeys(["nov", "november", "novembre"], 11),
    **dict.fromkeys(["dec", "december", "déc", "décembre", "dez", "dezember"], 12),
}
# The RFC 5322 form only: the standard parser is lenient and would read
# "October 12, 2026 2:05 PM" as 02:05.
_RFC5322 = re.compile(
    r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*"
    r"(?:[+-]\d{4}|[A-Z]{1,5})?\s*(?:\(.*\))?\s*$"
)
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(
    r"(?<!\d)(\d{1,2})[:h.](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\d)", re.IGNORECASE
)
_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?|\s([+-])(\d{2}):?(\d{2})\b")


def parse_loose_date(text: str) -> dt.datetime | None:
    """A date as mail programs print it in a forwarded header, in EN, FR, NL or DE.

    "Mon, 3 Nov 2026 15:30:12 +0100", "Mon, Nov 3, 2026 at 3:30 PM",
    "lun. 3 nov. 2026 à 15:30", "3 november 2026 om 15:30", "Montag, 3. November
    2026 um 15:30 Uhr", "03/11/2026 15:30". Without an offset the value is naive
    (the wall-clock time as printed). None when no date can be read.
    """
    if _RFC5322.match(text):
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    day = _find_day(text)
    if day is None:
        return None
    date_end = day[1]
    clock = _TIME.search(text, date_end)
    hour = minute = second = 0
    if clock is not None:
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        meridiem = (clock[4] or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        value = dt.datetime.combine(day[0], dt.time(hour, minute, second))
    except ValueError:
        return None
    offset = _OFFSET.search(text, date_end)
    if offset is not None:
        sign, hours, minutes = (
            (offset[1], offset[2], offset[3]) if offset[1] else offset.group(4, 5, 6)
        )
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        value = value.replace(tzinfo=dt.timezone(-delta if sign == "-" else delta))
    return value


def _find_day(text: str) -> tuple[dt.date, int] | None:
    candidates: list[tuple[int, int, int, int]] = []  # year, month, day, end
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTHS.get(match[2].lower())
        if month:
            candidates.append((int(match[3]), month, int(match[1]), match.end()))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _MONTHS.get(match[1].lower())
        if month:
            candidates.append((int(match[3]), month, int(match[2]), match.end()))
    for match in _ISO.finditer(text):
        candidates.append((int(match[1]), int(match[2]), int(match[3]), match.end()))
    for match in _NUMERIC.finditer(text):
        # Day first, as Europe writes it.
        candidates.append((int(match[3]), int(match[2]), int(match[1]), match.end()))
    for year, month, day, end in candidates:
        try:
            return dt.date(year, month, day), end
        except ValueError:
            continue
    return None
