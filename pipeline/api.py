"""The library's front door: what the CLI does, callable from Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pandas as pd

from extractors import ExtractConfig, extract_pdf
from reports.frames import TableKind, table_frames
from reports.outline import extract_markdown

from .exceptions import InputFormatError
from .model import ExtractResult
from .output import write_atomic

ExtractFormat = Literal["json", "md"]


def extract(path: str | Path, *, config: ExtractConfig | None = None) -> ExtractResult:
    """Extract a plan PDF, or load a ``plandiff.extract/1`` JSON file.

    >>> r = extract("samples/sample-r7.plan.pdf")
    >>> b = r.documents[0].blocks[2]
    >>> b.kind, b.level, b.label, b.text
    ('heading', 1, '１．', '基本業務の確実な遂行')
    """
    p = Path(path)
    if p.suffix.lower() == ".json":
        try:
            return ExtractResult.from_dict(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError) as e:
            raise InputFormatError(p, str(e)) from e
    return extract_pdf(p, config=config)


def tables(result: ExtractResult, *, kind: TableKind | None = None, numeric: bool = False) -> list[pd.DataFrame]:
    """The tables of an extraction as DataFrames; ``kind="kpi"`` or ``"budget"`` picks those.

    >>> [df.attrs["kind"] for df in tables(extract("samples/sample-r7.plan.pdf"))]
    ['budget', 'kpi']
    """
    return table_frames(result, kind=kind, numeric=numeric)


def render_extract(result: ExtractResult, fmt: ExtractFormat = "json") -> str:
    """The extraction as JSON (``plandiff.extract/1``) or a Markdown outline."""
    if fmt == "md":
        return extract_markdown(result)
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"


def format_for(path: str | Path, default: str = "json") -> str:
    """The output format a file name asks for (``.md`` → md, ``.json`` → json)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix) or default


def write_extract(result: ExtractResult, out: str | Path, fmt: ExtractFormat | None = None) -> None:
    """Write the extraction atomically; the format follows the extension unless given."""
    chosen = fmt or format_for(out)
    if chosen not in ("json", "md"):
        chosen = "json"
    write_atomic(out, render_extract(result, chosen))  # type: ignore[arg-type]
