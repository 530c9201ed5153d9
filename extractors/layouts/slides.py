"""Slide decks exported from presentation software: one section per slide.

A slide is a set of shapes, not a column of text: a title, text boxes, label
boxes beside or above their content (「令和7年度KPI」 | ■…), tables, arrows and
icons, a slide number.  Each slide is read region by region:

- a ruled grid with text in at least two rows and two columns is a table;
- any other closed ruled shape is a box, and its text is one region;
- text outside boxes is grouped into text boxes by proximity;
- the largest text at the top is the slide title (level 1); a short region
  whose content sits right of it or below it is a label, a heading under the
  title; every region is read into blocks with its own right margin, so
  wraps join inside the box they are printed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import BBox, Document, Row, normalize_text

from ..blocks import Draft, area_heading, body_size, body_weight
from ..config import ExtractConfig
from ..document import builder_for, feed, finish_document
from ..furniture import strip_furniture
from ..lines import Line, group_lines
from ..numbering import split_label
from ..page import Char, PageContent, anchors, holds
from ..tables import Table, find_grids


@dataclass(slots=True)
class Region:
    """One text box or table of a slide."""

    lines: list[Line]
    tables: list[Table]
    bbox: BBox

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)


def _contains(outer: BBox, inner: BBox) -> bool:
    return outer.x0 - 1 <= inner.x0 and inner.x1 <= outer.x1 + 1 and outer.top - 1 <= inner.top and inner.bottom <= outer.bottom + 1


def _is_table(t: Table) -> bool:
    rows = {c.row for c in t.cells if c.text}
    cols = {c.col for c in t.cells if c.text}
    return len(rows) >= 2 and len(cols) >= 2


def _box(lines: Sequence[Line]) -> BBox:
    return BBox(min(ln.x0 for ln in lines), min(ln.top for ln in lines), max(ln.x1 for ln in lines), max(ln.bottom for ln in lines))


def _text_boxes(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines outside any shape, grouped into the text boxes they were typed in.

    Two lines share a box when one sits right under the other (a gap under
    one line height) and their horizontal extents overlap.
    """
    order = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    parent = list(range(len(order)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(order):
        for j in range(i + 1, len(order)):
            b = order[j]
            if b.top - a.bottom > 1.0 * max(a.size, b.size):
                break
            if b.top >= a.top + 0.5 * a.height and min(a.x1, b.x1) > max(a.x0, b.x0) and abs(a.size - b.size) < 0.25 * a.size + 1:
                parent[find(j)] = find(i)
    groups: dict[int, list[Line]] = {}
    for i, ln in enumerate(order):
        groups.setdefault(find(i), []).append(ln)
    return list(groups.values())


def slide_regions(page: PageContent, body: Sequence[Line]) -> list[Region]:
    """The regions of one slide in reading order: top to bottom, left to right within a band.

    ``body`` is the page's lines with furniture (slide numbers, running
    footers) removed; they decide which characters are content.
    """
    grids = find_grids(page.rules, page.chars, page.number)
    tables = [g for g in grids if _is_table(g)]
    cells = [c.bbox for g in grids if not _is_table(g) for c in g.cells if c.text]
    tables_at = [t.bbox for t in tables]
    # a shape holding other shapes or tables, or most of the slide, is a background or a frame, not a text box
    area = 0.5 * page.width * page.height
    boxes = [
        b
        for b in cells
        if (b.x1 - b.x0) * (b.bottom - b.top) < area and not any(o is not b and _contains(b, o) for o in [*cells, *tables_at])
    ]
    kept = {id(c) for ln in body for c in ln.chars}
    regions: list[Region] = [Region([], [t], t.bbox) for t in tables]
    by_box: dict[int, list[Char]] = {}
    free: list[Char] = []
    for c, point in zip(page.chars, anchors(page.chars), strict=True):
        if id(c) not in kept or any(holds(t.bbox, point) for t in tables):
            continue
        k = next((i for i, b in enumerate(boxes) if holds(b, point)), None)
        if k is None:
            free.append(c)
        else:
            by_box.setdefault(k, []).append(c)
    for k, chars in by_box.items():  # a text box: all its lines are one region, placed where the shape is
        lines = group_lines(chars, page.number)
        if lines:
            regions.append(Region(lines, [], boxes[k]))
    for group in _text_boxes(group_lines(free, page.number)):
        regions.append(Region(group, [], _box(group)))
    return _reading_order(regions)


def _reading_order(regions: list[Region]) -> list[Region]:
    """Bands of regions that overlap vertically, top to bottom; inside a band, columns left to right, each top to bottom.

    A tall label shape beside a stack of boxes (bullets, a table, a note)
    is one band: the label first, then the stack in its own order.
    """
    bands: list[list[Region]] = []
    bottom = -1.0
    for r in sorted(regions, key=lambda r: r.bbox.top):
        h = r.bbox.bottom - r.bbox.top
        if bands and r.bbox.top < bottom - 0.5 * min(h, bottom - bands[-1][0].bbox.top):
            bands[-1].append(r)
            bottom = max(bottom, r.bbox.bottom)
        else:
            bands.append([r])
            bottom = r.bbox.bottom
    out: list[Region] = []
    for band in bands:
        columns: list[list[Region]] = []
        right = -1.0
        for r in sorted(band, key=lambda r: r.bbox.x0):
            if columns and r.bbox.x0 < right:
                columns[-1].append(r)
                right = max(right, r.bbox.x1)
            else:
                columns.append([r])
                right = r.bbox.x1
        for col in columns:
            out += sorted(col, key=lambda r: r.bbox.top)
    return out


def _is_label(r: Region, nxt: Region | None, size: float) -> bool:
    """A short label shape (「令和7年度KPI」) whose content sits right of it or under it."""
    if nxt is None or r.tables or len(r.lines) > 2 or len(r.text) > 30:
        return False
    if split_label(r.text) is not None or r.text.endswith(("。", "．")):
        return False
    a, b = r.bbox, nxt.bbox
    beside = b.x0 >= a.x1 - 2 and min(a.bottom, b.bottom) > max(a.top, b.top)
    below = b.top >= a.bottom - 2 and b.top - a.bottom < 3 * size and min(a.x1, b.x1) > max(a.x0, b.x0)
    return beside or below


def _bulleted(d: Draft) -> bool:
    label = split_label(d.label + d.text)
    return label is not None and label.kind == "bullet"


def _title(regions: list[Region], height: float, size: float) -> Region | None:
    """The slide title: the largest text in the top quarter, printed larger than the body."""
    top = [r for r in regions if r.lines and r.bbox.top < 0.25 * height]
    best = max(top, key=lambda r: max(ln.size for ln in r.lines), default=None)
    if best is None or max(ln.size for ln in best.lines) < size + 2:
        return None
    return best


def extract_slides(pages: Sequence[PageContent], config: ExtractConfig, *, title: str = "") -> tuple[list[Document], list[Row]]:
    """Each slide's title becomes a level-1 heading; its labels, boxes, bullets and tables follow.

    Tables are never stitched across slides: two slides with tables of the
    same shape are still two tables.
    """
    raw = [group_lines(p.chars, p.number) for p in pages]
    body = strip_furniture(raw, [p.height for p in pages], margin=config.header_margin)
    slides = [slide_regions(p, b) for p, b in zip(pages, body, strict=True)]
    lines = [ln for regions in slides for r in regions for ln in r.lines]
    size, weight = body_size(lines), body_weight(lines)
    drafts: list[Draft] = []
    deck_title = title
    for page, regions in zip(pages, slides, strict=True):
        head = _title(regions, page.height, size)
        if head is not None:
            regions.remove(head)
            drafts.append(area_heading(head.lines))
            deck_title = deck_title or head.text
        kpi_box = False
        for i, r in enumerate(regions):
            if _is_label(r, regions[i + 1] if i + 1 < len(regions) else None, size):
                drafts.append(Draft("heading", "", "label", list(r.lines), r.text, r.bbox.x0))
                kpi_box = "KPI" in normalize_text(r.text).upper()
                continue
            builder = builder_for(r.lines, config, size=size, weight=weight)
            feed(builder, r.lines, r.tables)
            for d in builder.finish():
                if kpi_box and d.kind in ("bullet", "heading") and _bulleted(d):
                    d.kind = "kpi"  # ■… beside a 「令和7年度KPI」 label: the KPI statements, however they are set
                drafts.append(d)
            kpi_box = False
    return [finish_document(drafts, title=deck_title)], []
