"""What the command line prints: the timeline before a build, the summary after.

A person at a terminal gets a table and colours (rich); a pipe or a file gets
plain tab-separated lines that scripts can cut, with notes on standard error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from dossier.formats import source_text, timestamp_text
from dossier.layouts import Strings, strings
from dossier.model import BuildResult, Exhibit, Plan
from dossier.printable import printable, say
from dossier.sizes import size_text

if TYPE_CHECKING:
    from dossier.amounts import ReadAmount
    from dossier.findings import Finding


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


def print_timeline(timeline: Plan, terminal: bool) -> None:
    """The timeline: number, date, date source, kind, file, caption and warnings."""
    if terminal:
        _print_timeline_table(timeline)
        return
    words = strings(timeline.case.language)
    zone = timeline.case.zone
    for notice in timeline.notices:
        say(f"note: {notice}", err=True)
    for line in timeline.inferred:
        say(f"inferred: {line}", err=True)
    for exhibit in timeline.exhibits:
        cells = [
            exhibit.ref,
            timestamp_text(exhibit.timestamp, words, zone),
            source_text(exhibit.timestamp, words),
            exhibit.kind.value,
            exhibit.source.relpath,
            exhibit.caption,
            "; ".join(exhibit.warnings),
        ]
        # Each cell made printable: a tab or newline in a name cannot split the line.
        click.echo("\t".join(printable(cell) for cell in cells))
        # Amounts read by --ocr go beside the table, so the table stays one line per exhibit.
        for read in exhibit.amounts:
            click.echo(f"{exhibit.ref}\tamount: {printable(amount_text(read, words))}", err=True)
    for finding in timeline.findings:
        say(f"finding: {finding_text(finding, words)}", err=True)
    if timeline.rejections:
        click.echo(f"Not included ({len(timeline.rejections)}):", err=True)
        for rejection in timeline.rejections:
            advice = f" ({rejection.advice})" if rejection.advice else ""
            say(f"  {rejection.relpath}: {rejection.reason}{advice}", err=True)
    for line in skipped_lines(timeline):
        say(line, err=True)


def skipped_lines(timeline: Plan) -> list[str]:
    """The files and links of the folder that are left out, each with the reason."""
    if not timeline.skipped:
        return []
    head = f"Skipped ({len(timeline.skipped)}):"
    return [head, *(f"  {s.relpath}: {s.reason}" for s in timeline.skipped)]


def _print_timeline_table(timeline: Plan) -> None:
    # rich is loaded for a terminal only: it takes a tenth of a second to import.
    from rich.console import Console
    from rich.table import Table

    words = strings(timeline.case.language)
    zone = timeline.case.zone
    console = Console(highlight=False)
    for notice in timeline.notices:
        console.print(f"[dim]note:[/] {safe(notice)}")
    for line in timeline.inferred:
        console.print(f"[dim]inferred:[/] {safe(line)}")
    table = Table(title=f"{_count(len(timeline.exhibits), 'exhibit')}", title_justify="left")
    # The caption and its warnings are what people read: they get the room.
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Date", min_width=10)
    table.add_column("Date from", ratio=2)
    table.add_column("Kind", no_wrap=True)
    table.add_column("File", overflow="fold", ratio=2)
    table.add_column("Caption and warnings", overflow="fold", ratio=4)
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
            _caption_cell(exhibit, words),
        )
    console.print(table)
    for finding in timeline.findings:
        console.print(f"[bold]finding:[/] {safe(finding_text(finding, words))}")
    if timeline.rejections:
        console.print(f"[bold red]Not included ({len(timeline.rejections)}):[/]")
        for rejection in timeline.rejections:
            advice = f" [dim]({safe(rejection.advice)})[/]" if rejection.advice else ""
            console.print(f"  {safe(rejection.relpath)}: {safe(rejection.reason)}{advice}")
    for line in skipped_lines(timeline):
        console.print(f"[dim]{safe(line)}[/]")
    warned = sum(1 for exhibit in timeline.exhibits if exhibit.warnings)
    if warned:
        console.print(f"[yellow]{_count(warned, 'exhibit')} with warnings: check them above.[/]")


def _caption_cell(exhibit: Exhibit, words: Strings) -> str:
    lines = [safe(exhibit.caption)]
    lines += [f"[cyan]amount: {safe(amount_text(read, words))}[/]" for read in exhibit.amounts]
    lines += [f"[yellow]⚠ {safe(warning)}[/]" for warning in exhibit.warnings]
    return "\n".join(lines)


def print_summary(result: BuildResult, terminal: bool) -> None:
    """What was written: path, pages, size, exhibits, what was left out, warnings."""
    timeline = result.plan
    where = str(result.output)
    if result.volumes:
        where = ", ".join(f"{v} ({size_text(v.stat().st_size)})" for v in result.volumes)
    head = (
        f"Wrote {where}: {_count(result.page_count, 'page')}, "
        f"{size_text(result.size)}, {_count(len(timeline.exhibits), 'exhibit')}."
    )
    lines = [f"note: {notice}" for notice in timeline.notices]
    lines += [f"inferred: {line}" for line in timeline.inferred]
    words = strings(timeline.case.language)
    lines += [f"finding: {finding_text(finding, words)}" for finding in timeline.findings]
    lines.append(head)
    lines += [f"note: {note}" for note in result.notes]
    if timeline.rejections:
        lines.append(
            f"Not included ({len(timeline.rejections)}), listed on the 'Not included' page:"
        )
        lines += [f"  {r.relpath}: {r.reason}" for r in timeline.rejections]
    lines += skipped_lines(timeline)
    warnings = [(e.source.relpath, w) for e in timeline.exhibits for w in e.warnings]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines += [f"  {relpath}: {warning}" for relpath, warning in warnings]
    if not terminal:
        for line in lines:
            say(line)
        return
    from rich.console import Console

    console = Console(highlight=False)
    styles = {"Wrote": "bold green", "Not included": "bold red", "Warnings": "yellow"}
    for line in lines:
        style = next((s for prefix, s in styles.items() if line.startswith(prefix)), "")
        console.print(safe(line), style=style or None)


def safe(text: str) -> str:
    """Untrusted text for rich: printable (no control characters), and no markup."""
    from rich.markup import escape

    return escape(printable(text))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
