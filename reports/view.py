"""What every report shows, computed once: rows of marked-up cells, remarks, sections, summary.

HTML, Word and Excel all render this view, so a 新旧対照表 says the same
thing in every format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pipeline.identify import find_org
from pipeline.model import Block, CompareRow, Comparison, Status, normalize_text
from pipeline.model import Cell as CellAt

from .config import ReportConfig

Mark = Literal["", "ins", "del", "marker"]
_YEAR = re.compile(r"(?:[0-9０-９]{4}\s*[（(]\s*)?令和\s*[0-9０-９元]+\s*[）)]?\s*年度")
_DECIMALS = re.compile(r"\.([0-9]+)")
NEW_MARKER = "【新設】"
DELETED_MARKER = "（削除）"
STATUS_JA = {"unchanged": "変更なし", "changed": "変更", "added": "新設", "deleted": "削除", "moved": "移動"}
KIND_JA = {
    "heading": "見出し",
    "bullet": "箇条",
    "numbered": "番号付き",
    "kpi": "KPI",
    "tag": "タグ",
    "note": "注記",
    "paragraph": "本文",
    "table": "表",
}


@dataclass(frozen=True, slots=True)
class Wording:
    """How a report names its sides and statuses: 新 | 旧 for two years, 支部 | 本部 for a branch against HQ."""

    new_role: str
    old_role: str
    added_marker: str
    deleted_marker: str
    status_ja: dict[str, str]
    title_suffix: str


WORDING = {
    "years": Wording("新", "旧", NEW_MARKER, DELETED_MARKER, STATUS_JA, "新旧対照表"),
    "branch": Wording(
        "支部",
        "本部",
        "【独自】",
        "（記載なし）",
        {"unchanged": "同文", "changed": "変更", "added": "独自", "deleted": "記載なし", "moved": "移動"},
        "本部・支部対照表",
    ),
}
#: the alignment passes of diffing.compare, as a reviewer reads them
REASON_JA = {
    "heading": "見出しとして対応",
    "same section": "同じ節の中で対応",
    "document order": "文書の順序で対応",
    "best match elsewhere": "別の位置の最も近い項目と対応",
    "no counterpart": "対応する項目なし",
}


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    mark: Mark = ""


@dataclass(frozen=True, slots=True)
class CellTable:
    """A table inside a cell: rows of (text, changed?)."""

    rows: tuple[tuple[tuple[str, bool], ...], ...]


@dataclass(frozen=True, slots=True)
class Cell:
    label: tuple[Segment, ...] = ()
    body: tuple[Segment, ...] = ()
    table: CellTable | None = None
    page: int | None = None

    @property
    def plain(self) -> str:
        if self.table is not None:
            return "\n".join(" | ".join(t for t, _ in r) for r in self.table.rows)
        return "".join(s.text for s in (*self.label, *self.body))


@dataclass(frozen=True, slots=True)
class ViewRow:
    anchor: str
    status: Status
    kind: str
    heading_level: int | None
    new: Cell
    old: Cell
    remarks: tuple[str, ...]
    section: tuple[str, ...]  # printed labels + titles of the headings above the item
    similarity: float
    notation_only: bool
    renumbered: bool
    numbers: tuple[tuple[str, str], ...]
    reason: str
    reason_ja: str  # the pass in Japanese, and for a move where it moved from

    @property
    def is_change(self) -> bool:
        return self.status != "unchanged"


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive rows shown or collapsed together in the changes-only view."""

    rows: tuple[ViewRow, ...]
    kind: Literal["same", "change", "notation", "heading"]


@dataclass(frozen=True, slots=True)
class SectionSummary:
    name: str
    counts: dict[str, int]
    links: tuple[tuple[str, str, str], ...]  # (anchor, status, short text)


@dataclass(slots=True)
class ReportView:
    title: str
    new_label: str
    old_label: str
    columns: list[str]  # "new", "old", "remarks" in print order
    headers: dict[str, str]  # 新（令和７年度） | 旧（令和６年度） | 備考
    legend: tuple[tuple[str, Mark, str], ...]  # 凡例: (sample, how it is marked, meaning)
    new_source: str
    old_source: str
    rows: list[ViewRow]
    summary: dict[str, int]
    sections: list[SectionSummary]
    generated: str
    config: ReportConfig
    wording: Wording = WORDING["years"]
    runs: list[Run] = field(default_factory=list)


