"""Delivery-status notifications (bounces): dated by the failure, their status in a box.

Bounces written the way Postfix, Gmail, Exim and Exchange/Outlook write
them, made here with invented people and addresses, and one real one from
the corpus (a qmail/MailSite report with damaged MIME).
"""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import api
from dossier.model import BuildOptions, EmailContent
from dossier.model import TimestampSource as Src
from dossier.readers.email import read_message_bytes
from dossier.readers.msg import _content

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
ORIGINAL = (
    "From: Sofie Maes <sofie@example.org>\r\nTo: klantendienst@shop.example\r\n"
    "Subject: Ingebrekestelling bestelling 402-1111111-2222222\r\n"
    "Date: Mon, 02 Nov 2026 08:00:00 +0100\r\nMessage-ID: <orig@example.org>\r\n\r\n"
    "Geachte, ...\r\n"
)


def report_mail(
    subject: str,
    sender: str,
    text: str,
    status: str,
    date: str | None,
    returned: str = "message/rfc822",
) -> bytes:
    date_line = f"Date: {date}\r\n" if date else ""
    returned_part = ORIGINAL if returned == "message/rfc822" else ORIGINAL.split("\r\n\r\n")[0]
    return (
        f"From: {sender}\r\nTo: sofie@example.org\r\nSubject: {subject}\r\n{date_line}"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        f"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
        f"--B\r\nContent-Type: message/delivery-status\r\n\r\n{status}\r\n"
        f"--B\r\nContent-Type: {returned}\r\n\r\n{returned_part}\r\n--B--\r\n"
    ).encode()


POSTFIX = report_mail(
    "Undelivered Mail Returned to Sender",
    "MAILER-DAEMON@mail.example.org (Mail Delivery System)",
    "This is the mail system at host mail.example.org.\r\n\r\n"
    "I'm sorry to have to inform you that your message could not\r\nbe delivered.",
    "Reporting-MTA: dns; mail.example.org\r\nX-Postfix-Queue-ID: 4F2A1\r\n"
    "Arrival-Date: Mon,  2 Nov 2026 08:00:01 +0100 (CET)\r\n\r\n"
    "Final-Recipient: rfc822; klantendienst@shop.example\r\n"
    "Original-Recipient: rfc822;klantendienst@shop.example\r\nAction: failed\r\n"
    "Status: 5.1.1\r\nRemote-MTA: dns; mx.shop.example\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <klantendienst@shop.example>: Recipient address\r\n"
    "    rejected: User unknown in virtual mailbox table",
    "Mon,  2 Nov 2026 08:00:03 +0100 (CET)",
)
GMAIL_NO_DATE = report_mail(
    "Delivery Status Notification (Failure)",
    "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
    "** Address not found **\r\n\r\nYour message wasn't delivered to service@shop.example "
    "because the address couldn't be found.",
    "Reporting-MTA: dns; googlemail.com\r\n"
    "Arrival-Date: Mon, 02 Nov 2026 00:10:11 -0800 (PST)\r\n\r\n"
    "Final-Recipient: rfc822; service@shop.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    "Diagnostic-Code: smtp; The email account that you tried to reach does not exist.\r\n"
    "Last-Attempt-Date: Mon, 02 Nov 2026 00:10:12 -0800 (PST)",
    None,
    returned="text/rfc822-headers",
)
EXCHANGE_DELAY = report_mail(
    "Delayed: Ingebrekestelling",
    "postmaster@outlook.example",
    "Delivery is delayed to these recipients or groups.",
    "Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.outlook.example\r\n"
    "Arrival-Date: Mon, 2 Nov 2026 07:00:00 +0000\r\n\r\n"
    "Final-Recipient: rfc822;klantendienst@shop.example\r\nAction: delayed\r\n"
    "Status: 4.4.7\r\nWill-Retry-Until: Tue, 3 Nov 2026 07:00:00 +0000",
    "Mon, 2 Nov 2026 11:00:00 +0000",
)


