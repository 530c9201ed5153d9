"""What every report shows, computed once: rows of marked-up cells, remarks, sections, summary.

HTML, Word and Excel all render this view, so a 新旧対照表 says the same
thing in every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from diffing.tablediff import changed_cells
from pipeline.model import Block, CompareRow, Comparison, Status

Mark = Literal["", "ins", "del", "marker"]
NEW_MARKER = "【新設】"
DELETED_MARKER = "（削除）"
STATUS_JA = {"unchanged": "変更なし", "changed": "変更", "added": "新設", "deleted": "削除", "moved": "移動"}


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


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportConfig:
    """How a comparison is printed.

    title: the report's title (default: the new plan's title + 新旧対照表).
    old_left: put the old plan in the left column (offices print new | old).
    remarks: print the 備考 column (changed numbers, renumbering, moves).
    timestamp: print when the report was made; off gives byte-identical files.
    """

    title: str | None = None
    old_left: bool = False
    remarks: bool = True
    timestamp: bool = True
    now: datetime | None = None


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
    new_source: str
    old_source: str
    rows: list[ViewRow]
    summary: dict[str, int]
    sections: list[SectionSummary]
    generated: str
    config: ReportConfig
    wording: Wording = WORDING["years"]
    runs: list[Run] = field(default_factory=list)


def _heading_paths(blocks: Sequence[Block]) -> list[tuple[str, ...]]:
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


def _remarks(row: CompareRow, old_path: tuple[str, ...], new_path: tuple[str, ...], wording: Wording) -> tuple[str, ...]:
    out: list[str] = [f"{n.old} → {n.new}" for n in row.numbers]
    if row.renumbered and row.old is not None and row.new is not None:
        out.append(f"番号変更 {row.old.label or '（なし）'} → {row.new.label or '（なし）'}")
    if row.notation_only:
        out.append("表記の違いのみ")
    if row.status == "moved":
        out.append(f"移動（{wording.old_role}: {_parent(row.old, old_path)} → {wording.new_role}: {_parent(row.new, new_path)}）")
    return tuple(out)


def _parent(b: Block | None, path: tuple[str, ...]) -> str:
    """The section an item sits in (for a heading, the one above it)."""
    up = path[:-1] if b is not None and b.kind == "heading" else path
    return up[-1] if up else "冒頭"


def build_view(comparison: Comparison, config: ReportConfig | None = None) -> ReportView:
    """The report's rows, runs and summary from one comparison."""
    config = config or ReportConfig()
    c = comparison
    wording = WORDING[c.kind]
    paths_new = _heading_paths(c.new.blocks)
    paths_old = _heading_paths(c.old.blocks)
    rows: list[ViewRow] = []
    for k, r in enumerate(c.rows):
        new_path = paths_new[r.new_index] if r.new_index is not None else ()
        old_path = paths_old[r.old_index] if r.old_index is not None else ()
        # a deleted item is filed under the new section that follows its old neighbour
        section = new_path or _section_for_deleted(rows, old_path)
        label_mark: Mark = "" if not r.renumbered else "ins"
        new_changed, old_changed = (
            changed_cells(r.old.rows, r.new.rows) if r.old is not None and r.new is not None and r.old.kind == "table" else (set(), set())
        )
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
            )
        )
    title = config.title or f"{c.new.title or c.new_source} {wording.title_suffix}".strip()
    now = config.now or datetime.now().astimezone()
    view = ReportView(
        title=title,
        new_label=(c.new_organisation if c.kind == "branch" else "") or c.new.label or c.new.title or c.new_source or wording.new_role,
        old_label=(c.old_organisation if c.kind == "branch" else "") or c.old.label or c.old.title or c.old_source or wording.old_role,
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


def _section_for_deleted(rows: Sequence[ViewRow], old_path: tuple[str, ...]) -> tuple[str, ...]:
    return rows[-1].section if rows else old_path


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
