"""分野 | 実施内容等 field tables: the area column names the sections, the last column holds the plan."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Document, Row, normalize_text

from ..blocks import area_heading, join_text
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
    heading = None
    for prev, r in zip([None, *rows], rows, strict=False):
        name = "".join(ln.text for ln in r.cells[0].lines)
        if name and normalize_text(name) != normalize_text(area):
            if heading is not None and prev is not None and prev.page < r.page and prev.cut and prev.runs_on[0]:
                # the rest of an area name the page break cut (3.保険者機能の / 強化を支える…):
                # the row before the break may have been cut, and its name runs on
                heading.lines += r.cells[0].lines
                heading.text = join_text(heading.text, name)
                area = join_text(area, name)
            else:
                area = name
                builder.close()
                heading = area_heading(r.cells[0].lines)
                builder.drafts.append(heading)
        body = r.cells[-1]
        feed(builder, body.lines, body.tables)
    drafts = stitch_tables(builder.finish())
    return [finish_document(drafts, title=printed)], []
