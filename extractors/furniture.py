"""Running headers, footers and page numbers: page furniture, not content."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .lines import Line

_PAGE_NO = re.compile(r"^[-－—‐−ー\s]*(?:[pP]\.?\s*)?[0-9０-９]{1,4}(?:\s*[/／]\s*[0-9０-９]{1,4})?[-－—‐−ー\s]*$")
_DIGITS = re.compile(r"[0-9０-９]+")


def _key(text: str) -> str:
    return _DIGITS.sub("#", text.replace(" ", ""))


def _ornament(text: str) -> bool:
    """A margin line without a letter or digit: a rule, a bullet, a decoration."""
    return not any(ch.isalnum() for ch in text)


def strip_furniture(pages: Sequence[Sequence[Line]], heights: Sequence[float], *, margin: float = 0.08) -> list[list[Line]]:
    """Drop lines in the top/bottom margin that repeat across pages or are page numbers.

    A line counts as furniture when it sits within ``margin`` × page height
    of the top or bottom edge and either looks like a page number, holds no
    letter or digit, or its text (digits ignored) recurs in the margins of
    several pages.
    """

    def in_margin(ln: Line, h: float) -> bool:
        return ln.bottom < margin * h or ln.top > (1 - margin) * h

    counts: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        counts.update({_key(ln.text) for ln in lines if in_margin(ln, h)})
    need = max(2, round(0.4 * len(pages)))

    def furniture(text: str) -> bool:
        return bool(_PAGE_NO.match(text)) or _ornament(text) or (len(pages) > 1 and counts[_key(text)] >= need)

    return [[ln for ln in lines if not (in_margin(ln, h) and furniture(ln.text))] for lines, h in zip(pages, heights, strict=True)]
