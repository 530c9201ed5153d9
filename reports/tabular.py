"""One row per item for reviewers, in Japanese: Excel (frozen, filterable, printable) and CSV, via pandas.

The Excel sheet marks changed words inside the cells (rich text: underlined
on the new side, underlined or struck on the old side), has a bold, filled
header row repeated on every printed page (A4 landscape, fit to width) and
an empty コメント column for the reviewer.
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.model import Comparison

from .ooxml import stable_zip, strings_not_formulas
from .safetext import csv_safe, map_text, xml_safe
from .view import KIND_JA, Cell, ReportConfig, ReportView, ViewRow, build_view

#: the columns, 新 before 旧 as in the other reports (``old_left`` puts 旧 first)
COLUMNS = ["区分", "状態", "種類", "新", "旧", "類似度", "数値", "表記のみ", "番号変更", "新頁", "旧頁", "理由", "コメント"]
_WIDTHS = {"区分": 36, "状態": 8, "種類": 8, "新": 60, "旧": 60, "類似度": 8, "数値": 24, "理由": 30, "コメント": 30}
_FIXED = datetime(2000, 1, 1)
SHEET = "新旧対照"


def columns(config: ReportConfig | None) -> list[str]:
    if config is not None and config.old_left:
        swap = {"新": "旧", "旧": "新", "新頁": "旧頁", "旧頁": "新頁"}
        return [swap.get(c, c) for c in COLUMNS]
    return list(COLUMNS)


def _record(r: ViewRow, status_ja: dict[str, str]) -> dict[str, object]:
    return {
        "区分": " > ".join(r.section),
        "状態": status_ja[r.status],
        "種類": KIND_JA.get(r.kind, r.kind),
        "新": r.new.plain if r.status != "deleted" else "",
        "旧": r.old.plain if r.status != "added" else "",
        "類似度": round(r.similarity, 4),
        "数値": "、".join(f"{a}→{b}" for a, b in r.numbers),
        "表記のみ": "○" if r.notation_only else "",
        "番号変更": "○" if r.renumbered else "",
        "新頁": r.new.page,
        "旧頁": r.old.page,
        "理由": r.reason_ja,
        "コメント": "",
    }


def _frame(view: ReportView) -> pd.DataFrame:
    df = pd.DataFrame.from_records([_record(r, view.wording.status_ja) for r in view.rows], columns=columns(view.config))
    for col in ("新頁", "旧頁"):
        df[col] = df[col].astype("Int64")
    return df


def comparison_frame(comparison: Comparison, config: ReportConfig | None = None) -> pd.DataFrame:
    """The comparison as a DataFrame, one row per item in the new document's order.

    区分 is the path of printed labels and titles (``１．… > （２）…``);
    数値 lists the changed numbers as ``56.0％→56.6％``.
    """
    return _frame(build_view(comparison, config))


def comparison_csv(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Japanese text correctly; no cell is a formula."""
    df = comparison_frame(comparison, config).map(lambda v: csv_safe(v) if isinstance(v, str) else v)
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def _rich(cell: Cell, *, strike: bool) -> CellRichText | str:
    """A cell's text with its marked words underlined (or struck), as Excel rich text."""
    if cell.table is not None or not any(s.mark in ("ins", "del") for s in (*cell.label, *cell.body)):
        return cell.plain
    parts: list[str | TextBlock] = []
    for s in (*cell.label, *cell.body):
        if s.mark == "ins" or (s.mark == "del" and not strike):
            parts.append(TextBlock(InlineFont(u="single"), s.text))
        elif s.mark == "del":
            parts.append(TextBlock(InlineFont(strike=True), s.text))
        elif s.text:
            parts.append(s.text)
    return CellRichText(parts)


def _print_setup(ws: Worksheet, title: str) -> None:
    """A4 landscape, fit to the page width, the header row repeated, title and page number on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def comparison_xlsx(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """An Excel sheet with a frozen, filterable, bold and filled header row and wrapped text columns.

    Every text cell is a string cell, never a formula; characters XML cannot
    hold become U+FFFD.
    """
    view = map_text(build_view(comparison, config), xml_safe)
    df = _frame(view)
    names = list(df.columns)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name=SHEET, index=False)
        ws = xw.sheets[SHEET]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        thin = Side(style="thin", color="808080")
        for i, name in enumerate(names, 1):
            ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 10)
            head = ws.cell(row=1, column=i)
            head.font = Font(bold=True)
            head.fill = PatternFill("solid", fgColor="D9D9D9")
            head.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        strike = view.config.old_marks == "strike"
        for k, r in enumerate(view.rows, 2):
            for i, name in enumerate(names, 1):
                cell = ws.cell(row=k, column=i)
                cell.alignment = wrap
                if name == "新" and r.status != "deleted":
                    cell.value = _rich(r.new, strike=False)
                elif name == "旧" and r.status != "added":
                    cell.value = _rich(r.old, strike=strike)
        _print_setup(ws, view.title)
        strings_not_formulas(xw.book)
        stamp = (config.now if config and config.now else (datetime.now() if (config is None or config.timestamp) else _FIXED)).replace(
            tzinfo=None
        )
        xw.book.properties.created = stamp
        xw.book.properties.creator = "plandiff"
    return stable_zip(buf.getvalue(), modified=stamp)
