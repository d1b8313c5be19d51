"""The values passed from stage to stage.

Every class here is frozen: a stage never changes what it was given, it
returns a new value with ``dataclasses.replace``. That way each field is set
by exactly one stage, and a test can look at any stage's output on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from dossier.case.facts import CaseFacts

# What OCR read on an image, the amounts read from an exhibit, and the billing
# findings built on them: values of the model, made by the billing stage.


@dataclasses.dataclass(frozen=True, slots=True)
class OcrWord:
    """One recognised word and its box, in pixels of the upright image (origin top left)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    # Tesseract's (block, paragraph, line) numbers: words with the same key share a line.
    line: tuple[int, int, int]
    # The colour of a number's letters (red or green marks a debit or a credit in many
    # bank apps that print no sign); None for words without digits.
    ink: tuple[int, int, int] | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class OcrText:
    """What OCR read on one image: its words, and the pixel size their boxes refer to."""

    width: int
    height: int
    words: tuple[OcrWord, ...]
    language: str


class Direction(enum.StrEnum):
    """Which way the money went, as far as the text says."""

    DEBIT = "debit"  # "-23,99 €", "23,99-": money taken from the account
    CREDIT = "credit"  # "+23,99 €": money received
    UNSIGNED = "unsigned"  # a price, a total or a balance


class Role(enum.StrEnum):
    """What an amount is, from the words on its line."""

    ENTRY = "entry"  # a statement line or a price
    TOTAL = "total"  # "Total de la commande", "Totaal", "Gesamtsumme", "Order total"
    REFUND = "refund"  # "Remboursement", "Terugbetaling", "Erstattung", "Refund"


class Provenance(enum.StrEnum):
    """Who read the amount: OCR (to be checked) or the user in the case file."""

    OCR = "ocr"
    CASE_FILE = "case_file"


@dataclasses.dataclass(frozen=True, slots=True)
class ReadAmount:
    """One amount read from an exhibit, with its date and the label beside it."""

    # Always positive: the sign is in ``direction``.
    amount: Decimal
    direction: Direction
    date: dt.date | None
    # The merchant or description on the amount's line ("AMZN Mktp BE").
    label: str
    role: Role = Role.ENTRY
    provenance: Provenance = Provenance.OCR
    # True when the row it belongs to is ambiguous on the screenshot (which
    # label or date goes with it): it is listed, but no finding is built on it.
    unsure: bool = False

    @property
    def signed(self) -> Decimal:
        """The amount with its sign: negative for a debit."""
        return -self.amount if self.direction is Direction.DEBIT else self.amount


