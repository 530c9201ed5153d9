"""The ASGI application and the server: Starlette routes on uvicorn."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import sqlite3
import sys
import threading
import time
import webbrowser
from collections.abc import AsyncIterator
from dataclasses import replace

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from pipeline.exceptions import PlandiffError, ServeError
from pipeline.i18n import N_, _

from . import api, messages, pages
from .config import ServeConfig
from .jobs import Jobs
from .security import Guard
from .storage import Store

log = logging.getLogger("plandiff.serve")
HTTP_MESSAGES = {404: N_("not found"), 405: N_("not allowed here")}


def _clean_tmp(store: Store) -> None:
    """Uploads and batch folders a killed server left behind."""
    for p in store.tmp.iterdir():
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def create_app(config: ServeConfig) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = Store(config.data_dir)
        _clean_tmp(store)
        app.state.config, app.state.store = config, store
        app.state.jobs = jobs = Jobs(store, config)
        jobs.start()
        try:
            yield
        finally:
            await jobs.shutdown()

    async def plandiff_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PlandiffError)
        return api.error_response(exc)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        answer = messages.plain(HTTP_MESSAGES.get(exc.status_code, N_("not allowed here")))
        if request.url.path.startswith("/api/"):
            return JSONResponse(answer, status_code=exc.status_code)
        return pages.page("error.html", status=exc.status_code, nav="", message=answer["message"])

    routes = [*api.ROUTES, *pages.ROUTES, Mount("/static", StaticFiles(packages=[("pipeline.serve", "static")]), name="static")]
    return Starlette(
        routes=routes,
        middleware=[Middleware(Guard, local_only=config.local_only, bound=config.host)],
        exception_handlers={PlandiffError: plandiff_error, HTTPException: http_error},
        lifespan=lifespan,
    )


def url_of(config: ServeConfig) -> str:
    host = f"[{config.host}]" if ":" in config.host else config.host
    return f"http://{host}:{config.port}/"


def serve(config: ServeConfig, *, open_browser: bool = False) -> None:
    """Run the server until Ctrl-C or SIGTERM; running jobs finish or are marked interrupted."""
    import uvicorn

    try:
        Store(config.data_dir)
    except (OSError, sqlite3.Error) as e:
        raise ServeError(config.data_dir, str(e)) from e
    try:
        sock = socket.create_server((config.host, config.port), family=socket.AF_INET6 if ":" in config.host else socket.AF_INET)
    except OSError as e:
        raise ServeError(f"{config.host}:{config.port}", e.strerror or str(e)) from e
    config = replace(config, port=sock.getsockname()[1])  # --port 0: the port the system chose
    if not config.local_only:
        log.warning(
            _("warning: listening on {host}: this service has no login; anyone who can reach it can use it").format(host=config.host)
        )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host=config.host,
            port=config.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=10,
            lifespan="on",
        )
    )
    url = url_of(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            log.info(_("serving on {url} (data: {data}; Ctrl-C stops)").format(url=url, data=config.data_dir))
            sys.stderr.flush()
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it has shut down cleanly
        server.run(sockets=[sock])
