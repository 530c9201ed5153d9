"""The PDFium character source (pypdfium2): the default reader of a PDF's text layer.

PDFium gives characters with boxes about 15× faster than pdfminer, keeps the
cells of a side-by-side table in stream order, and hands us the page's path
objects in the same pass for the ruling lines.
"""

from __future__ import annotations

import ctypes
import math
from array import array
from collections.abc import Callable, Iterator
from itertools import repeat
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.exceptions import BrokenPdfError, EmptyPdfError, EncryptedPdfError, TooLargeError

from .glyphs import symbol_glyph
from .ink import UNWEIGHED, Render, weigh_runs
from .page import (
    BOLD,
    RULE_THICKNESS,
    Char,
    PageContent,
    Segment,
    check_page_count,
    damaged_page,
    font_name,
    font_weight,
    is_rule,
    rect_edges,
    slanted,
)
from .rules import join_segments
from .sources import check_header, page_count_pdfminer

_STROKED = (pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE_CLIP)
_HIDDEN = (pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP)
# what a text object is: printed text, invisible text (an OCR layer over a scan), or text set at a
# slant (a diagonal watermark or stamp such as 取扱注意: not the plan's text, and it would cut lines)
_PRINTED, _INVISIBLE, _SLANTED = 0, 1, 2
# the line box of a CJK font above and below the baseline, as shares of the size
_ASCENT, _DESCENT = 0.88, 0.12


