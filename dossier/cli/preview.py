"""``dossier preview``: the pages of a dossier as PNG pictures."""

from __future__ import annotations

from pathlib import Path

import click

from dossier.cli.common import verbosity_options, with_errors
from dossier.cli.progress import QUIET, VERBOSE
from dossier.i18n import _, ngettext

# dossier.pdf.preview.DEFAULT_DPI, written here so that --help does not load the
# renderer and the model (a test checks that the two agree).
DEFAULT_DPI = 60


@click.command()
@click.argument(
    "pdf",
    metavar="[DOSSIER.pdf]",
    type=click.Path(path_type=Path, dir_okay=False),
    default="dossier.pdf",
    required=False,
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the pictures (default: dossier-preview/ beside the PDF).",
)
@click.option(
    "--pages",
    metavar="LIST",
    help="Which pages, e.g. 1,3-5 (default: all).",
)
@click.option(
    "--dpi",
    type=click.IntRange(20, 300),
    metavar="DPI",
    default=DEFAULT_DPI,
    show_default=True,
    help="Resolution of the pictures.",
)
@verbosity_options
@with_errors
def preview(pdf: Path, folder: Path | None, pages: str | None, dpi: int, verbosity: int) -> None:
    """Save the pages of DOSSIER.pdf (default: ./dossier.pdf) as PNG pictures.

    Check every page without a PDF viewer: the pictures are named
    page-001.png, page-002.png, ... Pictures of an earlier preview in the same
    folder are replaced. The build never takes a folder of page pictures as
    evidence (preview marks it with a hidden .dossier-preview file).

    \b
    Examples:
        dossier preview my-case/dossier.pdf         # -> my-case/dossier-preview/
        dossier preview claim.pdf -o pages --pages 1-2
        dossier preview --dpi 100                   # sharper, larger files
    """
    from dossier.pdf.preview import default_preview_folder, render_pages

    target = folder if folder is not None else default_preview_folder(pdf)
    written = render_pages(pdf, target, dpi=dpi, pages=pages)
    if verbosity >= VERBOSE:
        for path in written:
            click.echo(_("Saved {file}").format(file=path))
    if verbosity > QUIET:
        count = len(written)
        if count > 1:
            line = _("Saved {count} page pictures in {folder} ({first} to {last}).").format(
                count=count, folder=target, first=written[0].name, last=written[-1].name
            )
        else:
            line = ngettext(
                "Saved {count} page picture in {folder}.",
                "Saved {count} page pictures in {folder}.",
                count,
            ).format(count=count, folder=target)
        click.echo(line)
