"""Word-level differences between two texts, and the numbers that changed."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from pipeline.model import NumberChange, TextChange

from .era import canonical_eras
from .tokens import Token


def diff_tokens(old: Sequence[Token], new: Sequence[Token]) -> tuple[tuple[TextChange, ...], tuple[NumberChange, ...]]:
    """The word diff and the changed numbers of two token lists, from one matching pass.

    Tokens are compared by key (width and spacing ignored), so ``１００％`` and
    ``100%`` are equal.  Numbers are paired in order within each replaced span.
    """
    sm = SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False)
    changes: list[TextChange] = []
    numbers: list[NumberChange] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        changes.append(TextChange(op, "".join(t.surface for t in old[i1:i2]), "".join(t.surface for t in new[j1:j2])))
        if op == "replace":
            a = [t for t in old[i1:i2] if t.number]
            b = [t for t in new[j1:j2] if t.number]
            numbers += [NumberChange(x.surface.strip(), y.surface.strip()) for x, y in zip(a, b, strict=False) if x.key != y.key]
    return tuple(changes), tuple(numbers)


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
