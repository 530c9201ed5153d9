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

import math
import os
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pypdfium2 as pdfium

from pipeline.exceptions import OcrUnavailableError

from .ink import ink as ink_of
from .ink import stroke_width
from .page import BOLD, OPENING_MARKS, REGULAR, Char, PageContent, Segment

K = TypeVar("K")
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


# the longest side of a page image given to Tesseract: A3 at 300 dpi
MAX_SIDE = 4961


def render_scale(width: float, height: float, dpi: int) -> float:
    """Pixels to the point to render a page for OCR: ``dpi``, but a page larger than A3 no larger than A3 at 300 dpi.

    A scan whose image lost its resolution comes as a page of 2480 × 3508
    points (one point a pixel); at 300 dpi it would be 10,000 pixels wide
    and print its text 100 pixels tall, which Tesseract reads as noise (and
    a huge MediaBox would take gigabytes).
    """
    return min(dpi / 72, MAX_SIDE / max(width, height, 1.0))


class OcrReader:
    """Reads chosen pages of one PDF from their images."""

    def __init__(self, path: str | Path, *, dpi: int = 300, lang: str = "jpn", min_confidence: float = 0.3) -> None:
        self.path = str(path)
        self.dpi = dpi
        self.lang = lang
        self.min_confidence = min_confidence  # a page read with less mean confidence holds no text
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
                    scale = render_scale(width, height, self.dpi)
                    gray = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
                finally:
                    page.close()
                out[n] = self._read_image(gray, n, width, height, 1 / scale)
            return out
        finally:
            pdf.close()

    def _read_image(self, gray: np.ndarray, number: int, width: float, height: float, scale: float) -> OcrPage:
        """OCR of page ``number`` rendered as ``gray``, ``scale`` points to the pixel."""
        from PIL import Image, ImageFilter

        # scanner noise and specks out, then black on white: Tesseract reads a clean image far better
        clean = np.asarray(Image.fromarray(gray).filter(ImageFilter.MedianFilter(3))) < 150
        angle = skew_angle(clean)
        image = Image.fromarray(np.where(clean, 0, 255).astype(np.uint8))
        if angle:
            image = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        ink = np.asarray(image) < 128
        rules, on_rules = find_rules(ink, scale)
        # rules out of the image before Tesseract: text touching a cell border is read far worse
        ink &= ~_grow(on_rules, 2)
        image = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
        data = self._tess.image_to_data(image, lang=self.lang, config="--psm 6", output_type=self._tess.Output.DICT)
        chars, words = _chars(data, ink, scale)
        page = OcrPage(PageContent(number, width, height, tuple(chars), tuple(rules)), tuple(words))
        if (page.confidence or 0.0) < self.min_confidence:
            # a picture, a pattern, a blank scan: what Tesseract made of it is not text
            return OcrPage(PageContent(number, width, height, (), ()), ())
        return page


def skew_angle(ink: np.ndarray, *, limit: float = 2.0, step: float = 0.1) -> float:
    """The rotation (degrees, anticlockwise) that makes the text lines horizontal.

    The angle whose row profile of ink is sharpest: at the right angle every
    text line falls into few rows.  Searched on a small copy of the page,
    coarse then fine.
    """
    from PIL import Image

    small = Image.fromarray(np.where(ink, 255, 0).astype(np.uint8))
    if min(ink.shape) > 800:
        small = small.reduce(3)

    def sharpness(a: float) -> float:
        rows = np.asarray(small.rotate(a, resample=Image.Resampling.BILINEAR)).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    coarse: float = max((k * 5 * step for k in range(round(-limit / step / 5), round(limit / step / 5) + 1)), key=sharpness)
    fine: float = max((coarse + k * step for k in range(-4, 5)), key=sharpness)
    return round(fine, 2)


def _kept(text: str, conf: float) -> bool:
    """A word worth keeping: not empty, and not a speck read as ``|`` or ``.`` with little confidence."""
    return bool(text) and conf >= 0 and (conf >= 30 or len(text) > 1 or text.isalnum() or not text.isascii())