@pytest.mark.parametrize(
    ("raw", "when", "detail", "action", "status", "recipient"),
    [
        pytest.param(
            POSTFIX,
            dt.datetime(2026, 11, 2, 7, 0, 3, tzinfo=dt.UTC),
            "Date",
            "failed",
            "5.1.1",
            "klantendienst@shop.example",
            id="postfix",
        ),
        pytest.param(
            GMAIL_NO_DATE,
            dt.datetime(2026, 11, 2, 8, 10, 12, tzinfo=dt.UTC),
            "Last-Attempt-Date",
            "failed",
            "5.1.1",
            "service@shop.example",
            id="gmail-without-date",
        ),
        pytest.param(
            EXCHANGE_DELAY,
            dt.datetime(2026, 11, 2, 11, 0, tzinfo=dt.UTC),
            "Date",
            "delayed",
            "4.4.7",
            "klantendienst@shop.example",
            id="exchange-delayed",
        ),
    ],
)
def test_a_bounce_is_dated_by_the_failure_not_by_the_returned_message(
    raw, when, detail, action, status, recipient
):
    """This test ensures that a bounce's date is its own (or the status part's), never the original's.

    The status part gives recipient, action and status code; the returned
    message is shown as such and is not a forward.
    """
    reading = read_message_bytes(raw)
    stamp = reading.timestamps[0]
    assert stamp.source is Src.EMAIL_HEADER and stamp.detail == detail
    assert stamp.value == when
    assert all(s.source is not Src.FORWARDED_EMAIL for s in reading.timestamps)
    content = reading.content
    assert isinstance(content, EmailContent) and content.delivery is not None
    (found,) = content.delivery.recipients
    assert (found.action, found.status, found.recipient) == (action, status, recipient)
    assert not any(f.forwarded for f in content.forwarded)
    assert "returned" in [b.kind for b in content.blocks]
    assert "forwarded" not in [b.kind for b in content.blocks]


