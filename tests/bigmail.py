"""Large mail made on the fly: an email with a big attachment, a mailbox of many messages.

Written in pieces, so that making them costs no more memory than reading
them should. The people and addresses are invented.
"""

from __future__ import annotations

import base64
import quopri
import random
from email.header import Header
from pathlib import Path
from typing import BinaryIO

_SENDERS = [
    ("Service client Amazon.com.be", "service-client@amazon.com.be"),
    ("Klantenservice", "klantenservice@voorbeeld.be"),
    ("Kundendienst Beispiel", "kundendienst@beispiel.de"),
    ("Élodie Marchal", "elodie.marchal@exemple.be"),
    ("Pieter Van den Broeck", "pieter.vdb@voorbeeld.be"),
    ("Jürgen Weiß", "juergen.weiss@beispiel.de"),
]
_SUBJECTS = [
    "Votre commande {n} a été expédiée",
    "Uw bestelling {n} is onderweg",
    "Ihre Bestellung {n}: Rückerstattung",
    "Re: refund for order {n}",
    "Réclamation colis endommagé {n}",
]
_WORDS = [
    "colis",
    "commande",
    "remboursement",
    "pakket",
    "bestelling",
    "Rücksendung",
    "parcel",
    "refund",
    "état",
    "écran",
]


def _incompressible(out: BinaryIO, size: int, seed: int, encode: bool) -> None:
    """Write ``size`` random bytes to ``out`` (a binary file), base64 in 76-character lines."""
    generator = random.Random(seed)
    chunk = 57 * 16384  # a whole number of 57-byte groups: 76-character lines
    left = size
    while left:
        data = generator.randbytes(min(chunk, left))
        left -= len(data)
        out.write(base64.encodebytes(data) if encode else data)


def write_pdf_with_payload(path: Path, size: int, seed: int = 1) -> None:
    """A one-page PDF carrying ``size`` random bytes in an unused stream, with a valid xref."""
    offsets: list[int] = []
    with path.open("wb") as out:

        def obj(body: bytes) -> None:
            offsets.append(out.tell())
            out.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")
        text = b"BT /F1 12 Tf 72 770 Td (Facture) Tj ET"
        obj(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
        offsets.append(out.tell())
        out.write(b"5 0 obj\n<< /Length %d >>\nstream\n" % size)
        _incompressible(out, size, seed, encode=False)
        out.write(b"\nendstream\nendobj\n")
        start = out.tell()
        out.write(b"xref\n0 6\n0000000000 65535 f \n")
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start)


def write_email_with_attachment(
    path: Path, size: int, *, pdf: Path | None = None, seed: int = 1
) -> None:
    """An .eml with a short text body and one base64 attachment.

    The attachment is ``pdf`` when given, else ``size`` random bytes named as a zip file.
    """
    with path.open("wb") as out:
        out.write(
            b"From: Service client <service-client@amazon.com.be>\r\n"
            b"To: Camille Dupont <camille.dupont@exemple.be>\r\n"
            b"Subject: Votre facture et les photos du colis\r\n"
            b"Date: Tue, 03 Nov 2026 10:15:00 +0100\r\n"
            b"Message-ID: <big-attachment@exemple.be>\r\n"
            b"MIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="outer-7f3a"\r\n\r\n'
            b"--outer-7f3a\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            b"Bonjour,=0D=0Avoici la facture demand=C3=A9e.\r\n"
            b"--outer-7f3a\r\n"
        )
        if pdf is not None:
            out.write(
                b"Content-Type: application/pdf\r\n"
                b'Content-Disposition: attachment; filename="facture.pdf"\r\n'
                b"Content-Transfer-Encoding: base64\r\n\r\n"
            )
            with pdf.open("rb") as source:
                while block := source.read(57 * 16384):
                    out.write(base64.encodebytes(block).replace(b"\n", b"\r\n"))
        else:
            out.write(
                b"Content-Type: application/zip\r\n"
                b'Content-Disposition: attachment; filename="photos.zip"\r\n'
                b"Content-Transfer-Encoding: base64\r\n\r\n"
            )
            _incompressible(out, size, seed, encode=True)
        out.write(b"--outer-7f3a--\r\n")


def mbox_message(number: int, generator: random.Random) -> bytes:
    """One message of a generated mailbox: varied sender, subject, encoding and structure."""
    name, address = _SENDERS[number % len(_SENDERS)]
    subject = _SUBJECTS[number % len(_SUBJECTS)].format(n=f"402-{number:07d}-{number % 97:07d}")
    charset = ("utf-8", "iso-8859-1", "utf-8")[number % 3]
    encoded_subject = Header(subject, charset).encode() if number % 2 else subject
    encoded_name = Header(name, charset).encode() if not name.isascii() else name
    day = 1 + number % 28
    words = " ".join(generator.choice(_WORDS) for _ in range(12 + number % 30))
    text = f"Bonjour,\n{words}.\nMessage {number}.\n"
    head = (
        f"From {address} Tue Nov {day:02d} 10:00:00 2026\n"
        f"From: {encoded_name} <{address}>\n"
        f"To: Camille Dupont <camille.dupont@exemple.be>\n"
        f"Subject: {encoded_subject}\n"
        f"Date: Tue, {day:02d} Nov 2026 {number % 24:02d}:{number % 60:02d}:00 +0100\n"
        f"Message-ID: <m{number}@exemple.be>\n"
        "MIME-Version: 1.0\n"
    ).encode()
    style = number % 4
    if style == 0:
        return head + b"Content-Type: text/plain; charset=utf-8\n\n" + text.encode()
    if style == 1:
        body = quopri.encodestring(text.encode(charset, "replace"))
        return (
            head
            + f"Content-Type: text/plain; charset={charset}\n".encode()
            + b"Content-Transfer-Encoding: quoted-printable\n\n"
            + body
        )
    if style == 2:
        html = (
            f"<html><body><p>{text}</p><table><tr><td>1</td><td>{number},00 EUR</td></tr></table>"
        )
        return (
            head + b'Content-Type: multipart/alternative; boundary="alt"\n\n'
            b"--alt\nContent-Type: text/plain; charset=utf-8\n\n"
            + text.encode()
            + b"\n--alt\nContent-Type: text/html; charset=utf-8\n"
            b"Content-Transfer-Encoding: base64\n\n"
            + base64.encodebytes(html.encode())
            + b"--alt--\n"
        )
    attachment = base64.encodebytes(generator.randbytes(200 + number % 300))
    return (
        head + b'Content-Type: multipart/mixed; boundary="mix"\n\n'
        b"--mix\nContent-Type: text/plain; charset=utf-8\n\n"
        + text.encode()
        + b"\n--mix\nContent-Type: application/octet-stream\n"
        b'Content-Disposition: attachment; filename="bon-' + str(number).encode() + b'.bin"\n'
        b"Content-Transfer-Encoding: base64\n\n" + attachment + b"--mix--\n"
    )


def write_mbox(path: Path, count: int, seed: int = 1) -> None:
    """A mailbox of ``count`` generated messages."""
    generator = random.Random(seed)
    with path.open("wb") as out:
        for number in range(count):
            out.write(mbox_message(number, generator) + b"\n")
