"""Page-wide ruled frames: the 分野 | 実施内容等 field table and the side-by-side 対照表.

Both layouts put the plan inside one big table whose header row repeats on
every page.  The frame's long vertical rules give the columns; characters are
split by column *before* lines are formed, so the left column's text never
leaks into the right one even when both sit on one text line.  Rules that
span the frame's width separate its rows; shorter rules inside a column are
tables nested in a cell.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.model import BBox, normalize_text

from .lines import Line, group_lines
from .page import Char, PageContent, Segment, anchors
from .tables import Table, runs_on, sits_on_bottom, tables_and_lines

_SNAP = 2.5


@dataclass(frozen=True, slots=True)
class Frame:
    xs: tuple[float, ...]  # column boundaries, left to right
    header_top: float
    header_bottom: float
    bottom: float
    row_ys: tuple[float, ...]  # rules spanning the frame, below the header


@dataclass(frozen=True, slots=True)
class Cell:
    lines: tuple[Line, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True, slots=True)
class FrameRow:
    page: int
    top: float
    cells: tuple[Cell, ...]  # one per column
    runs_on: tuple[bool, ...] = ()  # per column: the text runs on past the row's bottom rule (tables.runs_on)
    # the page break may have cut the row: no rule closes it (browsers slice the borders of a row
    # they split), or a cell's last line sits against its bottom rule (the row is filled to its end)
    cut: bool = False


def _snap(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def find_frame(page: PageContent, *, columns: Sequence[float] = ()) -> Frame | None:
    """The page-wide table holding the plan, if the page has one.

    ``columns``: the column boundaries of the frame on the pages before.  A
    frame continued from them may be short (the last page of a plan): its
    verticals on those boundaries are enough, however short.
    """
    vs = [r for r in page.rules if not r.horizontal]
    hs = [r for r in page.rules if r.horizontal]
    if not vs or not (hs or columns):
        return None
    if columns:
        tall = [v for v in vs if any(abs((v.x0 + v.x1) / 2 - x) <= _SNAP for x in columns)]
    else:
        tall = [v for v in vs if v.bottom - v.top >= 0.2 * page.height]
    if not tall:
        return None
    # the frame's own columns start at its top; a tall table nested in a cell starts lower
    frame_top = min(v.top for v in tall)
    tall = [v for v in tall if v.top <= frame_top + 3 * _SNAP]
    xs = _snap([(v.x0 + v.x1) / 2 for v in tall])
    # at least two columns: a box around a single column is no frame of two documents or of areas and plans
    if len(xs) < 3 or xs[-1] - xs[0] < 0.6 * page.width:
        return None
    left, right = xs[0], xs[-1]
    wide = _snap([(h.top + h.bottom) / 2 for h in hs if h.x0 <= left + _SNAP * 2 and h.x1 >= right - _SNAP * 2])
    top = min(v.top for v in tall)
    bottom = max(v.bottom for v in tall)
    wide = [y for y in wide if top - _SNAP <= y <= bottom + _SNAP]
    if columns:
        # a frame continued from the page before may have no rule at its top (a row the page break
        # cut), or none at all (one row filling the page): its rows start where its columns do
        # (frame_rows ends the last one where they end)
        wide = _snap([top, *wide]) if wide else [top, bottom]
    if len(wide) < 2 or (not columns and bottom - wide[1] <= _SNAP):
        # (a header row with nothing below it is a box: a slide's label box beside its content box)
        return None
    return Frame(tuple(xs), wide[0], wide[1], bottom, tuple(wide[1:]))


def _bounds(frame: Frame) -> list[float]:
    """The frame's row boundaries below its header, closed at its bottom where no rule closes it."""
    ys = [*frame.row_ys]
    if ys[-1] < frame.bottom - _SNAP:
        ys.append(frame.bottom)
    return ys


def frame_cells(page: PageContent, frame: Frame) -> list[list[list[Char]]]:
    """The characters of every cell of the frame (rows of columns): its header row, then the rows of :func:`frame_rows`."""
    return _buckets(page.chars, frame.xs, [frame.header_top, *_bounds(frame)])


def header_texts(cells: Sequence[Sequence[Char]], page: int) -> list[str]:
    """Text of the header row, one string per column, from its cells' characters (``frame_cells(…)[0]``)."""
    return [" ".join(ln.text for ln in group_lines(chars, page)) for chars in cells]


