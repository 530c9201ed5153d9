"""OCR: a page's image read by Tesseract into the same characters as a text layer.

The page is rendered by PDFium (at ``ocr_dpi``, 300 by default), deskewed
(a scan is rarely straight, and a skewed page shifts every indent), and
read by Tesseract through pytesseract.  Each word becomes characters with
the box of its line (so the line and block logic reads them like printed
ones), a size from the advance of its characters, and a weight from the
stroke width of its ink; the ruling lines of tables are found in the image.

Why pytesseract: it calls Debian's ``tesseract`` binary and needs nothing
built, so ``pip install 'plandiff[ocr]'`` works wherever the two Debian
packages are; Tesseract itself dominates the time (seconds a page), so
tesserocr's in-process calls would save little.
"""

from __future__ import annotations

import itertools
import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from pipeline.exceptions import OcrUnavailableError

from .page import Char, PageContent, Segment

PACKAGES = "apt-get install tesseract-ocr tesseract-ocr-jpn"


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word Tesseract read: its box in points and its confidence (0-1)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


@dataclass(frozen=True, slots=True)
class OcrPage:
    content: PageContent
    words: tuple[OcrWord, ...]

    @property
    def confidence(self) -> float | None:
        """The page's mean word confidence, weighted by characters."""
        n = sum(len(w.text) for w in self.words)
        return round(sum(w.confidence * len(w.text) for w in self.words) / n, 3) if n else None


def _tesseract(path: str, lang: str) -> Any:
    """pytesseract, once Tesseract and every language model asked for are known to be there."""
    try:
        import pytesseract
    except ImportError as e:
        raise OcrUnavailableError(path, "pytesseract is not installed: pip install 'plandiff[ocr]'") from e
    try:
        have = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError) as e:
        raise OcrUnavailableError(path, f"Tesseract is not installed: {PACKAGES}") from e
    missing = [x for x in lang.split("+") if x not in have]
    if missing:
        raise OcrUnavailableError(path, f"Tesseract has no {'+'.join(missing)} model: {PACKAGES}")
    return pytesseract


class OcrReader:
    """Reads chosen pages of one PDF from their images."""

    def __init__(self, path: str | Path, *, dpi: int = 300, lang: str = "jpn") -> None:
        self.path = str(path)
        self.dpi = dpi
        self.lang = lang
        self._tess = _tesseract(self.path, lang)
        # one thread per Tesseract: pages are read one after another, files in parallel by the batch
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def read(self, numbers: Sequence[int]) -> dict[int, OcrPage]:
        """The pages ``numbers`` (1-based) read by OCR."""
        pdf = pdfium.PdfDocument(self.path)
        try:
            out: dict[int, OcrPage] = {}
            for n in numbers:
                page = pdf[n - 1]
                try:
                    width, height = page.get_size()
                    gray = np.asarray(page.render(scale=self.dpi / 72, grayscale=True).to_pil().convert("L"))
                finally:
                    page.close()
                out[n] = self._read_image(gray, n, width, height)
            return out
        finally:
            pdf.close()

    def _read_image(self, gray: np.ndarray, number: int, width: float, height: float) -> OcrPage:
        from PIL import Image, ImageFilter

        # scanner noise and specks out, then black on white: Tesseract reads a clean image far better
        clean = np.asarray(Image.fromarray(gray).filter(ImageFilter.MedianFilter(3))) < 150
        angle = skew_angle(clean)
        image = Image.fromarray(np.where(clean, 0, 255).astype(np.uint8))
        if angle:
            image = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        ink = np.asarray(image) < 128
        data = self._tess.image_to_data(image, lang=self.lang, config="--psm 6", output_type=self._tess.Output.DICT)
        scale = 72 / self.dpi
        chars, words = _chars(data, ink, scale)
        rules = tuple(find_rules(ink, scale))
        return OcrPage(PageContent(number, width, height, tuple(chars), rules), tuple(words))


