"""Heading levels from the document's own nesting.

Offices nest numbering glyphs differently (（１） is level 2 in one plan and
level 3 in another), so the level is not read off the glyph.  Walking the
headings in order we keep a stack of the label families that are open: a
family already on the stack closes everything below it; a new family nests
under the headings that outrank it by font size or indentation, and replaces
those that do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HeadingFacts:
    family: str  # label shape ("" when unlabelled)
    size: float
    x0: float


def _outranks(parent: HeadingFacts, child: HeadingFacts, size_eps: float, indent_eps: float) -> bool:
    if parent.size > child.size + size_eps:
        return True
    if parent.size < child.size - size_eps:
        return False
    return parent.x0 < child.x0 - indent_eps


def assign_levels(headings: Sequence[HeadingFacts], *, size_eps: float = 0.3, indent_eps: float = 2.0, max_level: int = 6) -> list[int]:
    """Levels (1-based) for headings listed in reading order.

    >>> H = HeadingFacts
    >>> assign_levels([H("D.", 12, 70), H("(D)", 11, 80), H("C", 10.5, 90), H("(D)", 11, 80), H("D.", 12, 70)])
    [1, 2, 3, 2, 1]
    >>> assign_levels([H("", 12, 70), H("○", 11, 80), H("", 12, 70), H("D.", 12, 70), H("R)", 11, 80)])
    [1, 2, 1, 1, 2]
    """
    stack: list[HeadingFacts] = []
    levels: list[int] = []
    for h in headings:
        at = next((i for i, s in enumerate(stack) if s.family == h.family), None)
        if at is not None:
            del stack[at:]
        else:
            while stack and not _outranks(stack[-1], h, size_eps, indent_eps):
                stack.pop()
        stack.append(h)
        del stack[max_level:]
        levels.append(len(stack))
    return levels
