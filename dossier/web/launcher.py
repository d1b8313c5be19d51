"""``dossier app``: the way in without a terminal.

One process serves a home page (the user's cases, a new case, a Stop button)
and, for each case opened, the page of ``dossier serve`` on a port of its own:
each case keeps its own address, secret and cookie, so two cases open in two
tabs never write into each other's folder.

The process stops by itself when no page of it has been seen for a while
(pages ask the server something every few seconds, and a hidden tab still
about once a minute), so closing the browser leaves nothing running for
long. A second launch finds the running one through a small file readable by
this user only (``app.json`` in the cache folder) and opens it instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import http.client
import json
import os
import signal
import socket
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from dossier.case.facts import LANGUAGES
from dossier.web import cases, pictures
from dossier.web.app import LANGUAGE_COOKIE, chosen_language, create_app
from dossier.web.security import Guard, csrf_token, new_secret
from dossier.web.words import page_words

# Long enough for a hidden tab, which the browser lets ask only about once a minute.
IDLE_STOP = 300.0
STATE_FILE = "app.json"
_WEB = Path(__file__).resolve().parent


class _Server(uvicorn.Server):
    """A uvicorn server that leaves the signals to the launcher, which stops every server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@dataclasses.dataclass
class _Case:
    folder: Path
    port: int
    secret: str
    server: _Server
    task: asyncio.Task[None]
    site: Any

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.secret}"


@dataclasses.dataclass(frozen=True, slots=True)
class Running:
    """A launcher already running on this computer, found through its state file."""

    port: int
    secret: str

    def address(self, folder: Path | None = None) -> str:
        """The address that opens its home page, or the case in ``folder``."""
        if folder is None:
            return f"http://127.0.0.1:{self.port}/?token={self.secret}"
        where = quote(str(folder.resolve()), safe="")
        return f"http://127.0.0.1:{self.port}/open?folder={where}&token={self.secret}"


def state_path(cache: Path | None = None) -> Path:
    """Where the running launcher writes its port and secret."""
    return (cache or pictures.app_folder()) / STATE_FILE


