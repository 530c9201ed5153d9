"""The guard in front of every request: Host and Origin checks, safe response headers, the error boundary.

Bound to a loopback address, the server answers only requests whose Host
is a loopback name, so a web page whose domain re-resolves to 127.0.0.1
(DNS rebinding) cannot read it.  A state-changing request needs an
``Origin`` equal to the server's own, so no other page can post to it.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.i18n import N_, _

from . import messages

log = logging.getLogger("plandiff.serve")
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# the pages load only our own static files; the report view adds its inline style and script itself
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def host_name(host: str) -> str:
    """The host part of a Host header.

    >>> host_name("localhost:8765"), host_name("[::1]:8765"), host_name("evil.example")
    ('localhost', '[::1]', 'evil.example')
    """
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0]


class Guard:
    def __init__(self, app: ASGIApp, *, local_only: bool, bound: str) -> None:
        self.app = app
        self.allowed = {*LOOPBACK_HOSTS, f"[{bound}]" if ":" in bound else bound} if local_only else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.allowed is not None and host_name(host).lower() not in self.allowed:
            await _refuse(send, 400, **messages.plain(N_("this address may not be used (the Host header names another server)")))
            return
        if scope["method"] not in SAFE_METHODS and headers.get("origin") != f"http://{host}":
            await _refuse(send, 403, **messages.plain(N_("cross-origin request refused (send Origin: the server's own address)")))
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in names]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:  # the one place an unexpected error stops: logged here, one line to the client
            log.exception(_("{method} {path} failed").format(method=scope["method"], path=scope["path"]))
            if not started:
                await _refuse(send, 500, **messages.plain(messages.INTERNAL))


async def _refuse(send: Send, status: int, *, error: str, message: str) -> None:
    body = json.dumps({"error": error, "message": message}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
