"""One office's plans over years: every item traced year by year, KPI targets and budget lines as series.

Consecutive years are compared (the same alignment as ``compare``); an item
is the chain of blocks the comparisons pair.  A KPI statement's target is
its last number with a unit that is not a year; KPI tables give the figure of
their KPI column, budget tables the 予算額 of each line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pipeline.model import Block, Comparison, Document, History, HistoryItem, PlanInfo, Series, normalize_text

from .compare import compare_documents
from .config import AlignConfig
from .tokens import NUMBER, Tokenizer

_ENUMERATOR = re.compile(r"^\s*(?:[0-9０-９]+[）)]|[①-⑳]|[ⅠⅡⅢⅣⅤ]+[.．）)]|[（(][0-9０-９]+[）)])\s*")
_YEARISH = ("年度", "年", "月")
_SPLIT = re.compile(r"^([-+]?[0-9][0-9,]*(?:\.[0-9]+)?)(.*)$")
_QUALIFIER = re.compile(r"(以上|以下|以内|未満|超)$")


def target(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """A KPI statement's target: (printed figure, unit, its span), or None when it names no figure.

    >>> target("１）生活習慣病予防健診の実施率を６２．４％以上とする")
    ('６２．４％', '%', (16, 21))
    >>> target("返納金債権の回収率を対前年度以上とする") is None
    True
    """
    body_start = m.end() if (m := _ENUMERATOR.match(text)) else 0
    hits = [h for h in NUMBER.finditer(text, body_start) if not normalize_text(h.group(0)).endswith(_YEARISH)]
    if not hits:
        return None
    h = hits[-1]
    return h.group(0).strip(), unit_of(h.group(0)), h.span()


def unit_of(value: str) -> str:
    """The unit printed after a figure (％ → %, 千円 …), without 以上/以下.

    >>> unit_of("8,063千円"), unit_of("５７．６％以上"), unit_of("12")
    ('千円', '%', '')
    """
    m = _SPLIT.match(unicodedata.normalize("NFKC", value).replace(" ", ""))
    return _QUALIFIER.sub("", m.group(2)) if m else ""


def _kpi_name(text: str, span: tuple[int, int] | None) -> str:
    start = m.end() if (m := _ENUMERATOR.match(text)) else 0
    name = text[start : span[0]] if span else text[start:]
    return re.sub(r"[をはの、]\s*$", "", name).strip()


def _wording(text: str) -> str:
    """A statement with its figures masked: what is left is its wording."""
    return normalize_text(NUMBER.sub("#", text))


def _chains(docs: Sequence[Document], comparisons: Sequence[Comparison]) -> list[tuple[list[int | None], set[int]]]:
    """Each item as (its block index per year, the years whose text changed)."""
    n = len(docs)
    chains: list[tuple[list[int | None], set[int]]] = []
    current: dict[int, int] = {}  # block index in year y → chain
    for i in range(len(docs[0].blocks)):
        current[i] = len(chains)
        chains.append(([i] + [None] * (n - 1), set()))
    for y, c in enumerate(comparisons, 1):
        nxt: dict[int, int] = {}
        for r in c.rows:
            if r.new_index is None:
                continue
            if r.old_index is not None and r.old_index in current:
                ch = current[r.old_index]
                if r.status in ("changed", "moved") and r.changes and not r.notation_only:
                    chains[ch][1].add(y)
            else:
                ch = len(chains)
                chains.append(([None] * n, set()))
            chains[ch][0][y] = r.new_index
            nxt[r.new_index] = ch
        current = nxt
    return chains


def _statement_series(years: Sequence[str], docs: Sequence[Document], items: Sequence[HistoryItem]) -> list[Series]:
    out: list[Series] = []
    for it in items:
        kpis = [(y, b) for y, b in enumerate(it.blocks) if b is not None and b.kind == "kpi"]
        if not kpis:
            continue
        values: list[str | None] = [None] * len(years)
        wording_changed: list[str] = []
        before = None
        for y, b in kpis:
            t = target(b.text)
            values[y] = t[0] if t else None
            w = _wording(b.text)
            if before is not None and w != before:
                wording_changed.append(years[y])
            before = w
        newest = kpis[-1][1].text
        t = target(newest)
        unit = t[1] if t else ""
        out.append(Series(_kpi_name(newest, t[2] if t else None), unit, tuple(values), "kpi", tuple(wording_changed)))
    return out


def _column(header: Sequence[str], word: str) -> int | None:
    hits = [c for c, h in enumerate(header) if word in unicodedata.normalize("NFKC", h).upper()]
    return hits[-1] if hits else None


def _table_series(years: Sequence[str], docs: Sequence[Document], word: str, source: str) -> list[Series]:
    """Lines of the tables whose header names ``word`` (KPI, 予算): each line's figure in that column, per year."""
    order: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, list[str | None]] = {}
    for y, doc in enumerate(docs):
        for b in doc.blocks:
            col = _column(b.rows[0], word) if b.kind == "table" and b.rows else None
            if col is None:
                continue
            for row in b.rows[1:]:
                if not row or not row[0].strip() or col >= len(row):
                    continue
                key = normalize_text(row[0])
                if key not in values:
                    order.append(key)
                    values[key] = [None] * len(years)
                names[key] = row[0].strip()
                values[key][y] = row[col].strip() or None
    out = []
    for key in order:
        vals = values[key]
        unit = next((unit_of(v) for v in reversed(vals) if v), "")
        out.append(Series(names[key], unit, tuple(vals), source))
    return out


