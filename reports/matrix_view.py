"""What the matrix reports show, computed once: status names and colours, cell notes, sections, summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import MATRIX_STATUSES, Block, Matrix, MatrixCell

MATRIX_JA = {"same": "同文", "changed": "変更", "moved": "移動", "omitted": "記載なし", "own": "独自"}
MATRIX_MEANING = {
    "same": "本部と同じ文（表記の違いのみを含む）",
    "changed": "支部に合わせて書き換え（類似度と変わった語）",
    "moved": "支部計画の別の箇所に記載",
    "omitted": "支部計画に記載なし",
    "own": "支部独自の項目",
}
# one colour per status, light enough to print in black and white
MATRIX_COLOURS = {"same": "E3F4E3", "changed": "FFF5C2", "moved": "E0ECFA", "omitted": "F8E0E0", "own": "EDE3F7"}


def block_text(b: Block | None) -> str:
    if b is None:
        return ""
    if b.kind == "table":
        return "\n".join(" | ".join(r) for r in b.rows)
    return f"{b.label}{b.text}"


def cell_note(c: MatrixCell) -> str:
    """A short explanation: the changed words (old → new), changed numbers, or where a moved item went."""
    if c.status == "same":
        return "表記の違いのみ" if c.notation_only else ""
    if c.status == "moved":
        return f"→ {c.where}"
    if c.status == "changed":
        words = [f"{x.old.strip() or '∅'}→{x.new.strip() or '∅'}" for x in c.changes if x.op != "equal"]
        return f"類似度 {c.similarity:.2f}: " + "、".join(words[:4]) + ("…" if len(words) > 4 else "")
    return ""


@dataclass(frozen=True, slots=True)
class SummaryLine:
    label: str
    counts: dict[str, int]
    shares: dict[str, float]  # of the HQ items (own items: per HQ item too)


def summary_lines(m: Matrix) -> list[SummaryLine]:
    total = max(m.hq_items, 1)
    return [
        SummaryLine(b.label, counts, {k: counts[k] / total for k in MATRIX_STATUSES})
        for b, counts in zip(m.branches, m.summary, strict=True)
    ]


def row_sections(m: Matrix) -> list[str]:
    """The HQ section each row sits in (a branch's own item: the section it stands under)."""
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    for r in m.rows:
        b = r.hq
        if b is not None and b.kind == "heading":
            level = b.level or 1
            stack = [s for s in stack if s[0] < level] + [(level, f"{b.label}{b.text}")]
        out.append(" > ".join(name for _, name in stack))
    return out


def own_branch(cells: Sequence[MatrixCell | None]) -> int:
    """The column of a branch-only row."""
    return next(k for k, c in enumerate(cells) if c is not None)
