"""The same character source interface over pdfplumber (pdfminer.six).

Slower than PDFium (about 16 against 280 pages/s here) and kept as the
reference reader: bench/accuracy.py and bench/speed.py run both sources on
the same files, which is how we know the fast one loses no accuracy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.exceptions import BrokenPdfError, EmptyPdfError, EncryptedPdfError, TooLargeError

from .glyphs import symbol_glyph
from .page import Char, PageContent, Segment, check_page_count, damaged_page, font_name, font_weight, is_rule, slanted
from .rules import join_segments
from .sources import check_header

_SUBSET = re.compile(r"^[A-Z]{6}\+")


class PlumberSource:
    """Characters and rules from pdfplumber; pages are closed as soon as they are read."""

    def __init__(self, path: str | Path, *, max_pages: int | None = None) -> None:
        self.path = str(path)
        check_header(self.path)
        try:
            self._pdf = pdfplumber.open(self.path)
            self.page_count = len(self._pdf.pages)
        except Exception as e:  # pdfplumber wraps pdfminer's many errors in PdfminerException
            cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
            if isinstance(cause, PDFPasswordIncorrect):
                raise EncryptedPdfError(self.path) from e
            raise BrokenPdfError(self.path, f"{type(cause).__name__}: {cause}".rstrip(": ")) from e
        try:
            check_page_count(self.path, self.page_count, max_pages)
        except (EmptyPdfError, TooLargeError):
            self._pdf.close()
            raise
        self.title = str((self._pdf.metadata or {}).get("Title") or "").strip()

    def pages(self) -> Iterator[PageContent]:
        for i, page in enumerate(self._pdf.pages):
            try:
                content = self._read(page, i + 1)
            except Exception:  # pdfminer raises many kinds on a damaged page (bad filters, dictionaries, operands)
                content = damaged_page(i + 1)
            finally:
                page.close()  # pdfplumber keeps every parsed page otherwise
            yield content

    def close(self) -> None:
        self._pdf.close()

    def _read(self, page: pdfplumber.page.Page, number: int) -> PageContent:
        chars = []
        for k, c in enumerate(page.chars):
            if not c.get("upright", True) and not c["text"].strip():
                continue
            a, b, *_ = c.get("matrix") or (1.0, 0.0)
            if slanted(a, b):
                continue
            font = _SUBSET.sub("", font_name(c.get("fontname", "")))
            text = c["text"]
            if len(text) == 1:
                text = symbol_glyph(ord(text), font) or text
            chars.append(
                Char(
                    text,
                    float(c["x0"]),
                    float(c["top"]),
                    float(c["x1"]),
                    float(c["bottom"]),
                    round(float(c["size"]), 2),
                    font_weight(font),
                    k,
                )
            )
        rules = []
        for e in page.edges:
            x0, top, x1, bottom = float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"])
            if is_rule(x1 - x0, bottom - top):
                rules.append(Segment(x0, top, x1, bottom))
        shapes = len(page.curves) + sum(1 for r in page.rects if not is_rule(float(r["width"]), float(r["height"])))
        width, height = float(page.width), float(page.height)
        return PageContent(number, width, height, tuple(chars), join_segments(rules), len(page.images), shapes=shapes)
