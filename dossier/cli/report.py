"""What the command line prints: the timeline before a build, the summary after.

A person at a terminal gets a table and colours (rich); a pipe or a file gets
plain tab-separated lines that scripts can cut, with notes on standard error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from dossier.discover import left_out_lines
from dossier.filesize import size_text
from dossier.i18n import Message, _, current_language, ngettext, said_in
from dossier.layout.formats import source_text, timestamp_text
from dossier.layout.style import Strings, strings
from dossier.model import BuildResult, Exhibit, Plan
from dossier.printable import printable, say
from dossier.rejections import rejection_line

if TYPE_CHECKING:
    from dossier.model import Finding, ReadAmount


# The texts come from the page layout, which loads reportlab: imported on
# first use, so that listing a folder without amounts does not pay for it.
def amount_text(read: ReadAmount, words: Strings) -> str:
    """An amount read from an exhibit, as the summary page writes it."""
    from dossier.layout.billing import amount_text as text

    return text(read, words)


def finding_text(finding: Finding, words: Strings) -> str:
    """A billing finding, as the summary page writes it."""
    from dossier.layout.billing import finding_text as text

    return text(finding, words)


def is_terminal() -> bool:
    """Whether standard output is a terminal a person is looking at."""
    return sys.stdout.isatty()


def print_timeline(timeline: Plan, terminal: bool, detail: bool = False) -> None:
    """The timeline: number, date, date source, kind, file, caption and warnings.

    ``detail`` (``-v``) adds the technical reason why a file is not included.
    """
    if terminal:
        _print_timeline_table(timeline, detail)
        return
    words = strings(current_language())
    zone = timeline.case.zone
    for notice in timeline.notices:
        say(_("note: {message}").format(message=said(notice)), err=True)
    for line in timeline.inferred:
        say(_("inferred: {fact}").format(fact=said(line)), err=True)
    for exhibit in timeline.exhibits:
        cells = [
            exhibit.ref,
            timestamp_text(exhibit.timestamp, words, zone),
            source_text(exhibit.timestamp, words),
            exhibit.kind.value,
            exhibit.source.relpath,
            exhibit.caption,
            _("; ").join(said_warning(warning, detail) for warning in exhibit.warnings),
        ]
        # Each cell made printable: a tab or newline in a name cannot split the line.
        click.echo("\t".join(printable(cell) for cell in cells))
        # Amounts read by --ocr go beside the table, so the table stays one line per exhibit.
        for read in exhibit.amounts:
            amount = _("amount: {amount}").format(amount=printable(amount_text(read, words)))
            click.echo(f"{exhibit.ref}\t{amount}", err=True)
    for finding in timeline.findings:
        say(_("finding: {finding}").format(finding=finding_text(finding, words)), err=True)
    if timeline.rejections:
        click.echo(_("Not included ({count}):").format(count=len(timeline.rejections)), err=True)
        for rejection in timeline.rejections:
            say(rejection_line(rejection, current_language(), detail), err=True)
    for line in skipped_lines(timeline):
        say(line, err=True)


def skipped_lines(timeline: Plan) -> list[str]:
    """The files and links of the folder that are left out, each with the reason."""
    if not timeline.skipped:
        return []
    head = _("Skipped ({count}):").format(count=len(timeline.skipped))
    return [head, *said(left_out_lines(timeline.skipped)).splitlines()]


def _print_timeline_table(timeline: Plan, detail: bool) -> None:
    # rich is loaded for a terminal only: it takes a tenth of a second to import.
    from rich.console import Console
    from rich.table import Table

    words = strings(current_language())
    zone = timeline.case.zone
    console = Console(highlight=False)
    for notice in timeline.notices:
        console.print(_labelled(_("note: {message}"), "dim", message=safe(said(notice))))
    for line in timeline.inferred:
        console.print(_labelled(_("inferred: {fact}"), "dim", fact=safe(said(line))))
    table = Table(title=_exhibits(len(timeline.exhibits)), title_justify="left")
    # The caption and its warnings are what people read: they get the room.
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(_("Date"), min_width=10)
    table.add_column(_("Date from"), ratio=2)
    table.add_column(_("Kind"), no_wrap=True)
    table.add_column(_("File"), overflow="fold", ratio=2)
    table.add_column(_("Caption and warnings"), overflow="fold", ratio=4)
    for exhibit in timeline.exhibits:
        weak = exhibit.timestamp is None or exhibit.timestamp.weak
        table.add_row(
            exhibit.ref,
            timestamp_text(exhibit.timestamp, words, zone),
            f"[yellow]{safe(source_text(exhibit.timestamp, words))}[/]"
            if weak
            else safe(source_text(exhibit.timestamp, words)),
            exhibit.kind.value,
            safe(exhibit.source.relpath),
            _caption_cell(exhibit, words, detail),
        )
    console.print(table)
    for finding in timeline.findings:
        console.print(
            _labelled(_("finding: {finding}"), "bold", finding=safe(finding_text(finding, words)))
        )
    if timeline.rejections:
        head = _("Not included ({count}):").format(count=len(timeline.rejections))
        console.print(f"[bold red]{safe(head)}[/]")
        for rejection in timeline.rejections:
            console.print(safe(rejection_line(rejection, current_language(), detail)))
    for line in skipped_lines(timeline):
        console.print(f"[dim]{safe(line)}[/]")
    warned = sum(1 for exhibit in timeline.exhibits if exhibit.warnings)
    if warned:
        line = ngettext(
            "{count} exhibit with warnings: check it above.",
            "{count} exhibits with warnings: check them above.",
            warned,
        ).format(count=warned)
        console.print(f"[yellow]{safe(line)}[/]")


def _caption_cell(exhibit: Exhibit, words: Strings, detail: bool) -> str:
    lines = [safe(exhibit.caption)]
    amount = _("amount: {amount}")
    lines += [
        f"[cyan]{amount.format(amount=safe(amount_text(read, words)))}[/]"
        for read in exhibit.amounts
    ]
    lines += [f"[yellow]⚠ {safe(said_warning(warning, detail))}[/]" for warning in exhibit.warnings]
    return "\n".join(lines)


def print_summary(result: BuildResult, terminal: bool, detail: bool = False) -> None:
    """What was written: path, pages, size, exhibits, what was left out, warnings.

    ``detail`` (``-v``) adds the technical reason why a file is not included.
    """
    timeline = result.plan
    where = str(result.output)
    if result.volumes:
        where = ", ".join(f"{v} ({said(size_text(v.stat().st_size))})" for v in result.volumes)
    pages = ngettext("{count} page", "{count} pages", result.page_count)
    head = _("Wrote {file}: {pages}, {size}, {exhibits}.").format(
        file=where,
        pages=pages.format(count=result.page_count),
        size=said(size_text(result.size)),
        exhibits=_exhibits(len(timeline.exhibits)),
    )
    note = _("note: {message}")
    lines = [note.format(message=said(notice)) for notice in timeline.notices]
    lines += [_("inferred: {fact}").format(fact=said(line)) for line in timeline.inferred]
    words = strings(current_language())
    finding_line = _("finding: {finding}")
    lines += [finding_line.format(finding=finding_text(f, words)) for f in timeline.findings]
    lines.append(head)
    lines += [note.format(message=said(message)) for message in result.notes]
    # Each heading keeps its colour on a terminal, whatever language it is in.
    styles = {head: "bold green"}
    if timeline.rejections:
        rejected = _("Not included ({count}), listed on the 'Not included' page:").format(
            count=len(timeline.rejections)
        )
        styles[rejected] = "bold red"
        lines.append(rejected)
        lines += [rejection_line(r, current_language(), detail) for r in timeline.rejections]
    lines += skipped_lines(timeline)
    warnings = [(e.source.relpath, w) for e in timeline.exhibits for w in e.warnings]
    if warnings:
        warned = _("Warnings ({count}):").format(count=len(warnings))
        styles[warned] = "yellow"
        lines.append(warned)
        said_line = _("{file}: {reason}")
        lines += [
            "  " + said_line.format(file=relpath, reason=said_warning(warning, detail))
            for relpath, warning in warnings
        ]
    if not terminal:
        for line in lines:
            say(line)
        return
    from rich.console import Console

    console = Console(highlight=False)
    for line in lines:
        console.print(safe(line), style=styles.get(line))


def said(text: str) -> str:
    """A message of the library (a warning, a note) in the command line's language."""
    return said_in(text, current_language())


def said_warning(warning: str, detail: bool = False) -> str:
    """An exhibit's warning in the command line's language.

    The tool's own warnings are messages it can say in each language. Any
    other is a library's own words, in English (Pillow's "Corrupt EXIF
    data…", pypdf's): another language says what it is, and ``detail``
    (``-v``) adds the library's words.
    """
    language = current_language()
    if isinstance(warning, Message) or language == "en":
        return said_in(warning, language)
    said = _("the program that reads this kind of file reported damage it could work around")
    if detail:
        said = _("{reason} (detail: {detail})").format(reason=said, detail=warning)
    return said


def safe(text: str) -> str:
    """Untrusted text for rich: printable (no control characters), and no markup."""
    from rich.markup import escape

    return escape(printable(text))


def _exhibits(count: int) -> str:
    return ngettext("{count} exhibit", "{count} exhibits", count).format(count=count)


def _labelled(template: str, style: str, **values: str) -> str:
    """A ``label: {value}`` line for rich, the label (before the first colon) in ``style``."""
    label, colon, rest = template.partition(":")
    if not colon:
        return template.format(**values)
    return f"[{style}]{safe(label + colon)}[/]" + rest.format(**values)
