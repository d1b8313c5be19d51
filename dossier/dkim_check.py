"""What can be checked about an email's origin without the network.

A DKIM signature (RFC 6376) covers a hash of the body (``bh=``) and a
signature over some headers. The body hash can be recomputed offline from the
message itself: when it matches, the body is the one the signing domain sent.
The header signature needs the domain's public key from DNS, so it is
reported as not checked: the dossier never uses the network. The
canonicalisation is dkimpy's, the reference implementation.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import re
from email.message import Message

from dossier.model import Authenticity, DkimSignature

_HASHES = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


def check_authenticity(raw: bytes | None, message: Message) -> Authenticity:
    """The DKIM signatures of ``message`` with their body hash checked against ``raw``.

    ``raw`` is the message as it was saved (headers and body); None when the
    original bytes are not available (an Outlook .msg keeps only its headers).
    """
    body = split_body(raw) if raw is not None else None
    signatures = tuple(
        check_signature(str(value), body) for value in message.get_all("DKIM-Signature") or []
    )
    received = [_received_date(str(value)) for value in message.get_all("Received") or []]
    dates = [date for date in received if date is not None]
    return Authenticity(
        signatures=signatures,
        # Each server adds its Received line on top: the last one is the first hop.
        first_received=dates[-1] if dates else None,
        last_received=dates[0] if dates else None,
        hops=len(received),
    )


def split_body(raw: bytes) -> bytes:
    """The body of a saved message, with CRLF line ends as it travelled."""
    match = re.search(rb"\r?\n\r?\n", raw)
    body = raw[match.end() :] if match else b""
    return body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def parse_tags(value: str) -> dict[str, str]:
    """The ``tag=value`` pairs of a DKIM-Signature header, whitespace removed where allowed."""
    tags = {}
    for item in value.split(";"):
        name, sep, content = item.partition("=")
        if sep:
            tags[name.strip().lower()] = content.strip()
    return tags


def check_signature(value: str, body: bytes | None) -> DkimSignature:
    """Check one signature's body hash; the header signature is never checked (needs DNS)."""
    tags = parse_tags(value)
    domain, selector = tags.get("d", ""), tags.get("s", "")
    expected = re.sub(r"\s+", "", tags.get("bh", ""))
    if body is None:
        return DkimSignature(domain, selector, None, "no_original")
    algorithm = tags.get("a", "rsa-sha256").rsplit("-", 1)[-1].lower()
    hasher = _HASHES.get(algorithm)
    if hasher is None or not expected:
        return DkimSignature(domain, selector, None, "algorithm")
    # dkimpy loads dnspython with it (a tenth of a second): only for a signed message.
    from dkim.canonicalization import CanonicalizationPolicy, InvalidCanonicalizationPolicyError

    try:
        policy = CanonicalizationPolicy.from_c_value(tags.get("c", "simple/simple").encode())
        canonical = policy.canonicalize_body(body)
        if "l" in tags:
            canonical = canonical[: int(tags["l"])]
        wanted = base64.b64decode(expected, validate=True)
    except (InvalidCanonicalizationPolicyError, ValueError, binascii.Error):
        return DkimSignature(domain, selector, None, "unreadable")
    return DkimSignature(domain, selector, hasher(canonical).digest() == wanted)


def _received_date(value: str) -> dt.datetime | None:
    # RFC 5321: the date comes after the last semicolon.
    _, sep, date_text = value.rpartition(";")
    if not sep:
        return None
    try:
        date = email.utils.parsedate_to_datetime(" ".join(date_text.split()))
    except (TypeError, ValueError, IndexError):
        return None
    return date if date.tzinfo is not None else date.replace(tzinfo=dt.UTC)
