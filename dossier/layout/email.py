"""The pages of an email exhibit: header block, body, attachments, authenticity panel.

The body is laid out from the reader's blocks: paragraphs, list items,
quotes, the tables of order confirmations (kept as tables), ``cid:`` pictures
where they stand, and the header of each forwarded message in a box. It flows
over as many pages as it needs; the stamp band is added to each page later.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from PIL import Image as PilImage
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Image,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import Flowable, HRFlowable

from dossier.layout import breakable, escape
from dossier.layout.flow import build_flowing
from dossier.layout.fonts import BOLD, REGULAR, ScriptParagraph, register_fonts
from dossier.layout.formats import long_date
from dossier.layout.style import PageStyle, Strings
from dossier.model import (
    Authenticity,
    BodyBlock,
    DeliveryReport,
    EmailContent,
    Exhibit,
    Rejection,
)
from dossier.model import TimestampSource as Src
from dossier.readers.email import parse_date_header
from dossier.readers.emailbody import table_row_text
from dossier.readers.forwarded import field_key
from dossier.rejections import shown_reason

_GREY = colors.Color(0.35, 0.35, 0.35)
_LIGHT = colors.Color(0.75, 0.75, 0.75)
_PANEL = colors.Color(0.96, 0.96, 0.96)
# Wider tables than this are read as text rows: they would not fit a page.
_MAX_COLUMNS = 8
# A header value longer than this is laid out below the panel, where it can
# flow over pages (about 15 lines of the panel's width).
MAX_CELL_CHARACTERS = 1500
# An attachment's name is shortened to this in its table cell; the full name
# is in the email itself (and in the manifest when it is shown as an exhibit).
MAX_NAME_CHARACTERS = 300


def render_email_body(
    exhibit: Exhibit, style: PageStyle, strings: Strings, zone: ZoneInfo, out: Path
) -> int:
    """Lay out an email over as many pages as it needs; returns the page count."""
    content = exhibit.content
    if not isinstance(content, EmailContent):
        raise TypeError(f"not an email: {type(content).__name__}")
    register_fonts()
    try:
        return _build(exhibit, content, style, strings, zone, out, tables=True)
    except LayoutError:
        # A table row or picture taller than a page: lay the body out as text.
        return _build(exhibit, content, style, strings, zone, out, tables=False)


def _build(
    exhibit: Exhibit,
    content: EmailContent,
    style: PageStyle,
    strings: Strings,
    zone: ZoneInfo,
    out: Path,
    tables: bool,
) -> int:
    _, _, width, height = style.content_box(stamped=True)
    styles = _Styles(style)
    story: list[Flowable] = _header_block(exhibit, content, styles, strings, zone, width)
    story += _notes(exhibit, content, styles, strings, zone)
    story += _delivery(content.delivery, styles, strings, zone, width)
    story.append(Spacer(0, style.text_leading))
    for block in content.blocks:
        story += _block(block, styles, strings, width, height, tables)
    story += _attachments(content, styles, strings, width)
    story += _authenticity(content.authenticity, styles, strings, zone, width)
    return build_flowing(story, style, out, stamped=True)


class _Styles:
    def __init__(self, style: PageStyle) -> None:
        size, leading = style.text_size, style.text_leading
        self.leading = leading
        self.body = ParagraphStyle(
            "body",
            fontName=REGULAR,
            fontSize=size,
            leading=leading,
            spaceAfter=leading * 0.5,
            splitLongWords=True,
        )
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontName=BOLD, fontSize=size + 1, leading=leading + 1
        )
        self.item = ParagraphStyle("item", parent=self.body, leftIndent=12, spaceAfter=2)
        self.quote = ParagraphStyle("quote", parent=self.body, leftIndent=12, textColor=_GREY)
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=size - 1.5, leading=leading - 2, spaceAfter=0
        )
        self.small_bold = ParagraphStyle("small_bold", parent=self.small, fontName=BOLD)
        self.cell = ParagraphStyle(
            "cell", parent=self.body, fontSize=size - 1, leading=leading - 1, spaceAfter=0
        )
        self.label = ParagraphStyle(
            "label", fontName=BOLD, fontSize=size - 1, leading=leading, splitLongWords=True
        )
        self.value = ParagraphStyle(
            "value", fontName=REGULAR, fontSize=size - 1, leading=leading, splitLongWords=True
        )
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=BOLD, spaceBefore=leading * 0.5, spaceAfter=3
        )


def _text(text: str) -> str:
    """Text as reportlab paragraph markup, line breaks kept."""
    return escape(text).replace("\n", "<br/>").replace("\t", "    ")


def _local(value_text: str, strings: Strings, zone: ZoneInfo) -> str:
    parsed = parse_date_header(value_text) if value_text else None
    if parsed is None:
        return ""
    shown = parsed.astimezone(zone)
    return strings.format(
        "email.local_date",
        date=long_date(shown.date(), strings),
        time=f"{shown:%H:%M}",
        zone=zone.key,
    )


def _header_block(
    exhibit: Exhibit,
    content: EmailContent,
    styles: _Styles,
    strings: Strings,
    zone: ZoneInfo,
    width: float,
) -> list[Flowable]:
    date = content.date_header or strings["email.no_date"]
    local = _local(content.date_header, strings, zone)
    if local:
        date += f" — {local}"
    rows = [
        ("email.from", content.sender),
        ("email.to", content.to),
        ("email.cc", content.cc),
        ("email.date", date),
        ("email.subject", content.subject or strings["email.no_subject"]),
        ("email.message_id", content.message_id),
    ]
    return _panel([(strings[key], value) for key, value in rows if value], styles, width)


def _panel(rows: Sequence[tuple[str, str]], styles: _Styles, width: float) -> list[Flowable]:
    """Header rows as a panel; a value too long for one page flows below it, in full.

    A table row cannot be split over pages: 150 Cc recipients or a 50 KB
    subject in a cell would make a row taller than a page and stop the build.
    """
    short = [(name, value) for name, value in rows if len(value) <= MAX_CELL_CHARACTERS]
    long = [(name, value) for name, value in rows if len(value) > MAX_CELL_CHARACTERS]
    data = [
        [ScriptParagraph(escape(name), styles.label), ScriptParagraph(_text(value), styles.value)]
        for name, value in short
    ]
    flowing: list[Flowable] = []
    if data:
        table = Table(data, colWidths=[width * 0.18, width * 0.82], hAlign="LEFT")
        table.setStyle(_panel_style())
        flowing.append(table)
    flowing += [
        ScriptParagraph(f"<b>{escape(name)}</b> {_text(value)}", styles.value)
        for name, value in long
    ]
    return flowing


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (+{len(text) - limit} characters)"


def _panel_style() -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, -1), _PANEL),
            ("BOX", (0, 0), (-1, -1), 0.5, _LIGHT),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )


def _notes(
    exhibit: Exhibit, content: EmailContent, styles: _Styles, strings: Strings, zone: ZoneInfo
) -> list[Flowable]:
    lines = []
    stamp = exhibit.timestamp
    if stamp is not None and stamp.source is Src.FORWARDED_EMAIL:
        original = next((f for f in content.forwarded if f.date is not None and f.forwarded), None)
        shown = stamp.shown(zone)
        when = f"{long_date(shown.date(), strings)}, {shown:%H:%M}"
        if original is not None:
            when += f" ({original.sender})" if original.sender else ""
        lines.append(strings.format("email.forwarded_dated", date=when))
    lines += [localised_note(warning, strings) for warning in exhibit.warnings]
    if not lines:
        return []
    flowables: list[Flowable] = [
        Spacer(0, 4),
        ScriptParagraph(escape(strings["email.notes"]), styles.small_bold),
    ]
    flowables += [ScriptParagraph("• " + _text(line), styles.small) for line in lines]
    return flowables


# The notes of the readers and the dating stage, in the dossier's language on
# the page (the command line prints them in English). A note not listed here
# is printed as it is.
_NOTES = (
    (re.compile(r"the message has no Date header"), "email_notes.no_date"),
    (re.compile(r"the Date header (?P<value>.+) cannot be read"), "email_notes.bad_date"),
    (re.compile(r"the message has no sent or received time.*"), "email_notes.no_sent_time"),
    (
        re.compile(r"the message is not well-formed MIME \((?P<defects>[^)]*)\).*"),
        "email_notes.bad_mime",
    ),
    (
        re.compile(r"(?P<count>\d+) different characters \(e\.g\. (?P<sample>.*)\) are not in.*"),
        "email_notes.missing_glyphs",
    ),
    (
        re.compile(r"the attachment (?P<name>.+) is not shown: (?P<reason>.*)"),
        "email_notes.attachment",
    ),
    (re.compile(r"no date found in the file or its name: .*"), "email_notes.mtime"),
    (
        re.compile(
            r"(?P<detail>.+) (?P<value>\d{4}-\d\d-\d\d \d\d:\d\d) is not plausible; ignored"
        ),
        "email_notes.implausible",
    ),
)


def localised_note(note: str, strings: Strings) -> str:
    """A reader's note in the dossier's language, when it is one we know."""
    for pattern, key in _NOTES:
        match = pattern.fullmatch(note)
        if match is not None:
            values = match.groupdict()
            if "reason" in values:
                # The reader's reason holds a library's words: the recipient reads its kind.
                values["reason"] = shown_reason(Rejection("", values["reason"]), strings)
            return strings.format(key, **values)
    return note


def _block(
    block: BodyBlock,
    styles: _Styles,
    strings: Strings,
    width: float,
    height: float,
    tables: bool,
) -> list[Flowable]:
    kind = block.kind
    if kind == "table":
        if tables and len(block.rows[0]) <= _MAX_COLUMNS:
            return [_table(block.rows, styles, width), Spacer(0, styles.leading * 0.5)]
        return [ScriptParagraph(_text(table_row_text(row)), styles.cell) for row in block.rows] + [
            Spacer(0, styles.leading * 0.5)
        ]
    if kind == "image":
        return [_picture(block, styles, strings, width, height * 0.6 if tables else height * 0.3)]
    if kind == "rule":
        return [HRFlowable(width="100%", thickness=0.5, color=_LIGHT, spaceBefore=2, spaceAfter=6)]
    if kind == "forwarded":
        return _forwarded(block, styles, strings, width)
    if kind == "returned":
        titled = BodyBlock(kind, strings["delivery.returned"], rows=block.rows)
        return _forwarded(titled, styles, strings, width)
    paragraph_style = {
        "heading": styles.heading,
        "item": styles.item,
        "quote": styles.quote,
    }.get(kind, styles.body)
    return [ScriptParagraph(_text(block.text), paragraph_style)]


def _table(rows: Sequence[Sequence[str]], styles: _Styles, width: float) -> Table:
    columns = max(len(row) for row in rows)
    # Columns share the width by how much they hold, none narrower than a price.
    weights = [
        min(max((len(row[i]) if i < len(row) else 0) for row in rows), 40) + 6
        for i in range(columns)
    ]
    total = sum(weights)
    widths = [width * w / total for w in weights]
    data = [
        [
            ScriptParagraph(_text(row[i]) if i < len(row) else "", styles.cell)
            for i in range(columns)
        ]
        for row in rows
    ]
    table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, _LIGHT),
                ("BOX", (0, 0), (-1, -1), 0.5, _LIGHT),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _picture(
    block: BodyBlock, styles: _Styles, strings: Strings, width: float, max_height: float
) -> Flowable:
    try:
        with PilImage.open(io.BytesIO(block.image or b"")) as picture:
            picture.seek(0)
            picture.thumbnail((1600, 1600))
            rgb = picture.convert("RGBA")
            background = PilImage.new("RGB", rgb.size, "white")
            background.paste(rgb, mask=rgb.getchannel("A"))
    except (OSError, ValueError, SyntaxError, PilImage.DecompressionBombError):
        return ScriptParagraph(escape(strings["email.picture_unreadable"]), styles.small)
    buffer = io.BytesIO()
    background.save(buffer, "PNG")
    buffer.seek(0)
    pixel_w, pixel_h = background.size
    # At most 1.5 points per pixel: a logo stays a logo, a photo fits the page.
    scale = min(width / pixel_w, max_height / pixel_h, 1.5)
    image = Image(buffer, pixel_w * scale, pixel_h * scale)
    image.hAlign = "LEFT"
    return image


def _forwarded(block: BodyBlock, styles: _Styles, strings: Strings, width: float) -> list[Flowable]:
    # In the dossier's language, whatever the mail program wrote: the
    # quoted field names ("Envoyé :", "Van:") become the header block's labels.
    title = strings["email.forwarded"] if block.kind == "forwarded" else block.text
    rows = [(_field_label(name, strings), value) for name, value in block.rows]
    data = [[ScriptParagraph(escape(title), styles.label), ""]]
    data += [
        [ScriptParagraph(escape(name), styles.label), ScriptParagraph(_text(value), styles.value)]
        for name, value in rows
        if len(value) <= MAX_CELL_CHARACTERS
    ]
    table = Table(data, colWidths=[width * 0.18, width * 0.82], hAlign="LEFT")
    panel = _panel_style()
    panel.add("SPAN", (0, 0), (1, 0))
    panel.add("LINEABOVE", (0, 0), (-1, 0), 1.2, _GREY)
    table.setStyle(panel)
    # As in the header block: a value too long for a cell flows below, in full.
    long = [
        ScriptParagraph(f"<b>{escape(name)}</b> {_text(value)}", styles.value)
        for name, value in rows
        if len(value) > MAX_CELL_CHARACTERS
    ]
    if long:
        return [Spacer(0, 4), table, *long, Spacer(0, 6)]
    return [KeepTogether([Spacer(0, 4), table, Spacer(0, 6)])]


def _field_label(name: str, strings: Strings) -> str:
    """A quoted header field's label in the dossier's language, when it is a known one."""
    key = field_key(name)
    return strings[f"email.{key}"] if key else name.strip().rstrip(":").strip()


# RFC 3463: the first digit of a status code is its class.
_STATUS_CLASSES = {"2": "delivery.class_2", "4": "delivery.class_4", "5": "delivery.class_5"}
_ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")


def _delivery(
    report: DeliveryReport | None, styles: _Styles, strings: Strings, zone: ZoneInfo, width: float
) -> list[Flowable]:
    """The status of a bounce in a box: recipient, result, status code, the server's reply."""
    if report is None:
        return []
    rows: list[tuple[str, str]] = []
    for recipient in report.recipients:
        action = recipient.action
        result = strings[f"delivery.action_{action}"] if action in _ACTIONS else action
        code = recipient.status.strip()
        meaning = _STATUS_CLASSES.get(code[:1])
        if meaning and code[1:2] == ".":
            code += f" ({strings[meaning]})"
        rows += [
            ("delivery.recipient", recipient.recipient),
            ("delivery.action", result),
            ("delivery.status", code),
            ("delivery.diagnostic", recipient.diagnostic),
            ("delivery.remote_mta", recipient.remote_mta),
            ("delivery.last_attempt", _when(recipient.last_attempt, strings, zone)),
        ]
    rows += [
        ("delivery.reporting_mta", report.reporting_mta),
        ("delivery.arrival_date", _when(report.arrival_date, strings, zone)),
    ]
    data: list[list[Flowable | str]] = [
        [ScriptParagraph(escape(strings["delivery.title"]), styles.small_bold), ""]
    ]
    data += [
        [
            ScriptParagraph(escape(strings[key]), styles.label),
            ScriptParagraph(_text(value), styles.value),
        ]
        for key, value in rows
        if value
    ]
    if not report.recipients:
        data.append([ScriptParagraph(escape(strings["delivery.unsure"]), styles.small), ""])
    elif report.from_text:
        data.append([ScriptParagraph(escape(strings["delivery.from_text"]), styles.small), ""])
    table = Table(data, colWidths=[width * 0.22, width * 0.78], hAlign="LEFT")
    panel = _panel_style()
    panel.add("SPAN", (0, 0), (1, 0))
    if not report.recipients or report.from_text:
        panel.add("SPAN", (0, -1), (1, -1))
    panel.add("LINEABOVE", (0, 0), (-1, 0), 1.2, _GREY)
    table.setStyle(panel)
    return [Spacer(0, 4), KeepTogether([table])]


