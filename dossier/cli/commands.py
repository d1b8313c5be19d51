"""The ``dossier`` command: parse options, call the library, report, map errors to exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dossier.cli.common import (
    folder_argument,
    max_size_option,
    no_cache_option,
    ocr_option,
    output_option,
    reported_errors,
    skip_unreadable_option,
    verbosity_options,
    with_errors,
)
from dossier.cli.init import init as init_command
from dossier.cli.preview import preview
from dossier.cli.progress import QUIET, VERBOSE
from dossier.cli.serve import app, serve, shortcut
from dossier.cli.verify import verify
from dossier.cli.watch import watch
from dossier.i18n import _, ngettext
from dossier.i18n.commands import TranslatedGroup
from dossier.version import __version__

# The pipeline and its libraries are imported inside the commands that run
# them: --version, --help and the other commands start without them.
if TYPE_CHECKING:
    from dossier.model import Plan, ReadAmount

__all__ = ["main", "plan_as_json", "reported_errors"]


@click.group(cls=TranslatedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dossier")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn a folder of evidence into one ordered, indexed, paginated PDF.

    Put the photos, screenshots, emails (.eml), PDF invoices and notes of
    your case in one folder, then:

    \b
    Examples:
        dossier list my-case          # check the timeline and its warnings first
        dossier build my-case --open  # writes my-case/dossier.pdf and opens it
        dossier preview my-case/dossier.pdf   # the pages as PNG pictures
        dossier watch my-case         # rebuild whenever files are added

    Run "dossier COMMAND --help" for the options of each command.
    """
    import logging  # not needed by --version and --help, which end before this runs

    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    # pypdf reports every quirk of an imported PDF; the readers turn the ones
    # that matter into warnings on the exhibit.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


@main.command()
@folder_argument
@output_option
@skip_unreadable_option
@click.option(
    "--keep-metadata",
    is_flag=True,
    help="Keep the photos' EXIF, XMP and IPTC metadata (GPS position, camera serial) in the PDF.",
)
@click.option(
    "--photos-per-page",
    type=click.Choice(["1", "2", "4"]),
    default="1",
    show_default=True,
    help="Photos on one page (2 or 4: contact sheets, each photo with its own label and date).",
)
@max_size_option
@click.option(
    "--split",
    is_flag=True,
    help="With --max-size: write volumes NAME-1.pdf, NAME-2.pdf, ... when 150 dpi is not enough.",
)
@click.option(
    "--duplex",
    is_flag=True,
    help="Insert blank pages so that every exhibit starts on a right-hand page.",
)
@click.option(
    "--flatten-forms",
    is_flag=True,
    help="Print what was filled in the forms of PDF exhibits into their pages, "
    "instead of keeping them as form fields.",
)
@click.option(
    "--pdfa",
    is_flag=True,
    help="Write PDF/A-2b, the archival PDF that courts and archives ask for: forms "
    "printed in, pages that cannot conform printed as images, the manifest beside the PDF only.",
)
@ocr_option
@no_cache_option
@click.option("--open", "open_pdf", is_flag=True, help="Open the PDF in the system's viewer.")
@verbosity_options
@click.option(
    "--attach-originals",
    is_flag=True,
    help="Embed every original file in the PDF, opened from the hash in its exhibit's stamp.",
)
@with_errors
def build(
    folder: Path,
    output: Path | None,
    skip_unreadable: bool,
    keep_metadata: bool,
    photos_per_page: str,
    max_size: int | None,
    split: bool,
    duplex: bool,
    flatten_forms: bool,
    pdfa: bool,
    ocr: bool,
    no_cache: bool,
    open_pdf: bool,
    verbosity: int,
    attach_originals: bool,
) -> None:
    """Build the dossier PDF from the files in FOLDER (default: the current folder).

    \b
    Examples:
        dossier build                       # current folder -> ./dossier.pdf
        dossier build my-case -o claim.pdf
        dossier build my-case --skip-unreadable --open
        dossier build my-case --max-size 10MB --split
        dossier build my-case --ocr         # needs Tesseract
    """
    from dossier import api
    from dossier.cli.progress import ProgressReport
    from dossier.cli.report import is_terminal, print_summary
    from dossier.model import BuildOptions

    if split and max_size is None:
        raise click.BadParameter(_("needs --max-size, e.g. --max-size 10MB"), param_hint="--split")
    if pdfa and attach_originals:
        raise click.BadParameter(
            _("cannot go with --pdfa: PDF/A-2 allows no other files inside the PDF"),
            param_hint="--attach-originals",
        )
    options = BuildOptions(
        folder=folder,
        output=output,
        skip_unreadable=skip_unreadable,
        keep_metadata=keep_metadata,
        photos_per_page=int(photos_per_page),
        max_size=max_size,
        split=split,
        duplex=duplex,
        flatten_forms=flatten_forms,
        pdfa=pdfa,
        ocr=ocr,
        attach_originals=attach_originals,
        cache=not no_cache,
    )
    fresh = api.up_to_date(options)
    if fresh is not None:
        if verbosity > QUIET:
            click.echo(
                _(
                    "{pdf} is up to date: built by this version of dossier from the same files, "
                    "case.toml and options; nothing was written (--no-cache builds it again)"
                ).format(pdf=fresh[0])
            )
        if open_pdf:
            _open(fresh[0])
        return
    terminal = is_terminal()
    with ProgressReport(verbosity, terminal) as progress:
        result = api.build(options, progress)
    if verbosity > QUIET:
        print_summary(result, terminal, detail=verbosity >= VERBOSE)
    if open_pdf:
        _open(result.output)


