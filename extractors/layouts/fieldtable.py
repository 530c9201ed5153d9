"""分野 | 実施内容等 field tables: the area column names the sections, the last column holds the plan."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Document, Row, normalize_text

from ..blocks import area_heading
from ..config import ExtractConfig
from ..document import builder_for, feed, finish_document, stitch_tables
from ..frames import framed_rows
from ..page import PageContent


def extract_fieldtable(pages: Sequence[PageContent], config: ExtractConfig, *, title: str = "") -> tuple[list[Document], list[Row]]:
    """分野 | 実施内容等: the area name becomes a level-1 heading where the area starts."""
    rows, _, printed = framed_rows(pages)
    col = len(rows[0].cells) - 1 if rows else 1
    builder = builder_for([ln for r in rows for ln in r.cells[col].lines], config)
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
    return [finish_document(drafts, title=printed)], []