class FindingKind(enum.StrEnum):
    """What is wrong."""

    DOUBLE_CHARGE = "double_charge"
    AMOUNT_DIFFERS = "amount_differs"
    REFUND_MISSING = "refund_missing"


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One billing problem, with the evidence for it."""

    kind: FindingKind
    amount: Decimal
    # The merchant labels as read ("AMAZON EU SARL / AMZN Mktp BE").
    merchant: str
    # The day of each charge (or of the announced refund).
    dates: tuple[dt.date, ...]
    # Numbers of the exhibits the finding rests on.
    exhibits: tuple[int, ...]
    # The order total, for AMOUNT_DIFFERS.
    expected: Decimal | None = None
    # True when any amount was read by OCR (and must be checked by the user).
    by_ocr: bool = True


class Kind(enum.StrEnum):
    """What a file is, decided from its content (magic bytes), not its name."""

    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    TIFF = "tiff"
    GIF = "gif"
    BMP = "bmp"
    HEIF = "heif"
    PDF = "pdf"
    EMAIL = "email"
    # Several emails in one file (Unix mbox), one exhibit per message.
    MBOX = "mbox"
    # An Outlook message (OLE compound file with Outlook property streams).
    MSG = "msg"
    NOTE = "note"

    @property
    def is_image(self) -> bool:
        """Whether the file is a raster image."""
        return self in _IMAGE_KINDS


_IMAGE_KINDS = frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP, Kind.TIFF, Kind.GIF, Kind.BMP, Kind.HEIF})


class TimestampSource(enum.StrEnum):
    """Where a date came from, strongest first."""

    CASE_FILE = "case_file"
    EXIF = "exif"
    EMBEDDED_METADATA = "embedded_metadata"
    FILENAME = "filename"
    # The date of the original message quoted in a forwarded email.
    FORWARDED_EMAIL = "forwarded_email"
    EMAIL_HEADER = "email_header"
    PDF_METADATA = "pdf_metadata"
    FILE_MTIME = "file_mtime"

    @property
    def rank(self) -> int:
        """Position in the order of preference (0 is the strongest)."""
        return list(TimestampSource).index(self)


@dataclasses.dataclass(frozen=True, slots=True)
class Timestamp:
    """A date with the place it was read from.

    ``value`` is the wall-clock time as recorded. It is timezone-aware only
    when the source gave an offset (an email Date header, EXIF
    OffsetTimeOriginal, a PDF date with a zone); a camera time without one is
    kept naive and is never shifted.
    """

    value: dt.datetime
    source: TimestampSource
    # The field or pattern that gave the value, e.g. "DateTimeOriginal".
    detail: str = ""
    # True when only the day is known (e.g. WhatsApp's IMG-20241103-WA0007).
    date_only: bool = False

    @property
    def weak(self) -> bool:
        """A file modification time says when a copy was made, not when the event was."""
        return self.source is TimestampSource.FILE_MTIME

    def instant(self, zone: ZoneInfo) -> dt.datetime:
        """The moment in time, for ordering: naive values are taken in ``zone``."""
        if self.value.tzinfo is None:
            return self.value.replace(tzinfo=zone)
        return self.value

    def shown(self, zone: ZoneInfo) -> dt.datetime:
        """The value to print: header and file-system dates in the case's zone.

        Camera and user dates are printed as recorded, never shifted.
        """
        shifted = {
            TimestampSource.FORWARDED_EMAIL,
            TimestampSource.EMAIL_HEADER,
            TimestampSource.PDF_METADATA,
            TimestampSource.FILE_MTIME,
        }
        if self.value.tzinfo is not None and self.source in shifted:
            return self.value.astimezone(zone)
        return self.value


# A file written this shortly before it was hashed may be written again
# within the same timestamp tick (2 s on FAT and exFAT drives), leaving its
# times unchanged: only its content can tell.
_RACY_NS = 2_000_000_000


@dataclasses.dataclass(frozen=True, slots=True)
class FileState:
    """What the file system said about a file just before it was hashed."""

    size: int
    mtime_ns: int
    # Changes on every write and cannot be set back, unlike the modification time.
    ctime_ns: int
    inode: int
    device: int
    # When this was read (nanoseconds since the epoch).
    seen_ns: int

    def unchanged_in(self, now: FileState) -> bool:
        """Whether ``now``, read later, shows that the file was surely not written since."""
        written_just_before = self.seen_ns - max(self.mtime_ns, self.ctime_ns) < _RACY_NS
        before = (self.size, self.mtime_ns, self.ctime_ns, self.inode, self.device)
        after = (now.size, now.mtime_ns, now.ctime_ns, now.inode, now.device)
        return before == after and not written_just_before


@dataclasses.dataclass(frozen=True, slots=True)
class SourceFile:
    """One file found in the case folder."""

    path: Path
    # Path relative to the case folder, with forward slashes: the key used in
    # the case file, the index and the manifest.
    relpath: str
    size: int
    sha256: str
    mtime: float
    # The file's state when it was hashed; None when it was not hashed from
    # disk (an email attachment), so that only its content can be compared.
    state: FileState | None = None

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits of the SHA-256, as printed on every page."""
        return self.sha256[:12]


