"""The pages staff use: 比較, アーカイブ, 検索, a comparison, a document (Jinja2, autoescaped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from pipeline.model import Block
from reports.frames import table_kind
from reports.html import strict_environment
from reports.view import STATUS_JA

from . import search
from .api import _id, _jobs, _store
from .security import REPORT_CSP

DOWNLOADS = [("html", "HTML"), ("docx", "Word"), ("redline", "Word（変更履歴）"), ("xlsx", "Excel"), ("csv", "CSV"), ("json", "JSON")]
KIND_JA = {"plan": "計画", "comparison": "対照表", "slides": "スライド"}
LAYOUT_JA = {"plan": "1段組", "fieldtable": "分野表", "sidebyside": "対照表", "slides": "スライド"}
FILE_STATUS_JA = {"ok": "完了", "skipped": "既読", "failed": "失敗"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = strict_environment("pipeline.serve")
    env.globals.update(status_ja=STATUS_JA, kind_ja=KIND_JA, layout_ja=LAYOUT_JA, file_status_ja=FILE_STATUS_JA, downloads=DOWNLOADS)
    return env


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(environment().get_template(name).render(**context), status_code=status)


def index(request: Request) -> Response:
    return page(
        "index.html", nav="compare", recent=_store(request).comparisons(limit=20), max_upload_mb=request.app.state.config.max_upload_mb
    )


def comparison(request: Request) -> Response:
    c = _store(request).comparison(_id(request))
    if c is None:
        raise HTTPException(404)
    return page("comparison.html", nav="compare", c=c)


async def report_view(request: Request) -> Response:
    """The report exactly as the CLI writes it, shown in the page's frame."""
    body = await _jobs(request).report(_id(request), "html")
    if body is None:
        raise HTTPException(404)
    return HTMLResponse(body.decode("utf-8"), headers={"content-security-policy": REPORT_CSP})


def archive(request: Request) -> Response:
    store = _store(request)
    batches = store.jobs("batch", limit=10)
    ids = [c["id"] for b in batches for c in b["detail"].get("comparisons", [])]
    return page(
        "archive.html",
        nav="archive",
        batches=batches,
        documents=store.documents(),
        comparisons=store.comparisons(ids=ids),
        root=str(request.app.state.config.archive_dir),
        max_upload_mb=request.app.state.config.max_upload_mb,
    )


def marked(text: str, q: str) -> list[tuple[str, bool]]:
    """``text`` cut into runs, True where it holds the query as typed (for <mark>).

    >>> marked("健診の受診と健診", "健診")
    [('', False), ('健診', True), ('の受診と', False), ('健診', True), ('', False)]
    """
    q = q.strip()
    if not q:
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    pos, low, lq = 0, text.lower(), q.lower()
    while (i := low.find(lq, pos)) >= 0:
        out += [(text[pos:i], False), (text[i : i + len(q)], True)]
        pos = i + len(q)
    return [*out, (text[pos:], False)]


def search_page(request: Request) -> Response:
    p = request.query_params
    q, office, year, kind = p.get("q", ""), p.get("office", ""), p.get("year", ""), p.get("kind", "")
    store = _store(request)
    with store.connect() as con:
        hits = search.query(con, q, office=office, year=year, kind=kind) if q.strip() else []
    for h in hits:
        h["runs"] = marked(h["label"] + h["text"], q)
    return page("search.html", nav="search", q=q, office=office, year=year, kind=kind, hits=hits, facets=store.facets())


@dataclass
class Node:
    """An item of the document view; a heading holds the items under it."""

    block: Block
    anchor: str
    table: str = ""  # kpi, budget or other for a table
    new_page: bool = False  # the first item on its page: it shows the page link
    children: list[Node] = field(default_factory=list)


def item_tree(blocks: tuple[Block, ...], part: int) -> list[Node]:
    root: list[Node] = []
    stack: list[tuple[int, list[Node]]] = [(0, root)]
    page = 0
    for i, b in enumerate(blocks):
        node = Node(b, f"b{part}-{i}", table_kind(b) if b.kind == "table" else "", b.page != page)
        page = b.page
        if b.kind == "heading":
            level = b.level or 1
            while stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(node)
            stack.append((level, node.children))
        else:
            stack[-1][1].append(node)
    return root


def document(request: Request) -> Response:
    d = _store(request).document(_id(request))
    if d is None:
        raise HTTPException(404)
    result = d.result
    parts = [(doc, item_tree(doc.blocks, k)) for k, doc in enumerate(result.documents)]
    tables = [(k, i, b, table_kind(b)) for k, doc in enumerate(result.documents) for i, b in enumerate(doc.blocks) if b.kind == "table"]
    return page(
        "document.html",
        nav="archive",
        d=d,
        parts=parts,
        tables=[t for t in tables if t[3] in ("kpi", "budget")],
        hl=request.query_params.get("hl", ""),
    )


ROUTES = [
    Route("/", index),
    Route("/comparisons/{id}", comparison),
    Route("/comparisons/{id}/report", report_view),
    Route("/archive", archive),
    Route("/search", search_page),
    Route("/documents/{id}", document),
]
