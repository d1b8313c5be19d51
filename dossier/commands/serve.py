"""``dossier serve``: the case in a local web page."""

from __future__ import annotations

import contextlib
import socket
import webbrowser
from pathlib import Path

import click

from dossier.commands.common import folder_argument, with_errors
from dossier.errors import InputFolderError
from dossier.i18n import _


@click.command()
@folder_argument
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port to listen on (default: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Print the address without opening the browser.")
@with_errors
def serve(folder: Path, port: int, no_browser: bool) -> None:
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
    app = create_app(folder, secret, hosts, cookie=f"dossier-{chosen}")
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