@dataclasses.dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a picture as the user sees it (upright), top-left origin.

    Each value is in pixels, or in percent of the picture's width (x, width)
    or height (y, height) when the matching flag of ``percent`` is set.
    """

    x: float
    y: float
    width: float
    height: float
    percent: tuple[bool, bool, bool, bool] = (False, False, False, False)

    def pixels(self, image_width: int, image_height: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in pixels of an upright picture of the given size."""

        def scaled(value: float, size: int, percent: bool) -> float:
            return value * size / 100 if percent else value

        across, down, wide, tall = self.percent
        return (
            scaled(self.x, image_width, across),
            scaled(self.y, image_height, down),
            scaled(self.width, image_width, wide),
            scaled(self.height, image_height, tall),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Highlight:
    """A shape drawn over a picture to point at something, with an optional short label."""

    box: Box
    shape: str = "rectangle"  # or "ellipse"
    label: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class ExhibitSettings:
    """What the user said about one file in the case file."""

    caption: str | None = None
    date: dt.datetime | None = None
    date_only: bool = False
    order: int | None = None
    password: str | None = None
    # Boxes burned into the pixels of a picture as solid black.
    redact: tuple[Box, ...] = ()
    # Shapes drawn over a picture (vector), the pixels untouched.
    highlight: tuple[Highlight, ...] = ()
    # The part of a picture to show.
    crop: Box | None = None
    # False: never run OCR on this file (``ocr = false`` in the case file).
    ocr: bool = True
    # Amounts the user confirmed or corrected; they replace what OCR read.
    amounts: tuple[ReadAmount, ...] | None = None
    # True: with --attach-originals, embed the original even though it is redacted.
    attach_original: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class ImageContent:
    """What an image reader learnt about a photo or screenshot."""

    width: int
    height: int
    frames: int
    # EXIF orientation 1..8 (1 when absent or invalid).
    orientation: int
    camera: str | None
    # Whether the metadata holds a GPS position (removed unless --keep-metadata).
    has_location: bool = False
    # The ICC colour profile stored with the (first) picture, as found.
    icc_profile: bytes | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PdfContent:
    """What the PDF reader learnt about a PDF document."""

    # The pages shown: the document's pages but those left out.
    page_count: int
    title: str | None
    encrypted: bool
    # Pages (0-based) left out because they cannot be shown safely (a form that draws itself).
    left_out: tuple[int, ...] = ()
    # Names of the fonts its pages use without carrying them (a printer substitutes its own).
    fonts_not_embedded: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class BodyBlock:
    """One block of an email body, in reading order, as the page lays it out."""

    # "paragraph", "heading", "item" (of a list), "quote", "pre", "table",
    # "image" (an inline cid: picture), "rule" or "forwarded" (the header of a
    # forwarded message: ``rows`` holds its field/value pairs), or "returned"
    # (the header of the message a bounce returns, laid out the same way).
    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    image: bytes | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to an email (inline pictures shown in the body are not listed)."""

    name: str
    content_type: str
    size: int
    sha256: str
    # The decoded content, in the process's private temporary folder (never
    # in memory: an attachment can be hundreds of megabytes); None when empty.
    path: Path | None
    # "3a" when the attachment is shown as an exhibit of its own.
    shown_as: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class ForwardedMessage:
    """The original message quoted in a forwarded email."""

    sender: str
    date_text: str
    subject: str
    date: dt.datetime | None = None
    # False for a quoted message under a marker that mail programs also write
    # above replies ("Original Message"), in an email whose subject does not
    # say it was forwarded: its date is shown but does not date the exhibit.
    forwarded: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class DeliveryRecipient:
    """What a delivery-status notification says about one recipient (RFC 3464 fields)."""

    recipient: str
    # "failed", "delayed", "delivered", "relayed", "expanded"; "" when not said.
    action: str
    # The RFC 3463 status code, e.g. "5.1.1" (with the server's words after it, if any).
    status: str
    # The receiving server's reply, e.g. "550 5.1.1 <x@y>: Recipient address rejected".
    diagnostic: str = ""
    remote_mta: str = ""
    last_attempt: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class DeliveryReport:
    """The status part of a bounce: who reported it, when, and each recipient's fate."""

    reporting_mta: str = ""
    arrival_date: str = ""
    recipients: tuple[DeliveryRecipient, ...] = ()
    # True when read from the bounce's text (no status part): a status code found there.
    from_text: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class DkimSignature:
    """One DKIM-Signature header and what could be checked without the network."""

    domain: str
    selector: str
    # True: the body hash matches; False: it does not; None: it could not be checked.
    body_ok: bool | None
    # Why it could not be checked: "no_original" (the message was not kept as
    # sent, e.g. an Outlook .msg), "algorithm" (unknown) or "unreadable".
    note: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Authenticity:
    """What a mediator can check about where an email came from, offline."""

    signatures: tuple[DkimSignature, ...] = ()
    first_received: dt.datetime | None = None
    last_received: dt.datetime | None = None
    hops: int = 0
    # An S/MIME signature is attached (it is not verified: that needs the
    # signer's certificate chain).
    smime: bool = False
    # The message's bytes as they travelled are kept (an .eml); an Outlook
    # .msg keeps properties and some headers only: DKIM cannot be checked.
    as_sent: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class EmailContent:
    """The readable parts of an email message."""

    sender: str
    to: str
    cc: str
    date_header: str
    subject: str
    message_id: str
    # The body as plain text: paragraphs, list items, and table rows as cells
    # separated by two spaces ("item  qty  price"), links as "text (url)".
    body: str
    blocks: tuple[BodyBlock, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    forwarded: tuple[ForwardedMessage, ...] = ()
    authenticity: Authenticity | None = None
    # True when the body shown came from the HTML part.
    html: bool = False
    # Set for a delivery-status notification (a bounce): its status.
    delivery: DeliveryReport | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class NoteContent:
    """A plain text or Markdown note written by the user."""

    text: str


Content = ImageContent | PdfContent | EmailContent | NoteContent


@dataclasses.dataclass(frozen=True, slots=True)
class Reading:
    """A reader's result: the content, the dates found inside, and what it recovered from."""

    content: Content
    timestamps: tuple[Timestamp, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Exhibit:
    """One piece of evidence on its way through the pipeline."""

    source: SourceFile
    kind: Kind
    content: Content
    settings: ExhibitSettings = ExhibitSettings()
    # Dates found inside the file by its reader, before any choice is made.
    found_timestamps: tuple[Timestamp, ...] = ()
    # Set by the timestamps stage.
    timestamp: Timestamp | None = None
    # Set by the ordering stage; 1-based.
    number: int = 0
    # Set by the annotate stage: "Pièce n° 3" and a readable description.
    label: str = ""
    caption: str = ""
    warnings: tuple[str, ...] = ()
    # An attachment shown as its own exhibit ("3a") right after its email:
    # the email's number and the letter.
    parent: int | None = None
    sub_label: str = ""

    @property
    def ref(self) -> str:
        """The exhibit's number as printed: "3", or "3a" for an email's attachment."""
        return f"{self.number}{self.sub_label}"

    @property
    def page_key(self) -> int | str:
        """The key of this exhibit in ``first_pages``: its number, or "3a" for an attachment."""
        return self.ref if self.sub_label else self.number

    # Set by the OCR stage (``--ocr``): the words on the image, with their boxes.
    ocr: OcrText | None = None
    # Dated amounts read by OCR or given in the case file.
    amounts: tuple[ReadAmount, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Skipped:
    """A file or link of the folder left out (an earlier dossier, a link out), and why."""

    relpath: str
    reason: str


@dataclasses.dataclass(frozen=True, slots=True)
class Rejection:
    """A file that is not in the dossier, with the reason and what to do."""

    relpath: str
    reason: str
    advice: str = ""
    kind: Kind | None = None
    sha256: str | None = None
    # The kind of problem when the reader knows it ("unsupported"); else it is
    # told from the reason (see dossier.rejections).
    category: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class CaseFile:
    """The user's case file (``case.toml``), as far as the build needs it."""

    path: Path | None = None
    language: str = "fr"
    timezone: str = "Europe/Brussels"
    # Printed in every footer: the order number when known.
    reference: str | None = None
    claimant_name: str | None = None
    exhibits: Mapping[str, ExhibitSettings] = dataclasses.field(default_factory=dict)
    # The facts for the letters and the order summary; None without any.
    facts: CaseFacts | None = None

    @property
    def zone(self) -> ZoneInfo:
        """The case's time zone."""
        return ZoneInfo(self.timezone)


@dataclasses.dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything a build depends on, so that two equal options give the same dossier."""

    folder: Path
    output: Path | None = None
    skip_unreadable: bool = False
    # "Now", for rejecting dates in the future; injected so tests are stable.
    now: dt.datetime | None = None
    # Keep the photos' EXIF, XMP, IPTC (GPS position, camera serial) in the PDF.
    keep_metadata: bool = False
    # Photos on one page: 1, or 2 or 4 for contact sheets.
    photos_per_page: int = 1
    # Largest size of the PDF in bytes; images are downsampled to meet it.
    max_size: int | None = None
    # With max_size: split into volumes dossier-1.pdf, dossier-2.pdf, ... when
    # downsampling to 150 dpi is not enough.
    split: bool = False
    # Blank pages so that every exhibit starts on a right-hand page.
    duplex: bool = False
    # Read the text of image exhibits with Tesseract (a text layer and billing findings).
    ocr: bool = False
    # Keep what is read from each file (dates, hashes, OCR words) in the user's
    # cache for the next build (dossier.cache); the PDF is the same either way.
    cache: bool = True
    # Embed every original file in the PDF, linked from its exhibit's stamp.
    attach_originals: bool = False
    # Draw the form fields of PDF exhibits into their pages, as printed, instead of keeping them.
    flatten_forms: bool = False
    # Write PDF/A-2b (dossier.pdf.pdfa): forms flattened, exhibit pages that
    # cannot conform printed as images, the manifest beside the PDF only.
    pdfa: bool = False

    @property
    def output_path(self) -> Path:
        """Where the PDF goes: ``FOLDER/dossier.pdf`` unless told otherwise."""
        return self.output if self.output is not None else self.folder / "dossier.pdf"


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """The timeline a build would use: what ``dossier list`` prints."""

    case: CaseFile
    exhibits: tuple[Exhibit, ...]
    rejections: tuple[Rejection, ...]
    notices: tuple[str, ...] = ()
    # The case facts filled in from the evidence, one line each, with the file.
    inferred: tuple[str, ...] = ()
    # Billing problems found in the amounts of the exhibits.
    findings: tuple[Finding, ...] = ()
    # Files and links of the folder left out (own outputs, links out), with the reason.
    skipped: tuple[Skipped, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class BuildResult:
    """What a finished build produced."""

    output: Path
    page_count: int
    size: int
    plan: Plan
    # First page (1-based, over the whole document) of each exhibit, by number
    # (by "3a" for an email's attachment: ``Exhibit.page_key``).
    first_pages: Mapping[int | str, int] = dataclasses.field(default_factory=dict)
    # What the user should know about the build (location data removed, size reached).
    notes: tuple[str, ...] = ()
    # The volumes written, when the dossier was split (``output`` is the first).
    volumes: tuple[Path, ...] = ()
    # The manifest written beside the PDF (and embedded in it).
    manifest: Path | None = None
