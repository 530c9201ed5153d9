"""How a block is printed, shared by the producers that lay text out themselves (Word, Chromium, Typst, Impress).

Sizes, faces and indents follow the reportlab samples: headings in Gothic,
one 10.5 pt step of indent per heading level, body items one step right of
their heading, a bullet's or note's label hung before its text.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace

from .truth import heading_levels

STEP = 10.5


@dataclass(frozen=True)
class Printed:
    """One block as a paragraph: ``head`` (label and space) hangs before ``text``, or the first line is indented."""

    kind: str
    head: str
    text: str
    gothic: bool
    bold: bool
    size: float
    indent: float
    first_line_indent: bool

    @property
    def hang(self) -> float:
        """Width (pt) the label hangs in: the label's own width rounded up to a half em, plus half an em of gap; 0 without a label."""
        label = self.head.strip()
        if not label or self.first_line_indent:
            return 0.0
        ems = sum(1.0 if unicodedata.east_asian_width(ch) in "FWA" else 0.6 for ch in label)
        return (math.ceil(ems * 2) / 2 + 0.5) * self.size


def printed(block: dict, level: int) -> Printed:
    """``block`` under a heading of ``level`` (0 before the first one)."""
    kind = block["kind"]
    label = block.get("label", "")
    spaced = label and kind in ("bullet", "kpi", "note", "heading") and not label.endswith("：")
    head = label + (" " if spaced else "")
    if kind == "heading":
        size = {1: 12.0, 2: 11.0}.get(block["level"], 10.5)
        return Printed(kind, head, block["text"], True, True, size, STEP * (block["level"] - 1), False)
    size = 9.5 if kind == "note" else 10.5
    return Printed(kind, head, block["text"], kind in ("kpi", "tag"), False, size, STEP * level, kind == "paragraph")


def on_slide(block: dict, *, size: float, indent: float = 0.0) -> Printed:
    """A block in a slide's content box: one size for the text (a note smaller), KPIs and tags in Gothic, no heading indent."""
    p = printed(block, 0)
    return replace(p, gothic=p.kind in ("kpi", "tag"), bold=False, size=size - 2 if p.kind == "note" else size, indent=indent)


def printed_blocks(blocks: list[dict], *, outdent: int = 0) -> list[Printed | list[list[str]]]:
    """Every block of a column: a ``Printed`` paragraph or a table's rows; ``outdent`` heading levels taken off every indent."""
    out: list[Printed | list[list[str]]] = []
    for b, level in zip(blocks, heading_levels(blocks), strict=True):
        if b["kind"] == "table":
            out.append(b["rows"])
            continue
        p = printed(b, level)
        out.append(replace(p, indent=max(p.indent - STEP * outdent, 0.0)))
    return out


def printed_cells(rows: list[dict], side: str) -> list[list[Printed | list[list[str]]]]:
    """One side of a side-by-side truth, cell by cell: indents follow the headings of that side across rows."""
    flat = printed_blocks([b for row in rows for b in row[side]])
    out = []
    for row in rows:
        out.append(flat[: len(row[side])])
        flat = flat[len(row[side]) :]
    return out


def table_columns(rows: list[list[str]], width: float, size: float) -> tuple[list[float], float]:
    """Column widths (pt) and font size of a table ``width`` wide.

    Up to four columns the first takes 40 % (60 % of two) and the others
    share the rest; a wider table (KPI一覧表 with a column per year and
    office) shares the width by each column's longest cell and prints in a
    smaller size, as offices shrink such tables to fit the page.
    """
    ncol = len(rows[0])
    if ncol == 1:
        return [width], size
    if ncol <= 4:
        first = width * (0.4 if ncol > 2 else 0.6)
        return [first] + [(width - first) / (ncol - 1)] * (ncol - 1), size
    longest = [min(max(len(r[k]) for r in rows), 16) + 2 for k in range(ncol)]
    return [width * n / sum(longest) for n in longest], min(size, 6.5)
