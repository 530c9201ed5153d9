"""Text from a PDF made safe for each output format, without changing what it says.

- Spreadsheets: Excel (and LibreOffice) read a CSV cell starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return as a formula
  (``=HYPERLINK(...)`` a live link, ``=cmd|...`` a command).  CSV cells get
  the OWASP ``'`` prefix; xlsx cells are written as strings.
- XML (docx, xlsx) cannot hold most control characters, lone surrogates,
  U+FFFE and U+FFFF: they become U+FFFD, and the writer says how many.
- HTML: bidi overrides and zero-width characters would let a report show
  other text than the PDF holds: they are shown as ``[U+202E]``.

JSON keeps the printed text unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# control and format characters a reader cannot see: C0/C1 controls (but tab and newline), soft hyphen,
# bidi marks, embeddings, overrides and isolates, zero-width spaces and joiners, word joiners, BOM
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def csv_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs.

    >>> csv_safe('=HYPERLINK("http://evil.example/","クリック")')
    '\\'=HYPERLINK("http://evil.example/","クリック")'
    >>> csv_safe("56.0％→56.6％")
    '56.0％→56.6％'
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def xml_safe(text: str) -> str:
    r"""``text`` with every character XML 1.0 cannot hold replaced by U+FFFD.

    >>> xml_safe("a\x00b\x07c\td")
    'a\ufffdb\ufffdc\td'
    """
    return _NOT_XML.sub("\ufffd", text)


def visible(text: str) -> str:
    r"""``text`` with invisible control and format characters written out.

    >>> visible("abc\u202edef\u200b")
    'abc[U+202E]def[U+200B]'
    """
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def map_text(obj: T, fn: Callable[[str], str]) -> T:
    """``obj`` (dataclasses, tuples, lists, dicts) with ``fn`` applied to every string in it."""
    return _map(obj, fn)


def _map(obj: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, tuple):
        return tuple(_map(x, fn) for x in obj)
    if isinstance(obj, list):
        return [_map(x, fn) for x in obj]
    if isinstance(obj, dict):
        return {k: _map(v, fn) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _map(getattr(obj, f.name), fn) for f in dataclasses.fields(obj) if f.init})
    return obj


def count_matches(obj: Any, pattern: re.Pattern[str]) -> int:
    n = 0

    def count(s: str) -> str:
        nonlocal n
        n += len(pattern.findall(s))
        return s

    map_text(obj, count)
    return n


def not_xml_count(obj: Any) -> int:
    """How many characters of ``obj``'s strings XML cannot hold (what :func:`xml_safe` replaces)."""
    return count_matches(obj, _NOT_XML)


def invisible_count(obj: Any) -> int:
    """How many invisible characters of ``obj``'s strings :func:`visible` writes out."""
    return count_matches(obj, _INVISIBLE)
