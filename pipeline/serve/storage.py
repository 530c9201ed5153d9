"""The server's memory: one SQLite database and the uploaded files, inside the data directory.

Documents are keyed by the sha256 of the uploaded bytes, so a file uploaded
twice is stored and extracted once.  Every write is one transaction; uploaded
files live under generated names in ``files/``, never under a name a client
sent.  Reads open their own connection, so any thread may call any method.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.model import Comparison, ExtractResult

from . import search

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,              -- sha256 of the uploaded bytes
  name TEXT NOT NULL,               -- the client's file name: shown, never used as a path
  file TEXT,                        -- our name for the stored PDF under files/ (NULL for JSON)
  pages INTEGER, layout TEXT, organisation TEXT, year TEXT, kind TEXT,
  extract TEXT NOT NULL,            -- plandiff.extract/1
  created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS comparisons (
  id TEXT PRIMARY KEY,
  old_doc TEXT NOT NULL REFERENCES documents(id), old_part INTEGER NOT NULL,
  new_doc TEXT NOT NULL REFERENCES documents(id), new_part INTEGER NOT NULL,
  options TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
  data TEXT NOT NULL,               -- plandiff.compare/1
  created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  comparison TEXT NOT NULL REFERENCES comparisons(id), format TEXT NOT NULL, body BLOB NOT NULL,
  PRIMARY KEY (comparison, format)
);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0,
  stage TEXT NOT NULL DEFAULT '', error TEXT, message TEXT, comparison TEXT,
  detail TEXT NOT NULL DEFAULT '{}', created REAL NOT NULL, updated REAL NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    name: str
    file: str | None
    pages: int
    layout: str
    organisation: str
    year: str
    kind: str
    extract: str
    created: float

    @property
    def result(self) -> ExtractResult:
        return ExtractResult.from_dict(json.loads(self.extract))

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "pages": self.pages,
            "layout": self.layout,
            "organisation": self.organisation,
            "year": self.year,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class StoredComparison:
    id: str
    old_doc: str
    old_part: int
    new_doc: str
    new_part: int
    options: str
    title: str
    summary: str
    data: str
    created: float

    @property
    def counts(self) -> dict[str, int]:
        return dict(json.loads(self.summary))

    @property
    def option(self) -> dict[str, Any]:
        return dict(json.loads(self.options))


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = root / "files"
        self.tmp = root / "tmp"
        for d in (self.files, self.tmp):
            d.mkdir(parents=True, exist_ok=True)
        self.path = root / "plandiff.sqlite3"
        with self.connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA + search.SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """One connection, one transaction: committed when the block ends, rolled back on error."""
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        try:
            with con:
                yield con
        finally:
            con.close()

    # -- documents --------------------------------------------------------------

    def add_document(self, doc_id: str, name: str, file: str | None, result: ExtractResult, who: tuple[str, str, str]) -> None:
        """Store an extraction and index its items; a document already stored is left as it is."""
        org, year, kind = who
        with self.connect() as con:
            cur = con.execute(
                "INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    name,
                    file,
                    result.pages,
                    result.layout,
                    org,
                    year,
                    kind,
                    json.dumps(result.to_dict(), ensure_ascii=False),
                    time.time(),
                ),
            )
            if cur.rowcount:
                search.index(con, doc_id, result)

    def document(self, doc_id: str) -> StoredDocument | None:
        with self.connect() as con:
            row = con.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return StoredDocument(**row) if row else None

    def has_document(self, doc_id: str) -> bool:
        with self.connect() as con:
            return con.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def documents(self, limit: int = 500) -> list[StoredDocument]:
        with self.connect() as con:
            rows = con.execute("SELECT * FROM documents ORDER BY organisation, year, name LIMIT ?", (limit,)).fetchall()
        return [StoredDocument(**r) for r in rows]

    def facets(self) -> dict[str, list[str]]:
        """The offices, years and kinds present, for the search filters."""
        with self.connect() as con:
            return {
                col: [r[0] for r in con.execute(f"SELECT DISTINCT {col} FROM documents WHERE {col} != '' ORDER BY {col}")]
                for col in ("organisation", "year", "kind")
            }

    # -- comparisons ------------------------------------------------------------

    def add_comparison(
        self, comp_id: str, sides: tuple[str, int, str, int], options: dict[str, Any], title: str, comparison: Comparison, html: str
    ) -> None:
        """Store a comparison with its HTML report; a second one with the same id replaces the first."""
        data = json.dumps(comparison.to_dict(), ensure_ascii=False)
        with self.connect() as con:
            con.execute("DELETE FROM reports WHERE comparison = ?", (comp_id,))
            con.execute(
                "INSERT OR REPLACE INTO comparisons VALUES (?,?,?,?,?,?,?,?,?,?)",
                (comp_id, *sides, json.dumps(options, ensure_ascii=False), title, json.dumps(comparison.summary), data, time.time()),
            )
            con.execute("INSERT INTO reports VALUES (?,?,?)", (comp_id, "html", html.encode("utf-8")))

    def comparison(self, comp_id: str) -> StoredComparison | None:
        with self.connect() as con:
            row = con.execute("SELECT * FROM comparisons WHERE id = ?", (comp_id,)).fetchone()
        return StoredComparison(**row) if row else None

    def touch_comparison(self, comp_id: str) -> None:
        """Bring an existing comparison to the top of the recent list."""
        with self.connect() as con:
            con.execute("UPDATE comparisons SET created = ? WHERE id = ?", (time.time(), comp_id))

    def comparisons(self, limit: int = 20, ids: list[str] | None = None) -> list[StoredComparison]:
        with self.connect() as con:
            if ids is None:
                rows = con.execute("SELECT * FROM comparisons ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
            else:
                marks = ",".join("?" * len(ids))
                rows = con.execute(f"SELECT * FROM comparisons WHERE id IN ({marks}) ORDER BY title", ids).fetchall()
        return [StoredComparison(**r) for r in rows]

    def report(self, comp_id: str, fmt: str) -> bytes | None:
        with self.connect() as con:
            row = con.execute("SELECT body FROM reports WHERE comparison = ? AND format = ?", (comp_id, fmt)).fetchone()
        return bytes(row[0]) if row else None

    def put_report(self, comp_id: str, fmt: str, body: bytes) -> None:
        with self.connect() as con:
            con.execute("INSERT OR REPLACE INTO reports VALUES (?,?,?)", (comp_id, fmt, body))

    # -- jobs -------------------------------------------------------------------

    def create_job(self, job_id: str, kind: str, detail: dict[str, Any]) -> None:
        now = time.time()
        with self.connect() as con:
            con.execute(
                "INSERT INTO jobs (id, kind, state, detail, created, updated) VALUES (?,?,?,?,?,?)",
                (job_id, kind, "queued", json.dumps(detail, ensure_ascii=False), now, now),
            )

    def update_job(self, job_id: str, **fields: Any) -> None:
        if "detail" in fields:
            fields["detail"] = json.dumps(fields["detail"], ensure_ascii=False)
        cols = ", ".join(f"{k} = ?" for k in fields)
        with self.connect() as con:
            con.execute(f"UPDATE jobs SET {cols}, updated = ? WHERE id = ?", (*fields.values(), time.time(), job_id))

    def job(self, job_id: str) -> dict[str, Any] | None:
        with self.connect() as con:
            row = con.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        job = dict(row)
        job["detail"] = json.loads(job["detail"])
        return job

    def jobs(self, kind: str, limit: int = 10) -> list[dict[str, Any]]:
        with self.connect() as con:
            ids = [r[0] for r in con.execute("SELECT id FROM jobs WHERE kind = ? ORDER BY created DESC LIMIT ?", (kind, limit))]
        return [j for j in map(self.job, ids) if j is not None]

    def interrupt_unfinished(self, *, error: str, message: str) -> int:
        """Mark every queued or running job failed (after a crash, or at shutdown)."""
        with self.connect() as con:
            cur = con.execute(
                "UPDATE jobs SET state = 'failed', error = ?, message = ?, updated = ? WHERE state IN ('queued', 'running')",
                (error, message, time.time()),
            )
            return cur.rowcount
