"""Multipart uploads streamed to disk under generated names, the size checked as the bytes arrive.

Nothing is buffered in memory or written outside the data directory's
``tmp/``; an upload over the limit stops being written at the limit, and its
partial file is removed.  The client's file name is kept only as text.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from pipeline.exceptions import RequestError, UploadTooLargeError
from pipeline.i18n import N_

TEXT_LIMIT = 16 * 1024  # an option field is short
DRAIN_LIMIT = 64 * 1024 * 1024  # read (and drop) this much past the limit so the client sees our answer


@dataclass(slots=True)
class Upload:
    field: str
    name: str  # the client's file name, without any directory part
    path: Path  # ours, under tmp/
    size: int = 0
    sha256: str = ""

    @property
    def media(self) -> str:
        return "json" if self.name.lower().endswith(".json") else "pdf"


@dataclass(slots=True)
class Form:
    files: dict[str, Upload] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        for up in self.files.values():
            up.path.unlink(missing_ok=True)


def client_name(raw: bytes) -> str:
    r"""The last path component of a sent file name, as text (Windows browsers send whole paths).

    >>> client_name("C:\\Users\\a\\令和７年度.pdf".encode()), client_name(b"../../etc/passwd"), client_name(b"\x00")
    ('令和７年度.pdf', 'passwd', 'upload')
    """
    name = raw.decode("utf-8", errors="replace").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in name if ch.isprintable())[:200] or "upload"


class _Receiver:
    def __init__(self, tmp: Path, file_fields: set[str]) -> None:
        self.tmp = tmp
        self.file_fields = file_fields
        self.form = Form()
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._out: IO[bytes] | None = None
        self._hash: Any = None
        self._upload: Upload | None = None
        self._text: bytearray | None = None
        self._field_name = ""

    def callbacks(self) -> Any:  # python-multipart's MultipartCallbacks
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": lambda d, s, e: self._add("_field", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_value", d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def part_begin(self) -> None:
        self._headers, self._upload, self._text = {}, None, None

    def header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def headers_finished(self) -> None:
        _, opts = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", errors="replace")
        if name in self.file_fields and opts.get(b"filename") and name not in self.form.files:
            fd, path = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=self.tmp)
            self._out = os.fdopen(fd, "wb")
            self._hash = hashlib.sha256()
            self._upload = self.form.files[name] = Upload(name, client_name(opts[b"filename"]), Path(path))
        elif b"filename" not in opts and name:  # a text field (an empty file input is dropped)
            self._text = bytearray()
            self._field_name = name

    def part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._upload is not None and self._out is not None:
            self._out.write(chunk)
            self._hash.update(chunk)
            self._upload.size += len(chunk)
        elif self._text is not None:
            if len(self._text) + len(chunk) > TEXT_LIMIT:
                raise RequestError(self._field_name, N_("field too long"))
            self._text += chunk

    def part_end(self) -> None:
        if self._upload is not None and self._out is not None:
            self._out.close()
            self._out = None
            self._upload.sha256 = self._hash.hexdigest()
        elif self._text is not None:
            self.form.fields[self._field_name] = self._text.decode("utf-8", errors="replace")
        self._upload, self._text = None, None

    def close(self) -> None:
        if self._out is not None:
            self._out.close()


async def receive(request: Request, tmp: Path, *, max_bytes: int, file_fields: set[str]) -> Form:
    """Parse a multipart body: the named file fields to ``tmp``, other fields as text."""
    ctype, opts = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in opts:
        raise RequestError(request.url.path, N_("expected multipart/form-data"))
    rec = _Receiver(tmp, file_fields)
    parser = MultipartParser(opts[b"boundary"], rec.callbacks())
    seen = 0
    stream = request.stream()
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > max_bytes:
                await _drain(stream, seen - max_bytes)
                raise UploadTooLargeError(_names(rec.form) or "upload", f"over {max_bytes / 1024 / 1024:g} MB")
            parser.write(chunk)
        parser.finalize()
    except BaseException:
        rec.close()
        rec.form.discard()
        raise
    if any(not up.sha256 for up in rec.form.files.values()):  # a part cut off by the end of the body
        rec.form.discard()
        raise RequestError(request.url.path, N_("the upload ended early"))
    return rec.form


def _names(form: Form) -> str:
    return ", ".join(up.name for up in form.files.values())


async def _drain(stream: AsyncIterator[bytes], over: int) -> None:
    """Read what the client is still sending (dropping it), up to a bound, so it can read the answer."""
    try:
        async for chunk in stream:
            over += len(chunk)
            if over > DRAIN_LIMIT:
                return
    except Exception:  # the client gave up: nothing to answer
        return
