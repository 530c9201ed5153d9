"""The matrix as an Excel workbook (openpyxl): a ``matrix`` sheet, a summary and a sheet per branch."""

from __future__ import annotations

import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.model import MATRIX_STATUSES, Matrix

from .matrix_view import MATRIX_COLOURS, MATRIX_JA, MATRIX_MEANING, block_text, cell_note, own_branch, row_sections, summary_lines
from .ooxml import workbook_bytes
from .safetext import map_text, xml_safe

_WRAP = Alignment(wrap_text=True, vertical="top")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_ROW = 4  # rows 1-2: the legend


def _fill(status: str) -> PatternFill:
    return PatternFill("solid", start_color=MATRIX_COLOURS[status], end_color=MATRIX_COLOURS[status])


def _sheet_name(label: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", label)[:28] or "支部"
    name, n = base, 2
    while name in taken or name in ("matrix", "summary"):
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _matrix_sheet(ws: Worksheet, m: Matrix, sections: list[str]) -> None:
    ws.cell(1, 1, "凡例").font = Font(bold=True)
    for k, st in enumerate(MATRIX_STATUSES):
        c = ws.cell(1, 2 + k, MATRIX_JA[st])
        c.fill = _fill(st)
        ws.cell(2, 2 + k, MATRIX_MEANING[st]).alignment = _WRAP
    heads = ["区分", "本部の項目", *(b.label for b in m.branches)]
    for k, h in enumerate(heads, 1):
        ws.cell(_HEADER_ROW, k, h).font = Font(bold=True)
    for n, (row, section) in enumerate(zip(m.rows, sections, strict=True), _HEADER_ROW + 1):
        ws.cell(n, 1, section).alignment = _WRAP
        head = ws.cell(n, 2, block_text(row.hq) if row.hq is not None else f"（{MATRIX_JA['own']}）")
        head.alignment = _WRAP
        if row.hq is not None and row.hq.kind == "heading":
            head.font = Font(bold=True)
        for k, cell in enumerate(row.cells):
            if cell is None:
                continue
            extra = block_text(cell.block) if cell.status == "own" else cell_note(cell)
            x = ws.cell(n, 3 + k, MATRIX_JA[cell.status] + (f"\n{extra}" if extra else ""))
            x.fill = _fill(cell.status)
            x.alignment = _WRAP
    ws.freeze_panes = ws.cell(_HEADER_ROW + 1, 3)  # header row and the HQ columns stay in view
    ws.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(len(heads))}{_HEADER_ROW + len(m.rows)}"
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    for k in range(len(m.branches)):
        ws.column_dimensions[get_column_letter(3 + k)].width = 22


def _summary_sheet(ws: Worksheet, m: Matrix) -> None:
    ws.append(["支部", *(MATRIX_JA[s] for s in MATRIX_STATUSES), *(f"{MATRIX_JA[s]}（本部比）" for s in MATRIX_STATUSES), "本部の項目"])
    for line in summary_lines(m):
        ws.append(
            [line.label, *(line.counts[s] for s in MATRIX_STATUSES), *(round(line.shares[s], 4) for s in MATRIX_STATUSES), m.hq_items]
        )
    for row in ws.iter_rows(min_row=2, min_col=2 + len(MATRIX_STATUSES), max_col=1 + 2 * len(MATRIX_STATUSES)):
        for c in row:
            c.number_format = "0.0%"
    ws.freeze_panes = "B2"


def _branch_sheet(ws: Worksheet, m: Matrix, k: int, sections: list[str]) -> None:
    ws.append(["区分", "本部の項目", "状態", "支部の記載", "類似度", "数値の変更", "説明", "支部の頁"])
    for row, section in zip(m.rows, sections, strict=True):
        cell = row.cells[k]
        if cell is None or (row.hq is None and own_branch(row.cells) != k):
            continue
        ws.append(
            [
                section,
                block_text(row.hq),
                MATRIX_JA[cell.status],
                block_text(cell.block),
                round(cell.similarity, 4),
                "; ".join(f"{n.old}→{n.new}" for n in cell.numbers),
                cell_note(cell),
                cell.block.page if cell.block is not None else None,
            ]
        )
        ws.cell(ws.max_row, 3).fill = _fill(cell.status)
    for col, w in zip("ABCDEFGH", (30, 60, 10, 60, 8, 20, 40, 8), strict=True):
        ws.column_dimensions[col].width = w
    for r in ws.iter_rows(min_row=2):
        for c in r:
            c.alignment = _WRAP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def matrix_xlsx(m: Matrix, *, timestamp: bool = True, now: datetime | None = None) -> bytes:
    """``matrix`` (frozen headers, filters, a colour per status, a legend), ``summary``, then one sheet per branch."""
    m = map_text(m, xml_safe)  # openpyxl refuses control characters
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "matrix"
    sections = row_sections(m)
    _matrix_sheet(ws, m, sections)
    _summary_sheet(wb.create_sheet("summary"), m)
    taken: set[str] = set()
    for k, b in enumerate(m.branches):
        _branch_sheet(wb.create_sheet(_sheet_name(b.label, taken)), m, k, sections)
    return workbook_bytes(wb, timestamp=timestamp, now=now)