def heading_paths(blocks: Sequence[Block]) -> list[tuple[str, ...]]:
    """For each block, the headings above it (a heading's path ends with itself)."""
    stack: list[tuple[int, str]] = []
    out: list[tuple[str, ...]] = []
    for b in blocks:
        if b.kind == "heading":
            level = b.level or 1
            stack = [s for s in stack if s[0] < level]
            stack.append((level, f"{b.label}{b.text}"))
        out.append(tuple(name for _, name in stack))
    return out


def _segments(row: CompareRow, side: Literal["old", "new"]) -> tuple[Segment, ...]:
    mark: Mark = "ins" if side == "new" else "del"
    out: list[Segment] = []
    for c in row.changes:
        text = c.new if side == "new" else c.old
        if not text:
            continue
        out.append(Segment(text, "" if c.op == "equal" else mark))
    return tuple(out)


def _table(b: Block, changed: set[tuple[int, int]]) -> CellTable:
    return CellTable(tuple(tuple((cell, (r, c) in changed) for c, cell in enumerate(row)) for r, row in enumerate(b.rows)))


def _cell(b: Block | None, segments: tuple[Segment, ...] | None, *, whole: Mark, label_mark: Mark, changed: set[tuple[int, int]]) -> Cell:
    if b is None:
        return Cell()
    if b.kind == "table":
        return Cell(
            table=_table(b, changed if whole == "" else {(r, c) for r, row in enumerate(b.rows) for c in range(len(row))}), page=b.page
        )
    label = (Segment(b.label, label_mark),) if b.label else ()
    body = segments if segments else (Segment(b.text, whole),)
    return Cell(label=label, body=body, page=b.page)


def _table_marks(row: CompareRow) -> tuple[set[CellAt], set[CellAt]]:
    """Cells to mark on the new and the old side: changed values, new or gone rows and columns."""
    t = row.table
    if t is None or row.old is None or row.new is None:
        return set(), set()

    def whole(rows: tuple[tuple[str, ...], ...], lines: tuple[int, ...], columns: tuple[int, ...]) -> set[CellAt]:
        return {(r, c) for r in lines for c in range(len(rows[r]))} | {
            (r, c) for r in range(len(rows)) for c in columns if c < len(rows[r])
        }

    new = {c.new for c in t.cells} | whole(row.new.rows, t.added_rows, t.added_columns)
    old = {c.old for c in t.cells} | whole(row.old.rows, t.deleted_rows, t.deleted_columns)
    return new, old


def _cell_text(rows: tuple[tuple[str, ...], ...], at: CellAt) -> str:
    r, c = at
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


def _signed(delta: float, like: str) -> str:
    """``+243``, ``+1.0``: with as many decimals as the printed value."""
    m = _DECIMALS.search(normalize_text(like))
    return f"{delta:+,.{len(m.group(1)) if m else 0}f}"


def _table_remarks(row: CompareRow) -> list[str]:
    """備考 of a table: each changed value under its row and column heading (with the difference), new and gone rows and columns."""
    t, old, new = row.table, row.old, row.new
    if t is None or old is None or new is None:
        return []
    out: list[str] = []
    for c in t.cells:
        where = (
            "表頭"
            if c.new[0] == 0
            else "・".join(x for x in (_cell_text(new.rows, (c.new[0], 0)), _cell_text(new.rows, (0, c.new[1]))) if x)
        )
        delta = f"（{_signed(c.delta, c.new_text)}{'ポイント' if c.unit == '%' else c.unit}）" if c.delta else ""
        out.append(f"{where}: {c.old_text} → {c.new_text}{delta}")
    gone = [_cell_text(old.rows, (0, c)) for c in t.deleted_columns]
    added = [_cell_text(new.rows, (0, c)) for c in t.added_columns]
    if gone and added:
        out.append(f"表頭の列: {'、'.join(gone)} → {'、'.join(added)}")
    elif added or gone:
        out.append(f"列の{'追加' if added else '削除'}: {'、'.join(added or gone)}")
    out += [f"行の追加: {_cell_text(new.rows, (r, 0))}" for r in t.added_rows]
    out += [f"行の削除: {_cell_text(old.rows, (r, 0))}" for r in t.deleted_rows]
    return out


