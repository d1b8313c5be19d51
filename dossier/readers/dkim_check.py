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
from collections.abc import Callable, Iterable, Iterator
from email.message import Message
from typing import TYPE_CHECKING

from dossier.model import Authenticity, DkimSignature

if TYPE_CHECKING:
    from dkim.canonicalization import CanonicalizationPolicy

_HASHES = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


# The saved message's bytes, in blocks, each time it is called: a message of
# hundreds of megabytes is hashed as it is read, never held whole.
SavedBytes = Callable[[], Iterable[bytes]]


def check_authenticity(raw: bytes | SavedBytes | None, message: Message) -> Authenticity:
    """The DKIM signatures of ``message`` with their body hash checked against ``raw``.

    ``raw`` is the message as it was saved (headers and body), as bytes or
    as a function giving them in blocks; None when the original bytes are
    not available (an Outlook .msg keeps only its headers).
    """
    saved: SavedBytes | None = (lambda: (raw,)) if isinstance(raw, bytes) else raw
    signatures = tuple(
        check_signature(str(value), saved) for value in message.get_all("DKIM-Signature") or []
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
    return b"".join(body_lines((raw,)))


def body_lines(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """The body of a saved message given in blocks, in pieces of whole CRLF-ended lines.

    The last piece may lack its line end, as the body may.
    """
    pending = b""
    in_body = False
    for block in blocks:
        pending += block
        if not in_body:
            match = re.search(rb"\r?\n\r?\n", pending)
            if match is None:
                continue
            pending = pending[match.end() :]
            in_body = True
        cut = pending.rfind(b"\n") + 1
        if cut:
            yield _crlf(pending[:cut])
            pending = pending[cut:]
    if in_body and pending:
        yield _crlf(pending)


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def parse_tags(value: str) -> dict[str, str]:
    """The ``tag=value`` pairs of a DKIM-Signature header, whitespace removed where allowed."""
    tags = {}
    for item in value.split(";"):
        name, sep, content = item.partition("=")
        if sep:
            tags[name.strip().lower()] = content.strip()
    return tags


def check_signature(value: str, saved: SavedBytes | None) -> DkimSignature:
    """Check one signature's body hash; the header signature is never checked (needs DNS)."""
    tags = parse_tags(value)
    domain, selector = tags.get("d", ""), tags.get("s", "")
    expected = re.sub(r"\s+", "", tags.get("bh", ""))
    if saved is None:
        return DkimSignature(domain, selector, None, "no_original")
    algorithm = tags.get("a", "rsa-sha256").rsplit("-", 1)[-1].lower()
    hasher = _HASHES.get(algorithm)
    if hasher is None or not expected:
        return DkimSignature(domain, selector, None, "algorithm")
    # dkimpy loads dnspython with it (a tenth of a second): only for a signed message.
    from dkim.canonicalization import CanonicalizationPolicy, InvalidCanonicalizationPolicyError

    try:
        policy = CanonicalizationPolicy.from_c_value(tags.get("c", "simple/simple").encode())
        limit = int(tags["l"]) if "l" in tags else None
        wanted = base64.b64decode(expected, validate=True)
    except (InvalidCanonicalizationPolicyError, ValueError, binascii.Error):
        return DkimSignature(domain, selector, None, "unreadable")
    digest = hasher()
    for piece in _canonical_body(policy, body_lines(saved()), limit):
        digest.update(piece)
    return DkimSignature(domain, selector, digest.digest() == wanted)


def _canonical_body(
    policy: CanonicalizationPolicy, pieces: Iterable[bytes], limit: int | None
) -> Iterator[bytes]:
    """Dkimpy's body canonicalisation, applied piece by piece (each of whole lines).

    Both algorithms change lines one by one, but for the empty lines at the
    end, which they drop: a run of empty lines is held back until a line
    with something on it follows. At most ``limit`` bytes (the ``l=`` tag).
    """
    relaxed = policy.body_algorithm.name == b"relaxed"

    def canonical() -> Iterator[bytes]:
        held = 0  # empty lines held back
        written = False
        for piece in pieces:
            if relaxed:
                piece = re.sub(rb"[\t ]+", b" ", re.sub(rb"[\t ]+\r\n", b"\r\n", piece))
            end = len(piece)
            while piece.endswith(b"\r\n", 0, end):
                end -= 2
            if not end:
                held += len(piece) // 2
                continue
            yield b"\r\n" * held + piece[:end]
            written = True
            held = (len(piece) - end) // 2
        # One line end closes the body; an empty body is one empty line (simple) or nothing.
        if written or not relaxed:
            yield b"\r\n"

    left = limit
    for piece in canonical():
        if left is None:
            yield piece
        elif left:
            yield piece[:left]
            left -= min(left, len(piece))


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
