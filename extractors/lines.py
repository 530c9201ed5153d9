"""Characters → text lines.

A line is a run of characters sharing a baseline band, read left to right.
Spaces are kept where the PDF prints them; a space is only added for a wide
gap between two Latin letters or digits — never between Japanese characters.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .numbering import BULLETS
from .page import BOTTOM, SIZE, TEXT, TOP, WEIGHT, X0, X1, Char


@dataclass(frozen=True, slots=True)
class Line:
    chars: tuple[Char, ...]
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    weight: int  # the weight class most of its characters have
    page: int

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text_x0(self) -> float:
        """Left edge of the first character that is not a space."""
        for c in self.chars:
            if not c.text.isspace():
                return c.x0
        return self.x0


# A word space in Latin text is 0.2–0.33 em; letters of one word sit under 0.1 em apart.
# PDFs that place each word without a space character leave only the gap.
_WORD_GAP = 0.15


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,)")


# two characters, side by side, that may be Latin words printed without a space between them
_ASCII_PAIR = re.compile(r"[A-Za-z0-9%.,)]{2}")


def _line_text(chars: Sequence[Char], joined: str, words: list[str]) -> str:
    """The characters' texts joined, a space where two Latin words sit a word gap apart, spaces collapsed.

    ``joined``: their texts joined; ``words``: ``joined.split()``.
    """
    if _ASCII_PAIR.search(joined) is None:  # most lines: no two Latin letters or digits touch
        return " ".join(words)
    parts: list[str] = []
    prev: Char | None = None
    for c in chars:
        if not c.text.isspace() and prev is not None and not prev.text.isspace():
            gap = c.x0 - prev.x1
            if gap > _WORD_GAP * max(c.size, 1.0) and _is_ascii_word(prev.text[-1]) and _is_ascii_word(c.text[0]):
                parts.append(" ")
        parts.append(c.text)
        prev = c
    return " ".join("".join(parts).split())


def make_line(chars: Sequence[Char], page: int) -> Line:
    """One line from characters already in reading order."""
    joined = "".join(map(TEXT, chars))
    words = joined.split()
    # most lines have no space anywhere (split() leaves the text whole): every character is visible
    unbroken = len(words) == 1 and len(words[0]) == len(joined)
    visible = chars if unbroken else [c for c in chars if not c.text.isspace()] or chars
    sizes = sorted(map(SIZE, visible))
    half = len(sizes) // 2
    weights = list(map(WEIGHT, visible))
    weight = weights[0]
    if weights.count(weight) != len(weights):  # (most lines are set in one weight)
        counts = {w: weights.count(w) for w in set(weights)}
        weight = max(counts, key=lambda w: (counts[w], w))
    return Line(  # (by position: a frozen dataclass takes keywords a third slower, and a page makes dozens)
        tuple(chars),
        _line_text(chars, joined, words),
        min(map(X0, visible)),
        min(map(TOP, visible)),
        max(map(X1, visible)),
        max(map(BOTTOM, visible)),
        sizes[half] if len(sizes) % 2 else (sizes[half - 1] + sizes[half]) / 2,  # the median
        weight,
        page,
    )


def _all_space(chars: Iterable[Char]) -> bool:
    """Whether every character is a space (an empty text is not)."""
    return all(map(str.isspace, map(TEXT, chars)))


def _attach_bullets(rows: list[list[Char]]) -> list[list[Char]]:
    """A bullet glyph printed apart from its text (its own size or baseline, as slide software does) joins the text.

    The glyph's row is merged into the row whose text starts just to its
    right and overlaps it vertically.
    """
    out = [r for r in rows]
    for i, row in enumerate(rows):
        if any(t not in BULLETS and t not in "-‐－" and not t.isspace() for t in map(TEXT, row)):
            continue  # most rows: text, found at their first character
        visible = [c for c in row if not c.text.isspace()]
        if not visible:
            continue
        glyph = max(visible, key=lambda c: c.x1)
        size = max(glyph.size, 1.0)
        for j, other in enumerate(rows):
            if j == i or not out[j]:
                continue
            first = min((c for c in other if not c.text.isspace() and c.x0 >= glyph.x1 - 0.5), key=lambda c: c.x0, default=None)
            if first is None or first.x0 - glyph.x1 > 3 * size or (min(c.x0 for c in other) < glyph.x0):
                continue
            if min(glyph.bottom, first.bottom) - max(glyph.top, first.top) > 0.3 * min(glyph.bottom - glyph.top, first.bottom - first.top):
                out[j] = [*row, *out[j]]
                out[i] = []
                break
    return [r for r in out if r]


def _attach_raised(rows: list[list[Char]]) -> list[list[Char]]:
    """A superscript or subscript (※１ set small and raised after a word) joins the line it is set in.

    Sorted by their centres, its small characters come before the line's and
    open a band of their own.  A row whose characters are all under 0.8 ×
    the size of the row beside it (in centre order), whose centre is within
    half that row's height of its centre, and which lies within its run
    across the page, is merged into it.
    """
    out = [r for r in rows]
    sizes = [max(map(SIZE, row)) for row in rows]
    for i, row in enumerate(rows):
        size = sizes[i]
        for j in (i - 1, i + 1):
            other = out[j] if 0 <= j < len(out) else []
            if not other:
                continue
            big = sizes[j] if other is rows[j] else max(map(SIZE, other))
            if size >= 0.8 * big:
                continue
            mid = (min(map(TOP, row)) + max(map(BOTTOM, row))) / 2
            top, bottom = min(map(TOP, other)), max(map(BOTTOM, other))
            within = min(map(X0, other)) - big <= row[0].x0 <= max(map(X1, other)) + big
            if within and abs(mid - (top + bottom) / 2) <= 0.5 * (bottom - top):
                out[j] = [*other, *row]
                out[i] = []
                break
    return [r for r in out if r]


_KANA = re.compile("[\u3041-\u30ff]+")
_KANA_OR_SPACE = re.compile("[\u3041-\u30ff\\s]+")  # \s: what str.isspace() holds a space


def _drop_ruby(rows: list[list[Char]]) -> list[list[Char]]:
    """Rows of ruby (furigana: small kana set just above the kanji they read) are not text of their own.

    A row of kana only, at most 0.6 × the size of the row under it, sitting
    on that row's top (within a third of its size) and within its run across
    the page, is dropped: read, it would be a paragraph of かにゅうしゃ.
    """
    out = []
    for i, row in enumerate(rows):
        below = rows[i + 1] if i + 1 < len(rows) else None
        # (a row with anything but kana and spaces is no ruby: most are told at their first character)
        if below is not None and _KANA_OR_SPACE.fullmatch("".join(map(TEXT, row))):
            text = "".join(t for t in map(TEXT, row) if not t.isspace())
            big = max(map(SIZE, below))
            top = min(map(TOP, below))
            gap = top - max(map(BOTTOM, row))
            within = min(map(X0, below)) - 0.5 * big <= row[0].x0 and max(map(X1, row)) <= max(map(X1, below)) + 0.5 * big
            if _KANA.fullmatch(text) and max(map(SIZE, row)) <= 0.6 * big and abs(gap) <= big / 3 and within:
                continue
        out.append(row)
    return out


def group_lines(chars: Iterable[Char], page: int, *, gap_split: float = 3.0) -> list[Line]:
    """Cluster characters into lines (top to bottom, left to right).

    Characters whose vertical centres fall inside one band form a line; a
    horizontal gap wider than ``gap_split`` × the font size splits it (a
    page number or a table cell beside the text is a line of its own).
    """
    chars = chars if isinstance(chars, list | tuple) else list(chars)
    mids = [(c.top + c.bottom) / 2 for c in chars]
    order = sorted(range(len(chars)), key=mids.__getitem__)
    ordered = list(map(mids.__getitem__, order))
    monotonic = not any(map(math.isnan, ordered))  # (a NaN leaves the sort out of order)
    rows: list[list[Char]] = []
    start, n = 0, len(order)
    while start < n:
        # a row: its first character's band, and the characters after it whose centres are in the band
        c, mid = chars[order[start]], ordered[start]
        h = max(c.bottom - c.top, 1.0)
        lo, hi = mid - 0.35 * h, mid + 0.35 * h
        if monotonic and lo <= mid <= hi:  # every later centre is >= lo: the band ends where they pass hi
            end = bisect.bisect_right(ordered, hi, start + 1)
        else:
            end = start + 1
            while end < n and lo <= ordered[end] <= hi:
                end += 1
        rows.append(list(map(chars.__getitem__, order[start:end])))
        start = end
    lines: list[Line] = []
    for row in _attach_bullets(_attach_raised(_drop_ruby(rows))):
        row.sort(key=X0)
        x0s, x1s = list(map(X0, row)), list(map(X1, row))
        # where a gap splits the row (the first test spares most characters the max(): the limit is at least gap_split)
        cuts = [
            k
            for k in range(1, len(row))
            if (gap := x0s[k] - x1s[k - 1]) > gap_split and gap > gap_split * max(row[k].size, row[k - 1].size, 1.0)
        ]
        for a, b in itertools.pairwise([0, *cuts, len(row)]):
            if not _all_space(row[a:b]):
                lines.append(make_line(row[a:b], page))
    return lines
