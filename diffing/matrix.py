"""HQ × every branch: how each branch carries each HQ item, from the HQ → branch comparisons.

Each branch's comparison with HQ is the one ``compare HQ BRANCH`` gives; the
matrix only reads it.  Rows follow the HQ plan; a branch-only item (独自)
stands under the HQ section where the branch put it: after the last item of
that section, before the next HQ heading.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import CompareRow, Comparison, Matrix, MatrixCell, MatrixRow, MatrixStatus, PlanInfo

from .compare import section_name, sections_of


def cell_status(row: CompareRow) -> MatrixStatus:
    """同文 (same text, or notation only), 変更, 移動, 記載なし or 独自 for one row of an HQ → branch comparison."""
    if row.status == "unchanged" or (row.status == "changed" and row.notation_only):
        return "same"
    return {"changed": "changed", "moved": "moved", "deleted": "omitted", "added": "own"}[row.status]  # type: ignore[return-value]


def _cell(c: Comparison, k: int, branch_sections: list[int]) -> MatrixCell:
    r = c.rows[k]
    status = cell_status(r)
    where = section_name(c.new.blocks, branch_sections, r.new_index) if status == "moved" and r.new_index is not None else ""
    return MatrixCell(status, r.new, r.new_index, r.similarity, r.notation_only, r.changes, r.numbers, where, k)


def _section_ends(comparison: Comparison) -> list[int]:
    """For each HQ block, the last HQ index of the section it sits in (before the next heading)."""
    blocks = comparison.old.blocks
    ends = [0] * len(blocks)
    end = len(blocks) - 1
    for i in range(len(blocks) - 1, -1, -1):
        ends[i] = end
        if blocks[i].kind == "heading":
            end = i - 1
    return ends


def build_matrix(hq: PlanInfo, branches: Sequence[PlanInfo], comparisons: Sequence[Comparison]) -> Matrix:
    """The matrix of one HQ plan and its branches; ``comparisons[k]`` is HQ (old) → branch ``k`` (new).

    >>> from pipeline.model import Block, Document
    >>> from diffing import compare_documents
    >>> hq = Document((Block("heading", "健診", "１．", 1), Block("bullet", "受診案内を送付する。", "・")))
    >>> br = Document((Block("heading", "健診", "１．", 1), Block("bullet", "県と協力して講演会を開く。", "・")))
    >>> m = build_matrix(PlanInfo("hq"), [PlanInfo("b")], [compare_documents(hq, br)])
    >>> [(r.hq_index, [c.status if c else None for c in r.cells]) for r in m.rows]
    [(0, ['same']), (1, ['omitted']), (None, ['own'])]
    """
    if len(branches) != len(comparisons):
        raise ValueError("one comparison per branch")
    n = len(comparisons[0].old.blocks) if comparisons else 0
    cells: list[list[MatrixCell | None]] = [[None] * len(comparisons) for _ in range(n)]
    own: dict[int, list[MatrixRow]] = {}
    for b, c in enumerate(comparisons):
        if len(c.old.blocks) != n:
            raise ValueError(f"comparison {b} is not against the same HQ plan")
        ends = _section_ends(c)
        branch_sections = sections_of(c.new.blocks)
        anchor = -1  # the HQ item the branch plan has reached, in HQ order
        for k, r in enumerate(c.rows):
            cell = _cell(c, k, branch_sections)
            if r.old_index is not None:
                cells[r.old_index][b] = cell
                if r.status != "moved":
                    anchor = r.old_index
                continue
            row_cells: list[MatrixCell | None] = [None] * len(comparisons)
            row_cells[b] = cell
            own.setdefault(ends[anchor] if anchor >= 0 else -1, []).append(MatrixRow(None, None, tuple(row_cells)))
    rows: list[MatrixRow] = list(own.get(-1, []))
    for i in range(n):
        rows.append(MatrixRow(comparisons[0].old.blocks[i], i, tuple(cells[i])))
        rows += own.get(i, [])
    return Matrix(hq, tuple(branches), tuple(rows))