def test_the_server_reply_is_kept_whole():
    """This test ensures that a folded Diagnostic-Code is read as one line without its type."""
    content = read_message_bytes(POSTFIX).content
    assert isinstance(content, EmailContent) and content.delivery is not None
    assert content.delivery.recipients[0].diagnostic == (
        "550 5.1.1 <klantendienst@shop.example>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    )
    assert content.delivery.reporting_mta == "mail.example.org"


@pytest.mark.parametrize(
    ("subject", "sender", "body", "status", "action"),
    [
        pytest.param(
            "Mail delivery failed: returning message to sender",
            "Mail Delivery System <Mailer-Daemon@mx.example.net>",
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            "  service@shop.example\n    host mx.shop.example [192.0.2.7]\n"
            "    SMTP error from remote mail server after RCPT TO:<service@shop.example>:\n"
            "    550 5.1.1 User unknown\n",
            "5.1.1",
            "failed",
            id="exim-text-only",
        ),
        pytest.param(
            "Returned mail: see transcript for details",
            "MAILER-DAEMON <MAILER-DAEMON@example.net>",
            "The original message was received at Mon, 2 Nov 2026 08:00:00 +0100\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            "<info@shop.example>\n\n   ----- Transcript of session follows -----\n"
            "... while talking to mx.shop.example.:\n>>> DATA\n<<< 552 5.2.2 Mailbox full\n",
            "5.2.2",
            "failed",
            id="sendmail-text-only",
        ),
    ],
)
def test_a_text_only_bounce_is_read_from_its_text(subject, sender, body, status, action):
    """This test ensures that a bounce without a status part gets its status code from its text."""
    raw = (
        f"From: {sender}\nTo: sofie@example.org\nSubject: {subject}\n"
        f"Date: Mon, 02 Nov 2026 08:00:05 +0100\nContent-Type: text/plain\n\n{body}"
    ).encode()
    content = read_message_bytes(raw).content
    assert isinstance(content, EmailContent) and content.delivery is not None
    assert content.delivery.from_text
    (found,) = content.delivery.recipients
    assert (found.status, found.action) == (status, action)


def test_a_subject_alone_from_a_person_is_no_bounce():
    """This test ensures that a person's mail about a failed delivery is not read as a bounce."""
    raw = (
        b"From: Sofie <sofie@example.org>\nTo: shop@shop.example\n"
        b"Subject: Undelivered parcel\nDate: Mon, 02 Nov 2026 08:00:05 +0100\n\n"
        b"My parcel was not delivered (5.1.1 is not a code here)."
    )
    content = read_message_bytes(raw).content
    assert isinstance(content, EmailContent) and content.delivery is None


@pytest.mark.parametrize(
    ("subject", "body", "status"),
    [
        pytest.param(
            "Undeliverable: Formal notice",
            "Delivery has failed to these recipients or groups:\n\nservice@shop.example\n"
            "The email address you entered couldn't be found.\n\nDiagnostic information for "
            "administrators:\n\nRemote Server returned '550 5.1.10 "
            "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
            "5.1.10",
            id="outlook-en",
        ),
        pytest.param(
            "Non remis : Mise en demeure",
            "La remise à ces destinataires ou groupes a échoué :\n\nservice@shop.example\n"
            "Le serveur distant a renvoyé '554 5.4.14 Hop count exceeded'",
            "5.4.14",
            id="outlook-fr",
        ),
    ],
)
def test_an_outlook_msg_ndr_is_a_bounce(subject, body, status):
    """This test ensures that an Outlook non-delivery report (.msg) shows its status, not a forward.

    The attached original (the message that failed) does not date the report.
    """
    original = types.SimpleNamespace(
        date=dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC),
        attachments=[],
        htmlBody=None,
        body="Madame, Monsieur, ...",
        subject=subject.split(": ", 1)[1],
        sender="sofie@example.org",
        to="service@shop.example",
        cc="",
        messageId="",
        header=None,
        classType="IPM.Note",
    )
    attached = types.SimpleNamespace(data=original, longFilename="", contentId="")
    report = types.SimpleNamespace(
        date=dt.datetime(2026, 10, 1, 8, 0, 9, tzinfo=dt.UTC),
        attachments=[attached],
        htmlBody=None,
        body=body,
        subject=subject,
        sender="Microsoft Outlook <postmaster@outlook.example>",
        to="sofie@example.org",
        cc="",
        messageId="",
        header=None,
        classType="REPORT.IPM.Note.NDR",
    )
    content, stamps = _content(report, [], 0)
    assert [s.source for s in stamps] == [Src.EMAIL_HEADER]
    assert stamps[0].value.second == 9
    assert content.delivery is not None
    assert content.delivery.recipients[0].status == status
    assert content.delivery.recipients[0].recipient == "service@shop.example"
    assert [b.kind for b in content.blocks].count("returned") == 1


@pytest.mark.corpus
def test_corpus_bounce_with_damaged_mime(corpus_dir):
    """This test ensures that a real report with damaged MIME is read as a bounce dated by itself."""
    path = corpus_dir / "emails" / "mail-parser__mail_malformed_2.eml"
    reading = read_message_bytes(path.read_bytes())
    assert reading.timestamps[0].detail == "Date"
    content = reading.content
    assert isinstance(content, EmailContent) and content.delivery is not None
    (found,) = content.delivery.recipients
    assert (found.recipient, found.action) == ("abh@netpar.com.br", "failed")
    assert found.status.startswith("4.2.2")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ("Rapport de remise", "non remis (échec)", "5.1.1 (échec définitif)")),
        ("nl", ("Afleveringsrapport", "niet afgeleverd (mislukt)", "5.1.1 (blijvende fout)")),
        ("de", ("Zustellbericht", "nicht zugestellt", "5.1.1 (dauerhafter Fehler)")),
        ("en", ("Delivery status report", "not delivered (failed)", "Returned message")),
    ],
)
def test_the_status_box_is_in_the_dossier_language(tmp_path: Path, language, words):
    """This test ensures that the page shows the bounce's status in a box in the dossier's language."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "bounce.eml").write_bytes(POSTFIX)
    (folder / "case.toml").write_text(f'language = "{language}"\n', encoding="utf-8")
    result = api.build(BuildOptions(folder=folder, output=tmp_path / "out.pdf", now=NOW))
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(result.output).pages
    )
    for word in words:
        assert word in text
    assert "User unknown in virtual mailbox table" in text