def _without_specks(data: dict[str, list[Any]], idx: list[int], box: tuple[int, int, int, int] | None) -> list[int]:
    """The line's words less lone dots and bars an em or more away from any other word (specks of the scan)."""
    if box is None:
        return idx
    em = box[3] - box[1]
    keep = []
    for n, i in enumerate(idx):
        text = str(data["text"][i]).strip()
        if len(text) == 1 and text.isascii() and not text.isalnum():
            near = [j for j in (idx[n - 1] if n else None, idx[n + 1] if n + 1 < len(idx) else None) if j is not None]
            gaps = [abs(data["left"][j] - data["left"][i]) - (data["width"][j] if j < i else data["width"][i]) for j in near]
            if not gaps or min(gaps) > em:
                continue
        keep.append(i)
    return keep


def _latin_pair(a: str, b: str) -> bool:
    """Two Latin words in a row: the gap between them is a space."""
    return bool(a and b) and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha()


def _em(text: str) -> float:
    """Width of ``text`` in ems: full-width characters one, half-width ones about a half."""
    return sum(0.55 if ch.isascii() or "\uff61" <= ch <= "\uff9f" else 1.0 for ch in text) or 1.0


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
    lines = {k: _without_specks(data, idx, boxes.get(k)) for k, idx in lines.items()}
    # a line of specks read as punctuation only
    lines = {k: idx for k, idx in lines.items() if any(ch.isalnum() for i in idx for ch in str(data["text"][i]))}
    # each line's stroke width in ems (its box's height): one face has one at any size
    strokes = {
        k: stroke_width(*ink_of(ink[boxes[k][1] : boxes[k][3], boxes[k][0] : boxes[k][2]])) / max(boxes[k][3] - boxes[k][1], 1)
        for k in lines
        if k in boxes
    }
    heavy = heavier_lines(strokes)
    sizes = {k: _size(data, idx, scale) for k, idx in lines.items() if k in boxes}
    measured = [v for v in sizes.values() if v is not None]
    body_size = statistics.median(measured) if measured else 10.5
    heights = {k: (boxes[k][3] - boxes[k][1]) * scale for k in sizes}
    body_height = statistics.median(heights.values()) if heights else 0.0
    chars: list[Char] = []
    words: list[OcrWord] = []
    for key, idx in lines.items():
        if key not in boxes:
            continue
        _, ltop, _, lbottom = boxes[key]
        size = sizes[key]
        if size is None:  # too short to measure: the body's size unless its ink is clearly taller
            size = round(heights[key] / body_height * body_size * 2) / 2 if heights[key] > 1.2 * body_height else body_size
        elif abs(size - body_size) <= 1.25:
            size = body_size
        # bold and ゴシック faces (and stroked Mincho) leave strokes clearly wider than the body's
        weight = BOLD if key in heavy else REGULAR
        em = (lbottom - ltop) * 0.95
        texts = [str(data["text"][i]).strip() for i in idx]
        left = data["left"][idx[0]]
        if _filled_square(ink[ltop:lbottom, left : left + (lbottom - ltop)]):
            # the KPI square: Tesseract reads it as some kanji, or leaves it out of the word it starts
            texts[0] = "■" + (texts[0][1:] if not texts[0][0].isascii() else texts[0])
        texts = _mended(texts)
        for n, (i, text) in enumerate(zip(idx, texts, strict=True)):
            left, w = data["left"][i], data["width"][i]
            if text[0] in _OPENERS:
                # Tesseract's box starts at the ink, and a Japanese print's （ and 【 are full-width, their ink in
                # the right half of the em: the box of （１） would start half an em right of the ① below it
                left, w = left - round(em / 2), w + round(em / 2)
            if n + 1 < len(idx) and data["left"][idx[n + 1]] - (left + w) < em and not _latin_pair(text, texts[n + 1]):
                # Tesseract splits into words what the print does not space: full-width digits and brackets sit in em cells
                w = data["left"][idx[n + 1]] - left
            words.append(OcrWord(text, left * scale, ltop * scale, (left + w) * scale, lbottom * scale, float(data["conf"][i]) / 100))
            total, x = _em(text), float(left)
            for ch in text:
                adv = w * _em(ch) / total
                chars.append(Char(ch, x * scale, ltop * scale, (x + adv) * scale, lbottom * scale, size, weight, len(chars)))
                x += adv
    return chars, words


