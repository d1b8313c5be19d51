"""A saved message read without holding its large parts in memory.

The standard library's parser keeps every part of a message as text, and
decoding a part makes more copies: a 200 MB attachment cost about 1.8 GB.
Here the file is scanned once, in blocks, for the MIME structure (headers,
boundaries); every leaf part whose body is larger than ``LARGE_PART`` is
left on disk and replaced, in the copy given to the parser, by a short
token. The parser then sees a small message with the same structure, and
the large bodies are decoded from the file to a temporary file in blocks
(``decode_part``), hashed on the way.

The scan follows the parser's own rules (a boundary line ends every part
inside its multipart; the line break before a boundary belongs to it), and
gives up, leaving the rest of the message to the parser as it is, at
anything it does not expect: what it hands over is then exactly what the
parser would have read, only with fewer bytes.
"""

from __future__ import annotations

import binascii
import contextlib
import dataclasses
import hashlib
import importlib
import re
import secrets
from collections.abc import Callable, Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any, BinaryIO

# The function ``Message.get_payload(decode=True)`` decodes base64 with,
# repairs included: the same bytes, whatever the damage.
decode_b: Callable[[bytes], tuple[bytes, list[Any]]] = importlib.import_module(
    "email._encoded_words"
).decode_b
# A part's body bigger than this stays on disk.
LARGE_PART = 1 << 20
_BLOCK = 1 << 20
# What the parser recognises as a header line (email.feedparser.headerRE).
_HEADER_LINE = re.compile(rb"^(From |[\041-\071\073-\176]*:|[\t ])")
_BLANK_LINE = re.compile(rb"\A(\r\n|\r|\n)\Z")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# What may follow "--boundary" on a boundary line: the close mark, spaces, the line break.
_BOUNDARY_END = re.compile(rb"(?:--)?[ \t]*(?=\r|\n|\Z)")
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*")
_STREAMED = frozenset({"base64", "quoted-printable", "7bit", "8bit", "binary", ""})


@dataclasses.dataclass(frozen=True, slots=True)
class LargePart:
    """A part's body left in the file: where it is and how it is encoded."""

    start: int
    end: int
    encoding: str


@dataclasses.dataclass(frozen=True, slots=True)
class SlimMessage:
    """A message as the parser should see it, with its large bodies left in the file."""

    # None for a message given as bytes (all of it is in ``data``).
    path: Path | None
    # Where the message starts and ends in the file (an mbox holds many).
    start: int
    end: int
    data: bytes
    # Each large body by the token that stands for it in ``data``.
    parts: dict[str, LargePart]

    def blocks(self) -> Iterator[bytes]:
        """The message's bytes as saved, in blocks."""
        if self.path is None:
            yield self.data
        else:
            yield from _read_range(self.path, self.start, self.end)


@dataclasses.dataclass(frozen=True, slots=True)
class DecodedPart:
    """A large part decoded to a file: its size and SHA-256."""

    path: Path
    size: int
    sha256: str


def slim_message(path: Path, start: int = 0, end: int | None = None) -> SlimMessage:
    """Read the message stored in ``path`` between ``start`` and ``end``.

    An mbox separator line ("From ...") at the start is left out, as it is
    not part of the message.

    Raises:
        OSError: the file cannot be read.
    """
    size = path.stat().st_size
    end = size if end is None else min(end, size)
    with path.open("rb") as handle:
        handle.seek(start)
        if handle.read(5) == b"From ":
            handle.seek(start)
            first = handle.readline()
            if first.endswith(b"\n") and start + len(first) <= end:
                start += len(first)  # an mbox separator line, not a header
        if end - start <= LARGE_PART:
            return SlimMessage(path, start, end, _read(handle, start, end), {})
        scanner = _Scanner(handle, start, end)
        with contextlib.suppress(_GiveUpError):
            scanner.entity(())
        large = scanner.large
        tag = secrets.token_hex(8)
        pieces: list[bytes] = []
        parts: dict[str, LargePart] = {}
        position = start
        for number, part in enumerate(large):
            token = f"dossier-part-{tag}-{number}".encode()
            pieces.append(_read(handle, position, part.start))
            pieces.append(token)
            parts[token.decode()] = part
            position = part.end
        pieces.append(_read(handle, position, end))
    return SlimMessage(path, start, end, b"".join(pieces), parts)


def saved_bytes(data: bytes) -> SlimMessage:
    """A message already in memory, as saved (an mbox separator line left out)."""
    if data.startswith(b"From ") and b"\n" in data:
        data = data.split(b"\n", 1)[1]  # an mbox separator line, not a header
    return SlimMessage(None, 0, len(data), data, {})


