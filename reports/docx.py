"""The 新旧対照表 as an editable Word document (python-docx).

python-docx writes real Word tables, runs and section settings, so staff can
finish the draft in Word: A4 landscape, the header row repeated on every
page, changed words underlined on the new side and struck on the old side,
【新設】/（削除） as text.
"""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell, _Row

from pipeline.model import Comparison

from .ooxml import stable_zip
from .safetext import map_text, xml_safe
from .view import Cell, ReportConfig, build_view

_FIXED = datetime(2000, 1, 1)


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _fill(cell: _Cell, content: Cell, *, side: str, bold: bool) -> None:
    para = cell.paragraphs[0]
    if content.table is not None:
        for r, row in enumerate(content.table.rows):
            p = para if r == 0 else cell.add_paragraph()
            for c, (text, changed) in enumerate(row):
                run = p.add_run(("｜" if c else "") + text)
                run.font.size = Pt(8)
                if changed and text:
                    run.underline = side == "new"
                    run.font.strike = side == "old"
        return
    for seg in (*content.label, *content.body):
        run = para.add_run(seg.text)
        run.bold = bold or seg.mark == "marker"
        if seg.mark == "ins":
            run.underline = True
        elif seg.mark == "del":
            run.font.strike = True


def comparison_docx(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """A Word document holding the comparison table (characters XML cannot hold become U+FFFD)."""
    view = map_text(build_view(comparison, config), xml_safe)
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    style = doc.styles["Normal"]
    style.font.size = Pt(9.5)
    style.font.name = "ＭＳ 明朝"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")  # Japanese text needs the East Asian font slot
    doc.add_heading(view.title, level=1)
    names = view.wording.status_ja
    counts = "、".join(f"{names[k]} {v}" for k, v in view.summary.items())
    doc.add_paragraph(
        f"{view.wording.new_role}: {view.new_label} ／ {view.wording.old_role}: {view.old_label}　（{counts}）"
        + (f"　作成: {view.generated}" if view.generated else "")
    )
    columns = ["old", "new"] if view.config.old_left else ["new", "old"]
    if view.config.remarks:
        columns.append("remarks")
    headers = {"new": view.new_label, "old": view.old_label, "remarks": "備考"}
    widths = {"new": Mm(118), "old": Mm(118), "remarks": Mm(37)} if view.config.remarks else {"new": Mm(136), "old": Mm(136)}
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    for column, col in zip(table.columns, columns, strict=True):
        column.width = widths[col]  # the grid widths (Word and LibreOffice lay out by these)
    head = table.rows[0]
    _repeat_header(head)
    for cell, col in zip(head.cells, columns, strict=True):
        cell.width = widths[col]
        cell.paragraphs[0].add_run(headers[col]).bold = True
    for row in view.rows:
        cells = table.add_row().cells
        for cell, col in zip(cells, columns, strict=True):
            cell.width = widths[col]
            if col == "remarks":
                notes = ([names[row.status]] if row.status != "unchanged" else []) + list(row.remarks)
                cell.paragraphs[0].add_run("\n".join(notes)).font.size = Pt(8)
            else:
                _fill(cell, row.new if col == "new" else row.old, side=col, bold=row.kind == "heading")
    props = doc.core_properties
    props.title = view.title
    props.author = "plandiff"
    props.created = props.modified = props.last_printed = (
        config.now if config and config.now else (datetime.now() if view.generated else _FIXED)
    )
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())
