"""Lines → blocks: headings, bullets, numbered items, KPI statements, tags, notes, paragraphs.

A block starts at a printed label, a tag line, a change of font, a blank
line or a line that is indented differently; otherwise a line continues the
block above it when that line ran to the right edge (Japanese text wraps
only when a line is full).  Line wraps are joined without inventing spaces
or bullets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from pipeline.model import BBox, Block, BlockKind

from .lines import Line
from .numbering import Label, is_tag, split_label
from .tables import Table


@dataclass(slots=True)
class Draft:
    """A block being assembled, with the layout facts that decide its level."""

    kind: BlockKind
    label: str
    family: str
    lines: list[Line]
    text: str
    text_x: float  # where the text after the label starts
    rows: tuple[tuple[str, ...], ...] = ()
    bbox: BBox | None = None
    page: int = 0
    level: int | None = None
    groups: set[int] = field(default_factory=set)  # side-by-side rows it sits in
    # no rule closes the table there (browsers slice the borders of a row the page break cuts)
    open_top: bool = False
    open_bottom: bool = False
    runs_on: tuple[bool, ...] = ()  # see tables.Table
    cut_bottom: bool = False
    end_page: int = 0  # the last page of a table continued over pages

    @property
    def size(self) -> float:
        return self.lines[0].size if self.lines else 0.0

    @property
    def x0(self) -> float:
        return self.lines[0].x0 if self.lines else (self.bbox.x0 if self.bbox else 0.0)

    def to_block(self) -> Block:
        box = self.bbox
        if box is None and self.lines:
            box = BBox(min(ln.x0 for ln in self.lines), self.lines[0].top, max(ln.x1 for ln in self.lines), self.lines[-1].bottom)
        page = self.page or (self.lines[0].page if self.lines else 0)
        return Block(
            kind=self.kind,
            text=self.text,
            label=self.label,
            level=self.level if self.kind == "heading" else None,
            rows=self.rows,
            page=page,
            bbox=box,
        )


_CLAUSE_END = ("、", "，")
_PUSHED = 2.0  # the widest gap (× the size) a line pushed down inside a sentence leaves
_SENTENCE_END = ("。", "．", ".", "：", ":", "）", ")")
# a line that opens with a Latin word or a number, perhaps behind one character and its closing
# marks (か、2023（令和5）…): a line break cannot fall inside it, so the line above may end short
_UNBREAKABLE_START = re.compile(r".?[、。，．）」』】〕％]*[!-~]")


def body_size(lines: Sequence[Line]) -> float:
    """The font size most characters are printed in."""
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.5


def body_weight(lines: Sequence[Line]) -> int:
    """The weight class most characters are printed in: only a heavier face stands out."""
    weights: Counter[int] = Counter()
    for ln in lines:
        weights[ln.weight] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 0


def right_edge(lines: Sequence[Line]) -> float:
    """The right margin of the text column (where full lines end)."""
    long = [ln.x1 for ln in lines if len(ln.text) >= 15]
    if not long:
        return max((ln.x1 for ln in lines), default=0.0)
    long.sort()
    return long[int(0.9 * (len(long) - 1))]


_LEADING_SAMPLES = 2  # wraps needed to learn a column's spacing from (one alone may be a heading above its text)


def body_leading(lines: Sequence[Line], edge: float) -> float:
    """The usual gap between a wrapped line and the next, as a share of the font size (0.0: too few wraps to tell).

    Measured where a line runs to the margin ``edge`` and the next one, in
    the same size, opens with no label: the text of one paragraph.  Offices
    set anything from single spacing (a gap of 0.1) to double (1.0).
    """
    gaps = sorted(
        (b.top - a.bottom) / a.size
        for a, b in pairwise(lines)
        if a.page == b.page
        and a.x1 >= edge - a.size
        and abs(a.size - b.size) <= 0.6
        and -0.5 * a.size < b.top - a.bottom < 2.5 * a.size
        and split_label(b.text) is None
    )
    # the lower median: a wrap may be followed by extra space (a paragraph's, a heading's), never by less
    return gaps[(len(gaps) - 1) // 2] if len(gaps) >= _LEADING_SAMPLES else 0.0


def join_text(a: str, b: str) -> str:
    """Join a wrapped line: no space, except between two Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _text_x(line: Line, label: Label | None) -> float:
    if label is None:
        return line.text_x0
    # first visible character after the label
    seen = 0
    want = len(label.label.replace(" ", ""))
    for c in line.chars:
        if c.text.isspace():
            continue
        if seen >= want:
            return c.x0
        seen += 1
    return line.x1


AREA = "area"  # the family prefix of headings that outrank everything inside them


def area_heading(lines: Sequence[Line]) -> Draft:
    """A heading that outranks everything inside it (a field table's area, a slide's title).

    Its printed numbering, if any, becomes the label, and its family says
    which: ２． and （１） slide titles nest by the order they come in (see
    levels.assign_levels); all outrank the headings inside them (see
    document.finish_document).
    """
    text = "".join(ln.text for ln in lines)
    label = split_label(text)
    if label is not None and label.kind == "numbering":
        return Draft("heading", label.label, f"{AREA}:{label.family}", list(lines), label.rest, lines[0].x0)
    return Draft("heading", "", AREA, list(lines), text, lines[0].x0)