def decode_part(message: SlimMessage, token: str, target: Path) -> DecodedPart:
    """Decode one large part to ``target`` in blocks, hashing it on the way.

    The bytes written are those ``Message.get_payload(decode=True)`` gives
    for the part; when the encoding is damaged (a character outside base64),
    the part is decoded by the standard library itself, in memory.

    Raises:
        OSError: the file cannot be read or the target written.
    """
    part = message.parts[token]
    assert message.path is not None  # only a file has parts left in it
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:

        def write(data: bytes) -> None:
            nonlocal size
            if data:
                out.write(data)
                digest.update(data)
                size += len(data)

        blocks = _read_range(message.path, part.start, part.end)
        if not _decode(blocks, part.encoding, write):
            out.seek(0)
            out.truncate()
            digest, size = hashlib.sha256(), 0
            data = b"".join(_read_range(message.path, part.start, part.end))
            write(_decode_whole(data, part.encoding))
    return DecodedPart(target, size, digest.hexdigest())


def read_part(message: SlimMessage, token: str) -> bytes:
    """A large part decoded in memory (a picture the body draws, a text part)."""
    part = message.parts[token]
    assert message.path is not None  # only a file has parts left in it
    data = b"".join(_read_range(message.path, part.start, part.end))
    return _decode_whole(data, part.encoding)


def _decode_whole(data: bytes, encoding: str) -> bytes:
    """What ``Message.get_payload(decode=True)`` gives for these bytes."""
    if encoding == "quoted-printable":
        return bytes(binascii.a2b_qp(data))
    if encoding == "base64":
        value, _defects = decode_b(b"".join(data.splitlines()))
        return value
    return data


def _decode(blocks: Iterator[bytes], encoding: str, write: Callable[[bytes], None]) -> bool:
    """Decode in blocks; False when the data needs the standard library's whole-part path."""
    if encoding == "base64":
        return _decode_base64(blocks, write)
    if encoding == "quoted-printable":
        # a2b_qp decodes line by line: blocks cut after a line feed give the same bytes.
        carry = b""
        for block in blocks:
            data = carry + block
            cut = data.rfind(b"\n") + 1
            write(binascii.a2b_qp(data[:cut]))
            carry = data[cut:]
            if len(carry) > 8 * _BLOCK:
                return False
        write(binascii.a2b_qp(carry))
        return True
    for block in blocks:
        write(block)
    return True


def _decode_base64(blocks: Iterator[bytes], write: Callable[[bytes], None]) -> bool:
    carry = b""
    for block, last in _with_last(blocks):
        data = carry + block.translate(None, b"\r\n")
        if last:
            # The end: padding, and any repair the parser would make, decided on it alone.
            value, defects = decode_b(data)
            if defects:
                return False
            write(value)
            return True
        cut = len(data) - len(data) % 4
        try:
            write(binascii.a2b_base64(data[:cut], strict_mode=True))
        except binascii.Error:
            # Something else than base64 (padding, a stray character): decode
            # up to it, and let the end decide.
            valid = _BASE64.match(data)
            length = valid.end() if valid else 0
            cut = length - length % 4
            write(binascii.a2b_base64(data[:cut]))
        carry = data[cut:]
        if len(carry) > 2 * _BLOCK:
            return False  # not base64 any more
    return True  # no block at all: an empty body


