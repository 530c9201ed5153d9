"""Japanese words (Sudachi morphemes) with numbers kept whole.

A number and its unit (``57.6％``, ``1,660事業所``, ``8,063千円``, ``令和７年度``)
is one token, so a changed number is never shown as a changed digit.  Each
token keeps its printed surface (whitespace attached, so the surfaces rebuild
the text exactly), a ``key`` that ignores width and spacing, and Sudachi's
normalised form, which also ignores notational variants (取組/取り組み).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.model import normalize_text

_DIGIT = "0-9０-９"
NUMBER = re.compile(
    rf"(?:(?:令和|平成|昭和)\s*)?[{_DIGIT}]+(?:[,，][{_DIGIT}]{{3}})*(?:[.．][{_DIGIT}]+)?"
    r"(?:\s*(?:％|%|千円|万円|億円|円|人|件|事業所|日間|日|か所|箇所|ヵ所|か月|ヶ月|カ月|ポイント|倍|年度|年|月|歳|回|点|社|名|部|時間|分))?"
)
_CHUNK = 4000  # characters per Sudachi call (its input limit is in bytes)


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    key: str
    norm: str
    number: bool = False


@lru_cache(maxsize=4)
def _sudachi(mode: str):
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=getattr(SplitMode, mode))


class Tokenizer:
    """One reused Sudachi tokenizer with a cache: each text is tokenized once."""

    def __init__(self, *, mode: str = "C") -> None:
        self.mode = mode
        self._cache: dict[str, tuple[Token, ...]] = {}
        # one Token per (surface, normalised form): a plan repeats its words (の, を, 実施) thousands of times
        self._words_seen: dict[tuple[str, str], Token] = {}

    def load(self) -> None:
        """Load the Sudachi dictionary now (0.1–0.25 s) rather than at the first text: while another process works."""
        _sudachi(self.mode)

    def tokenize(self, text: str) -> tuple[Token, ...]:
        """Tokens whose surfaces concatenate to ``text``.

        >>> [t.surface for t in Tokenizer().tokenize("実施率を56.0％以上とする")]
        ['実施', '率', 'を', '56.0％', '以上', 'と', 'する']
        """
        hit = self._cache.get(text)
        if hit is None:
            hit = self._cache[text] = tuple(_attach_spaces(self._raw(text)))
        return hit

    def _raw(self, text: str) -> list[Token]:
        out: list[Token] = []
        pos = 0
        for m in NUMBER.finditer(text):
            out += self._words(text[pos : m.start()])
            key = normalize_text(m.group(0))
            out.append(Token(m.group(0), key, key, number=True))
            pos = m.end()
        out += self._words(text[pos:])
        return out

    def _words(self, text: str) -> list[Token]:
        out: list[Token] = []
        tok = _sudachi(self.mode)
        seen = self._words_seen
        for i in range(0, len(text), _CHUNK):
            for m in tok.tokenize(text[i : i + _CHUNK]):
                word = m.surface(), m.normalized_form()
                t = seen.get(word)
                if t is None:
                    s, form = word
                    t = seen[word] = Token(s, normalize_text(s), normalize_text(form) if s.strip() else "")
                out.append(t)
        return out


def _attach_spaces(tokens: list[Token]) -> list[Token]:
    """Whitespace is not a word: glue it to the token before it (or after, at the start)."""
    out: list[Token] = []
    lead = ""
    for t in tokens:
        if not t.key:
            if out:
                p = out[-1]
                out[-1] = Token(p.surface + t.surface, p.key, p.norm, p.number)
            else:
                lead += t.surface
            continue
        if lead:
            t = Token(lead + t.surface, t.key, t.norm, t.number)
            lead = ""
        out.append(t)
    if lead:
        out.append(Token(lead, "", "", False))
    return out
