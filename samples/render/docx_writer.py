"""Word: python-docx writes a .docx, LibreOffice Writer prints it.

    pip install python-docx          # a plandiff dependency already
    apt-get install libreoffice-writer fonts-ipaexfont

Numbered headings are text with the printed label (as most offices type
them), bullets and notes hang their label, tables are Word tables with the
header row set to repeat.  A field table is one 2-column table 分野 | 実施内容等
(one row per area, the area name in the first column); a side-by-side table
is an A4-landscape 2-column table, one row per pair row.  LibreOffice stamps
the creation date, so reruns differ in their metadata only.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .office import print_document
from .style import Printed, printed_blocks, printed_cells, table_columns
from .truth import Job, areas_of

MINCHO, GOTHIC = "IPAex明朝", "IPAexゴシック"


def set_font(run_or_style, name: str, size: float | None = None, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run_or_style.font.name = name
    if size is not None:
        run_or_style.font.size = Pt(size)
    run_or_style.font.bold = bold or None
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def add_paragraph(container, p: Printed) -> Paragraph:  # type: ignore[no-untyped-def]
    par = container.add_paragraph()
    fmt = par.paragraph_format
    fmt.space_before = Pt(4 if p.kind == "heading" else 0)
    fmt.space_after = Pt(2)
    if p.first_line_indent:
        fmt.left_indent = Pt(p.indent)
        fmt.first_line_indent = Pt(p.size)
    else:
        # the label hangs, a tab after it: wrapped lines start under the text, as Word's lists print
        fmt.left_indent = Pt(p.indent + p.hang)
        fmt.first_line_indent = Pt(-p.hang)
    face = GOTHIC if p.gothic else MINCHO
    if p.hang:
        set_font(par.add_run(p.head.strip() + "\t"), face, p.size, bold=p.bold)
        set_font(par.add_run(p.text), face, p.size, bold=p.bold)
    else:
        set_font(par.add_run(p.head + p.text), face, p.size, bold=p.bold)
    return par


def cell_borders(table) -> None:  # type: ignore[no-untyped-def]
    """Single 0.5 pt borders on every edge, as Word's 表 (格子) style has."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            e.set(qn(k), v)
        borders.append(e)
    table._tbl.tblPr.append(borders)


def set_widths(table, widths: list[float]) -> None:  # type: ignore[no-untyped-def]
    """Column widths in the grid and on every cell (LibreOffice reads the grid, Word the cells)."""
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Pt(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Pt(w)


def repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def add_table(container, rows: list[list[str]], width: float, *, indent: float = 0.0, size: float = 9.0):  # type: ignore[no-untyped-def]
    ncol = len(rows[0])
    table = container.add_table(rows=len(rows), cols=ncol)
    cell_borders(table)
    widths, size = table_columns(rows, width, size)
    for r, row in zip(table.rows, rows, strict=True):
        for cell, text in zip(r.cells, row, strict=True):
            set_font(cell.paragraphs[0].add_run(text), MINCHO, size)
    set_widths(table, widths)
    repeat_header(table.rows[0])
    if indent:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(indent * 20)))
        ind.set(qn("w:type"), "dxa")
        table._tbl.tblPr.append(ind)
    return table


def add_items(container, items: list[Printed | list[list[str]]], width: float) -> None:  # type: ignore[no-untyped-def]
    for it in items:
        if isinstance(it, Printed):
            add_paragraph(container, it)
        else:
            add_table(container, it, width - 12, indent=6)
            container.add_paragraph().paragraph_format.space_after = Pt(0)


def field(par: Paragraph, instr: str) -> None:
    """A Word field (PAGE): the office fills in the number on every page."""
    el = OxmlElement("w:fldSimple")
    el.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    el.append(run)
    par._p.append(el)


def page_setup(doc, title: str, *, landscape: bool) -> float:  # type: ignore[no-untyped-def]
    """A4 with the running title in the header and ``- N -`` in the footer; returns the text width in pt."""
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
    else:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin, sec.bottom_margin = Mm(22), Mm(20)
    set_font(doc.styles["Normal"], MINCHO, 10.5)
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(head.add_run(title), MINCHO, 8.5)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(foot.add_run("- "), MINCHO, 9)
    field(foot, "PAGE")
    set_font(foot.add_run(" -"), MINCHO, 9)
    return (sec.page_width - sec.left_margin - sec.right_margin) / 12700


def add_title(doc, title: str) -> None:  # type: ignore[no-untyped-def]
    par = doc.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par.paragraph_format.space_after = Pt(12)
    set_font(par.add_run(title), GOTHIC, 15)


def cell_items(cell: _Cell, items: list[Printed | list[list[str]]], width: float) -> None:
    """Items into a table cell; the cell's own empty first paragraph is taken by the first item."""
    add_items(cell, items, width)
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


def build(job: Job, path: Path) -> None:
    doc = new_document()
    width = page_setup(doc, job.title, landscape=job.layout == "sidebyside")
    add_title(doc, job.title)
    if job.layout == "plan":
        add_items(doc, printed_blocks(job.blocks), width)
    elif job.layout == "fieldtable":
        table = doc.add_table(rows=1, cols=2)
        cell_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, ("分野", "実施内容等"), strict=True):
            set_font(cell.paragraphs[0].add_run(text), GOTHIC, 10)
        repeat_header(table.rows[0])
        split = 92.0
        for area, blocks in areas_of(job.blocks):
            row = table.add_row()
            set_font(row.cells[0].paragraphs[0].add_run(area), GOTHIC, 10.5)
            cell_items(row.cells[1], printed_blocks(blocks, outdent=1), width - split)
        set_widths(table, [split, width - split])
    else:
        table = doc.add_table(rows=1, cols=2)
        cell_borders(table)
        for cell, text in zip(table.rows[0].cells, job.labels, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(cell.paragraphs[0].add_run(text), GOTHIC, 10.5)
        repeat_header(table.rows[0])
        left, right = printed_cells(job.rows, "left"), printed_cells(job.rows, "right")
        for litems, ritems in zip(left, right, strict=True):
            row = table.add_row()
            cell_items(row.cells[0], litems, width / 2)
            cell_items(row.cells[1], ritems, width / 2)
        set_widths(table, [width / 2, width / 2])
    doc.core_properties.title = job.title
    doc.core_properties.author = job.org
    doc.save(str(path))


def render(job: Job, out: Path) -> None:
    print_document(build, job, out, suffix=".docx")
