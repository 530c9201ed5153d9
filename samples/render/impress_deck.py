"""PowerPoint: python-pptx builds a slide deck, LibreOffice Impress prints it.

    pip install python-pptx
    apt-get install libreoffice-impress fonts-noto-cjk

Each slide has what real progress-report decks have: a title shape, label
boxes (「令和７年度KPI」) beside their content text boxes, bullets typed as
text with the label hung by a tab, real tables (result and budget tables),
a slide-number field, and decoration: a connector under the title, arrows
from the label boxes to their content, an icon-like shape in the corner.
LibreOffice stamps the creation date, so reruns differ in their metadata.
"""

from __future__ import annotations

import math
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from .office import print_document
from .style import Printed, on_slide, table_columns
from .truth import Job, slides_of

FONT = "Noto Sans CJK JP"
NAVY = RGBColor(0x1F, 0x4E, 0x79)
WIDTH, HEIGHT = 960.0, 540.0
LEFT, LABEL_W, GAP = 36.0, 176.0, 26.0
BLACK = RGBColor(0, 0, 0)


def set_font(run, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:  # type: ignore[no-untyped-def]
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if color is not None:
        run.font.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", FONT)


def add_text(frame, p: Printed, *, first: bool) -> None:  # type: ignore[no-untyped-def]
    par = frame.paragraphs[0] if first else frame.add_paragraph()
    par.space_after = Pt(3)
    if p.hang:
        ppr = par._p.get_or_add_pPr()
        ppr.set("marL", str(int(Pt(p.hang))))
        ppr.set("indent", str(int(-Pt(p.hang))))
        run = par.add_run()
        run.text = p.head.strip() + "\t" + p.text
    else:
        run = par.add_run()
        run.text = p.head + p.text
    set_font(run, p.size, bold=p.gothic, color=BLACK)


def lines_high(p: Printed, width: float) -> float:
    per_line = max(int((width - p.hang) / p.size), 1)
    return math.ceil(max(len(p.text) + len(p.head), 1) / per_line) * p.size * 1.25 + 3


def add_table(slide, rows: list[list[str]], x: float, y: float, width: float) -> float:  # type: ignore[no-untyped-def]
    ncol = len(rows[0])
    row_h = 22.0
    shape = slide.shapes.add_table(len(rows), ncol, Pt(x), Pt(y), Pt(width), Pt(row_h * len(rows)))
    table = shape.table
    widths, size = table_columns(rows, width, 12.0)
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Pt(w)
    for r, row in enumerate(rows):
        table.rows[r].height = Pt(row_h)
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Pt(2)
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = text
            set_font(run, size, bold=r == 0, color=RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else BLACK)
    return row_h * len(rows)


def box(slide, x: float, y: float, w: float, h: float, *, fill: RGBColor | None, line: RGBColor, shape=MSO_SHAPE.RECTANGLE):  # type: ignore[no-untyped-def]
    sh = slide.shapes.add_shape(shape, Pt(x), Pt(y), Pt(w), Pt(h))
    if fill is None:
        sh.fill.background()
    else:
        sh.fill.solid()
        sh.fill.fore_color.rgb = fill
    sh.line.color.rgb = line
    sh.shadow.inherit = False
    return sh


def slide_number(slide, n: int) -> None:  # type: ignore[no-untyped-def]
    tb = slide.shapes.add_textbox(Pt(WIDTH - 70), Pt(HEIGHT - 30), Pt(50), Pt(20))
    par = tb.text_frame.paragraphs[0]
    par.alignment = PP_ALIGN.RIGHT
    fld = par._p.makeelement(qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"})
    rpr = fld.makeelement(qn("a:rPr"), {"lang": "ja-JP", "sz": "1000"})
    t = fld.makeelement(qn("a:t"), {})
    t.text = str(n)
    fld.append(rpr)
    fld.append(t)
    par._p.append(fld)


def runs(items: list[dict]) -> list[dict | list[Printed]]:
    """A content box's items in order: consecutive text blocks share one text box, a table stands alone."""
    out: list[dict | list[Printed]] = []
    for b in items:
        if b["kind"] == "table":
            out.append(b)
            continue
        p = on_slide(b, size=14.0)
        if out and isinstance(out[-1], list):
            out[-1].append(p)
        else:
            out.append([p])
    return out


def text_box(slide, texts: list[Printed], x: float, y: float, w: float) -> float:  # type: ignore[no-untyped-def]
    """A framed text box holding ``texts``; returns its height."""
    h = sum(lines_high(p, w - 16) for p in texts) + 12
    frame = box(slide, x, y, w, h, fill=None, line=NAVY).text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for k, p in enumerate(texts):
        add_text(frame, p, first=k == 0)
    for par in frame.paragraphs:
        par.alignment = PP_ALIGN.LEFT
    return h


def build(job: Job, path: Path) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(WIDTH), Pt(HEIGHT)
    layout = prs.slide_layouts[5]  # Title Only
    for n, blocks in enumerate(slides_of(job.blocks), 1):
        slide = prs.slides.add_slide(layout)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Pt(LEFT), Pt(14), Pt(WIDTH - 2 * LEFT - 60), Pt(50)
        title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        run = title.text_frame.paragraphs[0].add_run()
        run.text = blocks[0].get("label", "") + blocks[0]["text"]
        set_font(run, 24, bold=True, color=NAVY)
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(LEFT), Pt(68), Pt(WIDTH - LEFT), Pt(68))
        line.line.color.rgb = NAVY
        line.line.width = Pt(2.5)
        box(slide, WIDTH - LEFT - 40, 20, 36, 36, fill=RGBColor(0xF4, 0xB1, 0x83), line=RGBColor(0xF4, 0xB1, 0x83), shape=MSO_SHAPE.OVAL)
        groups: list[tuple[str, list]] = [("", [])]
        for b in blocks[1:]:
            if b["kind"] == "heading":
                groups.append((b["text"], []))
            else:
                groups[-1][1].append(b)
        y = 82.0
        for label, items in groups:
            if not label and not items:
                continue
            x = LEFT + (LABEL_W + GAP if label else 0)
            w = WIDTH - LEFT - x
            top = y
            for part in runs(items):
                if isinstance(part, dict):
                    y += add_table(slide, part["rows"], x + 20, y, w - 40) + 8
                else:
                    y += text_box(slide, part, x, y, w) + 6
            if label:
                lb = box(slide, LEFT, top, LABEL_W, max(y - top - 6, 30), fill=NAVY, line=NAVY, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
                lb.text_frame.word_wrap = True
                lb.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
                run = lb.text_frame.paragraphs[0].add_run()
                run.text = label
                lb.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
                set_font(run, 14, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
                light = RGBColor(0x9D, 0xC3, 0xE6)
                box(slide, LEFT + LABEL_W + 4, top + 8, GAP - 8, 14, fill=light, line=light, shape=MSO_SHAPE.RIGHT_ARROW)
            y += 6
        slide_number(slide, n)
    prs.core_properties.title = job.title
    prs.core_properties.author = job.org
    prs.save(str(path))


def render(job: Job, out: Path) -> None:
    print_document(build, job, out, suffix=".pptx")
