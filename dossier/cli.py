"""The ``dossier`` command: parse options, call the library, report, map errors to exit codes."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from dossier import __version__, api
from dossier.amounts import ReadAmount
from dossier.commands.init import init as init_command
from dossier.errors import DossierError, ExitCode
from dossier.formats import source_text, timestamp_text
from dossier.layout.billing import amount_text, finding_text
from dossier.layouts import strings
from dossier.model import BuildOptions, BuildResult, Plan

F = TypeVar("F", bound=Callable[..., Any])

folder_argument = click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default=".", required=False
)
ocr_option = click.option(
    "--ocr",
    is_flag=True,
    help="Read the text of screenshots and photos with Tesseract: searchable exhibits, "
    "amounts and billing findings.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dossier")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    r"""Turn a folder of evidence into one ordered, indexed, paginated PDF.

    Put the photos, screenshots, emails (.eml), PDF invoices and notes of
    your case in one folder, then:

    \b
        dossier list my-case          # check the timeline first
        dossier build my-case         # writes my-case/dossier.pdf
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@contextlib.contextmanager
def reported_errors(ctx: click.Context) -> Iterator[None]:
    """The one place where exceptions become messages and exit codes."""
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        yield
    except DossierError as error:
        if debug:
            raise
        for number, line in enumerate(error.lines()):
            click.echo(f"error: {line}" if number == 0 else line, err=True)
        ctx.exit(int(error.exit_code))
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was written", err=True)
        ctx.exit(int(ExitCode.INTERRUPTED))
    except Exception as error:
        if debug:
            raise
        click.echo(
            f"internal error: {type(error).__name__}: {error}. Nothing was written. "
            "Run again with --debug and report the output.",
            err=True,
        )
        ctx.exit(int(ExitCode.INTERNAL_ERROR))


def with_errors(command: F) -> F:
    """Run a command inside ``reported_errors``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        with reported_errors(ctx):
            return command(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@main.command()
@folder_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the PDF (default: FOLDER/dossier.pdf).",
)
@click.option(
    "--skip-unreadable",
    is_flag=True,
    help="Leave out files that cannot be read, and list them on a 'Not included' page.",
)
@ocr_option
@with_errors
def build(folder: Path, output: Path | None, skip_unreadable: bool, ocr: bool) -> None:
    r"""Build the dossier PDF from the files in FOLDER (default: the current folder).

    \b
    Examples:
        dossier build                       # current folder -> ./dossier.pdf
        dossier build my-case -o claim.pdf
        dossier build my-case --skip-unreadable
        dossier build my-case --ocr         # needs Tesseract
    """
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    result = api.build(
        BuildOptions(folder=folder, output=output, skip_unreadable=skip_unreadable, ocr=ocr)
    )
    _print_summary(result)


@main.command(name="list")
@folder_argument
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON, for scripts.")
@ocr_option
@with_errors
def list_(folder: Path, as_json: bool, ocr: bool) -> None:
    r"""Show the timeline a build would use, without building.

    Exits with code 3 when some files could not be included.

    \b
    Examples:
        dossier list my-case
        dossier list my-case --json
        dossier list my-case --ocr          # with the amounts read on screenshots
    """
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    timeline = api.plan(BuildOptions(folder=folder, ocr=ocr))
    if as_json:
        click.echo(json.dumps(plan_as_json(timeline), ensure_ascii=False, indent=2))
    else:
        _print_timeline(timeline)
    if timeline.rejections:
        sys.exit(int(ExitCode.UNREADABLE_INPUT))


def plan_as_json(timeline: Plan) -> list[dict[str, Any]]:
    """The timeline as plain data: one object per file, included or not."""
    rows: list[dict[str, Any]] = []
    for exhibit in timeline.exhibits:
        stamp = exhibit.timestamp
        rows.append(
            {
                "number": exhibit.number,
                "label": exhibit.label,
                "path": exhibit.source.relpath,
                "kind": exhibit.kind.value,
                "timestamp": stamp.value.isoformat() if stamp else None,
                "timestamp_source": stamp.source.value if stamp else None,
                "timestamp_detail": stamp.detail if stamp else None,
                "date_only": stamp.date_only if stamp else False,
                "caption": exhibit.caption,
                "sha256": exhibit.source.sha256,
                "size": exhibit.source.size,
                "included": True,
                "reason": None,
                "warnings": list(exhibit.warnings),
                "amounts": [amount_as_json(read) for read in exhibit.amounts],
            }
        )
    for rejection in timeline.rejections:
        rows.append(
            {
                "number": None,
                "label": None,
                "path": rejection.relpath,
                "kind": rejection.kind.value if rejection.kind else None,
                "timestamp": None,
                "timestamp_source": None,
                "timestamp_detail": None,
                "date_only": False,
                "caption": None,
                "sha256": rejection.sha256,
                "size": None,
                "included": False,
                "reason": rejection.reason + (f"; {rejection.advice}" if rejection.advice else ""),
                "warnings": [],
                "amounts": [],
            }
        )
    return rows


def amount_as_json(read: ReadAmount) -> dict[str, Any]:
    """One amount read from an exhibit, as plain data (the amount as a string, never a float)."""
    return {
        "amount": str(read.signed),
        "direction": read.direction.value,
        "date": read.date.isoformat() if read.date else None,
        "label": read.label,
        "role": read.role.value,
        "read_by": read.provenance.value,
    }


def _print_timeline(timeline: Plan) -> None:
    words = strings(timeline.case.language)
    zone = timeline.case.zone
    for notice in timeline.notices:
        click.echo(f"note: {notice}")
    for line in timeline.inferred:
        click.echo(f"inferred: {line}")
    for exhibit in timeline.exhibits:
        click.echo(
            "\t".join(
                [
                    str(exhibit.number),
                    timestamp_text(exhibit.timestamp, words, zone),
                    source_text(exhibit.timestamp, words),
                    exhibit.kind.value,
                    exhibit.source.relpath,
                    exhibit.caption,
                ]
            )
        )
        for warning in exhibit.warnings:
            click.echo(f"\t  warning: {warning}")
        for read in exhibit.amounts:
            click.echo(f"\t  amount: {amount_text(read, words)}")
    for finding in timeline.findings:
        click.echo(f"finding: {finding_text(finding, words)}")
    if timeline.rejections:
        click.echo(f"Not included ({len(timeline.rejections)}):")
        for rejection in timeline.rejections:
            advice = f" ({rejection.advice})" if rejection.advice else ""
            click.echo(f"  {rejection.relpath}: {rejection.reason}{advice}")


def _print_summary(result: BuildResult) -> None:
    timeline = result.plan
    for notice in timeline.notices:
        click.echo(f"note: {notice}")
    for line in timeline.inferred:
        click.echo(f"inferred: {line}")
    for exhibit in timeline.exhibits:
        for warning in exhibit.warnings:
            click.echo(f"warning: {exhibit.source.relpath}: {warning}")
    for finding in timeline.findings:
        click.echo(f"finding: {finding_text(finding, strings(timeline.case.language))}")
    click.echo(
        f"Wrote {result.output}: {_count(result.page_count, 'page')}, {_size(result.size)}, "
        f"{_count(len(timeline.exhibits), 'exhibit')}."
    )
    if timeline.rejections:
        click.echo(f"Not included ({len(timeline.rejections)}), listed on the 'Not included' page:")
        for rejection in timeline.rejections:
            click.echo(f"  {rejection.relpath}: {rejection.reason}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


main.add_command(init_command)