def frame_rows(page: PageContent, frame: Frame, chars: Sequence[Sequence[Sequence[Char]]]) -> list[FrameRow]:
    """The rows of the frame below its header, each split into column cells.

    ``chars``: the characters of those cells (``frame_cells(…)[1:]``).
    """
    cols = list(zip(frame.xs, frame.xs[1:], strict=False))
    ys = _bounds(frame)
    open_end = len(ys) > len(frame.row_ys)
    inner_rules = [r for r in page.rules if _inside_column(r, cols) and not _is_frame_rule(r, frame)]
    rows: list[FrameRow] = []
    for r, (y0, y1) in enumerate(itertools.pairwise(ys)):
        cells = []
        runs: list[bool] = []
        cut = open_end and y1 == ys[-1]
        for k, (x0, x1) in enumerate(cols):
            rules = [r for r in inner_rules if x0 - _SNAP <= r.x0 and r.x1 <= x1 + _SNAP and y0 - _SNAP <= r.top and r.bottom <= y1 + _SNAP]
            cell = _cell(chars[r][k], rules, page.number)
            cells.append(cell)
            box = BBox(x0, y0, x1, y1)
            runs.append(bool(cell.lines) and runs_on(box, cell.lines[-1]))
            cut |= bool(cell.lines) and sits_on_bottom(box, cell.lines[-1])
        if any(c.lines or c.tables for c in cells):
            rows.append(FrameRow(page.number, y0, tuple(cells), tuple(runs), cut))
    return rows


def _buckets(chars: Sequence[Char], xs: Sequence[float], ys: Sequence[float]) -> list[list[list[Char]]]:
    """The characters of each cell between boundaries ``ys`` and ``xs`` (rows of columns), in page order.

    A character is placed by its anchor (:func:`page.anchors`), as :func:`page.holds` tests it:
    one exactly on a boundary belongs to both cells, as with ``x0 <= cx <= x1``.
    """
    last_x, last_y = len(xs) - 1, len(ys) - 1
    out: list[list[list[Char]]] = [[[] for _ in range(last_x)] for _ in range(last_y)]
    y_end, x_end = ys[-1], xs[-1]
    right = bisect.bisect_right
    for c, (cx, cy) in zip(chars, anchors(chars), strict=True):
        r = right(ys, cy) - 1
        k = right(xs, cx) - 1
        if r < 0 or k < 0 or (r == last_y and cy != y_end) or (k == last_x and cx != x_end):
            continue  # outside the frame
        if cy != ys[r] and cx != xs[k]:  # most characters: inside one cell, on no boundary
            out[r][k].append(c)
            continue
        for rr in (r - 1, r) if cy == ys[r] else (r,):
            if 0 <= rr < last_y:
                for kk in (k - 1, k) if cx == xs[k] else (k,):
                    if 0 <= kk < last_x:
                        out[rr][kk].append(c)
    return out


def _inside_column(r: Segment, cols: Sequence[tuple[float, float]]) -> bool:
    return any(x0 - _SNAP <= r.x0 and r.x1 <= x1 + _SNAP for x0, x1 in cols)


def _is_frame_rule(r: Segment, frame: Frame) -> bool:
    """A piece of the frame itself: a column line, or a line on a row boundary of the frame."""
    if r.horizontal:
        y = (r.top + r.bottom) / 2
        return any(abs(y - fy) <= _SNAP for fy in (frame.header_top, *frame.row_ys))
    return any(abs((r.x0 + r.x1) / 2 - x) <= _SNAP for x in frame.xs) and r.bottom - r.top >= 0.3 * (frame.bottom - frame.header_top)


def _cell(chars: Sequence[Char], rules: Sequence[Segment], page: int) -> Cell:
    tables, lines = tables_and_lines(rules, chars, page)
    return Cell(tuple(lines), tuple(tables))


def framed_rows(pages: Sequence[PageContent]) -> tuple[list[FrameRow], list[str], str]:
    """Rows of every framed page, the header labels, and the title above the first frame."""
    rows: list[FrameRow] = []
    labels: list[str] = []
    title = ""
    columns: tuple[float, ...] = ()
    for p in pages:
        # the columns of the frame on the pages before come first: a table nested in a cell that
        # continues from the page before also reaches the top of the page
        frame = (find_frame(p, columns=columns) if columns else None) or find_frame(p)
        if frame is None:
            continue
        columns = frame.xs
        cells = frame_cells(p, frame)
        header = header_texts(cells[0], p.number)
        if not labels:
            labels = header
            above = group_lines([c for c in p.chars if (c.top + c.bottom) / 2 < frame.header_top - 1], p.number)
            if above:
                big = max(ln.size for ln in above)
                title = " ".join(ln.text for ln in above if ln.size >= big - 0.5)
        elif [normalize_text(c) for c in header] != [normalize_text(c) for c in labels]:
            # the header row is not repeated on this page: its first row is content
            frame = replace(frame, row_ys=(frame.header_top, *frame.row_ys))
            rows += frame_rows(p, frame, cells)
            continue
        rows += frame_rows(p, frame, cells[1:])
    return rows, labels, title.strip()
