"""Office files that are the same bytes for the same input."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

_EPOCH = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def stable_zip(data: bytes, *, modified: datetime | None = None) -> bytes:
    """Rewrite a .docx/.xlsx package with fixed entry times, so equal content gives equal bytes.

    ``modified`` replaces the document's last-modified time, which some
    writers (openpyxl) stamp with the clock while saving.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if modified is not None else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if stamp is not None and info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


_FIXED = datetime(2000, 1, 1)


def strings_not_formulas(wb: Any) -> None:
    """Every cell openpyxl took for a formula (text starting with ``=``) made a string cell: plandiff writes no formulas."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def workbook_bytes(wb: Any, *, timestamp: bool = True, now: datetime | None = None) -> bytes:
    """An openpyxl workbook saved by plandiff: created now (or at a fixed time without ``timestamp``), same bytes on rerun."""
    strings_not_formulas(wb)
    stamp = (now or (datetime.now() if timestamp else _FIXED)).replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.creator = "plandiff"
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue(), modified=stamp)
