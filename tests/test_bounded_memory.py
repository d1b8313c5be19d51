"""Big emails and mailboxes cost bounded memory, and reading them so changes nothing.

An email's large parts are left in the file and decoded to disk in blocks
(``dossier.readers.mimefile``); a mailbox is read message by message from
its offsets. The first tests read every email twice, with every part left
on disk and with none, and compare all that was read; the last ones build
dossiers of a 150 MB attachment and of a mailbox in a child process and
measure its peak memory.
"""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dossier.readers.mimefile as mimefile
from dossier.discover import fingerprint
from dossier.errors import FileUnreadable
from dossier.model import EmailContent, ExhibitSettings, Reading
from dossier.readers import read_file
from dossier.readers.dkim_check import _canonical_body, body_lines
from dossier.readers.email import read_saved
from dossier.readers.mbox import message_spans
from tests.bigmail import write_email_with_attachment, write_mbox
from tests.conftest import CORPUS, ROOT

# Messages whose structure the scan must follow as the parser does, or give up on.
_HEAD = b"From: Service client <service@exemple.be>\nTo: camille@exemple.be\nSubject: Test\n"
_ZIP = base64.encodebytes(bytes(range(256)) * 3)
EDGE_CASES = {
    "nested-forward-with-attachment": _HEAD
    + b'Content-Type: multipart/mixed; boundary="out"\n\n--out\nContent-Type: text/plain\n\n'
    b"Voir ci-dessous.\n--out\nContent-Type: message/rfc822\n\n"
    + _HEAD
    + b'Content-Type: multipart/mixed; boundary="in"\n\n--in\n'
    b"Content-Type: text/plain\n\nOriginal.\n--in\nContent-Type: application/zip\n"
    b'Content-Disposition: attachment; filename="a.zip"\nContent-Transfer-Encoding: base64\n\n'
    + _ZIP
    + b"--in--\n\n--out--\n",
    "carriage-returns-only": (
        _HEAD + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        b"Bonjour\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        + _ZIP
        + b"--b--\n"
    ).replace(b"\n", b"\r"),
    "crlf": (
        _HEAD + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        b"Bonjour\n\n--b\nContent-Type: image/png\nContent-Transfer-Encoding: binary\n\n"
        b"\x89PNG\r\n\x1a\n\x00\r\x00\n\n--b--\n"
    ).replace(b"\n", b"\r\n"),
    "boundary-prefix-of-another": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\npreamble\n--b\n'
    b'Content-Type: multipart/alternative; boundary="b-1"\n\n--b-1\nContent-Type: text/plain\n\n'
    b"texte\n--b-1\nContent-Type: text/html\n\n<p>texte</p>\n--b-1--\nepilogue\n--b\n"
    b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + _ZIP + b"--b--  \n",
    "close-boundary-missing": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
    b"texte\n--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n" + _ZIP,
    "damaged-base64": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nx\n--b\n'
    b"Content-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
    + _ZIP[:100]
    + b"!!*\n"
    + _ZIP[100:-3]
    + b"\n--b--\n",
    "unpadded-base64": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nx\n--b\n'
    b"Content-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
    + base64.encodebytes(b"abcd" * 100).replace(b"=", b"")
    + b"--b--\n",
    "quoted-printable-soft-breaks": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n'
    b"Content-Transfer-Encoding: quoted-printable\n\nr=C3=A9clamation tr=\n=C3=A8s longue =\r\nligne=\n"
    b"--b\nContent-Type: text/csv\nContent-Disposition: attachment; filename=a.csv\n"
    b"Content-Transfer-Encoding: quoted-printable\n\na;b=3Dc;=E9\nd;e=\n--b--\n",
    "double-boundary-and-empty-part": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n--b\nContent-Type: text/plain\n\nx\n'
    b"--b\n\n--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
    + _ZIP
    + b"--b--\n",
    "digest": _HEAD
    + b'Content-Type: multipart/digest; boundary="d"\n\n--d\n\n'
    + _HEAD
    + b"\ntexte\n--d--\n",
    "single-part-base64-body": _HEAD
    + b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
    + _ZIP,
    "header-without-colon": _HEAD
    + b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\nnot a header\n\nx\n'
    b"--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
    + _ZIP
    + b"--b--\n",
}


