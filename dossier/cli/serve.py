"""``dossier serve``: the case in a local web page."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from dossier.cli.common import folder_argument, no_cache_option, with_errors
from dossier.errors import InputFolderError, OutputError, os_problem
from dossier.i18n import M_, _


@click.command()
@folder_argument
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port to listen on (default: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Print the address without opening the browser.")
@no_cache_option
@with_errors
def serve(folder: Path, port: int, no_browser: bool, no_cache: bool) -> None:
    """Open the case in FOLDER (default: the current folder) in a web page.

    Add evidence, see the timeline, hide or point out parts of pictures, fill
    in the facts of the case and build the dossier, all in the browser. The
    page changes the same files as the other commands (the evidence and
    case.toml), so both can be used on one case in turn.

    The page is only for this computer: it listens on 127.0.0.1 and needs
    the secret address printed here. Press Ctrl-C to stop.

    \b
    Examples:
        dossier serve my-case
        dossier serve --no-browser --port 8765
    """
    if not folder.is_dir():
        raise InputFolderError(
            _(
                "{folder}: no such folder; create it (it may be empty) or give the folder "
                "that holds your evidence files"
            ).format(folder=folder)
        )
    import uvicorn  # loaded only for this command

    from dossier.web import create_app, new_secret

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    # Listening before the address is printed: a browser opened at once is queued, not refused.
    listener.listen(128)
    chosen = listener.getsockname()[1]
    secret = new_secret()
    hosts = {f"127.0.0.1:{chosen}", f"localhost:{chosen}"}
    with _pictures_folder(no_cache) as pictures:
        app = create_app(
            folder, secret, hosts, pictures, cookie=f"dossier-{chosen}", use_cache=not no_cache
        )
        address = f"http://127.0.0.1:{chosen}/?token={secret}"
        click.echo(_("The case {folder} is open at:").format(folder=folder.resolve()))
        click.echo(f"\n    {address}\n")
        click.echo(_("Only this computer can open it. Press Ctrl-C to stop."))
        if not no_browser:
            webbrowser.open(address)
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[listener])
    click.echo(_("Stopped."))


@contextlib.contextmanager
def _pictures_folder(no_cache: bool) -> Iterator[Path | None]:
    """Where the page keeps its pictures: None for the default cache.

    With ``--no-cache``, a temporary folder removed when the page stops.
    """
    if not no_cache:
        yield None
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dossier-page-") as folder:
        yield Path(folder)


@click.command("app")
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), required=False, default=None
)
@click.option(
    "--cases",
    "parent",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The folder new cases are made in, and listed from "
    "(default: $DOSSIER_HOME, or Dossiers in your home folder).",
)
@click.option("--no-browser", is_flag=True, help="Print the address without opening the browser.")
@click.option(
    "--stop-after",
    type=click.FloatRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Stop when no page of dossier has been open for this long (default: 300).",
)
@no_cache_option
@with_errors
def app(
    folder: Path | None,
    parent: Path | None,
    no_browser: bool,
    stop_after: float | None,
    no_cache: bool,
) -> None:
    """Open dossier in the browser: your cases, or the case in FOLDER.

    This is what the dossier icon runs (see 'dossier shortcut'; the program
    dossier-app does the same without a console window on Windows). With no
    FOLDER it opens on a home page where you start a new case (a folder made
    for you under the cases folder) or open one you already have; each case
    then opens on the same page as 'dossier serve'.

    It stops by itself a few minutes after its last page is closed, or with
    the Stop button of the home page. Started again while it runs, it opens
    the running one.

    \b
    Examples:
        dossier app
        dossier app ~/Dossiers/kettle
        dossier app --cases ~/Documents/disputes
    """
    from dossier.web import cases, launcher

    if folder is not None and not folder.is_dir():
        raise InputFolderError(
            M_(
                "{folder}: no such folder; give the folder of a case, or start without "
                "one to choose or create a case on the home page",
                folder=str(folder),
            )
        )
    running = launcher.find_running()
    if running is not None and (
        folder is None or launcher.ask(running, "POST", "/allow", {"folder": str(folder.resolve())})
    ):
        address = running.address(folder)
        click.echo(_("dossier is already running; it is open at:"))
        click.echo(f"\n    {address}\n")
        if not no_browser:
            webbrowser.open(address)
        return

    def ready(address: str) -> None:
        click.echo(_("dossier is open at:"))
        click.echo(f"\n    {address}\n")
        click.echo(
            _(
                "Only this computer can open it. It stops by itself when its pages have been "
                "closed for a while, or press Ctrl-C."
            )
        )
        if not no_browser:
            webbrowser.open(address)

    with _pictures_folder(no_cache) as pictures:
        launcher.run_launcher(
            parent or cases.default_parent(),
            folder,
            ready,
            idle_stop=launcher.IDLE_STOP if stop_after is None else stop_after,
            pictures_folder=pictures,
            use_cache=not no_cache,
        )
    click.echo(_("Stopped."))


@click.command()
@with_errors
def shortcut() -> None:
    """Put a dossier icon on the desktop and in the applications menu.

    The icon opens dossier in the browser, on the home page of your cases
    (as 'dossier app' does), so that dossier can be used without a terminal.
    Linux: a .desktop file in the applications menu and on the desktop;
    macOS: dossier.app in the Applications folder of your home folder and
    dossier.command on the desktop; Windows: dossier.cmd in the Start menu
    and on the desktop. Running it again replaces the icons (after dossier
    was moved or reinstalled).

    \b
    Examples:
        dossier shortcut
    """
    from dossier.web import shortcuts

    planned = shortcuts.plan_shortcuts()
    try:
        written = shortcuts.install(planned)
    except OSError as error:
        where = str(error.filename) if error.filename else M_("the icon")
        raise OutputError(
            M_(
                "{file}: could not be written ({error}); check that you may write in that folder",
                file=where,
                error=os_problem(error),
            )
        ) from None
    for path in written:
        click.echo(_("wrote {file}").format(file=path))
    system = shortcuts.current_system()
    if shortcuts.desktop_folder(system, os.environ, Path.home()) is None:
        click.echo(_("No desktop folder was found: the icon is in the applications menu only."))
    click.echo(_("Double-click the dossier icon to open your cases in the browser."))


def app_main() -> None:
    """``dossier-app``: ``dossier app`` as a program with no console window (Windows).

    Without a console (pythonw) there is no standard output or error: what
    ``dossier app`` prints, an error included, goes to ``app.log`` in the cache
    folder instead (``~/.cache/dossier/app.log``), where a helper can read it.
    """
    if sys.stdout is None or sys.stderr is None:
        log = _app_log()
        sys.stdout = sys.stdout or log
        sys.stderr = sys.stderr or log
    app.main(prog_name="dossier-app")


def _app_log() -> TextIO:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "dossier" / "app.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("w", encoding="utf-8")
    except OSError:
        return Path(os.devnull).open("w", encoding="utf-8")