def find_running(cache: Path | None = None) -> Running | None:
    """The launcher that answers at the address of the state file, if one does."""
    try:
        data = json.loads(state_path(cache).read_text(encoding="utf-8"))
        running = Running(int(data["port"]), str(data["secret"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    answer = ask(running, "GET", "/alive")
    if answer is None or answer.get("app") != "dossier":
        return None
    return running


def ask(running: Running, method: str, path: str, body: Any = None) -> dict[str, Any] | None:
    """Send one request to a running launcher, as its own page would; its JSON answer or None."""
    origin = f"127.0.0.1:{running.port}"
    headers = {
        "Host": origin,
        "Cookie": f"dossier-{running.port}={running.secret}",
        "Origin": f"http://{origin}",
        "X-CSRF-Token": csrf_token(running.secret),
        "Content-Type": "application/json",
    }
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=3)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read() or b"{}")
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    return answer if response.status == 200 and isinstance(answer, dict) else None


class Launcher:
    """The home page and the cases opened from it, all in one event loop.

    Args:
        port: the port of the home page (its listener is already bound).
        parent: where new cases are made (``cases.default_parent()``).
        cache: the state file, and thumbnails and page pictures unless ``pictures_folder``
            is given (default: ``~/.cache/dossier``; pictures: ``pictures.default_cache()``).
        idle_stop: seconds without any request after which everything stops.
        pictures_folder: where the cases' thumbnails and page pictures go.
        use_cache: keep what is read from each file for the next build (``--no-cache``: off).
    """

    def __init__(
        self,
        port: int,
        parent: Path,
        cache: Path | None = None,
        idle_stop: float = IDLE_STOP,
        pictures_folder: Path | None = None,
        use_cache: bool = True,
    ) -> None:
        self.port = port
        self.parent = parent
        self.cache = cache or pictures.app_folder()
        self.pictures = pictures_folder or cache or pictures.default_cache()
        self.use_cache = use_cache
        self.idle_stop = idle_stop
        self.secret = new_secret()
        self.cases: dict[Path, _Case] = {}
        # Folders outside ``parent`` that may be opened: given to ``dossier app FOLDER``.
        self.allowed: set[Path] = set()
        self.stopping = False
        self.last_seen = time.monotonic()
        self.origin = f"http://127.0.0.1:{port}"
        self._environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_WEB / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    @property
    def running(self) -> Running:
        """What a second launch needs to open this one."""
        return Running(self.port, self.secret)

    def app(self) -> ASGIApp:
        """The home page's application, behind the same guard as a case's page."""
        routes = [
            Route("/", self._home),
            Route("/cases", self._create, methods=["POST"]),
            Route("/open", self._open),
            Route("/allow", self._allow, methods=["POST"]),
            Route("/alive", self._alive),
            Route("/stop", self._stop, methods=["POST"]),
            Mount("/static", StaticFiles(directory=_WEB / "static"), name="static"),
        ]
        guarded = Guard(
            Starlette(routes=routes), self.secret, _hosts(self.port), _cookie(self.port)
        )
        return self._seen(guarded)

    async def run(self, listener: socket.socket) -> None:
        """Serve until Stop is pressed, a signal arrives or no page was seen for ``idle_stop``."""
        home = _server(self.app())
        task = asyncio.create_task(home.serve(sockets=[listener]))
        while not self.stopping and not task.done():
            await asyncio.sleep(0.5)
            if self.idle() > self.idle_stop and not self.building():
                self.stopping = True
        servers = [home, *(case.server for case in self.cases.values())]
        for server in servers:
            server.should_exit = True
        await asyncio.gather(task, *(case.task for case in self.cases.values()))

    def idle(self) -> float:
        """Seconds since the last request to any page."""
        return time.monotonic() - self.last_seen

    def building(self) -> bool:
        """Whether a case's dossier is being built (never stopped half-way)."""
        return any(case.site.builder.state.status == "running" for case in self.cases.values())

    def open_case(self, folder: Path) -> str:
        """The address of the case in ``folder``: its page is started on first use.

        Called from a request, inside the event loop that serves everything.
        """
        folder = folder.resolve()
        case = self.cases.get(folder)
        if case is None:
            listener = listen(0)
            port = listener.getsockname()[1]
            secret = new_secret()
            guarded = create_app(
                folder,
                secret,
                _hosts(port),
                self.pictures,
                _cookie(port),
                home=f"{self.origin}/",
                use_cache=self.use_cache,
            )
            server = _server(self._seen(guarded))
            task = asyncio.get_running_loop().create_task(server.serve(sockets=[listener]))
            inner = guarded.app
            assert isinstance(inner, Starlette)  # create_app guards a Starlette app
            site = inner.state.site
            case = _Case(folder, port, secret, server, task, site)
            self.cases[folder] = case
        return case.address

    def _seen(self, app: ASGIApp) -> ASGIApp:
        async def seen(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                self.last_seen = time.monotonic()
            await app(scope, receive, send)

        return seen

    async def _home(self, request: Request) -> Response:
        language, switched = _language(request)
        words = page_words(language)
        listed = cases.list_cases(self.parent, tuple(self.cases))
        response = HTMLResponse(
            self._environment.get_template("home.html").render(
                t=words,
                language=language,
                languages=LANGUAGES,
                csrf=csrf_token(self.secret),
                parent=self.parent,
                cases=listed,
                minutes=round(self.idle_stop / 60) or 1,
            )
        )
        if switched:
            response.set_cookie(LANGUAGE_COOKIE, language, samesite="strict", httponly=True)
        return response

    async def _create(self, request: Request) -> Response:
        language = _language(request)[0]
        words = page_words(language)
        try:
            body = json.loads(await request.body())
            name = str(body["name"]) if isinstance(body, dict) else ""
        except (ValueError, KeyError):
            name = ""
        try:
            folder = cases.create_case(self.parent, name, language)
        except cases.CaseNameError as error:
            message = words(f"home.name_errors.{error.reason}", **error.values)
            return JSONResponse({"error": message}, status_code=422)
        except OSError as error:
            message = words(
                "home.cannot_create",
                folder=str(self.parent / name.strip()),
                reason=error.strerror or str(error),
            )
            return JSONResponse({"error": message}, status_code=500)
        return JSONResponse({"address": self.open_case(folder), "folder": str(folder)})

    def may_open(self, folder: Path) -> bool:
        """Whether ``folder`` is a case of the list, or was given to ``dossier app``.

        A link from another page of this computer (same site, another port) can
        open only what the home page itself lists, never any folder of the disk.
        """
        folder = folder.resolve()
        return (
            folder.parent == self.parent.resolve()
            and not folder.name.startswith(".")
            or folder in self.allowed
            or folder in self.cases
        )

    async def _open(self, request: Request) -> Response:
        folder = Path(request.query_params.get("folder", ""))
        if not folder.is_absolute() or not folder.is_dir() or not self.may_open(folder):
            words = page_words(_language(request)[0])
            text = words("home.no_folder", folder=str(folder))
            page = _message_page(words.language, text, words("home.back"))
            return HTMLResponse(page, status_code=404)
        return RedirectResponse(self.open_case(folder), status_code=303)

    async def _allow(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            folder = Path(str(body["folder"]))
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": 'expected {"folder": PATH}'}, status_code=400)
        if not folder.is_absolute() or not folder.is_dir():
            return JSONResponse({"error": f"{folder}: not a folder"}, status_code=404)
        self.allowed.add(folder.resolve())
        return JSONResponse({"ok": True})

    async def _alive(self, request: Request) -> Response:
        return JSONResponse({"app": "dossier", "cases": len(self.cases)})

    async def _stop(self, request: Request) -> Response:
        self.stopping = True
        return JSONResponse({"stopped": True})


def listen(port: int) -> socket.socket:
    """A socket on 127.0.0.1, listening already: a browser opened at once is queued, not refused."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    return listener


def run_launcher(
    parent: Path,
    folder: Path | None,
    ready: Callable[[str], None],
    port: int = 0,
    idle_stop: float = IDLE_STOP,
    cache: Path | None = None,
    pictures_folder: Path | None = None,
    use_cache: bool = True,
) -> None:
    """Start the launcher, call ``ready`` with the address to open, serve until it stops.

    Ctrl-C, SIGTERM and SIGHUP stop it as the Stop button does.
    """
    listener = listen(port)
    launcher = Launcher(
        listener.getsockname()[1], parent, cache, idle_stop, pictures_folder, use_cache
    )
    if folder is not None:
        launcher.allowed.add(folder.resolve())
    state = state_path(launcher.cache)
    _write_state(state, launcher)
    previous: dict[int, Any] = {}

    def stop(signum: int, frame: object) -> None:
        launcher.stopping = True

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, stop)
    try:
        ready(launcher.running.address(folder))
        asyncio.run(launcher.run(listener))
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _remove_state(state)


def _server(app: ASGIApp) -> _Server:
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=5)
    return _Server(config)


def _hosts(port: int) -> set[str]:
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def _cookie(port: int) -> str:
    return f"dossier-{port}"


def _language(request: Request) -> tuple[str, bool]:
    """The page's language: asked for, chosen before, or the browser's."""
    chosen = chosen_language(request)
    if chosen is not None:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code, False
    return "fr", False


def _message_page(language: str, text: str, back: str) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>dossier</title>'
        '<link rel="stylesheet" href="/static/app.css"></head><body><main>'
        f'<p class="problem">{html.escape(text)}</p>'
        f'<p><a class="button" href="/">{html.escape(back)}</a></p></main></body></html>'
    )


def _write_state(path: Path, launcher: Launcher) -> None:
    """Port and secret for a second launch; readable by this user only.

    A cache folder that cannot be written costs only that: a second launch then
    starts a second launcher instead of opening this one.
    """
    data = json.dumps({"port": launcher.port, "secret": launcher.secret, "pid": os.getpid()})
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(data)
        temporary.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _remove_state(path: Path) -> None:
    """Remove the state file, unless a later launcher wrote its own meanwhile."""
    with contextlib.suppress(OSError, ValueError, KeyError):
        if json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid():
            path.unlink()
