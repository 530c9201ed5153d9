"""What every layout shares: pages → lines and tables → drafts → a document.

A layout module decides which lines go into which column and where sections
start; the steps here turn them into blocks the same way for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import Block, Document

from .blocks import AREA, BlockBuilder, Draft, body_leading, body_size, body_weight, join_text, right_edge
from .config import ExtractConfig
from .furniture import strip_furniture
from .levels import HeadingFacts, assign_levels
from .lines import Line
from .page import PageContent
from .tables import Table, goes_on, tables_and_lines


@dataclass(frozen=True, slots=True)
class PageItems:
    """A page's body lines and tables, furniture removed."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    tables: tuple[Table, ...]


def read_pages(pages: Sequence[PageContent], config: ExtractConfig) -> list[PageItems]:
    """Lines and tables of every page, running headers/footers dropped."""
    raw: list[list[Line]] = []
    tables: list[list[Table]] = []
    for p in pages:
        ts, lines = tables_and_lines(p.rules, p.chars, p.number)
        raw.append(lines)
        tables.append(ts)
    body = strip_furniture(raw, [p.height for p in pages], margin=config.header_margin)
    return [PageItems(p.number, p.width, p.height, tuple(ls), tuple(ts)) for p, ls, ts in zip(pages, body, tables, strict=True)]


def stitch_tables(drafts: list[Draft]) -> list[Draft]:
    """Join a table continued on the next page (same columns, header row repeated)."""
    out: list[Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if (
            d.kind == "table"
            and prev is not None
            and prev.kind == "table"
            and d.page == (prev.end_page or prev.page) + 1
            and d.rows
            and prev.rows
            and len(d.rows[0]) == len(prev.rows[0])
            and prev.bbox is not None
            and d.bbox is not None
            and abs(d.bbox.x0 - prev.bbox.x0) < 3
            and abs(d.bbox.x1 - prev.bbox.x1) < 3
        ):
            repeated = d.rows[0] == prev.rows[0]  # the header row, printed again at the top of the page
            rows = d.rows[1:] if repeated else d.rows
            # (under a repeated header the rest of the row starts below the header's rule: its top is not open)
            opened = prev.open_bottom and (d.open_top or repeated) and any(prev.runs_on)
            if rows and (opened or goes_on(prev.runs_on, prev.cut_bottom, rows[0])):
                # the row the page break cut, its two halves one row: open at the break on both pages (as
                # browsers slice its borders) with some cell's text running on — a cut may fall between
                # two items of a cell, and LibreOffice also leaves a nested table open where it breaks
                # between two of its rows, whose text is finished — or closed there with a cell against
                # the rule (as Word and LibreOffice close it) and text only under cells that run on
                cut = tuple(join_text(a, b) for a, b in zip(prev.rows[-1], rows[0], strict=True))
                prev.rows = (*prev.rows[:-1], cut)
                rows = rows[1:]
            prev.rows = prev.rows + rows
            prev.groups |= d.groups
            prev.open_bottom, prev.runs_on, prev.cut_bottom = d.open_bottom, d.runs_on, d.cut_bottom
            prev.end_page = d.page
            continue
        out.append(d)
    return out


def take_title(items: list[PageItems], size: float, *, margin: float = 0.08) -> tuple[str, list[PageItems]]:
    """The title: the large lines near the top of the first page.

    Small lines above it in the top margin are a running header (a one-page
    plan has no second page to show that they repeat) and are dropped.
    """
    if not items or not items[0].lines:
        return "", items
    first = items[0]
    lines = list(first.lines)
    top_table = min((t.bbox.top for t in first.tables), default=1e9)
    head = [ln for ln in lines[:6] if ln.top < top_table and ln.top < first.height / 3]
    biggest = max((ln.size for ln in head), default=0.0)
    if biggest < size + 2.5:
        return "", items
    start = next(i for i, ln in enumerate(lines) if ln.size == biggest)
    if any(ln.top >= margin * first.height for ln in lines[:start]):
        return "", items
    end = start
    while end < len(lines) and lines[end].size >= biggest - 0.5 and lines[end].top < top_table:
        end += 1
    text = " ".join(ln.text for ln in lines[start:end])
    rest = tuple(lines[end:])
    return text, [PageItems(first.number, first.width, first.height, rest, first.tables), *items[1:]]


def builder_for(lines: Sequence[Line], config: ExtractConfig, *, size: float | None = None, weight: int | None = None) -> BlockBuilder:
    """A block builder for one column, tuned to its right margin and (unless given) its body size and weight."""
    size = body_size(lines) if size is None else size
    weight = body_weight(lines) if weight is None else weight
    edge = right_edge(lines)
    return BlockBuilder(
        size=size, edge=edge, heading_size_delta=config.heading_size_delta, weight=weight, leading=body_leading(lines, edge)
    )


def build_drafts(items: Sequence[PageItems], config: ExtractConfig, *, size: float | None = None) -> list[Draft]:
    """Blocks of one column in reading order (tables placed by their top)."""
    builder = builder_for([ln for it in items for ln in it.lines], config, size=size)
    for it in items:
        feed(builder, it.lines, it.tables)
    return stitch_tables(builder.finish())


def feed(builder: BlockBuilder, lines: Sequence[Line], tables: Sequence[Table]) -> list[Draft]:
    """Feed one region's lines and tables in reading order; returns the drafts they went to."""
    stream: list[tuple[float, int, Line | Table]] = [(ln.top, 1, ln) for ln in lines]
    stream += [(t.bbox.top, 0, t) for t in tables]
    stream.sort(key=lambda s: (s[0], s[1]))
    touched: list[Draft] = []
    for _, _, obj in stream:
        d = builder.add_table(obj) if isinstance(obj, Table) else builder.add_line(obj)
        if not touched or touched[-1] is not d:
            touched.append(d)
    return touched


def promote_numbered_headings(drafts: list[Draft], *, max_chars: int = 40) -> None:
    """Headings printed in the body's font: short numbered lines that are not sentences.

    Where no numbered heading was told apart by its font, every such line; otherwise
    those the next block is set deeper than (an office that sets its upper headings
    larger and its lower ones as the body is: （２）サービスの質の向上 with ① under it).
    """
    everywhere = not any(d.kind == "heading" and d.label for d in drafts)
    for k, d in enumerate(drafts):
        if d.kind != "numbered" or len(d.lines) != 1 or len(d.text) > max_chars or d.text.rstrip().endswith(("。", "．", ".")):
            continue
        if everywhere or (k + 1 < len(drafts) and drafts[k + 1].x0 > d.x0 + 0.5 * d.lines[0].size):
            d.kind = "heading"


def finish_document(drafts: list[Draft], *, title: str = "", label: str = "") -> Document:
    """Give headings their levels and freeze the drafts into a document."""
    promote_numbered_headings(drafts)
    heads = [d for d in drafts if d.kind == "heading"]
    # a field table's area, a slide's title (family "area…") outranks every heading inside it
    facts = [
        HeadingFacts(d.family or f"~{round(d.size * 2) / 2}", 1e3 if d.family.startswith(AREA) else d.size, d.x0, labelled=bool(d.label))
        for d in heads
    ]
    for d, level in zip(heads, assign_levels(facts), strict=True):
        d.level = level
    blocks: list[Block] = [d.to_block() for d in drafts]
    return Document(blocks=tuple(blocks), title=title, label=label)
