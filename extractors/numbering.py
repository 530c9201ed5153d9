"""Printed numbering, bullets and markers at the start of a line.

A label is split off the text and given a *family*: the shape of its glyphs
(``（１）`` and ``(3)`` are both ``(D)``, ``①`` and ``⑤`` are ``C``).  Heading
levels are later derived from the order in which a document nests families,
not from a fixed glyph table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

LabelKind = Literal["numbering", "bullet", "kpi", "note"]

_ROMAN_UP = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_ROMAN_LO = "ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹⅺⅻ"
_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474)) + "".join(chr(c) for c in range(0x3251, 0x3260))
_NEG_CIRCLED = "".join(chr(c) for c in range(0x2776, 0x2780)) + "".join(chr(c) for c in range(0x24EB, 0x24F5))
_CIRCLED_KATA = "".join(chr(c) for c in range(0x32D0, 0x32FF))
_PAREN_DIGIT = "".join(chr(c) for c in range(0x2474, 0x2488))  # ⑴ ...
BULLETS = "・･○〇●◆◇□■◎▪➢✓✔◯•◦▸►‣→"
_BULLETS = BULLETS

_OPEN = "（("
_CLOSE = "）)"
_DOT = "．.、"

_KPI = re.compile(r"^[㋐-㋾]?\s*■?\s*(?:ＫＰＩ|KPI)\s*[：:]\s*")
_NOTE = re.compile(r"^(?:[（(]\s*※\s*[０-９0-9]*\s*[）)]|※\s*[０-９0-9]*)")
_ASCII_ROMAN = r"(?:VIII|VII|VI|IV|IX|III|II|I|V|X)"
_ASCII_ROMAN_LO = r"(?:viii|vii|vi|iv|ix|iii|ii|i|v|x)"
_NUMBERING = re.compile(
    "^(?:"
    rf"[{_OPEN}][０-９0-9]{{1,2}}[{_CLOSE}]"  # （１） (1)
    rf"|[{_OPEN}][{_ROMAN_UP}{_ROMAN_LO}][{_CLOSE}]"  # （Ⅰ）
    rf"|[{_OPEN}][ア-ンあ-ん][{_CLOSE}]"  # （ア）
    rf"|[{_OPEN}]{_ASCII_ROMAN_LO}[{_CLOSE}]"  # (i)
    rf"|[０-９0-9]{{1,2}}[{_DOT}](?![０-９0-9])"  # １． 1.
    rf"|[０-９0-9]{{1,2}}[{_CLOSE}]"  # １） 1)
    rf"|[{_ROMAN_UP}][{_CLOSE}{_DOT}]?"  # Ⅰ） Ⅰ． Ⅰ
    rf"|[{_ROMAN_LO}][{_CLOSE}{_DOT}]?"  # ⅰ）
    rf"|{_ASCII_ROMAN}[{_CLOSE}{_DOT}](?![０-９0-9])"  # I) II.
    rf"|{_ASCII_ROMAN_LO}[{_CLOSE}](?![０-９0-9])"  # i)
    rf"|[{_CIRCLED}{_NEG_CIRCLED}{_CIRCLED_KATA}{_PAREN_DIGIT}]"  # ① ❶ ㋐ ⑴
    rf"|[ア-ン][{_CLOSE}．.](?![０-９0-9])"  # ア）
    rf"|[A-ZＡ-Ｚ][{_CLOSE}．.](?=\s*\S)"  # A. Ａ．
    ")"
    rf"[{_BULLETS}]?"  # ❺〇
)
# a hyphen is a bullet before a space, or glued to Japanese text (-支部内の…), never inside a number or word
_BULLET = re.compile(rf"^(?:[{_BULLETS}]|[-‐－](?=\s|[^\x00-\x7f]))")
# ●％)以上とする: a placeholder number (●●％ in drafts) wrapped to the line start, not a bullet
_NOT_AFTER_BULLET = "％%)）、。，,．"


@dataclass(frozen=True, slots=True)
class Label:
    kind: LabelKind
    label: str  # as printed, without trailing spaces
    family: str  # glyph shape: (D) D. R) C ...
    rest: str  # the text after the label, leading spaces removed


def family_of(label: str) -> str:
    """The glyph shape of a label.

    >>> family_of("（１２）"), family_of("(3)"), family_of("Ⅳ．"), family_of("⑤"), family_of("❶")
    ('(D)', '(D)', 'R.', 'C', 'N')
    """
    out = []
    for ch in label:
        if ch in _ROMAN_UP:
            out.append("R")
        elif ch in _ROMAN_LO:
            out.append("r")
        elif ch in _CIRCLED:
            out.append("C")
        elif ch in _NEG_CIRCLED:
            out.append("N")
        elif ch in _CIRCLED_KATA:
            out.append("Q")
        elif ch in _PAREN_DIGIT:
            out.append("(D)")
        elif "ア" <= ch <= "ン":
            out.append("K")
        elif "あ" <= ch <= "ん":
            out.append("H")
        else:
            c = unicodedata.normalize("NFKC", ch)
            if c.isdigit():
                out.append("D")
            elif c in "IVX":
                out.append("R")
            elif c in "ivx":
                out.append("r")
            elif c.isalpha() and c.isascii():
                out.append("A")
            elif c in "・･":
                out.append("・")
            elif c in "〇◯":
                out.append("○")
            elif not c.isspace():
                out.append(c)
    s = "".join(out)
    return re.sub(r"D+", "D", re.sub(r"R+", "R", re.sub(r"r+", "r", s)))


def split_label(text: str) -> Label | None:
    """Split a printed numbering / bullet / KPI / note token off ``text``.

    >>> split_label("（１）健全な財政運営")
    Label(kind='numbering', label='（１）', family='(D)', rest='健全な財政運営')
    >>> split_label("■ KPI：１）受付率を対前年度以下とする").label
    '■ KPI：'
    >>> split_label("１．５倍とする") is None
    True
    >>> split_label("令和７年度") is None
    True
    """
    m = _KPI.match(text)
    if m:
        return Label("kpi", m.group(0).strip(), "KPI", text[m.end() :].lstrip())
    m = _NOTE.match(text)
    if m:
        return Label("note", m.group(0).strip(), family_of(m.group(0)), text[m.end() :].lstrip())
    m = _NUMBERING.match(text)
    if m and _plausible_numbering(m.group(0), text[m.end() :]):
        return Label("numbering", m.group(0), family_of(m.group(0)), text[m.end() :].lstrip())
    m = _BULLET.match(text)
    if m and text[m.end() :].strip() and text[m.end() :].lstrip()[0] not in _NOT_AFTER_BULLET:
        return Label("bullet", m.group(0), family_of(m.group(0)), text[m.end() :].lstrip())
    return None


def _plausible_numbering(label: str, rest: str) -> bool:
    """Reject numbers that are the text itself (``１．５倍``, ``2025年``, ``I…``)."""
    if not rest.strip():
        return len(label) <= 4
    first = rest.lstrip()[0]
    if first in "、。，,．.・～〜~）)":  # ⅰ）、ⅱ）の取組 / ⅰ）～ⅲ）: a reference, not a label
        return False
    label = label.rstrip(_BULLETS)  # ❺〇: judge the number, not the circle after it
    norm = unicodedata.normalize("NFKC", label)
    if norm[-1].isalnum() and label[-1] not in _CIRCLED + _NEG_CIRCLED + _CIRCLED_KATA + _ROMAN_UP + _ROMAN_LO + _PAREN_DIGIT:
        return False
    if label[-1] in _ROMAN_UP + _ROMAN_LO and unicodedata.normalize("NFKC", first).isascii() and first.isalnum():
        return False
    return not (norm[-1] in ".．" and unicodedata.normalize("NFKC", first).isdigit())


_TAG = re.compile(r"^(?:【[^【】]+】|[〔［\[][^〔〕［］\[\]]+[〕］\]]|[（(][^（）()]{2,}[）)])$")


def is_tag(text: str) -> bool:
    """A whole line that is a bracketed marker: 【重要度：高】, （具体的な取組）.

    >>> is_tag("【重要度：高】"), is_tag("（具体的な取組）"), is_tag("（１）"), is_tag("（※）")
    (True, True, False, False)
    """
    t = text.strip()
    if not _TAG.match(t):
        return False
    inner = t[1:-1]
    return split_label(t) is None and not unicodedata.normalize("NFKC", inner).strip().isdigit()