_OPENERS = OPENING_MARKS | frozenset("([")  # (Tesseract reads （ as ASCII)
# capitals with an l or | among them (KPl, lCT): Tesseract's reading of an I
_CAPITALS = re.compile(r"(?<![A-Za-z])[A-Zl|]*[A-Z][A-Zl|]*(?![A-Za-z])")


def _mended(texts: list[str]) -> list[str]:
    """A line's words less what Tesseract misreads in a plan's marks, one character for one.

    An I among capitals read as l or | (■ KPl：); a 【 closed by ] or an
    opening [ closed by 】 (【重要度：高]), which would not read as a tag.
    """
    line = _CAPITALS.sub(lambda m: m.group(0).replace("l", "I").replace("|", "I") if len(m.group(0)) > 1 else m.group(0), "".join(texts))
    line = re.sub(r"【([^【】\[\]]*)\]", r"【\1】", line)
    line = re.sub(r"\[([^【】\[\]]*)】", r"【\1】", line)
    out, at = [], 0
    for text in texts:
        out.append(line[at : at + len(text)])
        at += len(text)
    return out


def heavier_lines(strokes: dict[K, float], *, apart: float = 1.2, above: float = 1.12) -> set[K]:
    """The lines whose strokes are clearly wider than the body's: ゴシック or bold against a 明朝 body.

    The strokes are split in two where the spread within each part is least.
    Parts ``apart`` times apart are two faces, and a line is heavy nearer the
    heavier part: a page of headings and KPIs has as many heavy lines as body
    lines, and its median line is no body line.  Otherwise the page is of one
    face but for a few lines, and those over ``above`` times the median are heavy.
    """
    values = sorted(strokes.values())
    if len(values) < 2 or values[0] <= 0:
        return set()
    best, cut = math.inf, 0
    for k in range(1, len(values)):
        low, high = values[:k], values[k:]
        spread = sum((v - statistics.fmean(low)) ** 2 for v in low) + sum((v - statistics.fmean(high)) ** 2 for v in high)
        if spread < best:
            best, cut = spread, k
    light, heavy = statistics.fmean(values[:cut]), statistics.fmean(values[cut:])
    bar = math.sqrt(light * heavy) if heavy >= apart * light else above * statistics.median(values)
    return {k for k, v in strokes.items() if v > bar}


def _size(data: dict[str, list[Any]], idx: list[int], scale: float, *, min_chars: int = 8) -> float | None:
    """A line's font size: the advance of its full-width characters, from the first word's start to the last's.

    Full-width characters advance exactly one em, and a word's box starts at
    its ink, so the span between two word starts over many characters is
    the em give or take a side bearing.  ``None`` for a line too short (or
    too Latin) to tell.
    """
    full = [i for i in idx if not any(ch.isascii() for ch in str(data["text"][i]).strip())]
    if len(full) < 2:
        return None
    first, last = full[0], full[-1]
    between = [i for i in idx if data["left"][first] <= data["left"][i] < data["left"][last]]
    ems = sum(_em(str(data["text"][i]).strip()) for i in between)
    if ems < min_chars:
        return None
    return round((data["left"][last] - data["left"][first]) / ems * scale * 2) / 2


