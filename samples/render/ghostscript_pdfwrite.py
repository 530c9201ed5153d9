"""Ghostscript's ``pdfwrite`` re-distilling the Typst print, as Distiller-style "print to PDF" drivers do.

    apt-get install ghostscript fonts-ipaexfont fonts-noto-cjk   # and pip install typst

Ghostscript interprets the page and writes a new PDF: the content streams are
rewritten (the text matrix, the CTM and the path operators are its own) and
the CID subsets (TrueType and CFF) re-encoded and re-subset.  Re-distilled
prints of other producers can lose their text layer: Chromium's come out
with some glyphs mapped to Latin-1 letters (「令和Ā年度」: the text-layer
verdict calls such a page garbled, ``tests/data/textlayer/latin-map.pdf``),
reportlab's with none readable.
Reruns differ only in the dates and the document ID Ghostscript stamps.
"""

from __future__ import annotations

from pathlib import Path

from .redistill import redistill
from .truth import Job

BASE = "typst"


def command(src: Path, out: Path) -> list[str]:
    return ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/prepress", f"-sOutputFile={out}", str(src)]


def render(job: Job, out: Path) -> None:
    redistill(BASE, job, out, command)
