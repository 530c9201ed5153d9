"""Checks that a PDF has a usable text layer before we read it."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from pipeline.exceptions import GarbledTextError, NoTextLayerError

from .page import PageContent


def _garbage(ch: str) -> bool:
    if ch.startswith("(cid:"):  # pdfminer's spelling of a glyph without a Unicode map
        return True
    if not ch:
        return True
    cat = unicodedata.category(ch[0])
    return ch == "\ufffd" or cat in ("Co", "Cn", "Cs") or (cat == "Cc" and ch not in "\t\n\r")


def check_text_layer(path: str, pages: Sequence[PageContent], *, garbage_share: float = 0.3) -> None:
    """Raise when there is no text to read, or when it decodes to garbage."""
    chars = [c.text for p in pages for c in p.chars if not c.text.isspace()]
    if not chars:
        images = sum(p.images for p in pages)
        detail = f"{len(pages)} page(s), {images} image(s), no characters" if images else f"{len(pages)} page(s), no characters"
        raise NoTextLayerError(path, detail)
    bad = sum(1 for ch in chars if _garbage(ch))
    if bad >= garbage_share * len(chars):
        raise GarbledTextError(path, f"{bad} of {len(chars)} characters unreadable")