def skew_angle(ink: np.ndarray, *, limit: float = 2.0, step: float = 0.1) -> float:
    """The rotation (degrees, anticlockwise) that makes the text lines horizontal.

    The angle whose row profile of ink is sharpest: at the right angle every
    text line falls into few rows.  Searched on a small copy of the page.
    """
    from PIL import Image

    small = Image.fromarray(np.where(ink, 255, 0).astype(np.uint8))
    if min(ink.shape) > 800:
        small = small.reduce(3)
    best, best_score = 0.0, -1.0
    for k in range(round(-limit / step), round(limit / step) + 1):
        a = k * step
        rows = np.asarray(small.rotate(a, resample=Image.Resampling.BILINEAR)).sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = a, score
    return best


def _kept(text: str, conf: float) -> bool:
    """A word worth keeping: not empty, and not a speck read as a letter with little confidence."""
    return bool(text) and conf >= 0 and (conf >= 30 or not all(ch.isascii() for ch in text))


def _em(text: str) -> float:
    """Width of ``text`` in ems: full-width characters one, half-width ones about a half."""
    return sum(0.55 if ch.isascii() or "\uff61" <= ch <= "\uff9f" else 1.0 for ch in text) or 1.0


def _stroke(ink: np.ndarray) -> float:
    """Mean stroke width (pixels) of the ink in a box: twice its area over its edge length."""
    if ink.size == 0:
        return 0.0
    edges = np.count_nonzero(ink[:, 1:] != ink[:, :-1]) + np.count_nonzero(ink[1:, :] != ink[:-1, :])
    return 2 * float(np.count_nonzero(ink)) / edges if edges else 0.0


