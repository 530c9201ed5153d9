"""PDF → structured plan documents.  The only package that touches PDF libraries.

The stages, each in its own module, data flowing one way:

- ``sources`` → ``pdfium`` / ``plumber``: the PDF read into pages (``page``:
  characters with line boxes and rendered sizes, ruling segments);
- ``textlayer``: whether the text layer can be trusted;
- ``rules`` → ``tables`` / ``frames``: ruling segments joined into lines,
  grids and page-wide frames; ``lines``: characters → text lines;
- ``furniture``, ``numbering``, ``blocks``, ``levels``, ``document``: lines →
  blocks → a document, the same for every layout;
- ``detect`` and ``layouts/``: which layout a PDF uses, and what is
  particular to each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.model import ExtractResult

from .config import ExtractConfig
from .detect import detect_layout
from .layouts import read_layout
from .sources import open_source
from .textlayer import check_text_layer

__all__ = ["ExtractConfig", "extract_pdf"]


def extract_pdf(
    path: str | Path, *, config: ExtractConfig | None = None, on_page: Callable[[int, int], None] | None = None
) -> ExtractResult:
    """Read one plan PDF into its documents (see ``plandiff.extract/1``).

    ``on_page(done, total)`` is called after each page is read (progress).
    Raises a :class:`pipeline.exceptions.PlandiffError` subclass naming the
    file and the reason when the PDF cannot be read.
    """
    config = config or ExtractConfig()
    src = open_source(path, max_pages=config.max_pages, source=config.source)
    try:
        pages = []
        for page in src.pages():
            pages.append(page)
            if on_page is not None:
                on_page(len(pages), src.page_count)
        meta_title = src.title
    finally:
        src.close()
    check_text_layer(str(path), pages)
    layout = detect_layout(pages) if config.layout == "auto" else config.layout
    docs, rows = read_layout(layout, pages, config, title=meta_title)
    return ExtractResult(source=Path(path).name, pages=len(pages), layout=layout, documents=tuple(docs), rows=tuple(rows))
