"""Two versions of a table, cell by cell: rows matched by their first cell, columns by their heading.

Values are compared as numbers where both cells hold one number with its
unit (``59.8%`` = ``５９．８％``, ``8063千円`` = ``8,063千円``), so a change of
notation is not a change of value, and a changed amount carries its delta.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.model import CellChange, NumberChange, TableChanges, normalize_text

_DIGIT = re.compile(r"[0-9０-９]")
_NUMBER = re.compile(r"([+-]?)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)([^0-9]{0,4})")
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


def cell_number(text: str) -> tuple[float, str] | None:
    """A cell that holds one number and its unit, as (value, unit); else None.

    >>> cell_number("７，８２０千円"), cell_number("59.8％"), cell_number("年２回")
    ((7820.0, '千円'), (59.8, '%'), None)
    """
    m = _NUMBER.fullmatch(normalize_text(text))
    if m is None:
        return None
    value = float(m.group(2).replace(",", ""))
    return (-value if m.group(1) == "-" else value, m.group(3))


def same_value(a: str, b: str) -> bool:
    """The same text (width and spacing aside), or the same number in the same unit."""
    if normalize_text(a) == normalize_text(b):
        return True
    x, y = cell_number(a), cell_number(b)
    return x is not None and x == y


def _columns(old: Rows, new: Rows) -> dict[int, int]:
    """New column → old column: by heading; a heading that is new where an unmatched old one stood is that column renamed.

    A rolling year header (項目|令和４年度|令和５年度 → 項目|令和５年度|令和６年度)
    keeps 令和５年度 as one column; 令和４年度 is gone and 令和６年度 new, at
    different positions, so they are not taken for a rename.
    """
    heads_old = _index([normalize_text(c) for c in old[0]])
    out: dict[int, int] = {}
    for c, cell in enumerate(new[0]):
        co = heads_old.get(normalize_text(cell)) if normalize_text(cell) else None
        if co is not None:
            out[c] = co
    taken = set(out.values())
    if len(new[0]) == len(old[0]):
        for c in range(len(new[0])):
            if c not in out and c not in taken:
                out[c] = c
                taken.add(c)
    return out


def _rows(old: Rows, new: Rows) -> dict[int, int]:
    """New row → old row: the header to the header, body rows by their first cell (by position where it is empty)."""
    keys_old = _index([normalize_text(r[0]) if r else "" for r in old[1:]])
    out = {0: 0}
    taken = {0}
    for r, row in enumerate(new[1:], 1):
        key = normalize_text(row[0]) if row else ""
        ro = 1 + keys_old[key] if key in keys_old else (r if not key and r < len(old) and not normalize_text(old[r][0]) else None)
        if ro is not None and ro not in taken:
            out[r] = ro
            taken.add(ro)
    return out


def matched_cells(old: Rows, new: Rows) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of cell coordinates ((old r, c), (new r, c)) under the same row and column heading (the header row included).

    >>> matched_cells([["項目", "KPI"], ["率", "61%"]], [["項目", "実績", "KPI"], ["率", "60%", "62%"]])
    [((0, 0), (0, 0)), ((0, 1), (0, 2)), ((1, 0), (1, 0)), ((1, 1), (1, 2))]
    """
    if not old or not new:
        return []
    cols = _columns(old, new)
    return [
        ((ro, co), (rn, cn))
        for rn, ro in sorted(_rows(old, new).items())
        for cn, co in sorted(cols.items())
        if cn < len(new[rn]) and co < len(old[ro])
    ]


def table_changes(old: Rows, new: Rows) -> TableChanges:
    """What changed between two versions of a table.

    >>> t = table_changes([["項目", "令和５年度", "KPI"], ["実施率", "59.8％", "61.2％"]],
    ...                   [["項目", "令和５年度", "令和６年度", "KPI"], ["実施率", "59.8%", "61.1％", "62.4％"], ["件数", "5", "6", "7"]])
    >>> [(c.old_text, c.new_text, round(c.delta, 1)) for c in t.cells], t.added_rows, t.added_columns
    ([('61.2％', '62.4％', 1.2)], (2,), (2,))
    """
    if not old or not new:
        return TableChanges(added_rows=tuple(range(1, len(new))), deleted_rows=tuple(range(1, len(old))))
    cols = _columns(old, new)
    rows = _rows(old, new)
    cells: list[CellChange] = []
    for (ro, co), (rn, cn) in matched_cells(old, new):
        a, b = old[ro][co], new[rn][cn]
        if not same_value(a, b):
            x, y = cell_number(a), cell_number(b)
            same_unit = x is not None and y is not None and x[1] == y[1]
            delta = round(y[0] - x[0], 6) if x is not None and y is not None and same_unit else None
            cells.append(CellChange((ro, co), (rn, cn), a.strip(), b.strip(), delta, y[1] if y is not None and same_unit else ""))
    old_rows, old_cols = set(rows.values()), set(cols.values())
    return TableChanges(
        tuple(cells),
        added_rows=tuple(r for r in range(1, len(new)) if r not in rows),
        deleted_rows=tuple(r for r in range(1, len(old)) if r not in old_rows),
        added_columns=tuple(c for c in range(len(new[0])) if c not in cols),
        deleted_columns=tuple(c for c in range(len(old[0])) if c not in old_cols),
    )


def table_numbers(changes: TableChanges) -> tuple[NumberChange, ...]:
    """The changed cells that hold numbers, as number changes (KPI targets, budgets).

    >>> old, new = [["項目", "KPI"], ["率", "61.2％"], ["注", "なし"]], [["項目", "KPI"], ["率", "62.4％"], ["注", "あり"]]
    >>> table_numbers(table_changes(old, new))
    (NumberChange(old='61.2％', new='62.4％'),)
    """
    return tuple(NumberChange(c.old_text, c.new_text) for c in changes.cells if _DIGIT.search(c.old_text) or _DIGIT.search(c.new_text))
