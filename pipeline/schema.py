"""The shape of ``plandiff.extract/1`` JSON, checked before it is loaded.

Extraction JSON comes back from users (``plandiff compare r6.json r7.json``),
edited or written by other tools; a wrong shape is named by its place
(``documents[0].blocks[3].text must be a string``), never an AttributeError.
"""

from __future__ import annotations

from typing import Any

from .model import EXTRACT_SCHEMA

_OPTIONAL_TEXT = ("kind", "text", "label")


def _need(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{where} must be {what}, not {type(value).__name__}")


def check_extract_json(data: Any) -> None:
    """Raise ``ValueError`` naming the first place where ``data`` is not ``plandiff.extract/1``."""
    _need(data, dict, "the top level", "an object")
    if data.get("schema") != EXTRACT_SCHEMA:
        raise ValueError(f"schema is {data.get('schema')!r}, not {EXTRACT_SCHEMA!r}")
    docs = data.get("documents")
    _need(docs, list, "documents", "a list")
    if not docs:
        raise ValueError("documents is empty: there is no plan to compare")
    for i, doc in enumerate(docs):
        _need(doc, dict, f"documents[{i}]", "an object")
        for key in ("title", "label"):
            if doc.get(key) is not None:
                _need(doc[key], str, f"documents[{i}].{key}", "a string")
        blocks = doc.get("blocks", [])
        _need(blocks, list, f"documents[{i}].blocks", "a list")
        for j, b in enumerate(blocks):
            _check_block(b, f"documents[{i}].blocks[{j}]")
    for k, row in enumerate(data.get("rows") or []):
        _need(row, dict, f"rows[{k}]", "an object")
        for side in ("left", "right"):
            _need(row.get(side, []), list, f"rows[{k}].{side}", "a list of block indices")


def _check_block(b: Any, where: str) -> None:
    _need(b, dict, where, "an object")
    for key in _OPTIONAL_TEXT:
        if b.get(key) is not None:
            _need(b[key], str, f"{where}.{key}", "a string")
    for key in ("level", "page"):
        if b.get(key) is not None:
            _need(b[key], int, f"{where}.{key}", "a whole number")
    rows = b.get("rows") or []
    _need(rows, list, f"{where}.rows", "a list of rows")
    for r, row in enumerate(rows):
        _need(row, list, f"{where}.rows[{r}]", "a list of cells")
    box = b.get("bbox")
    if box is not None and not (isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box)):
        raise ValueError(f"{where}.bbox must be four numbers [x0, top, x1, bottom]")