def _filled_square(cell: np.ndarray) -> bool:
    """Whether the ink in a character cell is one solid square (■)."""
    rows, cols = np.flatnonzero(cell.any(axis=1)), np.flatnonzero(cell.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return False
    h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if h < 0.35 * cell.shape[0] or not 0.75 <= w / h <= 1.33:
        return False
    return float(cell[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].mean()) > 0.85


def find_rules(ink: np.ndarray, scale: float, *, min_length: float = 30.0) -> tuple[list[Segment], np.ndarray]:
    """Ruling lines in the image (runs of ink at least ``min_length`` points long), and the mask of their pixels.

    A scanned rule is a few pixels thick and not quite straight: each row's
    runs are found, then the pieces of one rule (adjacent rows, overlapping
    or nearly touching) are joined.
    """
    # on a copy of half the resolution (2×2 pixels pooled: a thin rule survives)
    h2, w2 = ink.shape[0] // 2 * 2, ink.shape[1] // 2 * 2
    half = ink[:h2:2, :w2:2] | ink[1:h2:2, :w2:2] | ink[:h2:2, 1:w2:2] | ink[1:h2:2, 1:w2:2]
    run = max(int(min_length / scale / 2), 2)
    found: list[Segment] = []
    mask = np.zeros_like(half)
    for axis in (1, 0):
        img = half if axis == 1 else half.T
        on = np.zeros_like(img)
        rows = np.flatnonzero(img.sum(axis=1) >= run)  # only rows with that much ink can hold a rule
        if rows.size:
            sub = img[rows]
            c = np.cumsum(np.pad(sub, ((0, 0), (1, 0))).astype(np.int32), axis=1)
            starts = (c[:, run:] - c[:, :-run]) == run
            # every pixel of a run that starts somewhere in the ``run`` pixels before it
            s = np.cumsum(np.pad(starts, ((0, 0), (1, 0))).astype(np.int32), axis=1)
            x = np.arange(img.shape[1])
            on[rows] = (s[:, np.minimum(x + 1, starts.shape[1])] - s[:, np.maximum(x - run + 1, 0)]) > 0
        (mask if axis == 1 else mask.T)[...] |= on
        for r in np.flatnonzero(on.any(axis=1)):
            edges = np.flatnonzero(np.diff(np.concatenate(([0], on[r].astype(np.int8), [0]))))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                found.append(_segment(axis, int(r), int(a), int(b), 2 * scale))
    full = np.zeros_like(ink)
    full[:h2, :w2] = np.repeat(np.repeat(mask, 2, axis=0), 2, axis=1)
    mask = full
    return _join(found, scale), mask


def _grow(mask: np.ndarray, k: int) -> np.ndarray:
    """The mask widened by ``k`` pixels each way (the grey fringe of a scanned rule)."""
    out = mask.copy()
    for d in range(1, k + 1):
        out[d:, :] |= mask[:-d, :]
        out[:-d, :] |= mask[d:, :]
        out[:, d:] |= mask[:, :-d]
        out[:, :-d] |= mask[:, d:]
    return out


def _segment(axis: int, r: int, a: int, b: int, scale: float) -> Segment:
    if axis == 1:
        return Segment(a * scale, r * scale, b * scale, (r + 1) * scale)
    return Segment(r * scale, a * scale, (r + 1) * scale, b * scale)


def _join(segments: list[Segment], scale: float, *, across: float = 1.5, gap: float = 3.0) -> list[Segment]:
    """Pieces of one rule → one segment: within ``across`` points of each other across, ``gap`` along."""
    out: list[Segment] = []
    for horizontal in (True, False):
        # (position across, start, end, thickness end) in the rule's own direction
        parts = sorted(
            (s.top, s.x0, s.x1, s.bottom) if horizontal else (s.x0, s.top, s.bottom, s.x1) for s in segments if s.horizontal == horizontal
        )
        groups: list[list[float]] = []  # [across0, across1, start, end]
        for a0, start, end, a1 in parts:
            for g in reversed(groups[-8:]):
                if a0 - g[1] <= across and start <= g[3] + gap and end >= g[2] - gap:
                    g[1], g[2], g[3] = max(g[1], a1), min(g[2], start), max(g[3], end)
                    break
            else:
                groups.append([a0, a1, start, end])
        for a0, a1, start, end in groups:
            out.append(Segment(start, a0, end, a1) if horizontal else Segment(a0, start, a1, end))
    return out
