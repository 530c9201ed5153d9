"""The JSON API (the pages use it too).  Routes take ids, never paths."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pipeline.exceptions import ArchiveError, NotAPdfError, PlandiffError, RequestError
from pipeline.i18n import N_

from . import search, uploads, work
from .archive import unpack_zip
from .jobs import JobError, Jobs
from .storage import Store

HEX = re.compile(r"[0-9a-f]{16,64}")
MEDIA = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "redline": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",  # Word with tracked changes
}
TRUE = {"1", "true", "on", "yes"}


def _store(request: Request) -> Store:
    return request.app.state.store


def _jobs(request: Request) -> Jobs:
    return request.app.state.jobs


def _id(request: Request) -> str:
    value = request.path_params["id"]
    if not HEX.fullmatch(value):
        raise HTTPException(404)
    return str(value)


def _options(fields: dict[str, str]) -> dict[str, Any]:
    new_side = fields.get("new_side", "left")
    if new_side not in ("left", "right"):
        raise RequestError("new_side", f"{new_side!r} is not left or right")
    return {
        "new_side": new_side,
        "old_left": fields.get("old_left", "").lower() in TRUE,
        "changes_only": fields.get("changes_only", "").lower() in TRUE,
        "title": fields.get("title", "").strip()[:200],
    }


async def _checked(jobs: Jobs, ups: list[uploads.Upload]) -> int:
    """Refuse what can be refused without reading a page (empty, not a PDF, encrypted, damaged, too many pages); the pages."""
    for up in ups:
        if up.size == 0:
            raise NotAPdfError(up.name, N_("the file is empty"))
    return sum(await asyncio.gather(*(jobs.check(u) for u in ups)))


async def compare(request: Request) -> Response:
    jobs = _jobs(request)
    form = await uploads.receive(
        request, _store(request).tmp, max_bytes=request.app.state.config.max_upload_bytes, file_fields={"old", "new", "sidebyside"}
    )
    try:
        files = form.files
        if set(files) == {"sidebyside"}:
            ups = [files["sidebyside"]]
        elif set(files) == {"old", "new"}:
            ups = [files["old"], files["new"]]
        else:
            raise RequestError("/api/compare", N_("send the files old and new, or one file sidebyside"))
        options = _options(form.fields)
        pages = await _checked(jobs, ups)
    except BaseException:
        form.discard()
        raise
    return JSONResponse({"id": jobs.submit_compare(ups, options, pages=pages)}, status_code=202)


def job(request: Request) -> Response:
    j = _store(request).job(_id(request))
    if j is None:
        raise HTTPException(404)
    out = {k: j[k] for k in ("id", "kind", "state", "progress", "stage", "error", "message", "comparison")}
    return JSONResponse({**out, **j["detail"]})


def comparisons(request: Request) -> Response:
    rows = _store(request).comparisons(limit=50)
    return JSONResponse({"comparisons": [{"id": c.id, "title": c.title, "summary": c.counts, "created": c.created} for c in rows]})


def comparison(request: Request) -> Response:
    c = _store(request).comparison(_id(request))
    if c is None:
        raise HTTPException(404)
    return Response(c.data, media_type="application/json")


def download_name(title: str, fmt: str) -> str:
    """A file name for a download, from a title that came from a PDF: no path or control characters.

    >>> download_name("../R7/対照表:案", "redline")
    'R7_対照表_案.redline.docx'
    """
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", title).strip(" ._") or "対照表"
    return f"{safe[:80]}.{'redline.docx' if fmt == 'redline' else fmt}"


async def report(request: Request) -> Response:
    comp_id, fmt = _id(request), request.path_params["fmt"]
    if fmt not in MEDIA:
        raise HTTPException(404)
    c = await asyncio.to_thread(_store(request).comparison, comp_id)
    if c is None:
        raise HTTPException(404)
    body = c.data.encode("utf-8") if fmt == "json" else await _jobs(request).report(comp_id, fmt)
    if body is None:
        raise HTTPException(404)
    name = download_name(c.title, fmt)
    disposition = f"attachment; filename=\"comparison.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=MEDIA[fmt], headers={"content-disposition": disposition})


async def add_document(request: Request) -> Response:
    jobs = _jobs(request)
    form = await uploads.receive(request, _store(request).tmp, max_bytes=request.app.state.config.max_upload_bytes, file_fields={"file"})
    try:
        if set(form.files) != {"file"}:
            raise RequestError("/api/documents", N_("send one file in the field file"))
        up = form.files["file"]
        await _checked(jobs, [up])
        try:
            doc_id, _ = await jobs.document(up)
        except JobError as e:
            raise e.error from e
    finally:
        form.discard()
    stored = await asyncio.to_thread(_store(request).document, doc_id)
    assert stored is not None
    d = stored.summary()
    return JSONResponse({k: d[k] for k in ("id", "pages", "layout", "organisation", "year", "kind", "name")})


def document(request: Request) -> Response:
    d = _store(request).document(_id(request))
    if d is None:
        raise HTTPException(404)
    return Response(d.extract, media_type="application/json")


async def page_image(request: Request) -> Response:
    store = _store(request)
    d = await asyncio.to_thread(store.document, _id(request))
    page = int(request.path_params["page"])
    if d is None or d.file is None or not 1 <= page <= d.pages:
        raise HTTPException(404)
    png = await _jobs(request).call(work.page_png, str(store.files / d.file), page)
    if isinstance(png, work.Failure):
        raise HTTPException(404)
    return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=86400"})


def search_items(request: Request) -> Response:
    p = request.query_params
    with _store(request).connect() as con:
        hits = search.query(con, p.get("q", ""), office=p.get("office", ""), year=p.get("year", ""), kind=p.get("kind", ""))
    return JSONResponse({"hits": hits})


def archive_path(raw: str, root: Path, data: Path) -> Path:
    """A folder typed by the user: an existing, readable directory under the archive root, apart from the data."""
    if not raw.strip():
        raise RequestError("path", N_("type the folder that holds the PDFs"))
    p = Path(raw.strip()).expanduser()
    p = (p if p.is_absolute() else root / p).resolve()
    if not p.is_relative_to(root):
        raise ArchiveError(raw, f"outside the folder the server may read ({root})")
    if not p.is_dir():
        raise ArchiveError(raw, N_("no such directory"))
    if not os.access(p, os.R_OK | os.X_OK):
        raise ArchiveError(raw, N_("not readable"))
    if data.is_relative_to(p) or p.is_relative_to(data):
        raise ArchiveError(raw, N_("holds the server's own data directory"))
    return p


async def batch(request: Request) -> Response:
    state = request.app.state
    store, jobs = _store(request), _jobs(request)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            raw = json.loads(await request.body())
        except ValueError as e:
            raise RequestError("/api/batch", N_("the body is not JSON")) from e
        path = raw.get("path") if isinstance(raw, dict) else None
        if not isinstance(path, str):
            raise RequestError("/api/batch", N_('send {"path": "<folder on the server>"}'))
        folder = archive_path(path, state.config.archive_dir, state.config.data_dir)
        return JSONResponse({"id": jobs.submit_batch(folder, path)}, status_code=202)
    form = await uploads.receive(request, store.tmp, max_bytes=state.config.max_upload_bytes, file_fields={"zip"})
    try:
        if set(form.files) != {"zip"}:
            raise RequestError("/api/batch", N_('send {"path": …} as JSON, or a zip file in the field zip'))
        up = form.files["zip"]
        dest = await asyncio.to_thread(unpack_zip, up.path, up.name, store.tmp, limit=20 * state.config.max_upload_bytes)
    finally:
        form.discard()
    return JSONResponse({"id": jobs.submit_batch(dest, up.name, cleanup=dest)}, status_code=202)


def error_response(e: PlandiffError) -> Response:
    from . import messages

    status = 413 if isinstance(e, uploads.UploadTooLargeError) else 400
    return JSONResponse(messages.body(e), status_code=status)


ROUTES = [
    Route("/api/compare", compare, methods=["POST"]),
    Route("/api/jobs/{id}", job),
    Route("/api/comparisons", comparisons),
    Route("/api/comparisons/{id}", comparison),
    Route("/api/comparisons/{id}/report.{fmt}", report),
    Route("/api/documents", add_document, methods=["POST"]),
    Route("/api/documents/{id}", document),
    Route("/api/documents/{id}/pages/{page:int}.png", page_image),
    Route("/api/search", search_items),
    Route("/api/batch", batch, methods=["POST"]),
]
