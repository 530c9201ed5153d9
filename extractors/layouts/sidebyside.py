"""Side-by-side 対照表: two documents (left, right) and the rows that pair their blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.model import Document, Row, normalize_text

from ..blocks import Draft
from ..config import ExtractConfig
from ..document import builder_for, feed, finish_document, stitch_tables
from ..frames import framed_rows
from ..page import PageContent

_MARKER = re.compile(r"^[（(【\[]?\s*(新設|削除|新規|追加|廃止)\s*[）)】\]]?$")


def extract_sidebyside(pages: Sequence[PageContent], config: ExtractConfig, *, title: str = "") -> tuple[list[Document], list[Row]]:
    """Two documents (left, right) and the rows that put their blocks side by side."""
    rows, labels, printed = framed_rows(pages)
    labels = [*labels, "", ""][:2]
    builders = [builder_for([ln for r in rows for ln in r.cells[side].lines], config) for side in (0, 1)]
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
        docs.append(finish_document(drafts, title=printed, label=labels[side]))
    out_rows: list[Row] = []
    for g in range(group + 1):
        left, right = members[0].get(g, []), members[1].get(g, [])
        ml, mr = markers.get(g, ["", ""])
        if left or right or ml or mr:
            out_rows.append(Row(tuple(left), tuple(right), ml, mr))
    return docs, out_rows
