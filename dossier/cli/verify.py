"""``dossier verify``: check a dossier against its manifest and, optionally, its folder."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from dossier.cli.common import with_errors
from dossier.errors import VerifyMismatchError
from dossier.i18n import _, current_language, ngettext, said_in
from dossier.printable import say


@click.command()
@click.argument("dossier", type=click.Path(path_type=Path, dir_okay=False))
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), required=False, default=None
)
@with_errors
def verify(dossier: Path, folder: Path | None) -> None:
    """Check DOSSIER.pdf against the manifest inside it, and FOLDER if given.

    Checks every embedded original (built with --attach-originals) against
    its SHA-256; with FOLDER, lists the files added, missing or changed since
    the build. Exits with 0 when everything matches, 8 when something does
    not, 9 when the PDF or its manifest cannot be read.

    \b
    Examples:
        dossier verify my-case/dossier.pdf
        dossier verify my-case/dossier.pdf my-case
    """
    from dossier.pdf import verify as checks  # pypdf: loaded only for this command

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    result = checks.verify(dossier, folder)
    build = result.manifest.get("build", {})
    files = result.manifest["files"]
    click.echo(
        ngettext(
            "{dossier}: manifest of {count} file, built {date} by dossier {version}",
            "{dossier}: manifest of {count} files, built {date} by dossier {version}",
            len(files),
        ).format(
            dossier=dossier,
            count=len(files),
            date=build.get("date", "?"),
            version=result.manifest["tool"].get("version", "?"),
        )
    )
    for line in result.passed:
        say("  " + _("ok: {check}").format(check=said_in(line, current_language())))
    for line in result.problems:
        say("  " + _("MISMATCH: {check}").format(check=said_in(line, current_language())))
    if not result.ok:
        count = len(result.problems)
        raise VerifyMismatchError(
            ngettext(
                "{count} mismatch with the manifest of {dossier}",
                "{count} mismatches with the manifest of {dossier}",
                count,
            ).format(count=count, dossier=dossier)
        )
    if folder is None and not any(entry.get("attachment") for entry in files):
        click.echo(
            _(
                "No original is embedded in this dossier; give the case folder to compare "
                "its files: dossier verify DOSSIER.pdf FOLDER"
            )
        )
    click.echo(_("All checks passed."))
