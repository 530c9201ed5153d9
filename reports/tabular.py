"""One row per item for reviewers: Excel (frozen, filterable header) and CSV, via pandas."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

import pandas as pd
from openpyxl.utils import get_column_letter

from pipeline.model import Comparison

from .ooxml import stable_zip, strings_not_formulas
from .safetext import csv_safe, xml_safe
from .view import ReportConfig, build_view

COLUMNS = [
    "section",
    "status",
    "kind",
    "old_text",
    "new_text",
    "similarity",
    "numbers",
    "notation_only",
    "renumbered",
    "old_page",
    "new_page",
    "reason",
]
_FIXED = datetime(2000, 1, 1)


def comparison_frame(comparison: Comparison, config: ReportConfig | None = None) -> pd.DataFrame:
    """The comparison as a DataFrame, one row per item in the new document's order.

    section is the path of printed labels and titles (``１．… > （２）…``);
    numbers lists the changed numbers as ``56.0％→56.6％``.
    """
    view = build_view(comparison, config)
    records = [
        {
            "section": " > ".join(r.section),
            "status": r.status,
            "kind": r.kind,
            "old_text": r.old.plain if r.status != "added" else "",
            "new_text": r.new.plain if r.status != "deleted" else "",
            "similarity": round(r.similarity, 4),
            "numbers": "; ".join(f"{a}→{b}" for a, b in r.numbers),
            "notation_only": r.notation_only,
            "renumbered": r.renumbered,
            "old_page": r.old.page,
            "new_page": r.new.page,
            "reason": r.reason,
        }
        for r in view.rows
    ]
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    for col in ("old_page", "new_page"):
        df[col] = df[col].astype("Int64")
    return df


def comparison_csv(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Japanese text correctly; no cell is a formula."""
    df = _text_cells(comparison_frame(comparison, config), csv_safe)
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def _text_cells(df: pd.DataFrame, fn: Callable[[str], str]) -> pd.DataFrame:
    return df.map(lambda v: fn(v) if isinstance(v, str) else v)


def comparison_xlsx(comparison: Comparison, config: ReportConfig | None = None) -> bytes:
    """An Excel sheet with a frozen, filterable header row and wrapped text columns.

    Every text cell is a string cell, never a formula; characters XML cannot
    hold become U+FFFD.
    """
    df = _text_cells(comparison_frame(comparison, config), xml_safe)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name="changes", index=False)
        ws = xw.sheets["changes"]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        widths = {"section": 40, "status": 10, "kind": 10, "old_text": 60, "new_text": 60, "numbers": 24, "reason": 30}
        for i, name in enumerate(COLUMNS, 1):
            ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 12)
        from openpyxl.styles import Alignment

        wrap = Alignment(wrap_text=True, vertical="top")
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        strings_not_formulas(xw.book)
        stamp = (config.now if config and config.now else (datetime.now() if (config is None or config.timestamp) else _FIXED)).replace(
            tzinfo=None
        )
        xw.book.properties.created = stamp
        xw.book.properties.creator = "plandiff"
    return stable_zip(buf.getvalue(), modified=stamp)
