"""The 新旧対照表 as an editable Word document (python-docx).

python-docx writes real Word tables, runs and section settings, so staff can
finish the draft in Word: A4 landscape, the header row repeated on every
page, the title and the page number (a PAGE field) in every page's footer,
a 凡例, changed words underlined on both sides (or struck on the old side
with ``old_marks="strike"``), 【新設】/（削除） as text, wrapped items with a
hanging indent and KPI/budget tables as tables inside their cell.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pipeline.model import Comparison

from .ooxml import stable_zip
from .safetext import map_text, xml_safe
from .view import Cell, Mark, ReportConfig, ReportView, build_view

_FIXED = datetime(2000, 1, 1)
_BODY_PT = 9.5


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _mark(run: Run, mark: Mark, view: ReportView) -> None:
    if mark == "ins" or (mark == "del" and view.config.old_marks == "underline"):
        run.underline = True
    elif mark == "del":
        run.font.strike = True
    elif mark == "marker":
        run.bold = True


def _width_pt(text: str, size: float) -> float:
    """The printed width of a label: full-width characters one em, the rest half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size / 2 for ch in text)


def _fill(cell: _Cell, content: Cell, *, side: str, bold: bool, view: ReportView) -> None:
    para = cell.paragraphs[0]
    if content.table is not None:
        rows = content.table.rows
        inner = cell.add_table(rows=len(rows), cols=max((len(r) for r in rows), default=1))
        inner.style = "Table Grid"
        para._p.getparent().remove(para._p)  # no empty line above the table (the cell still ends with a paragraph)
        for r, row in enumerate(rows):
            for c, (text, changed) in enumerate(row):
                run = inner.cell(r, c).paragraphs[0].add_run(text)
                run.font.size = Pt(8)
                run.bold = r == 0
                if changed and text:
                    _mark(run, "ins" if side == "new" else "del", view)
        return
    label = "".join(s.text for s in content.label)
    if label:  # a hanging indent: wrapped lines start under the text, not under the label
        indent = Pt(_width_pt(label, _BODY_PT))
        para.paragraph_format.left_indent = indent
        para.paragraph_format.first_line_indent = -indent
    for seg in (*content.label, *content.body):
        run = para.add_run(seg.text)
        run.bold = bold or seg.mark == "marker"
        _mark(run, seg.mark, view)


def _field(para: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when printing."""
    run = para.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == instruction else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} " if text == instruction else text
        run._r.append(el)


def _footer(doc: DocxDocument, view: ReportView) -> None:
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(f"{view.title}　")
    _field(para, "PAGE")
    para.add_run(" / ")
    _field(para, "NUMPAGES")
    for run in para.runs:
        run.font.size = Pt(8)


def _legend(doc: DocxDocument, view: ReportView) -> None:
    para = doc.add_paragraph()
    para.add_run("凡例　").bold = True
    for sample, mark, meaning in view.legend:
        _mark(para.add_run(sample), mark, view)
        para.add_run(f"＝{meaning}　")


def comparison_docx(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """A Word document holding the comparison table."""
    view = map_text(build_view(comparison, config), xml_safe)  # characters XML cannot hold become U+FFFD
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    style = doc.styles["Normal"]
    style.font.size = Pt(_BODY_PT)
    style.font.name = "ＭＳ 明朝"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")  # Japanese text needs the East Asian font slot
    doc.add_heading(view.title, level=1)
    names = view.wording.status_ja
    counts = "、".join(f"{names[k]} {v}" for k, v in view.summary.items())
    doc.add_paragraph(
        f"{view.wording.new_role}: {view.new_label} ／ {view.wording.old_role}: {view.old_label}　（{counts}）"
        + (f"　作成: {view.generated}" if view.generated else "")
    )
    _legend(doc, view)
    _footer(doc, view)
    columns = view.columns
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
        cell.paragraphs[0].add_run(view.headers[col]).bold = True
    for row in view.rows:
        cells = table.add_row().cells
        for cell, col in zip(cells, columns, strict=True):
            cell.width = widths[col]
            if col == "remarks":
                notes = ([names[row.status]] if row.status != "unchanged" else []) + list(row.remarks)
                cell.paragraphs[0].add_run("\n".join(notes)).font.size = Pt(8)
            else:
                _fill(cell, row.new if col == "new" else row.old, side=col, bold=row.kind == "heading", view=view)
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
