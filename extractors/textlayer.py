"""Whether a page's text layer can be trusted: one verdict per page.

A font without a Unicode map does not fail loudly: PDFium hands back its raw
codes, which read as control characters (``\\x01\\x02``), private-use
characters, U+FFFD, Latin-1 letters on a Japanese page (ÄÅÇÉ), or digits
turned into symbols (™—›); pdfminer spells the same thing ``(cid:NNN)``.
A Unicode map that names the wrong characters (Ghostscript re-distilling a
browser's CID fonts: 「令和Ā年度」「全国~支部|」) shows in the geometry: a
Latin letter, digit or ASCII sign printed with a glyph a full em wide.
Each page gets a verdict — ``ok``, ``garbled``, ``no_text`` (images only, or
text printed as shapes), ``ocr_layer`` (a scan under another program's
invisible OCR text) or ``vertical`` (see :mod:`extractors.vertical`) — and a
reason; characters no reader can see or use are dropped from the pages that
are kept.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import compress

from pipeline.model import PageReport

from .page import BOTTOM, TEXT, TOP, X0, X1, Char, PageContent
from .vertical import writing_mode

# control, private-use, surrogate and replacement characters, and pdfminer's (cid:NNN)
UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]|\\(cid:")
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
LATIN1_LETTER = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")
# what a WinAnsi or Latin-1 decoding makes of digits and kana; none of these is in JIS X 0208
CODE_SYMBOL = re.compile(
    "[\u0192\u02c6\u02dc\u0160\u0161\u0152\u0153\u017d\u017e\u0178\u201a\u201e\u2039\u203a\u2122\u00a4\u00a6\u00af\u00b8\u00b9\u00b2\u00b3\u00bc-\u00be]"
)
DIGIT = re.compile("[0-9０-９]")
# Latin letters, digits and ASCII punctuation: narrow in every font, however proportional (but for the widest few)
WIDEST = frozenset("MW@%&mw")
NARROW = frozenset(map(chr, [*range(0x21, 0x7F), *range(0xC0, 0x250)])) - WIDEST


def visible_text(chars: tuple[Char, ...]) -> str:
    return "".join("".join(map(TEXT, chars)).split())


def judge_page(page: PageContent, *, garbage_share: float = 0.02, outlined_shapes: int = 20) -> PageReport:
    """The verdict on one page's text layer, with the reason when it is not ``ok``."""
    text = visible_text(page.chars)
    if not text:
        if page.images:
            return PageReport(page.number, "no_text", f"{page.images} image(s) and no characters")
        if page.shapes >= outlined_shapes:
            return PageReport(page.number, "no_text", f"{page.shapes} drawn shapes and no characters: text printed as outlines")
        return PageReport(page.number, "ok")
    bad = len(UNREADABLE.findall(text))
    if bad and bad >= garbage_share * len(text):
        return PageReport(page.number, "garbled", f"{bad} of {len(text)} characters are control, private-use or unmapped codes")
    if not JAPANESE.search(text):
        latin1 = len(LATIN1_LETTER.findall(text))
        letters = sum(ch.isalpha() for ch in text)
        if latin1 >= 5 and latin1 >= 0.2 * letters:
            return PageReport(
                page.number, "garbled", f"{latin1} of {letters} letters are Latin-1 accented letters and none is kana or kanji"
            )
    narrow = compress(page.chars, map(NARROW.__contains__, map(TEXT, page.chars)))  # at C speed: every page is judged
    wide = [c for c in narrow if c.x1 - c.x0 >= 0.95 * c.size]
    if len(wide) >= 5 and len(wide) >= garbage_share * len(text):
        sample = "".join(dict.fromkeys(c.text for c in wide))[:6]
        return PageReport(
            page.number,
            "garbled",
            f"{len(wide)} of {len(text)} characters read as Latin letters or ASCII ({sample}) but are printed a full em wide"
            " (a font whose Unicode map names the wrong characters)",
        )
    symbols = len(CODE_SYMBOL.findall(text))
    if symbols >= 3 and symbols > len(DIGIT.findall(text)):
        return PageReport(
            page.number, "garbled", f"{symbols} characters such as ™ › ¼ stand where digits should (fonts without a Unicode map)"
        )
    if page.images and page.invisible >= 0.5 * len(text):
        return PageReport(page.number, "ocr_layer", f"{page.invisible} of {len(text)} characters are invisible text laid over an image")
    mode = writing_mode(page.chars)
    if mode == "vertical":
        return PageReport(page.number, "vertical")
    if mode == "mixed":
        return PageReport(page.number, "vertical", "vertical and horizontal writing mixed on one page: it cannot be read in order")
    return PageReport(page.number, "ok")


def drop_unreadable(page: PageContent) -> PageContent:
    """The page without characters no reader can see or use: set outside the page, or a stray U+FFFD, a hyphen decoded to \\x02."""
    w, h, chars = page.width, page.height, page.chars
    off = bool(chars) and (
        min(map(X1, chars)) <= 0 or max(map(X0, chars)) >= w or min(map(BOTTOM, chars)) <= 0 or max(map(TOP, chars)) >= h
    )
    if not off and not UNREADABLE.search("".join(map(TEXT, chars))):
        return page
    kept = (c for c in page.chars if not UNREADABLE.search(c.text) and c.x1 > 0 and c.x0 < w and c.bottom > 0 and c.top < h)
    return replace(page, chars=tuple(kept))


def join_ocr_words(page: PageContent) -> PageContent:
    """An OCR text layer without the spaces its program put between Japanese words (サン プル 支部 → サンプル支部).

    Such programs set a space after every word they recognised; Japanese
    has no word spaces, so a space between two characters that are not
    Latin letters or digits is the program's, not the print's.
    """
    chars = page.chars
    kept = [c for i, c in enumerate(chars) if not c.text.isspace() or not (_japanese_at(chars, i, -1) and _japanese_at(chars, i, 1))]
    return replace(page, chars=tuple(kept))


def _japanese_at(chars: tuple[Char, ...], i: int, step: int) -> bool:
    """Whether the nearest character that is not a space, from ``i`` in direction ``step``, is on the same line and not ASCII."""
    j = i + step
    while 0 <= j < len(chars) and chars[j].text.isspace():
        j += step
    return 0 <= j < len(chars) and not chars[j].text.isascii() and abs(chars[j].top - chars[i].top) < 0.5 * chars[i].size