def build_history(
    plans: Sequence[tuple[PlanInfo, Document]],
    *,
    config: AlignConfig | None = None,
    tokenizer: Tokenizer | None = None,
    comparisons: Sequence[Comparison | None] | None = None,
) -> History:
    """The history of one office's plans, given oldest first (one plan per fiscal year).

    ``comparisons[k]``, when given and not None, is plan ``k`` → plan ``k + 1``
    computed earlier (a batch's stored JSON); the others are computed here.

    >>> from pipeline.model import Block, Document, PlanInfo
    >>> kpi = lambda v: Document((Block("kpi", f"１）健診の実施率を{v}以上とする", "■ KPI："),))
    >>> h = build_history([(PlanInfo("a", year=f"令和{y}年度"), kpi(v)) for y, v in ((5, "57.6％"), (6, "59.6％"))])
    >>> h.kpis[0].name, h.kpis[0].unit, h.kpis[0].values, h.items[0].changed_in
    ('健診の実施率', '%', ('57.6％', '59.6％'), ('令和6年度',))
    """
    tok = tokenizer or Tokenizer(mode=(config or AlignConfig()).mode)
    years = tuple(info.year for info, _ in plans)
    docs = [doc for _, doc in plans]
    known = list(comparisons or [None] * (len(docs) - 1))
    steps = [known[k] or compare_documents(docs[k], docs[k + 1], config=config, tokenizer=tok) for k in range(len(docs) - 1)]
    items: list[HistoryItem] = []
    for indices, changed in _chains(docs, steps):
        blocks: tuple[Block | None, ...] = tuple(None if i is None else docs[y].blocks[i] for y, i in enumerate(indices))
        items.append(HistoryItem(blocks, tuple(indices), tuple(years[y] for y in sorted(changed))))
    newest = len(docs) - 1

    def order(it: HistoryItem) -> tuple[int, int]:
        last = max(y for y, i in enumerate(it.indices) if i is not None)
        index = it.indices[last]
        assert index is not None
        return (newest - last, index)

    items.sort(key=order)  # the newest plan's items in its order, then what disappeared, latest first
    kpis = _statement_series(years, docs, items) + _table_series(years, docs, "KPI", "kpi-table")
    budgets = _table_series(years, docs, "予算", "budget")
    return History(years, tuple(info for info, _ in plans), tuple(items), tuple(kpis), tuple(budgets))