def _chars(data: dict[str, list[Any]], ink: np.ndarray, scale: float) -> tuple[list[Char], list[OcrWord]]:
    """Tesseract's words → characters, line by line."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    boxes: dict[tuple[int, int, int], tuple[int, int, int, int]] = {}
    for i, level in enumerate(data["level"]):
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        box = (data["left"][i], data["top"][i], data["left"][i] + data["width"][i], data["top"][i] + data["height"][i])
        if level == 4:
            boxes[key] = box
        elif level == 5 and _kept(str(data["text"][i]).strip(), float(data["conf"][i])):
            lines.setdefault(key, []).append(i)
    strokes = {k: _stroke(ink[boxes[k][1] : boxes[k][3], boxes[k][0] : boxes[k][2]]) for k in lines if k in boxes}
    body_stroke = statistics.median(strokes.values()) if strokes else 0.0
    sizes = {k: _size(data, idx, boxes[k], scale) for k, idx in lines.items() if k in boxes}
    body_size = statistics.median(sizes.values()) if sizes else 0.0
    chars: list[Char] = []
    words: list[OcrWord] = []
    for key, idx in lines.items():
        if key not in boxes:
            continue
        _, ltop, _, lbottom = boxes[key]
        size = body_size if abs(sizes[key] - body_size) <= 0.75 else sizes[key]
        # bold faces (and stroked Mincho) leave strokes clearly wider than the body's
        bold = body_stroke > 0 and strokes[key] > 1.12 * body_stroke
        for n, i in enumerate(idx):
            text = str(data["text"][i]).strip()
            left, w = data["left"][i], data["width"][i]
            if n + 1 < len(idx) and data["left"][idx[n + 1]] - (left + w) < 0.4 * (lbottom - ltop):
                w = data["left"][idx[n + 1]] - left  # Tesseract splits Japanese into words the print does not space
            if n == 0 and _filled_square(ink[ltop:lbottom, left : left + (lbottom - ltop)]):
                text = "■" + text[1:]  # Tesseract reads the KPI square as some kanji
            words.append(OcrWord(text, left * scale, ltop * scale, (left + w) * scale, lbottom * scale, float(data["conf"][i]) / 100))
            total, x = _em(text), float(left)
            for ch in text:
                adv = w * _em(ch) / total
                chars.append(Char(ch, x * scale, ltop * scale, (x + adv) * scale, lbottom * scale, size, bold, len(chars)))
                x += adv
    return chars, words


def _size(data: dict[str, list[Any]], idx: list[int], box: tuple[int, int, int, int], scale: float) -> float:
    """A line's font size: the advance of its characters from one word's start to the next's.

    Full-width characters advance exactly one em; a word's own width falls
    short of that by its last glyph's side bearing, the distance between two
    word starts does not.  A line of one word falls back on its height.
    """
    pitches = []
    for a, b in itertools.pairwise(idx):
        text = str(data["text"][a]).strip()
        gap = data["left"][b] - data["left"][a]
        if text and gap > 0 and not any(ch.isascii() for ch in text):
            pitches.append(gap / len(text))
    em = statistics.median(pitches) if pitches else box[3] - box[1]
    return round(em * scale * 2) / 2


def _filled_square(cell: np.ndarray) -> bool:
    """Whether the ink in a character cell is one solid square (■)."""
    rows, cols = np.flatnonzero(cell.any(axis=1)), np.flatnonzero(cell.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return False
    h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if h < 0.35 * cell.shape[0] or not 0.75 <= w / h <= 1.33:
        return False
    return float(cell[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].mean()) > 0.85


def find_rules(ink: np.ndarray, scale: float, *, min_length: float = 30.0) -> list[Segment]:
    """Ruling lines in the image: runs of ink at least ``min_length`` points long, one or two points thick."""
    run = max(int(min_length / scale), 2)
    out: list[Segment] = []
    for axis in (1, 0):
        img = ink if axis == 1 else ink.T
        # a pixel is on a rule when ``run`` pixels of ink follow it along the row
        c = np.cumsum(np.pad(img, ((0, 0), (1, 0))).astype(np.int32), axis=1)
        starts = (c[:, run:] - c[:, :-run]) == run
        # every pixel of a run that starts somewhere in the ``run`` pixels before it
        s = np.cumsum(np.pad(starts, ((0, 0), (1, 0))).astype(np.int32), axis=1)
        x = np.arange(img.shape[1])
        on = (s[:, np.minimum(x + 1, starts.shape[1])] - s[:, np.maximum(x - run + 1, 0)]) > 0
        rows = np.flatnonzero(on.any(axis=1))
        for r in rows:
            cols = np.flatnonzero(np.diff(np.concatenate(([0], on[r].astype(np.int8), [0]))))
            for a, b in zip(cols[::2], cols[1::2], strict=True):
                out.append(_segment(axis, int(r), int(a), int(b), scale))
    return _merge(out)


def _segment(axis: int, r: int, a: int, b: int, scale: float) -> Segment:
    if axis == 1:
        return Segment(a * scale, r * scale, b * scale, (r + 1) * scale)
    return Segment(r * scale, a * scale, (r + 1) * scale, b * scale)


def _merge(segments: list[Segment]) -> list[Segment]:
    """Rows of pixels of one thick rule → one segment."""
    out: list[Segment] = []
    for s in sorted(segments, key=lambda s: (s.horizontal, s.x0 if not s.horizontal else s.top, s.top, s.x0)):
        p = out[-1] if out else None
        if p is not None and p.horizontal == s.horizontal:
            if s.horizontal and abs(s.top - p.bottom) < 1.5 and abs(s.x0 - p.x0) < 3 and abs(s.x1 - p.x1) < 3:
                out[-1] = Segment(min(p.x0, s.x0), p.top, max(p.x1, s.x1), s.bottom)
                continue
            if not s.horizontal and abs(s.x0 - p.x1) < 1.5 and abs(s.top - p.top) < 3 and abs(s.bottom - p.bottom) < 3:
                out[-1] = Segment(p.x0, min(p.top, s.top), s.x1, max(p.bottom, s.bottom))
                continue
        out.append(s)
    return out
