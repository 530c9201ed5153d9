"""Ruled tables: ruling segments → a grid of cells → rows of strings.

The grid follows pdfplumber's model (a cell spanning several columns leaves
``""`` in the columns it covers) but is built from the rules our character
source already read, so a page is parsed once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import BBox

from .lines import Line, group_lines
from .numbering import split_label
from .page import Char, Segment, anchors, outside
from .rules import touching_groups

_SNAP = 2.0  # points: rules closer than this are one rule
_FINISHED = re.compile(r"[。．]$|(?<![0-9])\.$")  # a sentence's end (52. is a number cut at its point)


@dataclass(frozen=True, slots=True)
class Cell:
    bbox: BBox
    row: int
    col: int
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    bbox: BBox
    rows: tuple[tuple[str, ...], ...]
    cells: tuple[Cell, ...]
    page: int
    col_edges: tuple[float, ...]
    # no rule closes the grid there: a row the page break cut in two (browsers slice its borders)
    open_top: bool = False
    open_bottom: bool = False
    # per column: the bottom row's text there runs on past the bottom rule (see ``runs_on``)
    runs_on: tuple[bool, ...] = ()
    # a rule closes the grid, but a cell's text that runs on sits against it: the page break may have cut the row
    cut_bottom: bool = False

    @property
    def filled(self) -> int:
        """How many cells hold text."""
        return sum(1 for c in self.cells if c.text)


def _snap(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _covers_h(hs: Sequence[Segment], y: float, x0: float, x1: float) -> bool:
    mid = (x0 + x1) / 2
    return any(abs((h.top + h.bottom) / 2 - y) <= _SNAP and h.x0 - _SNAP <= mid <= h.x1 + _SNAP for h in hs)


def _covers_v(vs: Sequence[Segment], x: float, top: float, bottom: float) -> bool:
    mid = (top + bottom) / 2
    return any(abs((v.x0 + v.x1) / 2 - x) <= _SNAP and v.top - _SNAP <= mid <= v.bottom + _SNAP for v in vs)


def runs_on(box: BBox, last: Line) -> bool:
    """Whether a cell's last line runs out to its right side (within its left padding and 1.5 characters) without finishing a sentence."""
    return box.x1 - last.x1 <= (last.x0 - box.x0) + 1.5 * last.size and not _FINISHED.search(last.text)


def sits_on_bottom(box: BBox, last: Line) -> bool:
    """Whether a cell's last line sits against the cell's bottom rule."""
    return box.bottom - last.bottom <= 0.25 * last.size + 0.5


def goes_on(runs: Sequence[bool], cut: bool, first: Sequence[str]) -> bool:
    """Whether ``first`` (the cell texts of the next page's first row) is the rest of the row before the page break.

    ``runs``: per column, that row's text there runs on; ``cut``: the
    geometry allows a cut (no rule at the break on either page, or a cell
    that runs on sits against the rule).  Every cell with text in the next
    row must stand under a cell that runs on: a row that starts afresh has
    text under a cell that was finished.
    """
    return cut and len(runs) == len(first) and all(not text or on for text, on in zip(first, runs, strict=True))


def cell_text(lines: Sequence[Line]) -> str:
    """Join a cell's lines: wraps are joined, a line opening with a label starts a new line."""
    out = ""
    for i, ln in enumerate(lines):
        if i and split_label(ln.text) is not None:
            out += "\n"
        out += ln.text
    return out


def tables_and_lines(rules: Sequence[Segment], chars: Sequence[Char], page: int) -> tuple[list[Table], list[Line]]:
    """A region's ruled tables, and the lines of the characters outside them."""
    if not rules:  # (most cells of a frame: no table to look for)
        return [], group_lines(chars, page)
    points = anchors(chars)
    tables = find_tables(rules, chars, page, points=points)
    if not tables:
        return tables, group_lines(chars, page)
    return tables, group_lines(outside(chars, [t.bbox for t in tables], points), page)


