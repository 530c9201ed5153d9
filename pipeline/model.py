"""The typed data model shared by every stage.

This module imports nothing of ours, so ``extractors``, ``diffing`` and
``reports`` may all depend on it.  Every block keeps its printed text
(``text``, exactly as the PDF shows it with line wraps joined) next to a
normalised form (``norm``) used for matching, and its provenance (page and
bounding box in PDF points, origin top-left).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "bullet", "numbered", "kpi", "tag", "note", "paragraph", "table"]
Layout = Literal["plan", "fieldtable", "sidebyside", "slides"]
TextLayer = Literal["ok", "garbled", "no_text", "vertical", "ocr_layer"]
PageSource = Literal["text", "ocr", "none"]
BlockSource = Literal["text", "ocr"]

BLOCK_KINDS: tuple[str, ...] = ("heading", "bullet", "numbered", "kpi", "tag", "note", "paragraph", "table")
EXTRACT_SCHEMA = "plandiff.extract/1"

# Notational variants of one glyph that NFKC leaves apart.
GLYPH_FOLD = {"〜": "~", "～": "~", "〇": "○", "－": "-", "―": "-", "‐": "-", "−": "-"}


def normalize_text(text: str) -> str:
    """NFKC, folded glyph variants (〜/～, 〇/○, dashes), no whitespace.

    >>> normalize_text("１００％ の 2023 年〜")
    '100%の2023年~'
    """
    s = unicodedata.normalize("NFKC", text or "")
    # str.replace per variant and split(): twice as fast on Japanese text as str.translate (a failed
    # dict lookup per character) and re's \s+ (the same whitespace: both use Py_UNICODE_ISSPACE)
    for glyph, folded in GLYPH_FOLD.items():
        if glyph in s:
            s = s.replace(glyph, folded)
    return "".join(s.split())


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
    source: BlockSource = "text"  # "ocr": read from the page image, not the text layer
    confidence: float | None = None  # OCR's mean word confidence (0-1) over the block

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
        if self.source != "text":
            d["source"] = self.source
            d["confidence"] = self.confidence
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
            source="ocr" if d.get("source") == "ocr" else "text",
            confidence=d.get("confidence"),
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
class PageReport:
    """What one page's text layer was judged to be, and where its blocks were read from.

    ``text_layer``: ``ok``, ``garbled`` (fonts without a Unicode map),
    ``no_text`` (images only), ``ocr_layer`` (a scan under another program's
    invisible OCR text) or ``vertical`` (縦書き).  ``source``: ``text``
    (the text layer), ``ocr`` (the page image) or ``none`` (refused: nothing
    of the page is in the documents; ``reason`` says why).
    """

    page: int
    text_layer: TextLayer = "ok"
    reason: str = ""
    source: PageSource = "text"
    confidence: float | None = None  # OCR's mean word confidence (0-1) on the page

    @property
    def sound(self) -> bool:
        """Read from its own text layer as printed, with nothing to report."""
        return self.text_layer == "ok" and self.source == "text"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"page": self.page, "text_layer": self.text_layer}
        if self.reason:
            d["reason"] = self.reason
        d["source"] = self.source
        if self.confidence is not None:
            d["confidence"] = self.confidence
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageReport:
        layer = d.get("text_layer", "ok")
        source = d.get("source", "text")
        if layer not in ("ok", "garbled", "no_text", "vertical", "ocr_layer") or source not in ("text", "ocr", "none"):
            raise ValueError(f"unknown page verdict {layer!r} / source {source!r}")
        return cls(int(d["page"]), layer, d.get("reason") or "", source, d.get("confidence"))


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
    text_layer: tuple[PageReport, ...] = ()  # one per page; written only when some page is not sound

    @property
    def ocr_pages(self) -> tuple[int, ...]:
        """Pages read from their image by OCR."""
        return tuple(r.page for r in self.text_layer if r.source == "ocr")

    @property
    def refused_pages(self) -> tuple[int, ...]:
        """Pages left out: garbled, scanned or vertical text that could not be read."""
        return tuple(r.page for r in self.text_layer if r.source == "none")

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
        if not all(r.sound for r in self.text_layer):
            d["text_layer"] = [r.to_dict() for r in self.text_layer]
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
            text_layer=tuple(PageReport.from_dict(r) for r in d.get("text_layer", ())),
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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextChange:
        return cls(d["op"], d.get("old", ""), d.get("new", ""))


@dataclass(frozen=True, slots=True)
class NumberChange:
    """A number with its unit that changed (a KPI target, a budget, a count)."""

    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        return {"old": self.old, "new": self.new}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NumberChange:
        return cls(d.get("old", ""), d.get("new", ""))


def _side(b: Block | None, i: int | None) -> dict[str, Any] | None:
    """A block with its index in its document, as the N-way schemas print it."""
    return None if b is None else {**b.to_dict(), "index": i}


def _unside(d: dict[str, Any] | None) -> tuple[Block | None, int | None]:
    return (None, None) if d is None else (Block.from_dict(d), d.get("index"))


Cell = tuple[int, int]  # (row, column) of a table, header row 0


@dataclass(frozen=True, slots=True)
class CellChange:
    """One value of a table that changed, under the same row and column heading.

    ``delta`` is new − old when both cells are one number with the same unit
    (``7,820千円`` → ``8,063千円``: 243.0, unit ``千円``).
    """

    old: Cell
    new: Cell
    old_text: str
    new_text: str
    delta: float | None = None
    unit: str = ""  # of both numbers, normalised (％ → %)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"old": list(self.old), "new": list(self.new), "old_text": self.old_text, "new_text": self.new_text}
        if self.delta is not None:
            d["delta"] = self.delta
            d["unit"] = self.unit
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CellChange:
        old, new = d.get("old") or (0, 0), d.get("new") or (0, 0)
        delta = d.get("delta")
        return cls(
            (int(old[0]), int(old[1])),
            (int(new[0]), int(new[1])),
            d.get("old_text", ""),
            d.get("new_text", ""),
            None if delta is None else float(delta),
            d.get("unit", ""),
        )


@dataclass(frozen=True, slots=True)
class TableChanges:
    """Two versions of one table compared cell by cell: rows matched by their first cell, columns by their heading.

    A rolling year header (令和４/５年度 → 令和５/６年度) is one column gone and
    one added, not a change in every header cell.
    """

    cells: tuple[CellChange, ...] = ()
    added_rows: tuple[int, ...] = ()  # rows of the new table with no old counterpart
    deleted_rows: tuple[int, ...] = ()  # rows of the old table with no new counterpart
    added_columns: tuple[int, ...] = ()
    deleted_columns: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells": [c.to_dict() for c in self.cells],
            "added_rows": list(self.added_rows),
            "deleted_rows": list(self.deleted_rows),
            "added_columns": list(self.added_columns),
            "deleted_columns": list(self.deleted_columns),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TableChanges:
        def ints(key: str) -> tuple[int, ...]:
            return tuple(int(x) for x in d.get(key) or ())

        return cls(
            tuple(CellChange.from_dict(c) for c in d.get("cells") or ()),
            ints("added_rows"),
            ints("deleted_rows"),
            ints("added_columns"),
            ints("deleted_columns"),
        )


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
    table: TableChanges | None = None  # two tables: what changed cell by cell

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "similarity": round(self.similarity, 4),
            "renumbered": self.renumbered,
            "notation_only": self.notation_only,
            "old": _side(self.old, self.old_index),
            "new": _side(self.new, self.new_index),
            "changes": [c.to_dict() for c in self.changes],
            "numbers": [n.to_dict() for n in self.numbers],
            "reason": self.reason,
            **({"table": self.table.to_dict()} if self.table is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CompareRow:
        if d.get("status") not in STATUSES:
            raise ValueError(f"unknown row status {d.get('status')!r}")
        old, old_index = _unside(d.get("old"))
        new, new_index = _unside(d.get("new"))
        return cls(
            d["status"],
            old,
            new,
            old_index,
            new_index,
            float(d.get("similarity", 1.0)),
            bool(d.get("renumbered")),
            bool(d.get("notation_only")),
            tuple(TextChange.from_dict(c) for c in d.get("changes", ())),
            tuple(NumberChange.from_dict(n) for n in d.get("numbers", ())),
            d.get("reason", ""),
            TableChanges.from_dict(d["table"]) if d.get("table") else None,
        )


ComparisonKind = Literal["years", "branch"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two documents aligned item by item (schema ``plandiff.compare/1``).

    ``kind`` is ``"years"`` (last year → this year, 新 | 旧) or ``"branch"``
    (HQ → a branch of the same year, 支部 | 本部: a branch-only item is its own, 独自).
    """

    old: Document
    new: Document
    rows: tuple[CompareRow, ...]
    old_source: str = ""
    new_source: str = ""
    kind: ComparisonKind = "years"
    old_organisation: str = ""
    new_organisation: str = ""

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            counts[r.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": COMPARE_SCHEMA,
            "kind": self.kind,
            "old": {"source": self.old_source, "label": self.old.label, "title": self.old.title, "organisation": self.old_organisation},
            "new": {"source": self.new_source, "label": self.new.label, "title": self.new.title, "organisation": self.new_organisation},
            "rows": [r.to_dict() for r in self.rows],
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Comparison:
        """Load a ``plandiff.compare/1`` document back; both documents are rebuilt from the rows.

        Every block of both documents is in exactly one row, with its index.
        """
        if d.get("schema") != COMPARE_SCHEMA:
            raise ValueError(f"not a {COMPARE_SCHEMA} document (schema={d.get('schema')!r})")
        rows = tuple(CompareRow.from_dict(r) for r in d.get("rows", ()))

        def document(side: str) -> Document:
            head = d.get(side) or {}
            pairs = [(r.old_index, r.old) if side == "old" else (r.new_index, r.new) for r in rows]
            blocks = tuple(b for _, b in sorted(((i, b) for i, b in pairs if b is not None and i is not None), key=lambda p: p[0]))
            return Document(blocks, head.get("title", ""), head.get("label", ""))

        kind = d.get("kind", "years")
        if kind not in ("years", "branch"):
            raise ValueError(f"unknown comparison kind {kind!r}")
        return cls(
            document("old"),
            document("new"),
            rows,
            (d.get("old") or {}).get("source", ""),
            (d.get("new") or {}).get("source", ""),
            kind,
            (d.get("old") or {}).get("organisation", ""),
            (d.get("new") or {}).get("organisation", ""),
        )


# -- beyond two documents: HQ × branches, one office over years --------------

MatrixStatus = Literal["same", "changed", "moved", "omitted", "own"]
MATRIX_STATUSES: tuple[str, ...] = ("same", "changed", "moved", "omitted", "own")
MATRIX_SCHEMA = "plandiff.matrix/1"
HISTORY_SCHEMA = "plandiff.history/1"


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """Which plan a column of an N-way result is: its file, column label, office and fiscal year."""

    source: str
    label: str = ""
    organisation: str = ""
    year: str = ""  # 令和N年度

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "label": self.label, "organisation": self.organisation, "year": self.year}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlanInfo:
        return cls(d.get("source", ""), d.get("label", ""), d.get("organisation", ""), d.get("year", ""))


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """How one branch carries one HQ item (or one of its own items).

    ``row`` is the index of the row in that branch's comparison with HQ (the
    report's anchor ``r{row + 1}``); ``where`` names the section a moved item
    went to.
    """

    status: MatrixStatus
    block: Block | None
    index: int | None
    similarity: float = 1.0
    notation_only: bool = False
    changes: tuple[TextChange, ...] = ()
    numbers: tuple[NumberChange, ...] = ()
    where: str = ""
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "block": _side(self.block, self.index),
            "similarity": round(self.similarity, 4),
            "notation_only": self.notation_only,
            "changes": [c.to_dict() for c in self.changes],
            "numbers": [n.to_dict() for n in self.numbers],
            "where": self.where,
            "row": self.row,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MatrixCell:
        if d.get("status") not in MATRIX_STATUSES:
            raise ValueError(f"unknown matrix status {d.get('status')!r}")
        block, index = _unside(d.get("block"))
        return cls(
            d["status"],
            block,
            index,
            float(d.get("similarity", 1.0)),
            bool(d.get("notation_only")),
            tuple(TextChange.from_dict(c) for c in d.get("changes", ())),
            tuple(NumberChange.from_dict(n) for n in d.get("numbers", ())),
            d.get("where", ""),
            d.get("row"),
        )


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One HQ item and a cell per branch, or (``hq`` None) one branch's own item."""

    hq: Block | None
    hq_index: int | None
    cells: tuple[MatrixCell | None, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"hq": _side(self.hq, self.hq_index), "cells": [None if c is None else c.to_dict() for c in self.cells]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MatrixRow:
        hq, index = _unside(d.get("hq"))
        return cls(hq, index, tuple(None if c is None else MatrixCell.from_dict(c) for c in d.get("cells", ())))


@dataclass(frozen=True, slots=True)
class Matrix:
    """The HQ plan against every branch plan of its year (schema ``plandiff.matrix/1``)."""

    hq: PlanInfo
    branches: tuple[PlanInfo, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def hq_items(self) -> int:
        return sum(1 for r in self.rows if r.hq is not None)

    @property
    def summary(self) -> tuple[dict[str, int], ...]:
        """Per branch: how many HQ items it carries verbatim, localised, moved, omitted, and its own items."""
        out = [dict.fromkeys(MATRIX_STATUSES, 0) for _ in self.branches]
        for r in self.rows:
            for k, c in enumerate(r.cells):
                if c is not None:
                    out[k][c.status] += 1
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": MATRIX_SCHEMA,
            "hq": self.hq.to_dict(),
            "branches": [b.to_dict() for b in self.branches],
            "hq_items": self.hq_items,
            "rows": [r.to_dict() for r in self.rows],
            "summary": list(self.summary),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Matrix:
        if d.get("schema") != MATRIX_SCHEMA:
            raise ValueError(f"not a {MATRIX_SCHEMA} document (schema={d.get('schema')!r})")
        return cls(
            PlanInfo.from_dict(d.get("hq") or {}),
            tuple(PlanInfo.from_dict(b) for b in d.get("branches", ())),
            tuple(MatrixRow.from_dict(r) for r in d.get("rows", ())),
        )


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One item followed through the years: its block each year (None where absent)."""

    blocks: tuple[Block | None, ...]
    indices: tuple[int | None, ...]
    changed_in: tuple[str, ...] = ()  # years whose text differs from the year before


@dataclass(frozen=True, slots=True)
class Series:
    """A KPI target or a budget line, year by year.

    ``values`` holds the printed figure per year (None where absent), ``unit``
    its unit (％, 千円 …), ``wording_changed`` the years its wording (the text
    around the figure) changed; ``source`` is ``kpi`` (a KPI statement),
    ``kpi-table`` or ``budget``.
    """

    name: str
    unit: str
    values: tuple[str | None, ...]
    source: str = "kpi"
    wording_changed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class History:
    """One office's plans of several years, oldest first (schema ``plandiff.history/1``)."""

    years: tuple[str, ...]
    documents: tuple[PlanInfo, ...]
    items: tuple[HistoryItem, ...]
    kpis: tuple[Series, ...] = ()
    budgets: tuple[Series, ...] = ()

    def first(self, item: HistoryItem) -> str:
        return next(y for y, b in zip(self.years, item.blocks, strict=True) if b is not None)

    def last(self, item: HistoryItem) -> str:
        return [y for y, b in zip(self.years, item.blocks, strict=True) if b is not None][-1]

    def to_dict(self) -> dict[str, Any]:
        def series(s: Series) -> dict[str, Any]:
            return {
                "name": s.name,
                "unit": s.unit,
                "source": s.source,
                "values": dict(zip(self.years, s.values, strict=True)),
                "wording_changed": list(s.wording_changed),
            }

        return {
            "schema": HISTORY_SCHEMA,
            "organisation": self.documents[-1].organisation if self.documents else "",
            "years": list(self.years),
            "documents": [d.to_dict() for d in self.documents],
            "items": [
                {
                    "years": {y: _side(b, i) for y, b, i in zip(self.years, it.blocks, it.indices, strict=True)},
                    "first": self.first(it),
                    "last": self.last(it),
                    "changed_in": list(it.changed_in),
                }
                for it in self.items
            ],
            "kpis": [series(s) for s in self.kpis],
            "budgets": [series(s) for s in self.budgets],
        }