def _remarks(row: CompareRow, old_path: tuple[str, ...], new_path: tuple[str, ...], wording: Wording) -> tuple[str, ...]:
    out: list[str] = _table_remarks(row) if row.table is not None else [f"{n.old} → {n.new}" for n in row.numbers]
    if row.renumbered and row.old is not None and row.new is not None:
        out.append(f"番号変更 {row.old.label or '（なし）'} → {row.new.label or '（なし）'}")
    if row.notation_only:
        out.append("表記の違いのみ")
    if row.status == "moved":
        out.append(_move(row, old_path, new_path, wording))
    return tuple(out)


def _move(row: CompareRow, old_path: tuple[str, ...], new_path: tuple[str, ...], wording: Wording) -> str:
    return f"移動（{wording.old_role}: {_parent(row.old, old_path)} → {wording.new_role}: {_parent(row.new, new_path)}）"


def _reason_ja(row: CompareRow, old_path: tuple[str, ...], new_path: tuple[str, ...], wording: Wording) -> str:
    first = row.reason.split(";")[0].strip()
    text = REASON_JA.get(first, first)
    return f"{text}、{_move(row, old_path, new_path, wording)}" if row.status == "moved" else text


def _parent(b: Block | None, path: tuple[str, ...]) -> str:
    """The section an item sits in (for a heading, the one above it)."""
    up = path[:-1] if b is not None and b.kind == "heading" else path
    return up[-1] if up else "冒頭"


def build_view(comparison: Comparison, config: ReportConfig | None = None) -> ReportView:
    """The report's rows, runs and summary from one comparison."""
    config = config or ReportConfig()
    c = comparison
    wording = WORDING[c.kind]
    paths_new = heading_paths(c.new.blocks)
    paths_old = heading_paths(c.old.blocks)
    rows: list[ViewRow] = []
    for k, r in enumerate(c.rows):
        new_path = paths_new[r.new_index] if r.new_index is not None else ()
        old_path = paths_old[r.old_index] if r.old_index is not None else ()
        section = new_path if r.new is not None else old_path  # a deleted item stays in its own document's section
        label_mark: Mark = "" if not r.renumbered else "ins"
        new_changed, old_changed = _table_marks(r)
        if r.status in ("changed", "moved") and r.changes and r.new is not None and r.new.kind != "table":
            new_cell = _cell(r.new, _segments(r, "new"), whole="", label_mark=label_mark, changed=new_changed)
            old_cell = _cell(r.old, _segments(r, "old"), whole="", label_mark="del" if r.renumbered else "", changed=old_changed)
        elif r.status == "added":
            new_cell = _cell(r.new, None, whole="ins", label_mark="ins", changed=set())
            old_cell = Cell(body=(Segment(wording.added_marker, "marker"),))
        elif r.status == "deleted":
            new_cell = Cell(body=(Segment(wording.deleted_marker, "marker"),))
            old_cell = _cell(r.old, None, whole="del", label_mark="del", changed=set())
        else:
            new_cell = _cell(r.new, None, whole="", label_mark=label_mark, changed=new_changed)
            old_cell = _cell(r.old, None, whole="", label_mark="del" if r.renumbered else "", changed=old_changed)
        b = r.new or r.old
        assert b is not None
        rows.append(
            ViewRow(
                anchor=f"r{k + 1}",
                status=r.status,
                kind=b.kind,
                heading_level=b.level if b.kind == "heading" else None,
                new=new_cell,
                old=old_cell,
                remarks=_remarks(r, old_path, new_path, wording) if config.remarks else (),
                section=section,
                similarity=r.similarity,
                notation_only=r.notation_only,
                renumbered=r.renumbered,
                numbers=tuple((n.old, n.new) for n in r.numbers),
                reason=r.reason,
                reason_ja=_reason_ja(r, old_path, new_path, wording),
            )
        )
    title = config.title or f"{c.new.title or c.new_source} {wording.title_suffix}".strip()
    now = config.now or datetime.now().astimezone()
    columns = ["old", "new"] if config.old_left else ["new", "old"]
    if config.remarks:
        columns.append("remarks")
    view = ReportView(
        title=title,
        new_label=(c.new_organisation if c.kind == "branch" else "") or c.new.label or c.new.title or c.new_source or wording.new_role,
        old_label=(c.old_organisation if c.kind == "branch" else "") or c.old.label or c.old.title or c.old_source or wording.old_role,
        columns=columns,
        headers={**_side_headers(c), "remarks": "備考"},
        legend=_legend(config, wording),
        new_source=c.new_source,
        old_source=c.old_source,
        rows=rows,
        summary=c.summary,
        sections=_sections(rows),
        generated=now.strftime("%Y-%m-%d %H:%M") if config.timestamp else "",
        config=config,
        wording=wording,
    )
    view.runs = _runs(rows)
    return view


