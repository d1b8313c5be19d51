"""The "Billing findings": a section of the order summary, or a page after the index.

``findings_flowables`` gives the section, which the order summary appends;
without a summary (no case facts) ``render_findings`` draws it on its own page.
The words of each finding come from ``finding_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from dossier.layout import escape
from dossier.layout.flow import build_flowing
from dossier.layout.fonts import BOLD, REGULAR, ScriptParagraph, register_fonts
from dossier.layout.formats import money, numeric_date
from dossier.layout.style import PageStyle, Strings
from dossier.model import Direction, Finding, FindingKind, ReadAmount, Role


def finding_text(finding: Finding, strings: Strings) -> str:
    """One finding in words, with the exhibits it cites and who read the amounts."""
    numbers = [str(number) for number in finding.exhibits]
    cited = strings.format(
        "findings.exhibit_one" if len(numbers) == 1 else "findings.exhibit_many",
        numbers=_joined(numbers, strings),
    )
    values = {
        "count": len(finding.dates),
        "amount": money(finding.amount, strings),
        "merchant": finding.merchant or "?",
        "dates": _joined([numeric_date(day, strings) for day in finding.dates], strings),
        "exhibits": cited,
        "total": money(finding.expected, strings) if finding.expected is not None else "",
    }
    sentence = strings.format(f"findings.{finding.kind.value}", **values)
    how = strings["findings.by_ocr" if finding.by_ocr else "findings.by_case_file"]
    return f"{sentence} {how}"


def amount_text(read: ReadAmount, strings: Strings) -> str:
    """An amount as ``dossier list --ocr`` shows it: "03/11/2026  -23,99 €  AMAZON (ocr)"."""
    day = numeric_date(read.date, strings) if read.date else strings["no_date"]
    sign = "+" if read.direction is Direction.CREDIT else ""
    parts = [day, sign + money(read.signed, strings), read.label or "?"]
    if read.role is not Role.ENTRY:
        parts.append(f"[{read.role.value}]")
    if read.unsure:
        parts.append(f"[{strings['findings.unsure']}]")
    return "  ".join(parts) + f" ({read.provenance.value})"


def render_findings(
    findings: Sequence[Finding], style: PageStyle, strings: Strings, out: Path
) -> int:
    """Draw the findings page(s) into ``out``; returns the page count (0: nothing drawn)."""
    if not findings:
        return 0
    heading = ParagraphStyle(
        "heading", fontName=BOLD, fontSize=style.heading_size, leading=style.heading_size * 1.3
    )
    return build_flowing(
        findings_flowables(findings, style, strings, heading), style, out, stamped=False
    )


def findings_flowables(
    findings: Sequence[Finding],
    style: PageStyle,
    strings: Strings,
    heading: ParagraphStyle | None = None,
) -> list[Flowable]:
    """The findings as a titled list, to draw on their own page or on the order summary."""
    if not findings:
        return []
    register_fonts()
    text = ParagraphStyle(
        "text", fontName=REGULAR, fontSize=style.text_size, leading=style.text_leading
    )
    heading = heading or ParagraphStyle(
        "heading",
        fontName=BOLD,
        fontSize=style.text_size + 2,
        leading=style.text_leading + 2,
        spaceBefore=style.text_leading,
    )
    item = ParagraphStyle(
        "item",
        parent=text,
        leftIndent=12,
        bulletIndent=0,
        bulletFontName=REGULAR,
        spaceBefore=style.text_leading * 0.6,
    )
    story: list[Flowable] = [
        ScriptParagraph(escape(strings["findings.title"]), heading),
        Spacer(0, style.text_leading * 0.5),
        ScriptParagraph(escape(strings["findings.intro"]), text),
    ]
    story += [
        ScriptParagraph(escape(finding_text(finding, strings)), item, bulletText="•")
        for finding in sorted(findings, key=_order)
    ]
    return story


def _order(finding: Finding) -> tuple[int, tuple[int, ...]]:
    return list(FindingKind).index(finding.kind), finding.exhibits


def _joined(parts: Sequence[str], strings: Strings) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {strings['findings.and']} {parts[-1]}"