def _open(pdf: Path) -> None:
    from dossier.pdf.preview import open_in_viewer

    program = open_in_viewer(pdf)
    if program is None:
        click.echo(
            _(
                "note: {pdf} was not opened: no program to open it with was found (xdg-open on "
                "Linux). Open it yourself, or see its pages with: dossier preview {pdf}"
            ).format(pdf=pdf),
            err=True,
        )


@main.command(name="list")
@folder_argument
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON, for scripts.")
@skip_unreadable_option
@max_size_option
@ocr_option
@no_cache_option
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also give the technical reason why a file cannot be included.",
)
@with_errors
def list_(
    folder: Path,
    as_json: bool,
    skip_unreadable: bool,
    max_size: int | None,
    ocr: bool,
    no_cache: bool,
    verbose: bool,
) -> None:
    """Show the timeline a build would use, with warnings, without building.

    Each exhibit: number, date and time, where the date came from, kind, file,
    caption and warnings (date from the file's modification time only, photo
    without a camera date, the same file twice, photos that look the same,
    a file larger than --max-size). Files that cannot be read are listed as
    not included.

    Exits with code 3 when a build would stop on files that cannot be read
    (unless --skip-unreadable), and 6 when there is nothing to build.

    \b
    Examples:
        dossier list my-case
        dossier list my-case --max-size 10MB
        dossier list my-case --json > timeline.json
        dossier list my-case --ocr          # with the amounts read on screenshots
    """
    from dossier import api
    from dossier.cli.report import is_terminal, print_timeline
    from dossier.errors import FilesNotIncludedError
    from dossier.model import BuildOptions

    options = BuildOptions(
        folder=folder,
        skip_unreadable=skip_unreadable,
        max_size=max_size,
        ocr=ocr,
        cache=not no_cache,
    )
    timeline = api.plan(options)
    if as_json:
        click.echo(json.dumps(plan_as_json(timeline), ensure_ascii=False, indent=2))
    else:
        print_timeline(timeline, is_terminal(), detail=verbose)
    try:
        api.check_buildable(timeline, options)
    except FilesNotIncludedError as error:
        count = len(error.rejections)
        click.echo(
            ngettext(
                "error: {count} file cannot be included (listed above): "
                "fix or remove it, or build with --skip-unreadable to leave it out",
                "error: {count} files cannot be included (listed above): "
                "fix or remove them, or build with --skip-unreadable to leave them out",
                count,
            ).format(count=count),
            err=True,
        )
        click.get_current_context().exit(int(error.exit_code))


main.add_command(init_command)
main.add_command(preview)
main.add_command(watch)
main.add_command(verify)
main.add_command(serve)
main.add_command(app)
main.add_command(shortcut)


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
                "warnings": [f"cannot be included: {rejection.reason}"],
                "amounts": [],
            }
        )
    for skipped in timeline.skipped:
        rows.append(
            {
                "number": None,
                "label": None,
                "path": skipped.relpath,
                "kind": None,
                "timestamp": None,
                "timestamp_source": None,
                "timestamp_detail": None,
                "date_only": False,
                "caption": None,
                "sha256": None,
                "size": None,
                "included": False,
                "reason": skipped.reason,
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
        "unsure": read.unsure,
    }