def _fast(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """PDFium function ``fn`` called with handles as plain addresses: no argument checks per call.

    pypdfium2's bindings wrap every handle in a typed pointer; in loops run once
    per character or page object that wrapping costs more than the call itself.
    """
    return ctypes.CFUNCTYPE(restype, *argtypes)(_handle(fn))


def _handle(ptr: Any) -> int:
    """The address a pypdfium2 handle points to, for the ``_fast`` functions."""
    return ctypes.cast(ptr, ctypes.c_void_p).value or 0


def _untyped(fn: Any, restype: Any) -> Any:
    """PDFium function ``fn`` without argument types, for the calls made once per character.

    ctypes then converts each argument by its Python type alone, which costs
    less than checking it against declared types (0.35 against 0.6 µs a
    call): every handle and pointer must be passed as a ``c_void_p`` (a bare
    int would be passed as a C int), every index as an int.
    """
    return ctypes.CFUNCTYPE(restype)(_handle(fn))


_P, _I = ctypes.c_void_p, ctypes.c_int
_COUNT_CHARS = _fast(pdfium_c.FPDFText_CountChars, _I, _P)
_CODE = _untyped(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_GENERATED = _untyped(pdfium_c.FPDFText_IsGenerated, _I)
_BOX = _untyped(pdfium_c.FPDFText_GetLooseCharBox, _I)
_OBJECT = _untyped(pdfium_c.FPDFText_GetTextObject, _P)
_CHUNK = 2048  # characters read per round of bulk calls
# pages read between two openings of the document: PDFium keeps what it parsed of a document until
# it is closed (0.1 MB a page), so 1,000 pages would hold 100 MB of it; reopening costs a few ms
_REOPEN_EVERY = 200
_MAX_SHARED = 1 << 16  # distinct coordinates remembered for sharing, at most
_INDICES: list[int] = []  # 0, 1, 2, …: one int object per character index, shared by every page


def _indices(start: int, count: int) -> list[int] | range:
    """The indices start…start+count-1, as shared ints where a page is of ordinary size (an int is 32 bytes)."""
    end = start + count
    if end > _MAX_SHARED:
        return range(start, end)
    if len(_INDICES) < end:
        _INDICES.extend(range(len(_INDICES), end))
    return _INDICES[start:end]


_SKIP = frozenset((0x0D, 0x0A, 0xFFFE))  # codes PDFium puts between lines, not printed characters
_TEXT_FONT = _untyped(pdfium_c.FPDFTextObj_GetFont, _P)
_MATRIX = _untyped(pdfium_c.FPDFText_GetMatrix, _I)
_FONT_SIZE = _untyped(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_RENDER_MODE = _untyped(pdfium_c.FPDFTextObj_GetTextRenderMode, _I)
_COUNT_OBJECTS = _fast(pdfium_c.FPDFPage_CountObjects, _I, _P)
_GET_OBJECT = _fast(pdfium_c.FPDFPage_GetObject, _P, _P, _I)
_COUNT_FORM_OBJECTS = _fast(pdfium_c.FPDFFormObj_CountObjects, _I, _P)
_GET_FORM_OBJECT = _fast(pdfium_c.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)
_OBJ_TYPE = _fast(pdfium_c.FPDFPageObj_GetType, _I, _P)
_OBJ_BOUNDS = _fast(pdfium_c.FPDFPageObj_GetBounds, _I, _P, _P, _P, _P, _P)
_CLIP_PATH = _fast(pdfium_c.FPDFPageObj_GetClipPath, _P, _P)
_CLIP_COUNT_PATHS = _fast(pdfium_c.FPDFClipPath_CountPaths, _I, _P)
_CLIP_COUNT_SEGMENTS = _fast(pdfium_c.FPDFClipPath_CountPathSegments, _I, _P, _I)
_CLIP_SEGMENT = _fast(pdfium_c.FPDFClipPath_GetPathSegment, _P, _P, _I, _I)
_SEGMENT_POINT = _fast(pdfium_c.FPDFPathSegment_GetPoint, _I, _P, _P, _P)
_DRAW_MODE = _fast(pdfium_c.FPDFPath_GetDrawMode, _I, _P, _P, _P)
_FILL_COLOR = _fast(pdfium_c.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)
_Count = Callable[[int], int]
_Get = Callable[[int, int], int | None]

_Placer = Callable[[float, float, float, float], tuple[float, float, float, float]]


def _placer(rotation: int, width: float, height: float) -> _Placer:
    """Map a box in PDF user space (left, bottom, right, top) to the page as displayed (x0, top, x1, bottom).

    ``width`` and ``height`` are the displayed size.  A page with /Rotate
    holds its content turned in user space; a reader sees it upright.
    """
    if rotation == 90:  # turned clockwise: user space's left edge is the top
        return lambda x0, y0, x1, y1: (y0, x0, y1, x1)
    if rotation == 180:
        return lambda x0, y0, x1, y1: (width - x1, y0, width - x0, y1)
    if rotation == 270:  # turned counter-clockwise: user space's right edge is the top
        return lambda x0, y0, x1, y1: (width - y1, height - x1, width - y0, height - x0)
    return lambda x0, y0, x1, y1: (x0, height - y1, x1, height - y0)


class PdfiumSource:
    """Characters and rules from PDFium (pypdfium2)."""

    def __init__(self, path: str | Path, *, max_pages: int | None = None) -> None:
        self.path = str(path)
        check_header(self.path)
        try:
            self._pdf = pdfium.PdfDocument(self.path)
        except pdfium.PdfiumError as e:
            # PDFium's last error is per process and not reset by a load that fails without setting it
            # (a PDF with no pages): a password error left by an earlier file must not name this one
            if page_count_pdfminer(self.path) == 0:
                raise EmptyPdfError(self.path) from e
            code = getattr(e, "err_code", None)
            if code == pdfium_c.FPDF_ERR_PASSWORD:
                raise EncryptedPdfError(self.path) from e
            if code == pdfium_c.FPDF_ERR_SECURITY:
                raise EncryptedPdfError(self.path, "unsupported security handler") from e
            raise BrokenPdfError(self.path, str(e).splitlines()[0].rstrip(".")) from e
        self.page_count = len(self._pdf)
        try:
            check_page_count(self.path, self.page_count, max_pages)
        except (EmptyPdfError, TooLargeError):
            self._pdf.close()
            raise
        try:
            self.title = str(self._pdf.get_metadata_dict().get("Title") or "").strip()
        except pdfium.PdfiumError:
            self.title = ""
        self.invisible = 0  # invisible characters on the page last read
        self.unweighed = False  # whether a character on it has a font that gives no weight
        self.shapes = 0  # its path objects that are not ruling lines
        self._fonts: dict[int | None, tuple[float, int, int]] = {}  # text object → size, weight class, _PRINTED/_INVISIBLE/_SLANTED
        self._faces: dict[int, int] = {}  # font → weight class before stroking
        self._texts: dict[int, str] = {}  # code point → its string, shared by every occurrence
        self._coords: dict[float, float] = {}  # a coordinate → its float, shared by every occurrence
        self._buf = ctypes.create_string_buffer(256)
        self._flags = ctypes.c_int()
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_at = ctypes.c_void_p(ctypes.addressof(self._matrix))
        self._ox, self._oy = ctypes.c_double(), ctypes.c_double()
        self._fill_mode, self._stroke = ctypes.c_int(), ctypes.c_int()
        self._rgba = tuple(ctypes.c_uint() for _ in range(4))
        self._clips: dict[int, tuple[float, float, float, float]] = {}  # a clip path's first point → its bounds
        self._px, self._py = ctypes.c_float(), ctypes.c_float()
        self._px_at, self._py_at = ctypes.addressof(self._px), ctypes.addressof(self._py)
        self._boxes = array("f", bytes(16 * _CHUNK))  # the loose boxes of a chunk of characters, written by PDFium
        at = self._boxes.buffer_info()[0]
        self._slots = [ctypes.c_void_p(at + 16 * k) for k in range(_CHUNK)]  # the address of each character's box in it
        self._box = (ctypes.c_float * 4)()  # an object's left, bottom, right, top
        self._box_at = tuple(ctypes.addressof(self._box) + k * ctypes.sizeof(ctypes.c_float) for k in range(4))

    def pages(self) -> Iterator[PageContent]:
        for i in range(self.page_count):
            if i and i % _REOPEN_EVERY == 0:
                self._reopen()
            try:
                page = self._pdf[i]
            except pdfium.PdfiumError:
                yield damaged_page(i + 1)
                continue
            try:
                content = self._read(page, i + 1)
            except pdfium.PdfiumError:
                content = damaged_page(i + 1)
            finally:
                page.close()
            yield content

    def close(self) -> None:
        self._pdf.close()

    def _reopen(self) -> None:
        """The document closed and opened again: PDFium keeps what it parsed of every page read until then."""
        self._pdf.close()
        try:
            self._pdf = pdfium.PdfDocument(self.path)
        except pdfium.PdfiumError as e:  # the file changed while it was read
            raise BrokenPdfError(self.path, str(e).splitlines()[0].rstrip(".")) from e

    # -- internals -------------------------------------------------------

    def _read(self, page: pdfium.PdfPage, number: int) -> PageContent:
        width, height = page.get_size()  # as displayed, /Rotate applied
        rotation = page.get_rotation()
        place = _placer(rotation, width, height)
        tp = page.get_textpage()
        self.unweighed = False
        try:
            chars = self._chars(tp.raw, place, None if rotation else height)
        finally:
            tp.close()
        if self.unweighed:
            chars = weigh_runs(chars, _renderer(page, width, height), width * height)
        rules: list[Segment] = []
        self.shapes = 0
        self._clips.clear()  # path data lives as long as its page
        images = self._shapes(_handle(page.raw), _COUNT_OBJECTS, _GET_OBJECT, 0, place, rules)
        return PageContent(number, width, height, tuple(chars), join_segments(rules), images, invisible=self.invisible, shapes=self.shapes)

    def _shapes(self, parent: int, count: _Count, get: _Get, level: int, place: _Placer, rules: list[Segment]) -> int:
        """Append the ruling lines among ``parent``'s path objects (forms opened 4 levels deep) to ``rules``; the images."""
        n = count(parent)
        if n < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        images = 0
        box = self._box
        for i in range(n):
            obj = get(parent, i)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = _OBJ_TYPE(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if not _OBJ_BOUNDS(obj, *self._box_at):
                    raise pdfium.PdfiumError("Failed to locate pageobject.")
                left, low, right, high = self._clipped(obj, box[0], box[1], box[2], box[3])
                if right < left or high < low:
                    continue  # wholly outside its clip: painted nowhere
                x0, top, x1, bottom = place(left, low, right, high)
                if is_rule(x1 - x0, bottom - top):
                    rules.append(Segment(x0, top, x1, bottom))
                else:
                    self.shapes += 1
                    if min(x1 - x0, bottom - top) > RULE_THICKNESS and not self._blank(obj):
                        # a rectangle: its four edges may be cell borders
                        rules.extend(rect_edges(x0, top, x1, bottom))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < 3:
                images += self._shapes(obj, _COUNT_FORM_OBJECTS, _GET_FORM_OBJECT, level + 1, place, rules)
        return images

    def _blank(self, obj: int) -> bool:
        """A shape filled white and not stroked: on paper it has no edges (a browser paints the page's background so)."""
        if not _DRAW_MODE(obj, ctypes.addressof(self._fill_mode), ctypes.addressof(self._stroke)) or self._stroke.value:
            return False
        rgba = self._rgba
        if not self._fill_mode.value or not _FILL_COLOR(obj, *(ctypes.addressof(c) for c in rgba)):
            return not self._fill_mode.value
        return rgba[0].value == rgba[1].value == rgba[2].value == 255 or rgba[3].value == 0

    def _clipped(self, obj: int, left: float, low: float, right: float, high: float) -> tuple[float, float, float, float]:
        """A path's bounds cut to the bounds of its clip path: what of it is painted.

        A browser paints a table's borders on every page it spans and clips
        them to the page's content area, so the rules of a table broken
        over pages reach past the page's margin, or lie wholly outside it.
        """
        clip = _CLIP_PATH(obj)
        if not clip:
            return left, low, right, high
        for k in range(_CLIP_COUNT_PATHS(clip)):
            # the clip is the intersection of its paths: each one bounds what is painted
            x0, y0, x1, y1 = self._clip_bounds(clip, k)
            left, low, right, high = max(left, x0), max(low, y0), min(right, x1), min(high, y1)
        return left, low, right, high

    def _clip_bounds(self, clip: int, k: int) -> tuple[float, float, float, float]:
        """The bounds of path ``k`` of a clip path, widened by a rule's width (a border on the clip's edge is half painted, and seen).

        Objects drawn under one clip share its path's points, so the bounds
        are remembered by the address of its first point (for the page).
        """
        first = _CLIP_SEGMENT(clip, k, 0)
        hit = self._clips.get(first or 0)
        if hit is not None:
            return hit
        x, y = self._px, self._py
        xs, ys = [], []
        for j in range(_CLIP_COUNT_SEGMENTS(clip, k)):
            seg = _CLIP_SEGMENT(clip, k, j)
            if seg and _SEGMENT_POINT(seg, self._px_at, self._py_at):
                xs.append(x.value)
                ys.append(y.value)
        pad = RULE_THICKNESS
        hit = (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad) if xs else (-math.inf, -math.inf, math.inf, math.inf)
        if first:
            self._clips[first] = hit
        return hit

    def _chars(self, tp: pdfium_c.FPDF_TEXTPAGE, place: _Placer, upright_height: float | None) -> list[Char]:
        # Each character costs three PDFium calls (its code, its loose box, its text object), made
        # in bulk with untyped arguments; style is looked up once per text object, the rest only
        # where needed.  ``upright_height``: the page's height when it is not turned (boxes are
        # then placed inline, not through ``place``).
        self.invisible = 0
        self._fonts.clear()  # text-object handles are only unique within a page
        self._faces.clear()  # and font handles may not outlive it
        fonts, texts, share = self._fonts, self._texts, self._coords.setdefault
        handle = _handle(tp)
        n = _COUNT_CHARS(handle)
        if n <= 0:
            return []
        h = ctypes.c_void_p(handle)
        out: list[Char] = []
        append, new = out.append, tuple.__new__
        slots = self._slots
        for start in range(0, n, _CHUNK):  # a page of a million characters needs no more buffers than one of a thousand
            k = min(_CHUNK, n - start)
            indices = _indices(start, k)
            codes = list(map(_CODE, repeat(h, k), indices))
            found = list(map(_BOX, repeat(h, k), indices, slots))
            objs = list(map(_OBJECT, repeat(h, k), indices))
            boxes = iter(self._boxes[: 4 * k].tolist())  # left, top, right, bottom of each character, in user space
            for i, code, ok, obj, left, top, right, bottom in zip(indices, codes, found, objs, boxes, boxes, boxes, boxes, strict=True):
                if not ok or code in _SKIP or (code == 0x20 and _GENERATED(h, i) == 1):
                    continue
                style = fonts.get(obj)
                if style is None:
                    style = self._style(tp, h, i, obj)
                size, kind = style[0], style[2]
                if kind:
                    if kind == _SLANTED:
                        continue
                    self.invisible += code != 0x20
                # (upright text only: Latin set sideways in a vertical column keeps PDFium's box, its advance runs down)
                if not 0.75 * size <= top - bottom <= 1.5 * size and abs(math.sin(pdfium_c.FPDFText_GetCharAngle(tp, i))) < 0.5:
                    # PDFium fell back to the glyph outline (the font has no usable
                    # ascent/descent): a thin 一 would be 1 pt tall.  Use the
                    # line box every CJK font has, from the baseline.
                    pdfium_c.FPDFText_GetCharOrigin(tp, i, self._ox, self._oy)
                    top, bottom = self._oy.value + _ASCENT * size, self._oy.value - _DESCENT * size
                if 0xF020 <= code <= 0xF0FF:  # a symbol font's bullet (Symbol's U+F0B7 is •): rare, so looked up here
                    code = ord(symbol_glyph(code, self._font_name(tp, i)) or chr(code))
                text = texts.get(code)
                if text is None:  # one string per character of the document, not per occurrence (a CJK str is 76 bytes)
                    text = texts[code] = chr(code)
                if upright_height is None:
                    x0, y0, x1, y1 = place(left, bottom, right, top)
                else:
                    x0, y0, x1, y1 = left, upright_height - top, right, upright_height - bottom
                # a coordinate seen before shares its float (32 bytes each; a line's characters share
                # top and bottom, and lines sit at the same heights page after page); not zero, which
                # would fold -0.0 into 0.0
                append(
                    new(
                        Char,
                        (
                            text,
                            share(x0, x0) if x0 else x0,
                            share(y0, y0) if y0 else y0,
                            share(x1, x1) if x1 else x1,
                            share(y1, y1) if y1 else y1,
                            size,
                            style[1],
                            i,
                        ),
                    )
                )
        if len(self._coords) > _MAX_SHARED:
            self._coords.clear()
        return out

    def _style(self, tp: pdfium_c.FPDF_TEXTPAGE, h: ctypes.c_void_p, i: int, obj: int | None) -> tuple[float, int, int]:
        """Rendered size, weight class and kind of character ``i`` of text object ``obj``, remembered for the object."""
        o = ctypes.c_void_p(obj)
        font = _TEXT_FONT(o) if obj else None
        face = self._faces.get(font) if font else None
        if face is None:
            face = self._face(tp, i)
            if font:
                self._faces[font] = face
        # Word prints "bold" Mincho (a face without a bold weight) by stroking the outlines
        mode = _RENDER_MODE(o)
        weight = BOLD if mode in _STROKED else face
        # the size a reader sees: the font size scaled by the text matrix and the CTM
        m = self._matrix
        _MATRIX(h, i, self._matrix_at)
        scale = math.hypot(m.c, m.d) or 1.0
        kind = _SLANTED if slanted(m.a, m.b) else _INVISIBLE if mode in _HIDDEN else _PRINTED
        hit = (round(_FONT_SIZE(h, i) * scale, 2), weight, kind)
        self._fonts[obj] = hit
        return hit

    def _font_name(self, tp: pdfium_c.FPDF_TEXTPAGE, i: int) -> str:
        """The name of character ``i``'s font; its flags are left in ``self._flags``."""
        pdfium_c.FPDFText_GetFontInfo(tp, i, self._buf, 256, ctypes.byref(self._flags))
        return font_name(self._buf.value)

    def _face(self, tp: pdfium_c.FPDF_TEXTPAGE, i: int) -> int:
        """The weight class of character ``i``'s font, from its name, weight and flags."""
        name = self._font_name(tp, i)
        if not name:  # a Type 3 font (glyphs drawn as paths) has none, nor a weight: its ink tells
            self.unweighed = True
            return UNWEIGHED
        return font_weight(
            name, bold=_declared_weight(pdfium_c.FPDFText_GetFontWeight(tp, i)) >= 600 or bool(self._flags.value & (1 << 18))
        )


def _renderer(page: pdfium.PdfPage, width: float, height: float) -> Render:
    """The page's ink over a box (as displayed, origin top-left), 0 to 255 a pixel."""

    def render(x0: float, top: float, x1: float, bottom: float, scale: float) -> Any:
        crop = (max(x0, 0.0), max(height - bottom, 0.0), max(width - x1, 0.0), max(top, 0.0))
        if crop[0] + crop[2] >= width or crop[1] + crop[3] >= height:
            return _no_ink()
        gray = page.render(scale=scale, crop=crop, grayscale=True, draw_annots=False).to_numpy()
        return 255 - gray.reshape(gray.shape[:2])

    return render


def _no_ink() -> Any:
    import numpy as np

    return np.zeros((0, 0), dtype=np.uint8)


def _declared_weight(weight: int) -> int:
    """The weight a font descriptor's /FontWeight declares (100, 200 … 900), or 0.

    Without /FontWeight PDFium makes one up from /StemV (×5 below 140, else
    ×4 + 140), which writers fill loosely: Ghostscript's re-distilled IPAex
    Mincho gets 740, its Noto Sans Regular 1896.  Such a weight says nothing.
    """
    return weight if 100 <= weight <= 900 and weight % 100 == 0 else 0