def find_tables(
    rules: Sequence[Segment], chars: Sequence[Char], page: int, *, points: Sequence[tuple[float, float]] | None = None
) -> list[Table]:
    """Every ruled grid of at least 2 × 1 cells on a page that holds a table's text.

    One filled cell is a box, not a table — unless it is the rest of a row
    the page break cut.
    """
    return [t for t in find_grids(rules, chars, page, points=points) if len(t.cells) >= 2 and (t.filled >= 2 or t.open_top)]


def find_grids(
    rules: Sequence[Segment], chars: Sequence[Char], page: int, *, points: Sequence[tuple[float, float]] | None = None
) -> list[Table]:
    """Every closed ruled shape on a page with text in it, from a single box to a grid, with its text.

    ``points``: the characters' anchors (:func:`page.anchors`), when the caller has them already.
    """
    tables: list[Table] = []
    for group in touching_groups(rules, tolerance=_SNAP):
        hs = [s for s in group if s.horizontal]
        vs = [s for s in group if not s.horizontal]
        if not hs or not vs:
            continue
        # the outer extent of the rules closes the grid even where a border is
        # missing (a table broken across pages often lacks its last rule)
        ys = _snap([(h.top + h.bottom) / 2 for h in hs] + [min(v.top for v in vs), max(v.bottom for v in vs)])
        xs = _snap([(v.x0 + v.x1) / 2 for v in vs] + [min(h.x0 for h in hs), max(h.x1 for h in hs)])
        if len(ys) < 2 or len(xs) < 2:
            continue
        nrows, ncols = len(ys) - 1, len(xs) - 1
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for r in range(nrows):
            for c in range(ncols):
                if (r, c) in owner:
                    continue
                # extend right while no vertical rule separates, down while no horizontal rule
                c2 = c
                while c2 + 1 < ncols and not _covers_v(vs, xs[c2 + 1], ys[r], ys[r + 1]):
                    c2 += 1
                r2 = r
                while r2 + 1 < nrows and not _covers_h(hs, ys[r2 + 1], xs[c], xs[c2 + 1]):
                    r2 += 1
                for rr in range(r, r2 + 1):
                    for cc in range(c, c2 + 1):
                        owner[(rr, cc)] = (r, c)
                spans[(r, c)] = (r2, c2)
        buckets: dict[tuple[int, int], list[Char]] = {k: [] for k in spans}
        x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
        if points is None:
            points = anchors(chars)
        for ch, (cx, cy) in zip(chars, points, strict=True):
            if x_lo <= cx <= x_hi and y_lo <= cy <= y_hi:
                # the first cell that holds it: one on a boundary goes to the cell before it
                col = bisect.bisect_left(xs, cx, 1) - 1
                row = bisect.bisect_left(ys, cy, 1) - 1
                buckets[owner[(row, col)]].append(ch)
        grid = [["" for _ in range(ncols)] for _ in range(nrows)]
        cells: list[Cell] = []
        runs = [False] * ncols
        cut_bottom = False
        for (r, c), (r2, c2) in spans.items():
            lines = group_lines(buckets[(r, c)], page)
            text = cell_text(lines)
            grid[r][c] = text
            box = BBox(xs[c], ys[r], xs[c2 + 1], ys[r2 + 1])
            cells.append(Cell(box, r, c, text))
            if r2 == nrows - 1 and lines and runs_on(box, lines[-1]):
                runs[c : c2 + 1] = [True] * (c2 + 1 - c)
                cut_bottom |= sits_on_bottom(box, lines[-1])
        rows = [tuple(row) for row in grid if any(row)]
        if not rows:
            continue
        open_top, open_bottom = (not _covers_h(hs, y, x_lo, x_hi) for y in (y_lo, y_hi))
        box = BBox(x_lo, y_lo, x_hi, y_hi)
        tables.append(Table(box, tuple(rows), tuple(cells), page, tuple(xs), open_top, open_bottom, tuple(runs), cut_bottom))
    tables.sort(key=lambda t: (t.bbox.top, t.bbox.x0))
    return tables
