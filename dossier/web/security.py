"""The rules every request of ``dossier serve`` passes before it reaches a page.

The page runs on the user's own computer, but any web site the user visits
meanwhile can make the browser send requests to 127.0.0.1. So:

- the Host header must name this server (a DNS rebinding attack sends another);
- every request carries the secret the command printed, once in the address,
  then in a cookie that no other site can read or send (SameSite=Strict);
- a request that changes something must come from this page: its Origin is
  this server, and it carries the CSRF token written in the page;
- every response forbids loading anything from elsewhere (Content-Security-Policy).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD"})
CSRF_HEADER = "x-csrf-token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def new_secret() -> str:
    """A random secret for the address the command prints (256 bits)."""
    return secrets.token_urlsafe(32)


def csrf_token(secret: str) -> str:
    """The token the page sends with each change; derived from the secret, so never stored."""
    return hmac.new(secret.encode(), b"csrf", hashlib.sha256).hexdigest()


class Guard:
    """ASGI middleware: Host, secret, Origin and CSRF checks, and the security headers.

    Args:
        app: the application behind the guard.
        secret: the random secret of this server (``new_secret``).
        hosts: the accepted Host headers, e.g. ``127.0.0.1:8123`` and ``localhost:8123``.
        cookie: the name of the session cookie (one per port, so two servers do not mix).
    """

    def __init__(self, app: ASGIApp, secret: str, hosts: Collection[str], cookie: str) -> None:
        self.app = app
        self.secret = secret
        self.csrf = csrf_token(secret)
        self.hosts = frozenset(hosts)
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, then pass it on or answer it here."""
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            # The page uses no websocket: refuse the handshake.
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if host not in self.hosts:
            # A page of another site that resolved its own name to 127.0.0.1.
            await _plain(send, 421, "This server answers only at its own address.")
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = dict(query).get("token")
        if given is not None:
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                await _plain(send, 403, _NO_ACCESS)
                return
            # Once only in the address: the cookie carries it from now on, and the
            # address shown (and kept in the history) no longer holds the secret.
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            target = scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{self.cookie}={self.secret}; Path=/; HttpOnly; SameSite=Strict"
            await _respond(send, 303, b"", [("location", target), ("set-cookie", cookie)])
            return
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie is no cookie
            jar = SimpleCookie()
        morsel = jar.get(self.cookie)
        if morsel is None or not hmac.compare_digest(morsel.value.encode(), self.secret.encode()):
            await _plain(send, 403, _NO_ACCESS)
            return
        if scope["method"] not in SAFE_METHODS:
            if headers.get("origin") != f"http://{host}":
                await _plain(send, 403, "Changes are accepted only from the dossier page itself.")
                return
            if not hmac.compare_digest(headers.get(CSRF_HEADER, "").encode(), self.csrf.encode()):
                await _plain(
                    send, 403, "This change came without the page's token; reload the page."
                )
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    response_headers[name] = value
                if "cache-control" not in response_headers:
                    response_headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


_NO_ACCESS = (
    "This page needs the address that 'dossier serve' printed (with its ?token=...). "
    "Open that address, or stop the command with Ctrl-C and start it again."
)


async def _plain(send: Send, status: int, text: str) -> None:
    await _respond(send, status, text.encode(), [("content-type", "text/plain; charset=utf-8")])


async def _respond(send: Send, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    raw += [(k.encode(), v.encode()) for k, v in _HEADERS.items()]
    raw += [(b"cache-control", b"no-store"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
