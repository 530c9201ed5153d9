"""reportlab: plans, field tables, side-by-side tables and slide decks drawn on a canvas.

    pip install 'plandiff[samples]'   # reportlab; fonts: apt-get install fonts-ipaexfont

IPAex Gothic and Mincho embedded as TrueType subsets; every table edge is one
long stroked line; ``invariant=1`` makes reruns byte-identical.  This is the
producer of the bundled samples (``samples/*.pdf``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .fonts import IPAEX
from .style import table_columns
from .truth import Job, heading_levels, slides_of

FONTS = {"G": IPAEX["gothic"], "M": IPAEX["mincho"]}
NO_LINE_START = "、。，．）」』】％"


def register_fonts() -> None:
    """IPAex as ``G`` (Gothic) and ``M`` (Mincho); once per process."""
    for name, path in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))


# -- layout --------------------------------------------------------------


@dataclass
class Draw:
    """One printed line (or a table) positioned relative to its column."""

    font: str
    size: float
    dx: float
    text: str
    height: float
    table: list[list[str]] | None = None


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, first: float, rest: float) -> list[str]:
    """Greedy wrap by character (Japanese), keeping closing punctuation off line starts; a newline ends a line."""
    lines: list[str] = []
    cur = ""
    limit = first
    for ch in text:
        if ch == "\n":
            lines.append(cur)
            cur = ""
            limit = rest
            continue
        if width(cur + ch, font, size) > limit and cur and ch not in NO_LINE_START:
            lines.append(cur)
            cur = ""
            limit = rest
        cur += ch
    if cur:
        lines.append(cur)
    return lines


def layout_block(b: dict, colw: float, indent: float) -> list[Draw]:
    """A block as printed lines in a column ``colw`` wide, body indented by ``indent``."""
    kind = b["kind"]
    if kind == "table":
        return [Draw("M", 9.0, indent, "", 0.0, table=b["rows"])]
    if kind == "heading":
        size = {1: 12.0, 2: 11.0}.get(b["level"], 10.5)
        font = "G"
        dx = 10.5 * (b["level"] - 1)
    else:
        size = 9.5 if kind == "note" else 10.5
        font = "G" if kind in ("kpi", "tag") else "M"
        dx = indent
    label = b.get("label", "")
    text = b["text"]
    lead = size * 1.6
    avail = colw - dx
    if kind == "paragraph":
        lines = wrap(text, font, size, avail - size, avail)
        return [Draw(font, size, dx + (size if i == 0 else 0), ln, lead) for i, ln in enumerate(lines)]
    head = label + (" " if label and kind in ("bullet", "kpi", "note", "heading") and not label.endswith("：") else "")
    hang = width(head, font, size)
    lines = wrap(text, font, size, avail - hang, avail - hang)
    out = [Draw(font, size, dx, head + lines[0], lead)]
    out += [Draw(font, size, dx + hang, ln, lead) for ln in lines[1:]]
    out[-1].height += 2.0
    return out


def body_indent(blocks: list[dict]) -> list[float]:
    """Body items sit one step right of the heading above them."""
    return [10.5 * level for level in heading_levels(blocks)]


def table_height(rows: list[list[str]], widths: list[float], size: float) -> list[float]:
    hs = []
    for r in rows:
        n = max(len(wrap(c, "M", size, w - 6, w - 6)) or 1 for c, w in zip(r, widths, strict=True))
        hs.append(n * size * 1.5 + 6)
    return hs


def rows_that_fit(rows: list[list[str]], w: float, size: float, room: float) -> int:
    """How many leading rows of a table ``w`` wide fit in ``room`` pt: a table taller than the room breaks between rows."""
    widths, size = table_columns(rows, w, size)
    used = 4.0
    for n, h in enumerate(table_height(rows, widths, size)):
        used += h
        if used > room:
            return n
    return len(rows)


def draw_table(c: Canvas, rows: list[list[str]], x: float, y: float, w: float, size: float = 9.0) -> float:
    """Draw a ruled table with its top at ``y``; returns the height used."""
    widths, size = table_columns(rows, w, size)
    heights = table_height(rows, widths, size)
    c.setLineWidth(0.6)
    top = y
    for r, h in zip(rows, heights, strict=True):
        xx = x
        for cell, cw in zip(r, widths, strict=True):
            c.setFont("M", size)
            for k, ln in enumerate(wrap(cell, "M", size, cw - 6, cw - 6)):
                c.drawString(xx + 3, top - 3 - size - k * size * 1.5, ln)
            xx += cw
        c.line(x, top, x + w, top)
        top -= h
    c.line(x, top, x + w, top)
    xx = x
    for cw in [0.0, *widths]:
        xx += cw
        c.line(xx, y, xx, top)
    return y - top


# -- renderers -----------------------------------------------------------


def new_canvas(path: Path, title: str, author: str, size: tuple[float, float]) -> Canvas:
    c = Canvas(str(path), pagesize=size, invariant=1)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("plandiff samples/make_samples.py")  # the name it had: the bundled PDFs stay byte-identical
    return c


def render_plan(path: Path, title: str, org: str, blocks: list[dict], *, stroked_bold: bool = False, plain: bool = False) -> None:
    """A single-column plan.  ``stroked_bold``: headings in Mincho made bold by
    stroking the outlines, as Word prints bold for a face without a bold weight.
    ``plain``: one font and size for everything (headings told only by their numbering)."""
    pw, ph = A4
    left, right, top, bottom = 70.0, pw - 62.0, 62.0, ph - 60.0
    c = new_canvas(path, title, org, A4)
    page = 1

    def furniture() -> None:
        c.setFont("M", 8.5)
        c.drawRightString(right, ph - 36, title)
        c.setFont("M", 9)
        c.drawCentredString(pw / 2, 36, f"- {page} -")

    furniture()
    y = top
    c.setFont("G", 15)
    c.drawCentredString(pw / 2, ph - y - 15, title)
    y += 40
    for b, indent in zip(blocks, body_indent(blocks), strict=True):
        if b["kind"] == "heading" and y > top + 10:
            y += 6
        for d in layout_block(b, right - left, indent):
            if d.table is not None:
                rows = d.table
                widths_w = right - left - d.dx
                while rows:
                    widths, size = table_columns(rows, widths_w, d.size)
                    hs = table_height(rows, widths, size)
                    fit = 0
                    used = 0.0
                    while fit < len(rows) and y + used + hs[fit] <= bottom:
                        used += hs[fit]
                        fit += 1
                    if fit < min(2, len(rows)) and y > top:  # not even the header and one row: next page
                        c.showPage()
                        page += 1
                        furniture()
                        y = top
                        continue
                    fit = max(fit, min(2, len(rows)))  # on a fresh page the header and one row go in even when too tall
                    part = rows[:fit]
                    y += draw_table(c, part, left + d.dx, ph - y, widths_w, d.size) + 8
                    rows = [rows[0], *rows[fit:]] if fit < len(rows) else []
                continue
            if y + d.height > bottom:
                c.showPage()
                page += 1
                furniture()
                y = top
            if plain:
                c.setFont("M", 10.5)
                c.drawString(left + d.dx, ph - y - 10.5, d.text)
            elif stroked_bold and d.font == "G":
                t = c.beginText(left + d.dx, ph - y - d.size)
                t.setFont("M", d.size)
                t.setTextRenderMode(2)  # fill and stroke
                t.textOut(d.text)
                t.setTextRenderMode(0)  # Tr outlives the text object: reset it
                c.setLineWidth(0.3)
                c.drawText(t)
            else:
                c.setFont(d.font, d.size)
                c.drawString(left + d.dx, ph - y - d.size, d.text)
            y += d.height
    c.showPage()
    c.save()


def render_fieldtable(path: Path, title: str, org: str, blocks: list[dict]) -> None:
    """分野 | 実施内容等: each level-1 heading in the first column, repeated on every page."""
    pw, ph = A4
    left, split, right, top, bottom = 48.0, 140.0, pw - 48.0, 60.0, ph - 56.0
    c = new_canvas(path, title, org, A4)
    state = {"page": 1, "y": top, "area": "", "area_top": top, "area_bottom": top}

    def header() -> None:
        c.setFont("M", 8.5)
        c.drawRightString(right, ph - 34, title)
        c.setFont("M", 9)
        c.drawCentredString(pw / 2, 30, f"- {state['page']} -")
        y = state["y"]
        if state["page"] == 1:
            c.setFont("G", 15)
            c.drawCentredString(pw / 2, ph - y - 15, title)
            y += 34
        c.setLineWidth(0.6)
        c.setFont("G", 10)
        c.drawString(left + 4, ph - y - 14, "分野")
        c.drawString(split + 4, ph - y - 14, "実施内容等")
        c.line(left, ph - y, right, ph - y)
        state["frame_top"] = y
        y += 20
        c.line(left, ph - y, right, ph - y)
        state["y"] = y
        state["area_top"] = y
        draw_area()

    def draw_area() -> None:
        c.setFont("G", 10.5)
        lines = wrap(state["area"], "G", 10.5, split - left - 8, split - left - 8)
        for k, ln in enumerate(lines):
            c.drawString(left + 4, ph - state["area_top"] - 14 - k * 16, ln)
        state["area_bottom"] = state["area_top"] + 4 + len(lines) * 16  # a row is at least as tall as its area name

    def close_page() -> None:
        y = max(state["y"], state["area_bottom"]) + 4
        c.line(left, ph - y, right, ph - y)
        for x in (left, split, right):
            c.line(x, ph - state["frame_top"], x, ph - y)
        c.showPage()
        state["page"] += 1
        state["y"] = top

    header()
    colw = right - split - 8
    for b, indent in zip(blocks, body_indent(blocks), strict=True):
        if b["kind"] == "heading" and b["level"] == 1:
            if state["area"]:
                y = max(state["y"], state["area_bottom"]) + 4
                c.line(left, ph - y, right, ph - y)
                state["y"] = y + 4
                if state["y"] + 40 > bottom:
                    close_page()
                    state["area"] = b["label"] + b["text"]
                    header()
                    continue
            state["area"] = b["label"] + b["text"]
            state["area_top"] = state["y"]
            draw_area()
            continue
        for d in layout_block(b, colw, max(indent - 10.5, 0)):
            if d.table is not None:
                rows = d.table
                while rows:
                    fit = rows_that_fit(rows, colw, d.size, bottom - state["y"])
                    if not fit:
                        close_page()
                        header()
                        fit = max(rows_that_fit(rows, colw, d.size, bottom - state["y"]), 1)
                    state["y"] += draw_table(c, rows[:fit], split + 4, ph - state["y"] - 4, colw, d.size) + 10
                    rows = rows[fit:]
                continue
            if state["y"] + d.height + 4 > bottom:
                close_page()
                header()
            c.setFont(d.font, d.size)
            c.drawString(split + 4 + max(d.dx - 10.5, 0), ph - state["y"] - 4 - d.size, d.text)
            state["y"] += d.height
    close_page()
    c.save()


def render_sidebyside(path: Path, title: str, labels: tuple[str, str], rows: list[dict]) -> None:
    """A4 landscape 新旧対照表: header row on every page, rows breaking across pages."""
    pw, ph = landscape(A4)
    left, mid, right, top, bottom = 40.0, pw / 2, pw - 40.0, 50.0, ph - 40.0
    colw = mid - left - 12
    c = new_canvas(path, title, "", (pw, ph))
    state = {"page": 1, "y": top}

    def header() -> None:
        y = state["y"]
        c.setFont("M", 9)
        c.drawCentredString(pw / 2, 22, f"- {state['page']} -")
        if state["page"] == 1:
            c.setFont("G", 14)
            c.drawCentredString(pw / 2, ph - y - 14, title)
            y += 30
        c.setLineWidth(0.6)
        c.line(left, ph - y, right, ph - y)
        c.setFont("G", 10.5)
        c.drawCentredString((left + mid) / 2, ph - y - 15, labels[0])
        c.drawCentredString((mid + right) / 2, ph - y - 15, labels[1])
        y += 22
        c.line(left, ph - y, right, ph - y)
        state["y"] = y
        state["body"] = y
        state["table_top"] = y - 22

    def close_page() -> None:
        for x in (left, mid, right):
            c.line(x, ph - state["table_top"], x, ph - state["y"])
        c.showPage()
        state["page"] += 1
        state["y"] = top

    def cell_lines(blocks: list[dict], indents: list[float]) -> list[Draw]:
        out: list[Draw] = []
        for b, ind in zip(blocks, indents, strict=True):
            out += layout_block(b, colw, ind)
        return out

    header()
    lvl = {"L": 0, "R": 0}
    for row in rows:
        cells = []
        for side, key in (("L", "left"), ("R", "right")):
            ind = []
            for b in row[key]:
                if b["kind"] == "heading":
                    lvl[side] = b["level"]
                ind.append(10.5 * lvl[side])
            cells.append(cell_lines(row[key], ind))
        pending = [list(cells[0]), list(cells[1])]
        while pending[0] or pending[1]:
            y0 = state["y"] + 4
            fresh = state["y"] == state["body"]  # an item taller than a whole page goes in anyway, overflowing
            heights = [0.0, 0.0]
            for k, x in ((0, left + 6), (1, mid + 6)):
                y = y0
                while pending[k]:
                    d = pending[k][0]
                    if d.table is not None:
                        fit = rows_that_fit(d.table, colw - d.dx, d.size, bottom - y)
                        if not fit and not (fresh and y == y0):
                            break
                        fit = max(fit, 1)
                        y += draw_table(c, d.table[:fit], x + d.dx, ph - y, colw - d.dx, d.size) + 6
                        if fit < len(d.table):
                            pending[k][0] = replace(d, table=d.table[fit:])
                            break
                        pending[k].pop(0)
                        continue
                    if y + d.height > bottom and not (fresh and y == y0):
                        break
                    pending[k].pop(0)
                    c.setFont(d.font, d.size)
                    c.drawString(x + d.dx, ph - y - d.size, d.text)
                    y += d.height
                heights[k] = y - y0
            state["y"] = y0 + max(heights) + 2
            if pending[0] or pending[1]:
                close_page()
                header()
        c.line(left, ph - state["y"], right, ph - state["y"])
    close_page()
    c.save()


def render_slides(path: Path, title: str, org: str, blocks: list[dict]) -> None:
    """A 16:9 slide deck: one slide per numbered heading, boxed sections, ruled tables."""
    pw, ph = 960.0, 540.0
    left, right = 48.0, pw - 48.0
    c = new_canvas(path, title, org, (pw, ph))
    for n, slide in enumerate(slides_of(blocks), 1):
        head = slide[0]
        c.setFillColorRGB(0.85, 0.9, 1.0)
        c.rect(0, ph - 70, pw, 70, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("G", 22)
        c.drawString(left, ph - 48, head["label"] + head["text"])
        c.setFont("M", 10)
        c.drawRightString(pw - 24, 16, str(n))
        y = 96.0
        box_top = None
        for b in slide[1:]:
            if b["kind"] == "heading":
                if box_top is not None:
                    c.rect(left - 8, ph - y + 4, right - left + 16, y - box_top - 4, stroke=1, fill=0)
                y += 8
                c.setFont("G", 15)
                c.drawString(left, ph - y - 15, b["text"])
                y += 26
                box_top = y - 4
                continue
            if b["kind"] == "table":
                if box_top is not None:
                    c.rect(left - 8, ph - y + 4, right - left + 16, y - box_top - 4, stroke=1, fill=0)
                    box_top = None
                y += 8
                y += draw_table(c, b["rows"], left + 40, ph - y, right - left - 80, 12) + 10
                continue
            size = 11.0 if b["kind"] == "note" else 13.0
            font = "G" if b["kind"] == "kpi" else "M"
            head_txt = b.get("label", "") + (" " if b.get("label") and not b["label"].endswith("：") else "")
            hang = width(head_txt, font, size)
            lines = wrap(b["text"], font, size, right - left - hang, right - left - hang)
            c.setFont(font, size)
            for k, ln in enumerate(lines):
                c.drawString(left + (0 if k == 0 else hang), ph - y - size, (head_txt if k == 0 else "") + ln)
                y += size * 1.6
            y += 2
        if box_top is not None:
            c.rect(left - 8, ph - y + 4, right - left + 16, y - box_top - 4, stroke=1, fill=0)
        c.showPage()
    c.save()


def render(job: Job, out: Path) -> None:
    """Print ``job`` to ``out``; a plan of 本部 gets stroked (Word-style) bold headings, as the bundled HQ sample has."""
    register_fonts()
    if job.layout == "plan":
        render_plan(out, job.title, job.org, job.blocks, stroked_bold=job.org == "本部")
    elif job.layout == "fieldtable":
        render_fieldtable(out, job.title, job.org, job.blocks)
    elif job.layout == "sidebyside":
        render_sidebyside(out, job.title, job.labels, job.rows)
    else:
        render_slides(out, job.title, job.org, job.blocks)