def _when(text: str, strings: Strings, zone: ZoneInfo) -> str:
    """A date of the status part as written, and in the dossier's language and zone."""
    local = _local(text, strings, zone) if text else ""
    return f"{text} — {local}" if local else text


def _attachments(
    content: EmailContent, styles: _Styles, strings: Strings, width: float
) -> list[Flowable]:
    if not content.attachments:
        return []
    rows = []
    # The widths of the cells' text, less their padding (the table's default 6 pt).
    type_width, hash_width = width * 0.17 - 9, width * 0.37 - 9
    small = styles.small
    for item in content.attachments:
        size = strings.format(
            "email.attachment_size", size=format_decimal(item.size, locale=strings.locale)
        )
        where = (
            strings.format(
                "email.attachment_shown",
                label=strings.format("exhibit_label", number=item.shown_as),
            )
            if item.shown_as
            else ""
        )
        rows.append(
            [
                ScriptParagraph(_text(_shortened(item.name, MAX_NAME_CHARACTERS)), styles.cell),
                ScriptParagraph(
                    escape(size)
                    + "<br/>"
                    + breakable(item.content_type, small.fontName, small.fontSize, type_width),
                    small,
                ),
                ScriptParagraph(
                    "SHA-256 " + breakable(item.sha256, small.fontName, small.fontSize, hash_width),
                    small,
                ),
                ScriptParagraph(escape(where), styles.small_bold),
            ]
        )
    table = Table(rows, colWidths=[width * 0.3, width * 0.17, width * 0.37, width * 0.16])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, _LIGHT),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [ScriptParagraph(escape(strings["email.attachments"]), styles.title), table]


