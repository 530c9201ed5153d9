"""PDF → structured plan documents.  The only package that touches PDF libraries.

The stages, each in its own module, data flowing one way:

- ``sources`` → ``pdfium`` / ``plumber``: the PDF read into pages (``page``:
  characters with line boxes and rendered sizes, ruling segments);
- ``pagecheck``: each page judged (``textlayer``: ok, garbled, no text,
  OCR layer, vertical) and read from its text layer (``glyphs``: shared-glyph
  characters folded; ``vertical``: 縦書き turned to read in order), by OCR
  (``ocr``), or not at all;
- ``rules`` → ``tables`` / ``frames``: ruling segments joined into lines,
  grids and page-wide frames; ``lines``: characters → text lines;
- ``furniture``, ``numbering``, ``blocks``, ``levels``, ``document``: lines →
  blocks → a document, the same for every layout;
- ``detect`` and ``layouts/``: which layout a PDF uses, and what is
  particular to each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.exceptions import BrokenPdfError, TooComplexError

from .config import ExtractConfig

if TYPE_CHECKING:
    from pipeline.model import ExtractResult

__all__ = ["ExtractConfig", "check_pdf", "extract_pdf", "render_page_png"]


def __getattr__(name: str) -> Any:
    """``render_page_png`` imported on first use: it loads PDFium."""
    if name == "render_page_png":
        from .render import render_page_png

        return render_page_png
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_pdf(path: str | Path, *, config: ExtractConfig | None = None) -> int:
    """Open a PDF as :func:`extract_pdf` would, without reading its pages; its page count.

    Raises the same errors for a file that is not a PDF, encrypted, damaged,
    empty or over ``max_pages`` — a quick answer before the real work.
    """
    from .sources import open_source

    config = config or ExtractConfig()
    src = open_source(path, max_pages=config.max_pages, source=config.source)
    try:
        return src.page_count
    finally:
        src.close()


def extract_pdf(
    path: str | Path, *, config: ExtractConfig | None = None, on_page: Callable[[int, int], None] | None = None
) -> ExtractResult:
    """Read one plan PDF into its documents (see ``plandiff.extract/1``).

    ``on_page(done, total)`` is called after each page is read (progress).
    Raises a :class:`pipeline.exceptions.PlandiffError` subclass naming the
    file and the reason when the PDF cannot be read.
    """
    # the stages are imported here, not above: a CLI that only parses its options need not load them
    from pipeline.model import ExtractResult
    from pipeline.names import display_name

    from .detect import detect_layout
    from .guard import check_content_limits, check_regular_file
    from .layouts import read_layout
    from .pagecheck import mark_blocks, read_pages_checked, warnings_for
    from .sources import open_source

    config = config or ExtractConfig()
    check_regular_file(path)
    src = open_source(path, max_pages=config.max_pages, source=config.source)
    try:
        check_content_limits(path, config)
        t0 = time.monotonic()
        pages = []
        for page in src.pages():
            pages.append(page)
            if on_page is not None:
                on_page(len(pages), src.page_count)
            if config.time_budget is not None and time.monotonic() - t0 > config.time_budget:
                budget = config.time_budget
                raise TooComplexError(path, f"reading stopped at page {page.number}: over the time budget of {budget:g} s")
        meta_title = src.title
    finally:
        src.close()
    damaged = [p.number for p in pages if p.damaged]
    if len(damaged) == len(pages):
        raise BrokenPdfError(path, f"none of its {len(pages)} page(s) can be read")
    read = read_pages_checked(str(path), pages, config)
    # the layout shows on the pages as printed (a vertical page turned would look like a slide)
    shown = [p if r.text_layer == "vertical" else q for p, q, r in zip(read.printed, read.pages, read.reports, strict=True)]
    layout = detect_layout(shown) if config.layout == "auto" else config.layout
    docs, rows = read_layout(layout, read.pages, config, title=meta_title)
    name = display_name(Path(path).name)  # the name as data: readable, one line, valid UTF-8
    warnings = tuple(f"page {n} is damaged and was left out" for n in damaged) + warnings_for(read.reports)
    return ExtractResult(
        source=name,
        pages=len(pages),
        layout=layout,
        documents=tuple(mark_blocks(docs, read)),
        rows=tuple(rows),
        warnings=warnings,
        text_layer=read.reports,
    )
