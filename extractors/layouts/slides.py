"""Slide decks exported from presentation software: one section per slide."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Document, Row

from ..blocks import BlockBuilder, area_heading, body_size, right_edge
from ..config import ExtractConfig
from ..document import feed, finish_document, read_pages
from ..page import PageContent


def extract_slides(pages: Sequence[PageContent], config: ExtractConfig, *, title: str = "") -> tuple[list[Document], list[Row]]:
    """Each slide's title becomes a level-1 heading; its boxes, bullets and tables follow.

    Tables are never stitched across slides: two slides with tables of the
    same shape are still two tables.
    """
    items = read_pages(pages, config)
    lines = [ln for it in items for ln in it.lines]
    size = body_size(lines)
    builder = BlockBuilder(size=size, edge=right_edge(lines), heading_size_delta=config.heading_size_delta)
    deck_title = title
    for it in items:
        builder.close()
        rest = list(it.lines)
        top_table = min((t.bbox.top for t in it.tables), default=1e9)
        if rest and rest[0].size >= size + 2 and rest[0].top < top_table:
            head = [rest.pop(0)]
            while rest and abs(rest[0].size - head[0].size) < 0.5 and rest[0].top - head[-1].bottom < head[0].size:
                head.append(rest.pop(0))
            builder.drafts.append(area_heading(head))
            deck_title = deck_title or "".join(ln.text for ln in head)
        feed(builder, rest, it.tables)
    return [finish_document(builder.finish(), title=deck_title)], []
