"""Field tables and side-by-side tables → documents."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.model import Document, Row, normalize_text

from .blocks import BlockBuilder, Draft, area_heading, body_size, right_edge
from .chars import PageContent
from .columns import FrameRow, find_frame, frame_rows, header_cells
from .config import ExtractConfig
from .lines import Line
from .plan import feed, finish_document, stitch_tables

_MARKER = re.compile(r"^[（(【\[]?\s*(新設|削除|新規|追加|廃止)\s*[）)】\]]?$")


def _framed_pages(pages: Sequence[PageContent]) -> tuple[list[FrameRow], list[str], str]:
    """Rows of every framed page, the header labels, and the title above the first frame."""
    rows: list[FrameRow] = []
    labels: list[str] = []
    title = ""
    for p in pages:
        frame = find_frame(p)
        if frame is None:
            continue
        if not labels:
            labels = header_cells(p, frame)
            above = [c for c in p.chars if (c.top + c.bottom) / 2 < frame.header_top - 1]
            if above:
                big = max(c.size for c in above)
                title = "".join(c.text for c in sorted((c for c in above if c.size >= big - 0.5), key=lambda c: (round(c.top), c.x0)))
        rows += frame_rows(p, frame)
    return rows, labels, title.strip()


def _builder(rows: Sequence[FrameRow], col: int, config: ExtractConfig) -> BlockBuilder:
    lines: list[Line] = [ln for r in rows for ln in r.cells[col].lines]
    return BlockBuilder(size=body_size(lines), edge=right_edge(lines), heading_size_delta=config.heading_size_delta)


def extract_fieldtable(pages: Sequence[PageContent], config: ExtractConfig) -> Document:
    """分野 | 実施内容等: the area name becomes a level-1 heading where the area starts."""
    rows, labels, title = _framed_pages(pages)
    builder = _builder(rows, len(rows[0].cells) - 1 if rows else 1, config)
    area = ""
    for r in rows:
        name = "".join(ln.text for ln in r.cells[0].lines)
        if name and normalize_text(name) != normalize_text(area):
            area = name
            builder.close()
            builder.drafts.append(area_heading(r.cells[0].lines))
        body = r.cells[-1]
        feed(builder, body.lines, body.tables)
    drafts = stitch_tables(builder.finish())
    return finish_document(drafts, title=title, label=" | ".join(labels))


def extract_sidebyside(pages: Sequence[PageContent], config: ExtractConfig) -> tuple[list[Document], list[Row]]:
    """Two documents (left, right) and the rows that put their blocks side by side."""
    rows, labels, title = _framed_pages(pages)
    labels = [*labels, "", ""][:2]
    builders = [_builder(rows, 0, config), _builder(rows, 1, config)]
    markers: dict[int, list[str]] = {}
    group = -1
    prev_page = 0
    for r in rows:
        new_page = r.page != prev_page
        prev_page = r.page
        if not new_page:
            for b in builders:
                b.close()  # a row rule ends every block above it
        opened = [b.open for b in builders]
        touched: list[list[Draft]] = []
        mk = ["", ""]
        for side, b in enumerate(builders):
            cell = r.cells[side]
            text = "".join(ln.text for ln in cell.lines)
            if _MARKER.match(normalize_text(text)) and not cell.tables:
                mk[side] = text
                touched.append([])
                continue
            touched.append(feed(b, cell.lines, cell.tables))
        # a row broken by a page break continues the row above it
        continued = new_page and group >= 0 and any(t and t[0] is o for t, o in zip(touched, opened, strict=True))
        if not continued:
            group += 1
        for t in touched:
            for d in t:
                d.groups.add(group)
        if mk[0] or mk[1]:
            markers.setdefault(group, ["", ""])
            markers[group] = [markers[group][0] or mk[0], markers[group][1] or mk[1]]
    docs: list[Document] = []
    members: list[dict[int, list[int]]] = []
    for side, b in enumerate(builders):
        drafts = stitch_tables(b.finish())
        idx: dict[int, list[int]] = {}
        for i, d in enumerate(drafts):
            for g in sorted(d.groups)[:1]:  # a block belongs to the row it starts in
                idx.setdefault(g, []).append(i)
        members.append(idx)
        docs.append(finish_document(drafts, title=title, label=labels[side]))
    out_rows: list[Row] = []
    for g in range(group + 1):
        left, right = members[0].get(g, []), members[1].get(g, [])
        ml, mr = markers.get(g, ["", ""])
        if left or right or ml or mr:
            out_rows.append(Row(tuple(left), tuple(right), ml, mr))
    return docs, out_rows
