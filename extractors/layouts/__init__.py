"""The registry of layouts: one module each, holding only what is particular to it.

Every layout reads the same :class:`~extractors.page.PageContent` pages and
returns its documents and, for side-by-side tables, the rows pairing them.
Adding a layout is one module and one entry here (and its rule in
``extractors.detect``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.model import Document, Row

from ..config import ExtractConfig
from ..page import PageContent
from .fieldtable import extract_fieldtable
from .plan import extract_plan
from .sidebyside import extract_sidebyside
from .slides import extract_slides

LayoutReader = Callable[..., tuple[list[Document], list[Row]]]

LAYOUTS: dict[str, LayoutReader] = {
    "plan": extract_plan,
    "fieldtable": extract_fieldtable,
    "sidebyside": extract_sidebyside,
    "slides": extract_slides,
}


def read_layout(layout: str, pages: Sequence[PageContent], config: ExtractConfig, *, title: str = "") -> tuple[list[Document], list[Row]]:
    """The documents of ``pages`` read as ``layout`` (``title``: the PDF's metadata title)."""
    return LAYOUTS[layout](pages, config, title=title)