def _with_last(blocks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each block with whether it is the last."""
    previous = next(blocks, None)
    for block in blocks:
        assert previous is not None
        yield previous, False
        previous = block
    if previous is not None:
        yield previous, True


def _read(handle: BinaryIO, start: int, end: int) -> bytes:
    handle.seek(start)
    return handle.read(max(0, end - start))


def _read_range(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            block = handle.read(min(_BLOCK, left))
            if not block:
                return
            left -= len(block)
            yield block


class _GiveUpError(Exception):
    """Something the scan does not expect: the rest is left to the parser as it is."""


class _Scanner:
    """Walks the MIME structure of a file as ``email.feedparser`` does, noting large bodies."""

    def __init__(self, handle: BinaryIO, start: int, end: int) -> None:
        self.handle = handle
        self.position = start
        self.end = end
        self.large: list[LargePart] = []

    def entity(self, bounds: tuple[bytes, ...], strip: bool = True) -> None:
        """Headers and body of one entity, ending at a line of ``bounds`` (or the end).

        The line break before a boundary is the boundary's, except after a
        message/* part's message: the parser leaves it to that message's body.
        """
        header_start = self.position
        while True:
            line = self._line()
            if not line:
                raise _GiveUpError  # the file ends in the headers
            if _BLANK_LINE.match(line):
                break
            if _HEADER_LINE.match(line) is None or _boundary_of(line, bounds):
                raise _GiveUpError  # a header block the parser would repair
        head = _read(self.handle, header_start, self.position)
        headers = BytesParser(policy=policy.default).parsebytes(head, headersonly=True)
        kind = headers.get_content_type()
        if kind == "message/delivery-status":
            raise _GiveUpError  # small, and parsed as header blocks
        if headers.get_content_maintype() == "message":
            self.entity(bounds, strip=False)  # the parser reads a message/* part as a message
            return
        if headers.get_content_maintype() == "multipart":
            boundary = headers.get_boundary()
            if not boundary or kind == "multipart/digest":
                raise _GiveUpError  # a digest's parts are messages by default
            self.multipart(boundary.encode("ascii", "surrogateescape"), bounds)
            return
        encoding = str(headers.get("content-transfer-encoding", "")).lower()
        body_start = self.position
        found = self._find(bounds)
        if found is None:
            if bounds:
                raise _GiveUpError  # no closing boundary: the parser repairs that
            body_end = self.end
        else:
            body_end = found - (_eol_before(self.handle, body_start, found) if strip else 0)
        if body_end - body_start > LARGE_PART and encoding in _STREAMED:
            self.large.append(LargePart(body_start, body_end, encoding))

    def multipart(self, boundary: bytes, bounds: tuple[bytes, ...]) -> None:
        """The preamble, the parts and the epilogue of a multipart."""
        inner = (*bounds, boundary)
        if self._find(inner) is None:
            raise _GiveUpError
        while True:
            line = self._line()
            if _boundary_of(line, inner) != boundary:
                raise _GiveUpError  # an outer boundary came before this one was closed
            if line.startswith(b"--" + boundary + b"--"):
                break
            self.entity(inner)
        if self._find(bounds) is None and bounds:
            raise _GiveUpError

    def _line(self) -> bytes:
        """The next line with its line break (CRLF, CR or LF), as the parser splits lines."""
        size = 4096
        while True:
            self.handle.seek(self.position)
            data = self.handle.read(min(size, self.end - self.position))
            match = _LINE_BREAK.search(data)
            at_end = self.position + len(data) >= self.end
            if match is not None and (match.end() < len(data) or at_end):
                line = data[: match.end()]
                break
            if match is None and at_end:
                line = data
                break
            if size > _BLOCK:
                raise _GiveUpError  # a header line of megabytes
            size *= 4
        self.position += len(line)
        return line

    def _find(self, bounds: tuple[bytes, ...]) -> int | None:
        """Move to the next line that is a boundary of ``bounds``: its offset; None at the end."""
        if not bounds:
            self.position = self.end
            return None
        needles = [b"--" + boundary for boundary in bounds]
        # ``position`` is always at the start of a line.
        position = self.position
        while position < self.end:
            self.handle.seek(position)
            data = self.handle.read(min(_BLOCK, self.end - position))
            last = position + len(data) >= self.end
            limit = len(data) if last else max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
            if limit == 0:
                # A megabyte without a line break: skip to the next line.
                if data.startswith(b"--"):
                    raise _GiveUpError
                position = self._next_line(position + len(data))
                continue
            found = _first_boundary(data, limit, needles)
            if found is not None:
                self.position = position + found
                return self.position
            position += limit
        self.position = self.end
        return None

    def _next_line(self, position: int) -> int:
        while position < self.end:
            self.handle.seek(position)
            data = self.handle.read(min(_BLOCK, self.end - position))
            match = _LINE_BREAK.search(data)
            if match is not None:
                return position + match.start() + 1
            position += len(data)
        return self.end


def _first_boundary(data: bytes, limit: int, needles: list[bytes]) -> int | None:
    """Where the first line of ``data[:limit]`` that is one of the boundaries starts."""
    first = None
    for needle in needles:
        at = data.find(needle, 0, limit)
        while at >= 0 and (first is None or at < first):
            at_line_start = at == 0 or data[at - 1] in b"\r\n"
            if at_line_start and _BOUNDARY_END.match(data, at + len(needle), limit):
                first = at
                break
            at = data.find(needle, at + 1, limit)
    return first


def _boundary_of(line: bytes, bounds: tuple[bytes, ...]) -> bytes | None:
    """Which boundary of ``bounds`` the line is, innermost first; None if none."""
    for boundary in reversed(bounds):
        pattern = rb"--" + re.escape(boundary) + rb"(?:--)?[ \t]*(?:\r\n|\r|\n)?"
        if re.fullmatch(pattern, line):
            return boundary
    return None


def _eol_before(handle: BinaryIO, start: int, offset: int) -> int:
    """The length of the line break just before ``offset`` (0 when the body is empty)."""
    if offset <= start:
        return 0
    handle.seek(max(start, offset - 2))
    tail = handle.read(offset - max(start, offset - 2))
    handle.seek(offset)
    if tail.endswith(b"\r\n"):
        return 2
    return 1 if tail.endswith((b"\r", b"\n")) else 0
