"""Checks made before a file is given to a PDF library.

That it is a regular file we may read (a FIFO named ``plan.pdf`` would
block a reader forever; a file we may not read is not "not a PDF"), and
that no page holds more than a reader can survive (:func:`check_content_limits`).
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.exceptions import (
    NotAPdfError,
    PlandiffError,
    TooComplexError,
    TooLargeDecompressedError,
    UnreadableFileError,
)

from .config import ExtractConfig

_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def check_regular_file(path: str | Path) -> None:
    """Raise unless ``path`` is a regular file whose first byte can be read."""
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        raise NotAPdfError(path, "no such file") from e
    except OSError as e:
        raise UnreadableFileError(path, e.strerror or str(e)) from e
    if not stat.S_ISREG(st.st_mode):
        kind = _KINDS.get(stat.S_IFMT(st.st_mode), "a device")
        raise NotAPdfError(path, f"{kind}, not a regular file")
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError as e:
        raise UnreadableFileError(path, e.strerror or str(e)) from e


# -- what a page may hold before PDFium is asked to load it -------------------------------------

# operators that put an object on the page: text shows, path paints, XObjects, shadings, inline images
# (each alternative starts with its literal and looks back past it, so the regex engine skips ahead
# to the next candidate letter instead of trying a look-behind at every byte: twice as fast; the
# two-letter operators come before the one-letter ones they start with, as ``f\*?`` tries ``f*`` first)
_NOT_AFTER = rb"[A-Za-z0-9*'\"]"
_PAINT = re.compile(
    rb"(?:"
    + rb"|".join(
        [op + rb"(?<!" + _NOT_AFTER + rb"..)" for op in (rb"Tj", rb"TJ", rb"f\*", rb"B\*", rb"b\*", rb"Do", rb"sh", rb"EI")]
        + [op + rb"(?<!" + _NOT_AFTER + rb".)" for op in (rb"'", rb'"', rb"f", rb"F", rb"S", rb"s", rb"B", rb"b")]
    )
    + rb")(?![A-Za-z0-9*])"
)
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do(?![A-Za-z0-9*])")
_CHUNK = 1 << 20
_OVERLAP = 256  # longer than any operator with its name operand


@dataclass(slots=True)
class _Page:
    path: str
    number: int
    config: ExtractConfig
    inflated: int = 0
    forms: dict[int, int] = field(default_factory=dict)  # objid → objects it draws, counted once


def check_content_limits(path: str | Path, config: ExtractConfig) -> None:
    """Refuse a page whose content would make the PDF library blow up, before it is loaded.

    Form XObjects that draw each other ten times over seven levels are ten
    million objects from a 2 KB file (PDFium aborts at several GB); a flate
    bomb inflates a few KB to gigabytes.  The page tree is walked with
    pdfminer (streams inflated with a ceiling, forms counted once each); a
    file pdfminer cannot parse is left to the reader, which says it is damaged.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as f:
            doc = PDFDocument(PDFParser(f))
            for number, page in enumerate(PDFPage.create_pages(doc), 1):
                state = _Page(str(path), number, config)
                drawn = sum(_drawn(state, s, page.resources, 0, ()) for s in _streams(page.contents))
                if drawn > config.max_page_objects:
                    raise TooComplexError(path, f"page {number} draws {drawn:,} objects, limit {config.max_page_objects:,}")
    except PlandiffError:
        raise
    except Exception:  # pdfminer cannot walk it: the reader will say what is wrong
        return


def _streams(contents: Any) -> list[Any]:
    from pdfminer.pdftypes import PDFStream, resolve1

    items = resolve1(contents)
    items = items if isinstance(items, list) else [items]
    return [s for s in (resolve1(x) for x in items) if isinstance(s, PDFStream)]


