"""Vertical writing (縦書き): told apart from horizontal, and turned into lines read in order.

In stream order the characters of a vertical column follow each other
downwards; those of a horizontal line rightwards.  A page whose steps go
down is read by turning it a quarter turn (columns right to left become
lines top to bottom, characters top to bottom become left to right), so the
same line and block logic reads it; the boxes of its blocks are turned back
afterwards.  Latin set sideways or upright in a column steps down like the
rest.  A page where both directions carry text is refused rather than read
out of order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from pipeline.model import BBox

from .page import Char, PageContent, Segment

WritingMode = Literal["horizontal", "vertical", "mixed"]
_H, _V, _BREAK = 0, 1, 2


def _step(a: Char, b: Char) -> int:
    """How the text goes on from ``a`` to ``b``: rightwards, downwards, or elsewhere (a new line or column)."""
    em = max(a.x1 - a.x0, a.bottom - a.top, b.x1 - b.x0, b.bottom - b.top, a.size, 1.0)
    dx = (b.x0 + b.x1 - a.x0 - a.x1) / 2
    dy = (b.top + b.bottom - a.top - a.bottom) / 2
    if 0 < dx <= 3 * em and abs(dy) < 0.4 * em:
        return _H
    if 0 < dy <= 3 * em and abs(dx) < 0.4 * em:
        return _V
    return _BREAK


def _runs(chars: Sequence[Char]) -> list[tuple[int, list[Char]]]:
    """Maximal runs of characters that go on in one direction (singletons get ``_BREAK``)."""
    visible = [c for c in chars if not c.text.isspace()]
    runs: list[tuple[int, list[Char]]] = []
    for c in visible:
        if runs:
            kind, run = runs[-1]
            step = _step(run[-1], c)
            if step != _BREAK and kind in (step, _BREAK):
                runs[-1] = (step, [*run, c])
                continue
        runs.append((_BREAK, [c]))
    return runs


def writing_mode(chars: Sequence[Char], *, mixed_share: float = 0.1, samples: int = 120) -> WritingMode:
    """``vertical`` when the page's text runs downwards, ``mixed`` when both directions carry text.

    Steps from one character to the next in stream order are counted (at
    most ``samples`` of them, evenly spread: the share is what matters).  A
    page is mixed when the smaller direction holds more than
    ``mixed_share`` of the steps and the vertical one at least a third (a
    horizontal page with a few stacked table labels is still horizontal).
    """
    # sampled from the characters as they come (no list of the visible ones first: every page is judged)
    stride = max(1, len(chars) // samples)
    counts = [0, 0, 0]
    for i in range(0, len(chars) - 1, stride):
        j = i + 1
        while j < len(chars) and chars[j].text.isspace():
            j += 1
        if j < len(chars) and not chars[i].text.isspace():
            counts[_step(chars[i], chars[j])] += 1
    h, v = counts[_H], counts[_V]
    if v <= h or v < 4:
        return "mixed" if h and v > max(h / 2, 20) else "horizontal"
    return "vertical" if h <= mixed_share * (h + v) else "mixed"


def _turn(x0: float, top: float, x1: float, bottom: float, width: float) -> tuple[float, float, float, float]:
    """A box on the page → the box on the page turned a quarter turn anticlockwise."""
    return top, width - x1, bottom, width - x0


def turn_back(box: BBox, width: float) -> BBox:
    """A box on the turned page → the box on the page as printed (``width``: the printed page's)."""
    return BBox(width - box.bottom, box.x0, width - box.top, box.x1)


def to_horizontal(page: PageContent) -> PageContent:
    """The vertical page turned so that its columns are lines, read in order.

    Each character of a column takes the column's width, so punctuation set
    to the right of the column (、。) stays in its line.  A short horizontal
    run (a page number, a running header) is kept as one line at its place.
    """
    w = page.width
    out: list[Char] = []
    for kind, run in _runs(page.chars):
        if kind == _H:
            left, top, bottom = run[0].x0, min(c.top for c in run), max(c.bottom for c in run)
            for c in run:
                # the run's own left-to-right order, laid along the turned line
                x0 = top + (c.x0 - left)
                out.append(c._replace(x0=x0, x1=x0 + (c.x1 - c.x0), top=w - run[-1].x1, bottom=w - left))
            continue
        left, right = min(c.x0 for c in run), max(c.x1 for c in run)
        for c in run:
            x0, top, x1, bottom = _turn(left, c.top, right, c.bottom, w)
            # digits set side by side in one cell (縦中横) share their top: left to right breaks the tie
            out.append(c._replace(x0=x0 + 0.01 * (c.x0 - left), top=top, x1=x1, bottom=bottom))
    rules = tuple(Segment(*_turn(s.x0, s.top, s.x1, s.bottom, w)) for s in page.rules)
    return replace(page, width=page.height, height=w, chars=tuple(out), rules=rules)