def _email_files() -> list[Path]:
    files = sorted(ROOT.glob("samples/*/*.eml"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*/*.eml"))
    return files


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> tuple[object, object]:
    """The reading with every part kept in memory, and with every part left in the file."""

    def read() -> object:
        try:
            return read_saved(mimefile.slim_message(path))
        except FileUnreadable as problem:
            return problem.reason

    monkeypatch.setattr(mimefile, "LARGE_PART", 1 << 60)
    whole = read()
    monkeypatch.setattr(mimefile, "LARGE_PART", 0)
    monkeypatch.setattr(mimefile, "_BLOCK", block)
    on_disk = read()
    return whole, on_disk


@pytest.mark.parametrize("block", [64, 1 << 20])
@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_parts_left_on_disk_read_as_the_parser_reads_them(
    name: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that leaving parts on disk changes nothing that is read, however odd the MIME."""
    path = tmp_path / f"{name}.eml"
    path.write_bytes(EDGE_CASES[name])
    whole, on_disk = _read_both(path, monkeypatch, block)
    assert on_disk == whole
    # The attachments are the parser's own decoding of the parts, byte for byte.
    if isinstance(whole, Reading) and isinstance(whole.content, EmailContent):
        for attachment in whole.content.attachments:
            if attachment.path is not None:
                data = attachment.path.read_bytes()
                assert hashlib.sha256(data).hexdigest() == attachment.sha256
                assert len(data) == attachment.size


def test_the_scan_leaves_the_big_parts_of_ordinary_mail_on_disk(tmp_path: Path) -> None:
    """This test ensures that the parser is given a small message for a big one, with the same parts."""
    path = tmp_path / "big.eml"
    write_email_with_attachment(path, 3_000_000)
    saved = mimefile.slim_message(path)
    assert len(saved.parts) == 1
    assert len(saved.data) < 2000 < 3_000_000 < path.stat().st_size
    reading = read_saved(saved)
    assert isinstance(reading.content, EmailContent)
    (attachment,) = reading.content.attachments
    expected = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    part = next(p for p in expected.walk() if p.get_filename() == "photos.zip")
    data = part.get_payload(decode=True)
    assert attachment.size == len(data) == 3_000_000
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.path is not None and attachment.path.read_bytes() == data
    assert attachment.name == "photos.zip"
    assert reading.content.body.startswith("Bonjour,")


@pytest.mark.parametrize("path", _email_files(), ids=lambda p: p.name)
def test_saved_emails_read_the_same_with_their_parts_on_disk(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that every sample and corpus email reads the same with its parts on disk."""
    whole, on_disk = _read_both(path, monkeypatch, 1 << 20)
    assert on_disk == whole


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=600),
    width=st.sampled_from([76, 64, 4, 1000]),
    ending=st.sampled_from([b"\n", b"\r\n"]),
    damage=st.sampled_from([b"", b"=", b"*", b"==A", b"A"]),
    cut=st.integers(min_value=0, max_value=1000),
    block=st.sampled_from([16, 64, 1 << 20]),
)
def test_base64_decoded_in_blocks_is_what_the_parser_decodes(
    data: bytes, width: int, ending: bytes, damage: bytes, cut: int, block: int
) -> None:
    """This test ensures that base64 decoded block by block gives the parser's bytes, damage included."""
    encoded = base64.b64encode(data)
    lines = [encoded[i : i + width] for i in range(0, len(encoded), width)] or [b""]
    body = ending.join(lines)
    at = min(cut, len(body))
    body = body[:at] + damage + body[at:]
    assume(body)  # an empty part is not left on disk
    message = (
        b"Subject: x\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n" + body
    )
    expected = BytesParser(policy=policy.default).parsebytes(message).get_payload(decode=True)
    data, sha256 = _decoded_in_blocks(message, block)
    assert data == expected
    assert sha256 == hashlib.sha256(expected).hexdigest()


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=400),
    ending=st.sampled_from([b"\n", b"\r\n"]),
    damage=st.sampled_from([b"", b"=", b"=4", b"=\r", b"= \n", b"=ZZ"]),
    cut=st.integers(min_value=0, max_value=800),
    block=st.sampled_from([16, 64, 1 << 20]),
)
def test_quoted_printable_decoded_in_blocks_is_what_the_parser_decodes(
    data: bytes, ending: bytes, damage: bytes, cut: int, block: int
) -> None:
    """This test ensures that quoted-printable decoded block by block gives the parser's bytes."""
    import quopri

    body = quopri.encodestring(data).replace(b"\n", ending)
    at = min(cut, len(body))
    body = body[:at] + damage + body[at:]
    assume(body)
    message = (
        b"Subject: x\nContent-Type: text/csv\nContent-Transfer-Encoding: quoted-printable\n\n"
        + body
    )
    expected = BytesParser(policy=policy.default).parsebytes(message).get_payload(decode=True)
    assert _decoded_in_blocks(message, block)[0] == expected


@settings(max_examples=200, deadline=None)
@given(
    body=st.lists(st.sampled_from([b"a", b" ", b"\t", b"\r\n", b"\n", b"\r", b"b c"]), max_size=30),
    cuts=st.lists(st.integers(min_value=1, max_value=60), max_size=5),
    c=st.sampled_from([b"simple/simple", b"relaxed/relaxed", b"relaxed/simple"]),
    limit=st.sampled_from([None, 0, 3, 10]),
)
def test_dkim_body_hashed_in_blocks_is_dkimpys(
    body: list[bytes], cuts: list[int], c: bytes, limit: int | None
) -> None:
    """This test ensures that the DKIM body canonicalised as it is read equals dkimpy's on the whole body."""
    from dkim.canonicalization import CanonicalizationPolicy

    raw = b"From: x\r\nSubject: y\n\n" + b"".join(body)
    points = sorted({min(c, len(raw)) for c in cuts})
    blocks = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    whole = raw.split(b"\n\n", 1)[1].replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    policy_ = CanonicalizationPolicy.from_c_value(c)
    expected = policy_.canonicalize_body(whole)
    if limit is not None:
        expected = expected[:limit]
    assert b"".join(_canonical_body(policy_, body_lines(blocks), limit)) == expected


def test_mailbox_messages_are_found_where_pythons_mailbox_finds_them(tmp_path: Path) -> None:
    """This test ensures that the offsets of a mailbox's messages are those of ``mailbox.mbox``."""
    import mailbox

    path = tmp_path / "box.mbox"
    write_mbox(path, 40, seed=3)
    with path.open("ab") as out:  # no empty line before a message, and one without a body
        out.write(b"From a@b Mon Nov  2 10:00:00 2026\nSubject: sans corps\n")
        out.write(b"From c@d Mon Nov  2 11:00:00 2026\nSubject: dernier\n\ntexte\n\n\n")
    box = mailbox.mbox(path, create=False)
    try:
        expected = [box.get_bytes(key) for key in box.iterkeys()]
    finally:
        box.close()
    data = path.read_bytes()
    found = [data[start:stop].split(b"\n", 1)[1] for start, stop in message_spans(path)]
    assert found == expected
    assert len(found) == 42


def test_a_mailbox_gives_one_exhibit_per_message_with_encoded_subjects(tmp_path: Path) -> None:
    """This test ensures that each message of a generated mailbox is read, subjects decoded."""
    path = tmp_path / "box.mbox"
    write_mbox(path, 60, seed=5)
    found = read_file(fingerprint(path, tmp_path), ExhibitSettings())
    assert len(found) == 60
    subjects = [e.content.subject for e in found if isinstance(e.content, EmailContent)]
    assert len(subjects) == 60
    assert "Votre commande 402-0000000-0000000 a été expédiée" in subjects
    assert "Uw bestelling 402-0000001-0000001 is onderweg" in subjects
    assert "Ihre Bestellung 402-0000002-0000002: Rückerstattung" in subjects
    attached = [e for e in found if isinstance(e.content, EmailContent) and e.content.attachments]
    assert len(attached) == 15
    assert attached[0].content.attachments[0].name == "bon-3.bin"  # type: ignore[union-attr]


# -- Peak memory, in a child process ---------------------------------------------------

# What a child process may use at its peak. Python with reportlab, pypdf and
# Pillow loaded takes about 80 MB; reading, hashing and laying out the inputs
# below took about 100 MB more when this was written, against more than 1.5 GB
# when an attachment was decoded in memory. The margin keeps the test stable
# on a busy machine; a regression to in-memory attachments goes far over it.
MEMORY_BUDGET_MB = 400
ATTACHMENT_BYTES = 100_000_000
MAILBOX_MESSAGES = 120

_MEASURE = textwrap.dedent(
    """
    import resource, sys
    from dossier.cli import main
    try:
        main(sys.argv[1:])
    except SystemExit as end:
        code = end.code
    else:
        code = 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(f"PEAK {peak} {code}")
    """
)


def _run_measured(
    arguments: list[str], env: dict[str, str], kilobytes: bool = False
) -> tuple[int, int, str]:
    """Run the command line in a child process: its peak memory in MB (or KB), exit code, output."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    line = next(
        (line for line in result.stdout.splitlines() if line.startswith("PEAK ")), "PEAK 0 -1"
    )
    _, peak, code = line.split()
    return int(peak) // (1 if kilobytes else 1024), int(code), result.stdout + result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_a_big_attachment_and_a_mailbox_build_within_a_memory_budget(tmp_path: Path) -> None:
    """This test ensures that a 100 MB attachment and a mailbox are built in bounded memory."""
    folder = tmp_path / "case"
    folder.mkdir()
    write_email_with_attachment(folder / "photos.eml", ATTACHMENT_BYTES, seed=7)
    write_mbox(folder / "echanges.mbox", MAILBOX_MESSAGES, seed=8)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    output = tmp_path / "out" / "dossier.pdf"
    output.parent.mkdir()
    peak, code, said = _run_measured(["build", str(folder), "-o", str(output)], env)
    assert code == 0, said
    assert peak < MEMORY_BUDGET_MB, f"peak memory {peak} MB"
    assert f"{1 + MAILBOX_MESSAGES} exhibits" in said
    # The attachment is listed with the hash of its bytes, as the parser decodes them.
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(output).pages[:40])
    assert "photos.zip" in text
    # Nothing is left in the temporary folder once the build is over.
    assert list(scratch.iterdir()) == []


# What a build may keep per message of a mailbox, beyond what a build of a few
# messages takes. Each message's typeset file (its bytes, parsed objects and
# decoded fonts) was held until the PDF was written: about 260 KB a message
# between 20 and 220 messages when this was written, and about 55 KB since.
MEMORY_PER_MESSAGE_KB = 100


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_a_mailbox_builds_in_memory_that_grows_little_per_message(tmp_path: Path) -> None:
    """This test ensures that building a mailbox does not keep each message's pages in memory."""
    peaks: dict[int, int] = {}
    for count, seed in ((20, 11), (220, 12)):
        folder = tmp_path / f"case-{count}"
        folder.mkdir()
        write_mbox(folder / "echanges.mbox", count, seed=seed)
        output = tmp_path / f"dossier-{count}.pdf"
        peak, code, said = _run_measured(
            ["build", str(folder), "-o", str(output)], {**os.environ}, kilobytes=True
        )
        assert code == 0, said
        assert f"{count} exhibits" in said
        from pypdf import PdfReader

        reader = PdfReader(output)
        # Every message is in the PDF, with its own entry in the outline and its own pages.
        assert len(reader.outline) >= count
        assert len(reader.pages) > count
        peaks[count] = peak
    growth = (peaks[220] - peaks[20]) / 200
    assert growth < MEMORY_PER_MESSAGE_KB, f"{growth:.0f} KB per message ({peaks})"


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_decoded_attachments_are_removed_when_a_build_is_stopped(
    stop: signal.Signals, tmp_path: Path
) -> None:
    """This test ensures that the decoded attachments do not outlive a build stopped by a signal."""
    folder = tmp_path / "case"
    folder.mkdir()
    write_email_with_attachment(folder / "photos.eml", 40_000_000, seed=9)
    write_mbox(folder / "echanges.mbox", 400, seed=10)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    child = subprocess.Popen(
        [sys.executable, "-m", "dossier", "build", str(folder), "-o", str(tmp_path / "d.pdf")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    # Stop it once the attachment has been decoded to the private folder.
    while time.monotonic() < deadline and child.poll() is None:
        if any(folder.glob("*") for folder in scratch.glob("dossier-attachments-*")):
            break
        time.sleep(0.05)
    assert child.poll() is None, "the build ended before it could be stopped"
    child.send_signal(stop)
    said = child.communicate(timeout=120)[0].decode()
    assert child.returncode != 0
    assert "interrupted" in said
    assert list(scratch.iterdir()) == []


def test_the_copy_check_of_a_big_mailbox_is_linear(tmp_path: Path) -> None:
    """This test ensures that 20 000 messages of one mailbox are checked for copies in moments.

    Each message was compared with every earlier one: 200 million
    comparisons, minutes, for a mailbox of 20 000 messages.
    """
    import dataclasses

    from dossier.model import Exhibit, Kind, SourceFile
    from dossier.warnings_check import find_duplicates

    box = SourceFile(tmp_path / "box.mbox", "box.mbox", 10, "a" * 64, 0.0)
    copy = dataclasses.replace(box, path=tmp_path / "copie.mbox", relpath="copie.mbox")
    content = EmailContent("a@b", "c@d", "", "", "Objet", "", "texte")
    messages = [Exhibit(source=box, kind=Kind.EMAIL, content=content) for _ in range(20_000)]
    copied = Exhibit(source=copy, kind=Kind.EMAIL, content=content)
    started = time.monotonic()
    pairs = find_duplicates([*messages, copied])
    assert time.monotonic() - started < 5
    assert pairs == [(copied, messages[0])]


def _decoded_in_blocks(message: bytes, block: int) -> tuple[bytes, str]:
    """The one part of ``message``, left on disk and decoded ``block`` bytes at a time."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.eml"
        path.write_bytes(message)
        original = mimefile.LARGE_PART, mimefile._BLOCK
        mimefile.LARGE_PART, mimefile._BLOCK = 0, block
        try:
            saved = mimefile.slim_message(path)
            (token,) = saved.parts
            decoded = mimefile.decode_part(saved, token, Path(folder) / "out")
        finally:
            mimefile.LARGE_PART, mimefile._BLOCK = original
        return decoded.path.read_bytes(), decoded.sha256
