"""Changed numbers in tables, cell by cell: rows matched by their first cell, columns by header."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.model import NumberChange, normalize_text

_DIGIT = re.compile(r"[0-9０-９]")
Rows = Sequence[Sequence[str]]


def _index(keys: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k and k not in out:
            out[k] = i
    return out


def header_similarity(a: Rows, b: Rows) -> float:
    """1.0 when two tables have the same header row, else 0.0 (the same table, new figures)."""
    return 1.0 if a and b and [normalize_text(c) for c in a[0]] == [normalize_text(c) for c in b[0]] and any(a[0]) else 0.0


def matched_cells(old: Rows, new: Rows) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of cell coordinates ((old r, c), (new r, c)) under the same row and column heading.

    Header cells pair by position; body rows by their first cell, columns by
    their header (or by position where a header cell is empty and the widths agree).
    """
    if not old or not new:
        return []
    cols_old = _index([normalize_text(c) for c in old[0]])
    rows_old = _index([normalize_text(r[0]) if r else "" for r in old[1:]])
    out = [((0, c), (0, c)) for c in range(min(len(old[0]), len(new[0])))]
    for r, row in enumerate(new[1:]):
        key = normalize_text(row[0]) if row else ""
        ro = rows_old.get(key) if key else (r if r < len(old) - 1 else None)
        if ro is None:
            continue
        for c in range(len(row)):
            head = normalize_text(new[0][c]) if c < len(new[0]) else ""
            co = cols_old.get(head) if head else (c if len(new[0]) == len(old[0]) else None)
            if co is not None and co < len(old[1 + ro]):
                out.append(((1 + ro, co), (1 + r, c)))
    return out


def changed_cells(old: Rows, new: Rows) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Cells of the new and of the old table that are new, gone or different.

    >>> sorted(changed_cells([["項目", "KPI"], ["率", "61.2％"]], [["項目", "KPI"], ["率", "62.4％"], ["数", "5"]])[0])
    [(1, 1), (2, 0), (2, 1)]
    """
    pairs = matched_cells(old, new)
    same = {(o, n) for o, n in pairs if normalize_text(old[o[0]][o[1]]) == normalize_text(new[n[0]][n[1]])}
    kept_new = {n for _, n in same}
    kept_old = {o for o, _ in same}
    new_cells = {(r, c) for r, row in enumerate(new) for c in range(len(row)) if (r, c) not in kept_new and new[r][c]}
    old_cells = {(r, c) for r, row in enumerate(old) for c in range(len(row)) if (r, c) not in kept_old and old[r][c]}
    return new_cells, old_cells


def table_number_changes(old: Rows, new: Rows) -> tuple[NumberChange, ...]:
    """Every numeric cell that changed, compared under the same row and column heading.

    A KPI table whose year columns shift (令和４/５年度 → 令和５/６年度) is
    compared year against year and KPI against KPI, not column by column.

    >>> table_number_changes([["項目", "令和５年度", "KPI"], ["実施率", "59.8％", "61.2％"]],
    ...                      [["項目", "令和５年度", "令和６年度", "KPI"], ["実施率", "59.8％", "61.1％", "62.4％"]])
    (NumberChange(old='61.2％', new='62.4％'),)
    """
    out: list[NumberChange] = []
    for (ro, co), (rn, cn) in matched_cells(old, new):
        if ro == 0:
            continue
        was, cell = old[ro][co], new[rn][cn]
        if normalize_text(was) != normalize_text(cell) and (_DIGIT.search(was) or _DIGIT.search(cell)):
            out.append(NumberChange(was.strip(), cell.strip()))
    return tuple(out)
