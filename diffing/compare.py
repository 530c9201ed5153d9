"""Two documents → one row per item: unchanged, changed, added, deleted or moved.

Alignment follows the heading tree.  Headings are paired first (by text, in
order; labels are ignored so ① → ❶ or （２）→（３） does not matter), then the
items inside each pair of sections.  What is left is paired in document
order, then across the whole document.  Finally the largest set of pairs
that keeps both documents' order is taken; every other pair is an item that
moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.model import Block, CompareRow, Comparison, Document, NumberChange, Status, TextChange, normalize_text

from .align import in_order, monotone_pairs, similarity_matrix
from .config import AlignConfig
from .tablediff import header_similarity, table_changes, table_numbers
from .tokens import Tokenizer
from .worddiff import diff_tokens, notation_only

_BULLETS = set("・･○〇●◆◇□■◎▪-‐－")


@dataclass(frozen=True, slots=True)
class _Pair:
    old: int
    new: int
    score: float
    reason: str


def block_key(b: Block) -> str:
    """What two items are compared on: normalised text without the printed label."""
    return b.norm if b.kind == "table" else b.norm_text


def block_text(b: Block) -> str:
    """The text a word diff runs over (a table's cells, row by row)."""
    return "\n".join("|".join(r) for r in b.rows) if b.kind == "table" else b.text


def _group(b: Block) -> str:
    return b.kind if b.kind in ("heading", "table") else "item"


def sections_of(blocks: Sequence[Block]) -> list[int]:
    """For each block, the index of the heading it sits under (-1 before the first)."""
    out, cur = [], -1
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            cur = i
        out.append(cur)
    return out


@dataclass(frozen=True, slots=True)
class _Side:
    """One document's blocks with what alignment compares, computed once."""

    blocks: Sequence[Block]
    keys: list[str]
    labels: list[str]
    sections: list[int]
    groups: list[str]

    @classmethod
    def of(cls, blocks: Sequence[Block]) -> _Side:
        labels = [normalize_text(b.label) for b in blocks]
        return cls(blocks, [block_key(b) for b in blocks], labels, sections_of(blocks), [_group(b) for b in blocks])

    def bodies(self) -> dict[int, list[int]]:
        """The items (not headings) under each heading index (-1: before the first)."""
        out: dict[int, list[int]] = {}
        for i, b in enumerate(self.blocks):
            if b.kind != "heading":
                out.setdefault(self.sections[i], []).append(i)
        return out


#: the similarities of one kind group: old indices, new indices, and their ratio matrix
_Sims = dict[str, tuple[list[int], list[int], np.ndarray]]


def _similarities(old: _Side, new: _Side, oi: list[int], ni: list[int]) -> _Sims:
    """The similarity matrix of two index lists within each kind group (heading, table, item)."""
    out: _Sims = {}
    for group in ("heading", "table", "item"):
        a = [i for i in oi if old.groups[i] == group]
        b = [j for j in ni if new.groups[j] == group]
        if a and b:
            out[group] = a, b, similarity_matrix([old.keys[i] for i in a], [new.keys[j] for j in b])
    return out


def _pair_lists(old: _Side, new: _Side, sims: _Sims, cutoff: float, reason: str, label_bonus: float = 0.0) -> list[_Pair]:
    """Order-preserving pairs within each kind group.

    ``label_bonus`` is added to the similarity of two headings printed with
    the same number at the same level (④ kept while its title was rewritten);
    two tables with the same header row are the same table.
    """
    out: list[_Pair] = []
    for group, (a, b, sim) in sims.items():
        if group == "table":
            sim = sim.copy()  # the ratios themselves stay for the move pass
            for x, i in enumerate(a):
                for y, j in enumerate(b):
                    sim[x, y] = max(sim[x, y], header_similarity(old.blocks[i].rows, new.blocks[j].rows))
        if label_bonus and group == "heading":
            sim = sim.copy()
            for x, i in enumerate(a):
                for y, j in enumerate(b):
                    if old.labels[i] and old.labels[i] == new.labels[j] and old.blocks[i].level == new.blocks[j].level:
                        sim[x, y] = min(1.0, sim[x, y] + label_bonus)
        out += [_Pair(a[x], b[y], float(s), reason) for x, y, s in monotone_pairs(sim, cutoff)]
    return out


def _align(old: _Side, new: _Side, config: AlignConfig) -> list[_Pair]:
    """Every pair of blocks that are the same item, with its score and the pass that found it."""
    heads_old = [i for i, g in enumerate(old.groups) if g == "heading"]
    heads_new = [j for j, g in enumerate(new.groups) if g == "heading"]
    pairs = _pair_lists(old, new, _similarities(old, new, heads_old, heads_new), config.heading_cutoff, "heading", config.label_bonus)
    # items inside each pair of matched sections (and before the first heading)
    body_old, body_new = old.bodies(), new.bodies()
    for p in [_Pair(-1, -1, 1.0, ""), *pairs]:
        sims = _similarities(old, new, body_old.get(p.old, []), body_new.get(p.new, []))
        pairs += _pair_lists(old, new, sims, config.score_cutoff, "same section")
    # leftovers: in document order, then anywhere (a move)
    used_old = {p.old for p in pairs}
    used_new = {p.new for p in pairs}
    rest_old = [i for i in range(len(old.blocks)) if i not in used_old]
    rest_new = [j for j in range(len(new.blocks)) if j not in used_new]
    rest = _similarities(old, new, rest_old, rest_new)
    pairs += _pair_lists(old, new, rest, max(config.score_cutoff, config.move_cutoff - 0.1), "document order")
    used_old = {p.old for p in pairs}
    used_new = {p.new for p in pairs}
    for a, b, ratios in rest.values():
        xs = [x for x, i in enumerate(a) if i not in used_old]
        ys = [y for y, j in enumerate(b) if j not in used_new]
        if not xs or not ys:
            continue
        sim = ratios[np.ix_(xs, ys)]  # the leftovers' ratios, already computed for the pass before
        # greedy, best first: each leftover item takes its most similar partner
        cand = sorted(((float(sim[x, y]), int(x), int(y)) for x, y in np.argwhere(sim >= config.move_cutoff)), reverse=True)
        taken_x: set[int] = set()
        taken_y: set[int] = set()
        for score, x, y in cand:
            if x not in taken_x and y not in taken_y:
                taken_x.add(x)
                taken_y.add(y)
                pairs.append(_Pair(a[xs[x]], b[ys[y]], round(score, 4), "best match elsewhere"))
    return pairs


def _renumbered(a: Block, b: Block) -> bool:
    la, lb = normalize_text(a.label), normalize_text(b.label)
    if la == lb:
        return False
    return not (set(la) <= _BULLETS and set(lb) <= _BULLETS)


def section_name(blocks: Sequence[Block], sections: Sequence[int], i: int) -> str:
    h = sections[i] if blocks[i].kind != "heading" else i
    return f"{blocks[h].label}{blocks[h].text}" if h >= 0 else "(冒頭)"


def compare_documents(
    old: Document,
    new: Document,
    *,
    config: AlignConfig | None = None,
    old_source: str = "",
    new_source: str = "",
    tokenizer: Tokenizer | None = None,
) -> Comparison:
    """Align two documents and say what happened to every item.

    Rows follow the new document; a deleted item sits after the row of its
    nearest preceding old neighbour.

    >>> from pipeline.model import Block, Document
    >>> old = Document((Block("heading", "健診", "（１）", 1), Block("bullet", "実施率を56.0％以上とする", "・")))
    >>> new = Document((Block("heading", "健診", "（２）", 1), Block("bullet", "実施率を56.6％以上とする", "・")))
    >>> [(r.status, r.renumbered, [(n.old, n.new) for n in r.numbers]) for r in compare_documents(old, new).rows]
    [('unchanged', True, []), ('changed', False, [('56.0％', '56.6％')])]
    """
    config = config or AlignConfig()
    tok = tokenizer or Tokenizer(mode=config.mode)
    ob, nb = old.blocks, new.blocks
    old_side, new_side = _Side.of(ob), _Side.of(nb)  # keys and sections, computed once for both passes
    pairs = _align(old_side, new_side, config)
    keep = in_order([(p.old, p.new) for p in pairs])
    by_new = {p.new: p for p in pairs}
    by_old = {p.old: p for p in pairs}

    def pair_row(p: _Pair) -> CompareRow:
        a, b = ob[p.old], nb[p.new]
        moved = (p.old, p.new) not in keep
        same = old_side.keys[p.old] == new_side.keys[p.new]
        reason = p.reason
        if moved:
            reason += f"; moved from {section_name(ob, old_side.sections, p.old)} to {section_name(nb, new_side.sections, p.new)}"
        text_a, text_b = block_text(a), block_text(b)
        notation = False
        if text_a == text_b:
            changes: tuple[TextChange, ...] = (TextChange("equal", text_a, text_b),) if text_a else ()
            numbers: tuple[NumberChange, ...] = ()
        else:  # also when only widths differ: the opcodes keep both spellings
            ta, tb = tok.tokenize(text_a), tok.tokenize(text_b)
            changes, numbers = diff_tokens(ta, tb)
            notation = not same and notation_only(ta, tb)
            if notation:
                numbers = ()  # 2025（令和７）年度 → 令和７年度 is the same year, not a changed number
        table = table_changes(a.rows, b.rows) if a.kind == b.kind == "table" and not same else None
        if table is not None:
            numbers = table_numbers(table)
            notation = not (table.cells or table.added_rows or table.deleted_rows or table.added_columns or table.deleted_columns)
        status: Status = "moved" if moved else "unchanged" if same else "changed"
        return CompareRow(
            status, a, b, p.old, p.new, 1.0 if same else p.score, _renumbered(a, b), notation, changes, numbers, reason, table
        )

    rows: list[CompareRow] = []
    deleted_after: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(ob)):
        if i in by_old:
            anchor = i
        else:
            deleted_after.setdefault(anchor, []).append(i)

    def deleted_rows(after: int) -> list[CompareRow]:
        return [CompareRow("deleted", ob[i], None, i, None, 0.0, reason="no counterpart") for i in deleted_after.get(after, [])]

    rows += deleted_rows(-1)
    for j in range(len(nb)):
        p = by_new.get(j)
        if p is None:
            rows.append(CompareRow("added", None, nb[j], None, j, 0.0, reason="no counterpart"))
            continue
        rows.append(pair_row(p))
        rows += deleted_rows(p.old)
    return Comparison(old=old, new=new, rows=tuple(rows), old_source=old_source, new_source=new_source)