def _drawn(state: _Page, stream: Any, resources: Any, depth: int, stack: tuple[int, ...]) -> int:
    """Objects that drawing ``stream`` puts on the page, its forms expanded."""
    from pdfminer.pdftypes import PDFStream, resolve1

    count = 0
    uses: dict[bytes, int] = {}
    buf = b""
    for part in (*_inflate(state, stream), b""):
        # operators are counted where they start; the tail is kept so that none is cut in two
        buf += part
        cut = len(buf) - _OVERLAP if part else len(buf)
        # (no two operators overlap, so those starting before the cut are all of them less those from it on;
        # a look-behind sees past ``pos``, so the scan from the cut finds what the whole scan finds there)
        count += len(_PAINT.findall(buf)) - (len(_PAINT.findall(buf, max(cut, 0))) if cut < len(buf) else 0)
        for m in _DO.finditer(buf) if b"Do" in buf else ():  # (most content draws no XObject: a byte search spares the scan)
            if m.start() < cut:
                uses[m.group(1)] = uses.get(m.group(1), 0) + 1
        buf = buf[max(cut, 0) :]
    xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
    for name, times in uses.items():
        form = resolve1(xobjects.get(name.decode("latin-1")))
        if not isinstance(form, PDFStream) or getattr(resolve1(form.attrs.get("Subtype")), "name", "") != "Form":
            continue
        key = form.objid or id(form)
        if key in stack:
            raise TooComplexError(state.path, f"page {state.number}: form XObjects draw each other in a loop")
        if depth + 1 > state.config.max_form_depth:
            raise TooComplexError(state.path, f"page {state.number}: form XObjects nested deeper than {state.config.max_form_depth}")
        if key not in state.forms:
            state.forms[key] = _drawn(state, form, form.attrs.get("Resources") or resources, depth + 1, (*stack, key))
        count += times * state.forms[key]
        if count > state.config.max_page_objects:
            raise TooComplexError(state.path, f"page {state.number} draws more than {state.config.max_page_objects:,} objects")
    return count


def _inflate(state: _Page, stream: Any) -> Iterator[bytes]:
    """The stream's content in pieces, counted against the page's ceiling: a flate bomb stops there, not in memory."""
    from pdfminer.pdftypes import resolve1

    filters = resolve1(stream.attrs.get("Filter"))
    names = [getattr(resolve1(f), "name", "") for f in (filters if isinstance(filters, list) else [filters] if filters else [])]
    plain = not stream.attrs.get("DecodeParms")
    if not names:
        pieces: Iterable[bytes] = [stream.rawdata or b""]
    elif names == ["FlateDecode"] and plain:
        pieces = _inflate_flate(stream.rawdata or b"")
    elif names == ["ASCII85Decode", "FlateDecode"] and plain and stream.decipher is None:
        pieces = [_flate_as_pdfminer(_a85decode(stream.rawdata or b""))]
    else:
        pieces = [stream.get_data() or b""]
    for piece in pieces:
        state.inflated += len(piece)
        if state.inflated > state.config.max_decompressed:
            raise TooLargeDecompressedError(
                state.path, f"page {state.number}: content over {state.config.max_decompressed >> 20} MB when decompressed"
            )
        yield piece


def _inflate_flate(raw: bytes) -> Iterator[bytes]:
    z = zlib.decompressobj()
    try:
        while raw:
            piece = z.decompress(raw, _CHUNK)
            raw = z.unconsumed_tail
            if not piece:
                return
            yield piece
    except zlib.error:
        return  # damaged: PDFium reads what it can


def _flate_as_pdfminer(data: bytes) -> bytes:
    """Inflated as pdfminer's ``get_data`` inflates it (a corrupted stream: as much as it can)."""
    from pdfminer.pdftypes import decompress_corrupted

    try:
        return zlib.decompress(data)
    except zlib.error:
        try:
            return decompress_corrupted(data)
        except zlib.error:
            return b""


_A85_IGNORED = b" \t\n\r\v"  # what base64.a85decode skips
_A85_DIGITS = re.compile(rb"[!-u]*")
_A85_VALUES = bytes(range(256)).translate(bytes((b - 33) % 256 for b in range(256)))


def _a85decode(data: bytes) -> bytes:
    """pdfminer's ``ascii85decode`` (ReportLab's content streams are ASCII85 over Flate), whole groups at a time.

    The same bytes as ``base64.a85decode``, which loops over every byte in
    Python; anything it would refuse (a stray character, a ``z`` inside a
    group, a group over 2³² − 1) is left to it, so it raises the same error.
    """
    from pdfminer.ascii85 import ascii85decode, end_re, start_re

    body = end_re.sub(b"", start_re.sub(b"", data)).translate(None, _A85_IGNORED)
    if b"z" in body:  # four zero bytes: only between groups
        parts = body.split(b"z")
        if any(len(part) % 5 for part in parts[:-1]):
            return ascii85decode(data)
        body = b"!!!!!".join(parts)
    if not _A85_DIGITS.fullmatch(body):
        return ascii85decode(data)
    short = -len(body) % 5  # a last group of fewer than 5 digits is padded with u's and cut as short
    it = iter(body.translate(_A85_VALUES) + b"\x54" * short)
    words = [(((a * 85 + b) * 85 + c) * 85 + d) * 85 + e for a, b, c, d, e in zip(it, it, it, it, it, strict=True)]
    if words and max(words) > 0xFFFFFFFF:
        return ascii85decode(data)
    out = struct.pack(f">{len(words)}I", *words)
    return out[: len(out) - short] if short else out
