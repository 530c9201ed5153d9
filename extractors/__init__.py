"""PDF → structured plan documents.  The only package that touches PDF libraries."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import ExtractResult

from .chars import open_source
from .config import ExtractConfig
from .framed import extract_fieldtable, extract_sidebyside
from .layout import detect_layout
from .plan import extract_plan
from .slides import extract_slides
from .textlayer import check_text_layer

__all__ = ["ExtractConfig", "extract_pdf"]


def extract_pdf(path: str | Path, *, config: ExtractConfig | None = None) -> ExtractResult:
    """Read one plan PDF into its documents (see ``plandiff.extract/1``).

    Raises a :class:`pipeline.exceptions.PlandiffError` subclass naming the
    file and the reason when the PDF cannot be read.
    """
    config = config or ExtractConfig()
    src = open_source(path, max_pages=config.max_pages, source=config.source)
    try:
        pages = list(src.pages())
        meta_title = src.title
    finally:
        src.close()
    check_text_layer(str(path), pages)
    layout = detect_layout(pages) if config.layout == "auto" else config.layout
    name = Path(path).name
    if layout == "sidebyside":
        docs, rows = extract_sidebyside(pages, config)
        return ExtractResult(source=name, pages=len(pages), layout=layout, documents=tuple(docs), rows=tuple(rows))
    if layout == "fieldtable":
        doc = extract_fieldtable(pages, config)
        return ExtractResult(source=name, pages=len(pages), layout=layout, documents=(doc,))
    doc = extract_slides(pages, config, title=meta_title) if layout == "slides" else extract_plan(pages, config)
    return ExtractResult(source=name, pages=len(pages), layout=layout, documents=(doc,))
