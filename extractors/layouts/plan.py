"""Single-column plans: one document, the title taken from the top of the first page."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Document, Row

from ..blocks import body_size
from ..config import ExtractConfig
from ..document import build_drafts, finish_document, read_pages, take_title
from ..page import PageContent


def extract_plan(pages: Sequence[PageContent], config: ExtractConfig, *, title: str = "") -> tuple[list[Document], list[Row]]:
    """A single-column plan (``title`` is the PDF's metadata title, unused: the printed one wins)."""
    items = read_pages(pages, config)
    size = body_size([ln for it in items for ln in it.lines])
    printed, items = take_title(items, size)
    return [finish_document(build_drafts(items, config, size=size), title=printed)], []
