"""Page images: one page of a PDF rendered by PDFium, as PNG."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

from pipeline.exceptions import BrokenPdfError


def render_page_png(path: str | Path, page: int, *, scale: float = 1.5) -> bytes:
    """Page ``page`` (1-based) of the PDF as PNG bytes, ``scale`` × 72 dpi.

    >>> render_page_png("samples/sample-r7.plan.pdf", 1)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise BrokenPdfError(path, str(e).splitlines()[0]) from e
    try:
        if not 1 <= page <= len(pdf):
            raise BrokenPdfError(path, f"no page {page} (the PDF has {len(pdf)})")
        p = pdf[page - 1]
        try:
            image = p.render(scale=scale).to_pil()
        finally:
            p.close()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
