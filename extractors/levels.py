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
    labelled: bool = True  # printed with numbering (unlabelled headings never nest by order alone)


def _brackets(headings: Sequence[HeadingFacts]) -> set[tuple[str, str]]:
    """Pairs (A, B) of numbering families where A opens before B and comes back after it.

    Slides print every title alike, so only the order says that ２．, （１）,
    （２）, ３． nest （１） under ２．.  Unlabelled headings take no part.
    """
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, h in enumerate(headings):
        if h.family and h.labelled:
            first.setdefault(h.family, i)
            last[h.family] = i
    pairs: set[tuple[str, str]] = set()
    for a in first:
        for b in first:
            # a comes before b's first heading and again after it, and b never opens before a
            if a != b and first[a] < first[b] and any(headings[k].family == a for k in range(first[b] + 1, last[a] + 1)):
                pairs.add((a, b))
    return pairs


def _outranks(parent: HeadingFacts, child: HeadingFacts, size_eps: float, indent_eps: float, brackets: set[tuple[str, str]]) -> bool:
    if parent.size > child.size + size_eps:
        return True
    if parent.size < child.size - size_eps:
        return False
    # nesting by indentation alone takes most of a character: a half-width step is
    # layout (a 【…】 title at the margin, numbered headings set in half a character)
    indent = max(indent_eps, 0.75 * child.size)
    if parent.x0 < child.x0 - indent:
        return True
    return abs(parent.x0 - child.x0) <= indent and (parent.family, child.family) in brackets


def assign_levels(headings: Sequence[HeadingFacts], *, size_eps: float = 0.3, indent_eps: float = 2.0, max_level: int = 6) -> list[int]:
    """Levels (1-based) for headings listed in reading order.

    >>> H = HeadingFacts
    >>> assign_levels([H("D.", 12, 70), H("(D)", 11, 80), H("C", 10.5, 90), H("(D)", 11, 80), H("D.", 12, 70)])
    [1, 2, 3, 2, 1]
    >>> assign_levels([H("", 12, 70), H("○", 11, 80), H("", 12, 70), H("D.", 12, 70), H("R)", 11, 80)])
    [1, 2, 1, 1, 2]
    >>> assign_levels([H("D.", 20, 30), H("D.", 20, 30), H("(D)", 20, 30), H("(D)", 20, 30), H("D.", 20, 30)])  # slide titles
    [1, 1, 2, 2, 1]
    """
    brackets = _brackets(headings)
    stack: list[HeadingFacts] = []
    levels: list[int] = []
    for h in headings:
        at = next((i for i, s in enumerate(stack) if s.family == h.family), None)
        if at is not None:
            del stack[at:]
        else:
            while stack and not _outranks(stack[-1], h, size_eps, indent_eps, brackets):
                stack.pop()
        stack.append(h)
        del stack[max_level:]
        levels.append(len(stack))
    return levels
