"""Each page judged, then read from where it can be: its text layer, its image, or not at all.

A sound page is read from its text layer as printed (shared-glyph
characters folded).  A page with no text or a garbled one is read by OCR
(``ocr="auto"``) or refused; ``ocr="force"`` reads every page by OCR.  A
vertical page is turned so it reads in order, or refused when it mixes
directions.  One warning names each run of pages that were not read as
printed; ``strict`` makes the first such page the error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import TYPE_CHECKING

from pipeline.exceptions import (
    GarbledTextError,
    NoTextLayerError,
    OcrTextLayerError,
    OcrUnavailableError,
    PlandiffError,
    VerticalTextError,
)
from pipeline.model import Block, Document, PageReport

from .config import ExtractConfig
from .glyphs import fold_chars
from .page import PageContent
from .textlayer import drop_unreadable, join_ocr_words, judge_page
from .vertical import to_horizontal, turn_back

if TYPE_CHECKING:
    from .ocr import OcrPage  # OCR (and numpy) are loaded only for a page that needs them

_ERRORS: dict[str, type[PlandiffError]] = {
    "garbled": GarbledTextError,
    "no_text": NoTextLayerError,
    "vertical": VerticalTextError,
    "ocr_layer": OcrTextLayerError,
}


@dataclass(frozen=True, slots=True)
class ReadPages:
    """The pages as the layouts read them, and what became of each printed page."""

    pages: tuple[PageContent, ...]  # refused pages are empty; vertical ones turned
    printed: tuple[PageContent, ...]  # as printed, for telling the layout
    reports: tuple[PageReport, ...]
    ocr: dict[int, OcrPage]


def read_pages_checked(path: str, pages: Sequence[PageContent], config: ExtractConfig) -> ReadPages:
    """Judge every page and read it from its text layer, by OCR, turned, or not at all."""
    printed = [drop_unreadable(replace(p, chars=fold_chars(p.chars))) for p in pages]
    verdicts = [judge_page(p) for p in pages]
    if config.strict:
        for v in verdicts:
            if v.text_layer != "ok":
                raise _ERRORS[v.text_layer](path, f"page {v.page}: {v.reason or 'vertical writing'}")
    wanted = [
        v.page
        for v, p in zip(verdicts, pages, strict=True)
        # a page the library could not read is not rendered either
        if not p.damaged and (config.ocr == "force" or (config.ocr == "auto" and v.text_layer in _READ_BY_OCR))
    ]
    ocr = _read_by_ocr(path, wanted, config, layers={v.page for v in verdicts if v.text_layer == "ocr_layer"})
    out: list[PageContent] = []
    reports: list[PageReport] = []
    for p, v in zip(printed, verdicts, strict=True):
        if p.number in ocr:
            o = ocr[p.number]
            out.append(o.content)
            reports.append(replace(v, source="ocr", confidence=o.confidence))
        elif v.text_layer == "ocr_layer":
            out.append(join_ocr_words(p))
            reports.append(v)
        elif v.text_layer in ("garbled", "no_text") or v.reason:
            out.append(replace(p, chars=(), rules=()))
            reports.append(replace(v, source="none"))
        elif v.text_layer == "vertical":
            out.append(to_horizontal(p))
            reports.append(v)
        else:
            out.append(p)
            reports.append(v)
    if not any(c.text.strip() for p in out for c in p.chars):
        raise _nothing_read(path, verdicts, bool(ocr))
    return ReadPages(tuple(out), tuple(printed), tuple(reports), ocr)


# another program's OCR layer is read again: its word boxes and sizes lose the layout (on the
# sample plan scanned and read by Tesseract's PDF output, block F1 0.69 and heading levels 0.09
# as it is, 0.95 and 0.87 read again from the scan)
_READ_BY_OCR = ("garbled", "no_text", "ocr_layer")


def _read_by_ocr(path: str, wanted: list[int], config: ExtractConfig, *, layers: set[int]) -> dict[int, OcrPage]:
    """Pages ``wanted`` read by OCR; without Tesseract, OCR layers (``layers``) are read as they are instead."""
    if not wanted:
        return {}
    from .ocr import OcrReader

    try:
        reader = OcrReader(path, dpi=config.ocr_dpi, lang=config.ocr_lang)
    except OcrUnavailableError:
        if config.ocr == "force" or not set(wanted) <= layers:
            raise
        return {}
    return reader.read(wanted)


def _nothing_read(path: str, verdicts: Sequence[PageReport], tried_ocr: bool) -> PlandiffError:
    """The error for a PDF of which no page gave any text."""
    n = len(verdicts)
    kinds = {v.text_layer for v in verdicts}
    if "garbled" in kinds:
        bad = next(v for v in verdicts if v.text_layer == "garbled")
        return GarbledTextError(path, f"page {bad.page}: {bad.reason}" + ("; OCR found no text" if tried_ocr else ""))
    if "vertical" in kinds:
        bad = next(v for v in verdicts if v.text_layer == "vertical")
        return VerticalTextError(path, f"page {bad.page}: {bad.reason}")
    images = sum("image" in v.reason for v in verdicts)
    detail = f"{n} page(s), {images} with images only, no characters" if images else f"{n} page(s), no characters"
    return NoTextLayerError(path, detail + ("; OCR found no text in them" if tried_ocr else ""))


def _ranges(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 → ``1–3, 5``."""
    parts = []
    for _, grp in groupby(enumerate(numbers), lambda t: t[1] - t[0]):
        run = [n for _, n in grp]
        parts.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(parts)


