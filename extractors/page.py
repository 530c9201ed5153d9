"""The page as read: characters with boxes, ruling segments, images.

Every character source (PDFium, pdfplumber) produces :class:`PageContent`;
everything after this stage sees only these types, so the PDF library under
it can be swapped.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple, Protocol

from pipeline.exceptions import EmptyPdfError, TooLargeError
from pipeline.model import BBox

# full-width opening brackets: their ink sits in the right half of their box (JIS X 4051 class 1)
OPENING_MARKS = frozenset("（［｛〔〈《「『【〘〖‘“")


class Char(NamedTuple):
    """One printed character; box in points, origin top-left.

    The box is the line box of the font (ascent to descent), not the glyph
    outline: a thin 一 is as tall as the characters beside it.  A named tuple,
    not a frozen dataclass: a page makes thousands, and a tuple is built four
    times faster.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # the size a reader sees (font size × text matrix × CTM)
    weight: int  # REGULAR, SANS or BOLD: how strongly the face stands out
    index: int  # type: ignore[assignment]  # position in the page's content stream (shadows tuple.index)


def anchors(chars: Iterable[Char]) -> list[tuple[float, float]]:
    """The point that places each character in a cell, frame row or box: a quarter of its width in from its leading side, at mid-height.

    Not the centre: a character reaches across a cell's right rule when it
    is hung there (ぶら下げ組み: 。、」 set beyond the line end) or overflows
    a narrow column (a % that cannot break), yet it starts inside its cell.
    An opening bracket is placed by its right quarter: its ink is in the
    right half of its box, and a typesetter that trims the blank half at a
    line start puts the box across the left rule.  One pass over a page's
    characters: no attribute or method call per character.
    """
    marks = OPENING_MARKS
    return [
        (x1 - 0.25 * (x1 - x0) if text in marks else x0 + 0.25 * (x1 - x0), (top + bottom) / 2)
        for text, x0, top, x1, bottom, _size, _weight, _index in chars
    ]


def holds(box: BBox, point: tuple[float, float]) -> bool:
    """Whether ``point`` (a character's anchor) is in ``box``, edges included."""
    x, y = point
    return box.x0 <= x <= box.x1 and box.top <= y <= box.bottom


def outside(chars: Sequence[Char], boxes: Sequence[BBox], points: Sequence[tuple[float, float]]) -> list[Char]:
    """The characters in none of ``boxes`` (by their anchors ``points``, as :func:`holds` tests them), in their order."""
    kept = list(zip(chars, points, strict=True))
    for b in boxes:  # (box by box: no generator per character)
        x0, x1, top, bottom = b.x0, b.x1, b.top, b.bottom
        kept = [(c, (x, y)) for c, (x, y) in kept if not (x0 <= x <= x1 and top <= y <= bottom)]
    return [c for c, _ in kept]


# a Char's fields, for map(), min() and sorted() at C speed over a page's characters
TEXT, X0, TOP, X1, BOTTOM, SIZE, WEIGHT = (itemgetter(k) for k in range(7))


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling line (a thin path): horizontal when ``x1 - x0`` is the long side."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    chars: tuple[Char, ...]
    rules: tuple[Segment, ...]
    images: int = 0
    damaged: bool = False  # the library could not read this page; it stands empty
    invisible: int = 0  # characters set invisible (text render mode 3): a scanner's or OCR program's text over the image
    shapes: int = 0  # path objects that are not ruling lines (glyph outlines, when text was printed as shapes)


def slanted(a: float, b: float) -> bool:
    """Whether text whose baseline runs along (a, b) is set at a slant: not upright, sideways or upside down (within about 3°).

    Slanted text is a diagonal watermark or a stamp (取扱注意, 案), not the
    plan's text; read, it would cut through the lines under it.
    """
    return min(abs(a), abs(b)) > 0.05 * (math.hypot(a, b) or 1.0)


def damaged_page(number: int) -> PageContent:
    """The stand-in for a page the library could not load: the rest of the file still reads."""
    return PageContent(number, 595.0, 842.0, (), (), damaged=True)


class CharSource(Protocol):
    """What the extractors need from a PDF library."""

    page_count: int
    title: str  # the document information's Title, or ""

    def pages(self) -> Iterator[PageContent]: ...

    def close(self) -> None: ...


# A face's weight class.  Japanese documents set emphasis in ゴシック (sans) against a 明朝
# body, so a sans face outranks a serif one; a bold face outranks both.  What stands out is
# decided against the body of each document (blocks.body_weight), never from the name alone.
REGULAR, SANS, BOLD = 0, 1, 2
# (HG faces name their weight by a last letter: HG明朝E, HGｺﾞｼｯｸE and HGS創英角ｺﾞｼｯｸUB are bold, HG明朝B
# demibold, HGｺﾞｼｯｸM regular; a PostScript name may be followed by ",Bold")
BOLD_FONT = re.compile(r"bold|heavy|black|semibold|demi|midashi|W[6-9]\b|(?:^|\+)HG\w*?(?:E|B|UB)(?![a-z])", re.I)
SANS_FONT = re.compile(r"gothic|goth|kozgo|shingo|sans|ゴシック|ｺﾞｼｯｸ|HG[SP]?G|meiryo|メイリオ|arial|helvetica|hiragino", re.I)


def font_name(raw: bytes | str) -> str:
    """A font's name as text.  A PDF name is bytes, and Japanese producers write a face's own name
    in them: UTF-8 (游ゴシック) or Shift_JIS (ＭＳ ゴシック, as Acrobat and printer drivers do).
    pdfminer hands a name that is not UTF-8 on as the repr of its bytes."""
    if isinstance(raw, str):
        if not (raw.startswith(("b'", 'b"')) and raw.endswith(raw[1])):
            return raw
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return str(raw)
        if not isinstance(raw, bytes):
            return str(raw)
    for codec in ("utf-8", "cp932"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def font_weight(name: str, *, bold: bool = False) -> int:
    """The weight class of a font from its name (``bold``: the PDF says so by other means)."""
    if bold or BOLD_FONT.search(name):
        return BOLD
    return SANS if SANS_FONT.search(name) else REGULAR


RULE_THICKNESS = 2.5  # points; thicker paths are shapes or shading, not rules


def is_rule(width: float, height: float) -> bool:
    """A path thin enough in one direction and long enough in the other to be a ruling line."""
    return min(width, height) <= RULE_THICKNESS and max(width, height) >= 4


def rect_edges(x0: float, top: float, x1: float, bottom: float) -> list[Segment]:
    """The four edges of a rectangle: any of them may be a cell border."""
    return [
        Segment(x0, top, x1, top),
        Segment(x0, bottom, x1, bottom),
        Segment(x0, top, x0, bottom),
        Segment(x1, top, x1, bottom),
    ]


def check_page_count(path: str, count: int, max_pages: int | None) -> None:
    """Refuse a PDF with no pages, or with more than ``max_pages``."""
    if count == 0:
        raise EmptyPdfError(path)
    if max_pages is not None and count > max_pages:
        raise TooLargeError(path, f"{count} pages, limit {max_pages}")
