"""How heavy a face is, read from its ink: the weight of text whose font does not say.

A PDF names the face of most text, but not of a Type 3 font, whose glyphs
are drawn as paths: browsers print so both the faces they cannot embed (CFF
outlines such as Noto CJK, Source Han, Hiragino) and the bold they make up
for a face that has none (MS Gothic, IPAex Gothic).  PDFium gives such a font
no name, no weight and no flags, so the weight is measured on the rendered
glyphs instead: the mean width of their strokes, twice the ink's area over its
edge length, in ems.  Measured on Chromium's prints of the corpus at 40 pixels
an em (each run of characters pooled, see :func:`weigh_runs`):

=======================================  ======  ======  ======
face                                     p5      median  p95
=======================================  ======  ======  ======
明朝 (IPAex Mincho, Noto Serif CJK)       0.043   0.045   0.053
ゴシック (IPAex Gothic, Noto Sans CJK)    0.061   0.064   0.079
bold (Noto Sans CJK Bold, made-up bold)  0.086   0.097   0.123
=======================================  ======  ======  ======
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .page import BOLD, REGULAR, SANS, Char

if TYPE_CHECKING:
    import numpy as np

UNWEIGHED = -1  # a character's weight class before its ink is measured
EM_PIXELS = 40.0  # the resolution glyphs are measured at, in pixels an em: the widths above hold at it
SANS_STROKE, BOLD_STROKE = 0.056, 0.082  # stroke widths (ems) from which a face is ゴシック, bold
_CROPS = 16  # more runs than this on a page are rendered in one piece
MAX_PIXELS = 25_000_000  # a rendered area no larger than this (a page of 6 pt text at 40 pixels an em is 23 M)

# Render(x0, top, x1, bottom, scale): the ink over that box of the page a pixel, in any one unit
Render = Callable[[float, float, float, float, float], "np.ndarray"]


def ink(cover: np.ndarray) -> tuple[float, float]:
    """The area and edge length of the ink in ``cover``, in pixels times its unit of ink (bilevel: pixels)."""
    import numpy as np

    if cover.size == 0:
        return 0.0, 0.0
    c = cover.astype(np.float32, copy=False)
    return float(c.sum()), float(np.abs(np.diff(c, axis=0)).sum() + np.abs(np.diff(c, axis=1)).sum())


def stroke_width(area: float, edges: float) -> float:
    """The mean width of strokes with this ink: twice the area over the edge length."""
    return 2 * area / edges if edges else 0.0


def weight_of(stroke_em: float) -> int:
    """The weight class of a face whose strokes are ``stroke_em`` ems wide."""
    return BOLD if stroke_em >= BOLD_STROKE else SANS if stroke_em >= SANS_STROKE else REGULAR


def measurable(text: str) -> bool:
    """A kana, kanji or full-width letter: a glyph of strokes.  Not punctuation, a filled ■ or 【, nor
    a Latin letter, whose strokes are wider in ems than a kanji's of the same face."""
    return text >= "\u3040" and text.isalpha()


def weigh_runs(chars: Sequence[Char], render: Render, page_area: float) -> list[Char]:
    """``chars`` with every :data:`UNWEIGHED` weight class measured from the ink.

    Characters are pooled in runs, neighbours in stream order at one size:
    a face is set in runs, and one glyph alone (一, ー) says little.  A run
    without a glyph to measure (digits, punctuation) takes the weight of a
    measured run on its line, else the weight most measured characters have.
    A few runs (bold headings among embedded text) are rendered each on its
    own; many (a page all in Type 3 fonts) in one render of the area they fill.
    """
    runs = _runs(chars)
    sizes = [c.size for run in runs for c in run if measurable(c.text)]
    if not sizes:
        return [c._replace(weight=REGULAR) if c.weight == UNWEIGHED else c for c in chars]
    scale = min(EM_PIXELS / statistics.median(sizes), (MAX_PIXELS / max(page_area, 1.0)) ** 0.5)
    measured = {k for k, run in enumerate(runs) if any(measurable(c.text) for c in run)}
    whole = _extent([c for k in measured for c in runs[k]])
    shared = (render(*whole, scale), whole) if len(measured) > _CROPS else None
    weights: dict[int, int] = {}  # a measured run's index → its weight class
    for k, run in enumerate(runs):
        if k not in measured:
            continue
        box = _extent(run)
        cover, origin = shared or (render(*box, scale), box)
        y0, x0 = int((box[1] - origin[1]) * scale), int((box[0] - origin[0]) * scale)
        cover = cover[y0 : y0 + int((box[3] - box[1]) * scale) + 1, x0 : x0 + int((box[2] - box[0]) * scale) + 1].copy()
        for c in run:  # what is not a glyph of strokes is left out
            if not measurable(c.text):
                top, left = max(int((c.top - box[1]) * scale), 0), max(int((c.x0 - box[0]) * scale), 0)
                cover[top : max(int((c.bottom - box[1]) * scale) + 1, 0), left : max(int((c.x1 - box[0]) * scale) + 1, 0)] = 0
        weights[k] = weight_of(stroke_width(*ink(cover)) / (run[0].size * scale))
    counts = Counter(w for k, w in weights.items() for _ in runs[k])
    common = max(counts, key=lambda w: (counts[w], -w))
    final = [
        weights[k] if k in weights else next((weights[j] for j in (k - 1, k + 1) if j in weights and _same_line(runs[j], run)), common)
        for k, run in enumerate(runs)
    ]
    flat = iter([w for run, w in zip(runs, final, strict=True) for _ in run])
    return [c._replace(weight=next(flat)) if c.weight == UNWEIGHED else c for c in chars]


def _same_line(a: list[Char], b: list[Char]) -> bool:
    return abs(a[-1].bottom - b[0].bottom) <= 0.3 * b[0].size


def _extent(chars: Sequence[Char]) -> tuple[float, float, float, float]:
    """The box round the letters among ``chars``: left, top, right, bottom."""
    letters = [c for c in chars if measurable(c.text)] or chars
    return min(c.x0 for c in letters), min(c.top for c in letters), max(c.x1 for c in letters), max(c.bottom for c in letters)


def _runs(chars: Sequence[Char]) -> list[list[Char]]:
    """The unweighed characters in runs: neighbours in stream order, at one size, no more than an em apart."""
    runs: list[list[Char]] = []
    last: Char | None = None
    for c in chars:
        if c.weight != UNWEIGHED:
            last = None
            continue
        if last is None or abs(c.size - last.size) > 0.1 or _gap(last, c) > c.size:
            runs.append([])
        runs[-1].append(c)
        last = c
    return runs


def _gap(a: Char, b: Char) -> float:
    return max(b.x0 - a.x1, a.x0 - b.x1, b.top - a.bottom, a.top - b.bottom, 0.0)
