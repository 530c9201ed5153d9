"""Full-text search over the items of every stored plan (SQLite FTS5, trigram tokenizer).

Japanese has no spaces, so the index is of character trigrams of each item's
normalised text (width and spacing folded, as comparisons see it): a query of
three or more characters is an index lookup without a morphological
dictionary.  Shorter queries (健診, 広報) cannot use trigrams and fall back to
a LIKE scan of the same column.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from pipeline.model import ExtractResult, normalize_text
from reports.view import heading_paths

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS items USING fts5(
  norm, text UNINDEXED, label UNINDEXED, section UNINDEXED, block_kind UNINDEXED,
  document UNINDEXED, part UNINDEXED, idx UNINDEXED, page UNINDEXED,
  tokenize = 'trigram'
);
"""
LIMIT = 200


def index(con: sqlite3.Connection, doc_id: str, result: ExtractResult) -> None:
    """Add every item of every document of one extraction (tables as their cells)."""
    rows = []
    for part, doc in enumerate(result.documents):
        for i, (b, path) in enumerate(zip(doc.blocks, heading_paths(doc.blocks), strict=True)):
            text = " | ".join(" | ".join(r) for r in b.rows) if b.kind == "table" else b.text
            section = " > ".join(path[:-1] if b.kind == "heading" else path)
            rows.append((normalize_text(b.label + text), text, b.label, section, b.kind, doc_id, part, i, b.page))
    con.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?)", rows)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def query(con: sqlite3.Connection, q: str, *, office: str = "", year: str = "", kind: str = "") -> list[dict[str, Any]]:
    """Items whose text holds ``q`` (normalised), best first, filtered by office, year (令和N年度 or N) and kind."""
    needle = normalize_text(q)
    if not needle:
        return []
    if year.isdigit():
        year = f"令和{int(year)}年度"
    where, args = [], []
    if len(needle) >= 3:
        where.append("items MATCH ?")
        args.append('norm : "' + needle.replace('"', '""') + '"')
        order = "rank"
    else:
        where.append("items.norm LIKE ? ESCAPE '\\'")
        args.append(_like(needle))
        order = "d.year DESC, d.organisation, items.document, items.part, items.idx"
    for col, value in (("organisation", office), ("year", year), ("kind", kind)):
        if value:
            where.append(f"d.{col} = ?")
            args.append(value)
    sql = (
        "SELECT items.document, items.part, items.idx, items.text, items.label, items.section, items.block_kind, items.page,"
        " d.organisation, d.year, d.kind, d.name FROM items JOIN documents d ON d.id = items.document"
        f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT {LIMIT}"
    )
    return [
        {
            "document": r["document"],
            "office": r["organisation"],
            "year": r["year"],
            "section": r["section"],
            "kind": r["kind"],
            "item_kind": r["block_kind"],
            "label": r["label"],
            "text": r["text"],
            "page": r["page"],
            "part": r["part"],
            "index": r["idx"],
            "name": r["name"],
        }
        for r in con.execute(sql, args)
    ]
