"""Tables of a plan as pandas DataFrames (KPI tables, budget tables)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

import pandas as pd

from pipeline.model import Block, ExtractResult

TableKind = Literal["kpi", "budget", "other"]

_NUMBER = re.compile(r"^([-+−]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(％|%|千円|万円|円|人|件|事業所|日|か所|ポイント)?(?:以上|以下|以内)?$")


def table_kind(block: Block) -> TableKind:
    """What a table reports: KPI targets and results, a budget, or something else.

    >>> table_kind(Block("table", rows=(("取組名", "予算額"), ("健診", "8,063千円"))))
    'budget'
    >>> table_kind(Block("table", rows=(("", "令和５年度", "KPI"), ("支部", "59.8％", "62.4％"))))
    'kpi'
    """
    cells = [unicodedata.normalize("NFKC", c) for r in block.rows for c in r]
    text = "".join(cells)
    if "予算" in text or any(c.endswith("千円") or c.endswith("万円") for c in cells):
        return "budget"
    if "KPI" in text.upper() or "目標" in text or "実施率" in text:
        return "kpi"
    return "other"


def parse_number(cell: str) -> float | None:
    """The value of a cell that is one number with its unit, else None.

    >>> parse_number("8,063千円"), parse_number("５７．６％以上"), parse_number("対前年度以上")
    (8063.0, 57.6, None)
    """
    m = _NUMBER.match(unicodedata.normalize("NFKC", cell).replace(" ", ""))
    return float(m.group(1).replace(",", "").replace("−", "-")) if m else None


def _columns(header: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    last = ""
    for i, h in enumerate(header):
        name = h.replace("\n", " ").strip() or (f"{last}.{i}" if last else f"列{i + 1}")
        last = h.strip() or last
        while name in out:
            name += "'"
        out.append(name)
    return out


def table_frame(block: Block, *, numeric: bool = False) -> pd.DataFrame:
    """One table as a DataFrame: the first row names the columns.

    With ``numeric=True`` a column whose every filled cell is a number with
    its unit (``8,063千円``, ``57.6％``) becomes a float column.
    """
    if not block.rows:
        return pd.DataFrame()
    width = max(len(r) for r in block.rows)
    rows = [tuple(r) + ("",) * (width - len(r)) for r in block.rows]
    df = pd.DataFrame(rows[1:], columns=_columns(rows[0]))
    if numeric:
        for col in df.columns:
            values = [parse_number(v) for v in df[col] if v]
            if values and all(v is not None for v in values):
                df[col] = [parse_number(v) if v else None for v in df[col]]
    df.attrs.update({"kind": table_kind(block), "page": block.page})
    return df


def table_frames(result: ExtractResult, *, kind: TableKind | None = None, numeric: bool = False) -> list[pd.DataFrame]:
    """Every table of every document (or only ``kind``), in reading order."""
    out = []
    for d, doc in enumerate(result.documents):
        for b in doc.blocks:
            if b.kind == "table" and (kind is None or table_kind(b) == kind):
                df = table_frame(b, numeric=numeric)
                df.attrs["document"] = d
                out.append(df)
    return out
