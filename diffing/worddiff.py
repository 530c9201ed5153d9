"""Word-level differences between two texts, and the numbers that changed."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Literal, cast

from pipeline.model import NumberChange, TextChange

from .era import canonical_eras
from .tokens import Token


def diff_tokens(old: Sequence[Token], new: Sequence[Token]) -> tuple[tuple[TextChange, ...], tuple[NumberChange, ...]]:
    """The word diff and the changed numbers of two token lists, from one matching pass.

    Tokens are compared by key (width and spacing ignored), so ``１００％`` and
    ``100%`` are equal.  Numbers are paired in order within each replaced span.
    """
    changes: list[TextChange] = []
    numbers: list[NumberChange] = []
    for op, i1, i2, j1, j2 in opcodes([t.key for t in old], [t.key for t in new]):
        changes.append(TextChange(op, "".join(t.surface for t in old[i1:i2]), "".join(t.surface for t in new[j1:j2])))
        if op == "replace":
            a = [t for t in old[i1:i2] if t.number]
            b = [t for t in new[j1:j2] if t.number]
            numbers += [NumberChange(x.surface.strip(), y.surface.strip()) for x, y in zip(a, b, strict=False) if x.key != y.key]
    return tuple(changes), tuple(numbers)


Op = Literal["equal", "insert", "delete", "replace"]
Opcode = tuple[Op, int, int, int, int]
#: old × new tokens compared directly; SequenceMatcher's cost grows with the product
DIRECT_LIMIT = 250_000
_SENTENCE_END = frozenset("。．.！？!?\n")


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """``SequenceMatcher`` opcodes of two key lists, at a cost near-linear in their length.

    The common head and tail are split off first; a middle too long to
    compare directly is compared sentence by sentence, and only the changed
    sentences word by word (a changed span still too long stays one
    ``replace``).  The opcodes always rebuild both lists.

    >>> opcodes(list("abcxdef"), list("abcydef"))
    [('equal', 0, 3, 0, 3), ('replace', 3, 4, 3, 4), ('equal', 4, 7, 4, 7)]
    """
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    ops: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    ops += _middle(a, b, head, len(a) - tail, head, len(b) - tail, by_sentence=True)
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    merged: list[Opcode] = []
    for op in ops:
        if merged and merged[-1][0] == op[0]:
            last = merged.pop()
            op = (op[0], last[1], op[2], last[3], op[4])
        merged.append(op)
    return merged


def _middle(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int, *, by_sentence: bool) -> list[Opcode]:
    if i1 == i2 and j1 == j2:
        return []
    if i1 == i2 or j1 == j2:
        return [("insert" if i1 == i2 else "delete", i1, i2, j1, j2)]
    if (i2 - i1) * (j2 - j1) <= DIRECT_LIMIT:
        sm = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
        return [(cast(Op, op), i1 + x1, i1 + x2, j1 + y1, j1 + y2) for op, x1, x2, y1, y2 in sm.get_opcodes()]
    sa, sb = _sentences(a, i1, i2), _sentences(b, j1, j2)
    if not by_sentence or len(sa) * len(sb) > 16 * DIRECT_LIMIT or (len(sa) == 1 and len(sb) == 1):
        return [("replace", i1, i2, j1, j2)]
    units: SequenceMatcher[tuple[str, ...]] = SequenceMatcher(
        None, [tuple(a[x:y]) for x, y in sa], [tuple(b[x:y]) for x, y in sb], autojunk=False
    )
    out: list[Opcode] = []
    for op, x1, x2, y1, y2 in units.get_opcodes():
        ta1, ta2 = _tokens_of(sa, x1, x2, i2)
        tb1, tb2 = _tokens_of(sb, y1, y2, j2)
        if op == "equal":
            out.append(("equal", ta1, ta2, tb1, tb2))
        else:
            out += _middle(a, b, ta1, ta2, tb1, tb2, by_sentence=False)
    return out


def _tokens_of(units: list[tuple[int, int]], first: int, last: int, end: int) -> tuple[int, int]:
    """The token range of sentences ``first:last`` (an empty range sits where sentence ``first`` starts)."""
    start = units[first][0] if first < len(units) else end
    return start, units[last - 1][1] if last > first else start


def _sentences(keys: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    begin = start
    for k in range(start, end):
        if keys[k][-1:] in _SENTENCE_END:
            out.append((begin, k + 1))
            begin = k + 1
    if begin < end:
        out.append((begin, end))
    return out


def word_diff(old: Sequence[Token], new: Sequence[Token]) -> tuple[TextChange, ...]:
    """Opcodes over morphemes; the ``old`` parts rebuild the old text, the ``new`` parts the new.

    >>> from diffing.tokens import Tokenizer
    >>> t = Tokenizer()
    >>> [(c.op, c.old, c.new) for c in word_diff(t.tokenize("目標を56.0％とする"), t.tokenize("目標を56.6％とする"))]
    [('equal', '目標を', '目標を'), ('replace', '56.0％', '56.6％'), ('equal', 'とする', 'とする')]
    """
    return diff_tokens(old, new)[0]


def number_changes(old: Sequence[Token], new: Sequence[Token]) -> tuple[NumberChange, ...]:
    """Every number (with its unit) that differs.

    >>> from diffing.tokens import Tokenizer
    >>> t = Tokenizer()
    >>> number_changes(t.tokenize("予算は8,063千円、対象は1,660事業所"), t.tokenize("予算は9,000千円、対象は1,660事業所"))
    (NumberChange(old='8,063千円', new='9,000千円'),)
    """
    return diff_tokens(old, new)[1]


def notation_only(old: Sequence[Token], new: Sequence[Token]) -> bool:
    """True when the texts differ only in notation (取組/取り組み, 子ども/子供, 2025（令和７）年度/R7年度).

    >>> from diffing.tokens import Tokenizer
    >>> t = Tokenizer()
    >>> notation_only(t.tokenize("取組を進める"), t.tokenize("取り組みを進める"))
    True
    >>> notation_only(t.tokenize("2025（令和７）年度から"), t.tokenize("R7年度から"))
    True
    """
    a, b = [t.norm for t in old if t.key], [t.norm for t in new if t.key]
    return a == b or canonical_eras("".join(a)) == canonical_eras("".join(b))