def _authenticity(
    found: Authenticity | None, styles: _Styles, strings: Strings, zone: ZoneInfo, width: float
) -> list[Flowable]:
    if found is None:
        return []
    lines = []
    for signature in found.signatures:
        state = {
            True: strings.format("auth.body_ok", domain=signature.domain),
            False: strings["auth.body_mismatch"],
            None: strings["auth.body_unchecked"]
            + (f" ({strings['auth.why_' + signature.note]})" if signature.note else ""),
        }[signature.body_ok]
        head = strings.format("auth.dkim", domain=signature.domain, selector=signature.selector)
        lines.append(f"{head}: {state}; {strings['auth.header_unchecked']}.")
    if not found.signatures:
        lines.append(strings["auth.no_dkim" if found.as_sent else "auth.dkim_not_checkable"])
    if found.smime:
        lines.append(strings["auth.smime"])
    if found.first_received is not None and found.last_received is not None:
        first, last = found.first_received.astimezone(zone), found.last_received.astimezone(zone)
        lines.append(
            strings.format(
                "auth.received",
                first=f"{long_date(first.date(), strings)} {first:%H:%M:%S}",
                last=f"{long_date(last.date(), strings)} {last:%H:%M:%S}",
                hops=found.hops,
            )
        )
    else:
        lines.append(strings["auth.no_received"])
    cells = [[ScriptParagraph(escape(strings["auth.title"]), styles.small_bold)]]
    cells += [[ScriptParagraph(_text(line), styles.small)] for line in lines]
    table = Table(cells, colWidths=[width], hAlign="LEFT")
    table.setStyle(_panel_style())
    return [Spacer(0, styles.leading), KeepTogether([table])]
