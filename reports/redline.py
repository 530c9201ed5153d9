"""The new plan as a Word document with tracked changes against the old one (a redline staff accept or reject).

Every change is a Word revision (``w:ins`` / ``w:del``, author plandiff):
changed words inside a paragraph, whole inserted or deleted items (their
paragraph mark tracked too, so rejecting an insertion removes the
paragraph), renumbered labels, and table cells and rows.  A moved item is
deleted where it stood and inserted where it went, so accepting everything
gives the new plan and rejecting everything gives the old one, in its order.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from typing import Any

from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from diffing.tablediff import matched_cells
from pipeline.model import Block, CompareRow, Comparison, normalize_text

from .ooxml import stable_zip
from .safetext import map_text, xml_safe
from .view import ReportConfig

AUTHOR = "plandiff"
_FIXED = datetime(2000, 1, 1, tzinfo=UTC)
Piece = tuple[str, str]  # (mark, text): mark "" plain, "ins" or "del"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One item printed in the redline: its block and how it is tracked (plain, changed, ins or del)."""

    mode: str
    block: Block
    row: CompareRow | None = None


def _same_columns(old: Block, new: Block) -> bool:
    """Two tables whose cells can be tracked one by one: the same columns under the same headings."""
    if old.kind != "table" or new.kind != "table":
        return True
    return bool(old.rows and new.rows) and [normalize_text(c) for c in old.rows[0]] == [normalize_text(c) for c in new.rows[0]]


def _order(rows: tuple[CompareRow, ...]) -> list[_Entry]:
    """Items in the new document's order, each moved item also deleted where it stood in the old order."""
    seq: list[tuple[int | None, _Entry]] = []  # (old index shown at this place, entry)
    for r in rows:
        if r.status == "added" and r.new is not None:
            seq.append((None, _Entry("ins", r.new)))
        elif r.status == "deleted" and r.old is not None:
            seq.append((r.old_index, _Entry("del", r.old)))
        elif r.status == "moved" and r.new is not None:
            seq.append((None, _Entry("ins", r.new)))
        elif r.status == "changed" and r.old is not None and r.new is not None and not _same_columns(r.old, r.new):
            # columns added or shifted (令和４/５年度 → 令和５/６年度): Word tracks no columns, so the table is replaced
            seq += [(r.old_index, _Entry("del", r.old)), (None, _Entry("ins", r.new))]
        elif r.new is not None:
            seq.append((r.old_index, _Entry("changed" if r.status == "changed" else "plain", r.new, r)))
    for r in sorted((r for r in rows if r.status == "moved"), key=lambda r: r.old_index or 0):
        assert r.old is not None and r.old_index is not None
        at = 0
        for k, (old_index, _) in enumerate(seq):
            if old_index is not None and old_index < r.old_index:
                at = k + 1
        seq.insert(at, (r.old_index, _Entry("del", r.old)))
    return [e for _, e in seq]