def _what(r: PageReport) -> str:
    verdict = {
        "ok": "sound text layer",
        "garbled": "garbled text layer",
        "no_text": "no text layer",
        "vertical": "vertical writing",
        "ocr_layer": "OCR text layer",
    }
    head = verdict[r.text_layer] + (f" ({r.reason})" if r.reason else "")
    if r.source == "ocr":
        return f"{head}; read by OCR"
    if r.source == "none":
        return f"{head}; left out (--ocr auto reads such pages)" if r.text_layer != "vertical" else f"{head}; left out"
    if r.text_layer == "ocr_layer":
        return f"{head}; read as it is (with Tesseract installed, --ocr auto reads the scan again)"
    return f"{head}; read in vertical order" if r.text_layer == "vertical" else head


def warnings_for(reports: Sequence[PageReport]) -> tuple[str, ...]:
    """One line for each run of consecutive pages that were not read as printed for the same reason."""
    out = []
    for what, grp in groupby((r for r in reports if not r.sound), key=_what):
        pages = [r.page for r in grp]
        out.append(f"page{'s' if len(pages) > 1 else ''} {_ranges(pages)}: {what}")
    return tuple(out)


def mark_blocks(documents: Sequence[Document], read: ReadPages) -> list[Document]:
    """Blocks of OCR'd pages say so (with their confidence); boxes of turned pages are turned back."""
    turned = {r.page: p.width for r, p in zip(read.reports, read.printed, strict=True) if r.text_layer == "vertical" and r.source == "text"}
    if not read.ocr and not turned:
        return list(documents)
    return [replace(doc, blocks=tuple(_mark(b, read.ocr, turned) for b in doc.blocks)) for doc in documents]


def _mark(block: Block, ocr: dict[int, OcrPage], turned: dict[int, float]) -> Block:
    if block.page in turned and block.bbox is not None:
        return replace(block, bbox=turn_back(block.bbox, turned[block.page]))
    page = ocr.get(block.page)
    if page is None:
        return block
    box = block.bbox
    inside = [
        w
        for w in page.words
        if box is None or (box.x0 - 1 <= (w.x0 + w.x1) / 2 <= box.x1 + 1 and box.top - 1 <= (w.top + w.bottom) / 2 <= box.bottom + 1)
    ]
    n = sum(len(w.text) for w in inside)
    conf = round(sum(w.confidence * len(w.text) for w in inside) / n, 3) if n else page.confidence
    return replace(block, source="ocr", confidence=conf)
