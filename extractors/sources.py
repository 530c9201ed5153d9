"""The registry of character sources, and the checks every source makes before it reads.

A source is a class with the :class:`~extractors.page.CharSource` interface,
built as ``cls(path, max_pages=...)``.  Adding a source is one entry here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pipeline.exceptions import BrokenPdfError, NotAPdfError

from .page import CharSource


def check_header(path: str) -> None:
    """Refuse what is not a PDF before a library is asked to parse it."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except FileNotFoundError as e:
        raise NotAPdfError(path, "no such file") from e
    except IsADirectoryError as e:
        raise NotAPdfError(path, "is a directory") from e
    except OSError as e:
        raise NotAPdfError(path, e.strerror or str(e)) from e
    if not head:
        raise NotAPdfError(path, "the file is empty")
    if b"%PDF-" not in head:
        raise NotAPdfError(path, "no %PDF- header")
    if os.path.getsize(path) < 64:
        raise BrokenPdfError(path, "the file is too short")


def page_count_pdfminer(path: str) -> int | None:
    """A second opinion when PDFium refuses a file: pdfminer's page count, or None.

    Only for a file that ends like a whole PDF (``startxref`` in its last
    bytes): on anything else pdfminer's search for the cross-reference table
    takes minutes (31 s for 16 MB of zeros after a header) to say what we
    know, that the file is broken.
    """
    from pdfminer.pdfpage import PDFPage

    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 2048))
            if b"startxref" not in f.read():
                return None
    except OSError:
        return None
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in PDFPage.get_pages(f))
    except Exception:  # any parse failure: the file is simply broken
        return None


def _pdfium() -> Callable[..., CharSource]:
    from .pdfium import PdfiumSource

    return PdfiumSource


def _pdfplumber() -> Callable[..., CharSource]:
    from .plumber import PlumberSource

    return PlumberSource


# name → loader of the source class (imported only when chosen)
SOURCES: dict[str, Callable[[], Callable[..., CharSource]]] = {"pdfium": _pdfium, "pdfplumber": _pdfplumber}


def open_source(path: str | Path, *, max_pages: int | None = None, source: str = "pdfium") -> CharSource:
    """Open ``path`` with a character source: ``"pdfium"`` (default, fast) or ``"pdfplumber"``."""
    try:
        loader = SOURCES[source]
    except KeyError:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}") from None
    return loader()(path, max_pages=max_pages)
