"""``dossier watch``: rebuild the dossier whenever the folder changes."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dossier.cli.common import (
    folder_argument,
    no_cache_option,
    output_option,
    skip_unreadable_option,
    verbosity_options,
    with_errors,
)
from dossier.cli.progress import QUIET, VERBOSE
from dossier.errors import error_message
from dossier.i18n import _
from dossier.printable import say

if TYPE_CHECKING:
    from dossier.watch import Rebuild

# dossier.watch.DEFAULT_DELAY, written here so that --help does not load the
# watcher and the pipeline (a test checks that the two agree).
DEFAULT_DELAY = 1.0


@click.command()
@folder_argument
@output_option
@skip_unreadable_option
@click.option(
    "--delay",
    type=click.FloatRange(0.1, 60),
    metavar="SECONDS",
    default=DEFAULT_DELAY,
    show_default=True,
    help="Seconds the folder must be quiet before a rebuild.",
)
@click.option("--pdfa", is_flag=True, help="Write PDF/A-2b, as dossier build --pdfa does.")
@no_cache_option
@verbosity_options
@with_errors
def watch(
    folder: Path,
    output: Path | None,
    skip_unreadable: bool,
    delay: float,
    pdfa: bool,
    no_cache: bool,
    verbosity: int,
) -> None:
    """Build the dossier, then build it again whenever files in FOLDER change.

    Drag files into the folder, remove or rename them, edit case.toml: the
    dossier follows a moment later. A file that cannot be read is reported
    and the folder is still watched; the last good PDF stays in place until
    the next successful build. Press Ctrl-C to stop.

    \b
    Examples:
        dossier watch my-case
        dossier watch my-case --skip-unreadable -o ~/Desktop/claim.pdf
    """
    from dossier.cli.progress import ProgressReport
    from dossier.cli.report import is_terminal, print_summary
    from dossier.model import BuildOptions
    from dossier.watch import watch_folder

    ctx = click.get_current_context()
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    options = BuildOptions(
        folder=folder,
        output=output,
        skip_unreadable=skip_unreadable,
        pdfa=pdfa,
        cache=not no_cache,
    )
    terminal = is_terminal()

    def report(rebuild: Rebuild) -> None:
        if rebuild.changed and verbosity > QUIET:
            shown = ", ".join(rebuild.changed[:5])
            if len(rebuild.changed) > 5:
                shown = _("{files} and {count} more").format(
                    files=shown, count=len(rebuild.changed) - 5
                )
            say(_("Changed: {files}").format(files=shown))
        if rebuild.error is not None:
            for line in error_message(rebuild.error, detail=verbosity >= VERBOSE):
                say(line, err=True)
            if verbosity > QUIET:
                click.echo(_("Still watching: fix the problem and the dossier is built again."))
        elif rebuild.result is not None and verbosity > QUIET:
            print_summary(rebuild.result, terminal, detail=verbosity >= VERBOSE)
        if not rebuild.changed and verbosity > QUIET:
            click.echo(
                _("Watching {folder} for changes. Press Ctrl-C to stop.").format(folder=folder)
            )

    progress = ProgressReport(verbosity if verbosity >= VERBOSE else QUIET, terminal)
    try:
        watch_folder(
            options, report, threading.Event(), delay, progress=progress, catch_all=not debug
        )
    except KeyboardInterrupt:
        if verbosity > QUIET:
            click.echo(_("Stopped watching."))