def _side_headers(c: Comparison) -> dict[str, str]:
    """新（令和７年度） | 旧（令和６年度）: the side and its column label or the fiscal year its title names.

    A branch against HQ is headed by the two offices: サンプル支部（令和７年度） | 本部（令和７年度）.
    """
    docs = (c.new, c.old)
    years = [(m.group(0) if (m := _YEAR.search(d.title)) else "") for d in docs]
    if c.kind == "branch":
        offices = [org or find_org(d.title) for org, d in zip((c.new_organisation, c.old_organisation), docs, strict=True)]
        if all(offices):
            return {side: f"{o}（{y}）" if y else o for side, o, y in zip(("new", "old"), offices, years, strict=True)}
    names = [d.label or year for d, year in zip(docs, years, strict=True)]
    return {side: f"{tag}（{name}）" if name else tag for side, tag, name in zip(("new", "old"), ("新", "旧"), names, strict=True)}


def _legend(config: ReportConfig, wording: Wording) -> tuple[tuple[str, Mark, str], ...]:
    """凡例: the marks this report uses and what they mean."""
    if config.old_marks == "strike":
        marks: list[tuple[str, Mark, str]] = [
            ("下線部", "ins", f"追加・変更した記載（{wording.new_role}）"),
            ("取消線部", "del", f"削除・変更前の記載（{wording.old_role}）"),
        ]
    else:
        marks = [("下線部", "ins", f"変更箇所（{wording.new_role}は変更後、{wording.old_role}は変更前の記載）")]
    if wording is WORDING["branch"]:
        return (
            *marks,
            (wording.added_marker, "marker", "支部独自の項目"),
            (wording.deleted_marker, "marker", "支部の計画に記載のない本部の項目"),
        )
    return (*marks, (NEW_MARKER, "marker", "新たに設けた項目"), (DELETED_MARKER, "marker", "削除した項目"))


def _sections(rows: Sequence[ViewRow]) -> list[SectionSummary]:
    """Counts per status and links to every change, per top-level section."""
    order: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    links: dict[str, list[tuple[str, str, str]]] = {}
    for r in rows:
        name = r.section[0] if r.section else "（冒頭）"
        if name not in counts:
            order.append(name)
            counts[name] = dict.fromkeys(STATUS_JA, 0)
            links[name] = []
        counts[name][r.status] += 1
        if r.is_change:
            text = (r.new.plain or r.old.plain) if r.status != "deleted" else r.old.plain
            links[name].append((r.anchor, r.status, text[:40]))
    return [SectionSummary(n, counts[n], tuple(links[n])) for n in order]


def _runs(rows: Sequence[ViewRow]) -> list[Run]:
    """Group rows for the changes-only view: unchanged runs collapse to （略）; headings stay."""
    runs: list[Run] = []
    for r in rows:
        kind: Literal["same", "change", "notation", "heading"]
        if r.kind == "heading":
            kind = "heading"
        elif r.status == "unchanged":
            kind = "same"
        elif r.notation_only:
            kind = "notation"
        else:
            kind = "change"
        if runs and runs[-1].kind == kind == "same":
            runs[-1] = Run((*runs[-1].rows, r), "same")
        else:
            runs.append(Run((r,), kind))
    return runs
