"""File names as data: kept exactly, shown readably, turned into safe output names.

A name that is not valid UTF-8 (Shift_JIS names unpacked from a Windows
archive) reaches Python as a string with lone surrogates (PEP 383).  It is
kept that way wherever the exact name matters (the manifest), shown decoded
(Shift_JIS when that reads, else ``\\x8e`` escapes) in messages and reports,
and percent-encoded in the names of the files plandiff writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import quote

# a name segment holding an undecodable byte; some of its bytes may have decoded as UTF-8 by chance
_SURROGATE_WORD = re.compile(r"[^/\s]*[\udc80-\udcff][^/\s]*")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_ANY_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def _readable(word: str) -> str:
    """A name segment that is not UTF-8 decoded as Shift_JIS (cp932) when it reads as that; else unchanged."""
    try:
        text = word.encode("utf-8", "surrogateescape").decode("cp932")
    except UnicodeError:
        return word
    return word if _PRIVATE_USE.search(text) else text  # cp932 maps stray bytes (0xFD-0xFF) there


def display_name(name: str) -> str:
    r"""A file name (or a message holding one) as readable text on one line.

    >>> display_name(b"\x8e\x96\x8b\xc6\x8c\x76\x89\xe6.pdf".decode("utf-8", "surrogateescape"))
    '事業計画.pdf'
    >>> display_name("a\nb.pdf")
    'a\\nb.pdf'
    """
    text = _SURROGATE_WORD.sub(lambda m: _readable(m.group()), name)
    text = _ANY_SURROGATE.sub(lambda m: m.group().encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"), text)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def json_text(text: str) -> str:
    """JSON text with lone surrogates written as ``\\udcXX`` escapes: valid UTF-8, and ``json.loads`` gives the name back."""
    return _ANY_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _safe_segment(segment: str) -> str:
    if _ANY_SURROGATE.search(segment):
        segment = _readable(segment)
    return _UNSAFE_IN_NAME.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogateescape")), segment)


def safe_path(rel: str) -> str:
    r"""A relative path that can be written as UTF-8: a Shift_JIS segment decoded, other stray bytes and control characters as ``%XX``.

    >>> safe_path(b"\x96{\x95\x94/\x8e\x96\x8b\xc6\x8c\x76\x89\xe6.pdf".decode("utf-8", "surrogateescape"))
    '本部/事業計画.pdf'
    >>> safe_path(b"\xff\xfe\na.pdf".decode("utf-8", "surrogateescape"))
    '%FF%FE%0Aa.pdf'
    """
    return "/".join(_safe_segment(s) for s in rel.split("/"))


_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~\u0080-\ud7ff\ue000-\U0010ffff]+")


def url_path(rel: str) -> str:
    """A relative link (an IRI) to ``rel``: ASCII punctuation in each segment percent-encoded.

    No ``:`` can make a scheme, no ``#`` or ``?`` cut the link; Japanese stays readable.

    >>> url_path("javascript:alert(1)#.json")
    'javascript%3Aalert%281%29%23.json'
    >>> url_path("本部/R7/計画.json")
    '本部/R7/計画.json'
    """
    return "/".join(_URL_UNSAFE.sub(lambda m: quote(m.group().encode("utf-8", "surrogateescape"), safe=""), s) for s in rel.split("/"))


def assign_outputs(rels: Iterable[str], suffixes: tuple[str, ...], *, reserved: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Output names for each input (``a/plan.pdf`` → ``a/plan.json``, ``a/plan.md``) that never collide.

    Names are compared case-insensitively (``plan.pdf`` and ``plan.PDF`` may
    share a folder, not an output on a case-insensitive disk); the later one
    in sorted order keeps its extension (``plan.PDF.json``).  ``reserved``
    names (the manifest, the index) and the folders outputs go into are never
    given to a file.
    """
    rels = sorted(rels)
    stems = {rel: safe_path(rel) for rel in rels}
    taken = {r.casefold() for r in reserved}
    for safe in stems.values():
        parts = safe.split("/")[:-1]
        taken |= {"/".join(parts[: k + 1]).casefold() for k in range(len(parts))}
    out: dict[str, tuple[str, ...]] = {}
    for rel in rels:
        path = PurePosixPath(stems[rel])
        for k in range(1, len(rels) + 3):
            base = str(path.with_suffix("")) if k == 1 and path.suffix else str(path) if k <= 2 else f"{path}~{k - 1}"
            names = tuple(f"{base}{s}" for s in suffixes)
            if not any(n.casefold() in taken for n in names):
                break
        taken |= {n.casefold() for n in names}
        out[rel] = names
    return out