class _Revisions:
    """Builds tracked runs with unique revision ids, one author and one date."""

    def __init__(self, date: datetime) -> None:
        self.date = date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ids = count(1)

    def mark(self, tag: str) -> Any:
        el = OxmlElement(tag)
        el.set(qn("w:id"), str(next(self.ids)))
        el.set(qn("w:author"), AUTHOR)
        el.set(qn("w:date"), self.date)
        return el

    def run(self, text: str, mark: str, *, bold: bool = False) -> Any:
        r = OxmlElement("w:r")
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            r.append(rpr)
        t = OxmlElement("w:delText" if mark == "del" else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        if not mark:
            return r
        wrap = self.mark("w:ins" if mark == "ins" else "w:del")
        wrap.append(r)
        return wrap

    def fill(self, p: Any, pieces: list[Piece], *, bold: bool = False) -> None:
        for mark, text in pieces:
            if text:
                p.append(self.run(text, mark, bold=bold))

    def paragraph_mark(self, p: Any, mark: str) -> None:
        """Track the paragraph mark itself, so accepting or rejecting removes the whole paragraph."""
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(self.mark("w:ins" if mark == "ins" else "w:del"))

    def table_row(self, tr: Any, mark: str) -> None:
        trpr = tr.get_or_add_trPr()
        trpr.append(self.mark("w:ins" if mark == "ins" else "w:del"))


def _pieces(entry: _Entry) -> list[Piece]:
    b = entry.block
    if entry.mode in ("ins", "del"):
        return [(entry.mode, b.label + b.text)]
    r = entry.row
    if r is None or r.old is None:
        return [("", b.label + b.text)]
    label: list[Piece] = [("del", r.old.label), ("ins", b.label)] if r.renumbered else [("", b.label)]
    if entry.mode == "plain":
        return [*label, ("", b.text)]  # width and spacing variants are not changes
    body: list[Piece] = []
    for c in r.changes:
        if c.op == "equal":
            body.append(("", c.new))
        else:
            body += [("del", c.old), ("ins", c.new)]
    return label + body


def _table_cells(entry: _Entry) -> list[tuple[str, list[list[Piece]]]]:
    """Rows of a table as (row mark, cells of pieces)."""
    b = entry.block
    if entry.mode in ("ins", "del") or entry.row is None or entry.row.old is None or entry.mode == "plain":
        mark = entry.mode if entry.mode in ("ins", "del") else ""
        return [(mark, [[(mark, cell)] for cell in row]) for row in b.rows]
    old, new = entry.row.old.rows, b.rows
    pairs = {n: o for o, n in matched_cells(old, new)}
    row_of = {n[0]: o[0] for n, o in pairs.items() if n[0] > 0}
    out: list[tuple[str, list[list[Piece]]]] = []

    def deleted_until(stop: int, start: int) -> None:
        """Old rows nobody matched, between two matched ones: tracked deletions where they stood."""
        out.extend(("del", [[("del", cell)] for cell in old[o]]) for o in range(start, stop) if o not in row_of.values())

    last = 0
    for r, row in enumerate(new):
        if r and r not in row_of:
            out.append(("ins", [[("ins", cell)] for cell in row]))
            continue
        if r:
            deleted_until(row_of[r], last + 1)
            last = max(last, row_of[r])
        cells: list[list[Piece]] = []
        for c, cell in enumerate(row):
            o = pairs.get((r, c))
            was = old[o[0]][o[1]] if o is not None else ""
            cells.append([("", cell)] if o is not None and normalize_text(was) == normalize_text(cell) else [("del", was), ("ins", cell)])
        out.append(("", cells))
    deleted_until(len(old), last + 1)
    return out


def comparison_redline(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """A .docx of the new plan with every change against the old one as a tracked revision."""
    comparison = map_text(comparison, xml_safe)  # lxml refuses control characters
    config = config or ReportConfig()
    date = config.now or (datetime.now(UTC) if config.timestamp else _FIXED)
    rev = _Revisions(date)
    doc = new_docx()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "ＭＳ 明朝"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")  # Japanese text needs the East Asian font slot
    # further edits in Word are tracked too
    doc.settings.element.append(OxmlElement("w:trackRevisions"))
    if comparison.new.title:
        doc.add_paragraph(comparison.new.title, style="Title")
    for entry in _order(comparison.rows):
        b = entry.block
        if b.kind == "table":
            rows = _table_cells(entry)
            width = max((len(cells) for _, cells in rows), default=1)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for (mark, cells), tr in zip(rows, table.rows, strict=True):
                if mark:
                    rev.table_row(tr._tr, mark)
                for pieces, cell in zip(cells, tr.cells, strict=False):
                    rev.fill(cell.paragraphs[0]._p, pieces)
            doc.add_paragraph()  # two tables in a row would merge into one in Word
            continue
        style_name = f"Heading {min(b.level or 1, 9)}" if b.kind == "heading" else "Normal"
        p = doc.add_paragraph(style=style_name)
        rev.fill(p._p, _pieces(entry), bold=b.kind in ("kpi", "tag"))
        if entry.mode in ("ins", "del"):
            rev.paragraph_mark(p._p, entry.mode)
    props = doc.core_properties
    props.title = comparison.new.title or comparison.new_source
    props.author = AUTHOR
    props.created = props.modified = props.last_printed = date.replace(tzinfo=None)
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())