class BlockBuilder:
    """Turns a stream of lines and tables (one column, reading order) into drafts."""

    def __init__(self, *, size: float, edge: float, heading_size_delta: float = 0.75, weight: int = 0, leading: float = 0.0) -> None:
        self.size = size
        self.edge = edge
        # a gap wider than this (× the font size) is a blank line or a paragraph's spacing: a line
        # height, or half as much again as the usual gap between wrapped lines where that is wider
        # (double-spaced text: wraps a line height apart, paragraphs further)
        self.blank = max(1.0, 1.5 * leading)
        self.delta = heading_size_delta
        self.weight = weight  # the body's weight class
        self.drafts: list[Draft] = []
        self._open: Draft | None = None
        # the numbering family of the items of the KPI statement above (■ KPI：１）…), if any, and how it is set
        self._kpi_items: str | None = None
        self._kpi_style = (0, 0.0)

    # -- classification --------------------------------------------------

    def _start(self, line: Line, label: Label | None) -> Draft:
        d = self._classify(line, label)
        if d.kind == "kpi" and d.label:
            inner = split_label(d.text)
            self._kpi_items = inner.family if inner is not None and inner.kind == "numbering" else None
            self._kpi_style = (line.weight, line.size)
        elif d.kind not in ("kpi", "note"):
            self._kpi_items = None
        return d

    def _styled_as_kpi(self, line: Line) -> bool:
        weight, size = self._kpi_style
        return line.weight == weight and abs(line.size - size) <= 0.6

    def _classify(self, line: Line, label: Label | None) -> Draft:
        text = line.text
        big = line.size >= self.size + self.delta
        emph = line.weight > self.weight or big
        if label is None and is_tag(text):
            kind: BlockKind = "heading" if big else "tag"
            return Draft(kind, "", "", [line], text, line.text_x0)
        if label is not None and label.kind == "kpi":
            return Draft("kpi", label.label, label.family, [line], label.rest, _text_x(line, label))
        if label is not None and label.kind == "note":
            return Draft("note", label.label, label.family, [line], label.rest, _text_x(line, label))
        if label is not None and label.family == self._kpi_items and (not emph or self._styled_as_kpi(line)):
            # ２）… under ■ KPI：１）…: the next target of the same statement
            return Draft("kpi", "", "KPI", [line], text, _text_x(line, label))
        if label is not None:
            kind = "heading" if emph else "bullet" if label.kind == "bullet" else "numbered"
            return Draft(kind, label.label, label.family, [line], label.rest, _text_x(line, label))
        kind = "heading" if emph and len(text) <= 80 else "paragraph"
        return Draft(kind, "", "", [line], text, line.text_x0)

    def _continues(self, d: Draft, line: Line, label: Label | None) -> bool:
        if d.kind in ("table", "tag"):
            return False
        prev = d.lines[-1]
        if line.weight != prev.weight or abs(line.size - prev.size) > 0.6:
            return False
        slack = 2.2 * prev.size
        if prev.text[-1:].isascii() or _UNBREAKABLE_START.match(line.text):
            slack = 5.0 * prev.size
        full = prev.x1 >= self.edge - slack
        gap = line.top - prev.bottom if line.page == prev.page else 0.0
        # a blank line parts two blocks; not a sentence cut where the line above ran to the margin:
        # QtWebKit pushes a line that would cross its page break down, a line height or so
        pushed = full and not prev.text.endswith(_SENTENCE_END) and gap <= _PUSHED * line.size
        if gap > self.blank * line.size and not pushed:
            return False
        if not full and not prev.text.endswith(_CLAUSE_END):
            # the line above did not run to the margin: no wrap, unless it stops at a comma
            # (、 ends no paragraph or item: the writer broke the line by hand)
            return False
        tol = 0.6 * line.size
        if d.label and line.x0 < d.lines[0].x0 - tol:
            return False  # an item's wraps never start left of its own label (only a paragraph's first line is indented)
        wrap_x = d.lines[1].x0 if len(d.lines) >= 2 else None
        aligned = abs(line.x0 - wrap_x) <= tol if wrap_x is not None else line.x0 <= d.text_x + tol
        if label is None and not is_tag(line.text):
            return aligned
        if line.text.startswith("【"):
            return False  # 【重要度：高】 stands on a line of its own, never as a wrap
        if label is not None and label.kind == "kpi":
            return False  # a KPI statement always starts an item
        if label is not None and prev.text.endswith(_SENTENCE_END):
            return False  # a numbered line, bullet or note after a finished sentence starts an item
        # A wrap can put 11）, ・, ※1 or （…） at the start of a line.  It is a wrap only
        # where the block's wrapped lines sit, apart from where its first line starts.
        return aligned and abs(line.x0 - d.lines[0].x0) > 0.5 * line.size

    # -- feeding ---------------------------------------------------------

    def add_line(self, line: Line) -> Draft:
        """Feed the next line; returns the draft it went to."""
        label = split_label(line.text)
        d = self._open
        if d is not None and self._continues(d, line, label):
            d.lines.append(line)
            d.text = join_text(d.text, line.text)
            return d
        self.close()
        self._open = self._start(line, label)
        return self._open

    def add_table(self, table: Table) -> Draft:
        self.close()
        d = Draft("table", "", "", [], "", table.bbox.x0, rows=table.rows, bbox=table.bbox, page=table.page)
        d.open_top, d.open_bottom = table.open_top, table.open_bottom
        d.runs_on, d.cut_bottom = table.runs_on, table.cut_bottom
        self.drafts.append(d)
        return d

    @property
    def open(self) -> Draft | None:
        """The block still taking lines, if any."""
        return self._open

    def close(self) -> None:
        if self._open is not None:
            self.drafts.append(self._open)
            self._open = None

    def finish(self) -> list[Draft]:
        self.close()
        return self.drafts
