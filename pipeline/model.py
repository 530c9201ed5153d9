"""The typed data model shared by every stage.

This module imports nothing of ours, so ``extractors``, ``diffing`` and
``reports`` may all depend on it.  Every block keeps its printed text
(``text``, exactly as the PDF shows it with line wraps joined) next to a
normalised form (``norm``) used for matching, and its provenance (page and
bounding box in PDF points, origin top-left).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "bullet", "numbered", "kpi", "tag", "note", "paragraph", "table"]
Layout = Literal["plan", "fieldtable", "sidebyside", "slides"]

BLOCK_KINDS: tuple[str, ...] = ("heading", "bullet", "numbered", "kpi", "tag", "note", "paragraph", "table")
EXTRACT_SCHEMA = "plandiff.extract/1"

_WS = re.compile(r"\s+")
# Notational variants of one glyph that NFKC leaves apart.
_GLYPH_FOLD = str.maketrans({"〜": "~", "～": "~", "〇": "○", "－": "-", "―": "-", "‐": "-", "−": "-"})


def normalize_text(text: str) -> str:
    """NFKC, folded glyph variants (〜/～, 〇/○, dashes), no whitespace.

    >>> normalize_text("１００％ の 2023 年〜")
    '100%の2023年~'
    """
    return _WS.sub("", unicodedata.normalize("NFKC", text or "").translate(_GLYPH_FOLD))


@dataclass(frozen=True, slots=True)
class BBox:
    """A box in PDF points, origin at the top-left of the page."""

    x0: float
    top: float
    x1: float
    bottom: float

    def as_list(self) -> list[float]:
        return [round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)]


@dataclass(frozen=True, slots=True)
class Block:
    """One item of a plan: a heading, a bullet, a KPI statement, a table ...

    ``label`` is the printed numbering or bullet token (``（１）``, ``・``,
    ``■ KPI：``), ``text`` the rest as printed.  Tables keep ``rows``.
    """

    kind: BlockKind
    text: str = ""
    label: str = ""
    level: int | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    page: int = 0
    bbox: BBox | None = None

    @property
    def norm(self) -> str:
        """Label and text (or table cells), normalised for matching."""
        if self.kind == "table":
            return normalize_text("|".join("|".join(r) for r in self.rows))
        return normalize_text(self.label + self.text)

    @property
    def norm_text(self) -> str:
        """Text without its label, normalised (for comparing renumbered items)."""
        if self.kind == "table":
            return self.norm
        return normalize_text(self.text)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind == "heading":
            d["level"] = self.level
        if self.kind == "table":
            d["rows"] = [list(r) for r in self.rows]
            d["text"] = ""
        else:
            if self.kind != "tag" or self.label:
                d["label"] = self.label
            d["text"] = self.text
        d["page"] = self.page
        if self.bbox is not None:
            d["bbox"] = self.bbox.as_list()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Block:
        box = d.get("bbox")
        kind = d.get("kind", "paragraph")
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        return cls(
            kind=kind,
            text=d.get("text") or "",
            label=d.get("label") or "",
            level=d.get("level"),
            rows=tuple(tuple(str(c) for c in r) for r in d.get("rows") or ()),
            page=int(d.get("page") or 0),
            bbox=BBox(*box) if box else None,
        )


@dataclass(frozen=True, slots=True)
class Row:
    """What the author of a side-by-side table placed in one row (block indices)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    marker_left: str = ""
    marker_right: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"left": list(self.left), "right": list(self.right)}
        if self.marker_left:
            d["marker_left"] = self.marker_left
        if self.marker_right:
            d["marker_right"] = self.marker_right
        return d


@dataclass(frozen=True, slots=True)
class Document:
    """One plan: a title, a column label and its blocks in reading order."""

    blocks: tuple[Block, ...]
    title: str = ""
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title, "blocks": [b.to_dict() for b in self.blocks]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            blocks=tuple(Block.from_dict(b) for b in d.get("blocks", ())),
            title=d.get("title") or "",
            label=d.get("label") or "",
        )


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """Everything read from one PDF (schema ``plandiff.extract/1``)."""

    source: str
    pages: int
    layout: Layout
    documents: tuple[Document, ...]
    rows: tuple[Row, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema": EXTRACT_SCHEMA,
            "source": self.source,
            "pages": self.pages,
            "layout": self.layout,
            "documents": [doc.to_dict() for doc in self.documents],
        }
        if self.rows:
            d["rows"] = [r.to_dict() for r in self.rows]
        if self.warnings:
            d["warnings"] = list(self.warnings)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ExtractResult:
        if d.get("schema") != EXTRACT_SCHEMA:
            raise ValueError(f"not a {EXTRACT_SCHEMA} document (schema={d.get('schema')!r})")
        return cls(
            source=d.get("source", ""),
            pages=int(d.get("pages", 0)),
            layout=d.get("layout", "plan"),
            documents=tuple(Document.from_dict(x) for x in d.get("documents", ())),
            rows=tuple(
                Row(tuple(r.get("left", ())), tuple(r.get("right", ())), r.get("marker_left", ""), r.get("marker_right", ""))
                for r in d.get("rows", ())
            ),
            warnings=tuple(d.get("warnings", ())),
        )


# -- comparison ------------------------------------------------------------

Status = Literal["unchanged", "changed", "added", "deleted", "moved"]
STATUSES: tuple[str, ...] = ("unchanged", "changed", "added", "deleted", "moved")
COMPARE_SCHEMA = "plandiff.compare/1"


@dataclass(frozen=True, slots=True)
class TextChange:
    """One opcode of a word diff; the ``old`` parts rebuild the old text, the ``new`` parts the new."""

    op: Literal["equal", "insert", "delete", "replace"]
    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class NumberChange:
    """A number with its unit that changed (a KPI target, a budget, a count)."""

    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class CompareRow:
    """What happened to one item: its two sides, its status and why it was aligned so."""

    status: Status
    old: Block | None
    new: Block | None
    old_index: int | None
    new_index: int | None
    similarity: float = 1.0
    renumbered: bool = False
    notation_only: bool = False
    changes: tuple[TextChange, ...] = ()
    numbers: tuple[NumberChange, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        def side(b: Block | None, i: int | None) -> dict[str, Any] | None:
            return None if b is None else {**b.to_dict(), "index": i}

        return {
            "status": self.status,
            "similarity": round(self.similarity, 4),
            "renumbered": self.renumbered,
            "notation_only": self.notation_only,
            "old": side(self.old, self.old_index),
            "new": side(self.new, self.new_index),
            "changes": [c.to_dict() for c in self.changes],
            "numbers": [n.to_dict() for n in self.numbers],
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two documents aligned item by item (schema ``plandiff.compare/1``)."""

    old: Document
    new: Document
    rows: tuple[CompareRow, ...]
    old_source: str = ""
    new_source: str = ""

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            counts[r.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": COMPARE_SCHEMA,
            "old": {"source": self.old_source, "label": self.old.label, "title": self.old.title},
            "new": {"source": self.new_source, "label": self.new.label, "title": self.new.title},
            "rows": [r.to_dict() for r in self.rows],
            "summary": self.summary,
        }
