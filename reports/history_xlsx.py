"""One office's history as an Excel workbook: items, KPI series with a line chart each (openpyxl), budget lines."""

from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.model import History, Series

from .history_html import series_numbers
from .matrix_view import block_text
from .ooxml import workbook_bytes
from .safetext import map_text, xml_safe

_WRAP = Alignment(wrap_text=True, vertical="top")


def _series_sheet(ws: Worksheet, h: History, series: tuple[Series, ...], *, charts: bool) -> None:
    ws.append(["名称", "単位", *h.years, "文言の変更", "出典"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for s in series:
        ws.append([s.name, s.unit, *(v or None for v in s.values), "、".join(s.wording_changed), s.source])
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width = 40
    if not charts:
        return
    # the figures as numbers, below the printed table, for the charts to read
    base = len(series) + 3
    ws.cell(base, 1, "数値（グラフ用）").font = Font(bold=True)
    for k, y in enumerate(h.years):
        ws.cell(base, 3 + k, y)
    for n, s in enumerate(series, 1):
        ws.cell(base + n, 1, s.name)
        for k, v in enumerate(series_numbers(s)):
            ws.cell(base + n, 3 + k, v)
        if not any(v is not None for v in series_numbers(s)):
            continue
        chart = LineChart()
        chart.title = s.name[:60]
        chart.y_axis.title = s.unit
        chart.height, chart.width = 6, 12
        chart.add_data(Reference(ws, min_col=3, max_col=2 + len(h.years), min_row=base + n), from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=3, max_col=2 + len(h.years), min_row=base))
        ws.add_chart(chart, f"{get_column_letter(6 + len(h.years))}{2 + (n - 1) * 13}")


def history_xlsx(h: History, *, timestamp: bool = True, now: datetime | None = None) -> bytes:
    h = map_text(h, xml_safe)  # openpyxl refuses control characters
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "items"
    ws.append([*h.years, "初出", "最終", "変更された年度"])
    for it in h.items:
        ws.append([*(block_text(b) if b is not None else None for b in it.blocks), h.first(it), h.last(it), "、".join(it.changed_in)])
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = _WRAP
    for k in range(len(h.years)):
        ws.column_dimensions[get_column_letter(1 + k)].width = 50
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _series_sheet(wb.create_sheet("kpis"), h, h.kpis, charts=True)
    _series_sheet(wb.create_sheet("budgets"), h, h.budgets, charts=False)
    return workbook_bytes(wb, timestamp=timestamp, now=now)
