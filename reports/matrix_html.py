"""The matrix as one printable HTML page: HQ items × branches, each cell linked to that branch's 対照表."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Matrix

from .html import environment
from .matrix_view import MATRIX_COLOURS, MATRIX_JA, MATRIX_MEANING, block_text, cell_note, row_sections, summary_lines
from .safetext import map_text, visible


def matrix_html(m: Matrix, *, links: Sequence[str | None] | None = None, title: str | None = None) -> str:
    """``links[k]`` is the URL of branch ``k``'s 対照表 (HQ → branch); each cell links to its row there."""
    m = map_text(m, visible)  # bidi overrides, zero-width characters shown, not obeyed
    return (
        environment()
        .get_template("matrix.html")
        .render(
            title=title or f"{m.hq.year} 本部・支部 事業計画 対照マトリクス".strip(),
            m=m,
            links=list(links) if links else [None] * len(m.branches),
            sections=row_sections(m),
            summary=summary_lines(m),
            names=MATRIX_JA,
            meaning=MATRIX_MEANING,
            colours=MATRIX_COLOURS,
            block_text=block_text,
            cell_note=cell_note,
        )
    )
